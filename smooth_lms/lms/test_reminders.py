"""Learner emails: one per learner per run, queued in Frappe's Email Queue (real rows, real queue)."""

import email
import email.policy

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today
from rq.job import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

from smooth_lms.lms.assignments import create_assignments
from smooth_lms.lms.doctype.lms_settings.lms_settings import SETTINGS
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.reminders import notify_assigned, send_assignment_emails, send_training_reminders
from smooth_lms.tests.factories import make_course, make_user

ASSIGNMENT = "LMS Training Assignment"
JOB = "smooth_lms.lms.reminders.send_assignment_emails"


def use_outgoing_email_account() -> None:
	"""An outgoing account for the test transaction (Frappe skips the SMTP check in tests)."""
	if not frappe.db.exists("Email Account", "_Test LMS Outgoing"):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_Test LMS Outgoing",
				"email_id": "lms-outgoing@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
	forget_email_accounts()


def forget_email_accounts() -> None:
	# EmailAccount.find_outgoing caches its answer on frappe.local for the whole process.
	frappe.local.outgoing_email_account = {}


def set_settings(**values) -> None:
	doc = frappe.get_single(SETTINGS)
	doc.update(values)
	doc.save(ignore_permissions=True)


def emails_to(user: str) -> list[email.message.EmailMessage]:
	"""The messages queued for a user, parsed."""
	queue = frappe.qb.DocType("Email Queue")
	recipient = frappe.qb.DocType("Email Queue Recipient")
	rows = (
		frappe.qb.from_(queue)
		.join(recipient)
		.on(recipient.parent == queue.name)
		.select(queue.message, queue.reference_doctype, queue.status)
		.where(recipient.recipient == user)
		.orderby(queue.creation)
		.run(as_dict=True)
	)
	for row in rows:
		assert row.reference_doctype == ASSIGNMENT, row.reference_doctype
		assert row.status == "Not Sent", row.status  # queued, not sent inline
	return [email.message_from_string(row.message, policy=email.policy.default) for row in rows]


def html_of(message: email.message.EmailMessage) -> str:
	return message.get_body(preferencelist=("html",)).get_content()


def course_titled(title: str) -> str:
	return make_course(title=f"{title} {frappe.generate_hash(length=6)}")


class EmailCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("reminders_test")
		use_outgoing_email_account()

		def restore():
			frappe.db.rollback(save_point="reminders_test")
			frappe.clear_document_cache(SETTINGS, SETTINGS)  # may hold this test's settings
			forget_email_accounts()

		self.addCleanup(restore)

	def title(self, course: str) -> str:
		return frappe.db.get_value("LMS Course", course, "title")


class TestAssignmentEmails(EmailCase):
	def test_one_email_per_learner_listing_all_new_trainings(self):
		ava, ben = make_user(), make_user()
		courses = [course_titled("Fire Safety"), course_titled("Data Privacy"), course_titled("First Aid")]
		created = create_assignments(courses, [ava, ben], add_days(today(), 30)).created
		self.assertEqual(len(created), 6)

		self.assertEqual(send_assignment_emails(created), 2)

		for user in (ava, ben):
			(message,) = emails_to(user)
			self.assertEqual(message["Subject"], "3 trainings assigned to you")
			body = html_of(message)
			for course in courses:
				self.assertIn(self.title(course), body)
			self.assertIn("/lms/courses/", body)

	def test_single_assignment_names_the_course(self):
		user, course = make_user(), course_titled("Ladder Safety")
		created = create_assignments([course], [user], add_days(today(), 10)).created
		send_assignment_emails(created)
		(message,) = emails_to(user)
		self.assertEqual(message["Subject"], f"Training assigned to you: {self.title(course)}")

	def test_titles_with_markup_read_as_text(self):
		user, course = make_user(), make_course(title="R&D <b>Lab</b> Safety")
		send_assignment_emails(create_assignments([course], [user], add_days(today(), 10)).created)
		(message,) = emails_to(user)
		self.assertEqual(message["Subject"], "Training assigned to you: R&D Lab Safety")
		self.assertIn(">R&amp;D Lab Safety</a>", html_of(message))

	def test_switched_off_sends_nothing(self):
		set_settings(send_assignment_emails=0)
		user = make_user()
		created = create_assignments([make_course()], [user], add_days(today(), 10)).created
		self.assertEqual(send_assignment_emails(created), 0)
		self.assertEqual(emails_to(user), [])

	def test_disabled_learner_is_not_mailed(self):
		user = make_user()
		created = create_assignments([make_course()], [user], add_days(today(), 10)).created
		frappe.db.set_value("User", user, "enabled", 0)
		self.assertEqual(send_assignment_emails(created), 0)
		self.assertEqual(emails_to(user), [])


