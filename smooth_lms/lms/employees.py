"""What the app reads of HR's Employee records (Frappe HRMS's, or the stand-ins on sites without it).

HRMS is not a dependency: everything here reads the Employee table by name, and answers as if nobody
had an Employee record where the table does not exist. A learner is their User; their Employee record
(Employee.user_id) says where they work, who manages them and whether they have left.
"""

import frappe
from frappe.query_builder import DocType
from pypika.terms import ExistsCriterion, ValueWrapper

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
	return disabled | has_left(user_column)


def has_left(user_column):
	"""A criterion on a column holding a user ID: every Employee record of the user is Left (a user with
	no Employee record has not left; disabled users are the caller's to check)."""
	if not has_employees():
		return ValueWrapper(0) == 1
	employee, other = DocType(EMPLOYEE), DocType(EMPLOYEE).as_("staying")
	left = ExistsCriterion(
		frappe.qb.from_(employee)
		.select(employee.name)
		.where((employee.user_id == user_column) & (employee.status == LEFT))
	)
	staying = ExistsCriterion(
		frappe.qb.from_(other)
		.select(other.name)
		.where((other.user_id == user_column) & (other.status != LEFT))
	)
	return left & ~staying
