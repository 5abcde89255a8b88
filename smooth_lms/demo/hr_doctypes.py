"""Minimal stand-ins for Smooth HR's Employee and Employee Onboarding, for sites without HRMS.

Same DocType names and fieldnames as HRMS, created as custom DocTypes only where the real ones are
missing, so the onboarding hook fires exactly as it does beside HRMS. Used by the tests and the demo.
"""

import frappe

from smooth_lms.lms.employees import ensure_user_index

EMPLOYEE_FIELDS = [
	{"fieldname": "employee_name", "fieldtype": "Data", "label": "Full Name", "reqd": 1, "in_list_view": 1},
	{
		"fieldname": "user_id",
		"fieldtype": "Link",
		"label": "User ID",
		"options": "User",
		"in_list_view": 1,
		"search_index": 1,
	},
	{"fieldname": "department", "fieldtype": "Data", "label": "Department", "in_standard_filter": 1},
	{"fieldname": "designation", "fieldtype": "Data", "label": "Designation"},
	{"fieldname": "reports_to", "fieldtype": "Link", "label": "Reports To", "options": "Employee"},
	{
		"fieldname": "status",
		"fieldtype": "Select",
		"label": "Status",
		"options": "Active\nInactive\nSuspended\nLeft",
		"default": "Active",
	},
]

ONBOARDING_FIELDS = [
	{
		"fieldname": "employee",
		"fieldtype": "Link",
		"label": "Employee",
		"options": "Employee",
		"in_list_view": 1,
	},
	{
		"fieldname": "employee_name",
		"fieldtype": "Data",
		"label": "Employee Name",
		"fetch_from": "employee.employee_name",
	},
	{"fieldname": "department", "fieldtype": "Data", "label": "Department"},
	{"fieldname": "designation", "fieldtype": "Data", "label": "Designation"},
	{"fieldname": "date_of_joining", "fieldtype": "Date", "label": "Date of Joining"},
	{
		"fieldname": "boarding_status",
		"fieldtype": "Select",
		"label": "Status",
		"options": "Pending\nIn Process\nCompleted",
		"default": "Pending",
	},
]

HR_PERMISSIONS = [
	{"role": role, "read": 1, "write": 1, "create": 1, "delete": 1, "report": 1, "export": 1}
	for role in ("System Manager", "HR Manager")
]


def ensure_hr_doctypes() -> list[str]:
	"""Create the stand-ins that are missing; returns the names created."""
	created = []
	for name, autoname, fields in (
		("Employee", "HR-EMP-.#####", EMPLOYEE_FIELDS),
		("Employee Onboarding", "HR-EMP-ONB-.#####", ONBOARDING_FIELDS),
	):
		if frappe.db.exists("DocType", name):
			continue
		frappe.get_doc(
			{
				"doctype": "DocType",
				"name": name,
				"module": "LMS",
				"custom": 1,
				"autoname": autoname,
				"naming_rule": "Expression (old style)",
				"title_field": "employee_name",
				"fields": fields,
				"permissions": HR_PERMISSIONS,
			}
		).insert(ignore_permissions=True)  # set-up code run by Administrator / the test harness
		created.append(name)
	ensure_user_index()
	return created
