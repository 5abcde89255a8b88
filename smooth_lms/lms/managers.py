"""Managers and their team's mandatory training: who reports to whom, what those reports owe, and the
overdue digest a manager may opt in to.

A manager is the user of the Employee that their reports' `reports_to` names. Only direct reports
count (not a report's own reports), and only current staff: an Active Employee record with a user who
has not left. Everything a manager sees is read for the session user: the whitelisted methods take no
user, so nobody can ask for another person's team. The reads bypass LMS Training Assignment's
row-level permissions on purpose, and only ever for the rows of those reports: a manager is usually a
plain learner, who may read only their own rows.

The digest: HR allows it in LMS Settings (off by default), each manager opts in on /lms/my-team (off by
default; a per-user default, frappe.defaults), and a daily job mails each opted-in, enabled manager
one email listing their reports' overdue training — never twice on one day, only on Mondays in weekly
mode, never about leavers.
"""

import datetime

import frappe
from frappe import _
from frappe.defaults import get_user_default, set_user_default
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import date_diff, flt, format_date, get_url, getdate, now_datetime, today

from smooth_lms.lms import training_rules
from smooth_lms.lms.bulk import insert_rows
from smooth_lms.lms.doctype.lms_settings.lms_settings import lms_settings
from smooth_lms.lms.employees import ACTIVE, EMPLOYEE, LEFT, has_employees, leaver_condition
from smooth_lms.lms.guards import guarded, require_login
from smooth_lms.lms.hrms_integration import summarise
from smooth_lms.lms.status import late_condition
from smooth_lms.lms.training_rules import chunked

ASSIGNMENT = "LMS Training Assignment"
COURSE = "LMS Course"
MY_TEAM_ROUTE = "/lms/my-team"
DAILY, WEEKLY = "Daily", "Weekly (Monday)"
# Per-user defaults (tabDefaultValue, parent = the user): the manager's opt-in ("1" / "0") and the day
# of the last digest sent to them. Names no DocType field has, so no form ever takes them as a default.
DIGEST_OPT_IN = "smooth_lms_overdue_digest"
DIGEST_SENT_ON = "smooth_lms_overdue_digest_sent_on"
DIGEST_TEMPLATE = "lms_manager_digest"  # smooth_lms/templates/emails/lms_manager_digest.html


# --- The team --------------------------------------------------------------------------------------


def reports_of(manager_user: str) -> list[str]:
	"""The users of the manager's direct reports who are current staff, by name."""
	return [member["employee"] for member in team_members(manager_user)]


def team_members(manager_user: str) -> list[dict]:
	"""The manager's direct reports, one query: {"employee" (their user), "employee_id" (their Employee
	record), "employee_name", "department", "designation"}, by name. A person with two records under
	the same manager is listed once."""
	if not manager_user or manager_user == "Guest" or not has_employees():
		return []
	report, manager = _reporting_line()
	rows = (
		frappe.qb.from_(report)
		.join(manager)
		.on(manager.name == report.reports_to)
		.select(
			report.user_id.as_("employee"),
			report.name.as_("employee_id"),
			report.employee_name,
			report.department,
			report.designation,
		)
		.where(manager.user_id == manager_user)
		.where(_current_report(report, manager))
		.orderby(report.employee_name)
		.orderby(report.user_id)
		.orderby(report.creation)
		.run(as_dict=True)
	)
	members: dict[str, dict] = {}
	for row in rows:
		members.setdefault(row.employee, row)
	return list(members.values())


def team_rows(manager_user: str, members: list[dict] | None = None) -> list[dict]:
	"""Every assignment of the manager's direct reports, by person then due date: {"assignment",
	"employee" (user), "employee_id", "employee_name", "department", "course", "course_title",
	"status", "due_date", "progress", "completed_on", "is_late"}. Two queries whatever the size (one
	when `members` is given): the team, then its rows."""
	if members is None:
		members = team_members(manager_user)
	if not members:
		return []
	report, manager = _reporting_line()
	team = (
		frappe.qb.from_(report)
		.join(manager)
		.on(manager.name == report.reports_to)
		.select(report.user_id)
		.where(manager.user_id == manager_user)
		.where(_current_report(report, manager))
	)
	assignment = DocType(ASSIGNMENT)
	course = DocType(COURSE)
	rows = (
		frappe.qb.from_(assignment)
		.left_join(course)
		.on(course.name == assignment.course)
		.select(
			assignment.name.as_("assignment"),
			assignment.employee,
			assignment.course,
			Coalesce(course.title, assignment.course_title, assignment.course).as_("course_title"),
			assignment.status,
			assignment.due_date,
			assignment.progress,
			assignment.completed_on,
		)
		.where(assignment.employee.isin(team))
		.orderby(assignment.due_date)
		.orderby(assignment.creation)
		.run(as_dict=True)
	)
	order = {member["employee"]: position for position, member in enumerate(members)}
	by_user = {member["employee"]: member for member in members}
	day = getdate(today())
	for row in rows:
		member = by_user.get(row.employee)
		row.employee_id = member["employee_id"] if member else None
		row.employee_name = member["employee_name"] if member else row.employee
		row.department = member["department"] if member else None
		row.progress = flt(row.progress)
		row.is_late = is_late(row, day)
	rows.sort(key=lambda row: order.get(row.employee, len(order)))
	return rows


