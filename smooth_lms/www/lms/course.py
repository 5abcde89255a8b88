"""/lms/courses/<course>: a published course's lessons; an enrolled learner reads them and marks them
complete (website_route_rules in hooks.py map the address here)."""

from urllib.parse import quote

import frappe

from smooth_lms.lms.portal.course_page import course_page
from smooth_lms.lms.portal.display import is_guest
from smooth_lms.lms.routes import COURSES_ROUTE, course_url

no_cache = 1


def get_context(context):
	context.no_cache = 1  # the page shows the session user's own progress
	context.update(course_page(frappe.form_dict.get("course")))
	context.title = context.course.title
	context.is_guest = is_guest()
	context.courses_route = COURSES_ROUTE
	context.login_url = "/login?redirect-to=" + quote(course_url(context.course.name))
	return context
