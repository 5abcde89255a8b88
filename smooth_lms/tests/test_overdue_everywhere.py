"""Overdue means one thing: a row whose due date has passed is Overdue for every reader, whether or not
the daily job has stored it. One assignment is made late without the job (its stored status stays
Pending), then read the way each reader reads it: the REST methods' rows and summaries, the compliance
counts, a workspace card, both compliance reports, the portal's pages for the learner and their manager,
/lms/statistics, the learner's overdue email and the manager's digest."""

import html
import json
import re

import frappe
from frappe.defaults import set_user_default
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctypes import ASSIGNMENT, SETTINGS
from smooth_lms.lms.notifications.learner_emails import send_training_reminders
from smooth_lms.lms.notifications.manager_digest import DIGEST_OPT_IN, send_overdue_digests
from smooth_lms.tests.emails import queued_emails, use_outgoing_email_account
from smooth_lms.tests.factories import make_employee, stored_settings, unique
from smooth_lms.tests.http import RestCase, base_url, login

METHOD = "/api/method/smooth_lms.lms."


class TestOverdueIsOverdueForEveryReader(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.department = unique("Overdue Dept")
		cls.hr, cls.manager, cls.learner = cls.user("HR Manager"), cls.user(), cls.user("LMS Student")
		manager_id = make_employee(cls.manager, cls.department)
		make_employee(cls.learner, cls.department, reports_to=manager_id)
		cls.course = cls.course(is_mandatory=1, mandatory_for=[{"department": cls.department}])
		(cls.assignment,) = create_assignments([cls.course], [cls.learner], add_days(today(), 5)).created
		# Late by a day, as if the daily job had not run yet: the stored status is still Pending.
		frappe.db.set_value(ASSIGNMENT, cls.assignment, "due_date", add_days(today(), -1))
		cls.restore_settings = stored_settings()
		frappe.db.set_single_value(SETTINGS, {"allow_manager_digests": 1, "send_overdue_emails": 1})
		set_user_default(DIGEST_OPT_IN, "1", cls.manager)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		cls.restore_settings()
		frappe.db.delete("DefaultValue", {"parent": cls.manager})
		frappe.db.commit()
		super().tearDownClass()

	def test_the_row_is_stored_pending(self):
		# What makes the rest meaningful: nothing here reads a stored Overdue.
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, self.assignment, "status"), "Pending")

	def call(self, user: str, method: str, **params):
		response = login(user).get(base_url() + METHOD + method, params=params, timeout=60)
		self.assertEqual(response.status_code, 200, response.text[:300])
		return response.json()["message"]

	def page(self, user: str, path: str) -> str:
		response = login(user).get(base_url() + path, timeout=60)
		self.assertEqual(response.status_code, 200, response.text[:300])
		return response.text

	def test_the_learners_own_rows(self):
		rows = self.call(self.learner, "hrms_integration.get_my_training_assignments")
		(row,) = [row for row in rows if row["name"] == self.assignment]
		self.assertEqual(row["status"], "Overdue")

	def test_team_status_rows_and_summary(self):
		answer = self.call(self.hr, "hrms_integration.get_team_training_status", department=self.department)
		self.assertEqual([row["status"] for row in answer["rows"]], ["Overdue"])
		self.assertEqual((answer["summary"]["overdue"], answer["summary"]["pending"]), (1, 0))
		filtered = self.call(
			self.hr, "hrms_integration.get_team_training_status", department=self.department, status="Overdue"
		)
		self.assertEqual(len(filtered["rows"]), 1)
		pending = self.call(
			self.hr, "hrms_integration.get_team_training_status", department=self.department, status="Pending"
		)
		self.assertEqual(pending["rows"], [])

	def test_compliance_counts_and_the_overdue_card(self):
		counts = self.call(self.hr, "reporting.counts.get_compliance_counts", course=self.course)
		self.assertEqual((counts["overdue"], counts["pending"]), (1, 0))
		everyone = self.call(self.hr, "reporting.counts.get_compliance_counts")
		card = self.call(self.hr, "reporting.cards.overdue_trainings")
		self.assertEqual(card["value"], everyone["overdue"])
		self.assertGreaterEqual(card["value"], 1)

	def test_both_compliance_reports(self):
		session = login(self.hr)

		def report(name: str, filters: dict) -> dict:
			response = session.get(
				base_url() + "/api/method/frappe.desk.query_report.run",
				params={"report_name": name, "filters": json.dumps(filters), "ignore_prepared_report": 1},
				timeout=60,
			)
			self.assertEqual(response.status_code, 200, response.text[:300])
			return response.json()["message"]

		compliance = report("Mandatory Training Compliance", {"course": self.course})
		(row,) = compliance["result"]
		self.assertEqual((row["overdue"], row["pending"]), (1, 0))
		matrix = report("Compliance Matrix", {"course": self.course, "department": self.department})
		(person,) = [row for row in matrix["result"] if row.get("user_id") == self.learner]
		self.assertEqual(list(person["states"].values()), ["Overdue"])

	def test_statistics_page(self):
		page = self.page(self.hr, "/lms/statistics")
		row = re.search(rf'<tr data-course="{re.escape(self.course)}">(.*?)</tr>', page, re.S).group(1)
		cells = [
			re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
		]
		assigned, completed, in_progress, pending, overdue = cells[1:6]
		self.assertEqual((assigned, pending, overdue), ("1", "0", "1"))

	def test_the_learners_portal_pages(self):
		for path in ("/lms", "/lms/courses", f"/lms/courses/{self.course}"):
			with self.subTest(path=path):
				page = self.page(self.learner, path)
				self.assertIn('data-status="Overdue"', page)
				self.assertNotIn('data-status="Pending"', page)

	def test_the_managers_team_page(self):
		page = self.page(self.manager, "/lms/my-team")
		row = re.search(rf'<tr[^>]*data-assignment="{self.assignment}"[^>]*>', page).group(0)
		self.assertIn('data-status="Overdue"', row)
		self.assertIn("is-late", row)
		answer = self.call(self.manager, "portal.team.get_my_team_training")
		self.assertEqual(answer["summary"]["overdue"], 1)

	def test_the_learners_overdue_email_and_the_managers_digest(self):
		frappe.db.savepoint("emails")
		try:
			use_outgoing_email_account()
			self.assertGreaterEqual(send_training_reminders()["overdue"], 1)
			self.assertIn(
				"Training overdue", " ".join(subject for subject, _body in queued_emails(self.learner))
			)
			self.assertGreaterEqual(send_overdue_digests()["rows"], 1)
			(digest,) = [
				body for subject, body in queued_emails(self.manager) if "Overdue training" in subject
			]
			self.assertIn(
				frappe.db.get_value(ASSIGNMENT, self.assignment, "course_title"), html.unescape(digest)
			)
		finally:
			frappe.db.rollback(save_point="emails")
