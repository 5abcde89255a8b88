"""Assigning training to many people at once, on Frappe's queue, with a progress bar for whoever waits.

- `assign_training_to_group` (whitelisted; the desk's Assign Training dialog): a course for every active
  employee with an enabled user in a department, designation and/or branch. Up to INLINE_LIMIT people
  it is done at once and answered; above, it runs as a background job and the dialog follows it
  (Frappe's progress bar, and `get_group_assignment` for the summary when done).
- `sweep_course` (queued when a course becomes published and mandatory, or its Mandatory For rows
  change): everyone who now owes the course and lacks it gets it (obligations.missing).

A job works in chunks of 1,000 people, each committed on its own: a rerun after a failure skips what is
done, never duplicates. `assign_mandatory_training` keeps its own contract (one synchronous call).
"""

import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import add_days, getdate, today

from smooth_lms.lms.assignments import AssignmentResult, assign_pairs
from smooth_lms.lms.doctype.lms_settings.lms_settings import onboarding_due_days
from smooth_lms.lms.document_trail import Via
from smooth_lms.lms.employees import ACTIVE, EMPLOYEE, has_employees
from smooth_lms.lms.guards import guarded
from smooth_lms.lms.obligations import missing
from smooth_lms.lms.roles import require_assigner
from smooth_lms.lms.training_rules import chunked
from smooth_lms.lms.validation import get_assignable_course, validate_due_date

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
		"smooth_lms.lms.sweeps.run_group_assignment",
		queue="long",
		timeout=3600,
		enqueue_after_commit=True,
		job=job,
		pairs=pairs,
		due_date=str(due),
		label=via.label,
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


def run_group_assignment(job: str, pairs: list, due_date: str, label: str) -> None:
	"""Background job of `assign_training_to_group`."""
	result = _in_chunks([tuple(pair) for pair in pairs], getdate(due_date), Via(label), job=job)
	_save_status(job, {**(_status(job) or {}), **summary(result), "finished": True})


def sweep_course(course: str, requested_by: str | None = None) -> dict:
	"""Background job: everyone who owes the course and lacks it gets it, due in the onboarding due days.
	Returns the summary."""
	via = Via(_("via a change of course {0}").format(course), "LMS Course", course)
	due_date = getdate(add_days(today(), onboarding_due_days()))
	return summary(_in_chunks(missing(courses=[course]), due_date, via))


def group_members(group: dict) -> list[str]:
	"""The enabled users of the active employees matching every field of `group`."""
	if not has_employees():
		return []
	employee, user = DocType(EMPLOYEE), DocType("User")
	query = (
		frappe.qb.from_(employee)
		.join(user)
		.on(user.name == employee.user_id)
		.select(employee.user_id)
		.distinct()
		.where(employee.status == ACTIVE)
		.where(user.enabled == 1)
		.orderby(employee.user_id)
	)
	for field, value in group.items():
		query = query.where(employee[field] == value)
	return [row[0] for row in query.run()]


def summary(result: AssignmentResult) -> dict:
	return {
		"created": len(result.created),
		"already_open": len(result.already_open),
		"unknown_users": len(result.unknown_users),
		"disabled_users": len(result.disabled_users),
		"left_users": len(result.left_users),
	}


def _in_chunks(pairs: list[tuple[str, str]], due_date: datetime.date, via: Via, job: str | None = None):
	total, count, result = len(pairs), 0, AssignmentResult()
	title = _("Assigning training")
	for batch in chunked(pairs):
		result.absorb(assign_pairs(list(batch), due_date, via=via))
		if not frappe.flags.in_test:
			frappe.db.commit()  # each chunk is whole on its own: a rerun skips it
		count += len(batch)
		frappe.publish_progress(
			count * 100 / total, title=title, description=_("{0} of {1}").format(count, total)
		)
		if job:
			_save_status(job, {**(_status(job) or {}), "done": count})
	return result


def _status(job: str) -> dict | None:
	# expires=True: read Redis every time (a job's status changes while it runs; no per-process copy).
	return frappe.cache.get_value(_status_key(job), expires=True)


def _status_key(job: str) -> str:
	return f"smooth_lms:group_assignment:{job}"


def _save_status(job: str, status: dict) -> None:
	frappe.cache.set_value(_status_key(job), status, expires_in_sec=STATUS_TTL)


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
	employee, user = DocType(EMPLOYEE), DocType("User")
	column = employee[field]
	query = (
		frappe.qb.from_(employee)
		.join(user)
		.on(user.name == employee.user_id)
		.select(column)
		.distinct()
		.where(employee.status == ACTIVE)
		.where(user.enabled == 1)
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
