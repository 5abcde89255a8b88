import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.naming import append_number_if_name_exists
from frappe.utils import cint, cstr
from frappe.utils.html_utils import sanitize_html
from frappe.website.utils import cleanup_page_name

from smooth_lms.lms.framework.validation import validate_value_types
from smooth_lms.lms.learning.finishing import validate_lessons
from smooth_lms.lms.obligations.sweeps import on_course_changed
from smooth_lms.lms.scorm.packages import remove_course_packages, unpack_course_packages
from smooth_lms.lms.validity.renewals import on_validity_changed


class LMSCourse(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smooth_lms.lms.doctype.lms_course_audience.lms_course_audience import LMSCourseAudience
		from smooth_lms.lms.doctype.lms_course_lesson.lms_course_lesson import LMSCourseLesson

		compliance_type: DF.Data | None
		description: DF.TextEditor | None
		disable_self_learning: DF.Check
		enable_certification: DF.Check
		image: DF.AttachImage | None
		is_mandatory: DF.Check
		lessons: DF.Table[LMSCourseLesson]
		mandatory_for: DF.Table[LMSCourseAudience]
		published: DF.Check
		renewal_window_days: DF.Int
		short_introduction: DF.SmallText | None
		title: DF.Data
		validity_days: DF.Int
		version: DF.Data | None
	# end: auto-generated types

	def autoname(self):
		# A readable slug, as frappe/lms does: it is the course's address on the portal.
		slug = cleanup_page_name(cstr(self.title)).replace("_", "-")[:100] or frappe.generate_hash(length=8)
		self.name = append_number_if_name_exists(self.doctype, slug, separator="-")

	def validate(self):
		validate_value_types(self)  # what REST callers send, before anything reads it
		self.title = cstr(self.title).strip()  # REST callers may send anything
		if cint(self.validity_days) < 0:
			frappe.throw(
				_("Validity Period (Days) cannot be negative: use 0 for a completion that never expires."),
				frappe.ValidationError,
				title=_("Invalid Validity Period"),
			)
		for lesson in self.lessons:
			if not (lesson.title or "").strip():
				frappe.throw(_("Lesson in row {0} needs a title.").format(lesson.idx), frappe.MandatoryError)
			lesson.clean_texts()
		validate_lessons(self)
		self.validate_version()
		self.sanitize_rich_text()
		unpack_course_packages(self)  # last: a course refused for anything else unpacks nothing

	def validate_version(self):
		"""The version changes through Publish New Version (smooth_lms.lms.versions), which may ask those
		who hold an older one to retrain."""
		self.version = cstr(self.version).strip() or "1"
		if self.is_new() or self.flags.new_version or not self.has_value_changed("version"):
			return
		frappe.throw(
			_("The version of {0} changes with Publish New Version.").format(self.name),
			frappe.ValidationError,
			title=_("Use Publish New Version"),
		)

	def sanitize_rich_text(self):
		"""The desk prints a Text Editor's value as HTML, and Frappe's own cleaning skips a value that
		does not parse as a whole tag (e.g. '<img src=x onerror=...//'): clean it always."""
		self.description = sanitize_html(self.description or "", always_sanitize=True)
		for lesson in self.lessons:
			lesson.content = sanitize_html(lesson.content or "", always_sanitize=True)

	def on_update(self):
		# Published and mandatory, or for other people than before: whoever now owes it gets it.
		on_course_changed(self)
		# A validity where there was none: past completions get their expiry, renewals follow.
		on_validity_changed(self)

	def on_trash(self):
		remove_course_packages(self)
