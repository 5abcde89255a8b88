"""The one way the app sends email: one message per recipient, through Frappe's Email Queue (never sent
inline, sent by Frappe's own scheduler job), each referring to one of the assignments it is about.

Learner emails (learner_emails) and manager digests (manager_digest) both go through `send_grouped`.
Without an outgoing Email Account nothing is queued and nothing is recorded as sent by the callers, so
the messages go out once one is set up; the Error Log says so when the caller asks.
"""

import html
from collections.abc import Callable
from itertools import groupby

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import strip_html

from smooth_lms.lms.doctypes import ASSIGNMENT
from smooth_lms.lms.framework.plurals import plural

# compose(rows of one recipient) -> (email address, subject, template args), or None to skip them.
Compose = Callable[[list[dict]], tuple[str, str, dict] | None]


def send_grouped(
	rows: list[dict], key: str, template: str, compose: Compose, log_title: str | None = None
) -> dict[str, list[dict]]:
	"""Queue one email per value of `key` (rows come ordered by it), made by `compose` with the email
	template `template` (smooth_lms/templates/emails/). Returns {recipient key: their rows} for those
	mailed. `log_title`: without an outgoing Email Account, say so in the Error Log under this title
	(None: skip quietly)."""
	if not rows:
		return {}
	if not has_outgoing_account():
		if log_title:
			emails = len({row[key] for row in rows})
			frappe.log_error(
				title=log_title,
				message=plural(
					emails,
					_("No outgoing Email Account is set up: {0} email was not queued."),
					_("No outgoing Email Account is set up: {0} emails were not queued."),
				).format(emails),
			)
		return {}
	mailed = {}
	for recipient_key, own_rows in groupby(rows, key=lambda row: row[key]):
		own_rows = list(own_rows)
		message = compose(own_rows)
		if not message:
			continue
		address, subject, args = message
		frappe.sendmail(
			recipients=[address],
			subject=subject,
			template=template,
			args=args,
			reference_doctype=ASSIGNMENT,
			reference_name=own_rows[0]["name"],
			delayed=True,  # through the Email Queue, sent by its own scheduler job
		)
		mailed[recipient_key] = own_rows
	return mailed


def has_outgoing_account() -> bool:
	return bool(EmailAccount.find_outgoing(match_by_doctype=ASSIGNMENT))


def plain(text: str) -> str:
	"""Text for a subject line: Frappe stores a Data value with markup as sanitized HTML. Tags the
	unescaping brings back are stripped too: Frappe prints the subject raw into the email's <title>."""
	return strip_html(html.unescape(strip_html(text or "")))
