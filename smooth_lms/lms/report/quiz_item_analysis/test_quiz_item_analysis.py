"""Quiz Item Analysis on a real site: per question, how often it was shown, the share answered right and
the wrong option chosen most, from scored submissions; filters; a chart; three queries whatever the number
of submissions, the answers read from an index alone (each answer's chosen set kept as a short key, which
a patch gives older answers); only those who write quizzes run it."""

import json
from collections import Counter

import frappe
from frappe.desk.query_report import run
from frappe.query_builder.functions import Count
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.doctypes import QUESTION_OPTION, SUBMISSION_ANSWER
from smooth_lms.lms.quiz import start_quiz, submit_quiz
from smooth_lms.lms.quiz.chosen_keys import chosen_key, chosen_options
from smooth_lms.lms.report.quiz_item_analysis.quiz_item_analysis import (
	answers_query,
	execute,
	item_analysis,
)
from smooth_lms.patches import answers_for_item_analysis
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
		columns, rows, message, chart = execute({})
		self.assertEqual((rows, chart), ([], None))
		self.assertIn("Pick a quiz", message)
		with self.assertRaises(frappe.DoesNotExistError):
			execute({"quiz": "no-such-quiz"})
		with self.assertRaisesRegex(frappe.ValidationError, "must be a date"):
			execute({"quiz": self.quiz, "from_date": "soon"})

	def test_three_queries_whatever_the_number_of_submissions(self):
		self.assertEqual(queries(self.quiz), 3)
		self.assertEqual(queries(self.quiz, from_date=d(1)), 3)
		frappe.db.savepoint("one_more")
		try:
			self.take(("A", "AC", "A"))
			self.assertEqual(queries(self.quiz), 3)
			self.assertEqual(item_analysis(self.quiz)[2]["right"], 1)
		finally:
			frappe.db.rollback(save_point="one_more")  # the other tests count four learners

	def test_each_answer_keeps_its_chosen_set_as_a_key(self):
		def key(question: str, letters: str) -> str:
			return ",".join(sorted(self.options[question, letter] for letter in letters))

		expected = Counter(
			(question, key(question, letters))
			for answers in ANSWERS
			for question, letters in zip(self.questions, answers, strict=True)
		)
		rows = self.answers()
		self.assertEqual(Counter((row.question, row.chosen_key) for row in rows), expected)
		self.assertIn((self.questions[1], key(self.questions[1], "AC")), expected, "multiple choice")
		for row in rows:
			self.assertEqual(chosen_options(row.chosen_key), sorted(json.loads(row.chosen)))
		self.assertEqual(chosen_key([]), "")
		self.assertEqual(chosen_key(["b", "a", "b"]), "a,b")
		self.assertIsNone(chosen_key([frappe.generate_hash(length=10) for _ in range(13)]), "too long")
		self.assertIsNone(chosen_key(["a,b"]), "would not read back")

	def test_the_patch_keys_older_answers_and_the_report_reads_them_alike(self):
		before = item_analysis(self.quiz)
		keys = {row.name: (row.chosen_key, row.quiz, row.course) for row in self.answers()}
		self.assertEqual({key[1:] for key in keys.values()}, {(self.quiz, self.course_name)})
		frappe.db.savepoint("old_rows")
		try:
			# Answers as they were before the key: the report groups their `chosen` instead, in one more query.
			frappe.db.sql(
				f"update `tab{SUBMISSION_ANSWER}` set chosen_key = null where name in %(names)s",
				{"names": list(keys)},
			)
			self.assertEqual(item_analysis(self.quiz), before)
			self.assertEqual(queries(self.quiz), 4)
			# ... and before the quiz and course: the report finds none of them until the patch.
			frappe.db.sql(
				f"update `tab{SUBMISSION_ANSWER}` set quiz = null, course = null where name in %(names)s",
				{"names": list(keys)},
			)
			self.assertEqual([row["attempts"] for row in item_analysis(self.quiz)], [0, 0, 0])
			answers_for_item_analysis.execute()
			self.assertEqual(
				{row.name: (row.chosen_key, row.quiz, row.course) for row in self.answers()}, keys
			)
			self.assertEqual(item_analysis(self.quiz), before)
			self.assertEqual(queries(self.quiz), 3)
			# A set too long for a key keeps none, and is still counted.
			unanswered = next(row.name for row in self.answers() if row.question == self.questions[2])
			removed = [frappe.generate_hash(length=10) for _ in range(13)]
			frappe.db.set_value(
				SUBMISSION_ANSWER, unanswered, {"chosen": json.dumps(removed), "chosen_key": None}
			)
			answers_for_item_analysis.execute()
			self.assertIsNone(frappe.db.get_value(SUBMISSION_ANSWER, unanswered, "chosen_key"))
			third = item_analysis(self.quiz)[2]
			self.assertEqual(
				(third["most_chosen_wrong"], third["most_chosen_wrong_count"]), ("(option removed)", 1)
			)
			self.assertEqual(queries(self.quiz), 4)
		finally:
			frappe.db.rollback(save_point="old_rows")

	def test_the_answers_are_grouped_from_the_index_alone(self):
		query, answer = answers_query(self.quiz, course=self.course_name, from_date=d(-1), to_date=d(0))
		query = query.select(answer.question, answer.is_correct, answer.chosen_key, Count("*")).groupby(
			answer.question, answer.is_correct, answer.chosen_key
		)
		plan = frappe.db.sql(f"explain {query.get_sql()}", as_dict=True)
		self.assertEqual(len(plan), 1, "no join")
		answers = plan[0]
		self.assertEqual(answers.key, "quiz_question_is_correct_chosen_key_course_creation_index", plan)
		self.assertIn("Using index", answers.Extra, plan)
		self.assertNotIn("temporary", answers.Extra, plan)

	def answers(self) -> list[frappe._dict]:
		return frappe.get_all(
			SUBMISSION_ANSWER,
			{"question": ("in", self.questions)},
			["name", "question", "chosen", "chosen_key", "quiz", "course"],
		)

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


def queries(quiz: str, **filters) -> int:
	with QueryCounter() as counter:
		item_analysis(quiz, **filters)
	return counter.count
