"""Course versions: completions record the version they were earned under; publishing a new one asks
those who still owe the course and hold an older one to retrain, once, set-wise; only assigners publish."""

import frappe
from frappe.utils import add_days, today

from smooth_lms.lms.doctypes import ASSIGNMENT, CERTIFICATE, COURSE
from smooth_lms.lms.versions import outdated_completions, publish_new_version
from smooth_lms.tests.factories import assign, complete_course, make_employee, unique
from smooth_lms.tests.http import RestCase, base_url, login

METHOD = "/api/method/smooth_lms.lms.versions."


class TestCourseVersions(RestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.course_name = self.course(title=unique("Forklift"), lessons=1, renewal_window_days=14)
		self.holders = [self.user("LMS Student") for _ in range(3)]
		self.completions = {}
		for user in self.holders:
			assign(user, self.course_name)
			self.completions[user] = complete_course(user, self.course_name)
		frappe.db.commit()

	def test_completions_and_certificates_record_their_version(self):
		for name in self.completions.values():
			self.assertEqual(frappe.db.get_value(ASSIGNMENT, name, "course_version"), "1")
			self.assertEqual(frappe.db.get_value(CERTIFICATE, {"assignment": name}, "course_version"), "1")

	def test_retraining_opens_one_renewal_per_outdated_holder_once(self):
		busy, left = self.holders[1], self.holders[2]
		open_one = assign(busy, self.course_name)  # retraining already (an open assignment)
		frappe.db.set_value("User", left, "enabled", 0)  # no longer owes it
		self.assertEqual(len(outdated_completions(self.course_name, None)), 0)  # all hold version 1
		opened = publish_new_version(self.course_name, "2027", retrain=1, due_date=add_days(today(), 20))
		self.assertEqual(opened, 1)
		renewal = frappe.db.get_value(
			ASSIGNMENT,
			{"employee": self.holders[0], "course": self.course_name, "status": ("!=", "Completed")},
			["renewal_of", "due_date"],
			as_dict=True,
		)
		self.assertEqual(
			(renewal.renewal_of, str(renewal.due_date)),
			(self.completions[self.holders[0]], add_days(today(), 20)),
		)
		self.assertEqual(frappe.db.count(ASSIGNMENT, {"employee": busy, "course": self.course_name}), 2)
		self.assertTrue(frappe.db.exists(ASSIGNMENT, open_one))
		self.assertEqual(frappe.db.get_value(COURSE, self.course_name, "version"), "2027")
		# Once: publishing again opens nothing for those already retraining; a completion of the new
		# version is not outdated.
		self.assertEqual(publish_new_version(self.course_name, "2027.1", retrain=1), 0)
		complete_course(self.holders[0], self.course_name)
		latest = frappe.db.get_value(
			ASSIGNMENT,
			{"employee": self.holders[0], "course": self.course_name, "renewal_of": ("is", "set")},
			"course_version",
		)
		self.assertEqual(latest, "2027.1")
		self.assertNotIn((self.holders[0], self.course_name), outdated_completions(self.course_name, None))
		# History keeps every completion with its version.
		versions = frappe.get_all(
			ASSIGNMENT,
			{"employee": self.holders[0], "course": self.course_name, "status": "Completed"},
			pluck="course_version",
		)
		self.assertEqual(sorted(versions), ["1", "2027.1"])

	def test_without_retraining_nobody_is_assigned_and_the_default_due_date_is_the_window(self):
		self.assertEqual(publish_new_version(self.course_name, "2"), 0)
		self.assertEqual(
			frappe.db.count(ASSIGNMENT, {"course": self.course_name, "status": ("!=", "Completed")}), 0
		)
		publish_new_version(self.course_name, "3", retrain=1)
		dues = frappe.get_all(
			ASSIGNMENT, {"course": self.course_name, "status": ("!=", "Completed")}, pluck="due_date"
		)
		self.assertEqual({str(due) for due in dues}, {add_days(today(), 14)})

	def test_employees_who_left_are_not_asked(self):
		make_employee(self.holders[0], status="Left")
		pairs = outdated_completions(self.course_name, "9")
		self.assertNotIn((self.holders[0], self.course_name), pairs)

	def test_the_version_changes_only_by_publishing_and_only_assigners_publish(self):
		doc = frappe.get_doc(COURSE, self.course_name)
		doc.version = "sneaky"
		self.assertRaises(frappe.ValidationError, doc.save)
		frappe.db.rollback()
		hr, creator, moderator = self.user("HR Manager"), self.user("Course Creator"), self.user("Moderator")
		frappe.db.commit()
		for user in (None, self.holders[0], hr, creator):
			response = login(user).post(
				base_url() + METHOD + "publish_new_version",
				json={"course": self.course_name, "version": "5"},
				timeout=30,
			)
			self.assertEqual(response.status_code, 403, (user, response.text[:200]))
		preview = login(moderator).get(
			base_url() + METHOD + "preview_new_version", params={"course": self.course_name}, timeout=30
		)
		self.assertEqual(preview.json()["message"]["to_retrain"], 0)
		for body, status in (
			({"version": "1"}, 417),
			({"version": " "}, 417),
			({"version": "x" * 41}, 417),
			({"version": "5", "retrain": 1, "due_date": add_days(today(), -1)}, 417),
		):
			response = login(moderator).post(
				base_url() + METHOD + "publish_new_version",
				json={"course": self.course_name, **body},
				timeout=30,
			)
			self.assertEqual(response.status_code, status, (body, response.text[:200]))
		response = login(moderator).post(
			base_url() + METHOD + "publish_new_version",
			json={"course": self.course_name, "version": "5", "retrain": 1},
			timeout=30,
		)
		self.assertEqual(response.json()["message"], 3, response.text[:300])

	def test_a_large_retraining_runs_from_a_job_that_reports_on_the_course(self):
		from unittest.mock import patch

		from smooth_lms.tests.factories import run_jobs_enqueued_after_commit

		with patch("smooth_lms.lms.versions.INLINE_LIMIT", 1):  # the app's own threshold, lowered
			planned = publish_new_version(self.course_name, "2028", retrain=1)
		self.assertEqual(planned, 3)
		self.assertEqual(
			frappe.db.count(ASSIGNMENT, {"course": self.course_name, "status": ("!=", "Completed")}), 0
		)
		(job,) = run_jobs_enqueued_after_commit("smooth_lms.lms.versions.run_retraining")
		self.assertEqual(job["version"], "2028")
		self.assertEqual(
			frappe.db.count(ASSIGNMENT, {"course": self.course_name, "status": ("!=", "Completed")}), 3
		)
		comments = frappe.get_all("Comment", {"reference_name": self.course_name}, pluck="content")
		self.assertTrue(any("Version 2028: 3 learners" in comment for comment in comments), comments)
