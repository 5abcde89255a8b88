"""Where people stand on the courses they owe: compliance states, computed set-wise.

For each (active employee, course they owe — obligations.owed_courses): Compliant, Expiring Soon (valid
but inside the course's renewal window), Expired (a lapsed completion, even while its renewal is under
way), Pending / In Progress / Overdue (a first attempt), or Not Assigned, by
training_rules.compliance_state. The portal, the reports, the API summary and the workspace cards read
states from here; the four assignment statuses stay the four statuses.

A completion's validity is read from its `valid_until`; a course whose validity is 0 never expires.
A completion is superseded (renewed) once a later completion of the same person and course exists.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

import frappe
from frappe.query_builder import DocType
from frappe.utils import getdate, today
from pypika.terms import Case, ExistsCriterion

from smooth_lms.lms.assignments.status import status_column
from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE
from smooth_lms.lms.framework.batches import chunked
from smooth_lms.lms.obligations.owed import owed_courses
from smooth_lms.lms.training_rules import (
	COMPLETED,
	COMPLIANCE_STATES,
	OPEN_PRIORITY,
	compliance_state,
	validity_state,
)


def compliance_states(users: list[str] | None = None, courses: list[str] | None = None) -> list[dict]:
	"""One row per (active employee, course they owe) — all, or those of `users` / `courses` — with
	employee, course, state, valid_until (of the completion that counts, if any), due_date and assignment
	(of the open assignment, if any). A fixed number of queries: what is owed, the courses, and the
	assignments of those courses (per 1,000 people when they are named)."""
	owed = owed_courses(users, courses)
	if not owed:
		return []
	wanted = sorted({course for owed_by_one in owed.values() for course in owed_by_one})
	meta = course_meta(wanted)
	history: dict[tuple[str, str], list[dict]] = defaultdict(list)
	for row in _assignments(None if users is None else list(owed), wanted):
		history[(row.employee, row.course)].append(row)
	day = getdate(today())
	out = []
	for user, owed_by_one in owed.items():
		for course in owed_by_one:
			rows = history.get((user, course), [])
			info = meta[course]
			state = compliance_state(
				[(row.status, row.valid_until, _order(row)) for row in rows],
				day,
				info.window,
				expires=info.expires,
			)
			out.append({"employee": user, "course": course, "state": state, **_detail(rows, state, info)})
	return out


def state_counts(rows: Iterable[dict]) -> dict[str, int]:
	counts = dict.fromkeys(COMPLIANCE_STATES, 0)
	for row in rows:
		counts[row["state"]] += 1
	return counts


def completion_state(row: dict, day: datetime.date) -> str | None:
	"""Of one assignment row with `status`, `valid_until`, `renewed` (a later completion exists), the
	course's `renewal_window_days` and `validity_days`: Compliant / Expiring Soon / Expired for the
	completion that counts today; None for rows that are not completed or were renewed since."""
	if row["status"] != COMPLETED or row.get("renewed"):
		return None
	until = getdate(row["valid_until"]) if row.get("valid_until") and row.get("validity_days") else None
	return validity_state(until, day, row.get("renewal_window_days") or 0)


def later_completion(assignment):
	"""A criterion on an assignment table: a later completion of the same person and course exists (the
	row, if completed, was renewed since and no longer counts)."""
	later = DocType(ASSIGNMENT).as_("later")
	return ExistsCriterion(
		frappe.qb.from_(later)
		.select(later.name)
		.where(
			(later.employee == assignment.employee)
			& (later.course == assignment.course)
			& (later.status == COMPLETED)
			& (
				(later.completed_on > assignment.completed_on)
				| ((later.completed_on == assignment.completed_on) & (later.name > assignment.name))
			)
		)
	)


def renewed_column(assignment):
	"""A select column: 1 when a later completion of the same person and course exists."""
	return Case().when(later_completion(assignment), 1).else_(0)


def course_meta(courses: list[str]) -> dict[str, frappe._dict]:
	"""{course: title, window (renewal window days), expires (validity_days > 0)}, in one query."""
	course = DocType(COURSE)
	rows = (
		frappe.qb.from_(course)
		.select(course.name, course.title, course.validity_days, course.renewal_window_days)
		.where(course.name.isin(courses or [""]))
		.run(as_dict=True)
	)
	return {
		row.name: frappe._dict(
			title=row.title, window=int(row.renewal_window_days or 0), expires=int(row.validity_days or 0) > 0
		)
		for row in rows
	}


class _Row(NamedTuple):
	name: str
	employee: str
	course: str
	status: str
	valid_until: datetime.date | None
	due_date: datetime.date | None
	completed_on: datetime.date | None


def _assignments(users: list[str] | None, courses: list[str]) -> list[_Row]:
	"""The assignments of these courses (of these users), as light tuples (there can be 100,000s), each
	with the status every reader shows."""
	assignment = DocType(ASSIGNMENT)
	day = getdate(today())
	columns = [
		status_column(assignment, day) if field == "status" else assignment[field] for field in _Row._fields
	]
	query = frappe.qb.from_(assignment).select(*columns)
	query = query.where(assignment.course.isin(courses))
	batches = (
		[query] if users is None else [query.where(assignment.employee.isin(list(b))) for b in chunked(users)]
	)
	return [_Row(*row) for batch in batches for row in batch.run()]


def _order(row: _Row) -> tuple:
	"""How completions rank: the latest (date, then name) counts, as validity.later_completion."""
	return (row.completed_on or datetime.date.min, row.name)


def _detail(rows: list[_Row], state: str, info) -> dict:
	completions = [row for row in rows if row.status == COMPLETED]
	open_rows = [row for row in rows if row.status in OPEN_PRIORITY]
	counted = max(completions, key=_order, default=None)  # the latest: the one compliance_state counts
	current = max(open_rows, key=lambda r: (OPEN_PRIORITY[r.status], r.name), default=None)
	deciding = current if state in OPEN_PRIORITY else counted
	return {
		"valid_until": counted.valid_until if counted and info.expires else None,
		"completed_on": counted.completed_on if counted else None,
		"due_date": current.due_date if current else None,
		"assignment": deciding.name if deciding else None,
		"course_title": info.title,
	}
