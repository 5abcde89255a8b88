"""One `reminder_sent_on` date for both learner emails becomes the due date each was sent for
(`due_soon_reminded_for`, `overdue_notice_for`), so that no learner is mailed twice after the upgrade."""

import frappe


def execute():
	if not frappe.db.has_column("LMS Training Assignment", "reminder_sent_on"):
		return
	# A reminder dated on or before the due date was the due-soon one; one dated after it, the notice.
	frappe.db.sql(
		"""update `tabLMS Training Assignment` set due_soon_reminded_for = due_date
		where reminder_sent_on is not null and reminder_sent_on <= due_date and due_soon_reminded_for is null"""
	)
	frappe.db.sql(
		"""update `tabLMS Training Assignment` set overdue_notice_for = due_date
		where reminder_sent_on > due_date and overdue_notice_for is null"""
	)
