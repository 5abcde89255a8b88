"""Learner emails about mandatory training, through Frappe's email queue (never sent inline).

- `send_assignment_emails(names)`: the job `assignments.notify_assigned` enqueues after the commit for
  new assignments (renewals included), so a 5,000-employee call sends nothing inside the request and
  nothing is mailed about assignments that were rolled back.
- `send_training_reminders()`: daily. A due-soon reminder for every open training due within LMS
  Settings' number of days (so a training assigned with fewer days left, or a day the scheduler did
  not run, is still reminded), and an overdue notice for every late one.

"Never twice": each row records the due date its reminder and its overdue notice were sent for
(`due_soon_reminded_for`, `overdue_notice_for`). A new due date is a new deadline: a reminder before
it, and a notice if it is missed too (a new overdue episode). Each run reads its rows under lock in one
query, queues ONE email per learner listing all of that learner's trainings concerned, and records
them set-wise. Disabled users are never mailed. What to send is configured in LMS Settings.
"""

import html
from collections.abc import Callable
from itertools import groupby
from urllib.parse import quote

import frappe
from frappe import _, _lt
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import add_days, date_diff, format_date, get_url, getdate, strip_html, today
from pypika.terms import ExistsCriterion

from smooth_lms.lms.doctype.lms_settings.lms_settings import lms_settings
from smooth_lms.lms.employees import leaver_condition
from smooth_lms.lms.obligations import still_owes
from smooth_lms.lms.status import late_condition
from smooth_lms.lms.training_rules import COMPLETED, OPEN_STATUSES, chunked
from smooth_lms.lms.validity import later_completion

ASSIGNMENT = "LMS Training Assignment"
EMAIL_TEMPLATE = "lms_training"  # smooth_lms/templates/emails/lms_training.html
PORTAL_ROUTE = "/lms/courses"  # the learner portal; a course's page is PORTAL_ROUTE/<course>


# --- New assignments -----------------------------------------------------------------------------


def send_assignment_emails(assignment_names: list[str]) -> int:
	"""Background job: one email per learner listing the new trainings (renewals apart). Returns the
	emails queued."""
	if not assignment_names or not lms_settings().send_assignment_emails:
		return 0
	assignment = DocType(ASSIGNMENT)
	rows = _load_rows(assignment.name.isin(list(assignment_names)) & (assignment.status != COMPLETED))
	for row in rows:
		row.date = row.due_date
	return len(_email_learners(rows, _assigned_email, log_without_account=False))


def _assigned_email(rows: list[dict]) -> tuple[str, str, list[dict]]:
	renewals = [row for row in rows if row.renewal_of]
	new = [row for row in rows if not row.renewal_of]
	if len(rows) == 1 and renewals:
		subject = _("Time to renew your training: {0}").format(plain(rows[0].course_title))
	elif len(rows) == 1:
		subject = _("Training assigned to you: {0}").format(plain(rows[0].course_title))
	else:
		subject = _("{0} trainings assigned to you").format(len(rows))
	intro = _("The following training has been assigned to you. Please complete it by its due date.")
	sections = []
	if new:
		sections.append({"title": _("New Training"), "rows": new, "date_label": _("Due Date")})
	if renewals:
		sections.append(
			{"title": _("Renewal: your completion expires"), "rows": renewals, "date_label": _("Renew By")}
		)
	return subject, intro, sections


# --- Daily reminders, overdue and expiry notices ----------------------------------------------------

# What the daily run sends, in the order an email lists it: (kind, section title, date column, the field
# recording the date it was sent for, the field holding that date).
KINDS = (
	("overdue", _lt("Overdue"), _lt("Due Date"), "overdue_notice_for", "due_date"),
	("due_soon", _lt("Due soon"), _lt("Due Date"), "due_soon_reminded_for", "due_date"),
	("expired", _lt("Expired: renew it"), _lt("Valid Until"), "expiry_notice_for", "valid_until"),
	("expiring", _lt("Expiring soon"), _lt("Valid Until"), "expiry_warned_for", "valid_until"),
)


