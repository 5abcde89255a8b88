"""A row of a course's "Mandatory For" table: the part of the company that owes the course (see
smooth_lms.lms.obligations). A row matches an employee when every field filled in on it equals theirs."""

from frappe.model.document import Document


class LMSCourseAudience(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		branch: DF.Data | None
		department: DF.Data | None
		designation: DF.Data | None
		employment_type: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types

	pass
