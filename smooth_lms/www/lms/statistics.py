"""/lms/statistics: the Mandatory Training Compliance widget, for Moderator, HR Manager and System
Manager (anyone else gets the 403 page). Leavers are left out unless ?include_leavers=1."""

import frappe
from frappe import _
from frappe.utils import cint

from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.reporting.counts import compliance_by_course, compliance_counts

no_cache = 1


def get_context(context):
	context.no_cache = 1
	require_training_viewer()
	include_leavers = bool(cint(frappe.form_dict.get("include_leavers")))
	context.title = _("Mandatory Training Compliance")
	context.include_leavers = include_leavers
	context.counts = compliance_counts(include_leavers=include_leavers)
	context.by_course = compliance_by_course(include_leavers=include_leavers)
	context.desk_list = "/app/lms-training-assignment"
	return context
