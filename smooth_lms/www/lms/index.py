"""/lms: the learner's home. Their Mandatory Training first (the same section as /lms/courses), then
where to go next: every course, their team's training if anyone reports to them, the compliance
statistics if their role allows. Guests get a login prompt."""

import frappe
from frappe import _

from smooth_lms.lms.doctypes import ASSIGNMENT
from smooth_lms.lms.framework.roles import sees_every_row
from smooth_lms.lms.people.team import team_members
from smooth_lms.lms.portal.display import is_guest
from smooth_lms.lms.portal.training import my_training, training_summary
from smooth_lms.lms.routes import COURSES_ROUTE, HOME_ROUTE, MY_TEAM_ROUTE

no_cache = 1


def get_context(context):
	context.no_cache = 1  # the page shows the session user's own training
	user = frappe.session.user
	context.title = _("My Learning")
	context.is_guest = is_guest(user)
	context.login_url = f"/login?redirect-to={HOME_ROUTE}"
	context.courses_route = COURSES_ROUTE
	context.my_team_route = MY_TEAM_ROUTE
	context.training = my_training()
	context.training_summary = training_summary(context.training)
	context.team_size = 0 if context.is_guest else len(team_members(user))
	context.show_statistics_link = not context.is_guest and sees_every_row(ASSIGNMENT)
	return context
