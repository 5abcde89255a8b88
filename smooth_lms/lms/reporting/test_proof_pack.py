"""The proof pack over real HTTP: HR downloads one employee's or one course's evidence in one ZIP, a large
one from a background job; nobody else does."""

import io
import zipfile
from unittest.mock import patch

import frappe

from smooth_lms.lms.doctypes import CERTIFICATE
from smooth_lms.lms.reporting.proof_pack import get_proof_pack, request_proof_pack
from smooth_lms.tests.factories import (
	assign,
	make_quiz,
	right_answers,
	set_lesson,
	unique,
	wrong_answers,
)
from smooth_lms.tests.hostile import HOSTILE, Markup, name_user
from smooth_lms.tests.http import RestCase, base_url, login
from smooth_lms.tests.pdfs import pdf_text

METHOD = "/api/method/smooth_lms.lms."


class TestProofPack(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.hr = cls.user("HR Manager")
		cls.learner = cls.user("LMS Student")
		name_user(cls.learner, "Ada " + HOSTILE["tag"])
		cls.course_name = cls.course(title=unique("Harassment Prevention"), lessons=3, validity_days=365)
		cls.quiz = make_quiz(cls.course_name, questions=2, lesson=2)
		set_lesson(cls.course_name, 3, acknowledgement="I will report harassment.")
		cls.assignment = assign(cls.learner, cls.course_name)
		frappe.db.commit()
		session = login(cls.learner)
		post = lambda method, **body: session.post(base_url() + METHOD + method, json=body, timeout=60).json()  # noqa: E731
		lessons = frappe.get_doc("LMS Course", cls.course_name).lessons
		post("learning.progress.mark_lesson_complete", course=cls.course_name, lesson=lessons[0].name)
		for answers in (wrong_answers, right_answers):
			attempt = post("quiz.start_quiz", quiz=cls.quiz)["message"]["attempt"]
			post("quiz.submit_quiz", attempt=attempt, answers=answers(attempt))
		full_name = frappe.db.get_value("User", cls.learner, "full_name")
		post("quiz.acknowledge", course=cls.course_name, lesson=lessons[2].name, typed_name=full_name)
		frappe.db.commit()

	def pack(self, user: str, **body):
		return login(user).post(
			base_url() + METHOD + "reporting.proof_pack.request_proof_pack", json=body, timeout=120
		)

	def test_hr_downloads_one_employees_evidence_in_one_zip(self):
		response = self.pack(self.hr, employee=self.learner)
		self.assertEqual(response.status_code, 200, response.text[:400])
		answer = response.json()["message"]
		self.assertEqual(answer["documents"], 5)  # summary, certificate, 2 submissions, 1 acknowledgement
		download = login(self.hr).get(base_url() + answer["file_url"], timeout=60)
		self.assertEqual(download.status_code, 200)
		names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
		code = frappe.db.get_value(CERTIFICATE, {"assignment": self.assignment})
		self.assertIn("00-summary.pdf", names)
		self.assertTrue(any(code in name and name.startswith("certificates/") for name in names), names)
		self.assertEqual(len([n for n in names if n.startswith("quiz-submissions/")]), 2)
		self.assertEqual(len([n for n in names if n.startswith("acknowledgements/")]), 1)
		summary = zipfile.ZipFile(io.BytesIO(download.content)).read("00-summary.pdf")
		text = " ".join(pdf_text(summary).split())  # table cells wrap: single words are checked
		for words in (code, "/lms/verify/", "(failed)", "(passed)", "signed", "Ada", "Harassment"):
			self.assertIn(words, text, words)
		# The file is HR's own: the learner and another HR user cannot fetch it.
		self.assertNotEqual(
			login(self.learner).get(base_url() + answer["file_url"], timeout=30).status_code, 200
		)

	def test_a_course_pack_and_the_summary_prints_names_as_text(self):
		from smooth_lms.lms.reporting.proof_pack import collect, summary_html

		html = summary_html(collect(None, self.course_name), None, self.course_name)
		self.assertEqual(Markup(html).injected, [])
		self.assertIn("Ada", Markup(html).text)
		self.assertEqual(self.pack(self.hr, course=self.course_name).status_code, 200)

	def test_only_those_who_see_everyones_training_may_pack(self):
		for user in (self.learner, None):
			self.assertEqual(self.pack(user, employee=self.learner).status_code, 403)
		self.assertEqual(self.pack(self.hr).status_code, 417)
		self.assertEqual(self.pack(self.hr, employee="nobody@example.com").status_code, 404)

	def test_a_large_pack_is_built_by_a_job_for_the_person_who_asked(self):
		from smooth_lms.tests.factories import run_jobs_enqueued_after_commit

		frappe.set_user(self.hr)
		try:
			with patch("smooth_lms.lms.reporting.proof_pack.INLINE_DOCUMENTS", 1):
				queued = request_proof_pack(employee=self.learner)
			self.assertTrue(queued["queued"])
			self.assertEqual(get_proof_pack(queued["job"]), {"finished": False})
			# A worker prints with the site's address (host_name), as a real site has it set.
			with patch.dict(frappe.local.conf, {"host_name": base_url()}):
				(job,) = run_jobs_enqueued_after_commit("smooth_lms.lms.reporting.proof_pack.run_proof_pack")
			done = get_proof_pack(queued["job"])
			self.assertTrue(done["finished"] and done["file_url"].startswith("/private/files/"))
			self.assertTrue(
				frappe.db.exists("Notification Log", {"for_user": self.hr, "link": done["file_url"]})
			)
		finally:
			frappe.set_user("Administrator")
		frappe.set_user(self.learner)
		try:
			self.assertRaises(frappe.PermissionError, get_proof_pack, queued["job"])
		finally:
			frappe.set_user("Administrator")
