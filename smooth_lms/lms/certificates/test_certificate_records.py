"""LMS Certificate over real HTTP: issued by itself once per completion, checked by anyone with its code
(and nobody learns more about the person), revoked by HR with a reason, never edited; the PDF carries
the verification address as text and as a QR code."""

import subprocess
import threading

import frappe
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.hr_records import record_external_completion
from smooth_lms.lms.certificates.issuing import FIELDS, issue_certificates
from smooth_lms.lms.doctypes import ASSIGNMENT, CERTIFICATE, COURSE_PROGRESS
from smooth_lms.lms.framework.batches import insert_rows
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.patches.certificates_for_past_completions import execute as past_completions_patch
from smooth_lms.tests.factories import assign, complete_course, store_raw, unique
from smooth_lms.tests.hostile import HOSTILE, Markup, name_user
from smooth_lms.tests.http import RestCase, base_url, leaked_traceback, login
from smooth_lms.tests.pdfs import pdf_file, text_of

METHOD = "/api/method/smooth_lms.lms.certificates."


def certificate_of(assignment: str) -> frappe._dict | None:
	frappe.db.commit()  # what the web server wrote
	return frappe.db.get_value(CERTIFICATE, {"assignment": assignment}, "*", as_dict=True)


class TestCertificateRecords(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.hr = cls.user("HR Manager")
		cls.moderator = cls.user("Moderator")
		cls.fire = cls.course(title=unique("Fire Safety"), validity_days=365, lessons=2, version="2026.1")
		cls.plain = cls.course(title=unique("Welcome"), lessons=1, enable_certification=0)
		frappe.db.commit()

	def verify(self, code: str, user: str | None = None):
		return login(user).get(
			base_url() + METHOD + "verify_certificate", params={"certificate": code}, timeout=30
		)

	def test_a_completion_issues_one_certificate_with_its_version_and_dates(self):
		learner = self.user("LMS Student")
		assignment = assign(learner, self.fire)
		no_certificate = assign(learner, self.plain)
		complete_course(learner, self.fire)
		complete_course(learner, self.plain)
		frappe.db.commit()
		record = certificate_of(assignment)
		self.assertEqual(
			(record.member, record.course, record.course_version, str(record.issue_date)),
			(learner, self.fire, "2026.1", today()),
		)
		self.assertEqual(str(record.valid_until), add_days(today(), 365))
		self.assertRegex(record.name, r"^[0-9A-HJKMNP-TV-Z]{20}$")
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, assignment, "course_version"), "2026.1")
		self.assertIsNone(certificate_of(no_certificate))
		# Once: again, set-wise, and the database refuses a second row for the assignment.
		self.assertEqual(issue_certificates([assignment]), [])
		self.assertEqual(issue_certificates(), [])
		values = [("X" * 20, record.creation, record.creation, "Administrator", "Administrator", 0, 0,
			learner, "", self.fire, "", "1", assignment, today(), None, 0)]  # fmt: skip
		with self.assertRaises(Exception) as refused:
			insert_rows(CERTIFICATE, FIELDS, values)
		self.assertTrue(frappe.db.is_unique_key_violation(refused.exception), refused.exception)
		frappe.db.rollback()

	def test_racing_completions_issue_one_certificate(self):
		learner = self.user("LMS Student")
		assignment = assign(learner, self.fire)
		first, last = (lesson.name for lesson in course_lessons(self.fire))
		frappe.db.commit()
		sessions = [login(learner) for _ in range(12)]
		sessions[0].post(
			base_url() + "/api/method/smooth_lms.lms.learning.progress.mark_lesson_complete",
			json={"course": self.fire, "lesson": first},
			timeout=60,
		)
		barrier, statuses = threading.Barrier(len(sessions)), []

		def finish(session):
			barrier.wait()
			response = session.post(
				base_url() + "/api/method/smooth_lms.lms.learning.progress.mark_lesson_complete",
				json={"course": self.fire, "lesson": last},
				timeout=60,
			)
			statuses.append(response.status_code)

		threads = [threading.Thread(target=finish, args=(session,)) for session in sessions]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join()
		self.assertEqual(set(statuses), {200}, statuses)
		frappe.db.commit()
		self.assertEqual(frappe.db.count(CERTIFICATE, {"assignment": assignment}), 1)
		self.assertEqual(frappe.db.count(COURSE_PROGRESS, {"member": learner, "lesson": last}), 1)

	def test_an_external_completion_recorded_by_hr_gets_one(self):
		learner = self.user("LMS Student")
		assignment = assign(learner, self.fire)
		frappe.set_user(self.hr)
		try:
			evidence = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "sheet.pdf",
					"content": frappe.generate_hash().encode(),
					"is_private": 1,
				}
			).insert()
			record_external_completion(
				add_days(today(), -3), "Classroom Session", evidence.file_url, assignment=assignment
			)
		finally:
			frappe.set_user("Administrator")
		record = certificate_of(assignment)
		self.assertEqual(str(record.issue_date), add_days(today(), -3))

	def test_anyone_checks_a_code_and_learns_nothing_else(self):
		learner = self.user("LMS Student")
		name_user(learner, "Grace Hopper")
		assignment = assign(learner, self.fire)
		complete_course(learner, self.fire)
		code = certificate_of(assignment).name
		stranger = self.user("LMS Student")
		frappe.db.commit()
		for user in (None, stranger):
			response = self.verify(code, user)
			self.assertEqual(response.status_code, 200, response.text[:300])
			facts = response.json()["message"]
			self.assertEqual(
				set(facts),
				{
					"certificate",
					"member_name",
					"course_title",
					"course_version",
					"issue_date",
					"valid_until",
					"status",
				},
			)
			self.assertEqual(
				(facts["member_name"], facts["status"], facts["course_version"]),
				("Grace Hopper", "Valid", "2026.1"),
			)
			self.assertNotIn(learner, response.text)  # no email, no user ID
			self.assertNotIn(assignment, response.text)
		# Typed as people type it, from paper.
		spaced = " ".join(code[i : i + 4] for i in range(0, 20, 4)).lower()
		self.assertEqual(self.verify(spaced).json()["message"]["certificate"], code)
		for unknown in ("0" * 20, "nonsense", "' OR 1=1 --", ""):
			response = self.verify(unknown)
			self.assertEqual(response.status_code, 404, response.text[:200])
			self.assertIsNone(leaked_traceback(response))
		page = login(None).get(base_url() + f"/lms/verify/{code}", timeout=30)
		self.assertEqual(page.status_code, 200)
		text = Markup(page.text).text
		for words in ("Grace Hopper", "Valid", "genuine", code):
			self.assertIn(words, text)
		self.assertNotIn(learner, page.text)
		self.assertEqual(login(None).get(base_url() + "/lms/verify/" + "0" * 20, timeout=30).status_code, 404)

	def test_expired_and_revoked_read_as_such_and_only_hr_revokes(self):
		learner = self.user("LMS Student")
		assignment = assign(learner, self.fire)
		complete_course(learner, self.fire)
		code = certificate_of(assignment).name
		store_raw(CERTIFICATE, code, {"valid_until": add_days(today(), -1)})
		frappe.db.commit()
		self.assertEqual(self.verify(code).json()["message"]["status"], "Expired")
		revoke = METHOD + "revoke_certificate"
		for user in (learner, self.moderator, None):
			response = login(user).post(
				base_url() + revoke, json={"certificate": code, "reason": "x"}, timeout=30
			)
			self.assertEqual(response.status_code, 403, (user, response.text[:200]))
		hr = login(self.hr)
		self.assertEqual(
			hr.post(base_url() + revoke, json={"certificate": code, "reason": " "}, timeout=30).status_code,
			417,
		)
		response = hr.post(
			base_url() + revoke, json={"certificate": code, "reason": "Completed by someone else"}, timeout=30
		)
		self.assertEqual(response.json()["message"]["status"], "Revoked", response.text[:300])
		self.assertEqual(self.verify(code).json()["message"]["status"], "Revoked")
		self.assertEqual(
			hr.post(
				base_url() + revoke, json={"certificate": code, "reason": "again"}, timeout=30
			).status_code,
			417,
		)
		frappe.db.commit()
		record = frappe.get_doc(CERTIFICATE, code)
		self.assertEqual((record.revoked_reason, record.revoked_by), ("Completed by someone else", self.hr))
		self.assertTrue(
			frappe.get_all("Comment", {"reference_name": code, "content": ("like", "%someone else%")})
		)
		# Nobody edits one, nor un-revokes it: not HR over REST, not Administrator in code.
		for user in (self.hr, learner):
			put = login(user).put(
				base_url() + f"/api/resource/{CERTIFICATE}/{code}", json={"revoked": 0}, timeout=30
			)
			self.assertEqual(put.status_code, 403, put.text[:200])
		record.revoked = 0
		self.assertRaises(frappe.PermissionError, record.save, ignore_permissions=True)
		self.assertRaises(
			frappe.PermissionError, frappe.delete_doc, CERTIFICATE, code, ignore_permissions=True
		)
		frappe.db.rollback()
		post = login(learner).post(
			base_url() + f"/api/resource/{CERTIFICATE}",
			json={"member": learner, "course": self.fire},
			timeout=30,
		)
		self.assertEqual(post.status_code, 403, post.text[:200])

	def test_learners_read_their_own_certificates_only(self):
		learner, other = self.user("LMS Student"), self.user("LMS Student")
		frappe.db.commit()
		assignment = assign(learner, self.fire)
		complete_course(learner, self.fire)
		code = certificate_of(assignment).name
		own = login(learner).get(base_url() + f"/api/resource/{CERTIFICATE}/{code}", timeout=30)
		self.assertEqual(own.status_code, 200)
		self.assertEqual(
			login(other).get(base_url() + f"/api/resource/{CERTIFICATE}/{code}", timeout=30).status_code, 403
		)
		listed = login(other).get(
			base_url() + f"/api/resource/{CERTIFICATE}", params={"limit_page_length": 0}, timeout=30
		)
		self.assertNotIn(code, listed.text)
		self.assertIn(
			code,
			login(self.hr)
			.get(base_url() + f"/api/resource/{CERTIFICATE}", params={"limit_page_length": 0}, timeout=30)
			.text,
		)

	def test_the_pdf_prints_the_verification_address_as_text_and_qr_code(self):
		learner = self.user("LMS Student")
		name_user(learner, HOSTILE["tag"])
		assignment = assign(learner, self.fire)
		complete_course(learner, self.fire)
		code = certificate_of(assignment).name
		html = frappe.get_print(CERTIFICATE, code, print_format="LMS Certificate", no_letterhead=1)
		self.assertEqual(Markup(html).injected, [])
		self.assertIn(f"/lms/verify/{code}", html)
		self.assertIn('src="data:image/svg+xml;base64,', html)
		response = login(learner).get(
			base_url() + METHOD + "download_certificate", params={"assignment": assignment}, timeout=60
		)
		self.assertTrue(response.content.startswith(b"%PDF"), response.text[:300])
		with pdf_file(response.content) as path:
			text = text_of(path)
			subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", path, path], check=True)
			scanned = subprocess.run(
				["zbarimg", "--quiet", "--raw", path + ".png"], capture_output=True, text=True
			)
		self.assertIn(code, text)
		self.assertIn("/lms/verify/", text)
		self.assertIn("2026.1", text)
		# The QR code, read back from the printed page: the verification address.
		address = scanned.stdout.strip()
		self.assertTrue(address.endswith(f"/lms/verify/{code}"), (address, scanned.stderr))
		self.assertIn(address, " ".join(text.split()))  # the same address as the text beside it

	def test_past_completions_get_their_certificates_and_version_from_the_patch(self):
		learner = self.user("LMS Student")
		assignment = assign(learner, self.fire)
		complete_course(learner, self.fire)
		frappe.db.delete(CERTIFICATE, {"assignment": assignment})
		frappe.db.set_value(ASSIGNMENT, assignment, "course_version", None)
		past_completions_patch()
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, assignment, "course_version"), "2026.1")
		self.assertTrue(frappe.db.exists(CERTIFICATE, {"assignment": assignment}))


