"""Issuing certificates: one per completed assignment of a course that issues them, exactly one.

`issue_certificates` is the one writer, set-wise for any number of completions: one query finds the
completed assignments without a certificate, a multi-row INSERT IGNORE writes theirs (the unique
`assignment` makes the database drop a second certificate when completions race), then the document
trail (Versions now, document events after the commit). Callers: the assignment's controller (a
completion saved as a document: lessons, quizzes, HR's recorded completion), the status engine's
set-wise completions, the patch for completions made before certificates existed, and the daily job
that issues what a failure left out.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import now_datetime, today

from smooth_lms.lms.certificates.codes import new_code
from smooth_lms.lms.doctypes import ASSIGNMENT, CERTIFICATE, COURSE
from smooth_lms.lms.framework.batches import chunked, insert_rows
from smooth_lms.lms.framework.document_trail import Via, record_inserts
from smooth_lms.lms.training_rules import COMPLETED

FIELDS = (
	"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx",
	"member", "member_name", "course", "course_title", "course_version", "assignment",
	"issue_date", "valid_until", "revoked",
)  # fmt: skip


def issue_certificates(assignments: list[str] | None = None, via: Via | None = None) -> list[str]:
	"""Issue the missing certificates of `assignments` (every completed assignment when None). Returns
	the certificates this call wrote."""
	if assignments is not None and not assignments:
		return []
	issued = []
	for batch in chunked(assignments) if assignments is not None else [None]:
		issued += _issue(list(batch) if batch is not None else None)
	record_inserts(CERTIFICATE, issued, via or Via(_("on completion")))
	return issued


def issue_missing_certificates() -> int:
	"""Daily (hooks.py): certificates a failed or interrupted completion left out. Returns how many."""
	return len(issue_certificates(via=Via(_("via the daily certificate check"))))


def _issue(names: list[str] | None) -> list[str]:
	assignment, course, certificate = DocType(ASSIGNMENT), DocType(COURSE), DocType(CERTIFICATE)
	query = (
		frappe.qb.from_(assignment)
		.join(course)
		.on(course.name == assignment.course)
		.left_join(certificate)
		.on(certificate.assignment == assignment.name)
		.select(
			assignment.name,
			assignment.employee,
			assignment.employee_name,
			assignment.course,
			course.title,
			assignment.course_version,
			assignment.completed_on,
			assignment.valid_until,
		)
		.where(assignment.status == COMPLETED)
		.where(course.enable_certification == 1)
		.where(certificate.name.isnull())
	)
	if names is not None:
		query = query.where(assignment.name.isin(names))
	rows = query.run()
	if not rows:
		return []
	now, user, day = now_datetime(), frappe.session.user, today()
	values = [
		(
			new_code(), now, now, user, user, 0, 0,
			employee, employee_name, course_name, title, version, name, completed_on or day, until, 0,
		)
		for name, employee, employee_name, course_name, title, version, completed_on, until in rows
	]  # fmt: skip
	written = insert_rows(CERTIFICATE, FIELDS, values, ignore_duplicates=True)
	codes = [row[0] for row in values]
	if written == len(codes):
		return codes
	found = DocType(CERTIFICATE)
	landed = {row[0] for row in frappe.qb.from_(found).select(found.name).where(found.name.isin(codes)).run()}
	return [code for code in codes if code in landed]
