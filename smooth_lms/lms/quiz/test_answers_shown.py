"""A failed attempt keeps its answers to itself, over real HTTP: under "After Passing" (before the pass)
and "Never", a learner who reads their own submission through any of Frappe's doors — /api/resource and
/api/v2 (submission and answer rows), frappe.client, the form loader, reportview and its export, listview
counts, filters on the answers, the print views and PDFs, the lesson page, the Training History report —
sees their choices, score and result, never which option was right, which question they got right, nor an
explanation. After a pass under "After Passing" they read the right answers of that submission; HR reads
them always (SPEC.md "Proof of comprehension: quizzes")."""

import json
import re
from urllib.parse import quote, unquote_plus

import frappe
import requests
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctypes import LESSON, QUIZ_SUBMISSION, SUBMISSION_ANSWER, USER
from smooth_lms.tests.factories import make_question, make_quiz, right_answers, unique, wrong_answers
from smooth_lms.tests.http import RestCase, base_url, login
from smooth_lms.tests.pdfs import pdf_text

METHOD = "/api/method/"
PDF = METHOD + "frappe.utils.print_format.download_pdf"
# A row's verdict or marks, or an option's correctness, with a value (a field Frappe left out of a document
# still reads 0 in its JSON), or named as a column (reportview's keys).
ANSWER_VALUES = re.compile(
	r'(is_correct|"marks)\\*"\s*:\s*(?!(0|0\.0|false|null)\b)|"(is_correct|marks|options)"\s*[,\]]'
)
VERDICT = 'class="lms-proof-verdict '  # the print format's CSS names the class too
PRINTED_VERDICTS = ("Right", "Wrong", "Correct", "Is Correct", VERDICT)


