"""The guard of the whitelisted methods, called as Frappe calls them: caller first, then arguments."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from smooth_lms.lms.framework.guards import RETRIES, ConcurrentUpdateError, guarded
from smooth_lms.lms.hrms_integration import (
	assign_mandatory_training,
	get_my_training_assignments,
	get_team_training_status,
)
from smooth_lms.lms.learning.progress import mark_lesson_complete
from smooth_lms.lms.reporting.counts import get_compliance_counts
from smooth_lms.tests.factories import make_course, make_user

ATTEMPTS = []


@guarded(retry=True)
def always_deadlocks(note: str) -> None:
	"""A write that loses every lock race."""
	ATTEMPTS.append(note)
	raise frappe.QueryDeadlockError("Deadlock found when trying to get lock")


class TestRetries(FrappeTestCase):
	def setUp(self):
		ATTEMPTS.clear()
		self.addCleanup(setattr, frappe.local, "request", getattr(frappe.local, "request", None))

	def test_called_by_the_request_it_retries_and_then_asks_to_try_again(self):
		path = f"/api/method/{always_deadlocks.__module__}.always_deadlocks"
		frappe.local.request = Request(EnvironBuilder(path=path, method="POST").get_environ())
		with self.assertRaisesRegex(ConcurrentUpdateError, "try again"):
			always_deadlocks("x")
		self.assertEqual(len(ATTEMPTS), RETRIES)

	def test_called_inside_other_code_the_conflict_is_the_callers(self):
		# Another method of the request (or a job) calls it: retrying would roll back the caller's writes.
		frappe.local.request = Request(EnvironBuilder(path="/api/method/other.method").get_environ())
		todo = frappe.get_doc({"doctype": "ToDo", "description": "written before the call"}).insert()
		with self.assertRaises(frappe.QueryDeadlockError):
			always_deadlocks("x")
		self.assertEqual(len(ATTEMPTS), 1)
		self.assertTrue(frappe.db.exists("ToDo", todo.name), "the caller's write is not rolled back")
		frappe.local.request = None
		with self.assertRaises(frappe.QueryDeadlockError):
			always_deadlocks("y")


class TestGuard(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_guest_is_refused_before_its_arguments_are_read(self):
		frappe.set_user("Guest")
		for call in (
			lambda: assign_mandatory_training(),
			lambda: assign_mandatory_training(course=1, employees={}, due_date=1),
			lambda: mark_lesson_complete(course=None),
			lambda: get_team_training_status(department=[1]),
			lambda: get_my_training_assignments(),
			lambda: get_compliance_counts(course={"x": 1}),
		):
			with self.assertRaises(frappe.PermissionError):
				call()

	def test_missing_arguments_are_named(self):
		frappe.set_user(make_user("Moderator"))
		with self.assertRaisesRegex(frappe.MandatoryError, "Argument course is required"):
			assign_mandatory_training(employees=["a@example.com"], due_date=today())
		with self.assertRaisesRegex(frappe.MandatoryError, "Argument due_date is required"):
			assign_mandatory_training(course="x", employees=["a@example.com"])

	def test_wrong_types_are_named_with_what_is_accepted(self):
		frappe.set_user(make_user("Moderator"))
		cases = {
			"course": (dict(course=None, employees=[], due_date=today()), "must be text, not empty"),
			"employees": (
				dict(course="x", employees={}, due_date=today()),
				"must be a list or text, not an object",
			),
			"due_date": (dict(course="x", employees=[], due_date=1), "must be text or a date"),
		}
		for argument, (kwargs, message) in cases.items():
			with self.subTest(argument=argument), self.assertRaisesRegex(frappe.ValidationError, message):
				assign_mandatory_training(**kwargs)

	def test_a_valid_call_still_works_and_optional_arguments_stay_optional(self):
		frappe.set_user(make_user("Moderator"))
		learner = make_user()
		self.assertEqual(assign_mandatory_training(make_course(), [learner], add_days(today(), 3)), 1)
		self.assertIn("summary", get_team_training_status())
		self.assertIn("summary", get_team_training_status(department=None, course=None, status=None))

	def test_the_signature_frappe_sees_is_the_methods(self):
		# Frappe filters request arguments by the method's own parameters.
		self.assertEqual(
			list(frappe.get_newargs(assign_mandatory_training, {"course": 1, "cmd": 2, "employees": 3})),
			["course", "employees"],
		)
