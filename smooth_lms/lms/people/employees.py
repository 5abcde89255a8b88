"""What the app reads of HR's Employee records (Frappe HRMS's, or the stand-ins on sites without it).

HRMS is not a dependency: everything here reads the Employee table by name, and answers as if nobody
had an Employee record where the table does not exist. A learner is their User; their Employee record
(Employee.user_id) says where they work, who manages them and whether they have left.

Two predicates hold the rules every query about people shares: `is_current_staff` (an active employee
with an enabled user) and `is_leaver` (the one leaver rule). Write neither again elsewhere.
"""

import frappe
from frappe.query_builder import DocType
from pypika.terms import ExistsCriterion, ValueWrapper

from smooth_lms.lms.doctypes import EMPLOYEE, USER
from smooth_lms.lms.framework.batches import chunked, unique_in_order

ACTIVE, LEFT = "Active", "Left"
# The fields of an Employee that decide which mandatory courses they owe (LMS Course Audience).
AUDIENCE_FIELDS = ("department", "designation", "branch", "employment_type")


def has_employees() -> bool:
	return bool(frappe.db.table_exists(EMPLOYEE))


# --- The two predicates every reader of Employee records uses ----------------------------------------


def is_current_staff(employee):
	"""A criterion on an Employee table: an active employee with an enabled user — the record is Active
	and its user exists and is enabled. The people who owe mandatory training (obligations), belong to a
	group (Assign Training), fill the Compliance Matrix, count as someone's report, and whose onboarding
	can be assigned. Such a person is never a leaver (`is_leaver`): they have a record that is not Left,
	and their user is enabled."""
	user = DocType(USER).as_("staff_user")
	enabled_user = ExistsCriterion(
		frappe.qb.from_(user).select(user.name).where((user.name == employee.user_id) & (user.enabled == 1))
	)
	return (employee.status == ACTIVE) & enabled_user


def is_leaver(user_column):
	"""A criterion on a column holding a user ID — the one leaver rule: the person has left when their
	user is disabled, or every Employee record of theirs is Left (`left_every_record`). A learner with no
	Employee record (a contractor) leaves by being disabled. Leavers get no new assignment and no email,
	and are left out of compliance counts and team status unless asked for; their history stays."""
	user = DocType(USER)
	disabled = ExistsCriterion(
		frappe.qb.from_(user).select(user.name).where((user.name == user_column) & (user.enabled == 0))
	)
	return disabled | left_every_record(user_column)


def left_every_record(user_column):
	"""A criterion on a column holding a user ID: the user has Employee records, all of them Left — the
	part of `is_leaver` that no one undoes by enabling a user (a new hire's user may be disabled until
	their first day; their onboarding waits for it, it is not cancelled)."""
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


# --- Reads --------------------------------------------------------------------------------------------


def person_record(employee, user_column):
	"""A join condition on an Employee table: the one record that stands for the person of `user_column`
	(their Active record, else their latest) — a rehired person has two records, and a plain join on
	user_id would count them twice."""
	other = DocType(EMPLOYEE).as_("person_record")
	other_active, this_active = other.status == ACTIVE, employee.status == ACTIVE
	alike = (other_active & this_active) | (~other_active & ~this_active)
	later = (other.creation > employee.creation) | (
		(other.creation == employee.creation) & (other.name > employee.name)
	)
	better = ExistsCriterion(
		frappe.qb.from_(other)
		.select(other.name)
		.where(other.user_id == employee.user_id)
		.where((other_active & ~this_active) | (alike & later))
	)
	return (employee.user_id == user_column) & ~better


def ensure_user_index() -> None:
	"""Index Employee.user_id (HRMS has none): every per-learner read joins assignments to employees
	on it, and without an index each row of the join scans the whole Employee table."""
	if has_employees() and not frappe.db.get_column_index(f"tab{EMPLOYEE}", "user_id"):
		frappe.db.add_index(EMPLOYEE, ["user_id"], index_name="user_id_index")


def resolve_users(ids: list[str]) -> tuple[list[str], list[str]]:
	"""User IDs as given, with HRMS Employee IDs (where the Employee DocType exists) replaced by their
	User ID. Returns the users (repeats dropped) and the Employee IDs that have no user."""
	if not has_employees():
		return ids, []
	employee = DocType(EMPLOYEE)
	user_of: dict[str, str | None] = {}
	for batch in chunked(ids):
		rows = (
			frappe.qb.from_(employee)
			.select(employee.name, employee.user_id)
			.where(employee.name.isin(list(batch)))
			.run()
		)
		user_of.update(dict(rows))
	without_user = [i for i in ids if i in user_of and not user_of[i]]
	users = unique_in_order(user_of.get(i) or i for i in ids if i not in without_user)
	return users, without_user
