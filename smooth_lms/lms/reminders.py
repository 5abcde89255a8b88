"""Learner emails about mandatory training, through Frappe's email queue (never sent inline).

- `notify_assigned(names)`: called by the two places that create assignments (the set-wise
  `assignments.create_assignments` behind the hook and the API, and the desk form's controller). It
  only enqueues `send_assignment_emails`, after the commit, so a 5,000-employee call sends nothing
  inside the request and nothing is mailed about assignments that were rolled back.
- `send_training_reminders()`: daily. Marks overdue rows first (`mark_overdue_assignments`), then
  emails the reminders for open trainings due in LMS Settings' number of days and the notices for
  overdue ones.

Each run loads its rows in one query, queues ONE email per learner listing all of that learner's
trainings concerned, and records the reminders it queued set-wise (`reminder_sent_on`), so running it
twice mails nobody twice. What to send is configured in LMS Settings.
"""

import html
from collections.abc import Callable
from itertools import groupby
from urllib.parse import quote

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.query_builder import Criterion, DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import add_days, format_date, get_url, getdate, strip_html, today

from smooth_lms.lms.doctype.lms_settings.lms_settings import lms_settings
from smooth_lms.lms.training_rules import COMPLETED, OPEN_STATUSES, OVERDUE, chunked

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
	"""Daily: mark what is late, then email due-soon reminders and overdue notices, one email per
	learner. Returns {"marked_overdue", "emails", "reminded"} (counts)."""
	from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import (
		mark_overdue_assignments,
	)

	# First, so that today's late rows get their notice today (the same job stays in the daily list
	# on its own; a second run changes nothing).
	marked = mark_overdue_assignments()
	settings = lms_settings()
	result = {"marked_overdue": marked, "emails": 0, "reminded": 0}

	assignment = DocType(ASSIGNMENT)
	day = getdate(today())
	wanted = []
	if settings.reminder_days_before_due > 0:
		wanted.append(
			assignment.status.isin(OPEN_STATUSES)
			& (assignment.due_date == add_days(day, settings.reminder_days_before_due))
			& (assignment.reminder_sent_on.isnull() | (assignment.reminder_sent_on < day))
		)
	if settings.send_overdue_emails:
		# A row is late only after its due date, so a notice is always dated after it: a reminder
		# dated on or before the due date belongs to an earlier episode (or is the due-soon one).
		wanted.append(
			(assignment.status == OVERDUE)
			& (assignment.reminder_sent_on.isnull() | (assignment.reminder_sent_on <= assignment.due_date))
		)
	if not wanted:
		return result

	rows = _load_rows(Criterion.any(wanted))
	mailed = _email_learners(rows, lambda learner_rows: _reminder_email(learner_rows, settings))
	names = [row.name for learner in mailed for row in learner]
	for batch in chunked(names):
		frappe.qb.update(assignment).set(assignment.reminder_sent_on, day).where(
			assignment.name.isin(list(batch))
		).run()
	result.update(emails=len(mailed), reminded=len(names))
	return result


def _reminder_email(rows: list[dict], settings: frappe._dict) -> tuple[str, str, list[dict]]:
	overdue = [row for row in rows if row.status == OVERDUE]
	due_soon = [row for row in rows if row.status != OVERDUE]
	days = settings.reminder_days_before_due
	if len(rows) == 1 and overdue:
		subject = _("Training overdue: {0}").format(plain(rows[0].course_title))
	elif len(rows) == 1:
		subject = _("Training due in {0} days: {1}").format(days, plain(rows[0].course_title))
	elif not due_soon:
		subject = _("{0} trainings overdue").format(len(overdue))
	elif not overdue:
		subject = _("{0} trainings due in {1} days").format(len(due_soon), days)
	else:
		subject = _("Training reminder: {0} overdue, {1} due in {2} days").format(
			len(overdue), len(due_soon), days
		)
	intro = _("This is a reminder about your mandatory training.")
	sections = []
	if overdue:
		sections.append({"title": _("Overdue"), "rows": overdue})
	if due_soon:
		sections.append({"title": _("Due in {0} days").format(days), "rows": due_soon})
	return subject, intro, sections


# --- Shared ----------------------------------------------------------------------------------------


def plain(text: str) -> str:
	"""Text for a subject line: Frappe stores a Data value with markup as sanitized HTML."""
	return html.unescape(strip_html(text or ""))


def _load_rows(condition) -> list[dict]:
	"""The assignments matching `condition` of enabled learners, with their email, in one query."""
	assignment = DocType(ASSIGNMENT)
	user = DocType("User")
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
