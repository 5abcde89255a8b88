"""The Learning workspace's number cards: the company's compliance today, as the reports count it, and where
a click on each opens — a report showing exactly the rows the card counts, counted the same way.

A Custom Number Card calls its method from the browser (frappe.xcall): each is whitelisted, and the counts
are the company's compliance, so only the people who see everyone's training get them (403 for anyone
else). `filters` (what the card widget sends) is not used. Besides `value`, each answers `route` and
`route_options`, which the card widget opens on a click (number_card_widget.set_route_for_custom_card).

- Assigned, Completed, Overdue Trainings: assignments (reporting.counts), leavers left out, as the
  Mandatory Training Compliance report and /lms/statistics count them. A click opens the Training
  Assignment Status report (with its Status filter for Completed and Overdue): the same assignments, one
  row each, chosen by the same status and leaver rules. The list of assignments cannot be that place: a
  list filter cannot leave leavers out.
- Trainings Expiring Soon, Expired Trainings: people x courses they owe whose completion that counts is
  inside its renewal window or has expired (validity.states), as the Compliance Matrix counts them. Kept
  ten minutes: the workspace reloads its cards on every visit, and the states of 20,000 people x 5 courses
  take seconds. A click opens the Compliance Matrix with its State filter: the people with such a cell,
  and the cells counted in its summary.
"""

from urllib.parse import quote, urlencode

import frappe

from smooth_lms.lms.framework.guards import guarded
from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.reporting.counts import compliance_counts
from smooth_lms.lms.training_rules import COMPLETED, EXPIRED, EXPIRING_SOON, OVERDUE
from smooth_lms.lms.validity.states import compliance_states, state_counts

CARD_COUNTS_KEY, CARD_COUNTS_TTL = "smooth_lms:compliance_state_counts", 600
ASSIGNMENTS_REPORT = "Training Assignment Status"  # report/training_assignment_status
MATRIX_REPORT = "Compliance Matrix"  # report/compliance_matrix


@frappe.whitelist()
@guarded(require_training_viewer)
def assigned_trainings(filters: str | list | dict | None = None) -> dict:
	"""Number card "Assigned Trainings"."""
	return _card(compliance_counts()["assigned"], *assignments_destination(None))


@frappe.whitelist()
@guarded(require_training_viewer)
def completed_trainings(filters: str | list | dict | None = None) -> dict:
	"""Number card "Completed Trainings"."""
	return _card(compliance_counts()["completed"], *assignments_destination(COMPLETED))


@frappe.whitelist()
@guarded(require_training_viewer)
def overdue_trainings(filters: str | list | dict | None = None) -> dict:
	"""Number card "Overdue Trainings"."""
	return _card(compliance_counts()["overdue"], *assignments_destination(OVERDUE))


@frappe.whitelist()
@guarded(require_training_viewer)
def expiring_soon_trainings(filters: str | list | dict | None = None) -> dict:
	"""Number card "Trainings Expiring Soon"."""
	return _card(company_state_counts()[EXPIRING_SOON], *matrix_destination(EXPIRING_SOON))


@frappe.whitelist()
@guarded(require_training_viewer)
def expired_trainings(filters: str | list | dict | None = None) -> dict:
	"""Number card "Expired Trainings"."""
	return _card(company_state_counts()[EXPIRED], *matrix_destination(EXPIRED))


def company_state_counts() -> dict[str, int]:
	"""state_counts of everyone, kept CARD_COUNTS_TTL seconds."""
	counts = frappe.cache.get_value(CARD_COUNTS_KEY, expires=True)
	if counts is None:
		counts = state_counts(compliance_states())
		frappe.cache.set_value(CARD_COUNTS_KEY, counts, expires_in_sec=CARD_COUNTS_TTL)
	return counts


def assignments_destination(status: str | None, include_leavers: bool = False) -> tuple[list, dict]:
	"""(route, route_options) of the Training Assignment Status report showing the assignments
	compliance_counts counts under `status` (all of them for None). Every filter of the report the counts
	depend on is named, so a report already open with other filters shows these."""
	return ["query-report", ASSIGNMENTS_REPORT], {
		"status": status or "",
		"include_leavers": int(include_leavers),
	}


def matrix_destination(state: str) -> tuple[list, dict]:
	"""(route, route_options) of the Compliance Matrix showing the cells in `state` (the report sets its
	other filters back to their defaults when it is opened with route options)."""
	return ["query-report", MATRIX_REPORT], {"state": state}


def desk_url(route: list, route_options: dict) -> str:
	"""A destination as a desk URL, for links from outside the desk (/lms/statistics)."""
	query = urlencode({key: value for key, value in route_options.items() if value not in ("", None, 0)})
	return "/app/" + "/".join(quote(str(part)) for part in route) + (f"?{query}" if query else "")


def _card(value: int, route: list, route_options: dict) -> dict:
	return {"value": value, "fieldtype": "Int", "route": route, "route_options": route_options}