class TestGuessingIsRateLimited(RestCase):
	"""Frappe's rate limit, per address and minute, on the method and on the page (a low limit set in the
	site's config for this test; the counters are cleared after it, for the tests that follow)."""

	def setUp(self):
		from frappe.installer import update_site_config

		update_site_config("smooth_lms_verify_limit", 5)
		self.addCleanup(self.restore)

	def restore(self):
		from frappe.installer import update_site_config

		update_site_config("smooth_lms_verify_limit", None)
		frappe.cache.delete_keys("rl:")

	def test_the_sixth_guess_in_a_minute_is_refused(self):
		guest = login(None)
		method = base_url() + METHOD + "verify_certificate"
		answers = [
			guest.get(method, params={"certificate": "0" * 20}, timeout=30).status_code for _ in range(7)
		]
		self.assertEqual(answers[:5], [404] * 5)
		self.assertEqual(answers[5:], [429, 429], answers)
		pages = [guest.get(base_url() + "/lms/verify/" + "1" * 20, timeout=30) for _ in range(6)]
		self.assertEqual([page.status_code for page in pages], [404] * 5 + [429])
		self.assertIn("Too many certificates were checked", pages[-1].text)


class TestCertificateEmail(RestCase):
	def test_the_learner_is_mailed_the_pdf_and_the_verification_page_once_issued(self):
		from smooth_lms.tests.emails import queued_emails, use_outgoing_email_account
		from smooth_lms.tests.factories import run_jobs_enqueued_after_commit

		use_outgoing_email_account()
		course = self.course(title=unique("Ladder Safety"), lessons=1)
		learner = self.user("LMS Student")
		name_user(learner, HOSTILE["tag"])
		assignment = assign(learner, course)
		run_jobs_enqueued_after_commit()  # the assignment's own email and events, out of the way
		complete_course(learner, course)
		code = frappe.db.get_value(CERTIFICATE, {"assignment": assignment})
		self.assertFalse([m for m in queued_emails(learner) if "certificate" in m.subject.lower()])
		run_jobs_enqueued_after_commit("smooth_lms.lms.framework.document_trail.replay_document_events")
		(mail,) = [m for m in queued_emails(learner) if "certificate" in m.subject.lower()]
		self.assertIn(f"/lms/verify/{code}", mail.body)
		self.assertIn(f"download_certificate?assignment={assignment}", mail.body)
		self.assertEqual(Markup(mail.body).injected, [])
