"""Status changes Frappe can see: the timeline, Notifications, other apps' doc_events, for changes made
per document and set-wise (Versions at once, document events from the job enqueued after the commit).

Notifications are real Notification records; their emails are read from the Email Queue."""

import json

import frappe
from frappe.email.doctype.notification.notification import evaluate_alert
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.hr_records import extend_due_date
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.learning.enrollments import enrollment_for
from smooth_lms.tests.emails import queued_emails, use_outgoing_email_account
from smooth_lms.tests.factories import (
	assign,
	make_course,
	make_user,
	run_jobs_enqueued_after_commit,
	set_progress,
)

ASSIGNMENT = "LMS Training Assignment"
REPLAY = "smooth_lms.lms.framework.document_trail.replay_document_events"
SEEN: list[tuple] = []  # what the probe below saw, as another app's doc_events handler would


def probe(doc, method):
	"""A doc_events handler like any app's: records the event and the change it sees."""
	before = doc.get_doc_before_save()
	SEEN.append((doc.name, method, before.status if before else None, doc.status))


def versions_of(name: str) -> list[dict]:
	rows = frappe.get_all(
		"Version",
		filters={"ref_doctype": ASSIGNMENT, "docname": name},
		fields=["owner", "data"],
		order_by="creation asc",
	)
	return [{"owner": row.owner, **json.loads(row.data)} for row in rows]


def status_changes(name: str) -> list[tuple]:
	return [tuple(change[1:]) for v in versions_of(name) for change in v["changed"] if change[0] == "status"]


def make_late(name: str) -> None:
	frappe.db.set_value(ASSIGNMENT, name, "due_date", add_days(today(), -2), update_modified=False)


class TestTimeline(FrappeTestCase):
	def test_progress_change_is_in_the_timeline_with_what_caused_it(self):
		user, course = make_user(), make_course()
		name = assign(user, course=course)
		set_progress(user, course, 50)
		(version,) = versions_of(name)
		self.assertIn(["status", "Pending", "In Progress"], version["changed"])
		self.assertIn("progress", [change[0] for change in version["changed"]])
		self.assertEqual(version["updater_reference"]["doctype"], "LMS Enrollment")

	def test_overdue_job_leaves_one_version_per_row_naming_the_job(self):
		names = [assign(make_user()) for _ in range(3)]
		for name in names:
			make_late(name)
		frappe.set_user("Administrator")
		mark_overdue_assignments()
		for name in names:
			(version,) = [v for v in versions_of(name) if v["changed"]]
			self.assertEqual(version["changed"], [["status", "Pending", "Overdue"]])
			self.assertEqual(version["owner"], "Administrator")
			self.assertEqual(
				version["updater_reference"],
				{
					"label": "via the daily overdue check",
					"doctype": "Scheduled Job Type",
					"docname": "lms_training_assignment.mark_overdue_assignments",
				},
			)

	def test_bulk_creation_tells_the_document_events_where_the_rows_came_from(self):
		from smooth_lms.lms.framework.document_trail import Via

		frappe.db.after_commit.reset()  # jobs of earlier tests of the class
		(name,) = create_assignments(
			[make_course()], [make_user()], add_days(today(), 5), via=Via("via Assign Training")
		).created
		self.assertEqual(versions_of(name), [], "no Version for an insert, as for a document inserted alone")
		jobs = [job for job in run_jobs_enqueued_after_commit(REPLAY) if job["doctype"] == ASSIGNMENT]
		self.assertEqual(
			[(job["inserted"], job["via"]) for job in jobs], [([name], {"label": "via Assign Training"})]
		)

	def test_an_extended_due_date_is_in_the_timeline(self):
		name = assign(make_user())
		make_late(name)
		mark_overdue_assignments()
		extend_due_date(name, add_days(today(), 7), "Back from leave")
		self.assertEqual(status_changes(name), [("Pending", "Overdue"), ("Overdue", "Pending")])

	def test_a_new_attempt_restarts_the_enrollment_on_its_timeline(self):
		user, course = make_user(), make_course()
		assign(user, course=course)
		set_progress(user, course, 100)
		assign(user, course=course)  # a second attempt
		enrollment = enrollment_for(user, course)
		data = [
			json.loads(d)
			for d in frappe.get_all(
				"Version", {"ref_doctype": "LMS Enrollment", "docname": enrollment}, pluck="data"
			)
		]
		restarts = [d for d in data if d.get("updater_reference") == {"label": "for a new attempt"}]
		self.assertEqual(len(restarts), 1, data)
		self.assertEqual([change[0] for change in restarts[0]["changed"]], ["progress", "completed_on"])
		self.assertEqual(restarts[0]["changed"][0][2], 0.0)


class NotificationCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("notification_test")
		frappe.db.after_commit.reset()  # jobs of earlier tests' rolled-back rows (their names come again)
		use_outgoing_email_account()
		SEEN.clear()

		def restore():
			frappe.db.rollback(save_point="notification_test")  # this test's Notifications go too
			frappe.db.after_commit.reset()  # as a full rollback does
			frappe.cache.hdel("notifications", ASSIGNMENT)

		self.addCleanup(restore)

	def notification(self, **fields) -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Notification",
				"name": f"LMS test {frappe.generate_hash(length=6)}",
				"document_type": ASSIGNMENT,
				"channel": "Email",
				"subject": "{{ doc.course_title }} is now {{ doc.status }}",
				"message": "<p>{{ doc.employee_name }}: {{ doc.status }}</p>",
				"recipients": [{"receiver_by_document_field": "employee"}],
				"enabled": 1,
				**fields,
			}
		).insert(ignore_permissions=True)
		return doc.name

	def register_probe(self):
		"""Hook the probe on the assignment, as another app's hooks.py would."""
		hooks = frappe.get_doc_hooks()
		events = hooks.setdefault(ASSIGNMENT, {})
		for event in ("after_insert", "on_update", "on_change"):
			events.setdefault(event, []).append(f"{__name__}.probe")
		self.addCleanup(delattr, frappe.local, "doc_events_hooks")  # Frappe rebuilds it from the hooks


class TestNotifications(NotificationCase):
	def test_value_change_on_status_emails_for_a_document_change(self):
		self.notification(event="Value Change", value_changed="status")
		user, course = make_user(), make_course()
		name = assign(user, course=course)
		title = frappe.db.get_value(ASSIGNMENT, name, "course_title")

		set_progress(user, course, 40)

		self.assertEqual([email.subject for email in queued_emails(user)], [f"{title} is now In Progress"])

	def test_value_change_on_status_emails_for_the_set_wise_overdue_job(self):
		self.notification(event="Value Change", value_changed="status", condition='doc.status == "Overdue"')
		mark_overdue_assignments()  # rows other tests left late are not this test's
		users = [make_user() for _ in range(3)]
		names = [assign(user) for user in users]
		for name in names:
			make_late(name)
		run_jobs_enqueued_after_commit(REPLAY)  # earlier jobs of this test (the inserts)

		self.assertEqual(mark_overdue_assignments(), 3)
		self.assertEqual([queued_emails(user) for user in users], [[], [], []], "nothing inline")
		(job,) = run_jobs_enqueued_after_commit(REPLAY)

		self.assertEqual(set(job["updated"]), set(names))
		for user, name in zip(users, names, strict=True):
			title = frappe.db.get_value(ASSIGNMENT, name, "course_title")
			self.assertEqual([email.subject for email in queued_emails(user)], [f"{title} is now Overdue"])

	def test_new_on_bulk_creation_emails_from_the_job(self):
		self.notification(event="New", subject="New: {{ doc.course_title }}")
		user = make_user()
		name = assign(user)
		self.assertEqual([email.subject for email in queued_emails(user)], [])
		run_jobs_enqueued_after_commit(REPLAY)
		self.assertEqual(
			[email.subject for email in queued_emails(user)],
			[f"New: {frappe.db.get_value(ASSIGNMENT, name, 'course_title')}"],
		)

	def test_days_before_due_date(self):
		alert = frappe.get_doc(
			"Notification",
			self.notification(event="Days Before", date_changed="due_date", days_in_advance=3),
		)
		soon, later = make_user(), make_user()
		name = assign(soon, due_in=3)
		assign(later, due_in=4)

		# What Frappe's daily trigger_daily_alerts does for each alert, without its commit.
		due = alert.get_documents_for_today()
		self.assertIn(name, [doc.name for doc in due])
		for doc in due:
			evaluate_alert(doc, alert, alert.event)

		self.assertEqual(len(queued_emails(soon)), 1)
		self.assertEqual(queued_emails(later), [])

	def test_days_after_due_date(self):
		alert = frappe.get_doc(
			"Notification",
			self.notification(event="Days After", date_changed="due_date", days_in_advance=2),
		)
		user = make_user()
		name = assign(user)
		make_late(name)  # due two days ago
		self.assertIn(name, [doc.name for doc in alert.get_documents_for_today()])


class TestOtherAppsDocEvents(NotificationCase):
	def test_doc_events_see_a_document_change(self):
		self.register_probe()
		user, course = make_user(), make_course()
		name = assign(user, course=course)
		run_jobs_enqueued_after_commit(REPLAY)
		SEEN.clear()
		set_progress(user, course, 40)
		self.assertIn((name, "on_change", "Pending", "In Progress"), SEEN)

	def test_doc_events_see_set_wise_inserts_and_status_changes(self):
		self.register_probe()
		name = assign(make_user())
		self.assertEqual(SEEN, [], "nothing runs before the commit")
		run_jobs_enqueued_after_commit(REPLAY)
		self.assertEqual(
			[event for n, event, *_ in SEEN if n == name], ["after_insert", "on_update", "on_change"]
		)

		SEEN.clear()
		make_late(name)
		mark_overdue_assignments()
		run_jobs_enqueued_after_commit(REPLAY)
		self.assertEqual(SEEN, [(name, "on_change", "Pending", "Overdue")])

	def test_the_controller_does_not_run_twice(self):
		# The set-wise path has done the controller's work (roles, the assignment email job): the
		# replay runs only what other apps and Frappe's tools hang on the events.
		emails = "smooth_lms.lms.notifications.learner_emails.send_assignment_emails"
		name = assign(make_user())
		jobs = run_jobs_enqueued_after_commit(REPLAY, emails)
		self.assertEqual(
			sorted((job["method"], job.get("doctype", "")) for job in jobs),
			[(REPLAY, "LMS Enrollment"), (REPLAY, ASSIGNMENT), (emails, "")],
		)
		self.assertEqual(run_jobs_enqueued_after_commit(REPLAY, emails), [], "the replay queued nothing more")
		self.assertTrue(name)
