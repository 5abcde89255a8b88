"""How Smooth LMS's whitelisted methods meet their callers: who first, then what, and never a traceback.

Frappe checks a whitelisted method's required arguments and annotated types before the method's first
line runs, so a Guest with a malformed body is told about the body (417, or 500 for a missing argument)
instead of being refused (403), and the answer carries a traceback. `@guarded(check)`, placed under
`@frappe.whitelist`, puts the order right:

1. `check()` refuses the caller (403) — Guest and people without the role, whatever they sent;
2. every missing argument is a 417 naming it, every wrongly typed one a 417 naming it and the types
   it accepts (Frappe's own type check, with a message a caller can act on);
3. with `retry=True`, a write that loses a lock race (deadlock, lock wait timeout) is rolled back and
   run again, and after a few tries the caller gets a 409 asking to retry, not a 500.

`before_request` (hooks.py) keeps tracebacks out of every answer of the app's endpoints: its methods
and the REST resources of its DocTypes. The Error Log keeps them for 5xx.
"""

import datetime
import functools
import inspect
import random
import time
import types
import typing
from collections.abc import Callable
from urllib.parse import unquote

import frappe
from frappe import _, _lt
from frappe.utils.typing_validations import TypeAdapter

from smooth_lms.lms.moved import resolve

APP_MODULE = "LMS"
METHOD_PATHS = ("/api/method/smooth_lms.", "/api/v2/method/smooth_lms.")
RESOURCE_PATHS = ("/api/resource/", "/api/v2/document/")
# Frappe's report runner, answering for the app's reports.
REPORT_METHODS = (
	"frappe.desk.query_report.run",
	"frappe.desk.query_report.export_query",
	"frappe.desk.query_report.get_script",
)
RETRIES = 5


class ConcurrentUpdateError(frappe.ValidationError):
	"""The same records were being changed by another request, every time we tried."""

	http_status_code = 409


def before_request() -> None:
	"""Answers of the app's endpoints carry the message, never a traceback (System Settings' "Show
	Full Error" still applies to the rest of the site): its methods, the REST resources of its DocTypes
	and Frappe's report runner for its reports. On the app's method paths the path names the method: a
	`cmd` argument (Frappe's legacy dispatch, which would run the method it names instead) is dropped."""
	if not getattr(frappe.local, "request", None):
		return
	path = unquote(frappe.request.path)
	if path.startswith(METHOD_PATHS):
		frappe.local.form_dict.pop("cmd", None)
		frappe.local.flags.disable_traceback = True
	elif path.startswith(RESOURCE_PATHS) and is_app_doctype(_resource_doctype(path)):
		frappe.local.flags.disable_traceback = True
	elif path.removeprefix("/api/method/") in REPORT_METHODS and is_app_report(
		frappe.form_dict.get("report_name")
	):
		frappe.local.flags.disable_traceback = True


def is_app_doctype(name: str) -> bool:
	"""One of the app's own DocTypes (not the HR stand-ins it creates for sites without HRMS)."""
	row = frappe.get_cached_value("DocType", name, ["module", "custom"]) if isinstance(name, str) else None
	return bool(row and row[0] == APP_MODULE and not row[1])


def is_app_report(name) -> bool:
	return isinstance(name, str) and frappe.get_cached_value("Report", name, "module") == APP_MODULE


def scalar_filters(filters, names: tuple[str, ...]) -> frappe._dict:
	"""A report's filters as text or numbers: anything else (a list, an object) is a 417 naming the filter."""
	if filters is not None and not isinstance(filters, dict):
		frappe.throw(
			_("Filters must be an object of filter names and values, not {0}.").format(
				_describe_value(filters)
			),
			frappe.ValidationError,
			title=_("Invalid Filter"),
		)
	filters = frappe._dict(filters or {})
	for name in names:
		if filters.get(name) is not None and not isinstance(filters[name], str | int | float):
			frappe.throw(
				_("Filter {0} must be text, not {1}.").format(name, _describe_value(filters[name])),
				frappe.ValidationError,
				title=_("Invalid Filter"),
			)
	return filters


