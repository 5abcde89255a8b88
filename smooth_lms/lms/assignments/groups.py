"""Assigning a course to a whole group at once — a department, designation and/or branch — from the desk's
Assign Training dialog, with a progress bar for whoever waits.

`assign_training_to_group` gives the course to every active employee with an enabled user of the group.
Up to INLINE_LIMIT people it is done at once and answered; above, it runs as a background job and the
dialog follows it (Frappe's progress bar, and `get_group_assignment` for the summary when done).

A job works in chunks of 1,000 people, each committed on its own (creation.assign_in_chunks): a rerun
after a failure skips what is done, never duplicates. `assign_mandatory_training` keeps its own contract
(one synchronous call).
"""

import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import escape_html, getdate

from smooth_lms.lms.assignments.creation import assign_in_chunks, assign_pairs, summary
from smooth_lms.lms.doctypes import EMPLOYEE
from smooth_lms.lms.framework.document_trail import Via
from smooth_lms.lms.framework.guards import guarded
from smooth_lms.lms.framework.roles import require_assigner
from smooth_lms.lms.framework.validation import get_assignable_course, validate_due_date
from smooth_lms.lms.notifications.job_notices import (
	course_title_html,
	people,
	skipped_text,
	tell_about_course,
)
from smooth_lms.lms.people.employees import has_employees, is_current_staff

GROUP_FIELDS = ("department", "designation", "branch")
INLINE_LIMIT = 500
STATUS_TTL = 24 * 3600


@frappe.whitelist(methods=["POST"])
@guarded(require_assigner)
def assign_training_to_group(
	course: str,
	due_date: str | datetime.date,
	department: str | None = None,
	designation: str | None = None,
	branch: str | None = None,
) -> dict:
	"""Assign a published course to the active employees (with an enabled user) of a department,
	designation and/or branch. Returns the summary, or {"job", "total", "queued": True} for a large
	group (then `get_group_assignment(job)` answers how far it is and, at the end, the summary)."""
	course_row = get_assignable_course(course)
	due = validate_due_date(due_date)
	group = {
		field: value
		for field, value in zip(GROUP_FIELDS, (department, designation, branch), strict=True)
		if value
	}
	if not group:
		frappe.throw(
			_("Pick a department, designation or branch to assign the course to."),
			frappe.MandatoryError,
			title=_("No Group"),
		)
	users = group_members(group)
	via = Via(_("via Assign Training to {0}").format(", ".join(group.values())))
	pairs = [(user, course_row.name) for user in users]
	if len(users) <= INLINE_LIMIT:
		return {"queued": False, "total": len(users), **summary(assign_pairs(pairs, due, via=via))}

	job = frappe.generate_hash(length=16)
	_save_status(job, {"owner": frappe.session.user, "total": len(users), "done": 0, "finished": False})
	frappe.enqueue(
		"smooth_lms.lms.assignments.groups.run_group_assignment",
		queue="long",
		timeout=3600,
		enqueue_after_commit=True,
		job=job,
		pairs=pairs,
		due_date=str(due),
		label=via.label,
		group=", ".join(group.values()),
	)
	return {"queued": True, "job": job, "total": len(users)}


@frappe.whitelist()
@guarded(require_assigner)
def get_group_assignment(job: str) -> dict:
	"""How far a queued group assignment of the caller's is: {"total", "done", "finished"} and, when
	finished, the summary. Another person's job does not exist for the caller."""
	status = _status(job)
	if not status or status.get("owner") != frappe.session.user:
		frappe.throw(_("No such training assignment job."), frappe.DoesNotExistError, title=_("Not Found"))
	return {key: value for key, value in status.items() if key != "owner"}


def run_group_assignment(job: str, pairs: list, due_date: str, label: str, group: str | None = None) -> None:
	"""Background job of `assign_training_to_group`. When done, the course's timeline says what it did
	and the person who asked (the job's owner) is told in their bell."""

	def on_chunk(done: int) -> None:
		_save_status(job, {**(_status(job) or {}), "done": done})

	result = assign_in_chunks(
		[tuple(pair) for pair in pairs], getdate(due_date), Via(label), on_chunk, in_job=True
	)
	status = {**(_status(job) or {}), **summary(result), "finished": True}
	_save_status(job, status)
	if pairs:
		_tell(pairs[0][1], group or label, status, status.get("owner") or frappe.session.user)


def group_members(group: dict) -> list[str]:
	"""The enabled users of the active employees matching every field of `group`."""
	if not has_employees():
		return []
	employee = DocType(EMPLOYEE)
	query = (
		frappe.qb.from_(employee)
		.select(employee.user_id)
		.distinct()
		.where(is_current_staff(employee))
		.orderby(employee.user_id)
	)
	for field, value in group.items():
		query = query.where(employee[field] == value)
	return [row[0] for row in query.run()]


SUGGESTIONS = 20


@frappe.whitelist()
@guarded(require_assigner)
def get_group_values(field: str, txt: str | None = None) -> list[str]:
	"""Suggestions for the Assign Training dialog: the distinct, non-empty departments, designations or
	branches (`field`) of the active employees with an enabled user — the people a group assignment
	reaches — containing `txt`, in order, at most SUGGESTIONS."""
	if field not in GROUP_FIELDS:
		frappe.throw(
			_("Field must be one of {0}, not {1}.").format(
				", ".join(GROUP_FIELDS), frappe.utils.escape_html(field)
			),
			frappe.ValidationError,
			title=_("Invalid Field"),
		)
	if not has_employees():
		return []
	employee = DocType(EMPLOYEE)
	column = employee[field]
	query = (
		frappe.qb.from_(employee)
		.select(column)
		.distinct()
		.where(is_current_staff(employee))
		.where(column.notnull())
		.where(column != "")
		.orderby(column)
		.limit(SUGGESTIONS)
	)
	if txt:
		query = query.where(column.like(f"%{_like_literal(txt)}%"))
	return [row[0] for row in query.run()]


def _like_literal(text: str) -> str:
	"""`text` matched as typed by LIKE: its wildcards (and the escape character) escaped."""
	return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _tell(course: str, group: str, counts: dict, owner: str) -> None:
	given, had = escape_html(people(counts["created"])), counts["already_open"]
	group, skipped = escape_html(group), escape_html(skipped_text(counts))
	tell_about_course(
		course,
		_("assigned this course to {0}: given to {1}; {2} had it open already; skipped: {3}.").format(
			group, given, had, skipped
		),
		_("{0} assigned to {1}: given to {2}; {3} had it open already; skipped: {4}.").format(
			course_title_html(course), group, given, had, skipped
		),
		owner,
	)


def _status(job: str) -> dict | None:
	# expires=True: read Redis every time (a job's status changes while it runs; no per-process copy).
	return frappe.cache.get_value(_status_key(job), expires=True)


def _status_key(job: str) -> str:
	return f"smooth_lms:group_assignment:{job}"


def _save_status(job: str, status: dict) -> None:
	frappe.cache.set_value(_status_key(job), status, expires_in_sec=STATUS_TTL)
