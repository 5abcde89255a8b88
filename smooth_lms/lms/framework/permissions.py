"""Row-level visibility: learners see only their own enrollments, lesson completions and assignments;
unpublished courses are visible only to the people who build them.

Wired in hooks.py (permission_query_conditions for lists, has_permission for single documents), so
the same rule holds in the desk, in frappe.get_list and over /api/resource. Who sees every row is read
from each DocType's permissions (framework.roles.sees_every_row), never from a list kept here.

The same rule reaches the rows that hang off those records, where Frappe reads them without asking the
record (framework.generic_endpoints has the endpoints that need more than a rule):
- child tables: Frappe lets anyone who reads the parent DocType list every row of a child table
  (frappe.client.get_list with `parent`), so a due date extension is listed only with its assignment,
  a lesson or audience row only with its course;
- files: a File attached to a learner's record, or to a draft course, is listed and read only by those
  who read that record — whether the file is private or public, and whatever the reader's desk access
  (Frappe's own rule lists every file attached to a DocType the user may read);
- users' role and default rows (Has Role, DefaultValue): every user may read their own User document
  (Frappe shares it with them), which lets them list the child rows of *every* user — each learner's
  email, the LMS Student role the app grants, the app's digest choice. They are listed to their own user
  and to those whose role reads users.
"""

import frappe

from smooth_lms.lms.doctypes import (
	ACKNOWLEDGEMENT,
	ASSIGNMENT,
	ATTEMPT_GRANT,
	AUDIENCE,
	CERTIFICATE,
	COURSE,
	COURSE_PROGRESS,
	ENROLLMENT,
	EXTENSION,
	LESSON,
	QUESTION,
	QUESTION_OPTION,
	QUIZ,
	QUIZ_QUESTION,
	QUIZ_SUBMISSION,
	SCORM_ATTEMPT,
	SUBMISSION_ANSWER,
	USER,
)
from smooth_lms.lms.framework.roles import may_edit_courses, roles_with, sees_every_row
from smooth_lms.lms.quiz import review

# The learner-owned DocTypes and the field naming the learner a row belongs to.
OWNER_FIELDS = {
	ASSIGNMENT: "employee",
	ENROLLMENT: "member",
	COURSE_PROGRESS: "member",
	QUIZ_SUBMISSION: "member",
	ACKNOWLEDGEMENT: "member",
	CERTIFICATE: "member",
	SCORM_ATTEMPT: "member",
}
# Child tables: their DocType -> the parent DocType whose rows decide who reads them.
CHILD_PARENTS = {
	EXTENSION: ASSIGNMENT,
	ATTEMPT_GRANT: ASSIGNMENT,
	LESSON: COURSE,
	AUDIENCE: COURSE,
	QUESTION_OPTION: QUESTION,
	QUIZ_QUESTION: QUIZ,
	SUBMISSION_ANSWER: QUIZ_SUBMISSION,
}


def assignment_query_conditions(user: str | None = None) -> str:
	return _owner_condition(ASSIGNMENT, user)


def enrollment_query_conditions(user: str | None = None) -> str:
	return _owner_condition(ENROLLMENT, user)


def course_progress_query_conditions(user: str | None = None) -> str:
	return _owner_condition(COURSE_PROGRESS, user)


def proof_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Quiz submissions, acknowledgements, certificates: a learner lists their own (Frappe passes the
	DocType); of their quiz submissions, those whose answers the quiz shows them (quiz.review)."""
	return ROW_RULES[doctype](user or frappe.session.user)


def has_learner_record_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	user = user or frappe.session.user
	return sees_every_row(doc.doctype, user) or doc.get(OWNER_FIELDS[doc.doctype]) == user


def course_query_conditions(user: str | None = None) -> str:
	if may_edit_courses(user):
		return ""
	return f"`tab{COURSE}`.`published` = 1"


def has_course_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool:
	return bool(doc.get("published")) or may_edit_courses(user)


def child_row_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""A child table's rows (CHILD_PARENTS) are listed only with a parent the user reads. Frappe passes
	the DocType being listed (DatabaseQuery.get_permission_query_conditions)."""
	parent = CHILD_PARENTS[doctype]
	readable = readable_rows(parent, user or frappe.session.user)
	return f"`tab{doctype}`.`parent` in ({readable})" if readable else ""


