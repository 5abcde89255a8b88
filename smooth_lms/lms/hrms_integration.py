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
from frappe.utils import add_days, escape_html, flt, today
from pypika.terms import ValueWrapper

from smooth_lms.lms.assignments import ASSIGNMENT, AssignmentResult, create_assignments
from smooth_lms.lms.doctype.lms_settings.lms_settings import onboarding_due_days
from smooth_lms.lms.document_trail import Via
from smooth_lms.lms.guards import guarded, require_login
from smooth_lms.lms.roles import ASSIGNERS, TRAINING_VIEWERS, require_any_role
from smooth_lms.lms.training_rules import COMPLETED, STATUSES, chunked, completion_rate, unique_in_order
from smooth_lms.lms.validation import get_assignable_course, validate_due_date

ONBOARDING_SAVEPOINT = "smooth_lms_onboarding"


# --- Onboarding hook ---------------------------------------------------------------------------


def on_onboarding_created(doc, method=None) -> None:
	"""after_insert of Employee Onboarding: enrol the new hire in every published mandatory course and
	give HR a deadline for each: an assignment due in LMS Settings' Onboarding Training Due In (Days),
	30 unless set.

	Never raises: a skip or a failure is left as a comment on the onboarding, a failure also in the
	Error Log, and the LMS part is rolled back to a savepoint so the onboarding itself is kept whole.
	"""
	user, reason = _onboarding_user(doc)
	courses = mandatory_courses() if user else []
	if user and not courses:
		reason = _("there is no published course marked Mandatory Training")
	if reason:
		_note(doc, _("Smooth LMS did not assign mandatory training: {0}.").format(reason))
		return

	frappe.db.savepoint(ONBOARDING_SAVEPOINT)
	try:
		due_date = add_days(today(), onboarding_due_days())
		via = Via(_("via Employee Onboarding {0}").format(doc.name), doc.doctype, doc.name)
		result = create_assignments(courses, [user], due_date, assigned_by=frappe.session.user, via=via)
	except Exception:
		frappe.db.rollback(save_point=ONBOARDING_SAVEPOINT)
		frappe.log_error(
			title=_("Smooth LMS: mandatory training for onboarding {0} failed").format(doc.name),
			reference_doctype=doc.doctype,
			reference_name=doc.name,
		)
		_note(doc, _("Smooth LMS could not assign mandatory training; the Error Log has the details."))
		return

	if result.unknown_users or result.disabled_users:
		_note(doc, _("Smooth LMS did not assign mandatory training: user {0} is disabled.").format(user))
		return
	_note(
		doc,
		_("Smooth LMS assigned {0} mandatory course(s) to {1}, due {2}; {3} were already open.").format(
			len(result.created), user, frappe.format(due_date, "Date"),
			len(result.already_open),
		),
	)  # fmt: skip


def _onboarding_user(doc) -> tuple[str | None, str | None]:
	"""The onboarded employee's user, or why there is none."""
	if not doc.get("employee"):
		return None, _("the onboarding has no Employee")
	user = frappe.db.get_value("Employee", doc.employee, "user_id")
	if not user:
		return None, _("Employee {0} has no User ID").format(doc.employee)
	return user, None


def mandatory_courses() -> list[str]:
	return frappe.get_all(
		"LMS Course", filters={"published": 1, "is_mandatory": 1}, pluck="name", order_by="creation asc"
	)


def _note(doc, text: str) -> None:
	doc.add_comment("Comment", text=text)


# --- assign_mandatory_training -------------------------------------------------------------------


def require_assigner() -> None:
	require_any_role(ASSIGNERS, _("Assigning training needs the Moderator (or System Manager) role."))


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


def require_training_viewer() -> None:
	require_any_role(
		TRAINING_VIEWERS, _("Team training status needs the Moderator, HR Manager or System Manager role.")
	)


@frappe.whitelist()
@guarded(require_training_viewer)
def get_team_training_status(
	department: str | None = None, course: str | None = None, status: str | None = None
) -> dict:
	"""Compliance of a team: one row per assignment plus a summary, in one query whatever the size."""
	if status and status not in STATUSES:
		frappe.throw(
			_("Status must be one of {0}, not {1}.").format(", ".join(STATUSES), escape_html(status)),
			frappe.ValidationError,
			title=_("Invalid Status"),
		)
	rows = team_rows(department=department, course=course, status=status)
	return {"summary": summarise(rows), "rows": rows}


def team_rows(
	department: str | None = None, course: str | None = None, status: str | None = None
) -> list[dict]:
	assignment = DocType(ASSIGNMENT)
	query = frappe.qb.from_(assignment).select(
		assignment.name.as_("assignment"),
		assignment.employee,
		assignment.employee_name,
		assignment.course,
		assignment.course_title,
		assignment.due_date,
		assignment.status,
		assignment.progress,
		assignment.completed_on,
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
	return query.orderby(assignment.due_date).orderby(assignment.employee).run(as_dict=True)


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
	}
