import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import flt, getdate, now_datetime, today

from smooth_lms.lms.assignments import ASSIGNMENT, ensure_enrollments
from smooth_lms.lms.reminders import notify_assigned
from smooth_lms.lms.roles import LMS_STUDENT, grant_role
from smooth_lms.lms.training_rules import COMPLETED, OPEN_STATUSES, OVERDUE, is_open, next_status, open_key
from smooth_lms.lms.validation import get_assignable_course, validate_due_date


class LMSTrainingAssignment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assigned_by: DF.Link | None
		completed_on: DF.Date | None
		course: DF.Link
		course_title: DF.Data | None
		due_date: DF.Date
		employee: DF.Link
		employee_name: DF.Data | None
		enrollment: DF.Link | None
		open_key: DF.Data | None
		progress: DF.Float
		reminder_sent_on: DF.Date | None
		status: DF.Literal["Pending", "In Progress", "Completed", "Overdue"]
	# end: auto-generated types

	def validate(self):
		self.assigned_by = self.assigned_by or frappe.session.user
		if self.is_new() or self.has_value_changed("due_date"):
			validate_due_date(self.due_date)
		if self.is_new():
			course = get_assignable_course(self.course)
			self.course_title = course.title
			self.validate_single_open(new_status=None)
			self.enrol()
		else:
			self.sync_progress()
		self.set_status()
		self.validate_single_open(new_status=self.status)

	def enrol(self):
		"""Same path as bulk assignment: enrol if needed, restart a finished enrollment."""
		full_name = frappe.db.get_value("User", self.employee, "full_name") or self.employee
		enrollments, _enrolled = ensure_enrollments(
			[(self.employee, self.course)],
			{self.employee: full_name},
			{self.course: self.course_title},
			restart_completed=True,
		)
		self.enrollment, self.progress = enrollments[(self.employee, self.course)]
		self.status = None
		self.completed_on = None

	def sync_progress(self):
		if self.status != COMPLETED and self.enrollment:
			self.progress = flt(frappe.db.get_value("LMS Enrollment", self.enrollment, "progress"))

	def set_status(self):
		previous = self.get_doc_before_save()
		current = previous.status if previous else None
		self.status = next_status(current, flt(self.progress), getdate(self.due_date), getdate(today()))
		if self.status == COMPLETED:
			self.completed_on = self.completed_on or today()
			self.progress = 100
		self.open_key = open_key(self.employee, self.course) if is_open(self.status) else None

	def validate_single_open(self, new_status: str | None):
		if new_status is not None and not is_open(new_status):
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
				).format(self.employee, self.course, other),
				frappe.ValidationError,
				title=_("Open Assignment Exists"),
			)

	def show_unique_validation_message(self, e):
		# A racing request opened the same (employee, course) between our check and our insert.
		if "open_key" in str(e.args):
			frappe.throw(
				_("{0} already has an open assignment for course {1}.").format(self.employee, self.course),
				frappe.UniqueValidationError,
				title=_("Open Assignment Exists"),
			)
		super().show_unique_validation_message(e)

	def after_insert(self):
		grant_role([self.employee], LMS_STUDENT)
		notify_assigned([self.name])


def mark_overdue_assignments() -> int:
	"""Daily: every open assignment past its due date becomes Overdue. Two statements whatever the
	number of rows; the count is read under the same row locks the update takes, so it is exact."""
	assignment = DocType(ASSIGNMENT)
	late = assignment.status.isin(OPEN_STATUSES) & (assignment.due_date < getdate(today()))
	count = frappe.qb.from_(assignment).select(Count("*")).where(late).for_update().run()[0][0]
	if count:
		(
			frappe.qb.update(assignment)
			.set(assignment.status, OVERDUE)
			.set(assignment.open_key, None)
			.set(assignment.modified, now_datetime())
			.where(late)
		).run()
	return int(count)
