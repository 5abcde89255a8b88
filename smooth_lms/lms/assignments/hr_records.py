"""What HR records by hand on a person's training: a completion done outside the LMS, a due date extended.

- `record_external_completion`: a classroom session or an external provider's course, with its date and
  an evidence file. It completes the person's assignment of the course (the open or overdue one, or a
  new one) like any completion: status by the status engine, validity counted from that date, the source
  and the evidence on the record (and in the Training History report).
- `extend_due_date`: a later due date with a reason; every extension stays in the assignment's
  "Due Date Extensions" table and its timeline. An overdue assignment is open again.

Both are for whoever may write assignments (framework.roles.require_record_keeper: HR Manager,
Moderator, System Manager by the DocType's permissions), through the document layer (Version,
Notifications).
"""

import datetime

import frappe
from frappe import _
from frappe.utils import escape_html, getdate, now_datetime, today

from smooth_lms.lms.doctypes import ASSIGNMENT
from smooth_lms.lms.framework.guards import guarded
from smooth_lms.lms.framework.roles import require_record_keeper
from smooth_lms.lms.framework.validation import get_assignable_course, parse_date, validate_due_date
from smooth_lms.lms.training_rules import COMPLETED, OPEN_STATUSES, OVERDUE

EXTERNAL_SOURCES = ("Classroom Session", "External Provider", "Other")


@frappe.whitelist(methods=["POST"])
@guarded(require_record_keeper)
def record_external_completion(
	completed_on: str | datetime.date,
	source: str,
	evidence: str,
	assignment: str | None = None,
	employee: str | None = None,
	course: str | None = None,
	note: str | None = None,
) -> dict:
	"""Record a completion done outside the LMS, for an assignment, or for a person (user ID) and course
	(their open or overdue assignment, else a new one). Returns {"assignment", "status", "valid_until"}."""
	day = _completion_date(completed_on)
	if source not in EXTERNAL_SOURCES:
		frappe.throw(
			_("Source must be one of {0}, not {1}.").format(", ".join(EXTERNAL_SOURCES), escape_html(source)),
			frappe.ValidationError,
			title=_("Invalid Source"),
		)
	doc = _assignment_to_complete(assignment, employee, course)
	doc.update(
		{
			"completed_on": day,
			"progress": 100,
			"completion_source": source,
			"completion_note": note,
			"completion_evidence": _evidence(evidence, doc),
			"completion_recorded_by": frappe.session.user,
		}
	)
	doc.flags.app_owned_change = True
	doc.flags.updater_reference = {"label": _("via Record Completion ({0})").format(_(source))}
	doc.save(ignore_version=False)  # the completion's audit trail, kept in tests too
	return {"assignment": doc.name, "status": doc.status, "valid_until": doc.valid_until}


@frappe.whitelist(methods=["POST"])
@guarded(require_record_keeper)
def extend_due_date(assignment: str, due_date: str | datetime.date, reason: str) -> dict:
	"""Move an unfinished assignment's due date later, with a reason kept on the record. Returns
	{"assignment", "status", "due_date"}."""
	doc = _get(assignment)
	if doc.status == COMPLETED:
		frappe.throw(
			_("Assignment {0} is completed: there is no due date to extend.").format(doc.name),
			frappe.ValidationError,
			title=_("Already Completed"),
		)
	new_date = validate_due_date(due_date)
	if new_date <= getdate(doc.due_date):
		frappe.throw(
			_("The new due date must be after the current one ({0}).").format(
				frappe.format(doc.due_date, "Date")
			),
			frappe.ValidationError,
			title=_("Invalid Due Date"),
		)
	if not (reason or "").strip():
		frappe.throw(
			_("Give the reason for the extension."), frappe.MandatoryError, title=_("Missing Reason")
		)
	doc.append(
		"extensions",
		{
			"previous_due_date": doc.due_date,
			"new_due_date": new_date,
			"reason": reason.strip(),
			"extended_by": frappe.session.user,
			"extended_on": now_datetime(),
		},
	)
	doc.due_date = new_date
	doc.flags.app_owned_change = True
	doc.flags.updater_reference = {"label": _("via Extend Due Date")}
	doc.save(ignore_version=False)  # the extension's audit trail, kept in tests too
	return {"assignment": doc.name, "status": doc.status, "due_date": doc.due_date}


