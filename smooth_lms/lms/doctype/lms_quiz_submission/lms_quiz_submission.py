"""A scored attempt at a quiz, written once by `smooth_lms.lms.quiz.submit_quiz`: every question as it
was shown, what the learner chose, the marks, the score and the pass mark. Nobody edits it."""

from frappe.model.document import Document

from smooth_lms.lms.framework.proof import Proof
from smooth_lms.lms.quiz import review


class LMSQuizSubmission(Proof, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smooth_lms.lms.doctype.lms_quiz_submission_answer.lms_quiz_submission_answer import (
			LMSQuizSubmissionAnswer,
		)

		answers: DF.Table[LMSQuizSubmissionAnswer]
		assignment: DF.Link | None
		attempt: DF.Int
		course: DF.Link
		lesson: DF.Data | None
		member: DF.Link
		member_name: DF.Data | None
		passed: DF.Check
		passing_percentage: DF.Int
		percentage: DF.Float
		quiz: DF.Link
		quiz_attempt: DF.Link | None
		quiz_title: DF.Data | None
		score: DF.Float
		score_out_of: DF.Float
	# end: auto-generated types

	def get_permlevel_access(self, permission_type="write"):
		"""The roles' levels, and the answers' for its own learner when the quiz shows them (quiz.review)."""
		levels = super().get_permlevel_access(permission_type)
		if permission_type == "read" and review.ANSWERS_LEVEL not in levels:
			if self.flags.answers_granted is None:
				self.flags.answers_granted = review.granted_to_learner(self)
			if self.flags.answers_granted:
				levels = [*levels, review.ANSWERS_LEVEL]
		return levels
