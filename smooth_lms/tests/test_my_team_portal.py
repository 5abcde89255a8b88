"""/lms/my-team and /lms over real HTTP with login sessions: a manager sees their direct reports' training
and nobody else's, a learner who manages nobody is told so, a guest is asked to log in; stored text
reads as text; the digest switch is the session user's own.

Data is committed (the web server reads it on its own connection) and removed in tearDownClass."""

import re

import frappe
from frappe.utils import add_days, formatdate, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctypes import SETTINGS
from smooth_lms.lms.notifications.manager_digest import DIGEST_OPT_IN
from smooth_lms.tests.factories import complete_lessons, make_employee, store_raw, stored_settings
from smooth_lms.tests.hostile import HOSTILE, Markup, make_hostile_course
from smooth_lms.tests.http import RestCase, base_url, login

METHOD = "/api/method/smooth_lms.lms."


def set_settings(**values) -> None:
	doc = frappe.get_single(SETTINGS)
	doc.update(values)
	doc.save(ignore_permissions=True)
	frappe.db.commit()


class TestMyTeamOverHttp(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.restore_settings = stored_settings()
		cls.manager, cls.colleague = cls.user(), cls.user()
		cls.report, cls.hostile_report, cls.other_report = cls.user(), cls.user(), cls.user()
		cls.learner, cls.hr = cls.user(), cls.user("HR Manager")
		manager_id = make_employee(cls.manager, "Sales", name="Maria Manager")
		colleague_id = make_employee(cls.colleague, "Sales", name="Nils Colleague")
		make_employee(cls.report, "Sales", name="Ben Report", reports_to=manager_id)
		cls.hostile_id = make_employee(cls.hostile_report, "Sales", name="Hostile", reports_to=manager_id)
		store_raw("Employee", cls.hostile_id, {"employee_name": HOSTILE["quote"]})
		make_employee(cls.other_report, "Sales", name="Dan Other", reports_to=colleague_id)
		make_employee(cls.learner, "Operations", name="Lena Learner")

		cls.safety = cls.course(title=f"Site Safety {frappe.generate_hash(length=4)}", lessons=2)
		cls.hostile_course = make_hostile_course(HOSTILE["tag"], raw=True)
		cls.courses.append(cls.hostile_course)
		cls.due = add_days(today(), 12)
		everyone = [cls.manager, cls.colleague, cls.report, cls.hostile_report, cls.other_report, cls.learner]
		create_assignments([cls.safety], everyone, cls.due)
		create_assignments([cls.hostile_course], [cls.hostile_report], cls.due)
		complete_lessons(cls.report, cls.safety, 1)
		frappe.db.commit()
		cls.sessions = {user: login(user) for user in (cls.manager, cls.colleague, cls.learner, cls.hr)}
		cls.sessions["Guest"] = login(None)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.delete("DefaultValue", {"parent": ("in", cls.users)})
		cls.restore_settings()
		super().tearDownClass()

	def get(self, user: str, path: str, **params):
		return self.sessions[user].get(base_url() + path, params=params, timeout=30)

	def people_on_page(self, html: str) -> set[str]:
		return set(re.findall(r'class="lms-card lms-member" data-employee="([^"]+)"', html))

	# --- /lms/my-team -----------------------------------------------------------------------------

	def test_a_manager_sees_each_direct_report_with_course_status_due_date_and_progress(self):
		response = self.get(self.manager, "/lms/my-team")
		self.assertEqual(response.status_code, 200)
		html = response.text
		self.assertEqual(self.people_on_page(html), {self.report, self.hostile_report})
		self.assertIn("Ben Report", html)
		title = frappe.db.get_value("LMS Course", self.safety, "title")
		self.assertIn(title, html)
		self.assertIn(formatdate(self.due), html)
		self.assertIn('class="lms-status lms-status--in-progress"', html)  # Ben's row: 1 of 2 lessons
		self.assertIn('aria-valuenow="50"', html)
		for other in ("Dan Other", "Nils Colleague", "Lena Learner", "Maria Manager"):
			self.assertNotIn(other, html)

	def test_stored_text_reads_as_text(self):
		html = self.get(self.manager, "/lms/my-team").text
		page = Markup(html)
		self.assertEqual(page.injected, [])
		self.assertIn(HOSTILE["quote"], page.text)  # the employee's name, whole
		self.assertIn(" ".join(HOSTILE["tag"].split()), page.text)  # the course title, whole

	def test_someone_who_manages_nobody_is_told_so(self):
		for user in (self.learner, self.hr):
			with self.subTest(user=user):
				response = self.get(user, "/lms/my-team")
				self.assertEqual(response.status_code, 200)
				self.assertIn('id="no-reports"', response.text)
				self.assertEqual(self.people_on_page(response.text), set())

	def test_a_guest_is_asked_to_log_in(self):
		response = self.get("Guest", "/lms/my-team")
		self.assertEqual(response.status_code, 200)
		self.assertIn('href="/login?redirect-to=/lms/my-team"', response.text)
		self.assertEqual(self.people_on_page(response.text), set())
		self.assertNotIn("Ben Report", response.text)

	# --- the whitelisted method ----------------------------------------------------------------------

	def test_the_method_answers_the_session_users_team_only(self):
		answer = self.get(self.manager, METHOD + "portal.team.get_my_team_training").json()["message"]
		self.assertEqual({row["employee"] for row in answer["reports"]}, {self.report, self.hostile_report})
		self.assertEqual({row["employee"] for row in answer["rows"]}, {self.report, self.hostile_report})
		# An argument naming someone else is not one the method takes: still the caller's own team.
		other = self.get(
			self.colleague, METHOD + "portal.team.get_my_team_training", manager_user=self.manager
		)
		self.assertEqual({row["employee"] for row in other.json()["message"]["rows"]}, {self.other_report})
		nobody = self.get(self.learner, METHOD + "portal.team.get_my_team_training").json()["message"]
		self.assertEqual((nobody["reports"], nobody["rows"]), ([], []))

	def test_a_guest_gets_403(self):
		response = self.get("Guest", METHOD + "portal.team.get_my_team_training")
		self.assertEqual(response.status_code, 403)
		self.assertNotIn("Ben Report", response.text)

	# --- the digest switch ---------------------------------------------------------------------------

	def test_the_switch_shows_only_when_hr_allows_digests_and_stores_the_users_own_choice(self):
		set_settings(allow_manager_digests=0)
		self.assertNotIn('id="digest-toggle"', self.get(self.manager, "/lms/my-team").text)

		set_settings(allow_manager_digests=1, manager_digest_frequency="Daily")
		html = self.get(self.manager, "/lms/my-team").text
		self.assertRegex(html, r'id="digest-toggle"\s*>')  # shown, not checked

		session = self.sessions[self.colleague]
		response = session.post(
			base_url() + METHOD + "notifications.manager_digest.set_overdue_digest",
			data={"enabled": 1},
			headers={"X-Frappe-CSRF-Token": self.csrf_token(self.colleague)},
			timeout=30,
		)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(response.json()["message"]["enabled"], True)
		frappe.db.rollback()  # see what the server committed
		self.assertEqual(
			frappe.db.get_value(
				"DefaultValue", {"parent": self.colleague, "defkey": DIGEST_OPT_IN}, "defvalue"
			),
			"1",
		)
		self.assertIsNone(
			frappe.db.get_value("DefaultValue", {"parent": self.manager, "defkey": DIGEST_OPT_IN})
		)
		self.assertRegex(self.get(self.colleague, "/lms/my-team").text, r'id="digest-toggle"\s+checked')

		guest = self.sessions["Guest"].post(
			base_url() + METHOD + "notifications.manager_digest.set_overdue_digest", data={"enabled": 1}
		)
		self.assertEqual(guest.status_code, 403)

	def csrf_token(self, user: str) -> str:
		"""The session's CSRF token, as a page carries it for its scripts."""
		html = self.get(user, "/lms/my-team").text
		return re.search(r'csrf_token\s*=\s*"([^"]+)"', html).group(1)

	# --- /lms ----------------------------------------------------------------------------------------

	def test_home_shows_the_learners_mandatory_training_first(self):
		response = self.get(self.learner, "/lms")
		self.assertEqual(response.status_code, 200)
		html = response.text
		self.assertIn('id="mandatory-training"', html)
		self.assertIn(f'data-course="{self.safety}"', html)
		self.assertIn('class="lms-progress"', html)
		self.assertLess(html.index('id="mandatory-training"'), html.index('id="link-courses"'))
		self.assertNotIn('id="link-my-team"', html)
		self.assertNotIn('id="link-statistics"', html)
		self.assertNotIn(self.hostile_course, html)  # someone else's training

	def test_home_links_a_manager_to_their_team_and_hr_to_statistics(self):
		html = self.get(self.manager, "/lms").text
		self.assertIn('href="/lms/my-team"', html)
		self.assertIn(f'data-course="{self.safety}"', html)  # their own training still comes first
		self.assertIn('href="/lms/statistics"', self.get(self.hr, "/lms").text)

	def test_home_asks_a_guest_to_log_in(self):
		response = self.get("Guest", "/lms")
		self.assertEqual(response.status_code, 200)
		self.assertIn('href="/login?redirect-to=/lms"', response.text)
		self.assertNotIn('id="mandatory-training"', response.text)
		self.assertIn('href="/lms/courses"', response.text)
