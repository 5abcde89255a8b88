"""Smooth HR (HRMS) integration: the Employee Onboarding hook and the whitelisted methods HRMS calls.

HRMS is not a dependency: Employee and Employee Onboarding are read by name only, and only where
those DocTypes exist.
"""

import datetime
import json

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import escape_html, flt, getdate, today
from pypika.terms import ValueWrapper

from smooth_lms.lms import onboarding
from smooth_lms.lms.assignments import ASSIGNMENT, AssignmentResult, create_assignments
from smooth_lms.lms.document_trail import Via
from smooth_lms.lms.employees import leaver_condition
from smooth_lms.lms.guards import guarded, require_login
from smooth_lms.lms.roles import require_assigner, require_training_viewer
from smooth_lms.lms.training_rules import (
	COMPLETED,
	EXPIRED,
	EXPIRING_SOON,
	STATUSES,
	chunked,
	completion_rate,
	unique_in_order,
)
from smooth_lms.lms.validation import get_assignable_course, validate_due_date
from smooth_lms.lms.validity import completion_state, renewed_column

# --- Onboarding hook ---------------------------------------------------------------------------


def on_onboarding_created(doc, method=None) -> None:
	"""after_insert of Employee Onboarding (the spec's hook): enrol the new hire in every mandatory
	course they owe, with a deadline for HR, as soon as they have an Employee record and a user — now
	if they do, else when they get them (smooth_lms.lms.onboarding). Never raises; the onboarding's
	timeline says what happened."""
	onboarding.on_onboarding_created(doc)


# --- assign_mandatory_training -------------------------------------------------------------------


# allow_guest only so that a Guest is refused with the same clear 403 as any other caller (the spec's
# message names the Moderator role): the guard's first step refuses everyone but assigners.
@frappe.whitelist(allow_guest=True, methods=["POST"])
@guarded(require_assigner, retry=True)
def assign_mandatory_training(course: str, employees: list | str, due_date: str | datetime.date) -> int:
	"""Assign a published course to many employees at once. Returns the number of assignments created."""
	ids = parse_employee_list(employees)
	course_row = get_assignable_course(course)
	due = validate_due_date(due_date)

	users, without_user = resolve_users(ids)
	via = Via(_("via Assign Training"))
	result = create_assignments([course_row.name], users, due, assigned_by=frappe.session.user, via=via)
	_report(result, without_user)
	return len(result.created)


def parse_employee_list(employees) -> list[str]:
	if isinstance(employees, str):
		try:
			employees = json.loads(employees)
		except ValueError:
			frappe.throw(
				_('Employees must be a list of user IDs (emails), e.g. ["jane@example.com"].'),
				frappe.ValidationError,
				title=_("Invalid Employees"),
			)
	if not isinstance(employees, list | tuple) or not all(isinstance(e, str) for e in employees):
		frappe.throw(
			_('Employees must be a list of user IDs (emails), e.g. ["jane@example.com"].'),
			frappe.ValidationError,
			title=_("Invalid Employees"),
		)
	ids = unique_in_order(employees)
	if not ids:
		frappe.throw(
			_("Pick at least one employee to assign."), frappe.ValidationError, title=_("No Employees")
		)
	return ids


def resolve_users(ids: list[str]) -> tuple[list[str], list[str]]:
	"""User IDs as given, with HRMS Employee IDs (where the Employee DocType exists) replaced by their
	User ID. Returns the users (repeats dropped) and the Employee IDs that have no user."""
	if not frappe.db.table_exists("Employee"):
		return ids, []
	employee = DocType("Employee")
	user_of: dict[str, str | None] = {}
	for batch in chunked(ids):
		rows = (
			frappe.qb.from_(employee)
			.select(employee.name, employee.user_id)
			.where(employee.name.isin(list(batch)))
			.run()
		)
		user_of.update(dict(rows))
	without_user = [i for i in ids if i in user_of and not user_of[i]]
	users = unique_in_order(user_of.get(i) or i for i in ids if i not in without_user)
	return users, without_user


def _report(result: AssignmentResult, without_user: list[str]) -> None:
	lines = [_("{0} assignment(s) created.").format(len(result.created))]
	if result.already_open:
		lines.append(_("{0} skipped: an open assignment already exists.").format(len(result.already_open)))
	for label, users in (
		(_("Unknown users skipped"), result.unknown_users),
		(_("Disabled users skipped"), result.disabled_users),
		(_("Leavers skipped"), result.left_users),
		(_("Employees without a user skipped"), without_user),
	):
		if users:
			shown = ", ".join(escape_html(user) for user in users[:20]) + (
				_(" and {0} more").format(len(users) - 20) if len(users) > 20 else ""
			)
			lines.append(f"{label}: {shown}")
	frappe.msgprint(
		"<br>".join(lines), title=_("Training Assigned"), indicator="green" if result.created else "orange"
	)