def is_late(row: dict, day: datetime.date) -> bool:
	return training_rules.is_late(row["status"], flt(row["progress"]), getdate(row["due_date"]), day)


def team_training(manager_user: str) -> dict:
	"""What /lms/my-team and `get_my_team_training` show: {"reports", "rows", "summary", "digest"}."""
	members = team_members(manager_user)
	rows = team_rows(manager_user, members)
	return {
		"reports": members,
		"rows": rows,
		"summary": team_summary(members, rows),
		"digest": digest_preference(manager_user),
	}


def team_summary(members: list[dict], rows: list[dict]) -> dict:
	"""{"reports", "total", "pending", "in_progress", "completed", "overdue", "late", "completion_rate"}:
	the counts of get_team_training_status's summary, plus the people and the rows late by the rules."""
	return {
		"reports": len(members),
		**summarise(rows),
		"late": sum(1 for row in rows if row["is_late"]),
	}


def require_team_login() -> None:
	require_login(_("Please log in to see your team's training."))


# allow_guest only so that a Guest is told to log in (403 with that message) rather than a bare
# "Not permitted": the guard's first step refuses Guest.
@frappe.whitelist(allow_guest=True)
@guarded(require_team_login)
def get_my_team_training() -> dict:
	"""The mandatory training of the session user's direct reports (empty lists for someone who manages
	nobody): {"reports": [...], "rows": [...], "summary": {...}, "digest": {...}}."""
	return team_training(frappe.session.user)


# --- The manager's opt-in ----------------------------------------------------------------------------


def digest_preference(user: str) -> dict:
	"""{"allowed" (LMS Settings), "enabled" (the user's own opt-in), "frequency"}."""
	settings = lms_settings()
	enabled = user != "Guest" and get_user_default(DIGEST_OPT_IN, user) == "1"
	return {
		"allowed": bool(settings.allow_manager_digests),
		"enabled": enabled,
		"frequency": settings.manager_digest_frequency,
	}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@guarded(require_team_login)
def set_overdue_digest(enabled: bool) -> dict:
	"""Turn the session user's overdue digest on or off (their own preference only). Turning it on needs
	HR to allow digests in LMS Settings; turning it off is always possible. Returns the preference."""
	user = frappe.session.user
	if enabled and not lms_settings().allow_manager_digests:
		frappe.throw(
			_("Overdue digests for managers are turned off in LMS Settings: ask HR to allow them."),
			frappe.ValidationError,
			title=_("Digests Turned Off"),
		)
	set_user_default(DIGEST_OPT_IN, "1" if enabled else "0", user)
	return digest_preference(user)


# --- The overdue digest ------------------------------------------------------------------------------


def send_overdue_digests(day: datetime.date | str | None = None) -> dict:
	"""Daily job: one email per opted-in manager listing their direct reports' overdue training. Returns
	{"emails", "rows"} (emails queued, overdue rows listed in them). `day` is today unless given."""
	day = getdate(day or today())
	result = {"emails": 0, "rows": 0}
	settings = lms_settings()
	if not settings.allow_manager_digests or not has_employees():
		return result
	if settings.manager_digest_frequency == WEEKLY and day.weekday() != 0:
		return result
	managers = _managers_due(day)
	if not managers:
		return result
	rows = _overdue_rows(managers, day)
	mailed = _email_managers(rows, day, _(settings.manager_digest_frequency))
	_record_sent(list(mailed), day)
	result.update(emails=len(mailed), rows=sum(mailed.values()))
	return result


def _managers_due(day: datetime.date) -> list[str]:
	"""The users opted in who have had no digest on `day`. The rows are read under lock, so a second run
	at the same time waits for this one and then finds the day recorded."""
	value = DocType("DefaultValue")
	rows = (
		frappe.qb.from_(value)
		.select(value.parent, value.defkey, value.defvalue)
		.where(value.defkey.isin([DIGEST_OPT_IN, DIGEST_SENT_ON]))
		.orderby(value.parent)
		.for_update()
		.run()
	)
	opted_in = {parent for parent, key, setting in rows if key == DIGEST_OPT_IN and setting == "1"}
	sent = {parent for parent, key, setting in rows if key == DIGEST_SENT_ON and setting == str(day)}
	return sorted(opted_in - sent)


