"""A row of an assignment's attempt grants: more attempts at a quiz, who gave them, when and why."""

from frappe.model.document import Document


class LMSQuizAttemptGrant(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		extra_attempts: DF.Int
		granted_by: DF.Link | None
		granted_on: DF.Datetime | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		quiz: DF.Link
		reason: DF.SmallText
	# end: auto-generated types

	pass
