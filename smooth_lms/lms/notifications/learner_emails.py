"""Learner emails about mandatory training, through Frappe's email queue (never sent inline).

- `send_assignment_emails(names)`: the job `assignments.creation.notify_assigned` enqueues after the commit for
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

from collections.abc import Callable

import frappe
from frappe import _, _lt
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import add_days, date_diff, format_date, get_url, getdate, today
from pypika.terms import ExistsCriterion

from smooth_lms.lms.assignments.status import status_is
from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, USER
from smooth_lms.lms.framework.batches import chunked
from smooth_lms.lms.framework.settings import lms_settings
from smooth_lms.lms.notifications.mailer import plain, send_grouped
from smooth_lms.lms.obligations.owed import still_owes
from smooth_lms.lms.people.employees import is_leaver
from smooth_lms.lms.routes import COURSES_ROUTE, course_url
from smooth_lms.lms.training_rules import COMPLETED, IN_PROGRESS, OVERDUE, PENDING
from smooth_lms.lms.validity.states import later_completion

EMAIL_TEMPLATE = "lms_training"  # smooth_lms/templates/emails/lms_training.html


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
	return len(_email_learners(rows, _assigned_email, log=False))


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

	It does not depend on the overdue job having run first: a row past its due date is Overdue for every
	reader (assignments.status.status_is). Expiry notices concern the completion
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
			(status_is(assignment, PENDING, day) | status_is(assignment, IN_PROGRESS, day))
			& (assignment.due_date <= add_days(day, settings.reminder_days_before_due))
			& _not_sent_for(assignment.due_soon_reminded_for, assignment.due_date)
		)
	if settings.send_overdue_emails:
		conditions["overdue"] = status_is(assignment, OVERDUE, day) & _not_sent_for(
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
	course = DocType(COURSE)
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


def _load_rows(condition, lock: bool = False) -> list[dict]:
	"""The assignments matching `condition` of enabled learners, with their email, in one query. With
	`lock`, the assignment rows (only they: learners keep signing in) are locked first, so a second run
	at the same time waits for this one and then finds its rows recorded."""
	assignment = DocType(ASSIGNMENT)
	user = DocType(USER)
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
		.where(~is_leaver(assignment.employee))  # nobody who has left is mailed about training
		.orderby(assignment.employee)
		.orderby(assignment.due_date)
		.orderby(assignment.name)
		.run(as_dict=True)
	)


def _email_learners(
	rows: list[dict], compose: Callable[[list[dict]], tuple[str, str, list[dict]]], log: bool = True
) -> list[list[dict]]:
	"""One email per learner (rows come ordered by learner), through mailer.send_grouped. Returns each
	mailed learner's rows. The daily run logs a missing Email Account, once a day; the emails about new
	assignments are skipped quietly (`log` False), not logged at every assignment."""
	portal_url = get_url(COURSES_ROUTE)

	def message(learner_rows: list[dict]):
		first = learner_rows[0]
		if not first.email:
			return None
		for row in learner_rows:
			row.date_formatted = format_date(row.date)
			row.course_url = get_url(course_url(row.course))
		subject, intro, sections = compose(learner_rows)
		args = {
			"learner_name": first.learner_name,
			"intro": intro,
			"sections": sections,
			"portal_url": portal_url,
		}
		return first.email, subject, args

	title = _("Smooth LMS: training emails not sent") if log else None
	return list(send_grouped(rows, "employee", EMAIL_TEMPLATE, message, title).values())


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
