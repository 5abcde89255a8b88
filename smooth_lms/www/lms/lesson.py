"""/lms/courses/<course>/lessons/<lesson>: one lesson of a published course, then what finishes it —
Mark as Complete, its quiz or its acknowledgement (website_route_rules in hooks.py map the address here;
portal.lesson_page builds what it shows)."""

from urllib.parse import quote

import frappe

from smooth_lms.lms.portal.display import is_guest
from smooth_lms.lms.portal.lesson_page import lesson_page
from smooth_lms.lms.routes import COURSES_ROUTE, lesson_url

no_cache = 1


def get_context(context):
	context.no_cache = 1  # the page shows the session user's own progress and attempts
	context.update(lesson_page(frappe.form_dict.get("course"), frappe.form_dict.get("lesson")))
	context.title = context.lesson.title
	context.is_guest = is_guest()
	context.courses_route = COURSES_ROUTE
	context.login_url = "/login?redirect-to=" + quote(lesson_url(context.course.name, context.lesson.name))
	return context
