"""Email in the integration tests: an outgoing account for the test transaction, and the one reader of
the Email Queue (real rows, parsed as a mail client reads them)."""

import email
import email.policy
from typing import NamedTuple

import frappe


class QueuedEmail(NamedTuple):
	subject: str
	body: str  # the HTML part


def use_outgoing_email_account() -> None:
	"""An outgoing account for the test transaction (Frappe skips the SMTP check in tests)."""
	if not frappe.db.exists("Email Account", "_Test LMS Outgoing"):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_Test LMS Outgoing",
				"email_id": "lms-outgoing@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
	forget_email_accounts()


def forget_email_accounts() -> None:
	# EmailAccount.find_outgoing caches its answer on frappe.local for the whole process.
	frappe.local.outgoing_email_account = {}


def queued_emails(recipient: str, about: str | None = None) -> list[QueuedEmail]:
	"""The emails in the Email Queue for a recipient, oldest first: (subject, HTML body) each.

	With `about` (a DocType), every one of them must also be about a document of that DocType and still
	waiting in the queue (Not Sent): the app queues its emails, it never sends them inline."""
	queue = frappe.qb.DocType("Email Queue")
	to = frappe.qb.DocType("Email Queue Recipient")
	rows = (
		frappe.qb.from_(queue)
		.join(to)
		.on(to.parent == queue.name)
		.select(queue.message, queue.reference_doctype, queue.status)
		.where(to.recipient == recipient)
		.orderby(queue.creation)
		.run(as_dict=True)
	)
	if about:
		for row in rows:
			assert row.reference_doctype == about, row.reference_doctype
			assert row.status == "Not Sent", row.status  # queued, not sent inline
	messages = [email.message_from_string(row.message, policy=email.policy.default) for row in rows]
	return [
		QueuedEmail(str(m["Subject"]), m.get_body(preferencelist=("html",)).get_content()) for m in messages
	]
