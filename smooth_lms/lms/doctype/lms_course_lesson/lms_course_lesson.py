from frappe.model.document import Document


class LMSCourseLesson(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		acknowledgement: DF.SmallText | None
		content: DF.TextEditor | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		quiz: DF.Link | None
		scorm_launch: DF.Data | None
		scorm_package: DF.Attach | None
		scorm_package_id: DF.Data | None
		scorm_version: DF.Data | None
		title: DF.Data
	# end: auto-generated types

	pass