def _completion_date(value) -> datetime.date:
	day = parse_date(value) if value else None
	if day is None:
		frappe.throw(
			_("Completed On must be a date (YYYY-MM-DD)."), frappe.ValidationError, title=_("Invalid Date")
		)
	if day > getdate(today()):
		frappe.throw(
			_("Completed On cannot be in the future."), frappe.ValidationError, title=_("Invalid Date")
		)
	return day


def _assignment_to_complete(assignment: str | None, employee: str | None, course: str | None):
	if assignment:
		doc = _get(assignment)
	elif employee and course:
		get_assignable_course(course)
		name = frappe.db.get_value(
			ASSIGNMENT,
			{"employee": employee, "course": course, "status": ("in", [*OPEN_STATUSES, OVERDUE])},
			order_by="creation desc",
		)
		doc = _get(name) if name else _new_assignment(employee, course)
	else:
		frappe.throw(
			_("Name the assignment, or the employee (user ID) and the course."),
			frappe.MandatoryError,
			title=_("Missing Assignment"),
		)
	if doc.status == COMPLETED:
		frappe.throw(
			_("Assignment {0} is already completed.").format(doc.name),
			frappe.ValidationError,
			title=_("Already Completed"),
		)
	return doc


def _new_assignment(employee: str, course: str):
	"""The assignment a completion recorded without one needs: through the one creation plan."""
	doc = frappe.get_doc(
		{
			"doctype": ASSIGNMENT,
			"employee": employee,
			"course": course,
			"due_date": validate_due_date(today()),
		}
	)
	# A record keeper (write permission, e.g. HR Manager) may record a completion for someone without an
	# assignment of the course; the completion needs a row to be kept on, whether or not they may create
	# assignments themselves. The row goes through the one creation plan all the same.
	doc.insert(ignore_permissions=True)
	return doc


def _get(name: str):
	if not frappe.db.exists(ASSIGNMENT, name):
		frappe.throw(
			_("Training assignment {0} does not exist.").format(escape_html(name)),
			frappe.DoesNotExistError,
			title=_("Not Found"),
		)
	return frappe.get_doc(ASSIGNMENT, name, for_update=True)


def _evidence(file_url: str, doc) -> str:
	"""An uploaded file (its URL) the caller may read, attached to the assignment so that it is read as the
	assignment is. Someone else's private upload is not the caller's to attach (and so to show); Frappe
	keeps one File row per upload, so a URL may name several: the caller's, or one already attached here."""
	files = frappe.get_all(
		"File",
		filters={"file_url": file_url, "is_folder": 0},
		fields=["name", "attached_to_doctype", "attached_to_name"],
		order_by="creation desc",
	)
	readable = [row for row in files if frappe.has_permission("File", "read", doc=row.name)]
	if not readable:
		frappe.throw(
			_("Evidence {0} is not an uploaded file: upload it first.").format(escape_html(file_url)),
			frappe.ValidationError,
			title=_("Evidence Missing"),
		)
	here = (ASSIGNMENT, doc.name)
	file = next((row for row in readable if (row.attached_to_doctype, row.attached_to_name) == here), None)
	file = file or next((row for row in readable if not row.attached_to_name), None)
	if not file:
		frappe.throw(
			_("Evidence {0} belongs to another document.").format(escape_html(file_url)),
			frappe.ValidationError,
			title=_("Evidence Missing"),
		)
	frappe.db.set_value(
		"File",
		file.name,
		{
			"attached_to_doctype": ASSIGNMENT,
			"attached_to_name": doc.name,
			"attached_to_field": "completion_evidence",
		},
	)
	return file_url
