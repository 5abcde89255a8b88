"""Stand-ins for Smooth HR's Employee, Employee Onboarding and Employee Compliance, for sites without HRMS.

Same DocType names and fieldnames as HRMS v15 for everything the app reads or the onboarding flow
needs, created as custom DocTypes only where the real ones are missing (and brought up to date where
they are ours), and the same behaviour where the app depends on it (hrms/hr/doctype/employee_onboarding,
hrms/overrides/employee_master.py):

- Employee Onboarding is submittable; its validate fills `employee` from the Employee of the same Job
  Applicant and refuses a second non-cancelled onboarding for one Job Applicant;
- an Employee's validate, when it has a Job Applicant, sets `employee` on that applicant's submitted,
  not-completed onboarding with `db_set` — before the Employee row is inserted, no onboarding hook
  but on_change firing, exactly as HRMS does.

The behaviours are wired in hooks.py and act only on these stand-ins, never on HRMS's own DocTypes.
Employee Compliance (Smooth HR's regulatory ledger) is not in HRMS v15: its stand-in has exactly the
fields SPEC.md says the app relies on (employee, compliance_type, status, completion_date,
next_renewal_date), and that list is the contract with Smooth HR's own DocType.

Used by the tests and the demo. Not reproduced: HRMS's Job Applicant / Job Offer / Company links (plain
text here), the onboarding's activities, tasks and project.
"""

import frappe
from frappe import _

from smooth_lms.lms.people.employees import ensure_user_index

STAND_IN_MODULE = "LMS"

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
	{
		"fieldname": "status",
		"fieldtype": "Select",
		"label": "Status",
		"options": "Active\nInactive\nSuspended\nLeft",
		"default": "Active",
		"in_standard_filter": 1,
	},
	{"fieldname": "company", "fieldtype": "Data", "label": "Company"},
	{"fieldname": "department", "fieldtype": "Data", "label": "Department", "in_standard_filter": 1},
	{"fieldname": "designation", "fieldtype": "Data", "label": "Designation"},
	{"fieldname": "branch", "fieldtype": "Data", "label": "Branch"},
	{"fieldname": "employment_type", "fieldtype": "Data", "label": "Employment Type"},
	{"fieldname": "reports_to", "fieldtype": "Link", "label": "Reports To", "options": "Employee"},
	{"fieldname": "date_of_joining", "fieldtype": "Date", "label": "Date of Joining"},
	{"fieldname": "relieving_date", "fieldtype": "Date", "label": "Relieving Date"},
	{"fieldname": "job_applicant", "fieldtype": "Data", "label": "Job Applicant", "search_index": 1},
]

ONBOARDING_FIELDS = [
	{"fieldname": "job_applicant", "fieldtype": "Data", "label": "Job Applicant", "reqd": 1},
	{"fieldname": "job_offer", "fieldtype": "Data", "label": "Job Offer"},
	{"fieldname": "company", "fieldtype": "Data", "label": "Company", "reqd": 1},
	{
		"fieldname": "boarding_status",
		"fieldtype": "Select",
		"label": "Status",
		"options": "Pending\nIn Process\nCompleted",
		"default": "Pending",
		"read_only": 1,
		"allow_on_submit": 1,
	},
	{
		"fieldname": "employee",
		"fieldtype": "Link",
		"label": "Employee",
		"options": "Employee",
		"read_only": 1,
		"in_list_view": 1,
	},
	{"fieldname": "employee_name", "fieldtype": "Data", "label": "Employee Name", "in_list_view": 1},
	{"fieldname": "department", "fieldtype": "Data", "label": "Department"},
	{"fieldname": "designation", "fieldtype": "Data", "label": "Designation"},
	{"fieldname": "date_of_joining", "fieldtype": "Date", "label": "Date of Joining", "reqd": 1},
	{"fieldname": "boarding_begins_on", "fieldtype": "Date", "label": "Onboarding Begins On"},
	{
		"fieldname": "amended_from",
		"fieldtype": "Link",
		"label": "Amended From",
		"options": "Employee Onboarding",
		"read_only": 1,
		"no_copy": 1,
	},
]

COMPLIANCE_FIELDS = [
	{
		"fieldname": "employee",
		"fieldtype": "Link",
		"label": "Employee",
		"options": "Employee",
		"reqd": 1,
		"in_list_view": 1,
		"in_standard_filter": 1,
		"search_index": 1,
	},
	{
		"fieldname": "compliance_type",
		"fieldtype": "Data",
		"label": "Compliance Type",
		"reqd": 1,
		"in_list_view": 1,
		"in_standard_filter": 1,
	},
	{
		"fieldname": "status",
		"fieldtype": "Select",
		"label": "Status",
		"options": "Pending\nComplete\nExpired",
		"default": "Pending",
		"in_list_view": 1,
		"in_standard_filter": 1,
	},
	{"fieldname": "completion_date", "fieldtype": "Date", "label": "Completion Date", "in_list_view": 1},
	{"fieldname": "next_renewal_date", "fieldtype": "Date", "label": "Next Renewal Date", "in_list_view": 1},
]

