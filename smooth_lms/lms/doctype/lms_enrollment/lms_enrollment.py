import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, flt, today

from smooth_lms.lms.assignments.status import follow_progress
from smooth_lms.lms.framework.document_trail import Via
from smooth_lms.lms.framework.roles import LMS_STUDENT, grant_role
from smooth_lms.lms.framework.validation import validate_value_types


class LMSEnrollment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		completed_on: DF.Date | None
		course: DF.Link
		course_title: DF.Data | None
		member: DF.Link
		member_name: DF.Data | None
		progress: DF.Float
	# end: auto-generated types

	def validate(self):
		validate_value_types(self)  # what REST callers send, before anything reads it
		self.validate_progress()
		self.validate_single_enrollment()
		self.set_completed_on()

	def validate_progress(self):
		if not 0 <= flt(self.progress) <= 100:
			frappe.throw(
				_("Progress must be between 0 and 100, not {0}.").format(self.progress),
				frappe.ValidationError,
				title=_("Invalid Progress"),
			)

	def validate_single_enrollment(self):
		# The unique (member, course) index is the guarantee; this gives the clear message.
		existing = frappe.db.get_value(
			self.doctype, {"member": self.member, "course": self.course, "name": ("!=", self.name)}
		)
		if existing:
			frappe.throw(
				_("{0} is already enrolled in course {1} ({2}).").format(
					escape_html(self.member), escape_html(self.course), existing
				),
				frappe.DuplicateEntryError,
				title=_("Already Enrolled"),
			)

	def set_completed_on(self):
		if flt(self.progress) >= 100:
			self.completed_on = self.completed_on or today()
		else:
			self.completed_on = None

	def after_insert(self):
		grant_role([self.member], LMS_STUDENT)

	def on_update(self):
		if self.has_value_changed("progress"):
			via = Via(_("via the enrollment's progress"), self.doctype, self.name)
			self.flags.assignments_saved = follow_progress(self.member, self.course, flt(self.progress), via)


def on_doctype_update():
	frappe.db.add_unique("LMS Enrollment", ["member", "course"], constraint_name="unique_member_course")
