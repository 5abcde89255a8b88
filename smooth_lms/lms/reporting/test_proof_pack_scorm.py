"""The proof pack's summary over real HTTP lists each completion's SCORM attempts — lesson, status, score,
time spent — as the learner's package committed them, a renewal's with the renewal; a lesson title
carrying payloads printed as text."""

import io
import json
import zipfile

import frappe

from smooth_lms.lms.doctypes import ASSIGNMENT, SCORM_ATTEMPT
from smooth_lms.lms.reporting.proof_pack import collect, summary_html
from smooth_lms.lms.validity.renewals import open_renewals
from smooth_lms.tests.factories import assign, backdate_completion, store_raw, unique
from smooth_lms.tests.hostile import HOSTILE, Markup
from smooth_lms.tests.http import RestCase, base_url, login
from smooth_lms.tests.pdfs import pdf_text
from smooth_lms.tests.scorm_packages import attach_package, build_package

METHOD = "/api/method/smooth_lms.lms."
TITLE = f"Security {HOSTILE['tag']} {HOSTILE['script']}"


def cmi_12(status: str, raw: int | None = None, session_time: str = "") -> str:
	score = {"raw": "" if raw is None else str(raw), "max": "" if raw is None else "100"}
	return json.dumps({"core": {"lesson_status": status, "score": score, "session_time": session_time}})


class TestProofPackScorm(RestCase):
	"""Security Awareness: a plain lesson, then a SCORM 1.2 package. The learner failed the package
	(40 / 100, 5 minutes), passed it (85 / 100, 7 min 5 s) a year ago, and completed it again, without a
	score, for the renewal (1 min 2 s)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.hr = cls.user("HR Manager")
		cls.learner = cls.user("LMS Student")
		cls.course_name = cls.course(
			title=unique("Security Awareness"), lessons=2, validity_days=365, renewal_window_days=30
		)
		cls.lesson = attach_package(cls.course_name, 2, build_package("1.2"))
		cls.first = assign(cls.learner, cls.course_name)
		frappe.db.commit()
		session = login(cls.learner)
		plain = frappe.db.get_value("LMS Course Lesson", {"parent": cls.course_name, "idx": 1})

		def post(method: str, **body) -> dict:
			response = session.post(base_url() + METHOD + method, json=body, timeout=60)
			assert response.status_code == 200, response.text[:500]
			return response.json()["message"]

		def play(cmi: str, session_id: str, elapsed: float = 0) -> dict:
			return post(
				"scorm.commit",
				course=cls.course_name,
				lesson=cls.lesson,
				cmi=cmi,
				session=session_id,
				elapsed=elapsed,
			)

		post("learning.progress.mark_lesson_complete", course=cls.course_name, lesson=plain)
		play(cmi_12("failed", 40, "00:05:00"), "one")
		cls.attempt = play(cmi_12("passed", 85, "00:07:05"), "two")["attempt"]
		frappe.db.commit()
		backdate_completion(cls.first, days_ago=350, validity=365)
		open_renewals([cls.course_name])
		cls.renewal = frappe.db.get_value(ASSIGNMENT, {"renewal_of": cls.first})
		frappe.db.commit()
		post("learning.progress.mark_lesson_complete", course=cls.course_name, lesson=plain)
		cls.renewed = play(cmi_12("completed"), "three", elapsed=61.6)["attempt"]
		frappe.db.commit()
		assert frappe.db.get_value(ASSIGNMENT, cls.renewal, "status") == "Completed"
		# The title as a set-wise write would leave it: markup Frappe's save would have cleaned.
		for attempt in (cls.attempt, cls.renewed):
			store_raw(SCORM_ATTEMPT, attempt, {"lesson_title": TITLE})
		frappe.db.commit()

	def test_the_summary_lists_each_completions_attempts(self):
		response = login(self.hr).post(
			base_url() + METHOD + "reporting.proof_pack.request_proof_pack",
			json={"employee": self.learner},
			timeout=120,
		)
		self.assertEqual(response.status_code, 200, response.text[:400])
		answer = response.json()["message"]
		self.assertEqual(answer["documents"], 3, "summary and two certificates: attempts are in the summary")
		download = login(self.hr).get(base_url() + answer["file_url"], timeout=60)
		self.assertEqual(download.status_code, 200)
		summary = zipfile.ZipFile(io.BytesIO(download.content)).read("00-summary.pdf")
		text = " ".join(pdf_text(summary).split())  # table cells wrap: single words are checked
		for words in (
			"SCORM",
			"Attempts",
			"passed,",
			"85/100,",
			"0:12:05",
			"completed,",
			"0:01:02",
			"Security",
		):
			self.assertIn(words, text, words)
		self.assertNotIn("40/100", text, "the attempt as it ended, not its earlier report")

	def test_a_renewals_attempt_is_listed_with_the_renewal_and_titles_are_text(self):
		html = summary_html(collect(self.learner, None), self.learner, None)
		markup = Markup(html)
		self.assertEqual(markup.injected, [])
		rows = html.split("<tr>")[2:]  # the header row first; then the completions, oldest first
		self.assertEqual(len(rows), 2)
		earlier, renewal = (Markup(row).text for row in rows)
		self.assertIn(f"{TITLE}: passed, score 85/100, time 0:12:05", earlier)
		self.assertNotIn("0:01:02", earlier)
		self.assertIn(f"{TITLE}: completed, time 0:01:02", renewal)
		self.assertNotIn("85/100", renewal)
