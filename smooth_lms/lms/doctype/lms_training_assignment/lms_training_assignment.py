"""An assignment of a mandatory course to one learner, with a due date. Created by
`assignments.creation.create_assignments` (set-wise) or one at a time from the desk / REST through the same plan;
its status is decided by the status engine (`smooth_lms.lms.assignments.status`)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html

from smooth_lms.lms.assignments.creation import notify_assigned, prepare_assignments, refusal
from smooth_lms.lms.assignments.status import apply_status, mark_overdue
from smooth_lms.lms.certificates.issuing import issue_certificates
from smooth_lms.lms.framework.validation import get_assignable_course, validate_due_date, validate_value_types
from smooth_lms.lms.hr_compliance import queue_handoff
from smooth_lms.lms.training_rules import COMPLETED, OPEN_STATUSES, is_open

# Written only by the app's own paths (see keep_app_owned_fields).
APP_OWNED_FIELDS = (
	"completed_on", "valid_until", "progress", "enrollment", "renewal_of",
	"completion_source", "completion_note", "completion_evidence", "completion_recorded_by",
	"attempts_exhausted", "course_version", "compliance_record", "compliance_handed_over",
)  # fmt: skip
# Tables the app alone appends to: due date extensions (hr_records), quiz attempt grants (quiz.attempts).
APP_OWNED_TABLES = ("extensions", "attempt_grants")


class LMSTrainingAssignment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smooth_lms.lms.doctype.lms_due_date_extension.lms_due_date_extension import LMSDueDateExtension
		from smooth_lms.lms.doctype.lms_quiz_attempt_grant.lms_quiz_attempt_grant import LMSQuizAttemptGrant

		assigned_by: DF.Link | None
		attempt_grants: DF.Table[LMSQuizAttemptGrant]
		attempts_exhausted: DF.Check
		completed_on: DF.Date | None
		completion_evidence: DF.Attach | None
		completion_note: DF.SmallText | None
		completion_recorded_by: DF.Link | None
		completion_source: DF.Literal["LMS", "Classroom Session", "External Provider", "Other"]
		compliance_handed_over: DF.Datetime | None
		compliance_record: DF.Data | None
		course: DF.Link
		course_title: DF.Data | None
		due_date: DF.Date
		due_soon_reminded_for: DF.Date | None
		employee: DF.Link
		employee_name: DF.Data | None
		enrollment: DF.Link | None
		expiry_notice_for: DF.Date | None
		expiry_warned_for: DF.Date | None
		extensions: DF.Table[LMSDueDateExtension]
		open_key: DF.Data | None
		overdue_notice_for: DF.Date | None
		progress: DF.Float
		renewal_of: DF.Link | None
		status: DF.Literal["Pending", "In Progress", "Completed", "Overdue"]
		valid_until: DF.Date | None
	# end: auto-generated types

	def before_insert(self):
		# Planned (assignments.lock_creation taken, the learner enrolled) before Frappe names the document,
		# in the order the bulk path takes the same locks: a desk save racing a bulk assignment of the same
		# learner waits for it instead of deadlocking.
		validate_value_types(self)
		self.keep_app_owned_fields()
		self.prepare()
		self.flags.prepared = True

	def validate(self):
		validate_value_types(self)  # what REST callers send, before anything reads it
		self.assigned_by = self.assigned_by or frappe.session.user
		if not self.flags.prepared:
			self.keep_app_owned_fields()
			self.validate_due_date_change()
		apply_status(self)
		self.validate_single_open()

	def validate_due_date_change(self):
		"""A saved assignment's due date moves only through Extend Due Date (hr_records.extend_due_date),
		which keeps the reason, who and when in Due Date Extensions: the desk form, list edits and REST
		keep one record of every change."""
		if self.flags.app_owned_change or not self.has_value_changed("due_date"):
			return
		frappe.throw(
			_(
				"The due date of {0} changes with Extend Due Date, which keeps the reason on the assignment's record."
			).format(self.name),
			frappe.ValidationError,
			title=_("Use Extend Due Date"),
		)

	def keep_app_owned_fields(self):
		"""The record of an attempt (completion, validity, renewal, extensions, quiz attempts) is written by the app's own
		paths — the status engine, a learner's progress, HR's recorded completions and extensions,
		renewals — which say so with `flags.app_owned_change`. From the desk or REST these fields keep
		their stored values, whoever the caller."""
		if self.flags.app_owned_change:
			return
		before = self.get_doc_before_save()
		for field in APP_OWNED_FIELDS:
			self.set(field, before.get(field) if before else self.meta.get_field(field).default)
		for table in APP_OWNED_TABLES:
			self.set(table, [row.as_dict() for row in before.get(table)] if before else [])

	def prepare(self):
		"""The same plan as bulk assignment: who may be assigned (enabled users, not Guest, no open
		assignment), the enrollment (made, or a finished one started over) and the starting progress."""
		due_date = validate_due_date(self.due_date)
		course = get_assignable_course(self.course)
		plan = prepare_assignments([(self.employee, course.name)], due_date)
		reason = refusal(plan, self.employee, course.name)
		if reason:
			frappe.throw(reason, frappe.ValidationError, title=_("Cannot Assign Training"))
		(row,) = plan.rows
		self.employee_name, self.course_title = row.employee_name, row.course_title
		self.enrollment, self.progress = row.enrollment, row.progress
		self.status = self.completed_on = None

	def validate_single_open(self):
		"""A clear message for the rule the database holds anyway (unique open_key)."""
		if not is_open(self.status):
			return
		other = frappe.db.get_value(
			self.doctype,
			{
				"employee": self.employee,
				"course": self.course,
				"status": ("in", OPEN_STATUSES),
				"name": ("!=", self.name or ""),
			},
		)
		if other:
			frappe.throw(
				_(
					"{0} already has an open assignment for course {1}: {2}. Complete it or change its due date instead."
				).format(escape_html(self.employee), escape_html(self.course), other),
				frappe.ValidationError,
				title=_("Open Assignment Exists"),
			)

	def show_unique_validation_message(self, e):
		# A racing request opened the same (employee, course) between our check and our insert.
		if "open_key" in str(e.args):
			frappe.throw(
				_("{0} already has an open assignment for course {1}.").format(
					escape_html(self.employee), escape_html(self.course)
				),
				frappe.UniqueValidationError,
				title=_("Open Assignment Exists"),
			)
		super().show_unique_validation_message(e)

	def on_update(self):
		# A completion saved as a document (lessons, a quiz, HR's recorded completion, the desk) issues
		# its certificate in the same transaction, and is handed to HR's ledger by a job after the commit;
		# set-wise completions do both in the status engine.
		if self.status == COMPLETED and self.has_value_changed("status"):
			issue_certificates([self.name])
			queue_handoff([self.name])

	def after_insert(self):
		self.flags.prepared = False  # a later save of this object is an ordinary one
		notify_assigned([self.name])


def mark_overdue_assignments() -> int:
	"""Daily (hooks.py): every open assignment past its due date becomes Overdue. Returns the count.
	Set-wise through the status engine: a fixed number of statements per 1,000 rows, each change in
	the assignment's timeline and its document events run from a job after the commit."""
	return mark_overdue()


def on_doctype_update():
	# A person's assignments of a course: the open-row checks, renewals and compliance states read them.
	frappe.db.add_index("LMS Training Assignment", ["employee", "course"])
