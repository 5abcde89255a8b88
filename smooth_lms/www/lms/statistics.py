"""/lms/statistics: the Mandatory Training Compliance widget, for Moderator, HR Manager and System
Manager (anyone else gets the 403 page). Leavers are left out unless ?include_leavers=1.

"See who is late" opens where the Overdue Trainings card opens (reporting.cards): the Training Assignment
Status report of the overdue assignments, leavers left out or not as on this page — the rows of the
number beside the link."""

import frappe
from frappe import _
from frappe.utils import cint

from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.reporting.cards import assignments_destination, desk_url
from smooth_lms.lms.reporting.counts import compliance_by_course, compliance_counts
from smooth_lms.lms.training_rules import OVERDUE

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
	context.late_url = desk_url(*assignments_destination(OVERDUE, include_leavers))
	return context
