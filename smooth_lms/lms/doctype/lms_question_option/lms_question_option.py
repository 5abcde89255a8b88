"""An option of a question: its text, whether it is correct and why (shown when the quiz allows)."""

from frappe.model.document import Document


class LMSQuestionOption(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		explanation: DF.SmallText | None
		is_correct: DF.Check
		option: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types

	pass
