"""Who must take what: the one answer to "which mandatory courses does this employee owe".

A published, mandatory course is owed by an active employee with an enabled user when it has no
"Mandatory For" rows (everyone) or at least one row matching the employee: every field filled in on the
row (department, designation, branch, employment type) equals the employee's (SPEC "Who must take
what"). A learner without an Employee record (a contractor) owes only what is assigned to them.

The onboarding hook, the catch-up of onboardings and every sweep ask `owed_courses` / `missing`
(obligations.sweeps gives people what they owe and do not have). Renewals ask `still_owes`. Nobody's
history is touched when they stop owing a course.
"""

from collections import defaultdict

import frappe
from frappe.query_builder import Criterion, DocType
from pypika.terms import ExistsCriterion

from smooth_lms.lms.doctypes import ASSIGNMENT, AUDIENCE, COURSE, EMPLOYEE, USER
from smooth_lms.lms.people.employees import AUDIENCE_FIELDS, has_employees, is_current_staff


def owed_courses(users: list[str] | None = None, courses: list[str] | None = None) -> dict[str, list[str]]:
	"""{user: [courses owed]} for the active employees with an enabled user — all of them, or those of
	`users` — over every published mandatory course, or those of `courses`. One query."""
	if not has_employees():
		return {}
	owed: dict[str, list[str]] = defaultdict(list)
	for user, course in _owed_query(users, courses)[0].run():
		owed[user].append(course)
	return dict(owed)


def missing(users: list[str] | None = None, courses: list[str] | None = None) -> list[tuple[str, str]]:
	"""The (user, course) pairs owed and not had: no assignment of the course at all — open, overdue or
	completed (an expired completion is renewed by validity.renewals, not given again). One query."""
	if not has_employees():
		return []
	assignment = DocType(ASSIGNMENT)
	query, employee, course = _owed_query(users, courses)
	had = ExistsCriterion(
		frappe.qb.from_(assignment)
		.select(assignment.name)
		.where((assignment.employee == employee.user_id) & (assignment.course == course.name))
	)
	return [tuple(row) for row in query.where(~had).run()]


# --- Criteria other queries share ---------------------------------------------------------------


def audience_matches(employee, course):
	"""A criterion on an Employee table and an LMS Course table: the course has no Mandatory For rows,
	or one whose every filled-in field equals the employee's (the SPEC's rule, in one place)."""
	audience = DocType(AUDIENCE)
	of_course = (
		(audience.parent == course.name)
		& (audience.parenttype == COURSE)
		& (audience.parentfield == "mandatory_for")
	)
	matches = Criterion.all(
		[_empty(audience[field]) | (audience[field] == employee[field]) for field in AUDIENCE_FIELDS]
	)
	has_rows = ExistsCriterion(frappe.qb.from_(audience).select(audience.name).where(of_course))
	has_match = ExistsCriterion(frappe.qb.from_(audience).select(audience.name).where(of_course & matches))
	return ~has_rows | has_match


def still_owes(user_column, course):
	"""A criterion on a user column and an LMS Course table: the learner still owes the course — an
	active employee with an enabled user whom the course (published, mandatory) is for, or a learner
	with no Employee record (a contractor, assigned directly) while their user is enabled. SPEC:
	"A completion is renewed while its learner still owes the course"."""
	user = DocType(USER)
	enabled = ExistsCriterion(
		frappe.qb.from_(user).select(user.name).where((user.name == user_column) & (user.enabled == 1))
	)
	if not has_employees():
		return enabled
	employee = DocType(EMPLOYEE)
	as_employee = ExistsCriterion(
		frappe.qb.from_(employee)
		.select(employee.name)
		.where(
			(employee.user_id == user_column)
			& is_current_staff(employee)
			& (course.published == 1)
			& (course.is_mandatory == 1)
			& audience_matches(employee, course)
		)
	)
	other = DocType(EMPLOYEE).as_("any_employee")
	no_employee = ~ExistsCriterion(
		frappe.qb.from_(other).select(other.name).where(other.user_id == user_column)
	)
	return as_employee | (no_employee & enabled)


def _empty(column):
	"""A Mandatory For field left empty (NULL or ''): any value of the employee's matches."""
	return column.isnull() | (column == "")


def _owed_query(users: list[str] | None, courses: list[str] | None):
	"""(query of (user, course) owed, Employee table, LMS Course table)."""
	employee, course = DocType(EMPLOYEE), DocType(COURSE)
	query = (
		frappe.qb.from_(employee)
		.join(course)
		.on((course.published == 1) & (course.is_mandatory == 1))
		.select(employee.user_id, course.name)
		.where(is_current_staff(employee))
		.where(audience_matches(employee, course))
		.distinct()
	)
	if users is not None:
		query = query.where(employee.user_id.isin(users or [""]))
	if courses is not None:
		query = query.where(course.name.isin(courses or [""]))
	return query, employee, course
