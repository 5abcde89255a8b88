"""Row-level visibility: learners see only their own enrollments, lesson completions and assignments;
unpublished courses are visible only to the people who build them.

Wired in hooks.py (permission_query_conditions for lists, has_permission for single documents), so
the same rule holds in the desk, in frappe.get_list and over /api/resource.
"""

import frappe

from smooth_lms.lms.roles import COURSE_CREATOR, COURSE_EDITORS, TRAINING_VIEWERS, has_any_role

# Who sees every row of a learner-owned DocType: DocType -> (owner field, roles that see all rows).
LEARNER_OWNED = {
	"LMS Training Assignment": ("employee", TRAINING_VIEWERS),
	"LMS Enrollment": ("member", (*TRAINING_VIEWERS, COURSE_CREATOR)),
	"LMS Course Progress": ("member", TRAINING_VIEWERS),
}


def _owner_condition(doctype: str, user: str | None) -> str:
	user = user or frappe.session.user
	owner_field, all_rows = LEARNER_OWNED[doctype]
	if has_any_role(all_rows, user):
		return ""
	return f"`tab{doctype}`.`{owner_field}` = {frappe.db.escape(user)}"


def _owns(doc, user: str | None) -> bool:
	user = user or frappe.session.user
	owner_field, all_rows = LEARNER_OWNED[doc.doctype]
	return has_any_role(all_rows, user) or doc.get(owner_field) == user


def assignment_query_conditions(user: str | None = None) -> str:
	return _owner_condition("LMS Training Assignment", user)


def enrollment_query_conditions(user: str | None = None) -> str:
	return _owner_condition("LMS Enrollment", user)


def course_progress_query_conditions(user: str | None = None) -> str:
	return _owner_condition("LMS Course Progress", user)


def has_learner_record_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	return _owns(doc, user)


def course_query_conditions(user: str | None = None) -> str:
	if has_any_role(COURSE_EDITORS, user or frappe.session.user):
		return ""
	return "`tabLMS Course`.`published` = 1"


def has_course_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	return bool(doc.get("published")) or has_any_role(COURSE_EDITORS, user or frappe.session.user)
