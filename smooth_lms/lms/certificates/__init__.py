"""Training certificates: LMS Certificate records anyone can verify, their PDFs, and their revocation.

- `verify_certificate(certificate)` (GET, guests too, rate-limited per address): the public facts of a
  certificate by its code (certificates.verification); /lms/verify/<code> shows the same;
- `revoke_certificate(certificate, reason)` (POST): write permission on LMS Certificate (HR Manager,
  System Manager) — revocation is the one change a certificate accepts;
- `download_certificate(assignment)`: the PDF, below. Issuing is certificates.issuing.


`download_certificate` (GET /api/method/smooth_lms.lms.certificates.download_certificate?assignment=TA-0001)
answers the PDF of the assignment's LMS Certificate ("LMS Certificate" print format, with its verification
address and QR code), or, for a course that issues no certificate records, of the "LMS Training
Certificate" print format of the assignment itself: to the learner of the assignment, and to
whoever may print assignments (HR Manager, Moderator, System Manager: the DocType's print permission).
Anyone else gets 403, a missing assignment 404, an unfinished one 417.

Frappe's own print endpoints (/printview, frappe.utils.print_format.download_pdf) let the same people
print the same documents (read or print permission, and learners read only their own rows); the print
format itself refuses an assignment that is not completed, so no endpoint makes a certificate of one.
"""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, cstr, escape_html, now_datetime
from frappe.utils.pdf import get_pdf

from smooth_lms.lms.certificates.verification import verified
from smooth_lms.lms.doctypes import ASSIGNMENT
from smooth_lms.lms.doctypes import CERTIFICATE as CERTIFICATE_DOCTYPE
from smooth_lms.lms.framework.guards import guarded, require_login
from smooth_lms.lms.training_rules import COMPLETED

# Guesses at codes, per address and minute: a person checking certificates by hand never comes near it.
# A site may set its own (site_config.json `smooth_lms_verify_limit`).
VERIFY_SECONDS = 60


def verify_limit() -> int:
	"""Frappe's rate_limit takes the limit or a callable: read per request."""
	return cint(frappe.conf.get("smooth_lms_verify_limit")) or 30


CERTIFICATE = "LMS Training Certificate"  # the print format of an assignment without a certificate record


def require_signed_in() -> None:
	require_login(_("Sign in to download a training certificate."))


@frappe.whitelist(methods=["GET"])
@guarded(require_signed_in)
def download_certificate(assignment: str) -> None:
	"""The certificate of a completed assignment, as a PDF file (the answer is the file)."""
	doc = certificate_assignment(assignment)
	record = frappe.db.get_value(
		CERTIFICATE_DOCTYPE, {"assignment": doc.name}, ["name", "revoked"], as_dict=True
	)
	if record and record.revoked:
		frappe.throw(
			_("The certificate of {0} was revoked.").format(doc.name),
			frappe.ValidationError,
			title=_("Revoked"),
		)
	frappe.local.response.filename = f"certificate-{doc.name}.pdf"
	frappe.local.response.filecontent = record_pdf(record.name) if record else certificate_pdf(doc)
	frappe.local.response.type = "pdf"


@frappe.whitelist(allow_guest=True, methods=["GET"])
@rate_limit(limit=verify_limit, seconds=VERIFY_SECONDS)
@guarded()
def verify_certificate(certificate: str) -> dict:
	"""The public facts of a certificate: holder's name, course and version, issue date, valid until and
	status (Valid / Expired / Revoked). An unknown code is a 404."""
	return verified(certificate)


def require_revoker() -> None:
	if frappe.session.user == "Guest" or not frappe.has_permission(CERTIFICATE_DOCTYPE, "write"):
		frappe.throw(
			_("Revoking certificates needs the HR Manager or System Manager role."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


@frappe.whitelist(methods=["POST"])
@guarded(require_revoker)
def revoke_certificate(certificate: str, reason: str) -> dict:
	"""Withdraw a certificate, with the reason: its verification answers Revoked from now on; the
	timeline, the Version and any Notification on the change record it."""
	if not certificate or not frappe.db.exists(CERTIFICATE_DOCTYPE, certificate):
		frappe.throw(
			_("Certificate {0} does not exist.").format(escape_html(cstr(certificate)[:40])),
			frappe.DoesNotExistError,
			title=_("Not Found"),
		)
	reason = cstr(reason).strip()
	if not reason:
		frappe.throw(
			_("Say why the certificate is revoked."), frappe.MandatoryError, title=_("Reason Needed")
		)
	doc = frappe.get_doc(CERTIFICATE_DOCTYPE, certificate, for_update=True)
	if doc.revoked:
		frappe.throw(
			_("Certificate {0} was revoked already.").format(doc.name),
			frappe.ValidationError,
			title=_("Already Revoked"),
		)
	doc.update(
		{
			"revoked": 1,
			"revoked_reason": reason,
			"revoked_on": now_datetime(),
			"revoked_by": frappe.session.user,
		}
	)
	doc.flags.revoking = True
	doc.save()
	doc.add_comment("Info", _("Revoked: {0}").format(escape_html(reason)))
	return {"certificate": doc.name, "status": verified(doc.name)["status"]}


def certificate_assignment(name: str):
	"""The assignment, when it exists (404), the session user may have its certificate (403) and it is
	completed (417) — in that order, so nobody learns another person's status."""
	if not name or not frappe.db.exists(ASSIGNMENT, name):
		frappe.throw(
			_("Training assignment {0} does not exist.").format(escape_html(name or "")),
			frappe.DoesNotExistError,
			title=_("Not Found"),
		)
	doc = frappe.get_doc(ASSIGNMENT, name)
	if not may_have_certificate(doc):
		frappe.throw(
			_("Only the learner and HR may download the certificate of {0}.").format(doc.name),
			frappe.PermissionError,
			title=_("Not permitted"),
		)
	if doc.status != COMPLETED:
		frappe.throw(
			_("Training assignment {0} is not completed: it has no certificate yet.").format(doc.name),
			frappe.ValidationError,
			title=_("Not Completed"),
		)
	return doc


def may_have_certificate(doc, user: str | None = None) -> bool:
	"""The assignment's learner, or a user who may print assignments (their DocType permission)."""
	user = user or frappe.session.user
	if user == "Guest":
		return False
	return doc.employee == user or frappe.has_permission(ASSIGNMENT, "print", doc=doc, user=user)


def certificate_html(doc) -> str:
	"""The certificate as HTML, for a caller already let through by certificate_assignment (the learner
	may hold no role that reads the row: their being its learner is the permission)."""
	checked = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		return frappe.get_print(ASSIGNMENT, doc.name, print_format=CERTIFICATE, doc=doc, no_letterhead=1)
	finally:
		frappe.flags.ignore_print_permissions = checked


def certificate_pdf(doc) -> bytes:
	return get_pdf(certificate_html(doc), {"orientation": "Landscape"})


def record_pdf(certificate: str) -> bytes:
	"""The PDF of an LMS Certificate, for a caller already let through (its learner may hold no role that
	prints it: their being its holder is the permission)."""
	checked = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		html = frappe.get_print(
			CERTIFICATE_DOCTYPE, certificate, print_format="LMS Certificate", no_letterhead=1
		)
	finally:
		frappe.flags.ignore_print_permissions = checked
	return get_pdf(html, {"orientation": "Landscape"})
