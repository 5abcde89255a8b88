"""Managers and their direct reports: who reports to whom, and the training of those reports.

A manager is the user of the Employee that their reports' `reports_to` names. Only direct reports count
(not a report's own reports), and only current staff (people.employees.is_current_staff). The reads bypass LMS Training Assignment's row-level permissions
on purpose, and only ever for the rows of those reports: a manager is usually a plain learner, who may
read only their own rows. Nobody can ask for another person's team: the portal reads the session user's.
"""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import flt, getdate, today

from smooth_lms.lms.assignments.status import status_column
from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, EMPLOYEE
from smooth_lms.lms.people.employees import has_employees, is_current_staff, is_leaver


def reports_of(manager_user: str) -> list[str]:
	"""The users of the manager's direct reports who are current staff, by name."""
	return [member["employee"] for member in team_members(manager_user)]


def team_members(manager_user: str) -> list[dict]:
	"""The manager's direct reports, one query: {"employee" (their user), "employee_id" (their Employee
	record), "employee_name", "department", "designation"}, by name. A person with two records under
	the same manager is listed once."""
	if not manager_user or manager_user == "Guest" or not has_employees():
		return []
	report, manager = reporting_line()
	rows = (
		frappe.qb.from_(report)
		.join(manager)
		.on(manager.name == report.reports_to)
		.select(
			report.user_id.as_("employee"),
			report.name.as_("employee_id"),
			report.employee_name,
			report.department,
			report.designation,
		)
		.where(manager.user_id == manager_user)
		.where(current_report(report, manager))
		.orderby(report.employee_name)
		.orderby(report.user_id)
		.orderby(report.creation)
		.run(as_dict=True)
	)
	members: dict[str, dict] = {}
	for row in rows:
		members.setdefault(row.employee, row)
	return list(members.values())


def team_rows(manager_user: str, members: list[dict] | None = None) -> list[dict]:
	"""Every assignment of the manager's direct reports, by person then due date: {"assignment",
	"employee" (user), "employee_id", "employee_name", "department", "course", "course_title",
	"status" (as every reader shows it), "due_date", "progress", "completed_on"}. Two queries whatever the size (one
	when `members` is given): the team, then its rows."""
	if members is None:
		members = team_members(manager_user)
	if not members:
		return []
	report, manager = reporting_line()
	team = (
		frappe.qb.from_(report)
		.join(manager)
		.on(manager.name == report.reports_to)
		.select(report.user_id)
		.where(manager.user_id == manager_user)
		.where(current_report(report, manager))
	)
	assignment = DocType(ASSIGNMENT)
	course = DocType(COURSE)
	day = getdate(today())
	rows = (
		frappe.qb.from_(assignment)
		.left_join(course)
		.on(course.name == assignment.course)
		.select(
			assignment.name.as_("assignment"),
			assignment.employee,
			assignment.course,
			Coalesce(course.title, assignment.course_title, assignment.course).as_("course_title"),
			status_column(assignment, day).as_("status"),
			assignment.due_date,
			assignment.progress,
			assignment.completed_on,
		)
		.where(assignment.employee.isin(team))
		.orderby(assignment.due_date)
		.orderby(assignment.creation)
		.run(as_dict=True)
	)
	order = {member["employee"]: position for position, member in enumerate(members)}
	by_user = {member["employee"]: member for member in members}
	for row in rows:
		member = by_user.get(row.employee)
		row.employee_id = member["employee_id"] if member else None
		row.employee_name = member["employee_name"] if member else row.employee
		row.department = member["department"] if member else None
		row.progress = flt(row.progress)
	rows.sort(key=lambda row: order.get(row.employee, len(order)))
	return rows


def reporting_line():
	"""The Employee table twice: the report, and the manager their `reports_to` names."""
	return DocType(EMPLOYEE).as_("report"), DocType(EMPLOYEE).as_("manager")


def current_report(report, manager):
	"""The one definition of "a current direct report" (the team, its rows and the digest): the report is
	current staff (an active employee with an enabled user) other than the manager, and the manager has
	not left."""
	return is_current_staff(report) & (report.user_id != manager.user_id) & ~is_leaver(manager.user_id)
