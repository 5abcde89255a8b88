"""The roles Smooth LMS works with, and granting them set-wise."""

import frappe
from frappe import _
from frappe.query_builder import DocType

from smooth_lms.lms.bulk import insert_rows

LMS_STUDENT = "LMS Student"
MODERATOR = "Moderator"
COURSE_CREATOR = "Course Creator"
SYSTEM_MANAGER = "System Manager"
HR_MANAGER = "HR Manager"

# Roles the app creates on install and migrate: name -> desk access. HR Manager belongs to Smooth HR;
# it is created here too so that permissions naming it work on a site without HRMS.
APP_ROLES = {LMS_STUDENT: 0, MODERATOR: 1, COURSE_CREATOR: 1, HR_MANAGER: 1}

ASSIGNERS = (SYSTEM_MANAGER, MODERATOR)
TRAINING_VIEWERS = (SYSTEM_MANAGER, MODERATOR, HR_MANAGER)
COURSE_EDITORS = (SYSTEM_MANAGER, MODERATOR, COURSE_CREATOR)


def ensure_roles() -> None:
	for role, desk_access in APP_ROLES.items():
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": desk_access}).insert(
				ignore_permissions=True  # install / migrate runs as Administrator or with no session at all
			)


def has_any_role(roles: tuple[str, ...] | list[str], user: str | None = None) -> bool:
	return bool(set(roles) & set(frappe.get_roles(user or frappe.session.user)))


def require_any_role(roles: tuple[str, ...], message: str) -> None:
	"""Refuse the caller (403) unless they hold one of `roles`."""
	if frappe.session.user == "Guest" or not has_any_role(roles):
		frappe.throw(message, frappe.PermissionError, title=_("Not permitted"))


def grant_role(users: list[str], role: str) -> list[str]:
	"""Give `role` to every user lacking it: one read and one insert. Returns the users granted."""
	if not users:
		return []
	has_role = DocType("Has Role")
	holders = {
		row[0]
		for row in frappe.qb.from_(has_role)
		.select(has_role.parent)
		.where(has_role.parenttype == "User")
		.where(has_role.role == role)
		.where(has_role.parent.isin(users))
		.run()
	}
	missing = [user for user in users if user not in holders and user not in ("Guest", "Administrator")]
	if not missing:
		return []
	now = frappe.utils.now_datetime()
	session_user = frappe.session.user
	insert_rows(
		"Has Role",
		("name", "creation", "modified", "modified_by", "owner", "docstatus", "idx", "parent", "parenttype",
		 "parentfield", "role"),
		[
			(frappe.generate_hash(length=10), now, now, session_user, session_user, 0, 0, user, "User",
			 "roles", role)
			for user in missing
		],
	)  # fmt: skip
	for user in missing:
		# frappe.get_roles caches a user's roles in the "roles" hash; drop the stale entry.
		frappe.cache.hdel("roles", user)
	return missing


def require_assigner() -> None:
	"""Assigning and recording training: Moderator or System Manager (Guest and everyone else: 403)."""
	require_any_role(ASSIGNERS, _("Assigning training needs the Moderator (or System Manager) role."))


def require_training_viewer() -> None:
	"""Everyone's training and compliance: Moderator, HR Manager or System Manager (others: 403)."""
	require_any_role(
		TRAINING_VIEWERS,
		_("Training status and compliance need the Moderator, HR Manager or System Manager role."),
	)
