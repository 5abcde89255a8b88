"""Learner emails about mandatory training, through Frappe's email queue (never sent inline).

- `notify_assigned(names)`: called by the two writers of new assignments (the set-wise
  `assignments.create_assignments` behind the hook, the API and the sweeps, and the desk form's
  controller). It only enqueues `send_assignment_emails`, after the commit, so a 5,000-employee call
  sends nothing inside the request and nothing is mailed about assignments that were rolled back.
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
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import add_days, date_diff, format_date, get_url, getdate, strip_html, today

from smooth_lms.lms.doctype.lms_settings.lms_settings import lms_settings
from smooth_lms.lms.employees import leaver_condition
from smooth_lms.lms.status import late_condition
from smooth_lms.lms.training_rules import COMPLETED, OPEN_STATUSES, chunked

ASSIGNMENT = "LMS Training Assignment"
EMAIL_TEMPLATE = "lms_training"  # smooth_lms/templates/emails/lms_training.html
PORTAL_ROUTE = "/lms/courses"  # the learner portal; a course's page is PORTAL_ROUTE/<course>


# --- New assignments -----------------------------------------------------------------------------


def notify_assigned(assignment_names: list[str]) -> None:
	"""Email the learners of these new assignments, from a background job started after the commit."""
	if not assignment_names or not lms_settings().send_assignment_emails:
		return
	frappe.enqueue(
		"smooth_lms.lms.reminders.send_assignment_emails",
		queue="long",  # thousands of learners: one Email Queue row each
		enqueue_after_commit=True,
		assignment_names=list(assignment_names),
	)


def send_assignment_emails(assignment_names: list[str]) -> int:
	"""Background job: one email per learner listing the new trainings. Returns the emails queued."""
	if not assignment_names or not lms_settings().send_assignment_emails:
		return 0
	assignment = DocType(ASSIGNMENT)
	rows = _load_rows(assignment.name.isin(list(assignment_names)) & (assignment.status != COMPLETED))
	return len(_email_learners(rows, _assigned_email, log_without_account=False))


def _assigned_email(rows: list[dict]) -> tuple[str, str, list[dict]]:
	if len(rows) == 1:
		subject = _("Training assigned to you: {0}").format(plain(rows[0].course_title))
	else:
		subject = _("{0} trainings assigned to you").format(len(rows))
	intro = _("The following training has been assigned to you. Please complete it by its due date.")
	return subject, intro, [{"title": _("New Training"), "rows": rows}]


# --- Daily reminders and overdue notices ---------------------------------------------------------


def send_training_reminders() -> dict:
	"""Daily: email due-soon reminders and overdue notices, one email per learner. Returns
	{"emails", "reminded", "overdue"} (counts: emails queued, rows reminded, of which overdue).

	It does not depend on the overdue job having run first: a row still open past its due date is
	late by the same rule the job applies (`status.late_condition`)."""
	settings = lms_settings()
	result = {"emails": 0, "reminded": 0, "overdue": 0}
	assignment = DocType(ASSIGNMENT)
	day = getdate(today())
	due_soon = overdue = None
	if settings.reminder_days_before_due > 0:
		due_soon = (
			assignment.status.isin(OPEN_STATUSES)
			& (assignment.due_date >= day)
			& (assignment.due_date <= add_days(day, settings.reminder_days_before_due))
			& (assignment.progress < 100)
			& _not_sent_for_this_due_date(assignment.due_soon_reminded_for)
		)
	if settings.send_overdue_emails:
		overdue = late_condition(day) & _not_sent_for_this_due_date(assignment.overdue_notice_for)
	wanted = [condition for condition in (due_soon, overdue) if condition is not None]
	if not wanted:
		return result

	rows = _load_rows(wanted[0] | wanted[1] if len(wanted) == 2 else wanted[0], lock=True)
	for row in rows:
		row.is_overdue = row.due_date < day
	mailed = _email_learners(rows, lambda learner_rows: _reminder_email(learner_rows, day))
	sent = [row for learner in mailed for row in learner]
	for field, rows_of_kind in (
		("overdue_notice_for", [row.name for row in sent if row.is_overdue]),
		("due_soon_reminded_for", [row.name for row in sent if not row.is_overdue]),
	):
		for batch in chunked(rows_of_kind):
			frappe.qb.update(assignment).set(assignment[field], assignment.due_date).where(
				assignment.name.isin(list(batch))
			).run()
	result.update(emails=len(mailed), reminded=len(sent), overdue=sum(1 for row in sent if row.is_overdue))
	return result


def _not_sent_for_this_due_date(column):
	return column.isnull() | (column != DocType(ASSIGNMENT).due_date)


def _reminder_email(rows: list[dict], day) -> tuple[str, str, list[dict]]:
	overdue = [row for row in rows if row.is_overdue]
	due_soon = [row for row in rows if not row.is_overdue]
	if len(rows) == 1 and overdue:
		subject = _("Training overdue: {0}").format(plain(rows[0].course_title))
	elif len(rows) == 1:
		subject = _("Training due {0}: {1}").format(_when(rows[0].due_date, day), plain(rows[0].course_title))
	elif not due_soon:
		subject = _("{0} trainings overdue").format(len(overdue))
	elif not overdue:
		subject = _("{0} trainings due soon").format(len(due_soon))
	else:
		subject = _("Training reminder: {0} overdue, {1} due soon").format(len(overdue), len(due_soon))
	intro = _("This is a reminder about your mandatory training.")
	sections = []
	if overdue:
		sections.append({"title": _("Overdue"), "rows": overdue})
	if due_soon:
		sections.append({"title": _("Due soon"), "rows": due_soon})
	return subject, intro, sections


def _when(due_date, day) -> str:
	days = date_diff(due_date, day)
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
			row.due_date_formatted = format_date(row.due_date)
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
