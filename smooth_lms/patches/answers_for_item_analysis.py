"""Answers submitted before Quiz Item Analysis read them from one index get what it reads, set-wise: their
submission's quiz and course (one UPDATE joined to the submissions) and their chosen set's key (one
UPDATE over their `chosen` JSON, quiz.chosen_keys.fill_missing). Then the earlier indexes of the report,
on (parent, question, is_correct) and (parent, question, is_correct, chosen_key), go: the index on
(quiz, question, is_correct, chosen_key, course, creation) takes their place."""

import frappe

from smooth_lms.lms.doctypes import QUIZ_SUBMISSION, SUBMISSION_ANSWER
from smooth_lms.lms.quiz.chosen_keys import fill_missing

OLD_INDEXES = ("parent_question_is_correct_index", "parent_question_is_correct_chosen_key_index")


def execute():
	frappe.db.sql(
		f"""update `tab{SUBMISSION_ANSWER}` answer
		join `tab{QUIZ_SUBMISSION}` submission on submission.name = answer.parent
		set answer.quiz = submission.quiz, answer.course = submission.course
		where answer.quiz is null and answer.parenttype = %(parenttype)s""",
		{"parenttype": QUIZ_SUBMISSION},
	)
	fill_missing()
	for index in OLD_INDEXES:
		if frappe.db.has_index(f"tab{SUBMISSION_ANSWER}", index):
			frappe.db.sql_ddl(f"alter table `tab{SUBMISSION_ANSWER}` drop index `{index}`")
