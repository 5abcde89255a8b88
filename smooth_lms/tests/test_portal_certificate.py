"""The training certificate (print format "LMS Training Certificate", the PDF learners download from the
portal) prints its dates spelled out — "5 December 2026" — whatever the site's date format: an auditor
abroad must not read 12-05-2026 as the 12th of May."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import formatdate

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.certificates import CERTIFICATE, certificate_html
from smooth_lms.lms.doctypes import ASSIGNMENT
from smooth_lms.tests.factories import complete_lessons, make_course, make_user

COMPLETED_ON, VALID_UNTIL = "2026-12-05", "2027-12-05"  # days at most 12: 05-12 or 12-05 either way


def set_date_format(date_format: str) -> None:
	"""System Settings' Date Format, saved as the desk saves it (its defaults follow)."""
	settings = frappe.get_single("System Settings")
	settings.date_format = date_format
	settings.save(ignore_permissions=True)  # a test changing the site's setting, as Administrator
	frappe.local.user_date_format = None  # frappe.utils keeps the format for the request


class TestCertificateDates(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		before = frappe.db.get_single_value("System Settings", "date_format") or "dd-mm-yyyy"
		self.addCleanup(set_date_format, before)
		set_date_format("mm-dd-yyyy")

		learner, course = make_user(), make_course(lessons=1, validity_days=365)
		create_assignments([course], [learner], "2026-12-31")
		complete_lessons(learner, course, 1)
		self.assignment = frappe.db.get_value(ASSIGNMENT, {"employee": learner, "course": course})
		frappe.db.set_value(
			ASSIGNMENT, self.assignment, {"completed_on": COMPLETED_ON, "valid_until": VALID_UNTIL}
		)

	def test_dates_are_spelled_out_whatever_the_date_format(self):
		self.assertEqual(formatdate(COMPLETED_ON), "12-05-2026")  # the site's setting is in force
		html = frappe.get_print(ASSIGNMENT, self.assignment, print_format=CERTIFICATE)
		certificate = html[html.index('<div class="lms-certificate">') :]
		self.assertIn("5 December 2026", certificate)
		self.assertIn("5 December 2027", certificate)
		for ambiguous in ("12-05-2026", "05-12-2026", "12-05-2027", "05-12-2027"):
			self.assertNotIn(ambiguous, certificate)

	def test_the_learners_download_prints_the_same(self):
		html = certificate_html(frappe.get_doc(ASSIGNMENT, self.assignment))
		self.assertIn("5 December 2026", html)
		self.assertNotIn("12-05-2026", html)
