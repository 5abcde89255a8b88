import frappe
from frappe import _
from frappe.model.document import Document

from smooth_lms.lms.framework.validation import validate_value_types


class LMSCourseProgress(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		course: DF.Link
		lesson: DF.Data
		lesson_title: DF.Data | None
		member: DF.Link
	# end: auto-generated types

	def validate(self):
		validate_value_types(self)  # what REST callers send, before anything reads it
		if frappe.db.exists(
			self.doctype, {"member": self.member, "lesson": self.lesson, "name": ("!=", self.name)}
		):
			frappe.throw(
				_("{0} has already completed lesson {1}.").format(
					self.member, self.lesson_title or self.lesson
				),
				frappe.DuplicateEntryError,
			)


def on_doctype_update():
	frappe.db.add_unique("LMS Course Progress", ["member", "lesson"], constraint_name="unique_member_lesson")
	frappe.db.add_index("LMS Course Progress", ["member", "course"])
