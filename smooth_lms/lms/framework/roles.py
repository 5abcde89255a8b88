"""Who may do what, read from the DocTypes' own permissions (DocPerm and Custom DocPerm), as Frappe's
ToDo does (frappe/desk/doctype/todo/todo.py): no list of roles is copied anywhere else.

- Assign training (`require_assigner`): create permission on LMS Training Assignment.
- Keep a person's training record — record a completion done elsewhere, extend a due date
  (`require_record_keeper`): write permission on LMS Training Assignment.
- See everyone's training and compliance (`require_training_viewer`): read permission on LMS Training
  Assignment through a role other than the learner's. The learner's role (LMS Student) reads only their
  own rows (framework.permissions); it is the one role named here, because that is its meaning.
- Edit courses, and see drafts (`may_edit_courses`): write permission on LMS Course.
- Analyse how a quiz's questions are answered (`require_quiz_author`, Quiz Item Analysis): write permission
  on LMS Quiz — the people who write quizzes, not HR, not learners.

The roles the app creates on install and migrate are named here too, and `grant_role` gives a role to
learners once, whatever the concurrency.
"""

import frappe
from frappe import _
from frappe.permissions import AUTOMATIC_ROLES as FRAPPE_AUTOMATIC_ROLES
from frappe.query_builder import DocType
from frappe.utils import comma_or, now_datetime

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, QUIZ
from smooth_lms.lms.framework.batches import chunked

LMS_STUDENT = "LMS Student"
MODERATOR = "Moderator"
COURSE_CREATOR = "Course Creator"
HR_MANAGER = "HR Manager"
# Roles every user holds, or that Frappe gives by itself: never a sign of a privilege.
AUTOMATIC_ROLES = frozenset(FRAPPE_AUTOMATIC_ROLES)
# Roles whose read permission means "their own rows only" (framework.permissions).
LEARNER_ROLES = frozenset({LMS_STUDENT})

# Roles the app creates on install and migrate: name -> desk access. HR Manager belongs to Smooth HR;
# it is created here too so that permissions naming it work on a site without HRMS.
APP_ROLES = {LMS_STUDENT: 0, MODERATOR: 1, COURSE_CREATOR: 1, HR_MANAGER: 1}
# The row of tabSeries that serialises role grants (never a naming series: no prefix ends with it).
GRANT_LOCK = "smooth_lms_role_grants"


def roles_with(doctype: str, ptype: str = "read") -> set[str]:
	"""The roles the DocType's permissions (permlevel 0, Custom DocPerm included) grant `ptype`, but the
	automatic ones."""
	return {
		perm.role
		for perm in frappe.get_meta(doctype).permissions
		if perm.get(ptype) and not perm.permlevel and not perm.if_owner
	} - AUTOMATIC_ROLES


def sees_every_row(doctype: str, user: str | None = None) -> bool:
	"""The user reads every row of a learner-owned DocType: a role of theirs may read it that is not a
	learner's role (which reads only the learner's own rows)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return bool((roles_with(doctype, "read") - LEARNER_ROLES) & set(frappe.get_roles(user)))


def may_edit_courses(user: str | None = None) -> bool:
	"""Write permission on LMS Course: the people who build courses, and see them as drafts."""
	return bool(frappe.has_permission(COURSE, "write", user=user or frappe.session.user))


def require_assigner() -> None:
	"""Assigning training: create permission on LMS Training Assignment (Guest and everyone else: 403)."""
	if frappe.session.user == "Guest" or not frappe.has_permission(ASSIGNMENT, "create"):
		_refuse(_("Assigning training needs the {0} role."), ASSIGNMENT, "create")


def require_record_keeper(message: str | None = None) -> None:
	"""Recording a completion done elsewhere, extending a due date, granting quiz attempts: write
	permission on LMS Training Assignment (403 for anyone else; `message` names the task, with {0} for
	the roles)."""
	if frappe.session.user == "Guest" or not frappe.has_permission(ASSIGNMENT, "write"):
		message = message or _("Recording training and extending due dates needs the {0} role.")
		_refuse(message, ASSIGNMENT, "write")


def require_training_viewer() -> None:
	"""Everyone's training and compliance: reading every LMS Training Assignment (others: 403)."""
	if frappe.session.user == "Guest" or not sees_every_row(ASSIGNMENT):
		_refuse(_("Training status and compliance need the {0} role."), ASSIGNMENT, "read")


