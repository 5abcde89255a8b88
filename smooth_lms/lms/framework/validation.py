"""Argument checks shared by the API, the hook and the desk form. Each refusal names the problem."""

import datetime
import json

import frappe
from frappe import _
from frappe.utils import escape_html, getdate, today

from smooth_lms.lms.framework.batches import unique_in_order


def validate_due_date(due_date) -> datetime.date:
	if not due_date:
		frappe.throw(_("Due Date is required."), frappe.MandatoryError, title=_("Missing Due Date"))
	parsed = parse_date(due_date)
	if parsed is None:
		frappe.throw(
			_("Due Date {0} is not a valid date (use YYYY-MM-DD).").format(
				frappe.bold(escape_html(str(due_date)))
			),
			frappe.ValidationError,
			title=_("Invalid Due Date"),
		)
	if parsed < getdate(today()):
		frappe.throw(
			_("Due Date {0} is in the past: pick today or a later date.").format(frappe.bold(parsed)),
			frappe.ValidationError,
			title=_("Invalid Due Date"),
		)
	return parsed


def parse_date(value) -> datetime.date | None:
	"""A date from a date, a datetime or an ISO string (YYYY-MM-DD, optionally with a time); else None."""
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	if isinstance(value, str):
		try:
			return datetime.datetime.fromisoformat(value.strip()).date()
		except ValueError:
			return None
	return None


def parse_employee_list(employees) -> list[str]:
	if isinstance(employees, str):
		try:
			employees = json.loads(employees)
		except ValueError:
			frappe.throw(
				_('Employees must be a list of user IDs (emails), e.g. ["jane@example.com"].'),
				frappe.ValidationError,
				title=_("Invalid Employees"),
			)
	if not isinstance(employees, list | tuple) or not all(isinstance(e, str) for e in employees):
		frappe.throw(
			_('Employees must be a list of user IDs (emails), e.g. ["jane@example.com"].'),
			frappe.ValidationError,
			title=_("Invalid Employees"),
		)
	ids = unique_in_order(employees)
	if not ids:
		frappe.throw(
			_("Pick at least one employee to assign."), frappe.ValidationError, title=_("No Employees")
		)
	return ids


def get_assignable_course(course: str):
	"""The course as a dict (name, title, published); missing → 404, unpublished → 417."""
	return require_published_course(course, _("publish it before assigning it."))


def require_published_course(
	course: str, unpublished_hint: str, hide_drafts: bool = False, fields: tuple = ()
):
	"""A published course as a dict (name, title, published and `fields`). Missing → 404; a draft → 417
	with `unpublished_hint`, or 404 with `hide_drafts` (for callers who may not see drafts at all)."""
	if not course:
		frappe.throw(_("Course is required."), frappe.MandatoryError, title=_("Missing Course"))
	row = frappe.db.get_value("LMS Course", course, ["name", "title", "published", *fields], as_dict=True)
	if not row or (hide_drafts and not row.published):
		frappe.throw(
			_("LMS Course {0} does not exist.").format(frappe.bold(escape_html(course))),
			frappe.DoesNotExistError,
			title=_("Course Not Found"),
		)
	if not row.published:
		frappe.throw(
			_("LMS Course {0} is not published: {1}").format(
				frappe.bold(escape_html(row.title)), unpublished_hint
			),
			frappe.ValidationError,
			title=_("Course Not Published"),
		)
	return row


TEXT_TYPES = (
	"Data",
	"Small Text",
	"Text",
	"Long Text",
	"Text Editor",
	"Code",
	"Attach",
	"Attach Image",
	"Select",
)
NUMBER_TYPES = ("Int", "Float", "Percent", "Currency", "Check")
# Bytes a MariaDB TEXT column holds (Small Text, Text, Attach); longer values fail in the database.
TEXT_COLUMN_BYTES = 65535


def validate_value_types(doc) -> None:
	"""Every field of an app document holds what its type says (text, a number, a date), whatever a REST
	caller sent: otherwise MariaDB or Frappe's post-save code (Version, attachments) fails with a 500.
	A 417 names the field."""
	for df in doc.meta.fields:
		value = doc.get(df.fieldname)
		if df.fieldtype in ("Table", "Table MultiSelect"):
			for row in value or []:
				if hasattr(row, "meta"):
					validate_value_types(row)
			continue
		if value in (None, ""):
			continue
		if df.fieldtype in TEXT_TYPES or df.fieldtype in ("Link", "Dynamic Link"):
			ok = isinstance(value, str) and (
				df.fieldtype not in ("Small Text", "Text", "Attach", "Attach Image")
				or len(value.encode()) <= TEXT_COLUMN_BYTES
			)
		elif df.fieldtype in NUMBER_TYPES:
			ok = (isinstance(value, int | float) and not isinstance(value, bool)) or _is_number(value)
		elif df.fieldtype == "Date":
			ok = parse_date(value) is not None
		elif df.fieldtype == "Datetime":
			ok = isinstance(value, datetime.datetime) or parse_date(value) is not None
		else:
			continue
		if not ok:
			frappe.throw(
				_("{0} is not a valid value for {1} ({2}).").format(
					frappe.bold(escape_html(str(value)[:60])), _(df.label or df.fieldname), _(df.fieldtype)
				),
				frappe.ValidationError,
				title=_("Invalid Value"),
			)


def _is_number(value) -> bool:
	if isinstance(value, bool):
		return True  # a Check sent as true / false
	try:
		float(str(value))
	except ValueError:
		return False
	return True
