"""What the app reads of HR's Employee records (Frappe HRMS's, or the stand-ins on sites without it).

HRMS is not a dependency: everything here reads the Employee table by name, and answers as if nobody
had an Employee record where the table does not exist.
"""

import frappe

EMPLOYEE = "Employee"


def has_employees() -> bool:
	return bool(frappe.db.table_exists(EMPLOYEE))


def ensure_user_index() -> None:
	"""Index Employee.user_id (HRMS has none): every per-learner read joins assignments to employees
	on it, and without an index each row of the join scans the whole Employee table."""
	if has_employees() and not frappe.db.get_column_index(f"tab{EMPLOYEE}", "user_id"):
		frappe.db.add_index(EMPLOYEE, ["user_id"], index_name="user_id_index")
