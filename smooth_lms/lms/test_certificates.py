"""Training certificates: the PDF of a completed assignment for its learner and HR, nobody else, and
Frappe's own print endpoints holding to the same; the certificate's text printed as text."""

import frappe
import markupsafe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import formatdate, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.certificates import CERTIFICATE, certificate_html, download_certificate
from smooth_lms.tests.factories import complete_course, d, make_course, make_user, store_raw, unique
from smooth_lms.tests.hostile import HOSTILE, name_user
from smooth_lms.tests.http import RestCase, base_url, leaked_traceback, login, server_messages

ASSIGNMENT = "LMS Training Assignment"
METHOD = "/api/method/smooth_lms.lms.certificates.download_certificate"
FRAPPE_PDF = "/api/method/frappe.utils.print_format.download_pdf"


class TestCertificateDownload(RestCase):
	"""Over HTTP, with login sessions: who gets which certificate."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.learner = cls.user()
		cls.colleague = cls.user()
		cls.hr = cls.user("HR Manager")
		cls.moderator = cls.user("Moderator")
		cls.creator = cls.user("Course Creator")
		cls.fire = cls.course(title=unique("Fire Safety"), validity_days=365, lessons=2)
		cls.privacy = cls.course(title=unique("Privacy"), lessons=2)
		create_assignments([cls.fire], [cls.learner, cls.colleague], d(20))
		create_assignments([cls.privacy], [cls.learner], d(20))
		cls.completed = complete_course(cls.learner, cls.fire)
		cls.colleagues = complete_course(cls.colleague, cls.fire)
		cls.pending = frappe.db.get_value(ASSIGNMENT, {"employee": cls.learner, "course": cls.privacy})
		frappe.db.commit()

	def get(self, user: str | None, assignment: str):
		return login(user).get(base_url() + METHOD, params={"assignment": assignment}, timeout=60)

	def assertPdf(self, response, assignment: str):
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(response.headers["Content-Type"], "application/pdf")
		self.assertTrue(response.content.startswith(b"%PDF"), response.content[:100])
		self.assertIn(f"certificate-{assignment}.pdf", response.headers["Content-Disposition"])

	def assertRefused(self, response, status: int, words: str):
		self.assertEqual(response.status_code, status, response.text[:300])
		self.assertIn(words, " ".join(server_messages(response)))
		self.assertIsNone(leaked_traceback(response))
		self.assertFalse(response.content.startswith(b"%PDF"))

	def test_the_learner_downloads_their_own(self):
		self.assertPdf(self.get(self.learner, self.completed), self.completed)

	def test_hr_downloads_any(self):
		for user in (self.hr, self.moderator):
			with self.subTest(user=user):
				self.assertPdf(self.get(user, self.colleagues), self.colleagues)

	def test_nobody_else(self):
		self.assertRefused(self.get(self.learner, self.colleagues), 403, "Only the learner and HR")
		self.assertRefused(self.get(self.creator, self.completed), 403, "Only the learner and HR")
		# Guest: Frappe refuses a method that does not allow guests before it runs.
		self.assertRefused(self.get(None, self.completed), 403, "not permitted")

	def test_only_completed_training_has_one(self):
		self.assertRefused(self.get(self.learner, self.pending), 417, "not completed")
		self.assertRefused(self.get(self.hr, self.pending), 417, "not completed")
		self.assertRefused(self.get(self.learner, "TA-NONE-0"), 404, "does not exist")
		# Another person's unfinished training: refused for who asks, before anything is said of it.
		self.assertRefused(self.get(self.colleague, self.pending), 403, "Only the learner and HR")

	def test_frappes_print_endpoints_hold_to_the_same(self):
		def frappe_pdf(user, assignment):
			return login(user).get(
				base_url() + FRAPPE_PDF,
				params={"doctype": ASSIGNMENT, "name": assignment, "format": CERTIFICATE},
				timeout=60,
			)

		# Learners read their own rows only: the same certificate, nobody else's.
		self.assertEqual(frappe_pdf(self.learner, self.completed).content[:4], b"%PDF")
		self.assertEqual(frappe_pdf(self.hr, self.colleagues).content[:4], b"%PDF")
		for user, assignment in (
			(self.learner, self.colleagues),
			(self.creator, self.completed),
			(None, self.completed),
		):
			with self.subTest(user=user):
				response = frappe_pdf(user, assignment)
				self.assertEqual(response.status_code, 403, response.text[:300])
				self.assertFalse(response.content.startswith(b"%PDF"))
		# The format itself refuses an unfinished assignment, whoever prints it.
		for user in (self.learner, self.hr):
			response = frappe_pdf(user, self.pending)
			self.assertEqual(response.status_code, 417, response.text[:300])
			self.assertIn("not completed", " ".join(server_messages(response)))
		# The print view page, as a browser opens it.
		page = login(self.learner).get(
			base_url() + "/printview",
			params={"doctype": ASSIGNMENT, "name": self.colleagues, "format": CERTIFICATE},
			timeout=60,
		)
		self.assertNotIn("Certificate of Completion", page.text)


class TestCertificateContent(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.learner = make_user()
		self.course = make_course(title=unique("Forklift"), validity_days=365, lessons=1)
		create_assignments([self.course], [self.learner], d(20))
		self.assignment = complete_course(self.learner, self.course)

	def test_shows_the_learner_course_dates_and_assignment(self):
		html = certificate_html(frappe.get_doc(ASSIGNMENT, self.assignment))
		for text in (
			"Certificate of Completion",
			frappe.db.get_value("User", self.learner, "full_name"),
			frappe.db.get_value("LMS Course", self.course, "title"),
			formatdate(today(), "d MMMM yyyy"),  # spelled out whatever the site's date format
			formatdate(d(365), "d MMMM yyyy"),
			self.assignment,
			"LMS",
		):
			self.assertIn(text, html)

	def test_a_course_that_never_expires(self):
		frappe.db.set_value(ASSIGNMENT, self.assignment, "valid_until", None)
		self.assertIn("Does not expire", certificate_html(frappe.get_doc(ASSIGNMENT, self.assignment)))

	def test_hostile_names_and_titles_are_text(self):
		for payload in HOSTILE.values():
			with self.subTest(payload=payload):
				name_user(self.learner, payload)
				store_raw("LMS Course", self.course, {"title": payload})
				store_raw(ASSIGNMENT, self.assignment, {"employee_name": payload, "course_title": payload})
				html = frappe.get_print(ASSIGNMENT, self.assignment, print_format=CERTIFICATE)
				# The certificate's own markup (the page around it is Frappe's print view).
				certificate = html[html.index('<div class="lms-certificate">') :]
				escaped = str(markupsafe.escape(payload))
				self.assertEqual(certificate.count(escaped), 2, "the learner's name and the course's title")
				if escaped != payload:
					self.assertNotIn(payload, certificate)

	def test_refused_in_process_too(self):
		frappe.set_user(make_user())
		with self.assertRaises(frappe.PermissionError):
			download_certificate(self.assignment)
		frappe.set_user("Administrator")
		frappe.db.set_value(ASSIGNMENT, self.assignment, "status", "In Progress")
		with self.assertRaisesRegex(frappe.ValidationError, "not completed"):
			frappe.get_print(ASSIGNMENT, self.assignment, print_format=CERTIFICATE)
