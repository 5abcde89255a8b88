"""What a queued job did, told to the person who asked for it: a line on the course's timeline, and a
notification in their bell (Frappe's Notification Log, type Alert: shown in the desk, never emailed).

The sweep of a course made mandatory (obligations.sweeps) and the group assignment of the Assign
Training dialog (assignments.groups) run in the background: nobody waits for their answer, so this is
how it reaches them. Every value printed into the HTML is escaped here; callers pass plain text.
"""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import get_title_html, make_notification_logs
from frappe.utils import escape_html

from smooth_lms.lms.doctypes import COURSE, USER

# The reasons a pair was left out (assignments.creation.summary's keys), as the notice words them.
SKIP_REASONS = ("unknown_users", "disabled_users", "left_users")


def people(count: int) -> str:
	"""'1 person', '12 people'."""
	return _("1 person") if count == 1 else _("{0} people").format(count)


def skipped_text(counts: dict) -> str:
	"""The people left out, by reason ("2 disabled users, 1 leaver"), or "none"."""
	words = {
		"unknown_users": (_("unknown user"), _("unknown users")),
		"disabled_users": (_("disabled user"), _("disabled users")),
		"left_users": (_("leaver"), _("leavers")),
	}
	parts = [
		f"{counts[reason]} {words[reason][counts[reason] != 1]}"
		for reason in SKIP_REASONS
		if counts.get(reason)
	]
	return ", ".join(parts) or _("none")


def course_title_html(course: str) -> str:
	"""The course's title, escaped, as the bell shows a document's title (bold, shortened if long)."""
	return get_title_html(escape_html(frappe.db.get_value(COURSE, course, "title") or course))


def tell_about_course(course: str, timeline: str, bell: str, requested_by: str | None) -> None:
	"""Add `timeline` to the course's timeline (shown after the name of the job's user) and notify
	`requested_by` with `bell`. Both are HTML, their values escaped by the caller."""
	# ignore_permissions: the job reports what it did, whoever runs it; the line is the app's, not theirs.
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Info",
			"reference_doctype": COURSE,
			"reference_name": course,
			"content": timeline,
		}
	).insert(ignore_permissions=True)
	notify(requested_by, bell, COURSE, course)


def notify(user: str | None, subject: str, doctype: str | None = None, docname: str | None = None) -> None:
	"""A Notification Log (the bell) for `user`, linking to the document. `subject` is HTML: its values
	escaped by the caller."""
	email = user and frappe.db.get_value(USER, {"name": user, "enabled": 1}, "email")
	if not email:
		return  # nobody to tell (a job started by the system, or a user since disabled or deleted)
	make_notification_logs(
		frappe._dict(type="Alert", subject=subject, document_type=doctype, document_name=docname),
		[email],
	)