class TestFailedAttemptsKeepTheirAnswers(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		cls.ada = cls.user("LMS Student")  # a portal learner
		cls.dan = cls.user("LMS Student")  # a learner with desk access
		cls.eve = cls.user("LMS Student")  # fails, then passes
		frappe.db.set_value(USER, cls.dan, "user_type", "System User")
		frappe.clear_cache(user=cls.dan)
		cls.course_name = cls.course(lessons=3)
		cls.quizzes = {
			show: make_quiz(cls.course_name, questions=cls.pool(), lesson=number, show_answers=show)
			for number, show in ((1, "After Passing"), (2, "Never"))
		}
		create_assignments([cls.course_name], [cls.ada, cls.dan, cls.eve], add_days(today(), 20))
		frappe.db.commit()
		cls.sessions = {user: login(user) for user in (cls.ada, cls.dan, cls.eve, cls.hr)}
		# Each learner fails each quiz with 3 of 5 right (60 % < 80 %); Eve then passes both.
		cls.failed, cls.secrets = {}, {}
		for user in (cls.ada, cls.dan, cls.eve):
			for show, quiz in cls.quizzes.items():
				cls.failed[user, show] = cls.take(user, quiz, right=3)
		cls.passed = {show: cls.take(cls.eve, quiz, right=5) for show, quiz in cls.quizzes.items()}

	@classmethod
	def pool(cls) -> list[str]:
		return [
			make_question(text=f"<p>{unique('Pool')}?</p>", options=4, correct=(index % 4,))
			for index in range(5)
		]

	@classmethod
	def take(cls, user: str, quiz: str, right: int) -> str:
		"""`user` starts and submits an attempt at `quiz`, the first `right` questions answered right.
		Records what the submission must not tell its learner: the correct options of the questions answered
		wrong (those answered right are the learner's own choice), and every explanation."""
		started = cls.post(user, "smooth_lms.lms.quiz.start_quiz", quiz=quiz)
		attempt = started["attempt"]
		correct, wrong = right_answers(attempt), wrong_answers(attempt)
		answers = {q: (correct if i < right else wrong)[q] for i, q in enumerate(correct)}
		result = cls.post(user, "smooth_lms.lms.quiz.submit_quiz", attempt=attempt, answers=answers)
		drawn = json.loads(frappe.db.get_value("LMS Quiz Attempt", attempt, "questions"))
		secrets = {f"explanation {o['explanation']}": o["explanation"] for q in drawn for o in q["options"]}
		secrets.update({f"correct option of {q}": correct[q][0] for i, q in enumerate(correct) if i >= right})
		cls.secrets[result["submission"]] = secrets
		frappe.db.commit()
		return result["submission"]

	@classmethod
	def post(cls, user: str, method: str, **body) -> dict:
		response = cls.sessions[user].post(base_url() + METHOD + method, json=body, timeout=60)
		assert response.status_code == 200, response.text[:500]
		return response.json()["message"]

	# --- helpers ---------------------------------------------------------------------------------------

	def call(self, user: str, path: str, **params) -> requests.Response:
		params = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
		return self.sessions[user].get(base_url() + path, params=params, timeout=120)

	def assertTellsNothing(self, response: requests.Response, submission: str, text: str | None = None):
		text = response.text if text is None else text
		where = f"{unquote_plus(response.request.url)} answered {response.status_code}: {text[:500]}"
		self.assertNotIn(response.status_code, (500, 502), where)
		found = [label for label, value in self.secrets[submission].items() if value in text]
		found += [match.group(0) for match in ANSWER_VALUES.finditer(text)]
		self.assertEqual(found, [], where)

	def hidden(self):
		"""(learner, submission) for every failed submission whose answers its learner may not see (Eve's
		passes show her the right answers: she chose them)."""
		for (user, show), submission in self.failed.items():
			if user == self.eve:
				continue
			with self.subTest(user=user, show=show):
				yield user, submission

	def answer_rows(self, submission: str) -> list[frappe._dict]:
		return frappe.get_all(
			SUBMISSION_ANSWER, {"parent": submission}, ["name", "question", "is_correct"], order_by="idx"
		)

	# --- one document --------------------------------------------------------------------------------

	def test_the_submission_read_as_a_document_shows_choices_and_score_only(self):
		for user, submission in self.hidden():
			doctype = quote(QUIZ_SUBMISSION)
			for response in (
				self.call(user, f"/api/resource/{doctype}/{submission}"),
				self.call(user, f"/api/v2/document/{doctype}/{submission}"),
				self.call(user, METHOD + "frappe.client.get", doctype=QUIZ_SUBMISSION, name=submission),
				self.call(
					user,
					METHOD + "frappe.client.get",
					doctype=QUIZ_SUBMISSION,
					filters={"name": submission},
				),
				self.call(
					user, METHOD + "frappe.desk.form.load.getdoc", doctype=QUIZ_SUBMISSION, name=submission
				),
			):
				self.assertTellsNothing(response, submission)
			own = self.call(user, f"/api/resource/{doctype}/{submission}").json()["data"]
			self.assertEqual((own["percentage"], own["passed"], own["score"]), (60, 0, 3))
			self.assertEqual(len(own["answers"]), 5)
			self.assertTrue(all(json.loads(row["chosen"]) for row in own["answers"]))
			for row in self.answer_rows(submission):
				for response in (
					self.call(user, f"/api/resource/{quote(SUBMISSION_ANSWER)}/{row.name}"),
					self.call(user, f"/api/v2/document/{quote(SUBMISSION_ANSWER)}/{row.name}"),
					self.call(
						user,
						METHOD + "frappe.client.get",
						doctype=SUBMISSION_ANSWER,
						name=row.name,
						parent=QUIZ_SUBMISSION,
					),
				):
					self.assertTellsNothing(response, submission)

	# --- lists, reports, filters ---------------------------------------------------------------------

	def test_lists_and_reports_of_the_answers_show_nothing(self):
		child = f"`tab{SUBMISSION_ANSWER}`"
		for user, submission in self.hidden():
			for doctype, fields, parent in (
				(SUBMISSION_ANSWER, ["*"], QUIZ_SUBMISSION),
				(SUBMISSION_ANSWER, ["name", "options", "is_correct", "marks", "parent"], QUIZ_SUBMISSION),
				(QUIZ_SUBMISSION, ["name", f"{child}.`options`", f"{child}.`is_correct`"], None),
				(QUIZ_SUBMISSION, ["name", f"{child}.`marks`", f"{child}.`question`"], None),
			):
				for method in (
					"frappe.client.get_list",
					"frappe.desk.reportview.get",
					"frappe.desk.reportview.get_list",
				):
					key = "parent" if method == "frappe.client.get_list" else "parent_doctype"
					response = self.call(
						user,
						METHOD + method,
						doctype=doctype,
						fields=fields,
						**{key: parent},
						filters={"parent": submission} if doctype == SUBMISSION_ANSWER else {},
						limit_page_length=0,
					)
					self.assertTellsNothing(response, submission)
				response = self.call(
					user,
					f"/api/resource/{quote(doctype)}",
					fields=fields,
					parent=parent,
					limit_page_length=0,
				)
				self.assertTellsNothing(response, submission)
			for method, params in (
				("frappe.desk.reportview.export_query", {"file_format_type": "CSV", "fields": ["*"]}),
				("frappe.desk.reportview.get_sidebar_stats", {"stats": ["is_correct", "marks"]}),
				("frappe.desk.listview.get_group_by_count", {"current_filters": [], "field": "is_correct"}),
				("frappe.client.get_value", {"fieldname": ["options", "is_correct"], "filters": {}}),
			):
				self.assertTellsNothing(
					self.call(
						user,
						METHOD + method,
						doctype=SUBMISSION_ANSWER,
						parent=QUIZ_SUBMISSION,
						parent_doctype=QUIZ_SUBMISSION,
						**params,
					),
					submission,
				)
			report = self.call(
				user,
				METHOD + "frappe.desk.query_report.run",
				report_name="Training History",
				filters={"course": self.course_name},
			)
			self.assertTellsNothing(report, submission)

	def test_filters_on_the_answers_tell_a_right_answer_from_a_wrong_one_alike(self):
		child = SUBMISSION_ANSWER
		for user, submission in self.hidden():
			rows = self.answer_rows(submission)
			right = next(row for row in rows if row.is_correct)
			wrong = next(row for row in rows if not row.is_correct)
			said = []
			for row in (right, wrong):
				asked = []
				ours = ["name", "=", submission]
				for doctype, filters in (
					(
						QUIZ_SUBMISSION,
						[ours, [child, "question", "=", row.question], [child, "is_correct", "=", 1]],
					),
					(
						QUIZ_SUBMISSION,
						[ours, [child, "question", "=", row.question], [child, "marks", ">", 0]],
					),
					(
						QUIZ_SUBMISSION,
						[ours, [child, "name", "=", row.name], [child, "options", "like", "%: 1%"]],
					),
					(
						child,
						[
							["parent", "=", submission],
							["question", "=", row.question],
							["is_correct", "=", 1],
						],
					),
				):
					for method in ("frappe.client.get_list", "frappe.client.get_count"):
						response = self.call(
							user,
							METHOD + method,
							doctype=doctype,
							filters=filters,
							parent=QUIZ_SUBMISSION if doctype == child else None,
						)
						asked.append((response.status_code, response.text))
				said.append(asked)
			self.assertEqual(said[0], said[1], "a filter tells a right answer from a wrong one")

	# --- prints and the page -------------------------------------------------------------------------

	def test_prints_and_pdfs_show_the_choices_not_the_verdicts(self):
		for user, submission in self.hidden():
			for fmt in (QUIZ_SUBMISSION, "Standard"):
				page = self.call(user, "/printview", doctype=QUIZ_SUBMISSION, name=submission, format=fmt)
				self.assertEqual(page.status_code, 200, page.text[:300])
				self.assertTellsNothing(page, submission)
				for verdict in PRINTED_VERDICTS:
					self.assertNotIn(verdict, page.text, fmt)
				pdf = self.call(user, PDF, doctype=QUIZ_SUBMISSION, name=submission, format=fmt)
				self.assertEqual(pdf.content[:4], b"%PDF", pdf.text[:300])
				text = pdf_text(pdf.content)
				self.assertTellsNothing(pdf, submission, text)
				for verdict in PRINTED_VERDICTS[:4]:
					self.assertNotIn(verdict, text, fmt)
				if fmt == QUIZ_SUBMISSION:
					for shown in ("FAILED", "Chosen", "Score", "60 %"):
						self.assertIn(shown, text)

	def test_the_lesson_page(self):
		for user, submission in self.hidden():
			quiz = frappe.db.get_value(QUIZ_SUBMISSION, submission, "quiz")
			lesson = frappe.db.get_value(LESSON, {"parent": self.course_name, "quiz": quiz})
			page = self.call(user, f"/lms/courses/{quote(self.course_name)}/lessons/{quote(lesson)}")
			self.assertEqual(page.status_code, 200, page.text[:300])
			self.assertTellsNothing(page, submission)

	# --- who sees them -------------------------------------------------------------------------------

	def test_after_passing_the_learner_reads_the_right_answers_of_their_pass(self):
		shown = self.passed["After Passing"]
		doc = self.call(self.eve, f"/api/resource/{quote(QUIZ_SUBMISSION)}/{shown}").json()["data"]
		self.assertEqual(doc["passed"], 1)
		correct = {
			o["option"] for row in doc["answers"] for o in json.loads(row["options"]) if o["is_correct"]
		}
		self.assertEqual(correct, {c for row in doc["answers"] for c in json.loads(row["chosen"])})
		self.assertTrue(all(row["is_correct"] for row in doc["answers"]))
		page = self.call(self.eve, "/printview", doctype=QUIZ_SUBMISSION, name=shown, format=QUIZ_SUBMISSION)
		self.assertIn(VERDICT, page.text)
		# Her failed attempt before the pass, and a pass under "Never", stay as they were.
		for submission in (self.failed[self.eve, "After Passing"], self.passed["Never"]):
			response = self.call(self.eve, f"/api/resource/{quote(QUIZ_SUBMISSION)}/{submission}")
			self.assertEqual(response.status_code, 200)
			self.assertIsNone(ANSWER_VALUES.search(response.text), response.text[:500])

	def test_hr_reads_every_answer_and_prints_right_and_wrong(self):
		for submission in self.failed.values():
			response = self.call(self.hr, f"/api/resource/{quote(QUIZ_SUBMISSION)}/{submission}")
			with self.assertRaises(AssertionError):
				self.assertTellsNothing(response, submission)
			answers = response.json()["data"]["answers"]
			self.assertEqual(sorted(row["is_correct"] for row in answers), [0, 0, 1, 1, 1])
			page = self.call(self.hr, "/printview", doctype=QUIZ_SUBMISSION, name=submission)
			self.assertEqual(page.text.count("lms-proof-verdict right"), 3)
			self.assertEqual(page.text.count("lms-proof-verdict wrong"), 2)
		# The desk's report view of the submissions, with the answers' columns.
		child = f"`tab{SUBMISSION_ANSWER}`"
		listed = self.call(
			self.hr,
			METHOD + "frappe.desk.reportview.get",
			doctype=QUIZ_SUBMISSION,
			fields=["name", f"{child}.`is_correct`", f"{child}.`options`"],
			filters={"name": ("in", list(self.failed.values()))},
			limit_page_length=0,
		).json()["message"]
		self.assertEqual(listed["keys"], ["name", "is_correct", "options"])
		self.assertEqual(sum(row[1] for row in listed["values"]), 3 * len(self.failed))
