"""The auditor's prints of proof over real HTTP: a quiz submission (every question, its options as shown,
what was correct, what the learner chose, marks, score against the pass mark) and an acknowledgement
(statement, typed name, when, IP, browser, hash). The learner prints their own, HR all, nobody else;
hostile text in a question, an option, a statement, a name and a browser's User-Agent prints as text."""

import json

import frappe
from frappe.utils import format_datetime

from smooth_lms.lms.doctypes import ACKNOWLEDGEMENT, QUIZ_SUBMISSION, SUBMISSION_ANSWER
from smooth_lms.tests.factories import (
	assign,
	make_question,
	make_quiz,
	right_answers,
	set_lesson,
	store_raw,
	unique,
	wrong_answers,
)
from smooth_lms.tests.hostile import HOSTILE, Markup, name_user
from smooth_lms.tests.http import RestCase, base_url, login
from smooth_lms.tests.pdfs import pdf_text

METHOD = "/api/method/smooth_lms.lms."
FRAPPE_PDF = "/api/method/frappe.utils.print_format.download_pdf"


def pdf_lines(content: bytes) -> list[str]:
	"""The lines of a PDF as pdftotext lays them out (a table's row on one line), spaces squashed: the
	PDF's spacing is the renderer's."""
	text = pdf_text(content, layout=True)
	return [squash(line) for line in text.splitlines() if line.strip()]


def squash(text: str) -> str:
	return "".join(text.split())


