"""Committed test data and a real web server: the base of the HTTP and browser tests.

The server (started by the README's test command, URL in SMOOTH_LMS_TEST_URL) reads the site on its
own connection, so data made here is committed, and each class removes what it made."""

import csv
import json
import os

import frappe
import requests
from frappe.tests.utils import FrappeTestCase

from smooth_lms.tests.factories import PASSWORD, delete_quiz_records, make_course, make_user


def base_url() -> str:
	url = os.environ.get("SMOOTH_LMS_TEST_URL")
	if not url:
		raise RuntimeError("SMOOTH_LMS_TEST_URL is not set: run the README's test command")
	return url.rstrip("/")


def login(user: str | None) -> requests.Session:
	session = requests.Session()
	# Names the site for a server that serves several (the test server is pinned to one anyway).
	session.headers["X-Frappe-Site-Name"] = os.environ.get("SMOOTH_LMS_TEST_SITE", "test_site")
	if user:
		response = session.post(
			base_url() + "/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=30
		)
		response.raise_for_status()
	return session


def export_report(user: str, report_name: str, filters: dict, file_format_type: str) -> requests.Response:
	"""A report exported as the desk's Export button does it (CSV or Excel), as `user`."""
	return login(user).post(
		base_url() + "/api/method/frappe.desk.query_report.export_query",
		data={
			"report_name": report_name,
			"file_format_type": file_format_type,
			"filters": json.dumps(filters),
			"visible_idx": "[]",
			"csv_delimiter": ",",
			"csv_quoting": csv.QUOTE_MINIMAL,
		},
		timeout=60,
	)


class RestCase(FrappeTestCase):
	users: list[str]
	courses: list[str]

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users, cls.courses = [], []

	@classmethod
	def user(cls, *roles: str) -> str:
		name = make_user(*roles, password=PASSWORD)
		cls.users.append(name)
		return name

	@classmethod
	def course(cls, **kwargs) -> str:
		name = make_course(**kwargs)
		cls.courses.append(name)
		return name

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		delete_quiz_records(cls.courses)
		for doctype, field in (
			("LMS Certificate", "course"),  # proof, deleted by nobody through documents
			("LMS Training Assignment", "course"),
			("LMS Course Progress", "course"),
			("LMS Enrollment", "course"),
		):
			frappe.db.delete(doctype, {field: ("in", cls.courses or ["-"])})
		frappe.db.delete("Employee", {"user_id": ("in", cls.users or ["-"])})
		for course in cls.courses:
			frappe.delete_doc("LMS Course", course, force=True, ignore_permissions=True)
		for user in cls.users:
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()


# --- What a refused request must leave alone (the permission matrix and the fuzz tests) ----------


def app_doctypes() -> list[str]:
	"""The app's own DocTypes that /api/resource serves: child tables are reached through their parent, and
	the HR stand-ins (custom DocTypes of the module, on sites without HRMS) are not the app's."""
	return frappe.get_all(
		"DocType", filters={"module": "LMS", "istable": 0, "custom": 0}, pluck="name", order_by="name"
	)


def write_marks() -> dict[str, tuple]:
	"""For every table a refused request must not touch: its number of rows and its latest change, read
	fresh (the server commits on its own connection). Two equal marks mean nothing was written between
	them: an insert changes a count, an update the latest `modified`, a delete a count. One query."""
	frappe.db.rollback()  # end this connection's snapshot: see what the server committed since
	doctypes = app_doctypes()
	tables = frappe.get_all("DocType", filters={"module": "LMS", "custom": 0, "issingle": 0}, pluck="name")
	tables += ["Has Role", "Email Queue", "User", "DefaultValue", "File"]  # the app's and their children
	parts = [f"select '{table}', count(*), max(modified) from `tab{table}`" for table in tables]
	parts += [
		f"select '{table}', count(*), max(modified) from `tab{table}` where `{field}` in %(doctypes)s"
		for table, field in (("Version", "ref_doctype"), ("Comment", "reference_doctype"))
	]
	parts.append(
		"""select 'Singles', count(*),
		md5(group_concat(doctype, field, ifnull(value, '') order by doctype, field))
		from `tabSingles` where doctype in %(doctypes)s"""
	)
	rows = frappe.db.sql(" union all ".join(parts), {"doctypes": doctypes})
	return {table: (count, str(latest)) for table, count, latest in rows}


def changed_marks(before: dict, after: dict) -> dict[str, tuple]:
	return {
		table: (before.get(table), after.get(table)) for table in after if before.get(table) != after[table]
	}


def answer(response: requests.Response) -> dict:
	"""The JSON body of an answer ({} for a page or a body that is not a JSON object)."""
	try:
		body = response.json()
	except ValueError:
		return {}
	return body if isinstance(body, dict) else {}


def server_messages(response: requests.Response) -> list[str]:
	"""The messages an answer carries for its caller (`_server_messages`, Frappe's `message` pages)."""
	body = answer(response)
	messages = []
	try:
		for raw in frappe.parse_json(body.get("_server_messages") or "[]"):
			message = frappe.parse_json(raw) if isinstance(raw, str) and raw.startswith("{") else raw
			messages.append(str(message.get("message") if isinstance(message, dict) else message))
	except ValueError:
		messages.append(str(body.get("_server_messages")))
	if isinstance(body.get("message"), str):
		messages.append(body["message"])
	return messages


def leaked_traceback(response: requests.Response) -> str | None:
	"""What of a server-side traceback an answer shows its caller, if anything: a "Traceback" anywhere,
	or Frappe's `exc` / `exception` keys (set only when tracebacks are shown)."""
	body = answer(response)
	for key in ("exc", "exception"):
		if body.get(key):
			return f"{key}: {str(body[key])[:300]}"
	if "Traceback (most recent call last)" in response.text:
		at = response.text.index("Traceback (most recent call last)")
		return response.text[at : at + 300]
	return None


def whitelisted_methods() -> list[str]:
	"""The dotted path of every function of the app under @frappe.whitelist, read from the source, so a
	table of endpoints can check that it names them all.

	Left out: the overrides of Frappe's own methods (hooks.py `override_whitelisted_methods`). They answer
	under Frappe's paths for every DocType with Frappe's signature, so the app's endpoint tables (the
	permission matrix, the fuzz) do not describe them; test_generic_endpoints.py tests each one."""
	import ast
	import pathlib

	from smooth_lms import hooks

	package = pathlib.Path(__file__).resolve().parents[1]
	methods = []
	for path in sorted(package.rglob("*.py")):
		parts = path.relative_to(package.parent).with_suffix("").parts
		# A package's methods answer under the package's path (smooth_lms.lms.quiz.start_quiz).
		module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
		for node in ast.walk(ast.parse(path.read_text())):
			if isinstance(node, ast.FunctionDef) and any(
				ast.unparse(decorator).startswith("frappe.whitelist") for decorator in node.decorator_list
			):
				methods.append(f"{module}.{node.name}")
	overrides = set(hooks.override_whitelisted_methods.values())
	return [method for method in methods if method not in overrides]
