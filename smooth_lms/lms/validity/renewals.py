"""Recertification: completions that expire open their own renewal.

Daily (`open_renewals`): every completion that still counts — the latest of its person and course — of a
published course with a validity, whose `valid_until` is inside the course's renewal window (or has
passed), gets a renewal assignment when its learner still owes the course (obligations.owed.still_owes):
`renewal_of` pointing at the completion, due on the expiry date, the enrollment started over
(assignments.creation.prepare_assignments does that for every new attempt), the learner emailed. A completion
already expired when it is found (its course's validity was just set, or the job did not run for a
while) gets the course's renewal window from today instead of a due date in the past.

Idempotent: a completion that has a renewal, or whose person has an open or overdue assignment of the
course already, is left alone. Set-wise: one query finds the completions to renew whatever their number,
then the creation path's fixed statements per batch of 1,000 renewals.

Validity first set (`on_validity_changed`, from LMS Course): completions of a course that never expired
get their valid_until from their completion date, and their renewals open at once, from a job.
"""

import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import add_days, cint, getdate, now_datetime, today
from pypika.terms import ExistsCriterion, Function

from smooth_lms.lms.assignments.creation import AssignmentResult, assign_pairs
from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE
from smooth_lms.lms.framework.batches import chunked
from smooth_lms.lms.framework.document_trail import Via, record_changes
from smooth_lms.lms.obligations.owed import still_owes
from smooth_lms.lms.training_rules import COMPLETED, OPEN_STATUSES, OVERDUE, valid_until
from smooth_lms.lms.validity.states import later_completion


def renewal_job() -> Via:
	return Via(_("via recertification"), "Scheduled Job Type", "renewals.open_renewals")


def open_renewals(courses: list[str] | None = None) -> dict:
	"""Daily: open the renewals that are due (of every course, or of `courses`). Returns
	{"renewals": opened, "skipped": left out by the creation path (e.g. a race opened one first)}."""
	day = getdate(today())
	renewals = {}
	for name, employee, course, until, window in due_for_renewal(courses):
		renewals[(employee, course)] = (renewal_due_date(getdate(until), window, day), name)
	result = AssignmentResult()
	for batch in chunked(list(renewals)):
		result.absorb(
			assign_pairs(
				list(batch), None, via=renewal_job(), renewals={pair: renewals[pair] for pair in batch}
			)
		)
	return {"renewals": len(result.created), "skipped": result.skipped}


def due_for_renewal(courses: list[str] | None = None) -> list[tuple]:
	"""(completion, employee, course, valid_until, renewal window days) of every completion to renew
	today, in one query."""
	completion, course = DocType(ASSIGNMENT), DocType(COURSE)
	renewal, working = DocType(ASSIGNMENT).as_("renewal"), DocType(ASSIGNMENT).as_("working")
	same_pair = lambda other: (other.employee == completion.employee) & (other.course == completion.course)  # noqa: E731
	query = (
		frappe.qb.from_(completion)
		.join(course)
		.on(course.name == completion.course)
		.select(
			completion.name,
			completion.employee,
			completion.course,
			completion.valid_until,
			course.renewal_window_days,
		)
		.where(completion.status == COMPLETED)
		.where(completion.valid_until.isnotnull())
		.where((course.validity_days > 0) & (course.published == 1))
		.where(Function("DATEDIFF", completion.valid_until, getdate(today())) <= course.renewal_window_days)
		.where(~later_completion(completion))
		.where(
			~ExistsCriterion(
				frappe.qb.from_(renewal).select(renewal.name).where(renewal.renewal_of == completion.name)
			)
		)
		.where(
			~ExistsCriterion(
				frappe.qb.from_(working)
				.select(working.name)
				.where(same_pair(working) & working.status.isin([*OPEN_STATUSES, OVERDUE]))
			)
		)
		.where(still_owes(completion.employee, course))
		.orderby(completion.valid_until)
	)
	if courses is not None:
		query = query.where(completion.course.isin(courses or [""]))
	return query.run()


def on_validity_changed(course_doc) -> None:
	"""LMS Course on_update: a course that never expired now has a validity. Its completions without a
	valid_until get one from their completion date (Versions say so), and the renewals now due open from
	a job after the commit. A validity changed from one number to another leaves recorded completions as
	they are: each was valid for the days its course had when it was completed."""
	before = course_doc.get_doc_before_save()
	if not before or cint(before.validity_days) > 0 or cint(course_doc.validity_days) <= 0:
		return
	assignment = DocType(ASSIGNMENT)
	rows = (
		frappe.qb.from_(assignment)
		.select(assignment.name, assignment.completed_on)
		.where(assignment.course == course_doc.name)
		.where(assignment.status == COMPLETED)
		.where(assignment.valid_until.isnull())
		.where(assignment.completed_on.isnotnull())
		.for_update()
		.run()
	)
	changes = {}
	for name, completed_on in rows:
		changes[name] = {
			"valid_until": (None, str(valid_until(getdate(completed_on), cint(course_doc.validity_days))))
		}
	for batch in chunked(list(changes)):
		frappe.db.sql(
			"""update `tabLMS Training Assignment`
			set valid_until = date_add(completed_on, interval %(days)s day), modified = %(now)s
			where name in %(names)s""",
			{"days": cint(course_doc.validity_days), "now": now_datetime(), "names": tuple(batch)},
		)
	record_changes(
		ASSIGNMENT,
		changes,
		Via(_("via the validity of course {0}").format(course_doc.name), COURSE, course_doc.name),
	)
	frappe.enqueue(
		"smooth_lms.lms.validity.renewals.open_renewals",
		queue="long",
		enqueue_after_commit=True,
		courses=[course_doc.name],
	)


def renewal_due_date(until: datetime.date, window_days: int, day: datetime.date) -> datetime.date:
	"""When a renewal opened on `day` is due: the expiry date, or, for a completion found already
	expired, the renewal window from `day` (never a due date in the past)."""
	return until if until >= day else getdate(add_days(day, int(window_days or 0)))