class TestProofPrints(RestCase):
	"""Ada (a hostile name) fails a two-question quiz, then passes it, and signs a hostile statement with a
	hostile browser; Bob is another learner; HR prints everything; a Course Creator prints nothing."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.hr = cls.user("HR Manager")
		cls.creator = cls.user("Course Creator")
		cls.ada = cls.user("LMS Student")
		cls.bob = cls.user("LMS Student")
		cls.ada_name = "Ada " + HOSTILE["quote"]
		name_user(cls.ada, cls.ada_name)
		cls.course_name = cls.course(title=unique("Harassment Prevention"), lessons=3)
		cls.questions = [
			make_question(text="<p>Who may you tell?</p>", options=3, correct=(1,)),
			make_question(text="<p>Which are harassment?</p>", options=3, correct=(0, 2)),
		]
		cls.quiz = make_quiz(
			cls.course_name, questions=cls.questions, lesson=2, title=unique("Speak Up Quiz")
		)
		set_lesson(cls.course_name, 3, acknowledgement="I will report harassment.")
		cls.assignment = assign(cls.ada, cls.course_name)
		assign(cls.bob, cls.course_name)
		frappe.db.commit()

		session = login(cls.ada)
		session.headers["User-Agent"] = "Browser " + HOSTILE["script"]
		lessons = frappe.get_doc("LMS Course", cls.course_name).lessons

		def post(method, **body):
			response = session.post(base_url() + METHOD + method, json=body, timeout=60)
			response.raise_for_status()
			return response.json()["message"]

		post("learning.progress.mark_lesson_complete", course=cls.course_name, lesson=lessons[0].name)
		cls.submissions = []
		for answers in (wrong_answers, right_answers):
			attempt = post("quiz.start_quiz", quiz=cls.quiz)["attempt"]
			cls.submissions.append(post("quiz.submit_quiz", attempt=attempt, answers=answers(attempt)))
		cls.failed, cls.passed = (result["submission"] for result in cls.submissions)
		cls.acknowledgement = post(
			"quiz.acknowledge", course=cls.course_name, lesson=lessons[2].name, typed_name=cls.ada_name
		)["acknowledgement"]
		frappe.db.commit()
		# What an older or set-wise write could have left: hostile texts stored as typed in the proof itself.
		answer = frappe.get_all(
			SUBMISSION_ANSWER, {"parent": cls.failed}, ["name", "options"], order_by="idx", limit=1
		)[0]
		options = json.loads(answer.options)
		options[0]["text"] = "Option " + HOSTILE["tag"]
		store_raw(
			SUBMISSION_ANSWER,
			answer.name,
			{"question_text": "<p>Question " + HOSTILE["open_tag"] + "</p>", "options": json.dumps(options)},
		)
		store_raw(ACKNOWLEDGEMENT, cls.acknowledgement, {"statement": "I agree " + HOSTILE["tag"]})
		frappe.db.commit()

	def pdf(self, user: str | None, doctype: str, name: str):
		return login(user).get(
			base_url() + FRAPPE_PDF, params={"doctype": doctype, "name": name, "format": doctype}, timeout=60
		)

	def printview(self, user: str | None, doctype: str, name: str):
		return login(user).get(
			base_url() + "/printview",
			params={"doctype": doctype, "name": name, "format": doctype},
			timeout=60,
		)

	def assertPdf(self, response) -> list[str]:
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(response.headers["Content-Type"], "application/pdf")
		return pdf_lines(response.content)

	def assertPrinted(self, lines: list[str], *texts: str) -> None:
		whole = "".join(lines)
		for text in texts:
			self.assertTrue(squash(text))
			self.assertIn(squash(text), whole)

	def test_the_submission_pdf_shows_every_question_option_choice_and_mark(self):
		doc = frappe.get_doc(QUIZ_SUBMISSION, self.passed)
		lines = self.assertPdf(self.pdf(self.ada, QUIZ_SUBMISSION, self.passed))
		self.assertPrinted(
			lines,
			"Ada",
			frappe.db.get_value("LMS Course", self.course_name, "title"),
			doc.quiz_title,
			"Attempt 2",
			format_datetime(doc.creation, "yyyy-MM-dd"),
			"Score 2 / 2",
			"Percentage 100 %",
			"Pass Mark 80 %",
			"PASSED",
			"Who may you tell?",
			"Which are harassment?",
			"Question 1",
			"Question 2",
			"Right · 1 / 1 marks",
		)
		# Each option as shown, in order, on its own row: the correct ones marked, the learner's choice too.
		rows = []
		for answer in doc.answers:
			chosen = set(json.loads(answer.chosen))
			self.assertTrue(chosen)
			for option in json.loads(answer.options):
				marks = [word for word, on in (("Correct", option["is_correct"]), ("Chosen", option["option"] in chosen)) if on]  # fmt: skip
				rows.append(squash(option["text"] + "".join(marks)))
		printed = [line for line in lines if line.startswith("Option") and line != "OptionCorrectChosen"]
		self.assertEqual(printed, rows)

	def test_a_failed_attempt_says_so_and_which_answers_were_wrong(self):
		doc = frappe.get_doc(QUIZ_SUBMISSION, self.failed)
		lines = self.assertPdf(self.pdf(self.hr, QUIZ_SUBMISSION, self.failed))
		self.assertPrinted(
			lines, "Attempt 1", "Score 0 / 2", "Percentage 0 %", "FAILED", "Wrong · 0 / 1 marks"
		)
		# The hostile question's image (not one of the site's files) is printed as its description.
		self.assertPrinted(lines, "Question [image]")
		whole = "".join(lines)
		self.assertNotIn("PASSED", whole)
		self.assertNotIn("Right·", whole)
		chosen = sum(len(json.loads(a.chosen)) for a in doc.answers)
		self.assertEqual(whole.count("Chosen") - len(doc.answers), chosen)  # one header per question

	def test_the_acknowledgement_pdf(self):
		doc = frappe.get_doc(ACKNOWLEDGEMENT, self.acknowledgement)
		lines = self.assertPdf(self.pdf(self.ada, ACKNOWLEDGEMENT, self.acknowledgement))
		self.assertPrinted(
			lines,
			doc.lesson_title,
			frappe.db.get_value("LMS Course", self.course_name, "title"),
			"I agree",
			"Typed Name Ada",
			format_datetime(doc.acknowledged_at, "yyyy-MM-dd HH:mm:ss"),
			doc.ip_address,
			"Browser Browser",
			doc.content_hash,
		)

	def test_learners_print_their_own_hr_all_nobody_else(self):
		for doctype, name in ((QUIZ_SUBMISSION, self.passed), (ACKNOWLEDGEMENT, self.acknowledgement)):
			for user in (self.ada, self.hr):
				with self.subTest(doctype=doctype, user=user):
					self.assertEqual(self.pdf(user, doctype, name).content[:4], b"%PDF")
			for user in (self.bob, self.creator, None):
				with self.subTest(doctype=doctype, user=user):
					response = self.pdf(user, doctype, name)
					self.assertEqual(response.status_code, 403, response.text[:300])
					self.assertFalse(response.content.startswith(b"%PDF"))
					page = self.printview(user, doctype, name)
					self.assertNotIn("lms-proof-title", page.text)
					self.assertNotIn("Ada", page.text)

	def test_hostile_text_prints_as_text(self):
		for user in (self.ada, self.hr):
			for doctype, name, texts in (
				(
					QUIZ_SUBMISSION,
					self.failed,
					(self.ada_name, "Option " + HOSTILE["tag"], "Question"),
				),
				(
					ACKNOWLEDGEMENT,
					self.acknowledgement,
					(self.ada_name, "I agree " + HOSTILE["tag"], "Browser " + self.user_agent),
				),
			):
				with self.subTest(user=user, doctype=doctype):
					page = self.printview(user, doctype, name)
					self.assertEqual(page.status_code, 200, page.text[:300])
					self.assertIn("lms-proof-title", page.text)
					markup = Markup(page.text)
					self.assertEqual(markup.injected, [])
					self.assertNotIn('<img src="x"', page.text)
					self.assertNotIn("<img src=x", page.text)
					for text in texts:
						self.assertIn(" ".join(text.split()), markup.text)
		lines = self.assertPdf(self.pdf(self.hr, ACKNOWLEDGEMENT, self.acknowledgement))
		# As text (Frappe's PDF rewrites anything reading src=... to an absolute address, text included).
		self.assertPrinted(lines, "I agree '><img src=", "onerror=window.__xss=2>", "window.__xss=4")

	@property
	def user_agent(self) -> str:
		"""The hostile User-Agent as stored (Frappe escapes a script tag on save)."""
		return frappe.db.get_value(ACKNOWLEDGEMENT, self.acknowledgement, "user_agent").removeprefix(
			"Browser "
		)
