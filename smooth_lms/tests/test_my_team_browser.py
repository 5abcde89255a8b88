"""/lms/my-team and /lms in a real browser: a manager follows their team's training and turns the overdue
digest on; a learner lands on their Mandatory Training. Writes docs/screenshots/my-team.png and
lms-home.png.

Data is committed (the web server reads it on its own connection) and removed by RestCase.tearDownClass
through the users and courses registered here, and by tearDownClass below (settings, preferences)."""

import re

import frappe
import pytest
from frappe.utils import add_days, formatdate, today
from playwright.sync_api import expect

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.doctypes import SETTINGS
from smooth_lms.lms.notifications.manager_digest import DIGEST_OPT_IN
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import PASSWORD, complete_lessons, make_employee, make_user, stored_settings
from smooth_lms.tests.hostile import HOSTILE, XSS_MARK

pytestmark = pytest.mark.browser

RED_500 = "rgb(224, 54, 54)"  # Frappe's --red-500: the left edge of a late row


def set_settings(**values) -> None:
	doc = frappe.get_single(SETTINGS)
	doc.update(values)
	doc.save(ignore_permissions=True)


def digest_choice(user: str) -> str | None:
	frappe.db.rollback()  # see what the server committed
	return frappe.db.get_value("DefaultValue", {"parent": user, "defkey": DIGEST_OPT_IN}, "defvalue")


