"""Users granted LMS Student by racing requests before grants were serialised (framework.roles.grant_role)
may hold the role several times: keep one Has Role row per user, the oldest."""

import frappe

from smooth_lms.lms.framework.roles import LMS_STUDENT


def execute():
	duplicates = frappe.db.sql(
		"""select name from `tabHas Role` r
		where r.parenttype = 'User' and r.role = %(role)s
		and exists (
			select 1 from `tabHas Role` kept
			where kept.parenttype = 'User' and kept.role = r.role and kept.parent = r.parent
			and (kept.creation < r.creation or (kept.creation = r.creation and kept.name < r.name))
		)""",
		{"role": LMS_STUDENT},
		pluck=True,
	)
	for start in range(0, len(duplicates), 1000):
		frappe.db.delete("Has Role", {"name": ("in", duplicates[start : start + 1000])})
	frappe.cache.delete_value("roles")