def _overdue_rows(managers: list[str], day: datetime.date) -> list[dict]:
	"""The late assignments of the managers' current direct reports, for enabled managers who have not
	left, with the manager's email: one query per 1,000 managers."""
	report, manager = _reporting_line()
	assignment = DocType(ASSIGNMENT)
	user = DocType("User")
	rows = []
	for batch in chunked(managers):
		rows += (
			frappe.qb.from_(assignment)
			.join(report)
			.on(report.user_id == assignment.employee)
			.join(manager)
			.on(manager.name == report.reports_to)
			.join(user)
			.on(user.name == manager.user_id)
			.select(
				manager.user_id.as_("manager"),
				user.email.as_("manager_email"),
				Coalesce(user.full_name, user.name).as_("manager_name"),
				assignment.name,
				assignment.employee,
				Coalesce(report.employee_name, assignment.employee_name, assignment.employee).as_(
					"employee_name"
				),
				Coalesce(assignment.course_title, assignment.course).as_("course_title"),
				assignment.due_date,
				assignment.status,
			)
			.where(manager.user_id.isin(list(batch)))
			.where(user.enabled == 1)
			.where(_current_report(report, manager))
			.where(late_condition(day))
			.orderby(manager.user_id)
			.orderby(report.employee_name)
			.orderby(assignment.due_date)
			.orderby(assignment.name)
			.run(as_dict=True)
		)
	seen, unique_rows = set(), []
	for row in rows:  # a report with two records under one manager is listed once
		if (row.manager, row.name) not in seen:
			seen.add((row.manager, row.name))
			unique_rows.append(row)
	return unique_rows


def _email_managers(rows: list[dict], day: datetime.date, frequency: str) -> dict[str, int]:
	"""Queue one digest per manager (rows come ordered by manager). Returns {manager: rows listed}.
	Without an outgoing Email Account nothing is queued nor recorded, and the Error Log says so."""
	if not rows:
		return {}
	if not EmailAccount.find_outgoing(match_by_doctype=ASSIGNMENT):
		frappe.log_error(
			title=_("Smooth LMS: manager digests not sent"),
			message=_("No outgoing Email Account is set up: {0} manager digest(s) were not queued.").format(
				len({row.manager for row in rows})
			),
		)
		return {}
	by_manager: dict[str, list[dict]] = {}
	for row in rows:
		by_manager.setdefault(row.manager, []).append(row)
	team_url = get_url(MY_TEAM_ROUTE)
	mailed = {}
	for manager_user, manager_rows in by_manager.items():
		first = manager_rows[0]
		if not first.manager_email:
			continue
		for row in manager_rows:
			row.due_date_formatted = format_date(row.due_date)
			row.days_late = date_diff(day, row.due_date)
		people = len({row.employee for row in manager_rows})
		frappe.sendmail(
			recipients=[first.manager_email],
			subject=_("Overdue training in your team: {0} training(s), {1} person(s)").format(
				len(manager_rows), people
			),
			template=DIGEST_TEMPLATE,
			args={
				"manager_name": first.manager_name,
				"rows": manager_rows,
				"team_url": team_url,
				"frequency": frequency,
			},
			reference_doctype=ASSIGNMENT,
			reference_name=first.name,
			delayed=True,  # through the Email Queue, sent by its own scheduler job
		)
		mailed[manager_user] = len(manager_rows)
	return mailed


def _record_sent(managers: list[str], day: datetime.date) -> None:
	"""Each manager's DIGEST_SENT_ON becomes `day`, set-wise: what frappe.defaults.set_user_default does
	one user at a time (replace the row, drop the user's cached defaults)."""
	if not managers:
		return
	value = DocType("DefaultValue")
	for batch in chunked(managers):
		frappe.qb.from_(value).delete().where(value.defkey == DIGEST_SENT_ON).where(
			value.parent.isin(list(batch))
		).run()
	now, session_user = now_datetime(), frappe.session.user
	insert_rows(
		"DefaultValue",
		("name", "creation", "modified", "modified_by", "owner", "docstatus", "idx", "parent", "parenttype",
		 "parentfield", "defkey", "defvalue"),
		[
			(frappe.generate_hash(length=10), now, now, session_user, session_user, 0, 0, manager,
			 "__default", "system_defaults", DIGEST_SENT_ON, str(day))
			for manager in managers
		],
	)  # fmt: skip
	for manager in managers:
		frappe.cache.hdel("defaults", manager)


# --- The reporting line ------------------------------------------------------------------------------


def _reporting_line():
	"""The Employee table twice: the report, and the manager their `reports_to` names."""
	return DocType(EMPLOYEE).as_("report"), DocType(EMPLOYEE).as_("manager")


def _current_report(report, manager):
	"""The one definition of "a current direct report" (the team, its rows and the digest): the report's
	record is Active, with a user who has not left and is not the manager; the manager's record named by
	`reports_to` is not Left."""
	return (
		(report.status == ACTIVE)
		& report.user_id.isnotnull()
		& (report.user_id != "")
		& (report.user_id != manager.user_id)
		& (manager.status != LEFT)
		& ~leaver_condition(report.user_id)
	)
