"""The proof pack: one employee's (or one course's) evidence for an auditor, in one ZIP file — a summary
PDF of every completion with its course version, certificate and verification code, quiz attempts,
acknowledgements and SCORM attempts (lesson, status, score, time spent: scorm.history), then each certificate's PDF, each quiz submission's and acknowledgement's print, and
the evidence files HR attached to completions recorded by hand.

`request_proof_pack(employee=None, course=None)` (POST; whoever sees everyone's training: HR Manager,
Moderator, System Manager) builds a small pack at once and answers its private file's address; a pack of
more than INLINE_DOCUMENTS documents is built by a background job with a progress bar, and the person who
asked finds it in their bell (and the answer of `get_proof_pack(job)`). The file is private to them.
"""

import io
import zipfile

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import cstr, escape_html, format_date, get_datetime, now_datetime
from frappe.utils.file_manager import save_file
from frappe.utils.pdf import get_pdf

from smooth_lms.lms.certificates import record_pdf
from smooth_lms.lms.certificates.verification import status_of, verification_url
from smooth_lms.lms.doctypes import ACKNOWLEDGEMENT, ASSIGNMENT, CERTIFICATE, QUIZ_SUBMISSION, USER
from smooth_lms.lms.framework.guards import guarded
from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.scorm.history import attempts_by_assignment
from smooth_lms.lms.training_rules import COMPLETED

INLINE_DOCUMENTS = 40
JOB_KEY = "smooth_lms:proof_pack:"
# The summary's columns (percent of a landscape page): a long name, title or address wraps in its cell,
# a certificate's code does not (an auditor searches for it).
WIDTHS = (10, 10, 6, 8, 7, 7, 17, 10, 14, 11)


@frappe.whitelist(methods=["POST"])
@guarded(require_training_viewer)
def request_proof_pack(employee: str | None = None, course: str | None = None) -> dict:
	"""{"file_url", "documents"} for a small pack, {"queued": True, "job", "documents"} for a large one."""
	if not employee and not course:
		frappe.throw(_("Pick an employee or a course."), frappe.MandatoryError, title=_("Nothing Picked"))
	evidence = collect(employee, course)
	documents = count_documents(evidence)
	if not evidence["completions"]:
		frappe.throw(
			_("There is no completed training for {0}.").format(escape_html(label(employee, course))),
			frappe.DoesNotExistError,
			title=_("Nothing to Pack"),
		)
	if documents <= INLINE_DOCUMENTS:
		return {"file_url": build(evidence, employee, course), "documents": documents}
	job = frappe.generate_hash(length=16)
	frappe.cache.set_value(
		JOB_KEY + job, {"owner": frappe.session.user, "finished": False}, expires_in_sec=86400
	)
	frappe.enqueue(
		"smooth_lms.lms.reporting.proof_pack.run_proof_pack",
		queue="long",
		timeout=3600,
		enqueue_after_commit=True,
		job=job,
		employee=employee,
		course=course,
		owner=frappe.session.user,
	)
	return {"queued": True, "job": job, "documents": documents}


@frappe.whitelist(methods=["GET"])
@guarded(require_training_viewer)
def get_proof_pack(job: str) -> dict:
	"""{"finished", "file_url"} of the caller's queued pack ({"finished": False, "done", "total"} while the
	job builds it); another person's job does not exist."""
	status = frappe.cache.get_value(JOB_KEY + cstr(job))
	if not status or status.get("owner") != frappe.session.user:
		frappe.throw(_("No such proof pack."), frappe.DoesNotExistError, title=_("Not Found"))
	return {key: value for key, value in status.items() if key != "owner"}


