"""/lms/courses: the published catalogue and, for a signed-in learner, their Mandatory Training."""

import frappe
from frappe import _

from smooth_lms.lms.doctypes import ASSIGNMENT
from smooth_lms.lms.framework.roles import sees_every_row
from smooth_lms.lms.portal.catalogue import catalogue
from smooth_lms.lms.portal.display import is_guest
from smooth_lms.lms.portal.training import my_training, training_summary

no_cache = 1


def get_context(context):
	context.no_cache = 1  # the page shows the session user's own training
	user = frappe.session.user
	context.title = _("Courses")
	context.is_guest = is_guest(user)
	context.training = my_training()
	# "Mandatory" on a course of the catalogue: the learner's own mandatory training, the list above it.
	context.courses = catalogue(user, assigned={row["course"] for row in context.training})
	context.training_summary = training_summary(context.training)
	context.show_statistics_link = not context.is_guest and sees_every_row(ASSIGNMENT)
	context.login_url = "/login?redirect-to=/lms/courses"
	return context
