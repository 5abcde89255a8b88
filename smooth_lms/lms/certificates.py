"""Training certificates: a completed assignment printed as a PDF, for its learner and for HR only.

`download_certificate` (GET /api/method/smooth_lms.lms.certificates.download_certificate?assignment=TA-0001)
answers the PDF of the "LMS Training Certificate" print format: to the learner of the assignment, and to
whoever may print assignments (HR Manager, Moderator, System Manager: the DocType's print permission).
Anyone else gets 403, a missing assignment 404, an unfinished one 417.

Frappe's own print endpoints (/printview, frappe.utils.print_format.download_pdf) let the same people
print the same documents (read or print permission, and learners read only their own rows); the print
format itself refuses an assignment that is not completed, so no endpoint makes a certificate of one.
"""

import frappe
from frappe import _
from frappe.utils import escape_html
from frappe.utils.pdf import get_pdf

from smooth_lms.lms.doctypes import ASSIGNMENT
from smooth_lms.lms.framework.guards import guarded, require_login
from smooth_lms.lms.training_rules import COMPLETED

CERTIFICATE = "LMS Training Certificate"


def require_signed_in() -> None:
	require_login(_("Sign in to download a training certificate."))


@frappe.whitelist(methods=["GET"])
@guarded(require_signed_in)
def download_certificate(assignment: str) -> None:
	"""The certificate of a completed assignment, as a PDF file (the answer is the file)."""
	doc = certificate_assignment(assignment)
	frappe.local.response.filename = f"certificate-{doc.name}.pdf"
	frappe.local.response.filecontent = certificate_pdf(doc)
	frappe.local.response.type = "pdf"


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
