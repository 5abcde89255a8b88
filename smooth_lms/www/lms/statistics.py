"""/lms/statistics: the Mandatory Training Compliance widget, for Moderator, HR Manager and System
Manager (anyone else gets the 403 page)."""

from frappe import _

from smooth_lms.lms.compliance import compliance_by_course, compliance_counts, require_compliance_viewer

no_cache = 1


def get_context(context):
	context.no_cache = 1
	require_compliance_viewer()
	context.title = _("Mandatory Training Compliance")
	context.counts = compliance_counts()
	context.by_course = compliance_by_course()
	context.desk_list = "/app/lms-training-assignment"
	return context
