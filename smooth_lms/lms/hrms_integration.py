"""Smooth HR (HRMS) integration: the Employee Onboarding hook and the three whitelisted methods HRMS calls
(SPEC.md). A façade: each checks its caller and arguments, then asks the module that holds the rule.

HRMS is not a dependency: Employee and Employee Onboarding are read by name only, and only where
those DocTypes exist.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import escape_html

from smooth_lms.lms.assignments.creation import AssignmentResult, create_assignments
from smooth_lms.lms.framework.document_trail import Via
from smooth_lms.lms.framework.guards import guarded, require_login
from smooth_lms.lms.framework.plurals import plural
from smooth_lms.lms.framework.roles import require_assigner, require_training_viewer
from smooth_lms.lms.framework.validation import (
	get_assignable_course,
	parse_employee_list,
	validate_due_date,
)
from smooth_lms.lms.obligations import onboarding
from smooth_lms.lms.people.employees import resolve_users
from smooth_lms.lms.reporting.rows import learner_rows, summarise, team_rows
from smooth_lms.lms.training_rules import STATUSES


def on_onboarding_created(doc, method=None) -> None:
	"""after_insert of Employee Onboarding (the spec's hook): enrol the new hire in every mandatory
	course they owe, with a deadline for HR, as soon as they have an Employee record and a user — now
	if they do, else when they get them (obligations.onboarding). Never raises; the onboarding's
	timeline says what happened."""
	onboarding.on_onboarding_created(doc)


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


def require_learner_login() -> None:
	require_login(_("Please log in to see your training assignments."))


@frappe.whitelist()
@guarded(require_learner_login)
def get_my_training_assignments() -> list[dict]:
	"""The session user's assignments, due date first, with course image and progress."""
	return learner_rows(frappe.session.user)


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


def _report(result: AssignmentResult, without_user: list[str]) -> None:
	created = len(result.created)
	lines = [plural(created, _("{0} assignment created."), _("{0} assignments created.")).format(created)]
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
