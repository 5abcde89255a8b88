"""Mandatory Training Compliance: per course or per department, how many assignments there are and
how many are completed, overdue, in progress and pending, with the completion rate.

All numbers come from one grouped aggregate query, built on `smooth_lms.lms.reporting.counts` (the counting
the learner portal's statistics use too). Department is the assignee's Employee.department (Employee
.user_id = assignment.employee), on sites where the Employee DocType exists.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Max
from frappe.utils import cint, escape_html
from pypika.terms import ValueWrapper

from smooth_lms.lms.doctypes import EMPLOYEE
from smooth_lms.lms.framework.guards import scalar_filters
from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.people.employees import has_employees, person_record
from smooth_lms.lms.reporting.counts import counting_query, shaped_counts
from smooth_lms.lms.training_rules import completion_rate

COURSE, DEPARTMENT = "Course", "Department"
GROUP_BY = (COURSE, DEPARTMENT)
COUNTS = ("assigned", "completed", "overdue", "in_progress", "pending")


def execute(filters: dict | None = None):
	require_training_viewer()
	filters = scalar_filters(filters, ("group_by", "course", "department", "include_leavers"))
	group_by = filters.get("group_by") or COURSE
	if group_by not in GROUP_BY:
		frappe.throw(
			_("Group By must be one of {0}, not {1}.").format(", ".join(GROUP_BY), escape_html(group_by)),
			frappe.ValidationError,
			title=_("Invalid Group By"),
		)
	rows = compliance_rows(
		group_by,
		course=filters.get("course"),
		department=filters.get("department"),
		include_leavers=bool(cint(filters.get("include_leavers"))),
	)
	return get_columns(group_by), rows, None, get_chart(rows, group_by), get_summary(rows)


def compliance_rows(
	group_by: str, course: str | None = None, department: str | None = None, include_leavers: bool = False
) -> list[dict]:
	"""One row per course or department with its counts and completion rate, in one query (leavers left
	out unless `include_leavers`)."""
	query, assignment = counting_query(course, include_leavers)
	has_employee = has_employees()
	if department and not has_employee:
		return []  # no Employee DocType: nobody belongs to a department
	if has_employee and (group_by == DEPARTMENT or department):
		employee = DocType(EMPLOYEE)
		query = query.left_join(employee).on(person_record(employee, assignment.employee))
		if department:
			query = query.where(employee.department == department)

	if group_by == COURSE:
		title = Max(assignment.course_title)
		query = query.select(assignment.course, title.as_("course_title")).groupby(assignment.course)
		query = query.orderby(title).orderby(assignment.course)
	elif has_employee:
		query = query.select(employee.department).groupby(employee.department).orderby(employee.department)
	else:
		query = query.select(ValueWrapper(None).as_("department"))

	rows = []
	for row in query.run(as_dict=True):
		if not row.assigned:
			continue  # no Employee table and no assignment at all: the ungrouped query's empty row
		group = (
			{"course": row.course, "course_title": row.course_title or row.course}
			if group_by == COURSE
			else {"department": row.department or _("No Department")}
		)
		rows.append({**group, **shaped_counts(row)})
	if group_by == DEPARTMENT:
		# Named departments first, alphabetically; people without one last.
		rows.sort(key=lambda r: (r["department"] == _("No Department"), r["department"].lower()))
	return rows


def get_columns(group_by: str) -> list[dict]:
	if group_by == COURSE:
		group = [
			{"fieldname": "course", "label": _("Course"), "fieldtype": "Link", "options": "LMS Course", "width": 180},
			{"fieldname": "course_title", "label": _("Course Title"), "fieldtype": "Data", "width": 240},
		]  # fmt: skip
	else:
		group = [{"fieldname": "department", "label": _("Department"), "fieldtype": "Data", "width": 240}]
	counts = [
		{"fieldname": "assigned", "label": _("Assigned"), "fieldtype": "Int", "width": 110},
		{"fieldname": "completed", "label": _("Completed"), "fieldtype": "Int", "width": 110},
		{"fieldname": "overdue", "label": _("Overdue"), "fieldtype": "Int", "width": 110},
		{"fieldname": "in_progress", "label": _("In Progress"), "fieldtype": "Int", "width": 110},
		{"fieldname": "pending", "label": _("Pending"), "fieldtype": "Int", "width": 110},
		{"fieldname": "completion_rate", "label": _("Completion %"), "fieldtype": "Percent", "width": 130},
	]
	return group + counts


def get_chart(rows: list[dict], group_by: str) -> dict | None:
	if not rows:
		return None
	label = "course_title" if group_by == COURSE else "department"
	return {
		"data": {
			"labels": [row[label] for row in rows],
			"datasets": [
				{"name": _("Completed"), "values": [row["completed"] for row in rows]},
				{"name": _("Overdue"), "values": [row["overdue"] for row in rows]},
			],
		},
		"type": "bar",
		"colors": ["green", "red"],
		"fieldtype": "Int",
	}


def get_summary(rows: list[dict]) -> list[dict]:
	totals = {key: sum(row[key] for row in rows) for key in COUNTS}
	return [
		{"label": _("Assigned"), "value": totals["assigned"], "datatype": "Int", "indicator": "Blue"},
		{"label": _("Completed"), "value": totals["completed"], "datatype": "Int", "indicator": "Green"},
		{"label": _("Overdue"), "value": totals["overdue"], "datatype": "Int", "indicator": "Red"},
		{
			"label": _("Completion Rate"),
			"value": completion_rate(totals["completed"], totals["assigned"]),
			"datatype": "Percent",
			"indicator": "Green" if totals["assigned"] and not totals["overdue"] else "Orange",
		},
	]
