"""Who must take what: the one answer to "which mandatory courses does this employee owe".

A published, mandatory course is owed by an active employee with an enabled user when it has no
"Mandatory For" rows (everyone) or at least one row matching the employee: every field filled in on the
row (department, designation, branch, employment type) equals the employee's (SPEC "Who must take
what"). A learner without an Employee record (a contractor) owes only what is assigned to them.

The onboarding hook, the catch-up of onboardings and every sweep ask `owed_courses` / `missing`; the
sweeps give people what they owe and do not have, due in LMS Settings' onboarding due days. Nobody's
history is touched when they stop owing a course.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.query_builder import Criterion, DocType
from frappe.utils import add_days, today
from pypika.terms import ExistsCriterion

from smooth_lms.lms.assignments import AssignmentResult, assign_pairs
from smooth_lms.lms.doctype.lms_settings.lms_settings import onboarding_due_days
from smooth_lms.lms.document_trail import Via
from smooth_lms.lms.employees import ACTIVE, AUDIENCE_FIELDS, EMPLOYEE, has_employees
from smooth_lms.lms.training_rules import COMPLETED, OPEN_STATUSES, OVERDUE

COURSE, AUDIENCE, ASSIGNMENT = "LMS Course", "LMS Course Audience", "LMS Training Assignment"
# Course changes that can make people owe it.
COURSE_TRIGGERS = ("published", "is_mandatory")


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
	"""The (user, course) pairs owed and not had: no assignment open, overdue or completed. One query."""
	if not has_employees():
		return []
	assignment = DocType(ASSIGNMENT)
	query, employee, course = _owed_query(users, courses)
	had = ExistsCriterion(
		frappe.qb.from_(assignment)
		.select(assignment.name)
		.where(
			(assignment.employee == employee.user_id)
			& (assignment.course == course.name)
			& assignment.status.isin([*OPEN_STATUSES, OVERDUE, COMPLETED])
		)
	)
	return [tuple(row) for row in query.where(~had).run()]


def assign_missing(
	users: list[str] | None = None, courses: list[str] | None = None, via: Via | None = None
) -> AssignmentResult:
	"""Give people what they owe and do not have, due in the onboarding due days from today."""
	pairs = missing(users, courses)
	return assign_pairs(pairs, add_days(today(), onboarding_due_days()), via=via)


# --- When what someone owes may change ----------------------------------------------------------


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
		[doc.user_id], via=Via(_("via a change of Employee {0}").format(doc.name), EMPLOYEE, doc.name)
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
		"smooth_lms.lms.sweeps.sweep_course",
		queue="long",
		enqueue_after_commit=True,
		course=doc.name,
		requested_by=frappe.session.user,
	)


def _obligation_changed(before, after) -> bool:
	if any(not before.get(field) and after.get(field) for field in COURSE_TRIGGERS):
		return True

	def rows(doc):
		return sorted(tuple((row.get(field) or "") for field in AUDIENCE_FIELDS) for row in doc.mandatory_for)

	return rows(before) != rows(after)


# --- The query -----------------------------------------------------------------------------------


def _owed_query(users: list[str] | None, courses: list[str] | None):
	"""(query of (user, course) owed, Employee table, LMS Course table)."""
	employee, user, course = DocType(EMPLOYEE), DocType("User"), DocType(COURSE)
	query = (
		frappe.qb.from_(employee)
		.join(user)
		.on(user.name == employee.user_id)
		.join(course)
		.on((course.published == 1) & (course.is_mandatory == 1))
		.select(employee.user_id, course.name)
		.where(employee.status == ACTIVE)
		.where(user.enabled == 1)
		.where(audience_matches(employee, course))
		.distinct()
	)
	if users is not None:
		query = query.where(employee.user_id.isin(users or [""]))
	if courses is not None:
		query = query.where(course.name.isin(courses or [""]))
	return query, employee, course


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
	user = DocType("User")
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
			& (employee.status == ACTIVE)
			& (course.published == 1)
			& (course.is_mandatory == 1)
			& audience_matches(employee, course)
		)
	)
	other = DocType(EMPLOYEE).as_("any_employee")
	no_employee = ~ExistsCriterion(
		frappe.qb.from_(other).select(other.name).where(other.user_id == user_column)
	)
	return enabled & (as_employee | no_employee)


def _empty(column):
	"""A Mandatory For field left empty (NULL or ''): any value of the employee's matches."""
	return column.isnull() | (column == "")
