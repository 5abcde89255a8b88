"""/lms/my-team: a manager's view of their direct reports' training, and its whitelisted method."""

import frappe

from smooth_lms.lms.framework.guards import guarded
from smooth_lms.lms.notifications.manager_digest import digest_preference, require_team_login
from smooth_lms.lms.people.team import team_members, team_rows
from smooth_lms.lms.reporting.rows import summarise


def team_training(manager_user: str) -> dict:
	"""What /lms/my-team and `get_my_team_training` show: {"reports", "rows", "summary", "digest"}."""
	members = team_members(manager_user)
	rows = team_rows(manager_user, members)
	return {
		"reports": members,
		"rows": rows,
		"summary": team_summary(members, rows),
		"digest": digest_preference(manager_user),
	}


def team_summary(members: list[dict], rows: list[dict]) -> dict:
	"""{"reports", "total", "pending", "in_progress", "completed", "overdue", "completion_rate", ...}: the
	people, and the counts of get_team_training_status's summary over their rows."""
	return {"reports": len(members), **summarise(rows)}


# allow_guest only so that a Guest is told to log in (403 with that message) rather than a bare
# "Not permitted": the guard's first step refuses Guest.
@frappe.whitelist(allow_guest=True)
@guarded(require_team_login)
def get_my_team_training() -> dict:
	"""The mandatory training of the session user's direct reports (empty lists for someone who manages
	nobody): {"reports": [...], "rows": [...], "summary": {...}, "digest": {...}}."""
	return team_training(frappe.session.user)