def send_training_reminders() -> dict:
	"""Daily: one email per learner with what is due soon, overdue, expiring or expired. Returns
	{"emails", "reminded", "overdue", "expiring", "expired"} (emails queued, rows reminded, of which...).

	It does not depend on the overdue job having run first: a row still open past its due date is late
	by the same rule the job applies (`status.late_condition`). Expiry notices concern the completion
	that counts (not one renewed since) of a course the learner still owes."""
	settings, day = lms_settings(), getdate(today())
	conditions = _conditions(settings, day)
	result = {"emails": 0, "reminded": 0, **{kind: 0 for kind in ("overdue", "expiring", "expired")}}
	rows = []
	for kind, _title, _label, marker, date_field in KINDS:
		if kind in conditions:
			for row in _load_rows(conditions[kind], lock=True):
				row.update(kind=kind, marker=marker, date=row[date_field])
				rows.append(row)
	if not rows:
		return result
	order = {kind[0]: index for index, kind in enumerate(KINDS)}
	rows.sort(key=lambda row: (row.employee, order[row.kind], row.date, row.name))
	mailed = _email_learners(rows, lambda learner_rows: _reminder_email(learner_rows, day))
	sent = [row for learner in mailed for row in learner]
	assignment = DocType(ASSIGNMENT)
	for _kind, _title, _label, marker, date_field in KINDS:
		names = [row.name for row in sent if row.marker == marker]
		for batch in chunked(names):
			frappe.qb.update(assignment).set(assignment[marker], assignment[date_field]).where(
				assignment.name.isin(list(batch))
			).run()
	result.update(emails=len(mailed), reminded=len(sent))
	for kind in ("overdue", "expiring", "expired"):
		result[kind] = sum(1 for row in sent if row.kind == kind)
	return result


def _conditions(settings, day) -> dict:
	assignment = DocType(ASSIGNMENT)
	conditions = {}
	if settings.reminder_days_before_due > 0:
		conditions["due_soon"] = (
			assignment.status.isin(OPEN_STATUSES)
			& (assignment.due_date >= day)
			& (assignment.due_date <= add_days(day, settings.reminder_days_before_due))
			& (assignment.progress < 100)
			& _not_sent_for(assignment.due_soon_reminded_for, assignment.due_date)
		)
	if settings.send_overdue_emails:
		conditions["overdue"] = late_condition(day) & _not_sent_for(
			assignment.overdue_notice_for, assignment.due_date
		)
	if settings.send_expiry_notices:
		counts = _counting_completion(assignment)
		conditions["expired"] = (
			counts
			& (assignment.valid_until < day)
			& _not_sent_for(assignment.expiry_notice_for, assignment.valid_until)
		)
		if settings.expiry_notice_days_before > 0:
			conditions["expiring"] = (
				counts
				& (assignment.valid_until >= day)
				& (assignment.valid_until <= add_days(day, settings.expiry_notice_days_before))
				& _not_sent_for(assignment.expiry_warned_for, assignment.valid_until)
			)
	return conditions


def _counting_completion(assignment):
	"""A completion that still counts (not renewed since), of a course with a validity the learner still
	owes: the only ones whose expiry a learner hears about."""
	course = DocType("LMS Course")
	owed = ExistsCriterion(
		frappe.qb.from_(course)
		.select(course.name)
		.where((course.name == assignment.course) & (course.validity_days > 0))
		.where(still_owes(assignment.employee, course))
	)
	return (
		(assignment.status == COMPLETED)
		& assignment.valid_until.isnotnull()
		& ~later_completion(assignment)
		& owed
	)


def _not_sent_for(marker, date_column):
	"""Not sent yet for this date: a new due date (or expiry date) is a new deadline."""
	return marker.isnull() | (marker != date_column)


def _reminder_email(rows: list[dict], day) -> tuple[str, str, list[dict]]:
	by_kind = {kind: [row for row in rows if row.kind == kind] for kind, *_rest in KINDS}
	if len(rows) == 1:
		row = rows[0]
		title = plain(row.course_title)
		subject = {
			"overdue": lambda: _("Training overdue: {0}").format(title),
			"due_soon": lambda: _("Training due {0}: {1}").format(_when(row.date, day), title),
			"expiring": lambda: _("Your training expires {0}: {1}").format(_when(row.date, day), title),
			"expired": lambda: _("Your training has expired: {0}").format(title),
		}[row.kind]()
	else:
		labels = {
			"overdue": _("{0} overdue"),
			"due_soon": _("{0} due soon"),
			"expiring": _("{0} expiring soon"),
			"expired": _("{0} expired"),
		}
		present = [(kind, len(found)) for kind, found in by_kind.items() if found]
		if len(present) == 1:
			subject = _("{0} trainings {1}").format(present[0][1], labels[present[0][0]].format("").strip())
		else:
			subject = _("Training reminder: {0}").format(
				", ".join(labels[kind].format(count) for kind, count in present)
			)
	intro = _("This is a reminder about your mandatory training.")
	sections = [
		{"title": str(title), "rows": by_kind[kind], "date_label": str(label)}
		for kind, title, label, _marker, _field in KINDS
		if by_kind[kind]
	]
	return subject, intro, sections


