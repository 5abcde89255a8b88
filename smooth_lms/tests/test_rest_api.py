"""The whitelisted methods over real HTTP, as Smooth HR calls them: a login session against the
bench's web server (the test command starts it and sets SMOOTH_LMS_TEST_URL)."""

import threading

import frappe
from frappe.utils import add_days, today

from smooth_lms.tests.factories import make_employee
from smooth_lms.tests.http import RestCase, base_url, login

METHOD = "/api/method/smooth_lms.lms.hrms_integration."


class TestAssignOverHttp(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.moderator = cls.user("Moderator")
		cls.student = cls.user("LMS Student")
		cls.hr = cls.user("HR Manager")
		cls.learners = [cls.user() for _ in range(3)]
		cls.published = cls.course()
		cls.draft = cls.course(published=0)
		frappe.db.commit()

	def post(self, session, **data):
		return session.post(base_url() + METHOD + "assign_mandatory_training", json=data, timeout=60)

	def test_moderator_assigns_and_gets_the_count(self):
		response = self.post(
			login(self.moderator),
			course=self.published,
			employees=self.learners,
			due_date=add_days(today(), 10),
		)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(response.json()["message"], 3)
		frappe.db.rollback()  # see the server's commit
		self.assertEqual(frappe.db.count("LMS Training Assignment", {"course": self.published}), 3)

	def test_refusals_carry_status_codes_and_messages(self):
		moderator = login(self.moderator)
		due = add_days(today(), 10)
		cases = [
			(
				login(self.student),
				dict(course=self.published, employees=self.learners, due_date=due),
				403,
				"Moderator",
			),
			(
				login(None),
				dict(course=self.published, employees=self.learners, due_date=due),
				403,
				"Moderator",
			),
			(
				login(self.hr),
				dict(course=self.published, employees=self.learners, due_date=due),
				403,
				"Moderator",
			),
			(
				moderator,
				dict(course="no-such-course", employees=self.learners, due_date=due),
				404,
				"does not exist",
			),
			(moderator, dict(course=self.draft, employees=self.learners, due_date=due), 417, "not published"),
			(
				moderator,
				dict(course=self.published, employees=self.learners, due_date=add_days(today(), -2)),
				417,
				"in the past",
			),
		]
		for session, data, status, message in cases:
			with self.subTest(status=status, message=message):
				response = self.post(session, **data)
				self.assertEqual(response.status_code, status, response.text)
				self.assertIn(message, response.text)
				self.assertNotIn(
					"Traceback", response.json().get("exception", "") + response.json().get("exc", "")
				)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("LMS Training Assignment", {"course": self.draft}), 0)

	def test_racing_requests_open_one_assignment(self):
		course = self.course()
		learner = self.user()
		frappe.db.commit()
		sessions = [login(self.moderator) for _ in range(4)]
		barrier = threading.Barrier(len(sessions))
		results = []
		due = add_days(today(), 5)  # frappe.local is not bound in the threads below

		def call(session):
			barrier.wait()
			response = self.post(session, course=course, employees=[learner], due_date=due)
			results.append((response.status_code, response.json().get("message")))

		threads = [threading.Thread(target=call, args=(s,)) for s in sessions]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(60)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.count(
				"LMS Training Assignment", {"course": course, "status": ("in", ["Pending", "In Progress"])}
			),
			1,
		)
		created = sum(message for code, message in results if code == 200)
		self.assertEqual(created, 1, results)


class TestReadsOverHttp(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.student = cls.user("LMS Student")
		cls.colleague = cls.user("LMS Student")
		cls.hr = cls.user("HR Manager")
		make_employee(cls.student, department="Finance")
		make_employee(cls.colleague, department="Legal")
		cls.first, cls.second = cls.course(), cls.course()
		from smooth_lms.lms.assignments.creation import create_assignments

		create_assignments([cls.first], [cls.student, cls.colleague], add_days(today(), 20))
		create_assignments([cls.second], [cls.student], add_days(today(), 4))
		frappe.db.commit()
		cls.mine = frappe.get_all("LMS Training Assignment", {"employee": cls.student}, pluck="name")
		cls.theirs = frappe.get_all("LMS Training Assignment", {"employee": cls.colleague}, pluck="name")

	def test_my_assignments(self):
		response = login(self.student).get(base_url() + METHOD + "get_my_training_assignments", timeout=30)
		self.assertEqual(response.status_code, 200, response.text)
		rows = response.json()["message"]
		self.assertEqual([r["course"] for r in rows], [self.second, self.first])
		self.assertEqual(rows[0]["due_date"], str(add_days(today(), 4)))
		self.assertEqual(rows[0]["status"], "Pending")
		self.assertEqual(rows[0]["progress"], 0)

	def test_my_assignments_refuse_guest(self):
		response = login(None).get(base_url() + METHOD + "get_my_training_assignments", timeout=30)
		self.assertEqual(response.status_code, 403)

	def test_team_status_for_hr_only(self):
		response = login(self.hr).get(
			base_url() + METHOD + "get_team_training_status", params={"department": "Finance"}, timeout=30
		)
		self.assertEqual(response.status_code, 200, response.text)
		body = response.json()["message"]
		self.assertEqual(set(body), {"summary", "rows"})
		self.assertEqual({r["department"] for r in body["rows"]}, {"Finance"})
		self.assertEqual(
			{r["employee"] for r in body["rows"] if r["course"] in (self.first, self.second)}, {self.student}
		)
		refused = login(self.student).get(base_url() + METHOD + "get_team_training_status", timeout=30)
		self.assertEqual(refused.status_code, 403)

	def test_student_sees_only_own_rows_over_rest(self):
		session = login(self.student)
		listing = session.get(
			base_url() + "/api/resource/LMS Training Assignment",
			params={"fields": '["name","employee"]', "limit_page_length": 0},
			timeout=30,
		)
		self.assertEqual(listing.status_code, 200, listing.text)
		self.assertEqual({row["employee"] for row in listing.json()["data"]}, {self.student})
		self.assertEqual(
			session.get(
				base_url() + f"/api/resource/LMS Training Assignment/{self.mine[0]}", timeout=30
			).status_code,
			200,
		)
		self.assertEqual(
			session.get(
				base_url() + f"/api/resource/LMS Training Assignment/{self.theirs[0]}", timeout=30
			).status_code,
			403,
		)
		enrollments = session.get(
			base_url() + "/api/resource/LMS Enrollment", params={"fields": '["member"]'}, timeout=30
		).json()["data"]
		self.assertEqual({row["member"] for row in enrollments}, {self.student})
