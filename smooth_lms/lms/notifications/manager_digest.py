"""The overdue digest a manager may opt in to: HR allows it in LMS Settings (off by default), each
manager opts in on /lms/my-team (off by default; a per-user default, frappe.defaults), and a daily job
mails each opted-in, enabled manager one email listing their direct reports' overdue training — never
twice on one day, only on Mondays in weekly mode, never about leavers.
"""

import datetime

import frappe
from frappe import _
from frappe.defaults import get_user_default, set_user_default
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import date_diff, format_date, get_url, getdate, today

from smooth_lms.lms.assignments.status import status_is
from smooth_lms.lms.doctypes import ASSIGNMENT, USER
from smooth_lms.lms.framework.batches import chunked
from smooth_lms.lms.framework.guards import guarded, require_login
from smooth_lms.lms.framework.plurals import plural
from smooth_lms.lms.framework.settings import lms_settings
from smooth_lms.lms.notifications.mailer import send_grouped
from smooth_lms.lms.people.employees import has_employees
from smooth_lms.lms.people.team import current_report, reporting_line
from smooth_lms.lms.routes import MY_TEAM_ROUTE
from smooth_lms.lms.training_rules import OVERDUE

DAILY, WEEKLY = "Daily", "Weekly (Monday)"
# Per-user defaults (tabDefaultValue, parent = the user): the manager's opt-in ("1" / "0") and the day
# of the last digest sent to them. Names no DocType field has, so no form ever takes them as a default.
DIGEST_OPT_IN = "smooth_lms_overdue_digest"
DIGEST_SENT_ON = "smooth_lms_overdue_digest_sent_on"
DIGEST_TEMPLATE = "lms_manager_digest"  # smooth_lms/templates/emails/lms_manager_digest.html


def require_team_login() -> None:
	require_login(_("Please log in to see your team's training."))


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
	value = DocType(
		"DefaultValue"
	)  # every user's defaults of these two keys: Frappe reads one user's at a time
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
	"""The overdue assignments of the managers' current direct reports, for enabled managers who have not
	left, with the manager's email: one query per 1,000 managers."""
	report, manager = reporting_line()
	assignment = DocType(ASSIGNMENT)
	user = DocType(USER)
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
			.where(current_report(report, manager))
			.where(status_is(assignment, OVERDUE, day))
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
	"""Queue one digest per manager (rows come ordered by manager), through mailer.send_grouped. Returns
	{manager: rows listed}. Without an outgoing Email Account nothing is queued nor recorded."""
	team_url = get_url(MY_TEAM_ROUTE)

	def message(manager_rows: list[dict]):
		first = manager_rows[0]
		if not first.manager_email:
			return None
		for row in manager_rows:
			row.due_date_formatted = format_date(row.due_date)
			row.days_late = date_diff(day, row.due_date)
		people = len({row.employee for row in manager_rows})
		trainings = len(manager_rows)
		subject = _("Overdue training in your team: {0}, {1}").format(
			plural(trainings, _("{0} training"), _("{0} trainings")).format(trainings),
			plural(people, _("{0} person"), _("{0} people")).format(people),
		)
		args = {
			"manager_name": first.manager_name,
			"rows": manager_rows,
			"team_url": team_url,
			"frequency": frequency,
		}
		return first.manager_email, subject, args

	title = _("Smooth LMS: manager digests not sent")
	mailed = send_grouped(rows, "manager", DIGEST_TEMPLATE, message, title)
	return {manager: len(manager_rows) for manager, manager_rows in mailed.items()}


def _record_sent(managers: list[str], day: datetime.date) -> None:
	"""Each manager's DIGEST_SENT_ON becomes `day`, through Frappe's own per-user defaults (a few hundred
	managers at most: one at a time is cheap)."""
	for manager in managers:
		set_user_default(DIGEST_SENT_ON, str(day), manager)