def _when(date, day) -> str:
	days = date_diff(date, day)
	if days == 0:
		return _("today")
	if days == 1:
		return _("tomorrow")
	return _("in {0} days").format(days)


# --- Shared ----------------------------------------------------------------------------------------


def plain(text: str) -> str:
	"""Text for a subject line: Frappe stores a Data value with markup as sanitized HTML. Tags the
	unescaping brings back are stripped too: Frappe prints the subject raw into the email's <title>."""
	return strip_html(html.unescape(strip_html(text or "")))


def _load_rows(condition, lock: bool = False) -> list[dict]:
	"""The assignments matching `condition` of enabled learners, with their email, in one query. With
	`lock`, the assignment rows (only they: learners keep signing in) are locked first, so a second run
	at the same time waits for this one and then finds its rows recorded."""
	assignment = DocType(ASSIGNMENT)
	user = DocType("User")
	if lock:
		names = [
			row[0]
			for row in frappe.qb.from_(assignment).select(assignment.name).where(condition).for_update().run()
		]
		if not names:
			return []
		condition = assignment.name.isin(names)
	return (
		frappe.qb.from_(assignment)
		.join(user)
		.on(user.name == assignment.employee)
		.select(
			assignment.name,
			assignment.employee,
			Coalesce(user.full_name, assignment.employee_name, assignment.employee).as_("learner_name"),
			user.email,
			assignment.course,
			Coalesce(assignment.course_title, assignment.course).as_("course_title"),
			assignment.due_date,
			assignment.status,
			assignment.valid_until,
			assignment.renewal_of,
		)
		.where(condition)
		.where(user.enabled == 1)
		.where(~leaver_condition(assignment.employee))  # nobody who has left is mailed about training
		.orderby(assignment.employee)
		.orderby(assignment.due_date)
		.orderby(assignment.name)
		.run(as_dict=True)
	)


def _email_learners(
	rows: list[dict],
	compose: Callable[[list[dict]], tuple[str, str, list[dict]]],
	log_without_account: bool = True,
) -> list[list[dict]]:
	"""Queue one email per learner (rows come ordered by learner). Returns each mailed learner's rows.

	Without an outgoing Email Account nothing is queued (and nothing is recorded as sent, so the
	reminders go out once one is set up). The daily run says so in the Error Log, once a day; the
	emails about new assignments are skipped quietly, not logged at every assignment."""
	if not rows:
		return []
	if not EmailAccount.find_outgoing(match_by_doctype=ASSIGNMENT):
		if not log_without_account:
			return []
		frappe.log_error(
			title=_("Smooth LMS: training emails not sent"),
			message=_("No outgoing Email Account is set up: {0} training email(s) were not queued.").format(
				len({row.employee for row in rows})
			),
		)
		return []

	portal_url = get_url(PORTAL_ROUTE)
	mailed = []
	for _learner, learner_rows in groupby(rows, key=lambda row: row.employee):
		learner_rows = list(learner_rows)
		first = learner_rows[0]
		if not first.email:
			continue
		for row in learner_rows:
			row.date_formatted = format_date(row.date)
			row.course_url = f"{portal_url}/{quote(row.course)}"
		subject, intro, sections = compose(learner_rows)
		frappe.sendmail(
			recipients=[first.email],
			subject=subject,
			template=EMAIL_TEMPLATE,
			args={
				"learner_name": first.learner_name,
				"intro": intro,
				"sections": sections,
				"portal_url": portal_url,
			},
			reference_doctype=ASSIGNMENT,
			reference_name=first.name,
			delayed=True,  # through the Email Queue, sent by its own scheduler job
		)
		mailed.append(learner_rows)
	return mailed
