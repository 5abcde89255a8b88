"""Desk defaults the app ships, created where missing and never overwriting an administrator's choice
(List Settings in the list's menu edits the same record)."""

import frappe

# Columns shown in a list, counting the title, tag and status columns. The desk shows only 4 on screens
# up to 1366 px wide, which would hide the assignment list's due date and progress.
LIST_COLUMNS = {"LMS Training Assignment": 6}


def ensure_list_view_settings() -> None:
	for doctype, total_fields in LIST_COLUMNS.items():
		if frappe.db.exists("List View Settings", doctype):
			continue
		doc = frappe.new_doc("List View Settings")
		doc.name = doctype
		doc.total_fields = str(total_fields)
		doc.insert(ignore_permissions=True)  # install / migrate runs without a desk session