def file_query_conditions(user: str | None = None) -> str:
	"""Files attached to a row of the app's DocTypes are listed only with that row. Other files are left
	to Frappe's own rule (ANDed with this one)."""
	user = user or frappe.session.user
	hidden = {doctype: readable_rows(doctype, user) for doctype in ROW_RULES}
	hidden = {doctype: readable for doctype, readable in hidden.items() if readable}
	if not hidden:
		return ""
	doctypes = ", ".join(frappe.db.escape(doctype) for doctype in hidden)
	allowed = [f"ifnull(`tabFile`.`attached_to_doctype`, '') not in ({doctypes})"]
	allowed += [
		f"(`tabFile`.`attached_to_doctype` = {frappe.db.escape(doctype)}"
		f" and `tabFile`.`attached_to_name` in ({readable}))"
		for doctype, readable in hidden.items()
	]
	return "(" + " or ".join(allowed) + ")"


def has_file_permission(doc, ptype: str | None = None, user: str | None = None, **kwargs) -> bool | None:
	"""Refuse a File attached to a row of the app's DocTypes that the user does not read (a public file
	too: Frappe lets anyone read a public File document, and so its `attached_to_name`). Anything else
	is Frappe's decision (None: the next has_permission hook, Frappe's own, decides)."""
	readable = readable_rows(doc.get("attached_to_doctype"), user or frappe.session.user)
	if not readable or not doc.get("attached_to_name"):
		return None
	if frappe.db.sql(f"select 1 from ({readable}) readable where readable.name = %s", doc.attached_to_name):
		return None
	return False


def has_role_query_conditions(user: str | None = None) -> str:
	"""A user's roles are listed to that user and to those whose role reads users."""
	user = user or frappe.session.user
	if _reads_users(user):
		return ""
	return (
		f"(ifnull(`tabHas Role`.`parenttype`, '') != {frappe.db.escape(USER)}"
		f" or `tabHas Role`.`parent` = {frappe.db.escape(user)})"
	)


def default_value_query_conditions(user: str | None = None) -> str:
	"""A user's defaults (parent: the user's name; Frappe stores every default with parenttype
	`__default`) are listed to that user and to those whose role reads users; the site's own defaults
	(parent `__default`, `__global`) are left as Frappe has them."""
	user = user or frappe.session.user
	if _reads_users(user):
		return ""
	return (
		f"(`tabDefaultValue`.`parent` = {frappe.db.escape(user)}"
		f" or `tabDefaultValue`.`parent` not in (select `name` from `tab{USER}`))"
	)


def readable_rows(doctype: str | None, user: str) -> str | None:
	"""A subquery of the names of `doctype`'s rows the user reads, for a DocType with a row rule here
	that hides some of them from this user; None when the user reads every row (or the DocType has no
	row rule here)."""
	rule = ROW_RULES.get(doctype)
	condition = rule(user) if rule else ""
	if not condition:
		return None
	return f"select `name` from `tab{doctype}` where {condition}"


def _owner_condition(doctype: str, user: str | None) -> str:
	user = user or frappe.session.user
	if sees_every_row(doctype, user):
		return ""
	return f"`tab{doctype}`.`{OWNER_FIELDS[doctype]}` = {frappe.db.escape(user)}"


def _submission_condition(user: str) -> str:
	condition = _owner_condition(QUIZ_SUBMISSION, user)
	return f"({condition} and {review.learner_list_condition()})" if condition else ""


def _reads_users(user: str) -> bool:
	return user == "Administrator" or bool(roles_with(USER, "read") & set(frappe.get_roles(user)))


# Each DocType with a row rule: its list condition for a user ("" when they read every row).
ROW_RULES = {
	ASSIGNMENT: assignment_query_conditions,
	ENROLLMENT: enrollment_query_conditions,
	COURSE_PROGRESS: course_progress_query_conditions,
	COURSE: course_query_conditions,
	QUIZ_SUBMISSION: _submission_condition,
	ACKNOWLEDGEMENT: lambda user: _owner_condition(ACKNOWLEDGEMENT, user),
	CERTIFICATE: lambda user: _owner_condition(CERTIFICATE, user),
	SCORM_ATTEMPT: lambda user: _owner_condition(SCORM_ATTEMPT, user),
}
