"""A quiz of a course: its questions and marks, the pass mark, how many attempts and questions each
learner gets, when answers are shown and the time limit the server enforces."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, cstr, escape_html

from smooth_lms.lms.framework.plain_text import plain_text
from smooth_lms.lms.framework.validation import validate_value_types


class LMSQuiz(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smooth_lms.lms.doctype.lms_quiz_question.lms_quiz_question import LMSQuizQuestion

		course: DF.Link
		max_attempts: DF.Int
		passing_percentage: DF.Int
		questions: DF.Table[LMSQuizQuestion]
		questions_per_attempt: DF.Int
		show_answers: DF.Literal["After Passing", "After Each Attempt", "Never"]
		shuffle: DF.Check
		time_limit_minutes: DF.Int
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		validate_value_types(self)  # what REST callers send, before anything reads it
		self.title = plain_text(self.title).strip()
		if not self.title:
			frappe.throw(_("The quiz needs a title."), frappe.MandatoryError, title=_("Missing Title"))
		if not 1 <= cint(self.passing_percentage) <= 100:
			refuse(
				_("Passing Percentage must be between 1 and 100, not {0}.").format(
					cint(self.passing_percentage)
				)
			)
		for label, value in (
			(_("Max Attempts"), self.max_attempts),
			(_("Questions per Attempt"), self.questions_per_attempt),
			(_("Time Limit (Minutes)"), self.time_limit_minutes),
		):
			if cint(value) < 0:
				refuse(_("{0} cannot be negative ({1}): use 0 for none.").format(label, cint(value)))
		if not self.questions:
			frappe.throw(_("A quiz needs at least one question."), frappe.MandatoryError)
		seen = set()
		for row in self.questions:
			if row.question in seen:
				refuse(_("Question {0} is in the quiz twice.").format(escape_html(cstr(row.question))))
			seen.add(row.question)
			if cint(row.marks) < 1:
				refuse(_("The question in row {0} earns at least 1 mark.").format(row.idx))
		if cint(self.questions_per_attempt) > len(self.questions):
			refuse(
				_("Questions per Attempt ({0}) cannot be more than the quiz's questions ({1}).").format(
					cint(self.questions_per_attempt), len(self.questions)
				)
			)


def refuse(message: str) -> None:
	frappe.throw(message, frappe.ValidationError, title=_("Invalid Quiz"))
