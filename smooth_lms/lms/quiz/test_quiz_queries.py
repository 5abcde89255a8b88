"""Taking a quiz costs a fixed number of SQL statements: start_quiz the same for a pool of 20 questions and
of 1,000 (it draws 20 of either), submit_quiz the same for 5 questions scored and for 50. Counted as the
benchmarks count them (scripts/benchmark quiz times them), each call the learner's, rolled back."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from smooth_lms.benchmarks.common import make_course, make_employees, make_users
from smooth_lms.benchmarks.quiz import make_pool
from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.quiz import start_quiz, submit_quiz
from smooth_lms.tests.factories import QueryCounter

SAVEPOINT = "quiz_query_counts"


class TestQuizStatements(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.learner = make_users(1, prefix="quiz-statements")[0]
		make_employees([cls.learner])
		course = make_course(
			f"Quiz Statements {frappe.generate_hash(length=6)}",
			lessons=[{"title": f"Lesson {i}"} for i in range(5)],
		)
		lessons = [lesson.name for lesson in course_lessons(course)]
		cls.pool_1000 = make_pool(course, lessons[0], 1000, 20)
		cls.pool_20 = make_pool(course, lessons[1], 20, 20)
		cls.five = make_pool(course, lessons[2], 5, 0)
		cls.fifty = make_pool(course, lessons[3], 50, 0)
		cls.kept = make_pool(course, lessons[4], 50, 0)  # submitted for good (the others are rolled back)
		create_assignments([course], [cls.learner], add_days(today(), 30))

	def setUp(self):
		frappe.set_user(self.learner)
		self.addCleanup(frappe.set_user, "Administrator")

	def statements(self, call, prepare=lambda: None) -> tuple[int, object]:
		"""The statements of `call(prepare())` (its second run: the first warms caches), rolled back."""
		for _run in range(2):
			frappe.db.savepoint(SAVEPOINT)
			prepared = prepare()
			with QueryCounter() as counter:
				answer = call(prepared)
			frappe.db.rollback(save_point=SAVEPOINT)
		return counter.count, answer

	def started(self, quiz: str) -> dict:
		attempt = start_quiz(quiz=quiz)["attempt"]
		drawn = frappe.parse_json(frappe.db.get_value("LMS Quiz Attempt", attempt, "questions"))
		answers = {q["question"]: [o["option"] for o in q["options"] if o["is_correct"]] for q in drawn}
		return {"attempt": attempt, "answers": answers, "drawn": drawn}

	def test_start_quiz_costs_the_same_for_a_pool_of_20_and_of_1000(self):
		large, shown_large = self.statements(lambda _: start_quiz(quiz=self.pool_1000))
		small, shown_small = self.statements(lambda _: start_quiz(quiz=self.pool_20))

		self.assertEqual(len(shown_large["questions"]), 20)
		self.assertEqual(len(shown_small["questions"]), 20)
		self.assertEqual(large, small)
		self.assertLess(large, 20)

	def test_submit_quiz_costs_the_same_for_5_and_50_questions(self):
		def submit(started):
			return submit_quiz(attempt=started["attempt"], answers=started["answers"])

		fifty, scored_fifty = self.statements(submit, lambda: self.started(self.fifty))
		five, scored_five = self.statements(submit, lambda: self.started(self.five))

		self.assertEqual((scored_fifty["score_out_of"], scored_fifty["passed"]), (50, True))
		self.assertEqual((scored_five["score_out_of"], scored_five["passed"]), (5, True))
		self.assertEqual(fifty, five)

	def test_each_answer_is_kept_with_the_question_and_options_as_shown(self):
		started = self.started(self.kept)
		first = started["drawn"][0]
		wrong = next(o["option"] for o in first["options"] if not o["is_correct"])  # options are shuffled
		started["answers"][first["question"]] = [wrong]
		scored = submit_quiz(attempt=started["attempt"], answers=started["answers"])

		submission = frappe.get_doc("LMS Quiz Submission", scored["submission"])
		self.assertEqual((submission.score, submission.score_out_of), (49, 50))
		self.assertEqual(
			[row.question for row in submission.answers], [q["question"] for q in started["drawn"]]
		)
		self.assertEqual([row.idx for row in submission.answers], list(range(1, 51)))
		row = submission.answers[0]
		self.assertEqual(
			(row.question_text, row.is_correct, row.marks, row.marks_out_of, frappe.parse_json(row.chosen)),
			(first["text"], 0, 0, 1, [wrong]),
		)
		self.assertEqual(
			frappe.parse_json(row.options),
			[
				{"option": o["option"], "text": o["text"], "is_correct": o["is_correct"]}
				for o in first["options"]
			],
		)
		self.assertEqual((row.owner, row.creation), (submission.owner, submission.creation))
		self.assertTrue(all(answer.is_correct for answer in submission.answers[1:]))
