"""The question bank's rules, on the site: options, the right number correct, text cleaned; quizzes and
lessons that name them."""

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.doctypes import QUESTION, QUIZ, QUIZ_SUBMISSION
from smooth_lms.tests.factories import make_course, make_question, make_quiz, set_lesson


def question(kind: str, correct: list[int], options: int = 3, **fields):
	return frappe.get_doc(
		{
			"doctype": QUESTION,
			"question": fields.pop("text", "<p>Which?</p>"),
			"type": kind,
			"options": [{"option": f"Option {i}", "is_correct": int(i in correct)} for i in range(options)],
			**fields,
		}
	)


class TestLMSQuestion(FrappeTestCase):
	def test_the_right_number_of_correct_options(self):
		for kind, correct, options in (
			("Single Choice", [], 3),
			("Single Choice", [0, 1], 3),
			("Multiple Choice", [], 3),
			("Single Choice", [0], 1),
		):
			with self.subTest(kind=kind, correct=correct, options=options):
				self.assertRaises(frappe.ValidationError, question(kind, correct, options).insert)
		question("Single Choice", [1]).insert()
		question("Multiple Choice", [0, 2]).insert()
		question("Multiple Choice", [0, 1, 2]).insert()

	def test_options_need_distinct_texts_and_the_question_a_text(self):
		doc = question("Single Choice", [0])
		doc.options[1].option = " option 0 "
		self.assertRaises(frappe.ValidationError, doc.insert)
		self.assertRaises(frappe.ValidationError, question("Single Choice", [0], text="<p> </p>").insert)

	def test_the_question_text_is_stored_without_script(self):
		doc = question(
			"Single Choice", [0], text='<p>Safe?</p><script>alert(1)</script><img src=x onerror="alert(2)">'
		)
		doc.insert()
		self.assertNotIn("<script", doc.question)
		self.assertNotIn("onerror", doc.question)


class TestLMSQuiz(FrappeTestCase):
	def test_pass_mark_counts_and_questions(self):
		course = make_course()
		names = [make_question() for _ in range(3)]
		base = {"doctype": QUIZ, "title": "Check", "course": course}
		for fields in (
			{"passing_percentage": 0},
			{"passing_percentage": 101},
			{"max_attempts": -1},
			{"questions_per_attempt": 4},
			{"time_limit_minutes": -5},
		):
			with self.subTest(fields=fields):
				doc = frappe.get_doc({**base, **fields, "questions": [{"question": n} for n in names]})
				self.assertRaises(frappe.ValidationError, doc.insert)
		twice = frappe.get_doc({**base, "questions": [{"question": names[0]}, {"question": names[0]}]})
		self.assertRaises(frappe.ValidationError, twice.insert)
		zero = frappe.get_doc({**base, "questions": [{"question": names[0], "marks": 0}]})
		self.assertRaises(frappe.ValidationError, zero.insert)
		self.assertRaises(frappe.MandatoryError, frappe.get_doc({**base, "questions": []}).insert)
		doc = frappe.get_doc({**base, "questions": [{"question": n} for n in names]}).insert()
		self.assertEqual(
			(doc.passing_percentage, doc.max_attempts, doc.show_answers), (80, 0, "After Passing")
		)

	def test_a_lesson_is_finished_one_way_with_a_quiz_of_its_own_course(self):
		course, other = make_course(lessons=2), make_course()
		quiz = make_quiz(course, questions=2, lesson=None)
		foreign = make_quiz(other, questions=2, lesson=None)
		self.assertRaises(
			frappe.ValidationError, set_lesson, course, 1, quiz=quiz, acknowledgement="I agree."
		)
		self.assertRaises(frappe.ValidationError, set_lesson, course, 1, quiz=foreign)
		self.assertRaises(frappe.LinkValidationError, set_lesson, course, 1, quiz="no-such-quiz")
		set_lesson(course, 1, quiz=quiz)
		self.assertRaises(frappe.ValidationError, set_lesson, course, 2, quiz=quiz)
		set_lesson(course, 2, acknowledgement="I have read this.")


class TestProofIsNeverEdited(FrappeTestCase):
	def test_nobody_edits_or_deletes_a_submission(self):
		course = make_course()
		doc = frappe.get_doc(
			{
				"doctype": QUIZ_SUBMISSION,
				"quiz": make_quiz(course, questions=1, lesson=None),
				"member": "Administrator",
				"course": course,
				"attempt": 1,
				"score": 1,
				"score_out_of": 1,
				"percentage": 100,
				"passed": 1,
			}
		)
		doc.insert(ignore_permissions=True)
		doc.passed = 0
		self.assertRaises(frappe.PermissionError, doc.save, ignore_permissions=True)
		self.assertRaises(frappe.PermissionError, frappe.delete_doc, QUIZ_SUBMISSION, doc.name, force=True)