class TestNotifyAfterCommit(EmailCase):
	"""The creation path only enqueues: the job reaches the queue when the transaction commits."""

	def jobs_for(self, names: list[str]) -> list[Job]:
		queue = frappe.utils.background_jobs.get_queue("long")
		ids = queue.job_ids
		for registry in (StartedJobRegistry, FinishedJobRegistry, FailedJobRegistry):
			ids += registry(queue=queue).get_job_ids()
		return [
			job
			for job in Job.fetch_many(ids, connection=queue.connection)
			if job
			and job.kwargs.get("site") == frappe.local.site
			and job.kwargs.get("method") == JOB
			and job.kwargs.get("kwargs", {}).get("assignment_names") == names
		]

	def enqueued_after_commit(self, names: list[str]) -> bool:
		"""Run what a commit would run after it, and find (then remove) the job for `names`."""
		self.assertEqual(self.jobs_for(names), [], "enqueued before the commit")
		frappe.db.after_commit.run()
		jobs = self.jobs_for(names)
		for job in jobs:
			job.delete()
		return len(jobs) == 1

	def test_bulk_assignment_enqueues_one_job_after_commit(self):
		users = [make_user() for _ in range(3)]
		created = create_assignments([make_course()], users, add_days(today(), 10)).created
		self.assertTrue(self.enqueued_after_commit(created))
		self.assertEqual([emails_to(u) for u in users], [[], [], []], "nothing mailed inline")

	def test_desk_form_enqueues_after_commit(self):
		doc = frappe.get_doc(
			{
				"doctype": ASSIGNMENT,
				"employee": make_user(),
				"course": make_course(),
				"due_date": add_days(today(), 10),
			}
		).insert()
		self.assertTrue(self.enqueued_after_commit([doc.name]))

	def test_nothing_enqueued_when_switched_off(self):
		set_settings(send_assignment_emails=0)
		frappe.db.after_commit.run()  # whatever earlier code queued
		notify_assigned(["TA-NOT-A-ROW"])
		self.assertEqual(len(frappe.db.after_commit._functions), 0)


