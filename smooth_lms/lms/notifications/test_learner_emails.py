"""Learner emails: one per learner per run, queued in Frappe's Email Queue (real rows, real queue)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today
from rq.job import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

from smooth_lms.lms.assignments.creation import create_assignments, notify_assigned
from smooth_lms.lms.assignments.hr_records import extend_due_date
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.doctypes import SETTINGS
from smooth_lms.lms.framework.settings import DEFAULTS
from smooth_lms.lms.notifications.learner_emails import send_assignment_emails, send_training_reminders
from smooth_lms.tests.emails import forget_email_accounts, queued_emails, use_outgoing_email_account
from smooth_lms.tests.factories import make_course, make_employee, make_user

ASSIGNMENT = "LMS Training Assignment"
JOB = "smooth_lms.lms.notifications.learner_emails.send_assignment_emails"


def set_settings(**values) -> None:
	doc = frappe.get_single(SETTINGS)
	doc.update(values)
	doc.save(ignore_permissions=True)


def course_titled(title: str) -> str:
	return make_course(title=f"{title} {frappe.generate_hash(length=6)}")


class EmailCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("reminders_test")
		set_settings(**DEFAULTS)  # whatever the site has: each test starts from the defaults
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
			(message,) = queued_emails(user, about=ASSIGNMENT)
			self.assertEqual(message.subject, "3 trainings assigned to you")
			body = message.body
			for course in courses:
				self.assertIn(self.title(course), body)
			self.assertIn("/lms/courses/", body)

	def test_single_assignment_names_the_course(self):
		user, course = make_user(), course_titled("Ladder Safety")
		created = create_assignments([course], [user], add_days(today(), 10)).created
		send_assignment_emails(created)
		(message,) = queued_emails(user, about=ASSIGNMENT)
		self.assertEqual(message.subject, f"Training assigned to you: {self.title(course)}")

	def test_titles_with_markup_read_as_text(self):
		user, course = make_user(), make_course(title="R&D <b>Lab</b> Safety")
		send_assignment_emails(create_assignments([course], [user], add_days(today(), 10)).created)
		(message,) = queued_emails(user, about=ASSIGNMENT)
		self.assertEqual(message.subject, "Training assigned to you: R&D Lab Safety")
		self.assertIn(">R&amp;D Lab Safety</a>", message.body)

	def test_switched_off_sends_nothing(self):
		set_settings(send_assignment_emails=0)
		user = make_user()
		created = create_assignments([make_course()], [user], add_days(today(), 10)).created
		self.assertEqual(send_assignment_emails(created), 0)
		self.assertEqual(queued_emails(user, about=ASSIGNMENT), [])

	def test_disabled_learner_is_not_mailed(self):
		user = make_user()
		created = create_assignments([make_course()], [user], add_days(today(), 10)).created
		frappe.db.set_value("User", user, "enabled", 0)
		self.assertEqual(send_assignment_emails(created), 0)
		self.assertEqual(queued_emails(user, about=ASSIGNMENT), [])


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
		self.assertEqual(
			[queued_emails(u, about=ASSIGNMENT) for u in users], [[], [], []], "nothing mailed inline"
		)

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
		# Rows of other tests must not be mailed by these runs (rolled back with the test).
		frappe.db.sql(
			f"update `tab{ASSIGNMENT}` set due_soon_reminded_for = due_date, overdue_notice_for = due_date"
		)

	def assign(self, user: str, title: str, due_in: int) -> str:
		course = course_titled(title)
		(name,) = create_assignments([course], [user], add_days(today(), max(due_in, 0))).created
		if due_in < 0:
			frappe.db.set_value(ASSIGNMENT, name, "due_date", add_days(today(), due_in))
		return name

	def reminded_for(self, name: str):
		return frappe.db.get_value(ASSIGNMENT, name, "due_soon_reminded_for")

	def notified_for(self, name: str):
		return frappe.db.get_value(ASSIGNMENT, name, "overdue_notice_for")

	def due(self, name: str):
		return getdate(frappe.db.get_value(ASSIGNMENT, name, "due_date"))

	def test_one_email_per_learner_with_due_soon_and_overdue(self):
		ava, ben = make_user(), make_user()
		soon = self.assign(ava, "Fire Safety", 3)
		late = self.assign(ava, "Data Privacy", -2)
		later = self.assign(ava, "First Aid", 10)
		ben_late = self.assign(ben, "Ladder Safety", -1)

		result = send_training_reminders()

		self.assertEqual((result["emails"], result["reminded"], result["overdue"]), (2, 3, 2))
		(message,) = queued_emails(ava, about=ASSIGNMENT)
		self.assertEqual(message.subject, "Training reminder: 1 overdue, 1 due soon")
		body = message.body
		for name in (soon, late):
			self.assertIn(frappe.db.get_value(ASSIGNMENT, name, "course_title"), body)
		self.assertNotIn(frappe.db.get_value(ASSIGNMENT, later, "course_title"), body)
		(message,) = queued_emails(ben, about=ASSIGNMENT)
		self.assertTrue(message.subject.startswith("Training overdue: Ladder Safety"))
		self.assertEqual(self.reminded_for(soon), self.due(soon))
		for name in (late, ben_late):
			self.assertEqual(self.notified_for(name), self.due(name))
			self.assertIsNone(self.reminded_for(name))
		self.assertIsNone(self.reminded_for(later))

	def test_late_rows_get_their_notice_whether_or_not_the_overdue_job_ran_first(self):
		marked_first, not_marked = make_user(), make_user()
		self.assign(marked_first, "Fire Safety", -1)
		self.assign(not_marked, "Fire Safety", -1)
		frappe.db.set_value(ASSIGNMENT, {"employee": marked_first}, "status", "Overdue")
		self.assertEqual(send_training_reminders()["overdue"], 2)
		self.assertEqual(len(queued_emails(marked_first, about=ASSIGNMENT)), 1)
		self.assertEqual(len(queued_emails(not_marked, about=ASSIGNMENT)), 1)
		mark_overdue_assignments()
		self.assertEqual(send_training_reminders()["emails"], 0)  # the job's marking is not a new episode

	def test_running_twice_mails_nobody_twice(self):
		user = make_user()
		self.assign(user, "Fire Safety", 3)
		self.assign(user, "Data Privacy", -4)
		self.assertEqual(send_training_reminders()["emails"], 1)

		again = send_training_reminders()

		self.assertEqual((again["emails"], again["reminded"]), (0, 0))
		self.assertEqual(len(queued_emails(user, about=ASSIGNMENT)), 1)

	def test_due_soon_reminder_covers_every_day_of_the_window(self):
		# Reminder days 3: a row due in 1 day (assigned late, or the scheduler missed days) is reminded;
		# one due today too; one due in 4 days not yet; each once.
		user = make_user()
		tomorrow = self.assign(user, "Fire Safety", 1)
		today_ = self.assign(user, "Data Privacy", 0)
		in_four = self.assign(user, "First Aid", 4)
		self.assertEqual(send_training_reminders()["reminded"], 2)
		(message,) = queued_emails(user, about=ASSIGNMENT)
		self.assertEqual(message.subject, "2 trainings due soon")
		self.assertEqual(self.reminded_for(tomorrow), self.due(tomorrow))
		self.assertEqual(self.reminded_for(today_), self.due(today_))
		self.assertIsNone(self.reminded_for(in_four))
		self.assertEqual(send_training_reminders()["reminded"], 0)

	def test_single_reminder_says_when(self):
		user = make_user()
		self.assign(user, "Fire Safety", 1)
		send_training_reminders()
		(message,) = queued_emails(user, about=ASSIGNMENT)
		self.assertTrue(message.subject.startswith("Training due tomorrow: Fire Safety"))

	def test_a_new_due_date_is_a_new_deadline(self):
		user = make_user()
		name = self.assign(user, "Fire Safety", 2)
		send_training_reminders()
		extend_due_date(name, add_days(today(), 3), "More time")  # HR extends the deadline
		self.assertEqual(send_training_reminders()["reminded"], 1)
		self.assertEqual(len(queued_emails(user, about=ASSIGNMENT)), 2)
		self.assertEqual(send_training_reminders()["reminded"], 0)

	def test_overdue_notice_once_per_overdue_episode(self):
		user = make_user()
		name = self.assign(user, "Fire Safety", -1)
		self.assertEqual(send_training_reminders()["overdue"], 1)
		mark_overdue_assignments()
		self.assertEqual(send_training_reminders()["overdue"], 0)
		# HR gives more time (the row reopens) and that date is missed too: a new episode, a new notice.
		self.assertEqual(extend_due_date(name, add_days(today(), 5), "More time")["status"], "Pending")
		frappe.db.set_value(ASSIGNMENT, name, "due_date", add_days(today(), -3))  # days later
		mark_overdue_assignments()

		self.assertEqual(send_training_reminders()["overdue"], 1)
		self.assertEqual(len(queued_emails(user, about=ASSIGNMENT)), 2)
		self.assertEqual(send_training_reminders()["overdue"], 0)

	def test_disabled_learner_gets_no_reminder_or_notice(self):
		user = make_user()
		soon = self.assign(user, "Fire Safety", 2)
		late = self.assign(user, "Data Privacy", -2)
		frappe.db.set_value("User", user, "enabled", 0)
		self.assertEqual(send_training_reminders()["emails"], 0)
		self.assertEqual(queued_emails(user, about=ASSIGNMENT), [])
		self.assertIsNone(self.reminded_for(soon))
		self.assertIsNone(self.notified_for(late))

	def test_completed_training_is_not_reminded(self):
		user = make_user()
		name = self.assign(user, "Fire Safety", 2)
		frappe.db.set_value(ASSIGNMENT, name, {"status": "Completed", "progress": 100, "open_key": None})
		self.assertEqual(send_training_reminders()["emails"], 0)

	def test_reminder_days_come_from_settings_and_zero_turns_them_off(self):
		set_settings(reminder_days_before_due=5)
		user = make_user()
		in_five = self.assign(user, "Fire Safety", 5)
		in_six = self.assign(user, "Data Privacy", 6)
		send_training_reminders()
		(message,) = queued_emails(user, about=ASSIGNMENT)
		self.assertTrue(message.subject.startswith("Training due in 5 days: Fire Safety"))
		self.assertEqual(self.reminded_for(in_five), self.due(in_five))
		self.assertIsNone(self.reminded_for(in_six))

		set_settings(reminder_days_before_due=0)
		other = make_user()
		self.assign(other, "First Aid", 1)
		self.assertEqual(send_training_reminders()["emails"], 0)
		self.assertEqual(queued_emails(other, about=ASSIGNMENT), [])

	def test_subjects_say_what_the_email_is_about(self):
		late, soon = make_user(), make_user()
		self.assign(late, "Fire Safety", -2)
		self.assign(late, "Data Privacy", -3)
		self.assign(soon, "First Aid", 3)
		self.assign(soon, "Ladder Safety", 2)
		send_training_reminders()
		self.assertEqual([m.subject for m in queued_emails(late, about=ASSIGNMENT)], ["2 trainings overdue"])
		self.assertEqual([m.subject for m in queued_emails(soon, about=ASSIGNMENT)], ["2 trainings due soon"])

	def test_overdue_notices_switched_off(self):
		set_settings(send_overdue_emails=0)
		user = make_user()
		name = self.assign(user, "Fire Safety", -2)
		result = send_training_reminders()
		self.assertEqual(result["emails"], 0)
		self.assertIsNone(self.notified_for(name))
		set_settings(send_overdue_emails=1)
		self.assertEqual(send_training_reminders()["overdue"], 1)  # switched on again: sent once

	def test_without_outgoing_account_nothing_is_queued_or_recorded(self):
		# Whatever the site's own config says, this test runs without any outgoing account.
		for key in ("mail_server", "mute_emails"):
			if key in frappe.local.conf:
				self.addCleanup(frappe.local.conf.__setitem__, key, frappe.local.conf[key])
				frappe.local.conf.pop(key)
		frappe.db.set_value("Email Account", {"enable_outgoing": 1}, "enable_outgoing", 0)
		forget_email_accounts()
		user = make_user()
		name = self.assign(user, "Fire Safety", -2)
		errors = frappe.db.count("Error Log")

		self.assertEqual(send_training_reminders()["emails"], 0)

		self.assertEqual(queued_emails(user, about=ASSIGNMENT), [])
		self.assertIsNone(self.notified_for(name))
		self.assertEqual(frappe.db.count("Error Log"), errors + 1)
		# New-assignment emails are skipped without an Error Log at every assignment.
		self.assertEqual(send_assignment_emails([name]), 0)
		self.assertEqual(frappe.db.count("Error Log"), errors + 1)


class TestExpiryNotices(EmailCase):
	"""Before a completion of a course the learner owes expires (LMS Settings' days), and once it has:
	once each per expiry date; never for a completion renewed since, nor a course no longer owed."""

	def setUp(self):
		super().setUp()
		frappe.db.sql(  # rows of other tests are not this run's
			f"update `tab{ASSIGNMENT}` set due_soon_reminded_for = due_date, overdue_notice_for = due_date,"
			" expiry_warned_for = valid_until, expiry_notice_for = valid_until"
		)

	def completed(self, user: str, title: str, expires_in: int, course: str | None = None) -> str:
		course = course or make_course(
			title=f"{title} {frappe.generate_hash(length=6)}", validity_days=365, is_mandatory=1
		)
		(name,) = create_assignments([course], [user], add_days(today(), 10)).created
		frappe.db.set_value(
			ASSIGNMENT,
			name,
			{
				"status": "Completed",
				"progress": 100,
				"open_key": None,
				"completed_on": add_days(today(), expires_in - 365),
				"valid_until": add_days(today(), expires_in),
			},
		)
		return name

	def test_warned_before_and_told_at_expiry_once_each(self):
		user = make_user()
		make_employee(user)
		soon = self.completed(user, "Forklift", 10)
		gone = self.completed(user, "First Aid", -1)
		far = self.completed(user, "Harassment", 40)

		result = send_training_reminders()

		self.assertEqual((result["emails"], result["expiring"], result["expired"]), (1, 1, 1))
		(message,) = queued_emails(user, about=ASSIGNMENT)
		self.assertEqual(message.subject, "Training reminder: 1 expired, 1 expiring soon")
		body = message.body
		self.assertIn("Valid Until", body)
		self.assertNotIn(frappe.db.get_value(ASSIGNMENT, far, "course_title"), body)
		self.assertEqual(
			getdate(frappe.db.get_value(ASSIGNMENT, soon, "expiry_warned_for")),
			getdate(add_days(today(), 10)),
		)
		self.assertEqual(
			getdate(frappe.db.get_value(ASSIGNMENT, gone, "expiry_notice_for")),
			getdate(add_days(today(), -1)),
		)
		self.assertEqual(send_training_reminders()["emails"], 0, "never twice")

	def test_a_completion_renewed_since_is_not_announced(self):
		user = make_user()
		make_employee(user)
		course = make_course(validity_days=365, is_mandatory=1)
		self.completed(user, "Old", -5, course=course)
		self.completed(user, "New", 300, course=course)  # the renewal, completed
		self.assertEqual(send_training_reminders()["emails"], 0)

	def test_only_courses_the_learner_still_owes(self):
		user = make_user()
		make_employee(user, department="Operations")
		sales = make_course(validity_days=365, is_mandatory=1, mandatory_for=[{"department": "Sales"}])
		self.completed(user, "Sales only", 5, course=sales)
		contractor = make_user()  # no Employee record: owes what was assigned while enabled
		self.completed(contractor, "Contractor", 5)
		self.assertEqual(send_training_reminders()["emails"], 1)
		self.assertEqual(queued_emails(user, about=ASSIGNMENT), [])
		self.assertEqual(len(queued_emails(contractor, about=ASSIGNMENT)), 1)

	def test_switched_off_and_days_from_settings(self):
		user = make_user()
		set_settings(expiry_notice_days_before=0)
		self.completed(user, "Soon", 5)
		self.assertEqual(send_training_reminders()["emails"], 0, "0: only the notice at expiry")
		set_settings(send_expiry_notices=0)
		self.completed(user, "Gone", -2)
		self.assertEqual(send_training_reminders()["emails"], 0)

	def test_a_renewal_is_announced_as_one(self):
		user = make_user()
		course = make_course(title=f"Forklift {frappe.generate_hash(length=6)}", validity_days=365)
		first = self.completed(user, "Forklift", 20, course=course)
		from smooth_lms.lms.validity.renewals import open_renewals

		open_renewals(courses=[course])
		renewal = frappe.db.get_value(ASSIGNMENT, {"renewal_of": first})
		self.assertEqual(send_assignment_emails([renewal]), 1)
		(message,) = queued_emails(user, about=ASSIGNMENT)
		self.assertTrue(message.subject.startswith("Time to renew your training: Forklift"))
		self.assertIn("Renew By", message.body)