# --- get_my_training_assignments -----------------------------------------------------------------


def require_learner_login() -> None:
	require_login(_("Please log in to see your training assignments."))


@frappe.whitelist()
@guarded(require_learner_login)
def get_my_training_assignments() -> list[dict]:
	"""The session user's assignments, due date first, with course image and progress."""
	user = frappe.session.user
	assignment = DocType(ASSIGNMENT)
	course = DocType("LMS Course")
	enrollment = DocType("LMS Enrollment")
	rows = (
		frappe.qb.from_(assignment)
		.left_join(course)
		.on(course.name == assignment.course)
		.left_join(enrollment)
		.on((enrollment.member == assignment.employee) & (enrollment.course == assignment.course))
		.select(
			assignment.name,
			assignment.course,
			Coalesce(course.title, assignment.course_title).as_("course_title"),
			course.image.as_("course_image"),
			assignment.due_date,
			assignment.status,
			assignment.progress.as_("assignment_progress"),
			enrollment.progress.as_("enrollment_progress"),
			assignment.completed_on,
			assignment.valid_until,
			assignment.renewal_of,
		)
		.where(assignment.employee == user)
		.orderby(assignment.due_date)
		.orderby(assignment.creation)
		.run(as_dict=True)
	)
	for row in rows:
		# A Completed row keeps its own attempt's 100 %; the enrollment may have started over since.
		attempt = row.pop("assignment_progress")
		live = row.pop("enrollment_progress")
		row["progress"] = flt(attempt) if row.status == COMPLETED else flt(live)
	return rows


# --- get_team_training_status --------------------------------------------------------------------


@frappe.whitelist()
@guarded(require_training_viewer)
def get_team_training_status(
	department: str | None = None,
	course: str | None = None,
	status: str | None = None,
	include_leavers: bool = False,
) -> dict:
	"""Compliance of a team: one row per assignment plus a summary, in one query whatever the size.
	Leavers (Employee Left, or user disabled) are left out unless `include_leavers`."""
	if status and status not in STATUSES:
		frappe.throw(
			_("Status must be one of {0}, not {1}.").format(", ".join(STATUSES), escape_html(status)),
			frappe.ValidationError,
			title=_("Invalid Status"),
		)
	rows = team_rows(department=department, course=course, status=status, include_leavers=include_leavers)
	return {"summary": summarise(rows), "rows": rows}


def team_rows(
	department: str | None = None,
	course: str | None = None,
	status: str | None = None,
	include_leavers: bool = False,
) -> list[dict]:
	assignment, course_table = DocType(ASSIGNMENT), DocType("LMS Course")
	query = (
		frappe.qb.from_(assignment)
		.left_join(course_table)
		.on(course_table.name == assignment.course)
		.select(
			assignment.name.as_("assignment"),
			assignment.employee,
			assignment.employee_name,
			assignment.course,
			assignment.course_title,
			assignment.due_date,
			assignment.status,
			assignment.progress,
			assignment.completed_on,
			assignment.valid_until,
			assignment.renewal_of,
			course_table.validity_days,
			course_table.renewal_window_days,
			renewed_column(assignment).as_("renewed"),
		)
	)
	if frappe.db.table_exists("Employee"):
		employee = DocType("Employee")
		query = (
			query.left_join(employee).on(employee.user_id == assignment.employee).select(employee.department)
		)
		if department:
			query = query.where(employee.department == department)
	else:
		if department:
			return []  # no Employee DocType: nobody belongs to a department
		query = query.select(ValueWrapper(None).as_("department"))
	if course:
		query = query.where(assignment.course == course)
	if status:
		query = query.where(assignment.status == status)
	if not include_leavers:
		query = query.where(~leaver_condition(assignment.employee))
	rows = query.orderby(assignment.due_date).orderby(assignment.employee).run(as_dict=True)
	day = getdate(today())
	for row in rows:
		# Of a completion that still counts (not renewed since): Compliant, Expiring Soon or Expired.
		row["validity"] = completion_state(row, day)
		for internal in ("validity_days", "renewal_window_days", "renewed"):
			del row[internal]
	return rows


def summarise(rows: list[dict]) -> dict:
	counts = {s: 0 for s in STATUSES}
	for row in rows:
		counts[row["status"]] = counts.get(row["status"], 0) + 1
	total = len(rows)
	return {
		"total": total,
		"pending": counts["Pending"],
		"in_progress": counts["In Progress"],
		"completed": counts["Completed"],
		"overdue": counts["Overdue"],
		"completion_rate": completion_rate(counts["Completed"], total),
		"expiring_soon": sum(1 for row in rows if row.get("validity") == EXPIRING_SOON),
		"expired": sum(1 for row in rows if row.get("validity") == EXPIRED),
	}
