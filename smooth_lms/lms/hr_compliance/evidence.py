"""The per-row part of a handoff: the certificate's PDF on the ledger row, the certificate on its timeline.

A PDF is rendered per certificate (about a second each), so this runs row by row: from the handoff job for
a few, from chunked jobs for many. For each assignment whose ledger row is written and whose handoff is not
finished: the certificate's PDF attached to the row as a private File (once: a File of that name on the row
is not attached again), an Info comment naming the certificate with its verification address, then the
handoff marked finished (`compliance_handed_over`). A row that fails is rolled back to its savepoint,
logged with its names and left for the daily job; the others go on. A course that issues no certificate
(or a revoked one) has nothing to attach: the comment names the training and the handoff finishes.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import escape_html, format_date, now_datetime

from smooth_lms.lms.certificates import record_pdf
from smooth_lms.lms.certificates.verification import verification_url
from smooth_lms.lms.doctypes import ASSIGNMENT, CERTIFICATE, EMPLOYEE_COMPLIANCE
from smooth_lms.lms.framework.batches import chunked
from smooth_lms.lms.hr_compliance import as_the_app, has_employee_compliance, log_failure
from smooth_lms.lms.hr_compliance.rows import update_by_name


def attach_evidence_job(assignments: list[str]) -> None:
	"""Background job (queue "long"): a chunk of a large handoff's evidence."""
	as_the_app()
	attach_evidence(assignments)


def attach_evidence(assignments: list[str]) -> list[str]:
	"""Attach the evidence of these assignments and finish their handoff. Returns those finished."""
	if not assignments or not has_employee_compliance():
		return []
	finished = []
	for row in _pending(assignments):
		savepoint = f"evidence_{frappe.generate_hash(length=8)}"
		frappe.db.savepoint(savepoint)
		try:
			attach(row)
		except Exception:
			frappe.db.rollback(save_point=savepoint)
			log_failure([row.name], _("attaching the certificate to {0}").format(row.compliance_record))
			continue
		frappe.db.release_savepoint(savepoint)
		finished.append(row.name)
	now = now_datetime()
	update_by_name(ASSIGNMENT, "compliance_handed_over", dict.fromkeys(finished, now))
	return finished


def attach(row: frappe._dict) -> None:
	"""The certificate's PDF and the timeline comment for one assignment's ledger row."""
	ledger_row = frappe.get_doc(EMPLOYEE_COMPLIANCE, row.compliance_record)  # gone: DoesNotExistError
	if row.certificate and not row.revoked:
		file_name = f"certificate-{row.certificate}.pdf"
		attached = {
			"attached_to_doctype": EMPLOYEE_COMPLIANCE,
			"attached_to_name": ledger_row.name,
			"file_name": file_name,
		}
		if not frappe.db.exists("File", attached):
			frappe.get_doc(
				{"doctype": "File", **attached, "is_private": 1, "content": certificate_pdf(row.certificate)}
			).insert(ignore_permissions=True)  # the app files HR's evidence, whoever completed the course
	ledger_row.add_comment("Info", comment(row))


def certificate_pdf(certificate: str) -> bytes:
	"""The certificate's PDF (its print format, with the verification address and QR code)."""
	return record_pdf(certificate)


def comment(row: frappe._dict) -> str:
	"""The timeline's words: which certificate (or training) this row now holds, and where to check it."""
	completed = escape_html(format_date(row.completed_on))
	training = escape_html(row.course_title or row.course)
	if row.certificate and not row.revoked:
		code = escape_html(row.certificate)
		url = escape_html(verification_url(row.certificate))
		return _("Certificate {0} for {1}, completed on {2}: verify at {3}").format(
			f'<a href="{url}">{code}</a>', training, completed, f'<a href="{url}">{url}</a>'
		)
	return _(
		"Training {0} completed on {1} (training assignment {2}); no certificate is issued for it"
	).format(training, completed, escape_html(row.name))


def _pending(names: list[str]) -> list[frappe._dict]:
	"""Of `names`, those written and not finished, locked (a second job for the same rows waits, then
	finds them finished), each with its certificate."""
	assignment, certificate = DocType(ASSIGNMENT), DocType(CERTIFICATE)
	rows = []
	for batch in chunked(names):
		rows += (
			frappe.qb.from_(assignment)
			.select(
				assignment.name,
				assignment.compliance_record,
				assignment.course,
				assignment.course_title,
				assignment.completed_on,
			)
			.where(assignment.name.isin(list(batch)))
			.where(assignment.compliance_record.notnull())
			.where(assignment.compliance_handed_over.isnull())
			.orderby(assignment.name)
			.for_update()
			.run(as_dict=True)
		)
	certificates = {}
	for batch in chunked([row.name for row in rows]):
		certificates.update(
			{
				found.assignment: found
				for found in frappe.qb.from_(certificate)
				.select(certificate.name, certificate.assignment, certificate.revoked)
				.where(certificate.assignment.isin(list(batch)))
				.run(as_dict=True)
			}
		)
	for row in rows:
		found = certificates.get(row.name)
		row.update(certificate=found.name if found else None, revoked=found.revoked if found else 0)
	return rows
