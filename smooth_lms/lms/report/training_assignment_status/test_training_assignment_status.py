"""Training Assignment Status: one row per assignment as the compliance counts count it — the status every
reader shows (late without the daily job: Overdue), leavers left out unless asked for — and who may run it."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.report.training_assignment_status.training_assignment_status import execute
from smooth_lms.lms.reporting.counts import compliance_counts
from smooth_lms.tests.factories import complete_course, make_course, make_employee, make_user, unique
from smooth_lms.tests.http import RestCase, base_url, login

REPORT = "Training Assignment Status"
ASSIGNMENT = "LMS Training Assignment"
SUMMARY = ("Assigned", "Completed", "Overdue", "In Progress", "Pending")


class TestTrainingAssignmentStatus(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.department = unique("Status Dept")
		self.course = make_course()
		self.people = {key: make_user() for key in ("late", "pending", "leaver")}
		for user in self.people.values():
			make_employee(user, department=self.department)
		create_assignments([self.course], list(self.people.values()), add_days(today(), 10))
		for key in ("late", "leaver"):  # late without the daily job: stored Pending
			frappe.db.set_value(ASSIGNMENT, {"employee": self.people[key]}, "due_date", add_days(today(), -2))
		frappe.db.set_value("Employee", {"user_id": self.people["leaver"]}, "status", "Left")
		frappe.set_user(make_user("HR Manager"))

	def run_report(self, **filters):
		columns, rows, _message, _chart, summary = execute(filters)
		return columns, rows, {item["label"]: item["value"] for item in summary}

	def test_rows_by_the_status_every_reader_shows(self):
		_columns, rows, summary = self.run_report(course=self.course, status="Overdue")
		self.assertEqual([row["employee"] for row in rows], [self.people["late"]])
		self.assertEqual(rows[0]["status"], "Overdue")
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, rows[0]["assignment"], "status"), "Pending")
		self.assertEqual(summary, dict(zip(SUMMARY, (1, 0, 1, 0, 0), strict=True)))

		_columns, rows, _summary = self.run_report(course=self.course, status="Pending")
		self.assertEqual([row["employee"] for row in rows], [self.people["pending"]])

	def test_leavers_only_when_asked(self):
		_columns, rows, summary = self.run_report(course=self.course)
		self.assertEqual({row["employee"] for row in rows}, {self.people["late"], self.people["pending"]})
		self.assertEqual(summary["Assigned"], compliance_counts(self.course)["assigned"])
		_columns, rows, summary = self.run_report(course=self.course, include_leavers=1, status="Overdue")
		self.assertEqual({row["employee"] for row in rows}, {self.people["late"], self.people["leaver"]})
		self.assertEqual(summary["Overdue"], compliance_counts(self.course, include_leavers=True)["overdue"])

	def test_department_filter_and_columns(self):
		columns, rows, _summary = self.run_report(department=self.department)
		self.assertEqual(len(rows), 2)
		self.assertEqual({row["department"] for row in rows}, {self.department})
		self.assertEqual(
			[column["fieldname"] for column in columns][:6],
			["employee", "employee_name", "department", "course_title", "status", "due_date"],
		)

	def test_a_completion_shows_the_course_version_completed(self):
		frappe.set_user("Administrator")
		frappe.db.set_value("LMS Course", self.course, "version", "2027.1")
		complete_course(self.people["pending"], self.course)
		frappe.set_user(make_user("HR Manager"))
		columns, rows, _summary = self.run_report(course=self.course)
		self.assertIn("course_version", [column["fieldname"] for column in columns])
		versions = {row["employee"]: row["course_version"] for row in rows}
		self.assertEqual(versions, {self.people["pending"]: "2027.1", self.people["late"]: None})

	def test_an_unknown_status_or_a_filter_that_is_not_text_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			execute({"status": "Late"})
		with self.assertRaises(frappe.ValidationError):
			execute({"course": ["x"]})

	def test_learners_are_refused(self):
		frappe.set_user(make_user("LMS Student"))
		with self.assertRaises(frappe.PermissionError):
			execute({})


class TestTrainingAssignmentStatusOverHttp(RestCase):
	"""As the desk runs it: frappe.desk.query_report.run, from a login session."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr, cls.moderator, cls.learner = (
			cls.user("HR Manager"),
			cls.user("Moderator"),
			cls.user("LMS Student"),
		)
		frappe.db.commit()

	def run_as(self, user: str | None, filters: dict):
		return login(user).get(
			base_url() + "/api/method/frappe.desk.query_report.run",
			params={"report_name": REPORT, "filters": json.dumps(filters), "ignore_prepared_report": 1},
			timeout=60,
		)

	def test_viewers_run_it_others_are_refused(self):
		frappe.db.rollback()  # see what is committed
		for user in (self.hr, self.moderator):
			response = self.run_as(user, {"status": "Overdue"})
			self.assertEqual(response.status_code, 200, response.text[:300])
			message = response.json()["message"]
			self.assertEqual(len(message["result"]), compliance_counts()["overdue"])
		for user in (self.learner, None):
			self.assertEqual(self.run_as(user, {}).status_code, 403)