def require_quiz_author(message: str | None = None) -> None:
	"""Reading how a quiz's questions are answered, to improve them: write permission on LMS Quiz (403 for
	anyone else; `message` names the task, with {0} for the roles)."""
	if frappe.session.user == "Guest" or not frappe.has_permission(QUIZ, "write"):
		_refuse(message or _("Analysing quizzes needs the {0} role."), QUIZ, "write")


def ensure_roles() -> None:
	for role, desk_access in APP_ROLES.items():
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": desk_access}).insert(
				ignore_permissions=True  # install / migrate runs as Administrator or with no session at all
			)


def grant_role(users: list[str], role: str) -> list[str]:
	"""Give `role` to every user lacking it, once whatever the concurrency (`_lock_grants`). Returns the
	users who lacked it.

	Set-wise, one read, then for those lacking it the lock and one INSERT ... SELECT per 1,000 users:
	Frappe's `User.add_roles` saves each user document (about 500 statements and 0.35 s a user), which
	`scripts/benchmark assign` puts at 28 minutes for 4,800 new learners where this takes 0.3 s (2-core
	machine). A user who holds the role already costs the one read and no lock."""
	candidates = [user for user in dict.fromkeys(users) if user not in ("Guest", "Administrator")]
	lacking = _lacking(candidates, role) if candidates else []
	if not lacking:
		return []
	_lock_grants()
	now, session_user = now_datetime(), frappe.session.user
	for batch in chunked(lacking):
		# The SELECT of an INSERT ... SELECT reads what is committed now, not this transaction's snapshot:
		# a grant committed by a request that held the lock before us is seen, and not made twice.
		frappe.db.sql(
			"""insert into `tabHas Role`
				(`name`, `creation`, `modified`, `modified_by`, `owner`, `docstatus`, `idx`,
				`parent`, `parenttype`, `parentfield`, `role`)
			select left(sha2(concat(%(salt)s, u.`name`), 224), 20), %(now)s, %(now)s, %(user)s, %(user)s, 0, 0,
				u.`name`, 'User', 'roles', %(role)s
			from `tabUser` u
			where u.`name` in %(users)s and not exists (
				select 1 from `tabHas Role` held
				where held.`parent` = u.`name` and held.`parenttype` = 'User' and held.`role` = %(role)s
			)""",
			{
				"salt": frappe.generate_hash(),
				"now": now,
				"user": session_user,
				"role": role,
				"users": tuple(batch),
			},
		)
	for user in lacking:
		# frappe.get_roles caches a user's roles in the "roles" hash; drop the stale entry.
		frappe.cache.hdel("roles", user)
	return lacking


def _lacking(users: list[str], role: str) -> list[str]:
	has_role = DocType("Has Role")
	query = (
		frappe.qb.from_(has_role)
		.select(has_role.parent)
		.where(has_role.parenttype == "User")
		.where(has_role.role == role)
		.where(has_role.parent.isin(users))
	)
	holders = {row[0] for row in query.run()}
	return [user for user in users if user not in holders]


def _lock_grants() -> None:
	"""Until the commit, grants wait for each other: two requests giving a new learner their first role
	(20 racing first assignments, or self-enrolments) would each read "not held" and insert it. The app's
	own row of Frappe's counter table, locked by an upsert (it exists once taken), as the creation lock."""
	frappe.db.sql(
		"INSERT INTO `tabSeries` (`name`, `current`) VALUES (%s, 0) ON DUPLICATE KEY UPDATE `current` = `current`",
		GRANT_LOCK,
	)


def _refuse(message: str, doctype: str, ptype: str) -> None:
	roles = sorted(roles_with(doctype, ptype) - LEARNER_ROLES) or ["System Manager"]
	frappe.throw(
		message.format(comma_or([_(role) for role in roles], add_quotes=False)),
		frappe.PermissionError,
		title=_("Not permitted"),
	)
