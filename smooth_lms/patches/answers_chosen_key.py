"""Answers submitted before `chosen_key` existed get theirs from their `chosen` JSON, set-wise (one
UPDATE, quiz.chosen_keys.fill_missing); the index on (parent, question, is_correct) goes, its longer
twin with chosen_key taking its place for Quiz Item Analysis."""

import frappe

from smooth_lms.lms.doctypes import SUBMISSION_ANSWER
from smooth_lms.lms.quiz.chosen_keys import fill_missing

OLD_INDEX = "parent_question_is_correct_index"


def execute():
	fill_missing()
	if frappe.db.has_index(f"tab{SUBMISSION_ANSWER}", OLD_INDEX):
		frappe.db.sql_ddl(f"alter table `tab{SUBMISSION_ANSWER}` drop index `{OLD_INDEX}`")