def run_proof_pack(job: str, employee: str | None, course: str | None, owner: str) -> None:
	"""Background job of a large pack: a progress bar for the person who asked (Frappe's realtime
	"progress" events, and `done` / `total` in the job's status for a page that asks), then a bell notice.
	The bar's title names nobody: Frappe prints it as HTML."""
	frappe.set_user(owner)
	evidence = collect(employee, course)

	def progress(done: int, total: int) -> None:
		frappe.cache.set_value(
			JOB_KEY + job,
			{"owner": owner, "finished": False, "done": done, "total": total},
			expires_in_sec=86400,
		)
		frappe.publish_progress(
			done * 100 / max(total, 1),
			title=_("Building proof pack"),  # the title the desk's bar follows (reporting/proof_pack.js)
			description=_("{0} of {1} documents").format(done, total),
		)

	file_url = build(evidence, employee, course, progress)
	frappe.cache.set_value(
		JOB_KEY + job, {"owner": owner, "finished": True, "file_url": file_url}, expires_in_sec=86400
	)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": owner,
			"type": "Alert",
			"subject": escape_html(_("Your proof pack is ready: {0}").format(label(employee, course))),
			"link": file_url,
		}
	).insert(ignore_permissions=True)  # the owner's own bell
	frappe.publish_realtime("smooth_lms_proof_pack", {"job": job, "file_url": file_url}, user=owner)


def collect(employee: str | None, course: str | None) -> dict:
	"""The evidence: completed assignments with their certificates, quiz submissions, acknowledgements and
	SCORM attempts (one query each; the attempts by assignment)."""
	assignment, certificate = DocType(ASSIGNMENT), DocType(CERTIFICATE)
	query = (
		frappe.qb.from_(assignment)
		.left_join(certificate)
		.on(certificate.assignment == assignment.name)
		.select(
			assignment.name,
			assignment.employee,
			assignment.employee_name,
			assignment.course,
			assignment.course_title,
			assignment.course_version,
			assignment.completed_on,
			assignment.valid_until,
			assignment.completion_source,
			assignment.completion_evidence,
			certificate.name.as_("certificate"),
			certificate.revoked,
		)
		.where(assignment.status == COMPLETED)
		.orderby(assignment.employee)
		.orderby(assignment.course)
		.orderby(assignment.completed_on)
	)
	if employee:
		query = query.where(assignment.employee == employee)
	if course:
		query = query.where(assignment.course == course)
	completions = query.run(as_dict=True)
	names = [row.name for row in completions] or [""]
	submissions = frappe.get_all(
		QUIZ_SUBMISSION,
		{"assignment": ("in", names)},
		["name", "assignment", "quiz_title", "attempt", "percentage", "passed", "creation"],
		order_by="assignment, attempt",
	)
	acknowledgements = frappe.get_all(
		ACKNOWLEDGEMENT,
		{"assignment": ("in", names)},
		["name", "assignment", "lesson_title", "typed_name", "acknowledged_at", "content_hash"],
		order_by="assignment, acknowledged_at",
	)
	return {
		"completions": completions,
		"submissions": submissions,
		"acknowledgements": acknowledgements,
		"scorm_attempts": attempts_by_assignment(assignment.name.isin(names)),
	}


def count_documents(evidence: dict) -> int:
	return (
		1
		+ len([row for row in evidence["completions"] if row.certificate])
		+ len([row for row in evidence["completions"] if row.completion_evidence])
		+ len(evidence["submissions"])
		+ len(evidence["acknowledgements"])
	)


def build(evidence: dict, employee: str | None, course: str | None, progress=None) -> str:
	"""Write the ZIP and save it as a private File of the session user. Returns its address."""
	total, done = count_documents(evidence), 0
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:

		def add(path: str, content: bytes) -> None:
			nonlocal done
			pack.writestr(path, content)
			done += 1
			if progress:
				progress(done, total)

		# Landscape: ten columns (WIDTHS).
		add("00-summary.pdf", get_pdf(summary_html(evidence, employee, course), {"orientation": "Landscape"}))
		for row in evidence["completions"]:
			if row.certificate:
				add(
					f"certificates/{row.employee}-{row.course}-{row.certificate}.pdf",
					record_pdf(row.certificate),
				)
			if row.completion_evidence:
				content = _file_content(row.completion_evidence)
				if content is not None:
					add(f"evidence/{row.name}-{row.completion_evidence.rsplit('/', 1)[-1]}", content)
		for row in evidence["submissions"]:
			add(
				f"quiz-submissions/{row.assignment}-attempt-{row.attempt}-{row.name}.pdf",
				_print(QUIZ_SUBMISSION, row.name),
			)
		for row in evidence["acknowledgements"]:
			add(f"acknowledgements/{row.assignment}-{row.name}.pdf", _print(ACKNOWLEDGEMENT, row.name))
	stamp = now_datetime().strftime("%Y%m%d-%H%M%S")
	name = f"proof-pack-{frappe.scrub(label(employee, course))[:60]}-{stamp}.zip"
	saved = save_file(name, buffer.getvalue(), USER, frappe.session.user, is_private=1)
	return saved.file_url