class TeamCase(BrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.restore_settings = stored_settings()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.delete("DefaultValue", {"parent": ("in", cls.users or ["-"])})
		cls.restore_settings()
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def person(cls, full_name: str, department: str, reports_to: str | None = None, *roles: str):
		"""A user with a login and their Employee record. Returns (user, Employee ID)."""
		first, _space, last = full_name.partition(" ")
		user = make_user(*roles, password=PASSWORD, first_name=first)
		frappe.db.set_value("User", user, {"last_name": last, "full_name": full_name})
		cls.users.append(user)
		return user, make_employee(user, department, name=full_name, reports_to=reports_to)

	@classmethod
	def late(cls, user: str, course: str, days: int) -> None:
		name = frappe.db.get_value("LMS Training Assignment", {"employee": user, "course": course})
		frappe.db.set_value("LMS Training Assignment", name, "due_date", add_days(today(), -days))

	def member(self, page, user: str):
		return page.locator(f'#team-training .lms-member[data-employee="{user}"]')

	def assertNoJsErrors(self, page):
		self.assertEqual(page.js_errors, [])


class TestManagerFollowsTheirTeam(TeamCase):
	"""Maria manages three people in Sales; Noah, in the same department, is someone else's report."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(allow_manager_digests=1, manager_digest_frequency="Weekly (Monday)")
		cls.maria, maria_id = cls.person("Maria Lopez", "Sales")
		cls.ava, _ = cls.person("Ava Patel", "Sales", maria_id)
		cls.ben, _ = cls.person("Ben Okoro", "Sales", maria_id)
		cls.chloe, _ = cls.person("Chloe Martin", "Sales", maria_id)
		cls.omar, omar_id = cls.person("Omar Haddad", "Sales")
		cls.noah, _ = cls.person("Noah Fischer", "Sales", omar_id)

		cls.fire = cls.course(title="Fire Safety", lessons=4)
		cls.privacy = cls.course(title="Data Protection Essentials", lessons=2)
		cls.conduct = cls.course(title="Code of Conduct", lessons=3)
		cls.due = add_days(today(), 14)
		team = [cls.ava, cls.ben, cls.chloe]
		create_assignments([cls.fire, cls.privacy], [*team, cls.noah, cls.maria], cls.due)
		create_assignments([cls.conduct], [cls.ava, cls.chloe], add_days(today(), 5))
		complete_lessons(cls.ava, cls.fire, 4)
		complete_lessons(cls.ava, cls.privacy, 1)
		complete_lessons(cls.chloe, cls.conduct, 2)
		complete_lessons(cls.maria, cls.fire, 2)
		cls.late(cls.ben, cls.privacy, 4)
		cls.late(cls.noah, cls.fire, 2)
		mark_overdue_assignments()
		frappe.db.commit()

	def test_the_team_by_person_with_status_due_date_and_progress(self):
		page = self.page_as(self.maria)
		response = page.goto("/lms/my-team")
		self.assertEqual(response.status, 200)
		expect(page.locator("#team-training .lms-member")).to_have_count(3)
		expect(page.locator(".lms-member-name")).to_have_text(["Ava Patel", "Ben Okoro", "Chloe Martin"])
		expect(page.get_by_text("Noah Fischer")).to_have_count(0)  # Omar's report, not Maria's

		ben = self.member(page, self.ben)
		late = ben.locator(f'.lms-team-row[data-course="{self.privacy}"]')
		expect(late.locator(".lms-status")).to_have_text("Overdue")
		expect(late).to_have_class(re.compile(r"\bis-late\b"))
		expect(late.locator("td").first).to_have_css("box-shadow", re.compile(re.escape(RED_500)))
		expect(late.locator(".lms-due-date")).to_have_text(formatdate(add_days(today(), -4)))
		expect(late.locator(".lms-due-hint")).to_have_text("4 days late")
		expect(ben.locator(".lms-section-meta")).to_contain_text("1 overdue")

		ava = self.member(page, self.ava)
		done = ava.locator(f'.lms-team-row[data-course="{self.fire}"]')
		expect(done.locator(".lms-status")).to_have_text("Completed")
		expect(done.locator(".lms-progress-bar")).to_have_attribute("aria-valuenow", "100")
		going = ava.locator(f'.lms-team-row[data-course="{self.privacy}"]')
		expect(going.locator(".lms-status")).to_have_text("In Progress")
		expect(going.locator(".lms-progress-bar")).to_have_attribute("aria-valuenow", "50")
		expect(going.locator(".lms-due-date")).to_have_text(formatdate(self.due))
		expect(page.locator("#team-training > .lms-section-head .lms-section-meta")).to_contain_text(
			"3 people"
		)
		self.screenshot(page, "my-team")
		self.assertNoJsErrors(page)

	def test_the_manager_turns_the_digest_on_and_off(self):
		page = self.page_as(self.maria)
		page.goto("/lms/my-team")
		toggle = page.locator("#digest-toggle")
		expect(page.locator("#overdue-digest")).to_contain_text("Weekly (Monday)")
		expect(toggle).not_to_be_checked()
		page.locator("label[for=digest-toggle]").click()
		expect(page.locator("#digest-state")).to_have_text("On")
		expect(toggle).to_be_enabled()
		self.assertEqual(digest_choice(self.maria), "1")
		self.assertIsNone(digest_choice(self.omar))

		page.reload()
		expect(page.locator("#digest-toggle")).to_be_checked()
		page.locator("label[for=digest-toggle]").click()
		expect(page.locator("#digest-state")).to_have_text("Off")
		expect(page.locator("#digest-toggle")).to_be_enabled()
		self.assertEqual(digest_choice(self.maria), "0")
		self.assertNoJsErrors(page)

	def test_home_puts_the_managers_own_training_first_and_links_to_the_team(self):
		page = self.page_as(self.maria)
		response = page.goto("/lms")
		self.assertEqual(response.status, 200)
		rows = page.locator("#mandatory-training .lms-training-row")
		expect(rows).to_have_count(2)
		fire = page.locator(f'#mandatory-training .lms-training-row[data-course="{self.fire}"]')
		expect(fire.locator(".lms-status")).to_have_text("In Progress")
		expect(fire.locator(".lms-progress-bar")).to_have_attribute("aria-valuenow", "50")
		expect(page.locator("#link-statistics")).to_have_count(0)
		self.screenshot(page, "lms-home")
		page.locator("#link-my-team").click()
		expect(page).to_have_url(re.compile(r"/lms/my-team$"))
		expect(page.locator("#team-training .lms-member")).to_have_count(3)
		self.assertNoJsErrors(page)

	def test_a_learner_lands_on_their_training_and_has_no_team(self):
		page = self.page_as(self.noah)
		page.goto("/lms")
		row = page.locator(f'#mandatory-training .lms-training-row[data-course="{self.fire}"]')
		expect(row.locator(".lms-status")).to_have_text("Overdue")
		expect(row).to_have_css("border-left-color", RED_500)
		expect(page.locator("#link-my-team")).to_have_count(0)
		page.locator("#link-courses").click()
		expect(page).to_have_url(re.compile(r"/lms/courses$"))
		page.goto("/lms/my-team")
		expect(page.locator("#no-reports")).to_be_visible()
		expect(page.locator("#digest-toggle")).to_have_count(0)
		self.assertNoJsErrors(page)

	def test_a_guest_is_asked_to_log_in(self):
		page = self.page_as(None)
		for path in ("/lms", "/lms/my-team"):
			with self.subTest(path=path):
				response = page.goto(path)
				self.assertEqual(response.status, 200)
				prompt = page.locator(".lms-login-prompt")
				expect(prompt).to_be_visible()
				expect(prompt.locator("a")).to_have_attribute("href", f"/login?redirect-to={path}")
				expect(page.locator("#mandatory-training, #team-training")).to_have_count(0)
		self.assertNoJsErrors(page)


class TestHostileNamesOnMyTeam(TeamCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.manager, manager_id = cls.person("Hanna Weber", "Sales")
		cls.reports = []
		cls.keys = ("quote", "tag", "open_tag", "script")
		for key in cls.keys:
			user, employee = cls.person(f"Report {key}", "Sales", manager_id)
			frappe.db.set_value("Employee", employee, "employee_name", HOSTILE[key], update_modified=False)
			cls.reports.append(user)
		course = cls.course(title="Safe Title", lessons=1)
		create_assignments([course], cls.reports, add_days(today(), 3))
		frappe.db.commit()

	def test_names_are_shown_as_text(self):
		page = self.page_as(self.manager)
		page.goto("/lms/my-team")
		names = page.locator(".lms-member-name")
		expect(names).to_have_count(4)
		self.assertEqual(sorted(names.all_inner_texts()), sorted(HOSTILE[key] for key in self.keys))
		for bar in page.locator(".lms-progress").all():  # the name is in each bar's label too
			bar.hover()
		self.assertIsNone(page.evaluate(f"window.{XSS_MARK}"))
		self.assertNoJsErrors(page)
