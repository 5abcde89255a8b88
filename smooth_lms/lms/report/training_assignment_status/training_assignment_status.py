"""Training Assignment Status: the assignments behind the compliance counts, one row each — who, which
course, the status every reader shows, due date, progress, completion and the course version completed —
with the counts above them.

Where the Assigned, Completed and Overdue Trainings cards open, and /lms/statistics' "See who is late":
the rows are `reporting.rows.team_rows` (what the HR API `get_team_training_status` answers), chosen by
the rules the counts use (`reporting.counts`): the status by `assignments.status.status_is` (a row past its
due date is Overdue before the daily job has stored it) and leavers left out by `people.is_leaver` unless
Include Leavers. The summary is `reporting.rows.summarise` of the rows shown. One query.
"""

import frappe
from frappe import _
from frappe.utils import cint, escape_html

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, USER
from smooth_lms.lms.framework.guards import scalar_filters
from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.reporting.rows import summarise, team_rows
from smooth_lms.lms.training_rules import STATUSES

FILTERS = ("status", "course", "department", "include_leavers")


def execute(filters: dict | None = None):
	require_training_viewer()
	filters = scalar_filters(filters, FILTERS)
	status = filters.get("status") or None
	if status and status not in STATUSES:
		frappe.throw(
			_("Status must be one of {0}, not {1}.").format(", ".join(STATUSES), escape_html(str(status))),
			frappe.ValidationError,
			title=_("Invalid Status"),
		)
	rows = team_rows(
		department=filters.get("department") or None,
		course=filters.get("course") or None,
		status=status,
		include_leavers=bool(cint(filters.get("include_leavers"))),
	)
	return get_columns(), rows, None, None, get_summary(rows)


def get_columns() -> list[dict]:
	return [
		{"fieldname": "employee", "label": _("Employee"), "fieldtype": "Link", "options": USER, "width": 200},
		{"fieldname": "employee_name", "label": _("Employee Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "department", "label": _("Department"), "fieldtype": "Data", "width": 130},
		{"fieldname": "course_title", "label": _("Course"), "fieldtype": "Data", "width": 200},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 110},
		{"fieldname": "due_date", "label": _("Due Date"), "fieldtype": "Date", "width": 110},
		{"fieldname": "progress", "label": _("Progress"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "completed_on", "label": _("Completed On"), "fieldtype": "Date", "width": 120},
		{"fieldname": "course_version", "label": _("Version Completed"), "fieldtype": "Data", "width": 90},
		{"fieldname": "valid_until", "label": _("Valid Until"), "fieldtype": "Date", "width": 110},
		{"fieldname": "course", "label": _("Course ID"), "fieldtype": "Link", "options": COURSE, "width": 130},
		{"fieldname": "assignment", "label": _("Assignment"), "fieldtype": "Link", "options": ASSIGNMENT, "width": 110},
	]  # fmt: skip


def get_summary(rows: list[dict]) -> list[dict]:
	"""The counts of the rows shown, as the API's summary counts them."""
	summary = summarise(rows)
	return [
		{"label": _("Assigned"), "value": summary["total"], "datatype": "Int", "indicator": "Blue"},
		{"label": _("Completed"), "value": summary["completed"], "datatype": "Int", "indicator": "Green"},
		{"label": _("Overdue"), "value": summary["overdue"], "datatype": "Int", "indicator": "Red"},
		{"label": _("In Progress"), "value": summary["in_progress"], "datatype": "Int", "indicator": "Blue"},
		{"label": _("Pending"), "value": summary["pending"], "datatype": "Int", "indicator": "Orange"},
	]
