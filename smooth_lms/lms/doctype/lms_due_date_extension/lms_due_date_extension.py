"""A row of an assignment's due date history: who moved the deadline, from when to when, and why."""

from frappe.model.document import Document


class LMSDueDateExtension(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		extended_by: DF.Link | None
		extended_on: DF.Datetime | None
		new_due_date: DF.Date | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		previous_due_date: DF.Date | None
		reason: DF.SmallText
	# end: auto-generated types

	pass
