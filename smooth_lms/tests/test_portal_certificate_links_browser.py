"""A learner's certificate on the portal, in a real browser (headless Chromium), on a desktop and on a phone:
each completed training of a course that issues certificates links its PDF ("Download certificate") and
the page where anyone checks it ("Verify", /lms/verify/<code>) — on /lms, on the course page's card and
in its history; a course without certificate records links the PDF only. Verify opens the page, which
says Valid. A course title with markup stays text.

Data is committed (the web server reads it on its own connection) and removed by RestCase.tearDownClass."""

import frappe
import pytest
from playwright.sync_api import Page, expect

from smooth_lms.lms.doctypes import CERTIFICATE
from smooth_lms.tests.browser import PortalCase
from smooth_lms.tests.factories import assign, complete_course, store_raw
from smooth_lms.tests.hostile import FIND_INJECTED, HOSTILE, XSS_MARK

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


class TestCertificateLinksOnThePortal(PortalCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.learner = cls.named_user("Grace Hopper", "LMS Student")
		cls.certified = cls.course(title="Fire Safety", is_mandatory=1, lessons=1, validity_days=365)
		cls.title = "Fire Safety " + HOSTILE["tag"]
		store_raw("LMS Course", cls.certified, {"title": cls.title})  # as a set-wise write leaves it
		cls.plain = cls.course(title="Kitchen Rules", is_mandatory=1, lessons=1, enable_certification=0)
		cls.assignment = assign(cls.learner, cls.certified)
		assign(cls.learner, cls.plain)
		complete_course(cls.learner, cls.certified)
		complete_course(cls.learner, cls.plain)
		cls.code = frappe.db.get_value(CERTIFICATE, {"assignment": cls.assignment})
		assert cls.code and not frappe.db.exists(CERTIFICATE, {"course": cls.plain})
		frappe.db.commit()

	def assertLinks(self, scope, course_title: str):
		download = scope.locator(".lms-certificate")
		expect(download).to_have_text("Download certificate")
		expect(download).to_have_attribute("aria-label", f"Certificate of {course_title} (PDF)")
		verify = scope.locator(".lms-verify")
		expect(verify).to_have_text("Verify")
		expect(verify).to_have_attribute("href", f"/lms/verify/{self.code}")
		expect(verify).to_have_attribute("aria-label", f"Verify the certificate of {course_title}")

	def assertVerified(self, page: Page):
		expect(page).to_have_url(f"{page.url.split('/lms/')[0]}/lms/verify/{self.code}")
		section = page.locator("#certificate")
		expect(section).to_have_attribute("data-status", "Valid")
		expect(section.locator(".lms-verify-status")).to_have_text("Valid")
		expect(section.locator(".lms-verify-course")).to_have_text(self.title)  # as text

	def assertInert(self, page: Page):
		self.assertEqual(page.evaluate(FIND_INJECTED, XSS_MARK), {"injected": [], "ran": None})
		self.assertNoJsErrors(page)

	def test_my_training_links_the_pdf_and_the_verification_page(self):
		page = self.page_as(self.learner)
		page.goto("/lms")
		row = self.training_row(page, self.certified)
		self.assertLinks(row, self.title)
		plain = self.training_row(page, self.plain)
		expect(plain.locator(".lms-certificate")).to_have_text("Download certificate")
		expect(plain.locator(".lms-verify")).to_have_count(0)  # no certificate record to check
		self.assertInert(page)
		row.locator(".lms-verify").click()
		self.assertVerified(page)
		self.assertInert(page)

	def test_the_course_page_links_them_on_its_card_and_in_its_history(self):
		page = self.page_as(self.learner)
		page.goto(f"/lms/courses/{self.certified}")
		self.assertLinks(page.locator(".lms-assignment-validity"), self.title)
		self.assertLinks(
			page.locator(f'#lms-history .lms-history-row[data-assignment="{self.assignment}"]'), self.title
		)
		self.assertInert(page)
		page.locator("#lms-history .lms-verify").click()
		self.assertVerified(page)

	def test_on_a_phone(self):
		page = self.page_as(self.learner, **PHONE)
		page.goto("/lms")
		row = self.training_row(page, self.certified)
		verify = row.locator(".lms-verify")
		expect(verify).to_be_visible()
		expect(row.locator(".lms-certificate")).to_be_visible()
		self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"])
		verify.click()
		self.assertVerified(page)
		page.goto(f"/lms/courses/{self.certified}")
		history = page.locator("#lms-history .lms-verify")
		expect(history).to_be_visible()
		self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"])
		history.click()
		self.assertVerified(page)
		self.assertInert(page)
