"""Sweeps: when what people owe may have changed, everyone who now owes a course and lacks it gets it.

- An Employee changes (on_change: a new department, designation, branch or employment type, a user set,
  the employee active again): they get what they now owe, at once (one person: `assign_missing`).
- A course becomes published and mandatory, or its Mandatory For rows change (LMS Course on_update): a
  background job (`sweep_course`, thousands of people) gives it to everyone who owes it and lacks it,
  then tells whoever made the change what it did (a notification, and the course's timeline).

"Lacks it" is obligations.owed.missing (no assignment of the course at all: open, overdue or completed —
an expired completion is renewed by validity.renewals); due in LMS Settings' onboarding due days. The
onboarding of a new hire (obligations.onboarding) gives the same, through the same `assign_missing`.
"""

import frappe
from frappe import _
from frappe.utils import escape_html

from smooth_lms.lms.assignments.creation import AssignmentResult, assign_in_chunks, summary
from smooth_lms.lms.doctypes import COURSE, EMPLOYEE
from smooth_lms.lms.framework.document_trail import Via
from smooth_lms.lms.framework.settings import onboarding_due_date
from smooth_lms.lms.notifications.job_notices import (
	course_title_html,
	people,
	skipped_text,
	tell_about_course,
)
from smooth_lms.lms.obligations.owed import missing, owed_courses
from smooth_lms.lms.people.employees import ACTIVE, AUDIENCE_FIELDS

# Course changes that can make people owe it.
COURSE_TRIGGERS = ("published", "is_mandatory")


def assign_missing(
	users: list[str] | None = None,
	courses: list[str] | None = None,
	via: Via | None = None,
	in_job: bool = False,
) -> AssignmentResult:
	"""Give people (all, or `users`) what they owe of every course (or of `courses`) and do not have, due
	in the onboarding due days from today. In a background job (`in_job`), chunks of 1,000 are committed
	one by one under a progress bar."""
	return assign_in_chunks(missing(users, courses), onboarding_due_date(), via, in_job=in_job)


def sweep_course(course: str, requested_by: str | None = None) -> dict:
	"""Background job: everyone who owes the course and lacks it gets it; then the course's timeline says
	what was done, and `requested_by` is told in their bell. Returns the summary, with "had_it": the
	people who owe the course and already had it (open, overdue or completed)."""
	via = Via(_("via a change of course {0}").format(course), COURSE, course)
	owing = len(owed_courses(courses=[course]))
	pairs = missing(courses=[course])
	result = assign_in_chunks(pairs, onboarding_due_date(), via, in_job=True)
	counts = {**summary(result), "had_it": owing - len(pairs) + len(result.already_open)}
	_tell(course, counts, requested_by)
	return counts


def on_employee_changed(doc, method=None) -> None:
	"""Employee on_change (save or db_set): a new department, designation, branch or employment type,
	a user set or the employee active again can make them owe courses: they get the ones they lack.
	A new Employee gets nothing here: what a new hire owes comes with their onboarding (onboarding.py)."""
	before = doc.get_doc_before_save()
	if not before or not doc.get("user_id") or doc.get("status") != ACTIVE:
		return
	if all(before.get(field) == doc.get(field) for field in (*AUDIENCE_FIELDS, "user_id", "status")):
		return
	assign_missing(
		[doc.user_id],
		via=Via(_("via a change of Employee {0}").format(doc.name), EMPLOYEE, doc.name),
	)


def on_course_changed(doc, method=None) -> None:
	"""LMS Course on_update: a course that becomes published and mandatory, or whose Mandatory For rows
	change, is given to everyone who now owes it, from a background job (thousands of people)."""
	if not (doc.published and doc.is_mandatory):
		return
	before = doc.get_doc_before_save()
	if before and not _obligation_changed(before, doc):
		return
	frappe.enqueue(
		"smooth_lms.lms.obligations.sweeps.sweep_course",
		queue="long",
		enqueue_after_commit=True,
		course=doc.name,
		requested_by=frappe.session.user,
	)


def _tell(course: str, counts: dict, requested_by: str | None) -> None:
	given, had = escape_html(people(counts["created"])), counts["had_it"]
	skipped = escape_html(skipped_text(counts))
	tell_about_course(
		course,
		_(
			"changed who must take this course. Mandatory training given to {0}; {1} had it already; "
			"skipped: {2}."
		).format(given, had, skipped),
		_("{0} is mandatory training: given to {1}; {2} had it already; skipped: {3}.").format(
			course_title_html(course), given, had, skipped
		),
		requested_by,
	)


def _obligation_changed(before, after) -> bool:
	if any(not before.get(field) and after.get(field) for field in COURSE_TRIGGERS):
		return True

	def rows(doc):
		return sorted(tuple((row.get(field) or "") for field in AUDIENCE_FIELDS) for row in doc.mandatory_for)

	return rows(before) != rows(after)