def guarded(check: Callable[[], None] | None = None, retry: bool = False):
	"""Decorate a whitelisted method (under `@frappe.whitelist`): `check` first, then its arguments."""

	def decorator(fn):
		signature = inspect.signature(fn)
		hints = typing.get_type_hints(fn)

		@functools.wraps(fn)
		def wrapper(*args, **kwargs):
			frappe.local.flags.disable_traceback = True
			if check:
				check()
			arguments = _checked_arguments(signature, hints, args, kwargs)
			if not (retry and _is_the_request(wrapper)):
				return fn(**arguments)
			return _with_retries(fn, arguments)

		# Frappe's whitelist validates the annotations of the function it wraps before calling it; this
		# wrapper validates them itself, after `check`, so it shows Frappe none. The signature (for
		# Frappe's argument filtering) is still the method's, through __wrapped__.
		wrapper.__annotations__ = {}
		return wrapper

	return decorator


def require_login(message: str) -> None:
	if frappe.session.user == "Guest":
		frappe.throw(message, frappe.PermissionError, title=_("Not Logged In"))


def _checked_arguments(signature: inspect.Signature, hints: dict, args: tuple, kwargs: dict) -> dict:
	try:
		bound = signature.bind_partial(*args, **kwargs)
	except TypeError as e:
		frappe.throw(str(e), frappe.ValidationError, title=_("Invalid Arguments"))
	for name, parameter in signature.parameters.items():
		if name not in bound.arguments:
			if parameter.default is inspect.Parameter.empty:
				frappe.throw(
					_("Argument {0} is required.").format(name),
					frappe.MandatoryError,
					title=_("Missing Argument"),
				)
			continue
		expected = hints.get(name)
		if expected is None:
			continue
		if parameter.default is None:
			expected = expected | None
		try:
			bound.arguments[name] = TypeAdapter(expected).validate_python(bound.arguments[name])
		except Exception:
			frappe.throw(
				_("Argument {0} must be {1}, not {2}.").format(
					name, _describe_type(expected), _describe_value(bound.arguments[name])
				),
				frappe.ValidationError,
				title=_("Invalid Argument"),
			)
	return dict(bound.arguments)


def _with_retries(fn: Callable, arguments: dict):
	for attempt in range(1, RETRIES + 1):
		try:
			return fn(**arguments)
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			# Everything this attempt wrote is undone (its enqueued jobs and messages too); the next one
			# starts a new transaction, so it reads what the other request committed.
			frappe.db.rollback()
			frappe.local.message_log = []
			if attempt == RETRIES:
				break
			time.sleep(random.uniform(0.02, 0.1) * attempt)
	frappe.throw(
		_("Another request was changing the same training at the same moment. Please try again."),
		ConcurrentUpdateError,
		title=_("Please Try Again"),
	)


TYPE_WORDS = {
	str: _lt("text"),
	list: _lt("a list"),
	dict: _lt("an object"),
	int: _lt("a whole number"),
	float: _lt("a number"),
	bool: _lt("true or false"),
	datetime.date: _lt("a date (YYYY-MM-DD)"),
	type(None): _lt("empty"),
}


def _describe_type(annotation) -> str:
	if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
		return " or ".join(_describe_type(member) for member in typing.get_args(annotation))
	return str(
		TYPE_WORDS.get(typing.get_origin(annotation) or annotation, getattr(annotation, "__name__", "?"))
	)


def _describe_value(value) -> str:
	return str(TYPE_WORDS.get(type(value), type(value).__name__))


def _resource_doctype(path: str) -> str:
	for prefix in RESOURCE_PATHS:
		if path.startswith(prefix):
			return path.removeprefix(prefix).split("/")[0]
	return ""


def _is_the_request(method) -> bool:
	"""The method is what the web request called (/api/method/<dotted path>, under its own path or an
	old one kept by moved.py): a retry may then roll the whole transaction back. Called from other code,
	inside a larger transaction, a conflict is that code's to handle. Reached another way (Frappe's
	deprecated `cmd` form, an app's override of the method), it is not retried either: the caller gets
	the database's error."""
	request = getattr(frappe.local, "request", None)
	if not request:
		return False
	path = unquote(request.path)
	for prefix in METHOD_PATHS:
		if path.startswith(prefix):
			dotted = "smooth_lms." + path.removeprefix(prefix).split("/")[0]
			try:
				called = resolve(dotted)
			except (ImportError, AttributeError, ValueError):
				return False
			while called is not None and called is not method:  # Frappe's whitelist wraps it once more
				called = getattr(called, "__wrapped__", None)
			return called is method
	return False