HR_PERMISSIONS = [
	{"role": role, "read": 1, "write": 1, "create": 1, "delete": 1, "report": 1, "export": 1}
	for role in ("System Manager", "HR Manager")
]
STAND_INS = {
	"Employee": {"autoname": "HR-EMP-.#####", "fields": EMPLOYEE_FIELDS, "is_submittable": 0},
	"Employee Onboarding": {
		"autoname": "HR-EMP-ONB-.#####",
		"fields": ONBOARDING_FIELDS,
		"is_submittable": 1,
	},
	"Employee Compliance": {
		"autoname": "HR-COMP-.#####",
		"fields": COMPLIANCE_FIELDS,
		"is_submittable": 0,
		"title_field": None,
	},
}


def ensure_hr_doctypes() -> list[str]:
	"""Create the stand-ins that are missing and bring ours up to date (new fields, settings). Returns
	the names created or changed. HRMS's own DocTypes are never touched."""
	touched = []
	for name, spec in STAND_INS.items():
		if not frappe.db.exists("DocType", name):
			_create(name, spec)
			touched.append(name)
		elif is_stand_in(name) and _update(name, spec):
			touched.append(name)
	ensure_user_index()
	return touched


def is_stand_in(doctype: str) -> bool:
	"""Whether a DocType is this module's stand-in (a custom DocType of the app's module)."""
	if not frappe.db.exists("DocType", doctype):
		return False
	meta = frappe.get_meta(doctype)
	return bool(meta.custom and meta.module == STAND_IN_MODULE)


# --- HRMS's behaviour, on the stand-ins only ------------------------------------------------------


def validate_onboarding(doc, method=None) -> None:
	"""Employee Onboarding validate, as HRMS: set_employee, then one onboarding per Job Applicant."""
	if not is_stand_in(doc.doctype):
		return
	if not doc.employee:
		doc.employee = frappe.db.get_value("Employee", {"job_applicant": doc.job_applicant}, "name")
	existing = frappe.db.exists(
		"Employee Onboarding", {"job_applicant": doc.job_applicant, "docstatus": ("!=", 2)}
	)
	if existing and existing != doc.name:
		frappe.throw(
			_("Employee Onboarding: {0} already exists for Job Applicant: {1}").format(
				frappe.bold(existing), frappe.bold(frappe.utils.escape_html(doc.job_applicant))
			),
			frappe.DuplicateEntryError,
		)


def link_onboarding(doc, method=None) -> None:
	"""Employee validate, as HRMS's validate_onboarding_process: the Job Applicant's submitted,
	not-completed onboarding gets this Employee, by db_set, before the Employee row exists."""
	if not doc.get("job_applicant") or not is_stand_in("Employee Onboarding"):
		return
	onboardings = frappe.get_all(
		"Employee Onboarding",
		filters={
			"job_applicant": doc.job_applicant,
			"docstatus": 1,
			"boarding_status": ("!=", "Completed"),
		},
	)
	if onboardings:
		onboarding = frappe.get_doc("Employee Onboarding", onboardings[0].name)
		onboarding.db_set("employee", doc.name)


# --- Creating and updating the stand-ins --------------------------------------------------------


def _create(name: str, spec: dict) -> None:
	frappe.get_doc(
		{
			"doctype": "DocType",
			"name": name,
			"module": STAND_IN_MODULE,
			"custom": 1,
			"autoname": spec["autoname"],
			"naming_rule": "Expression (old style)",
			"title_field": spec.get("title_field", "employee_name"),
			"is_submittable": spec["is_submittable"],
			"track_changes": 1,
			"fields": spec["fields"],
			"permissions": _permissions(spec),
		}
	).insert(ignore_permissions=True)  # set-up code run by Administrator / the test harness


def _update(name: str, spec: dict) -> bool:
	doc = frappe.get_doc("DocType", name)
	have = {field.fieldname: field for field in doc.fields}
	changed = False
	for field in spec["fields"]:
		if field["fieldname"] not in have:
			doc.append("fields", field)
			changed = True
		else:
			for key, value in field.items():
				if have[field["fieldname"]].get(key) != value:
					have[field["fieldname"]].set(key, value)
					changed = True
	if doc.is_submittable != spec["is_submittable"] or not doc.track_changes:
		doc.is_submittable, doc.track_changes = spec["is_submittable"], 1
		doc.set("permissions", _permissions(spec))
		changed = True
	if changed:
		doc.save(ignore_permissions=True)  # set-up code run by Administrator / the test harness
	return changed


def _permissions(spec: dict) -> list[dict]:
	rights = {"submit": 1, "cancel": 1, "amend": 1} if spec["is_submittable"] else {}
	return [{**permission, **rights} for permission in HR_PERMISSIONS]