class TestDailyReminders(EmailCase):
	def setUp(self):
		super().setUp()
		# Rows of other tests must not be mailed by these runs.
		frappe.db.set_value(ASSIGNMENT, {"reminder_sent_on": ("is", "not set")}, "reminder_sent_on", today())

	def assign(self, user: str, title: str, due_in: int) -> str:
		course = course_titled(title)
		(name,) = create_assignments([course], [user], add_days(today(), max(due_in, 0))).created
		if due_in < 0:
			frappe.db.set_value(ASSIGNMENT, name, "due_date", add_days(today(), due_in))
		return name

	def sent_on(self, name: str):
		return frappe.db.get_value(ASSIGNMENT, name, "reminder_sent_on")

	def test_one_email_per_learner_with_due_soon_and_overdue(self):
		ava, ben = make_user(), make_user()
		soon = self.assign(ava, "Fire Safety", 3)
		late = self.assign(ava, "Data Privacy", -2)
		later = self.assign(ava, "First Aid", 10)
		ben_late = self.assign(ben, "Ladder Safety", -1)

		result = send_training_reminders()

		self.assertGreaterEqual(result["marked_overdue"], 2)
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, late, "status"), "Overdue")
		self.assertEqual((result["emails"], result["reminded"]), (2, 3))
		(message,) = emails_to(ava)
		self.assertEqual(message["Subject"], "Training reminder: 1 overdue, 1 due in 3 days")
		body = html_of(message)
		for name in (soon, late):
			self.assertIn(frappe.db.get_value(ASSIGNMENT, name, "course_title"), body)
		self.assertNotIn(frappe.db.get_value(ASSIGNMENT, later, "course_title"), body)
		(message,) = emails_to(ben)
		self.assertTrue(message["Subject"].startswith("Training overdue: Ladder Safety"))
		for name in (soon, late, ben_late):
			self.assertEqual(self.sent_on(name), getdate(today()))
		self.assertIsNone(self.sent_on(later))

	def test_running_twice_mails_nobody_twice(self):
		user = make_user()
		self.assign(user, "Fire Safety", 3)
		self.assign(user, "Data Privacy", -4)
		self.assertEqual(send_training_reminders()["emails"], 1)

		again = send_training_reminders()

		self.assertEqual((again["marked_overdue"], again["emails"], again["reminded"]), (0, 0, 0))
		self.assertEqual(len(emails_to(user)), 1)

	def test_overdue_notice_is_sent_again_after_the_row_reopened_and_fell_late_again(self):
		user = make_user()
		name = self.assign(user, "Fire Safety", -1)
		send_training_reminders()
		# Days later: HR moved the due date (the row reopened), and that date has passed too.
		frappe.db.set_value(
			ASSIGNMENT,
			name,
			{
				"status": "Pending",
				"reminder_sent_on": add_days(today(), -10),
				"due_date": add_days(today(), -3),
			},
		)
		mark_overdue_assignments()

		self.assertEqual(send_training_reminders()["reminded"], 1)
		self.assertEqual(len(emails_to(user)), 2)

	def test_reminder_days_come_from_settings_and_zero_turns_them_off(self):
		set_settings(reminder_days_before_due=5)
		user = make_user()
		in_five = self.assign(user, "Fire Safety", 5)
		in_three = self.assign(user, "Data Privacy", 3)
		send_training_reminders()
		(message,) = emails_to(user)
		self.assertTrue(message["Subject"].startswith("Training due in 5 days: Fire Safety"))
		self.assertEqual(self.sent_on(in_five), getdate(today()))
		self.assertIsNone(self.sent_on(in_three))

		set_settings(reminder_days_before_due=0)
		other = make_user()
		self.assign(other, "First Aid", 3)
		self.assertEqual(send_training_reminders()["emails"], 0)
		self.assertEqual(emails_to(other), [])

	def test_subjects_say_what_the_email_is_about(self):
		late, soon = make_user(), make_user()
		self.assign(late, "Fire Safety", -2)
		self.assign(late, "Data Privacy", -3)
		self.assign(soon, "First Aid", 3)
		self.assign(soon, "Ladder Safety", 3)
		send_training_reminders()
		self.assertEqual([m["Subject"] for m in emails_to(late)], ["2 trainings overdue"])
		self.assertEqual([m["Subject"] for m in emails_to(soon)], ["2 trainings due in 3 days"])

	def test_overdue_notices_switched_off(self):
		set_settings(send_overdue_emails=0)
		user = make_user()
		name = self.assign(user, "Fire Safety", -2)
		result = send_training_reminders()
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, name, "status"), "Overdue")  # still marked
		self.assertEqual(result["emails"], 0)
		self.assertIsNone(self.sent_on(name))

	def test_without_outgoing_account_nothing_is_queued_or_recorded(self):
		if frappe.conf.get("mail_server") or frappe.are_emails_muted():
			self.skipTest("the site has an outgoing account in its config or mutes emails")
		frappe.db.set_value("Email Account", {"enable_outgoing": 1}, "enable_outgoing", 0)
		forget_email_accounts()
		user = make_user()
		name = self.assign(user, "Fire Safety", -2)
		errors = frappe.db.count("Error Log")

		self.assertEqual(send_training_reminders()["emails"], 0)

		self.assertEqual(emails_to(user), [])
		self.assertIsNone(self.sent_on(name))
		self.assertEqual(frappe.db.count("Error Log"), errors + 1)
		# New-assignment emails are skipped without an Error Log at every assignment.
		self.assertEqual(send_assignment_emails([name]), 0)
		self.assertEqual(frappe.db.count("Error Log"), errors + 1)
