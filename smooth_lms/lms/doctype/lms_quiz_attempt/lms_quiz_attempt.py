"""One attempt at a quiz by one learner for one assignment: the questions the server drew for it (and
the order it showed them and their options in), when it started, its deadline and whether it was
submitted. Written by `smooth_lms.lms.quiz.start_quiz`; only its status moves after that."""

from frappe.model.document import Document

from smooth_lms.lms.framework.proof import Proof


class LMSQuizAttempt(Proof, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assignment: DF.Link | None
		attempt: DF.Int
		attempt_key: DF.Data | None
		course: DF.Link
		deadline: DF.Datetime | None
		lesson: DF.Data | None
		member: DF.Link
		questions: DF.Code | None
		quiz: DF.Link
		started_at: DF.Datetime | None
		status: DF.Literal["Open", "Submitted", "Expired"]
	# end: auto-generated types

	pass
