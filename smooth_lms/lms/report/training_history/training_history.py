"""Training History: every completion on record — who completed what, when, until when it is valid, which
completion it renews and how it was completed (in the LMS, or recorded by HR with its evidence). The
auditor's export.

Every completed assignment is listed, renewed ones and leavers' included: the history is never trimmed.
"Validity Today" is `validity.completion_state` (Compliant / Expiring Soon / Expired for the completion
that counts; "Renewed" once a later completion of the same person and course exists). One query.
"""

import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import escape_html, getdate, today

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE
from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.framework.validation import parse_date
from smooth_lms.lms.report.compliance_matrix.compliance_matrix import text_filter
from smooth_lms.lms.training_rules import COMPLETED
from smooth_lms.lms.validity.states import completion_state, renewed_column

SOURCES = ("LMS", "Classroom Session", "External Provider", "Other")
RENEWED = "Renewed"  # a completion superseded by a later one of the same person and course


def execute(filters: dict | None = None):
	require_training_viewer()
	filters = filters or {}
	source = text_filter(filters, "source")
	if source and source not in SOURCES:
		frappe.throw(
			_("Completed Through must be one of {0}, not {1}.").format(
				", ".join(SOURCES), escape_html(source)
			),
			frappe.ValidationError,
			title=_("Invalid Source"),
		)
	rows = history(
		employee=text_filter(filters, "employee"),
		course=text_filter(filters, "course"),
		from_date=date_filter(filters, "from_date"),
		to_date=date_filter(filters, "to_date"),
		source=source,
	)
	return get_columns(), rows


def history(
	employee: str | None = None,
	course: str | None = None,
	from_date: datetime.date | None = None,
	to_date: datetime.date | None = None,
	source: str | None = None,
) -> list[dict]:
	"""Completed assignments, latest completion first, each with its validity today."""
	assignment, course_table = DocType(ASSIGNMENT), DocType(COURSE)
	query = (
		frappe.qb.from_(assignment)
		.left_join(course_table)
		.on(course_table.name == assignment.course)
		.select(
			assignment.employee,
			assignment.employee_name,
			assignment.course,
			assignment.course_title,
			assignment.completed_on,
			assignment.valid_until,
			assignment.renewal_of,
			assignment.completion_source,
			assignment.completion_note,
			assignment.completion_evidence,
			assignment.completion_recorded_by,
			assignment.name.as_("assignment"),
			assignment.status,
			course_table.validity_days,
			course_table.renewal_window_days,
			renewed_column(assignment).as_("renewed"),
		)
		.where(assignment.status == COMPLETED)
		.orderby(assignment.completed_on, order=frappe.qb.desc)
		.orderby(assignment.name, order=frappe.qb.desc)
	)
	if employee:
		query = query.where(assignment.employee == employee)
	if course:
		query = query.where(assignment.course == course)
	if from_date:
		query = query.where(assignment.completed_on >= from_date)
	if to_date:
		query = query.where(assignment.completed_on <= to_date)
	if source == "LMS":
		# Completions from before the field existed carry no source: they were made in the LMS.
		query = query.where(assignment.completion_source.isnull() | (assignment.completion_source == source))
	elif source:
		query = query.where(assignment.completion_source == source)

	rows = query.run(as_dict=True)
	day = getdate(today())
	for row in rows:
		row["validity"] = completion_state(row, day) or RENEWED
		row["completion_source"] = row.completion_source or "LMS"
		for internal in ("status", "validity_days", "renewal_window_days", "renewed"):
			del row[internal]
	return rows


def get_columns() -> list[dict]:
	return [
		{"fieldname": "employee", "label": _("Employee"), "fieldtype": "Link", "options": "User", "width": 190},
		{"fieldname": "employee_name", "label": _("Employee Name"), "fieldtype": "Data", "width": 150},
		{"fieldname": "course", "label": _("Course"), "fieldtype": "Link", "options": COURSE, "width": 150},
		{"fieldname": "course_title", "label": _("Course Title"), "fieldtype": "Data", "width": 180},
		{"fieldname": "completed_on", "label": _("Completed On"), "fieldtype": "Date", "width": 120},
		{"fieldname": "valid_until", "label": _("Valid Until"), "fieldtype": "Date", "width": 110},
		{"fieldname": "validity", "label": _("Validity Today"), "fieldtype": "Data", "width": 120},
		{"fieldname": "renewal_of", "label": _("Renewal Of"), "fieldtype": "Link", "options": ASSIGNMENT, "width": 110},
		{"fieldname": "completion_source", "label": _("Completed Through"), "fieldtype": "Data", "width": 140},
		{"fieldname": "completion_note", "label": _("Note"), "fieldtype": "Data", "width": 180},
		{"fieldname": "completion_evidence", "label": _("Evidence"), "fieldtype": "Data", "width": 150},
		{"fieldname": "completion_recorded_by", "label": _("Recorded By"), "fieldtype": "Link", "options": "User", "width": 180},
		{"fieldname": "assignment", "label": _("Assignment"), "fieldtype": "Link", "options": ASSIGNMENT, "width": 110},
	]  # fmt: skip


def date_filter(filters: dict, name: str) -> datetime.date | None:
	"""A date filter's value (YYYY-MM-DD), or None when it is not set; 417 for anything else."""
	value = text_filter(filters, name)
	if value is None:
		return None
	day = parse_date(value)
	if day is None:
		frappe.throw(
			_("Filter {0} must be a date (YYYY-MM-DD), not {1}.").format(name, escape_html(value)),
			frappe.ValidationError,
			title=_("Invalid Filter"),
		)
	return day
