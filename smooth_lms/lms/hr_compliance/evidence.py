"""The per-row part of a handoff: the certificate's PDF on the ledger row, the certificate on its timeline.

A PDF is rendered per certificate (about a second each), so this runs row by row: from the handoff job for
a few, from chunked jobs for many. For each assignment whose ledger row is written and whose handoff is not
finished: the certificate's PDF attached to the row as a private File (once: a File of that name on the row
is not attached again), an Info comment naming the certificate with its verification address, then the
handoff marked finished (`compliance_handed_over`). A course that issues no certificate (or a revoked one)
has nothing to attach: the comment names the training and the handoff finishes.

Rendering commits: Frappe's print view writes an Access Log and commits it (outside tests), so a PDF is
never rendered inside a savepoint — the commit would end it. Each row's PDF is rendered first (what this
job wrote before is committed with it: the ledger rows, the rows finished so far), then the row is locked,
checked still unfinished (a second job for the same rows finds it finished and skips it), and written in
a savepoint: the File, the comment and `compliance_handed_over` together, or nothing. A row whose PDF or
writing fails is logged with its names and left for the daily job; the others go on.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import DocType
from frappe.utils import escape_html, format_date, now_datetime

from smooth_lms.lms.certificates import record_pdf
from smooth_lms.lms.certificates.verification import verification_url
from smooth_lms.lms.doctypes import ASSIGNMENT, CERTIFICATE, EMPLOYEE_COMPLIANCE
from smooth_lms.lms.framework.batches import chunked
from smooth_lms.lms.hr_compliance import as_the_app, has_employee_compliance, log_failure


def attach_evidence_job(assignments: list[str]) -> None:
	"""Background job (queue "long"): a chunk of a large handoff's evidence."""
	as_the_app()
	attach_evidence(assignments)


def attach_evidence(assignments: list[str]) -> list[str]:
	"""Attach the evidence of these assignments and finish their handoff. Returns those finished. Commits
	(each PDF rendered does): call it from a job, after the work that must precede it."""
	if not assignments or not has_employee_compliance():
		return []
	finished = []
	for row in _pending(assignments):
		try:
			pdf = certificate_pdf(row.certificate) if _needs_pdf(row) else None
		except Exception:
			log_failure([row.name], _("rendering the PDF of certificate {0}").format(row.certificate))
			continue
		if _attach_once(row, pdf):
			finished.append(row.name)
	return finished


def attach(row: frappe._dict, file: Document | None) -> None:
	"""The certificate's PDF (`file`, unsaved: None when there is no certificate to attach) and the
	timeline comment for one assignment's ledger row. A File of that name already on the row is kept."""
	ledger_row = frappe.get_doc(EMPLOYEE_COMPLIANCE, row.compliance_record)  # gone: DoesNotExistError
	if file and not frappe.db.exists("File", _file_of(row)):
		file.insert(ignore_permissions=True)  # the app files HR's evidence, whoever completed the course
	ledger_row.add_comment("Info", comment(row))


def certificate_pdf(certificate: str) -> bytes:
	"""The certificate's PDF (its print format, with the verification address and QR code). Commits."""
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


def _needs_pdf(row: frappe._dict) -> bool:
	return bool(row.certificate and not row.revoked and not frappe.db.exists("File", _file_of(row)))


def _file_of(row: frappe._dict) -> dict:
	return {
		"attached_to_doctype": EMPLOYEE_COMPLIANCE,
		"attached_to_name": row.compliance_record,
		"file_name": f"certificate-{row.certificate}.pdf",
	}


def _attach_once(row: frappe._dict, pdf: bytes | None) -> bool:
	"""Write one row's evidence and finish its handoff, all or nothing (no rendering in between: nothing
	commits inside the savepoint). False when another job finished it meanwhile, or when it failed
	(logged)."""
	file = (
		frappe.get_doc({"doctype": "File", **_file_of(row), "is_private": 1, "content": pdf}) if pdf else None
	)
	savepoint = f"evidence_{frappe.generate_hash(length=8)}"
	frappe.db.savepoint(savepoint)
	try:
		if not _lock_unfinished(row.name):
			frappe.db.release_savepoint(savepoint)
			return False
		attach(row, file)
		frappe.db.set_value(
			ASSIGNMENT, row.name, "compliance_handed_over", now_datetime(), update_modified=False
		)
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		if file:
			file.on_rollback()  # the PDF it wrote to disk: a rollback to a savepoint runs no watcher
		log_failure([row.name], _("attaching the certificate to {0}").format(row.compliance_record))
		return False
	frappe.db.release_savepoint(savepoint)
	return True


def _lock_unfinished(name: str) -> bool:
	"""Lock the assignment if its handoff is still unfinished: a second job for it waits, then skips it."""
	assignment = DocType(ASSIGNMENT)
	return bool(
		frappe.qb.from_(assignment)
		.select(assignment.name)
		.where(assignment.name == name)
		.where(assignment.compliance_record.notnull())
		.where(assignment.compliance_handed_over.isnull())
		.for_update()
		.run()
	)


def _pending(names: list[str]) -> list[frappe._dict]:
	"""Of `names`, those written and not finished, in name order (locks are taken in that order), each with
	its certificate. Read without a lock: each row is locked and checked again when it is written."""
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
			.run(as_dict=True)
		)
	rows.sort(key=lambda row: row.name)
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
