"""Counts as people write them, everywhere the app prints one: "1 day left" / "30 days left", "1 person"
/ "7 people" — never "day(s)" (smooth_lms.lms.framework.plurals)."""

import ast
import json
import pathlib
import re

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.framework.plurals import plural
from smooth_lms.lms.notifications.manager_digest import DIGEST_TEMPLATE
from smooth_lms.lms.portal.training import due_hint

APP = pathlib.Path(__file__).resolve().parents[1]
# A translatable string in JavaScript or Jinja: _("…") or __("…"), in any quotes, over several lines.
TRANSLATED = re.compile(r"""\b__?\(\s*(["'`])((?:\\.|(?!\1).)*)\1""", re.DOTALL)


def app_files(*suffixes: str):
	for path in sorted(APP.rglob("*")):
		relative = path.relative_to(APP)
		if path.suffix in suffixes and "tests" not in relative.parts and not path.name.startswith("test_"):
			yield relative, path


def python_strings_with_s(source: str) -> list[str]:
	"""The strings given to _() in Python source that contain "(s)"."""
	found = []
	for node in ast.walk(ast.parse(source)):
		if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
			for arg in node.args[:1]:
				if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "(s)" in arg.value:
					found.append(arg.value)
	return found


class TestPlural(FrappeTestCase):
	def test_one_thing_or_any_other_number(self):
		one, other = "{0} day left", "{0} days left"
		self.assertEqual(
			[plural(count, one, other).format(count) for count in (0, 1, 2, 30)],
			["0 days left", "1 day left", "2 days left", "30 days left"],
		)
		self.assertEqual(plural(1.0, one, other), one)
		self.assertEqual(plural(None, one, other), other)

	def test_due_hints(self):
		self.assertEqual(
			[due_hint("Pending", days, None) for days in (30, 2, 1, 0, -1, -4)],
			["30 days left", "2 days left", "1 day left", "Due today", "1 day late", "4 days late"],
		)

	def test_templates_have_it(self):
		template = "{{ plural(n, _('{0} person'), _('{0} people')).format(n | e) }}"
		self.assertEqual(
			[frappe.render_template(template, {"n": n}) for n in (1, 7)], ["1 person", "7 people"]
		)

	def test_the_managers_digest_says_days(self):
		rows = [
			frappe._dict(
				employee_name="Ava", course_title="Fire Safety", due_date_formatted="x", days_late=1
			),
			frappe._dict(
				employee_name="Ben", course_title="Fire Safety", due_date_formatted="x", days_late=3
			),
		]
		html = frappe.render_template(
			f"templates/emails/{DIGEST_TEMPLATE}.html",
			{"manager_name": "Maria", "rows": rows, "team_url": "/", "frequency": "Daily"},
		)
		self.assertIn(">1 day</td>", html)
		self.assertIn(">3 days</td>", html)


class TestNoStringSaysS(FrappeTestCase):
	"""No user-facing text of the app writes "(s)": Python's _(), JavaScript's __() and Jinja's _() in
	pages, emails and print formats, and the desk's JSON (labels, print formats, cards, workspaces)."""

	def test_python(self):
		found = {
			str(relative): strings
			for relative, path in app_files(".py")
			if (strings := python_strings_with_s(path.read_text()))
		}
		self.assertEqual(found, {})

	def test_javascript_and_jinja(self):
		found = {
			str(relative): [
				match.group(2) for match in TRANSLATED.finditer(path.read_text()) if "(s)" in match.group(2)
			]
			for relative, path in app_files(".js", ".html")
		}
		self.assertEqual({path: strings for path, strings in found.items() if strings}, {})

	def test_desk_json(self):
		found = []
		for relative, path in app_files(".json"):

			def walk(value, where=relative):
				if isinstance(value, str) and "(s)" in value:
					found.append(f"{where}: {value[:80]}")
				elif isinstance(value, dict):
					for item in value.values():
						walk(item)
				elif isinstance(value, list):
					for item in value:
						walk(item)

			walk(json.loads(path.read_text()))
		self.assertEqual(found, [])

	def test_the_scan_finds_one(self):
		# The scan itself can fail: the old wording is found.
		source = 'x = _(\n\t"{0} day(s) left"\n).format(days)\ny = _("{0} days left")\n'
		self.assertEqual(python_strings_with_s(source), ["{0} day(s) left"])
		self.assertEqual(
			[
				m.group(2)
				for m in TRANSLATED.finditer("{{ _(\"{0} lesson(s)\").format(n) }} __('{0} x(s)', [n])")
			],
			["{0} lesson(s)", "{0} x(s)"],
		)
