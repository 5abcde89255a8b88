"""The learner's email on completion: their certificate, with a link to its PDF and to the page where
anyone checks it. Sent when a certificate is issued (hooks.py: LMS Certificate after_insert, which the
document trail runs from a job after the commit for every certificate, set-wise ones too), through the
app's one sender (mailer). A disabled learner is not mailed; without an outgoing Email Account nothing
is queued."""

import frappe
from frappe import _
from frappe.utils import format_date, get_url

from smooth_lms.lms.certificates.verification import verification_url
from smooth_lms.lms.doctypes import USER
from smooth_lms.lms.notifications.mailer import plain, send_grouped
from smooth_lms.lms.routes import certificate_url

EMAIL_TEMPLATE = "lms_certificate"  # smooth_lms/templates/emails/lms_certificate.html


def on_certificate_issued(doc, method: str | None = None) -> None:
	"""LMS Certificate after_insert."""
	send_certificate_email(doc)


def send_certificate_email(certificate) -> bool:
	"""Queue the certificate's email to its holder. Returns whether one was queued."""
	learner = frappe.db.get_value(USER, certificate.member, ["email", "enabled", "full_name"], as_dict=True)
	if not learner or not learner.enabled or not learner.email:
		return False
	row = {
		"name": certificate.assignment,
		"member": certificate.member,
		"course_title": certificate.course_title,
		"issue_date": format_date(certificate.issue_date),
		"valid_until": format_date(certificate.valid_until) if certificate.valid_until else None,
		"pdf_url": get_url(certificate_url(certificate.assignment)),
		"verify_url": verification_url(certificate.name),
		"code": certificate.name,
	}

	def compose(rows: list[dict]):
		subject = _("Your certificate: {0}").format(plain(certificate.course_title))
		return (
			learner.email,
			subject,
			{"learner_name": learner.full_name or certificate.member_name, **rows[0]},
		)

	return bool(send_grouped([row], "member", EMAIL_TEMPLATE, compose))
