"""Compliance Matrix: active employees down, the mandatory courses they owe across, and in each cell where
the person stands on the course today — Compliant / Expiring Soon / Expired with the valid-until date,
Pending / In Progress / Overdue with the due date, or Not Assigned.

The states come from `validity.compliance_states` (the one place they are decided); this report picks the
people (company, department, a manager's direct reports) and lays their states out. A cell is empty where
the person does not owe the course. Columns are named after the courses' titles, so a CSV or Excel export
reads as the screen does; the desk's table prints a column's `content` as HTML, so that carries the title
escaped.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import escape_html, formatdate

from smooth_lms.lms.doctypes import EMPLOYEE
from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.people.employees import has_employees, is_current_staff
from smooth_lms.lms.training_rules import (
	COMPLIANCE_STATES,
	COMPLIANT,
	EXPIRED,
	EXPIRING_SOON,
	IN_PROGRESS,
	NOT_ASSIGNED,
	OVERDUE,
	PENDING,
)
from smooth_lms.lms.validity.states import compliance_states, state_counts

FILTERS = ("company", "department", "manager", "course", "state")
# Where a state's date comes from: the completion that counts, or the open assignment.
VALIDITY_STATES = (COMPLIANT, EXPIRING_SOON, EXPIRED)
OPEN_STATES = (PENDING, IN_PROGRESS, OVERDUE)
INDICATORS = {
	COMPLIANT: "Green",
	EXPIRING_SOON: "Orange",
	EXPIRED: "Red",
	OVERDUE: "Red",
	IN_PROGRESS: "Blue",
	PENDING: "Orange",
	NOT_ASSIGNED: "Grey",
}


def execute(filters: dict | None = None):
	require_training_viewer()
	filters = {name: text_filter(filters or {}, name) for name in FILTERS}
	state = filters["state"]
	if state and state not in COMPLIANCE_STATES:
		frappe.throw(
			_("State must be one of {0}, not {1}.").format(", ".join(COMPLIANCE_STATES), escape_html(state)),
			frappe.ValidationError,
			title=_("Invalid State"),
		)
	rows, courses = matrix(**filters)
	return get_columns(courses), rows, None, None, get_summary(rows)


def text_filter(filters: dict, name: str) -> str | None:
	"""A filter's value: text, or None when it is not set (417 for anything else, e.g. an object)."""
	value = filters.get(name)
	if value is None or value == "":
		return None
	if not isinstance(value, str):
		frappe.throw(
			_("Filter {0} must be text.").format(name), frappe.ValidationError, title=_("Invalid Filter")
		)
	return value


def matrix(
	company: str | None = None,
	department: str | None = None,
	manager: str | None = None,
	course: str | None = None,
	state: str | None = None,
) -> tuple[list[dict], list[dict]]:
	"""(rows, course columns): one row per active employee who owes at least one of the courses (and, with
	`state`, has at least one cell in that state), by name; the courses those rows owe, by title."""
	people = employees(company=company, department=department, manager=manager)
	if not people:
		return [], []
	narrowed = any((company, department, manager))
	cells: dict[str, dict[str, dict]] = {}
	for cell in compliance_states(list(people) if narrowed else None, [course] if course else None):
		if cell["employee"] in people:
			cells.setdefault(cell["employee"], {})[cell["course"]] = cell
	if state:
		cells = {
			user: owed for user, owed in cells.items() if any(c["state"] == state for c in owed.values())
		}

	titles = {c["course"]: c["course_title"] or c["course"] for owed in cells.values() for c in owed.values()}
	fieldnames = _fieldnames(list(titles))
	courses = [
		{"course": name, "title": title, "fieldname": fieldnames[name]}
		for name, title in sorted(titles.items(), key=lambda item: (item[1].lower(), item[0]))
	]
	rows = []
	for user, person in people.items():
		if user not in cells:
			continue
		# Beside each cell's text, by column: its state (the desk's colours) and assignment (its link).
		row = {**person, "states": {}, "assignments": {}}
		for column in courses:
			cell = cells[user].get(column["course"])
			if cell:
				fieldname = column["fieldname"]
				row[fieldname] = cell_text(cell)
				row["states"][fieldname] = cell["state"]
				row["assignments"][fieldname] = cell["assignment"]
		rows.append(row)
	return rows, courses


def employees(
	company: str | None = None, department: str | None = None, manager: str | None = None
) -> dict[str, dict]:
	"""{user: {employee, employee_name, user_id, department, designation}} of the active employees with an
	enabled user — of a company, a department, and reporting directly to the `manager` Employee — ordered
	by name. One query; a person with several active records is listed once (their first)."""
	if not has_employees():
		return {}
	employee = DocType(EMPLOYEE)
	query = (
		frappe.qb.from_(employee)
		.select(
			employee.name.as_("employee"),
			employee.employee_name,
			employee.user_id,
			employee.department,
			employee.designation,
		)
		.where(is_current_staff(employee))
		.orderby(employee.employee_name)
		.orderby(employee.name)
	)
	for field, value in (("company", company), ("department", department), ("reports_to", manager)):
		if value:
			query = query.where(employee[field] == value)
	people: dict[str, dict] = {}
	for row in query.run(as_dict=True):
		people.setdefault(row.user_id, row)
	return people


def cell_text(cell: dict) -> str:
	"""What a cell says: the state and its date ("Expiring Soon · 12-12-2026", "Overdue · due 01-11-2026",
	"Compliant · does not expire")."""
	state = cell["state"]
	if state in VALIDITY_STATES:
		detail = formatdate(cell["valid_until"]) if cell.get("valid_until") else _("does not expire")
	elif state in OPEN_STATES and cell.get("due_date"):
		detail = _("due {0}").format(formatdate(cell["due_date"]))
	else:
		return _(state)
	return f"{_(state)} · {detail}"


def get_columns(courses: list[dict]) -> list[dict]:
	person = [
		{"fieldname": "employee", "label": _("Employee"), "fieldtype": "Link", "options": "Employee", "width": 130},
		{"fieldname": "employee_name", "label": _("Employee Name"), "fieldtype": "Data", "width": 180},
		{"fieldname": "user_id", "label": _("User ID"), "fieldtype": "Data", "width": 200},
		{"fieldname": "department", "label": _("Department"), "fieldtype": "Data", "width": 140},
		{"fieldname": "designation", "label": _("Designation"), "fieldtype": "Data", "width": 140},
	]  # fmt: skip
	return person + [
		{
			"fieldname": column["fieldname"],
			"label": column["title"],
			"content": escape_html(column["title"]),
			# The desk's Proof Pack offers the column's course (its label becomes `content` on the desk).
			"course": column["course"],
			"course_title": column["title"],
			"fieldtype": "Data",
			"width": 210,
		}
		for column in courses
	]


def get_summary(rows: list[dict]) -> list[dict]:
	"""How many cells of the matrix are in each state."""
	counts = state_counts({"state": state} for row in rows for state in row["states"].values())
	return [
		{"label": _(state), "value": counts[state], "datatype": "Int", "indicator": INDICATORS[state]}
		for state in COMPLIANCE_STATES
	]


def _fieldnames(courses: list[str]) -> dict[str, str]:
	"""{course: its column's fieldname}: `course_` and the course's name as an identifier (the same
	column whatever else the matrix shows, so the desk keeps its width), made unique."""
	fieldnames: dict[str, str] = {}
	for course in sorted(courses):
		fieldname = base = f"course_{frappe.scrub(course)}"
		suffix = 1
		while fieldname in fieldnames.values():
			suffix += 1
			fieldname = f"{base}_{suffix}"
		fieldnames[course] = fieldname
	return fieldnames
