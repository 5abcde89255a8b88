"""A certificate as a stranger and its holder see it: the verification page opened as a guest in a real
browser (headless Chromium), and the PDF its learner downloads, its first page rendered as a picture. The
pictures in the README: docs/screenshots/verify-page.png and docs/screenshots/certificate-pdf.png.

Data is committed (the web server reads it on its own connection) and removed at the end."""

import subprocess

import frappe
import pytest
from frappe.utils import add_days, formatdate, today
from playwright.sync_api import expect

from smooth_lms.lms.doctypes import CERTIFICATE
from smooth_lms.tests.browser import SCREENSHOTS, PortalCase
from smooth_lms.tests.factories import assign, complete_course, store_raw
from smooth_lms.tests.hostile import FIND_INJECTED, HOSTILE, XSS_MARK, make_hostile_course, name_user
from smooth_lms.tests.http import base_url, login
from smooth_lms.tests.pdfs import pdf_file, text_of

pytestmark = pytest.mark.browser

LESSONS = [
	("Why it matters", "<p>Everyone deserves to work with dignity.</p>"),
	("Reporting and support", "<p>Who to tell, and how you are protected.</p>"),
]


class TestCertificatePictures(PortalCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.learner = cls.named_user("Amara Okafor")
		cls.course_name = cls.course_with_lessons(
			"Harassment Prevention", LESSONS, is_mandatory=1, validity_days=365, version="2026.1"
		)
		cls.assignment = assign(cls.learner, cls.course_name)
		complete_course(cls.learner, cls.course_name)
		cls.code = frappe.db.get_value(CERTIFICATE, {"assignment": cls.assignment})
		# A holder and a course (title and version) named by each hostile payload, stored as typed.
		cls.hostile_codes = {}
		for key, payload in HOSTILE.items():
			holder = cls.named_user(f"Holder {key}")
			course = make_hostile_course(payload, raw=True, version=payload[:40])
			cls.courses.append(course)
			assign(holder, course)
			complete_course(holder, course)
			name_user(holder, payload)
			store_raw(
				CERTIFICATE, frappe.db.get_value(CERTIFICATE, {"member": holder}), {"member_name": payload}
			)
			cls.hostile_codes[payload] = frappe.db.get_value(CERTIFICATE, {"member": holder})
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.delete(CERTIFICATE, {"course": ("in", cls.courses)})  # nobody deletes one, but tests
		frappe.db.commit()
		super().tearDownClass()

	def test_a_guest_checks_the_code_on_the_verify_page(self):
		page = self.page_as(None)
		page.goto(f"/lms/verify/{self.code}")
		section = page.locator("#certificate")
		expect(section).to_have_attribute("data-status", "Valid")
		expect(section.locator(".lms-verify-status")).to_have_text("Valid")
		expect(section.locator(".lms-verify-holder")).to_have_text("Amara Okafor")
		expect(section.locator(".lms-verify-course")).to_have_text("Harassment Prevention")
		for text in (
			"2026.1",
			formatdate(today(), "d MMMM yyyy"),
			formatdate(add_days(today(), 365), "d MMMM yyyy"),
		):
			expect(section).to_contain_text(text)
		expect(page.locator("body")).not_to_contain_text(self.learner)  # no email, nothing else
		page.wait_for_load_state("networkidle")
		self.screenshot(page, "verify-page")
		self.assertNoJsErrors(page)

	def test_hostile_holders_and_titles_read_as_text_on_the_verify_page(self):
		for payload, code in self.hostile_codes.items():
			with self.subTest(payload=payload):
				page = self.page_as(None, width=390, height=844)  # a stranger's phone, from the QR code
				page.goto(f"/lms/verify/{code}")
				section = page.locator("#certificate")
				expect(section).to_have_attribute("data-status", "Valid")
				expect(section.locator(".lms-verify-holder")).to_have_text(payload)
				expect(section.locator(".lms-verify-course")).to_contain_text(payload)
				found = page.evaluate(FIND_INJECTED, XSS_MARK)
				self.assertEqual(found["injected"], [])
				self.assertIsNone(found["ran"], "a payload ran")
				self.assertEqual(page.locator("#certificate img, #certificate script").count(), 0)
				self.assertNoJsErrors(page)

	def test_the_learner_downloads_the_pdf_with_its_address_and_qr_code(self):
		response = login(self.learner).get(
			base_url() + "/api/method/smooth_lms.lms.certificates.download_certificate",
			params={"assignment": self.assignment},
			timeout=60,
		)
		self.assertTrue(response.content.startswith(b"%PDF"), response.text[:300])
		picture = SCREENSHOTS / "certificate-pdf.png"
		SCREENSHOTS.mkdir(parents=True, exist_ok=True)
		with pdf_file(response.content) as path:
			text = text_of(path)
			subprocess.run(
				["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", path,
					str(picture.with_suffix(""))],
				check=True,
			)  # fmt: skip
		for expected in ("Amara Okafor", "Harassment Prevention", "2026.1", f"/lms/verify/{self.code}"):
			self.assertIn(expected, " ".join(text.split()))
		self.assertTrue(picture.stat().st_size > 10_000)
