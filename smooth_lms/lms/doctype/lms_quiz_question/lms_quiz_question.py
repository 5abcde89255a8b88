"""A question of a quiz and the marks it earns."""

from frappe.model.document import Document


class LMSQuizQuestion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		marks: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		question: DF.Link
	# end: auto-generated types

	pass
