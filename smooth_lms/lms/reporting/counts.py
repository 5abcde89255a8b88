"""Mandatory training compliance in numbers: one aggregate query, whatever the number of assignments.

The one code path for the counts the portal's statistics page, the desk's report and cards show. Each
assignment counts under the status every reader shows (assignments.status.status_is: a row past its due
date is Overdue before the daily job has run).
"""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Max, Sum
from frappe.utils import getdate, today
from pypika.terms import Case

from smooth_lms.lms.assignments.status import status_is
from smooth_lms.lms.doctypes import ASSIGNMENT
from smooth_lms.lms.framework.guards import guarded
from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.people.employees import is_leaver
from smooth_lms.lms.training_rules import COMPLETED, IN_PROGRESS, OVERDUE, PENDING, completion_rate

# Result key -> the status it counts.
STATUS_KEYS = {"completed": COMPLETED, "overdue": OVERDUE, "in_progress": IN_PROGRESS, "pending": PENDING}


def counting_query(course: str | None = None, include_leavers: bool = False):
	"""The aggregate SELECT (assigned and one SUM per status) over assignments, optionally of one
	course; callers add their grouping. Leavers (Employee Left, or user disabled) are left out unless
	`include_leavers`: their history stays, but it is not the company's compliance today. Returns
	(query, assignment table)."""
	assignment = DocType(ASSIGNMENT)
	day = getdate(today())
	query = frappe.qb.from_(assignment).select(Count("*").as_("assigned"))
	for key, status in STATUS_KEYS.items():
		query = query.select(Sum(Case().when(status_is(assignment, status, day), 1).else_(0)).as_(key))
	if course:
		query = query.where(assignment.course == course)
	if not include_leavers:
		query = query.where(~is_leaver(assignment.employee))
	return query, assignment


def shaped_counts(row: dict) -> dict:
	"""A row of counting_query as ints, with the completion rate."""
	counts = {"assigned": int(row.get("assigned") or 0)}
	counts.update({key: int(row.get(key) or 0) for key in STATUS_KEYS})
	counts["completion_rate"] = completion_rate(counts["completed"], counts["assigned"])
	return counts


def compliance_counts(course: str | None = None, include_leavers: bool = False) -> dict:
	"""{"assigned", "completed", "overdue", "in_progress", "pending", "completion_rate"} over every
	assignment (or one course's), in one query. `completion_rate` is a percent with one decimal."""
	query, _assignment = counting_query(course, include_leavers)
	return shaped_counts(query.run(as_dict=True)[0])


def compliance_by_course(include_leavers: bool = False) -> list[dict]:
	"""The same counts per course (with its title), most assigned first, in one grouped query."""
	query, assignment = counting_query(include_leavers=include_leavers)
	rows = (
		query.select(assignment.course, Max(assignment.course_title).as_("course_title"))
		.groupby(assignment.course)
		.orderby(Count("*"), order=frappe.qb.desc)
		.orderby(assignment.course)
		.run(as_dict=True)
	)
	return [
		{"course": row.course, "course_title": row.course_title or row.course, **shaped_counts(row)}
		for row in rows
	]


@frappe.whitelist()
@guarded(require_training_viewer)
def get_compliance_counts(course: str | None = None, include_leavers: bool = False) -> dict:
	"""Compliance counts for Moderator, HR Manager and System Manager (403 for anyone else)."""
	return compliance_counts(course, include_leavers)
