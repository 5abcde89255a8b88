"""What a stranger holding a certificate's code may learn: the holder's name, the course and its
version, the issue date, valid until, and whether it is Valid, Expired or Revoked — nothing else about
the person. The page /lms/verify/<code> and `verify_certificate` answer the same facts."""

import datetime

import frappe
from frappe import _
from frappe.utils import escape_html, get_url, getdate, today

from smooth_lms.lms.certificates.codes import looks_like_a_code, normalised
from smooth_lms.lms.doctypes import CERTIFICATE
from smooth_lms.lms.routes import verify_url

VALID, EXPIRED, REVOKED = "Valid", "Expired", "Revoked"


def verification_url(code: str) -> str:
	return get_url(verify_url(code))


def verification_qr(code: str) -> str:
	"""The verification address as a QR code: an SVG data URI for an <img> (pyqrcode, which Frappe ships
	for its two-factor codes)."""
	from base64 import b64encode
	from io import BytesIO

	from pyqrcode import create

	stream = BytesIO()
	create(verification_url(code), error="M").svg(stream, scale=4, xmldecl=False, quiet_zone=2)
	return "data:image/svg+xml;base64," + b64encode(stream.getvalue()).decode()


def verified(code: str | None) -> dict:
	"""The public facts of the certificate named `code` (as people type it), or 404."""
	name = normalised(code)
	row = (
		frappe.db.get_value(
			CERTIFICATE,
			name,
			["name", "member_name", "course_title", "course_version", "issue_date", "valid_until", "revoked"],
			as_dict=True,
		)
		if looks_like_a_code(name)
		else None
	)
	if not row:
		frappe.throw(
			_("No certificate has the code {0}.").format(escape_html((code or "")[:40])),
			frappe.DoesNotExistError,
			title=_("Not Found"),
		)
	return {
		"certificate": row.name,
		"member_name": row.member_name,
		"course_title": row.course_title,
		"course_version": row.course_version,
		"issue_date": str(row.issue_date) if row.issue_date else None,
		"valid_until": str(row.valid_until) if row.valid_until else None,
		"status": status_of(row, getdate(today())),
	}


def status_of(row, day: datetime.date) -> str:
	if row.get("revoked"):
		return REVOKED
	if row.get("valid_until") and getdate(row["valid_until"]) < day:
		return EXPIRED
	return VALID


def explanation(status: str) -> str:
	"""The status in words a stranger understands."""
	return {
		VALID: _("This certificate is genuine and the training it records is current."),
		EXPIRED: _(
			"This certificate is genuine, but the training it records has expired: the holder must renew it."
		),
		REVOKED: _("This certificate was withdrawn by the issuer and no longer counts."),
	}[status]
