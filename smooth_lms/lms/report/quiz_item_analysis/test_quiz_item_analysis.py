"""Quiz Item Analysis on a real site: per question, how often it was shown, the share answered right and
the wrong option chosen most, from scored submissions; filters; a chart; four queries whatever the number
of submissions; only those who write quizzes run it."""

import frappe
from frappe.desk.query_report import run
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.doctypes import QUESTION_OPTION
from smooth_lms.lms.quiz import start_quiz, submit_quiz
from smooth_lms.lms.report.quiz_item_analysis.quiz_item_analysis import execute, item_analysis
from smooth_lms.tests.factories import (
	QueryCounter,
	assign,
	d,
	make_course,
	make_question,
	make_quiz,
	make_user,
)
from smooth_lms.tests.hostile import HOSTILE

REPORT = "Quiz Item Analysis"
# What four learners answer to the three questions (options by letter; the first question's right answer
# is A, the second's A and C; nobody answers the third).
ANSWERS = [
	("A", "AC", ""),
	("B", "AB", ""),
	("B", "A", ""),
	("C", "BD", ""),
]


class TestQuizItemAnalysis(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.course_name = make_course(lessons=1)
		cls.other_course = make_course(lessons=1)
		cls.questions = [
			make_question(text="<p>Who may you <b>tell</b>?</p>"),
			make_question(text="<p>Which are harassment?</p>", correct=(0, 2)),
			make_question(text="<p>" + HOSTILE["tag"] + "</p>"),
		]
		cls.quiz = make_quiz(cls.course_name, questions=cls.questions, lesson=1)
		cls.options = {
			(row.parent, row.option[-1]): row.name
			for row in frappe.get_all(
				QUESTION_OPTION, {"parent": ("in", cls.questions)}, ["parent", "name", "option"]
			)
		}
		for answers in ANSWERS:
			cls.take(answers)

	@classmethod
	def take(cls, letters: tuple[str, ...]) -> None:
		frappe.set_user("Administrator")
		learner = make_user("LMS Student")
		assign(learner, cls.course_name)
		frappe.set_user(learner)
		attempt = start_quiz(quiz=cls.quiz)["attempt"]
		answers = {
			question: [cls.options[(question, letter)] for letter in chosen]
			for question, chosen in zip(cls.questions, letters, strict=True)
		}
		submit_quiz(attempt=attempt, answers=answers)
		frappe.set_user("Administrator")

	def setUp(self):
		frappe.set_user(make_user("Course Creator"))

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_per_question_attempts_share_right_and_the_wrong_option_chosen_most(self):
		columns, rows, _message, chart = execute({"quiz": self.quiz})
		self.assertEqual(
			[c["fieldname"] for c in columns],
			["label", "question", "question_text", "attempts", "right", "right_share", "most_chosen_wrong",
			 "most_chosen_wrong_count"],
		)  # fmt: skip
		summary = [
			(r["label"], r["question"], r["attempts"], r["right"], r["right_share"], r["most_chosen_wrong"],
			 r["most_chosen_wrong_count"])
			for r in rows
		]  # fmt: skip
		first, second, third = self.questions
		self.assertEqual(
			summary,
			[
				("Q1", first, 4, 1, 25.0, "Option B", 2),  # B twice, C once
				("Q2", second, 4, 1, 25.0, "Option B", 2),  # A alone is wrong without a wrong option
				("Q3", third, 4, 0, 0.0, None, None),  # shown, never answered
			],
		)
		self.assertEqual(rows[0]["question_text"], "Who may you tell?", "tags stripped")
		self.assertNotIn("<", rows[2]["question_text"])
		self.assertEqual(chart["data"]["labels"], ["Q1", "Q2", "Q3"])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [25.0, 25.0, 0.0])

	def test_filters(self):
		def attempts(**filters):
			return [row["attempts"] for row in item_analysis(self.quiz, **filters)]

		self.assertEqual(attempts(course=self.course_name), [4, 4, 4])
		self.assertEqual(attempts(course=self.other_course), [0, 0, 0], "the quiz's questions, unanswered")
		self.assertEqual(attempts(from_date=d(0), to_date=d(0)), [4, 4, 4])
		self.assertEqual(attempts(from_date=d(1)), [0, 0, 0])
		self.assertEqual(attempts(to_date=d(-1)), [0, 0, 0])
		self.assertIsNone(execute({"quiz": self.quiz, "from_date": str(d(1))})[3], "no chart without answers")
		with self.assertRaises(frappe.MandatoryError):
			execute({})
		with self.assertRaises(frappe.DoesNotExistError):
			execute({"quiz": "no-such-quiz"})
		with self.assertRaisesRegex(frappe.ValidationError, "must be a date"):
			execute({"quiz": self.quiz, "from_date": "soon"})

	def test_four_queries_whatever_the_number_of_submissions(self):
		def count(**filters) -> int:
			with QueryCounter() as counter:
				item_analysis(self.quiz, **filters)
			return counter.count

		self.assertEqual(count(), 4)
		self.assertEqual(count(from_date=d(1)), 4)
		frappe.db.savepoint("one_more")
		try:
			self.take(("A", "AC", "A"))
			self.assertEqual(count(), 4)
			self.assertEqual(item_analysis(self.quiz)[2]["right"], 1)
		finally:
			frappe.db.rollback(save_point="one_more")  # the other tests count four learners

	def test_only_those_who_write_quizzes(self):
		for role in ("Course Creator", "Moderator", "System Manager"):
			frappe.set_user(make_user(role))
			self.assertEqual(len(run(REPORT, filters={"quiz": self.quiz})["result"]), 3)
		for role in ("HR Manager", "LMS Student"):
			frappe.set_user(make_user(role))
			with self.assertRaises(frappe.PermissionError):
				execute({"quiz": self.quiz})
			with self.assertRaises(frappe.PermissionError):
				run(REPORT, filters={"quiz": self.quiz})