def summary_html(evidence: dict, employee: str | None, course: str | None) -> str:
	"""The pack's first page: every completion and what proves it. Every value escaped."""
	by_assignment: dict[str, dict] = {}
	for kind in ("submissions", "acknowledgements"):
		for row in evidence[kind]:
			by_assignment.setdefault(row.assignment, {}).setdefault(kind, []).append(row)
	today = frappe.utils.getdate()
	rows = []
	for row in evidence["completions"]:
		attached = by_assignment.get(row.name, {})
		quizzes = "<br>".join(
			escape_html(
				_("{0}, attempt {1}: {2}% ({3})").format(
					s.quiz_title, s.attempt, s.percentage, _("passed") if s.passed else _("failed")
				)
			)
			for s in attached.get("submissions", [])
		)
		signed = "<br>".join(
			escape_html(
				_("{0}: signed {1} as {2}").format(
					a.lesson_title, format_date(get_datetime(a.acknowledged_at), "yyyy-MM-dd"), a.typed_name
				)
			)
			for a in attached.get("acknowledgements", [])
		)
		played = "<br>".join(escape_html(a.label) for a in evidence["scorm_attempts"].get(row.name, []))
		certificate = ""
		if row.certificate:
			state = status_of({"revoked": row.revoked, "valid_until": row.valid_until}, today)
			url = verification_url(row.certificate)
			# A link in the PDF; the line breaks before the code only when the address is too long.
			address, slash, code = url.rpartition("/")
			link = f'<a href="{escape_html(url)}">{escape_html(address + slash)}<wbr>{escape_html(code)}</a>'
			certificate = f"<nobr>{escape_html(row.certificate)}</nobr> ({escape_html(_(state))})<br><small>{link}</small>"
		cells = [
			escape_html(f"{row.employee_name or ''} ({row.employee})"),
			escape_html(row.course_title or row.course),
			escape_html(row.course_version or "1"),
			escape_html(format_date(row.completed_on, "yyyy-MM-dd")),
			escape_html(
				format_date(row.valid_until, "yyyy-MM-dd") if row.valid_until else _("Does not expire")
			),
			escape_html(_(row.completion_source or "LMS")),
			certificate,
			quizzes,
			signed,
			played,
		]
		rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
	headers = [_("Employee"), _("Course"), _("Version"), _("Completed On"), _("Valid Until"), _("Through"),
		_("Certificate"), _("Quiz Attempts"), _("Acknowledgements"), _("SCORM Attempts")]  # fmt: skip
	return f"""<html><head><meta charset="utf-8"><style>
body {{ font-family: sans-serif; font-size: 10px; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
td, th {{ border: 1px solid #ccc; padding: 4px; vertical-align: top; text-align: left; }}
td {{ word-wrap: break-word; }} small {{ font-size: 8px; }}
</style></head><body>
<h2>{escape_html(_("Training evidence: {0}").format(label(employee, course)))}</h2>
<p>{escape_html(_("Prepared on {0} by {1}.").format(format_date(now_datetime(), "yyyy-MM-dd"), frappe.session.user))}</p>
<table><tr>{"".join(f'<th style="width: {w}%">{escape_html(h)}</th>' for h, w in zip(headers, WIDTHS, strict=True))}</tr>{"".join(rows)}</table>
</body></html>"""


def label(employee: str | None, course: str | None) -> str:
	return " / ".join(part for part in (employee, course) if part)


def _print(doctype: str, name: str) -> bytes:
	"""The record's PDF in its DocType's default print format (Frappe's Standard where there is none)."""
	chosen = frappe.get_meta(doctype).default_print_format
	if not chosen or not frappe.db.exists("Print Format", chosen):
		chosen = "Standard"
	return get_pdf(frappe.get_print(doctype, name, print_format=chosen, no_letterhead=1))


def _file_content(file_url: str) -> bytes | None:
	name = frappe.db.get_value("File", {"file_url": file_url})
	if not name:
		return None
	try:
		return frappe.get_doc("File", name).get_content()
	except (OSError, frappe.DoesNotExistError):
		frappe.log_error(title=_("Proof pack: evidence file missing"), message=file_url)
		return None
