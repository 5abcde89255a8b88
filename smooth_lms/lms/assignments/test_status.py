"""The status engine: one rule table, the same answer per document and set-wise."""

import itertools

import frappe
from frappe.query_builder import DocType
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.status import refresh_statuses
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.progress import mark_lesson_complete
from smooth_lms.lms.training_rules import STATUSES, decide_status, is_open, open_key
from smooth_lms.tests.factories import make_course, make_user

ASSIGNMENT = "LMS Training Assignment"
PROGRESS = (0, 40, 100)
DUE_IN_DAYS = (-3, 0, 5)  # past, today, future
COMBINATIONS = list(itertools.product(STATUSES, PROGRESS, DUE_IN_DAYS))


def stored_rows(combinations) -> list[str]:
	"""One assignment per combination, each for its own learner, written as stored state."""
	course = make_course()
	users = [make_user() for _ in combinations]
	names = create_assignments([course], users, add_days(today(), 30)).created
	for name, user, (status, progress, due_in) in zip(names, users, combinations, strict=True):
		frappe.db.set_value(
			ASSIGNMENT,
			name,
			{
				"status": status,
				"progress": progress,
				"due_date": add_days(today(), due_in),
				"completed_on": add_days(today(), -10) if status == "Completed" else None,
				"open_key": open_key(user, course) if is_open(status) else None,
			},
		)
	return names


def outcome(name: str) -> tuple:
	row = frappe.db.get_value(
		ASSIGNMENT,
		name,
		["status", "progress", "completed_on", "open_key", "employee", "course"],
		as_dict=True,
	)
	expected_key = open_key(row.employee, row.course) if is_open(row.status) else None
	return (
		row.status,
		float(row.progress),
		str(row.completed_on) if row.completed_on else None,
		row.open_key == expected_key,
	)


class TestOneEngine(FrappeTestCase):
	def test_every_combination_gives_the_same_status_per_document_and_set_wise(self):
		per_document = stored_rows(COMBINATIONS)
		set_wise = stored_rows(COMBINATIONS)

		for name in per_document:
			frappe.get_doc(ASSIGNMENT, name).save()  # the controller's validate: apply_status
		assignment = DocType(ASSIGNMENT)
		refresh_statuses(assignment.name.isin(set_wise))

		day = getdate(today())
		for combination, by_doc, by_set in zip(COMBINATIONS, per_document, set_wise, strict=True):
			status, progress, due_in = combination
			with self.subTest(stored=status, progress=progress, due_in=due_in):
				expected = decide_status(status, progress, getdate(add_days(day, due_in)), day)
				self.assertEqual(outcome(by_doc)[0], expected)
				self.assertEqual(outcome(by_doc), outcome(by_set))
				self.assertTrue(outcome(by_set)[3], "open_key follows the status")

	def test_progress_on_an_open_row_past_due_makes_it_overdue(self):
		# The bug this engine closes: the set-wise progress sync turned such a row In Progress.
		user, course = make_user(), make_course(lessons=4)
		(name,) = create_assignments([course], [user], add_days(today(), 5)).created
		frappe.db.set_value(ASSIGNMENT, name, "due_date", add_days(today(), -1))  # the job has not run yet
		frappe.set_user(user)
		try:
			answer = mark_lesson_complete(course, course_lessons(course)[0].name)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(answer["status"], "Overdue")
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, name, ["status", "progress"]), ("Overdue", 25))

	def test_the_database_computes_the_same_open_key(self):
		user, course = "ünïcode.o'brien@example.com", "Sécurité-101"
		(sql_key,) = frappe.db.sql("select sha1(concat(%s, char(31), %s))", (user, course))[0]
		self.assertEqual(sql_key, open_key(user, course))

	def test_a_set_wise_refresh_returns_only_what_changed(self):
		names = stored_rows([("Pending", 0, 5), ("Pending", 0, -1), ("In Progress", 40, -1)])
		changed = refresh_statuses(DocType(ASSIGNMENT).name.isin(names))
		self.assertEqual(changed, {names[1]: "Overdue", names[2]: "Overdue"})
		self.assertEqual(refresh_statuses(DocType(ASSIGNMENT).name.isin(names)), {})
