from frappe.model.document import Document

from smooth_lms.lms.framework.plain_text import plain_text


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

	def clean_texts(self):
		"""The statement as plain text (framework.plain_text): the desk prints it as HTML, and an
		acknowledgement stores and hashes it as it is. LMSCourse.validate calls it: Frappe runs no
		`validate` of a child row."""
		self.acknowledgement = plain_text(self.acknowledgement)
