"""Validity on the learner portal in a real browser (headless Chromium): the Mandatory Training list with
a line in each state, the certificate downloaded from it, the course page's "Your history", a renewal
finished on the course page, and hostile titles shown as text. The picture in the README:
docs/screenshots/portal-validity.png.

Data is committed (the web server reads it on its own connection) and removed by RestCase.tearDownClass
through the users and courses registered here."""

import re

import frappe
import pytest
from frappe.utils import formatdate, today
from playwright.sync_api import expect

from smooth_lms.lms.validity.renewals import open_renewals
from smooth_lms.tests.browser import RED_500, PortalCase
from smooth_lms.tests.factories import ASSIGNMENT, assign, d, store_completion
from smooth_lms.tests.hostile import FIND_INJECTED, HOSTILE, XSS_MARK, make_hostile_course

pytestmark = pytest.mark.browser

RED_700 = "rgb(181, 42, 42)"  # Frappe's --red-700: the text of an "Expired" badge


class ValidityBrowserCase(PortalCase):
	@classmethod
	def mandatory(cls, title: str, validity: int = 365, lessons: int = 2) -> str:
		return cls.course(
			title=title, is_mandatory=1, validity_days=validity, renewal_window_days=30, lessons=lessons
		)

	def assertClean(self, page):
		found = page.evaluate(FIND_INJECTED, XSS_MARK)
		self.assertEqual(found["injected"], [])
		self.assertIsNone(found["ran"], "a payload ran")
		self.assertNoJsErrors(page)


