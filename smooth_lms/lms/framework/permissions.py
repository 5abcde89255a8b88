"""Row-level visibility: learners see only their own enrollments, lesson completions and assignments;
unpublished courses are visible only to the people who build them.

Wired in hooks.py (permission_query_conditions for lists, has_permission for single documents), so
the same rule holds in the desk, in frappe.get_list and over /api/resource. Who sees every row is read
from each DocType's permissions (framework.roles.sees_every_row), never from a list kept here.
"""

import frappe

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, COURSE_PROGRESS, ENROLLMENT
from smooth_lms.lms.framework.roles import may_edit_courses, sees_every_row

# The learner-owned DocTypes and the field naming the learner a row belongs to.
OWNER_FIELDS = {ASSIGNMENT: "employee", ENROLLMENT: "member", COURSE_PROGRESS: "member"}


def assignment_query_conditions(user: str | None = None) -> str:
	return _owner_condition(ASSIGNMENT, user)


def enrollment_query_conditions(user: str | None = None) -> str:
	return _owner_condition(ENROLLMENT, user)


def course_progress_query_conditions(user: str | None = None) -> str:
	return _owner_condition(COURSE_PROGRESS, user)


def has_learner_record_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	user = user or frappe.session.user
	return sees_every_row(doc.doctype, user) or doc.get(OWNER_FIELDS[doc.doctype]) == user


def course_query_conditions(user: str | None = None) -> str:
	if may_edit_courses(user):
		return ""
	return f"`tab{COURSE}`.`published` = 1"


def has_course_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	return bool(doc.get("published")) or may_edit_courses(user)


def _owner_condition(doctype: str, user: str | None) -> str:
	user = user or frappe.session.user
	if sees_every_row(doctype, user):
		return ""
	return f"`tab{doctype}`.`{OWNER_FIELDS[doctype]}` = {frappe.db.escape(user)}"
