"""What the app reads of HR's Employee records (Frappe HRMS's, or the stand-ins on sites without it).

HRMS is not a dependency: everything here reads the Employee table by name, and answers as if nobody
had an Employee record where the table does not exist. A learner is their User; their Employee record
(Employee.user_id) says where they work, who manages them and whether they have left.
"""

import frappe
from frappe.query_builder import DocType
from pypika.terms import ExistsCriterion

EMPLOYEE = "Employee"
ACTIVE, LEFT = "Active", "Left"
# The fields of an Employee that decide which mandatory courses they owe (LMS Course Audience).
AUDIENCE_FIELDS = ("department", "designation", "branch", "employment_type")


def has_employees() -> bool:
	return bool(frappe.db.table_exists(EMPLOYEE))


def ensure_user_index() -> None:
	"""Index Employee.user_id (HRMS has none): every per-learner read joins assignments to employees
	on it, and without an index each row of the join scans the whole Employee table."""
	if has_employees() and not frappe.db.get_column_index(f"tab{EMPLOYEE}", "user_id"):
		frappe.db.add_index(EMPLOYEE, ["user_id"], index_name="user_id_index")


def leaver_condition(user_column):
	"""A criterion on a column holding a user ID: the learner has left — their user is disabled, or
	every Employee record of theirs is Left. Learners without an Employee record leave by being
	disabled."""
	user = DocType("User")
	disabled = ExistsCriterion(
		frappe.qb.from_(user).select(user.name).where((user.name == user_column) & (user.enabled == 0))
	)
	if not has_employees():
		return disabled
	employee = DocType(EMPLOYEE)
	left = ExistsCriterion(
		frappe.qb.from_(employee)
		.select(employee.name)
		.where((employee.user_id == user_column) & (employee.status == LEFT))
	)
	staying = ExistsCriterion(
		frappe.qb.from_(employee)
		.select(employee.name)
		.where((employee.user_id == user_column) & (employee.status != LEFT))
	)
	return disabled | (left & ~staying)


def leavers(users: list[str]) -> set[str]:
	"""The users among `users` who have left the company (every Employee record of theirs is Left).
	Disabled users are the caller's to check."""
	if not users or not has_employees():
		return set()
	employee = DocType(EMPLOYEE)
	rows = (
		frappe.qb.from_(employee)
		.select(employee.user_id, employee.status)
		.where(employee.user_id.isin(users))
		.run()
	)
	statuses: dict[str, set[str]] = {}
	for user, status in rows:
		statuses.setdefault(user, set()).add(status)
	return {user for user, seen in statuses.items() if seen == {LEFT}}


def employee_of_user(user: str) -> dict | None:
	"""The user's Employee record (the active one first), with the fields the app reads."""
	if not has_employees():
		return None
	rows = frappe.get_all(
		EMPLOYEE,
		filters={"user_id": user},
		fields=["name", "employee_name", "user_id", "status", "reports_to", *AUDIENCE_FIELDS],
		order_by="creation desc",
	)
	return next((row for row in rows if row.status == ACTIVE), rows[0] if rows else None)
