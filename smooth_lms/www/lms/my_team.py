"""/lms/my-team: the mandatory training of the signed-in user's direct reports, person by person, and
the manager's overdue-digest switch where HR allows digests. Guests get a login prompt; someone who
manages nobody is told so. No desk access needed."""

import frappe
from frappe import _

from smooth_lms.lms.portal.display import is_guest
from smooth_lms.lms.portal.team import team_training
from smooth_lms.lms.portal.training import training_row
from smooth_lms.lms.routes import MY_TEAM_ROUTE
from smooth_lms.lms.training_rules import COMPLETED

no_cache = 1


def get_context(context):
	context.no_cache = 1  # the page shows the session user's own team
	user = frappe.session.user
	context.title = _("My Team")
	context.is_guest = is_guest(user)
	context.login_url = f"/login?redirect-to={MY_TEAM_ROUTE}"
	context.members = []
	if context.is_guest:
		return context
	team = team_training(user)
	rows_of: dict[str, list[dict]] = {}
	for row in team["rows"]:
		rows_of.setdefault(row["employee"], []).append(training_row(row))
	for member in team["reports"]:
		own = rows_of.get(member["employee"], [])
		context.members.append(
			{
				**member,
				"rows": own,
				"completed": sum(1 for row in own if row["status"] == COMPLETED),
				"overdue": sum(1 for row in own if row["is_overdue"]),
			}
		)
	context.summary = team["summary"]
	context.digest = team["digest"]
	return context
