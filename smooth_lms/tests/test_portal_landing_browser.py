"""Where people land after signing in: a learner (a Website User whose only role is LMS Student) on the
portal's home /lms, with links back to it from Frappe's own pages (/me, the navbar's account menu) and
no "Switch To Desk" they could not use; desk users (HR Manager, Moderator) on the desk, as before.

Over HTTP (the login answer, / and /login for a signed-in user) and in headless Chromium through the
real login form."""

import re

import frappe
import pytest
from frappe.utils import add_days, today
from playwright.sync_api import expect

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import PASSWORD
from smooth_lms.tests.http import base_url, login

pytestmark = pytest.mark.browser


class LandingCase(BrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.learner = cls.user()  # no role: a Website User, then LMS Student from their assignment
		cls.hr = cls.user("HR Manager")
		cls.moderator = cls.user("Moderator")
		cls.fire = cls.course(title="Fire Safety Basics", is_mandatory=1, lessons=2)
		create_assignments([cls.fire], [cls.learner], add_days(today(), 10))
		frappe.db.commit()

	def sign_in(self, user: str, width: int = 1366, height: int = 900):
		"""A browser signed in through Frappe's login form, as a person does it."""
		page = self.page_as(None, width=width, height=height)
		page.goto("/login")
		page.locator("#login_email").fill(user)
		page.locator("#login_password").fill(PASSWORD)
		page.locator(".btn-login").first.click()
		return page

	def account_menu(self, page):
		page.locator("#website-post-login .nav-avatar").click()
		return page.locator("#website-post-login .dropdown-menu")


class TestLanding(LandingCase):
	def test_the_learner_is_a_website_user_with_only_lms_student(self):
		# What the rest of this file relies on: the learner cannot use the desk at all.
		self.assertEqual(frappe.db.get_value("User", self.learner, "user_type"), "Website User")
		self.assertEqual(
			set(frappe.get_roles(self.learner)) - {"All", "Guest"},
			{"LMS Student"},
		)

	def test_the_login_answer_sends_a_learner_to_the_portal_and_desk_users_to_the_desk(self):
		for user, home in ((self.learner, "/lms"), (self.hr, "/app"), (self.moderator, "/app")):
			with self.subTest(user=user):
				session = login(None)
				answer = session.post(
					base_url() + "/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=30
				).json()
				self.assertEqual(answer["home_page"], home)

	def test_a_signed_in_learner_opening_the_site_or_the_login_page_gets_the_portal(self):
		session = login(self.learner)
		page = session.get(base_url() + "/login", allow_redirects=False, timeout=30)
		self.assertIn(page.status_code, (301, 302, 303, 307, 308))
		self.assertEqual(page.headers["Location"].rstrip("/").rsplit("/", 1)[-1], "lms")
		root = session.get(base_url() + "/", timeout=30)
		self.assertEqual(root.status_code, 200)
		self.assertIn('id="mandatory-training"', root.text)
		self.assertIn(f'data-course="{self.fire}"', root.text)
		# A guest still gets the site's own home page, not the learner's portal.
		self.assertNotIn('id="mandatory-training"', login(None).get(base_url() + "/", timeout=30).text)

	def test_a_learner_signs_in_and_lands_on_the_portal(self):
		page = self.sign_in(self.learner)
		page.wait_for_url(re.compile(r"/lms$"))
		expect(page.locator(".lms-page-title")).to_have_text("My Learning")
		expect(
			page.locator(f'#mandatory-training .lms-training-row[data-course="{self.fire}"]')
		).to_be_visible()

		# The account menu: My Learning first, and no "Switch To Desk" (the desk refuses Website Users).
		menu = self.account_menu(page)
		expect(menu.locator("a.dropdown-item").first).to_have_text("My Learning")
		expect(menu.locator("a.dropdown-item").first).to_have_attribute("href", "/lms")
		expect(menu.locator(".switch-to-desk")).to_be_hidden()
		expect(menu.get_by_text("Switch To Desk")).to_be_hidden()
		self.assertEqual(page.js_errors, [])

	def test_my_account_links_back_to_the_portal(self):
		page = self.sign_in(self.learner)
		page.wait_for_url(re.compile(r"/lms$"))
		page.goto("/me")
		link = page.locator('.web-sidebar a[href="/lms"]')
		expect(link).to_have_text("My Learning")
		expect(self.account_menu(page).locator(".switch-to-desk")).to_be_hidden()
		link.click()
		page.wait_for_url(re.compile(r"/lms$"))
		expect(page.locator("#mandatory-training")).to_be_visible()
		self.assertEqual(page.js_errors, [])

	def test_on_a_phone_too(self):
		page = self.sign_in(self.learner, width=390, height=844)
		page.wait_for_url(re.compile(r"/lms$"))
		expect(page.locator("#mandatory-training .lms-training-title")).to_have_text("Fire Safety Basics")

	def test_desk_users_still_land_on_the_desk_and_may_switch_to_it_from_the_portal(self):
		for user in (self.hr, self.moderator):
			with self.subTest(user=user):
				page = self.sign_in(user)
				page.wait_for_url(re.compile(r"/app(/|$)"), timeout=60_000)
				expect(page.locator(".page-container:visible").first).to_be_visible(timeout=60_000)
				expect(page.get_by_text("Not Permitted")).to_have_count(0)

				page.goto("/lms")
				menu = self.account_menu(page)
				expect(menu.locator("a.dropdown-item").first).to_have_text("My Learning")
				switch = menu.locator(".switch-to-desk")
				expect(switch).to_be_visible()
				switch.click()
				page.wait_for_url(re.compile(r"/app(/|$)"))
				expect(page.get_by_text("Not Permitted")).to_have_count(0)
