"""Old dotted paths keep working after a move (moved.py): in-process, for Frappe's own resolution of hooks,
jobs and whitelisted methods, and over REST."""

import ast
import pathlib
import re

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.moved import MOVED, resolve
from smooth_lms.tests.http import RestCase, base_url, login

APP = pathlib.Path(__file__).resolve().parents[1]


class TestMovedPaths(FrappeTestCase):
	def test_every_old_path_is_the_new_function(self):
		for old, new in MOVED.items():
			with self.subTest(old=old):
				self.assertIs(frappe.get_attr(old), frappe.get_attr(new))
				self.assertIs(resolve(old), frappe.get_attr(new))

	def test_an_old_whitelisted_path_is_still_whitelisted(self):
		for old, new in MOVED.items():
			method = frappe.get_attr(new)
			if method in frappe.whitelisted:
				with self.subTest(old=old):
					self.assertIn(frappe.get_attr(old), frappe.whitelisted)

	def test_unknown_names_of_an_old_module_are_not_invented(self):
		with self.assertRaises(AttributeError):
			frappe.get_attr("smooth_lms.lms.sweeps.no_such_function")
		with self.assertRaises(AttributeError):
			frappe.get_attr("smooth_lms.lms.validity.no_such_function")

	def test_every_dotted_path_the_app_names_resolves(self):
		# hooks.py, number cards, desk and portal scripts, templates, jobs: every smooth_lms.* path in them.
		paths = set()
		for pattern in ("*.py", "*.js", "*.json", "*.html"):
			for path in APP.rglob(pattern):
				if "node_modules" in path.parts or path.name.startswith("test_"):
					continue
				paths.update(dotted_paths(path))
		self.assertGreater(len(paths), 30)
		for path in sorted(paths):
			with self.subTest(path=path):
				resolve(path)


class TestMovedPathsOverRest(RestCase):
	def test_an_old_method_path_answers_as_the_new_one(self):
		hr, learner = self.user("HR Manager"), self.user("LMS Student")
		frappe.db.commit()  # the server reads the users on its own connection
		session = login(hr)
		old = session.get(
			base_url() + "/api/method/smooth_lms.lms.compliance.get_compliance_counts", timeout=30
		)
		new = session.get(
			base_url() + "/api/method/smooth_lms.lms.reporting.counts.get_compliance_counts", timeout=30
		)
		self.assertEqual((old.status_code, new.status_code), (200, 200))
		self.assertEqual(old.json(), new.json())
		refused = login(learner).get(
			base_url() + "/api/method/smooth_lms.lms.compliance.get_compliance_counts", timeout=30
		)
		self.assertEqual(refused.status_code, 403)


def dotted_paths(path: pathlib.Path) -> set[str]:
	"""Strings naming a function of the app (smooth_lms.<module>.<function>) in a file."""

	text = path.read_text()
	found = set(re.findall(r"""["'`/](smooth_lms(?:\.\w+){2,})""", text))
	if path.suffix == ".py":
		tree = ast.parse(text)
		modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
		found -= modules  # imports name modules, not functions
	return {p for p in found if not p.endswith((".js", ".json", ".html", ".css", ".py"))}
