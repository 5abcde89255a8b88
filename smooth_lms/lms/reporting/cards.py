"""The Learning workspace's number cards: the company's compliance today, as the reports count it.

A Custom Number Card calls its method from the browser (frappe.xcall): each is whitelisted, and the counts
are the company's compliance, so only the people who see everyone's training get them (403 for anyone
else). `filters` (what the card widget sends) is not used.

- Assigned, Completed, Overdue Trainings: assignments (reporting.counts), leavers left out, as the
  Mandatory Training Compliance report and /lms/statistics count them.
- Expiring Soon, Expired: people x courses they owe whose completion that counts is inside its renewal
  window or has expired (validity.states), as the Compliance Matrix counts them. Kept ten minutes: the
  workspace reloads its cards on every visit, and the states of 20,000 people x 5 courses take seconds.
"""

import frappe

from smooth_lms.lms.framework.guards import guarded
from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.reporting.counts import compliance_counts
from smooth_lms.lms.training_rules import EXPIRED, EXPIRING_SOON
from smooth_lms.lms.validity.states import compliance_states, state_counts

CARD_COUNTS_KEY, CARD_COUNTS_TTL = "smooth_lms:compliance_state_counts", 600


@frappe.whitelist()
@guarded(require_training_viewer)
def assigned_trainings(filters: str | list | dict | None = None) -> dict:
	"""Number card "Assigned Trainings"."""
	return {"value": compliance_counts()["assigned"], "fieldtype": "Int"}


@frappe.whitelist()
@guarded(require_training_viewer)
def completed_trainings(filters: str | list | dict | None = None) -> dict:
	"""Number card "Completed Trainings"."""
	return {"value": compliance_counts()["completed"], "fieldtype": "Int"}


@frappe.whitelist()
@guarded(require_training_viewer)
def overdue_trainings(filters: str | list | dict | None = None) -> dict:
	"""Number card "Overdue Trainings"."""
	return {"value": compliance_counts()["overdue"], "fieldtype": "Int"}


@frappe.whitelist()
@guarded(require_training_viewer)
def expiring_soon_trainings(filters: str | list | dict | None = None) -> dict:
	"""Number card "Expiring Soon Trainings"."""
	return {"value": company_state_counts()[EXPIRING_SOON], "fieldtype": "Int"}


@frappe.whitelist()
@guarded(require_training_viewer)
def expired_trainings(filters: str | list | dict | None = None) -> dict:
	"""Number card "Expired Trainings"."""
	return {"value": company_state_counts()[EXPIRED], "fieldtype": "Int"}


def company_state_counts() -> dict[str, int]:
	"""state_counts of everyone, kept CARD_COUNTS_TTL seconds."""
	counts = frappe.cache.get_value(CARD_COUNTS_KEY, expires=True)
	if counts is None:
		counts = state_counts(compliance_states())
		frappe.cache.set_value(CARD_COUNTS_KEY, counts, expires_in_sec=CARD_COUNTS_TTL)
	return counts
