"""/lms/verify/<code>: anyone holding a certificate's code checks it here, signed in or not — the
holder's name, the course and version, the dates and the status in plain words; nothing else about the
person (certificates.verification). An unknown code is the 404 page; too many checks from one address
in a minute, a 429 page."""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import formatdate

from smooth_lms.lms.certificates import VERIFY_SECONDS, verify_limit
from smooth_lms.lms.certificates.verification import explanation, verified

no_cache = 1

checked = rate_limit(limit=verify_limit, seconds=VERIFY_SECONDS)(verified)


def get_context(context):
	context.no_cache = 1
	context.title = _("Verify a Certificate")
	try:
		facts = checked(frappe.form_dict.get("certificate"))
	except frappe.DoesNotExistError:
		frappe.local.message_log = []
		raise frappe.PageDoesNotExistError from None
	except frappe.RateLimitExceededError:
		frappe.local.message_log = []
		context.rate_limited = True
		context.http_status_code = 429
		return context
	context.facts = facts
	context.explanation = explanation(facts["status"])
	context.issue_date = formatdate(facts["issue_date"], "d MMMM yyyy") if facts["issue_date"] else ""
	context.valid_until = formatdate(facts["valid_until"], "d MMMM yyyy") if facts["valid_until"] else ""
	context.status_class = facts["status"].lower()
	return context