class TestTheListAndTheHistory(ValidityBrowserCase):
	"""One learner with a course in every state."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.learner = cls.named_user("Sofia Marin")
		mandatory = cls.mandatory
		cls.first_aid = mandatory("First Aid at Work")
		cls.fire = mandatory("Fire Safety")
		cls.security = mandatory("Information Security Basics")
		cls.conduct = mandatory("Code of Conduct", validity=0)
		cls.forklift = mandatory("Forklift Operation")
		cls.privacy = mandatory("Data Protection")
		cls.done = {}
		for course, days_ago, valid_for in (
			(cls.first_aid, 40, 365),  # valid until today + 325
			(cls.fire, 353, 365),  # expires in 12 days
			(cls.security, 372, 365),  # expired a week ago
			(cls.conduct, 90, None),  # never expires
			(cls.forklift, 347, 365),  # expires in 18 days: its renewal is open
			(cls.privacy, 420, 365),  # expired, then renewed below
		):
			cls.done[course] = assign(cls.learner, course)
			store_completion(cls.done[course], days_ago, valid_for)
		cls.first_privacy = cls.done[cls.privacy]
		cls.done[cls.privacy] = assign(cls.learner, cls.privacy)
		store_completion(cls.done[cls.privacy], 20, 365, renewal_of=cls.first_privacy)
		open_renewals([cls.forklift])
		cls.renewal = frappe.db.get_value(ASSIGNMENT, {"renewal_of": cls.done[cls.forklift]})
		frappe.db.commit()

	def test_each_line_says_how_long_it_counts(self):
		page = self.page_as(self.learner)
		page.goto("/lms/courses")
		expect(page.locator("#mandatory-training .lms-training-row")).to_have_count(6)  # one per course
		expected = {
			self.first_aid: (f"Valid until {formatdate(d(325))}", None),
			self.fire: (f"Valid until {formatdate(d(12))}", "Expires in 12 days"),
			self.security: (f"Valid until {formatdate(d(-7))}", "Expired"),
			self.conduct: ("Does not expire", None),
			self.forklift: (f"Valid until {formatdate(d(18))}", "Expires in 18 days"),
			self.privacy: (f"Valid until {formatdate(d(345))}", None),
		}
		for course, (text, badge) in expected.items():
			with self.subTest(course=course):
				row = self.training_row(page, course)
				expect(row.locator(".lms-validity-text")).to_have_text(text)
				if badge:
					expect(row.locator(".lms-validity-badge")).to_have_text(badge)
				else:
					expect(row.locator(".lms-validity-badge")).to_have_count(0)

		expired = self.training_row(page, self.security)
		expect(expired).to_have_css("border-left-color", RED_500)
		expect(expired.locator(".lms-validity-badge")).to_have_css("color", RED_700)
		expect(self.training_row(page, self.privacy)).not_to_contain_text("Expired")
		expect(self.training_row(page, self.privacy).locator(".lms-earlier-attempts")).to_have_text(
			"1 earlier attempt"
		)

		renewal = self.training_row(page, self.forklift)
		expect(renewal.locator(".lms-status")).to_have_text("Pending")
		expect(renewal.locator(".lms-due-caption")).to_have_text("Renew by")
		expect(renewal.locator(".lms-due-date")).to_have_text(formatdate(d(18)))
		expect(renewal.locator(".lms-certificate")).to_have_count(0)
		expect(page.locator("#mandatory-training .lms-certificate")).to_have_count(5)

		page.wait_for_load_state("networkidle")
		page.locator("#mandatory-training").scroll_into_view_if_needed()
		self.screenshot(page, "portal-validity")
		self.assertClean(page)

	def test_the_certificate_downloads_and_the_rest_of_the_line_opens_the_course(self):
		page = self.page_as(self.learner)
		page.goto("/lms/courses")
		row = self.training_row(page, self.fire)
		with page.expect_download() as download:
			row.locator(".lms-certificate").click()
		self.assertEqual(download.value.suggested_filename, f"certificate-{self.done[self.fire]}.pdf")
		with open(download.value.path(), "rb") as pdf:
			self.assertEqual(pdf.read(4), b"%PDF")
		expect(page).to_have_url(re.compile(r"/lms/courses$"))

		# Anywhere else on the line opens the course (the title's link covers the line), as a pointer does.
		box = row.locator(".lms-validity-text").bounding_box()
		page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
		expect(page).to_have_url(re.compile(rf"/lms/courses/{self.fire}$"))
		self.assertNoJsErrors(page)

	def test_the_history_card(self):
		page = self.page_as(self.learner)
		page.goto(f"/lms/courses/{self.privacy}")
		history = page.locator("#lms-history")
		expect(history.locator(".lms-card-title")).to_have_text("Your history")
		rows = history.locator(".lms-history-row")
		expect(rows).to_have_count(2)
		latest, first = rows.nth(0), rows.nth(1)
		expect(latest).to_have_attribute("data-assignment", self.done[self.privacy])
		expect(latest.locator(".lms-history-renewal")).to_have_text(
			f"Renews the completion of {formatdate(d(-420))}"
		)
		expect(latest.locator(".lms-history-validity")).to_have_text(formatdate(d(345)))
		expect(first.locator(".lms-history-validity .lms-validity-badge")).to_have_text("Renewed")
		expect(history).not_to_contain_text("Expired")
		for row in (latest, first):
			expect(row.locator(".lms-history-source")).to_have_text("LMS")
			expect(row.locator(".lms-history-assigned")).to_have_text(formatdate(today()))
			expect(row.locator(".lms-certificate")).to_be_visible()

		page.goto(f"/lms/courses/{self.forklift}")
		card = page.locator(".lms-assignment-card")
		expect(card.locator(".lms-due-caption")).to_have_text("Renew by")
		expect(card.locator(".lms-validity-badge")).to_have_text("Expires in 18 days")
		rows = page.locator("#lms-history .lms-history-row")
		expect(rows.locator(".lms-status")).to_have_text(["Pending", "Completed"])
		expect(rows.nth(0).locator(".lms-certificate")).to_have_count(0)
		self.assertClean(page)


class TestFinishingARenewal(ValidityBrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.learner = cls.named_user("Tomas Berg")
		cls.ladder = cls.mandatory("Ladder Safety", lessons=1)
		cls.completion = assign(cls.learner, cls.ladder)
		store_completion(cls.completion, 350, 365)
		open_renewals([cls.ladder])
		cls.renewal = frappe.db.get_value(ASSIGNMENT, {"renewal_of": cls.completion})
		frappe.db.commit()

	def test_the_certificate_appears_when_the_last_lesson_is_done(self):
		page = self.page_as(self.learner)
		page.goto(f"/lms/courses/{self.ladder}?lesson=1")
		card = page.locator(".lms-assignment-card")
		expect(card.locator(".lms-certificate")).to_have_count(0)
		page.locator("#lesson-1 .lms-mark-complete").click()
		expect(card.locator(".lms-status")).to_have_text("Completed")
		expect(card.locator(".lms-certificate")).to_have_attribute(
			"href", f"/api/method/smooth_lms.lms.certificates.download_certificate?assignment={self.renewal}"
		)
		attempt = page.locator(f'#lms-history .lms-history-row[data-assignment="{self.renewal}"]')
		expect(attempt.locator(".lms-status")).to_have_text("Completed")
		expect(attempt.locator(".lms-certificate")).to_be_visible()
		# Without a reload: the new completion's validity, and the one it renewed now says so.
		expect(card.locator(".lms-validity-text")).to_have_text(f"Valid until {formatdate(d(365))}")
		expect(attempt.locator(".lms-history-completed")).to_have_text(formatdate(today()))
		expect(attempt.locator(".lms-history-validity")).to_have_text(formatdate(d(365)))
		renewed = page.locator(f'#lms-history .lms-history-row[data-assignment="{self.completion}"]')
		expect(renewed.locator(".lms-validity-badge")).to_have_text("Renewed")
		expect(page.locator(".lms-start-lesson")).to_have_text("Review")

		page.reload()  # the same, from the server
		expect(card.locator(".lms-validity-text")).to_have_text(f"Valid until {formatdate(d(365))}")
		expect(page.locator("#lms-history .lms-history-row")).to_have_count(2)
		self.assertClean(page)


class TestHostileTitles(ValidityBrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.learner = cls.user()
		cls.hostile = {}
		for key, payload in HOSTILE.items():
			course = make_hostile_course(
				payload, raw=key == "tag", is_mandatory=1, validity_days=365, renewal_window_days=30
			)
			cls.courses.append(course)
			cls.hostile[course] = assign(cls.learner, course)
			store_completion(cls.hostile[course], 360, 365)  # expiring soon: every part of the line is shown
		frappe.db.commit()

	def test_titles_are_text_in_the_list_and_the_history(self):
		page = self.page_as(self.learner)
		page.goto("/lms/courses")
		for course in self.hostile:
			title = frappe.db.get_value("LMS Course", course, "title")
			row = self.training_row(page, course)
			expect(row.locator(".lms-training-title")).to_have_text(title)
			expect(row.locator(".lms-certificate")).to_have_attribute(
				"aria-label", f"Certificate of {title} (PDF)"
			)
			row.locator(".lms-certificate").hover()
		self.assertClean(page)
		for course in self.hostile:
			with self.subTest(course=course):
				page.goto(f"/lms/courses/{course}")
				expect(page.locator("#lms-history .lms-history-row")).to_have_count(1)
				page.locator("#lms-history .lms-certificate").hover()
				self.assertClean(page)
