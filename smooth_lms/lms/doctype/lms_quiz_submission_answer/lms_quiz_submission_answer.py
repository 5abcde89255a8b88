"""One question of a submission, as the learner saw it: the text, the options (each marked correct or
not), what they chose, and the marks it earned."""

import frappe
from frappe.model.document import Document


class LMSQuizSubmissionAnswer(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		chosen: DF.Code | None
		chosen_key: DF.Data | None
		course: DF.Link | None
		is_correct: DF.Check
		marks: DF.Float
		marks_out_of: DF.Float
		options: DF.Code | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		question: DF.Link | None
		question_text: DF.TextEditor | None
		quiz: DF.Link | None
	# end: auto-generated types

	def get_permlevel_access(self, permission_type="write"):
		"""As its submission's, when loaded with it (the Standard print asks a row); alone, by role."""
		if self.parent_doc is not None:
			return self.parent_doc.get_permlevel_access(permission_type)
		return super().get_permlevel_access(permission_type)


def on_doctype_update():
	# Quiz Item Analysis groups a quiz's answers by question, right or not and chosen set from this index
	# alone, in its order (no temporary table, no join, no row read), filtering course and dates on its
	# entries: scripts/benchmark items. The answer's quiz, course and creation are its submission's.
	frappe.db.add_index(
		"LMS Quiz Submission Answer", ["quiz", "question", "is_correct", "chosen_key", "course", "creation"]
	)
