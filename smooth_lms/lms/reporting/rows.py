"""Training rows as people read them: a learner's own assignments, and everyone's (a team's) with a
summary — what `get_my_training_assignments` and `get_team_training_status` answer, the portal shows
and HR exports. One query each, whatever the number of rows. Each row's status is the one every reader
shows (assignments.status.status_column): past its due date, Overdue, whether or not the daily job ran.
"""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import flt, getdate, today
from pypika.terms import ValueWrapper

from smooth_lms.lms.assignments.status import status_column, status_is
from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, EMPLOYEE, ENROLLMENT
from smooth_lms.lms.people.employees import has_employees, is_leaver, person_record
from smooth_lms.lms.training_rules import COMPLETED, EXPIRED, EXPIRING_SOON, STATUSES, completion_rate
from smooth_lms.lms.validity.states import completion_state, renewed_column


def learner_rows(user: str) -> list[dict]:
	"""The user's assignments, due date first: name, course, course_title, course_image, due_date,
	status, progress, completed_on, valid_until, renewal_of."""
	assignment = DocType(ASSIGNMENT)
	course = DocType(COURSE)
	enrollment = DocType(ENROLLMENT)
	day = getdate(today())
	rows = (
		frappe.qb.from_(assignment)
		.left_join(course)
		.on(course.name == assignment.course)
		.left_join(enrollment)
		.on((enrollment.member == assignment.employee) & (enrollment.course == assignment.course))
		.select(
			assignment.name,
			assignment.course,
			Coalesce(course.title, assignment.course_title).as_("course_title"),
			course.image.as_("course_image"),
			assignment.due_date,
			status_column(assignment, day).as_("status"),
			assignment.progress.as_("assignment_progress"),
			enrollment.progress.as_("enrollment_progress"),
			assignment.completed_on,
			assignment.valid_until,
			assignment.renewal_of,
		)
		.where(assignment.employee == user)
		.orderby(assignment.due_date)
		.orderby(assignment.creation)
		.run(as_dict=True)
	)
	for row in rows:
		# A Completed row keeps its own attempt's 100 %; the enrollment may have started over since.
		attempt = row.pop("assignment_progress")
		live = row.pop("enrollment_progress")
		row["progress"] = flt(attempt) if row.status == COMPLETED else flt(live)
	return rows


def team_rows(
	department: str | None = None,
	course: str | None = None,
	status: str | None = None,
	include_leavers: bool = False,
) -> list[dict]:
	assignment, course_table = DocType(ASSIGNMENT), DocType(COURSE)
	day = getdate(today())
	query = (
		frappe.qb.from_(assignment)
		.left_join(course_table)
		.on(course_table.name == assignment.course)
		.select(
			assignment.name.as_("assignment"),
			assignment.employee,
			assignment.employee_name,
			assignment.course,
			assignment.course_title,
			assignment.due_date,
			status_column(assignment, day).as_("status"),
			assignment.progress,
			assignment.completed_on,
			assignment.course_version,  # of the course completed (None until completed)
			assignment.valid_until,
			assignment.renewal_of,
			assignment.attempts_exhausted,
			course_table.validity_days,
			course_table.renewal_window_days,
			renewed_column(assignment).as_("renewed"),
		)
	)
	if has_employees():
		employee = DocType(EMPLOYEE)
		query = (
			query.left_join(employee)
			.on(person_record(employee, assignment.employee))
			.select(employee.department)
		)
		if department:
			query = query.where(employee.department == department)
	else:
		if department:
			return []  # no Employee DocType: nobody belongs to a department
		query = query.select(ValueWrapper(None).as_("department"))
	if course:
		query = query.where(assignment.course == course)
	if status:
		query = query.where(status_is(assignment, status, day))
	if not include_leavers:
		query = query.where(~is_leaver(assignment.employee))
	rows = query.orderby(assignment.due_date).orderby(assignment.employee).run(as_dict=True)
	for row in rows:
		# Of a completion that still counts (not renewed since): Compliant, Expiring Soon or Expired.
		row["validity"] = completion_state(row, day)
		row["attempts_exhausted"] = bool(row["attempts_exhausted"])  # a quiz's attempts used without a pass
		for internal in ("validity_days", "renewal_window_days", "renewed"):
			del row[internal]
	return rows


def summarise(rows: list[dict]) -> dict:
	counts = {s: 0 for s in STATUSES}
	for row in rows:
		counts[row["status"]] = counts.get(row["status"], 0) + 1
	total = len(rows)
	return {
		"total": total,
		"pending": counts["Pending"],
		"in_progress": counts["In Progress"],
		"completed": counts["Completed"],
		"overdue": counts["Overdue"],
		"completion_rate": completion_rate(counts["Completed"], total),
		"expiring_soon": sum(1 for row in rows if row.get("validity") == EXPIRING_SOON),
		"expired": sum(1 for row in rows if row.get("validity") == EXPIRED),
	}
