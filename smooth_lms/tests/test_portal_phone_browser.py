"""The learner portal on a phone (390 x 844, an iPhone 12-14) and on a desktop: no page scrolls sideways
and course titles stay readable, for a learner with a realistic mix of training (long titles, overdue,
part-way, completed, a renewal) and for a manager's team.

The widths asserted are the browser's own layout, read from the page: the document is no wider than the
window (document.scrollingElement.scrollWidth <= clientWidth), and every title's box is wider than
PHONE_TITLE_MIN pixels — a title cut to its first letter and an ellipsis is about 30."""

import frappe
import pytest
from playwright.sync_api import expect

from smooth_lms.lms.validity.renewals import open_renewals
from smooth_lms.tests.browser import PortalCase
from smooth_lms.tests.factories import assign, complete_lessons, make_employee, make_overdue, store_completion

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PHONE_TITLE_MIN = 150  # px: a phone's row is about 290 px wide inside its card

SCROLL = "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
# Elements sticking out past the window's right edge, to say what scrolls when the check fails.
OVERFLOWING = """() => {
	const width = document.documentElement.clientWidth;
	return Array.from(document.querySelectorAll("body *"))
		.filter((el) => el.getBoundingClientRect().right > width + 0.5)
		.slice(0, 8)
		.map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
}"""


class TestOnAPhone(PortalCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.manager = cls.named_user("Sofia Lindqvist")
		cls.learner = cls.named_user("Mateo Alvarez-Fernández")
		manager_id = make_employee(cls.manager, "Operations")
		make_employee(cls.learner, "Operations", reports_to=manager_id)

		cls.security = cls.course(
			title="Information Security and Acceptable Use of Company Systems", is_mandatory=1, lessons=3
		)
		cls.safety = cls.course(title="Workplace Health and Safety Induction", is_mandatory=1, lessons=2)
		cls.forklift = cls.course(
			title="Forklift Operation", is_mandatory=1, lessons=1, validity_days=365, renewal_window_days=30
		)
		cls.privacy = cls.course(title="Data Protection", is_mandatory=1, lessons=2)
		cls.course(title="Presenting with Confidence", lessons=4)

		for course in (cls.security, cls.safety, cls.privacy):
			assign(cls.learner, course, due_in=14)
		make_overdue(cls.learner, cls.security, days=3)
		complete_lessons(cls.learner, cls.safety, 1)
		complete_lessons(cls.learner, cls.privacy, 2)
		# A completion inside its renewal window: its renewal is open beside it (two history rows).
		completion = assign(cls.learner, cls.forklift)
		store_completion(completion, 350, 365)
		open_renewals([cls.forklift])
		assign(cls.manager, cls.privacy)
		frappe.db.commit()

	def open(self, user: str, path: str, viewport: dict):
		page = self.page_as(user, **viewport)
		response = page.goto(path)
		self.assertEqual(response.status, 200, path)
		page.wait_for_load_state("networkidle")
		return page

	def assertNoSidewaysScroll(self, page, where: str):
		scroll_width, client_width = page.evaluate(SCROLL)
		self.assertLessEqual(scroll_width, client_width, f"{where}: {page.evaluate(OVERFLOWING)}")

	def assertReadable(self, titles, where: str, minimum: int = PHONE_TITLE_MIN):
		expect(titles.first).to_be_visible()
		for index in range(titles.count()):
			title = titles.nth(index)
			box = title.bounding_box()
			self.assertGreater(box["width"], minimum, f"{where}: {title.inner_text()!r} is {box['width']} px")
			# Its whole text shows: not cut to an ellipsis.
			self.assertLessEqual(title.evaluate("el => el.scrollWidth - el.clientWidth"), 1, where)

	def test_every_learner_page_fits_a_phone_and_a_desktop(self):
		pages = [
			(self.learner, "/lms"),
			(self.learner, "/lms/courses"),
			(self.learner, f"/lms/courses/{self.security}?lesson=2"),
			(self.learner, f"/lms/courses/{self.forklift}"),
			(self.learner, f"/lms/courses/{self.privacy}"),
			(self.learner, "/me"),
			(self.manager, "/lms/my-team"),
			(None, "/lms/courses"),
		]
		for viewport in (PHONE, DESKTOP):
			for user, path in pages:
				with self.subTest(width=viewport["width"], path=path, user=user):
					page = self.open(user, path, viewport)
					self.assertNoSidewaysScroll(page, path)
					self.assertEqual(page.js_errors, [])

	def test_home_and_catalogue_titles_are_readable_on_a_phone(self):
		for path in ("/lms", "/lms/courses"):
			with self.subTest(path=path):
				page = self.open(self.learner, path, PHONE)
				self.assertReadable(page.locator("#mandatory-training .lms-training-title"), path)
				row = self.training_row(page, self.security)
				expect(row.locator(".lms-status")).to_be_visible()
				expect(row.locator(".lms-due-hint")).to_have_text("3 days late")
		page = self.open(self.learner, "/lms/courses", PHONE)
		self.assertReadable(page.locator("#course-catalogue .lms-course-title"), "catalogue")
		page = self.open(self.learner, "/lms", PHONE)
		self.screenshot(page, "lms-home-phone")

	def test_the_course_page_and_its_history_read_on_a_phone(self):
		page = self.open(self.learner, f"/lms/courses/{self.forklift}", PHONE)
		self.assertReadable(page.locator(".lms-course-hero .lms-page-title"), "course title")
		history = page.locator("#lms-history .lms-history-row")
		expect(history).to_have_count(2)
		# Each attempt is a card of labelled lines, inside the window.
		for index in range(2):
			box = history.nth(index).bounding_box()
			self.assertLessEqual(box["x"] + box["width"], PHONE["width"])
		completed = history.nth(1).locator(".lms-history-completed")
		expect(completed).to_be_visible()
		self.assertEqual(
			completed.evaluate("el => getComputedStyle(el, '::before').content"), '"Completed On"'
		)
		page.locator(".lms-start-lesson").click()
		expect(page.locator("#lesson-1 .lms-mark-complete")).to_be_in_viewport()
		self.assertNoSidewaysScroll(page, "a lesson")
		self.screenshot(page, "course-page-phone")

	def test_my_team_reads_on_a_phone(self):
		page = self.open(self.manager, "/lms/my-team", PHONE)
		member = page.locator(".lms-member")
		expect(member).to_have_count(1)
		courses = member.locator(".lms-team-course")
		expect(courses.filter(has_text="Information Security and Acceptable Use")).to_have_count(1)
		self.assertReadable(courses, "my team", minimum=100)
		for index in range(courses.count()):
			box = courses.nth(index).bounding_box()
			self.assertLessEqual(box["x"] + box["width"], PHONE["width"])
