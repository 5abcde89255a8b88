import json
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from smooth_lms.lms.hrms_integration import (
	assign_mandatory_training,
	get_my_training_assignments,
	get_team_training_status,
)
from smooth_lms.lms.obligations.sweeps import assign_missing
from smooth_lms.tests.factories import (
	QueryCounter,
	assignments_of,
	make_course,
	make_employee,
	make_onboarding,
	make_user,
	unpublish_all_mandatory_courses,
)


def comments_on(doc) -> list[str]:
	return frappe.get_all(
		"Comment",
		filters={"reference_doctype": doc.doctype, "reference_name": doc.name, "comment_type": "Comment"},
		pluck="content",
	)


def count(doctype: str, **filters) -> int:
	return frappe.db.count(doctype, filters)


class TestOnboardingHook(FrappeTestCase):
	def setUp(self):
		unpublish_all_mandatory_courses()
		self.mandatory = [make_course(is_mandatory=1), make_course(is_mandatory=1)]
		self.draft_mandatory = make_course(is_mandatory=1, published=0)
		self.optional = make_course(is_mandatory=0)
		self.hr = make_user("HR Manager", "System Manager")
		self.user = make_user()
		self.employee = make_employee(self.user)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_is_wired_to_after_insert(self):
		hooks = frappe.get_hooks("doc_events")["Employee Onboarding"]
		self.assertEqual(hooks["after_insert"], ["smooth_lms.lms.hrms_integration.on_onboarding_created"])
		self.assertNotIn("on_update", hooks)

	def test_enrols_in_every_published_mandatory_course_due_in_30_days(self):
		frappe.set_user(self.hr)
		make_onboarding(self.employee)
		rows = assignments_of(self.user)
		self.assertEqual(sorted(r.course for r in rows), sorted(self.mandatory))
		for row in rows:
			self.assertEqual(row.status, "Pending")
			self.assertEqual(getdate(row.due_date), getdate(add_days(today(), 30)))
			self.assertEqual(row.assigned_by, self.hr)
			self.assertTrue(row.enrollment)
		enrolled = frappe.get_all("LMS Enrollment", filters={"member": self.user}, pluck="course")
		self.assertEqual(sorted(enrolled), sorted(self.mandatory))
		self.assertIn("LMS Student", frappe.get_roles(self.user))

	def test_updating_an_onboarding_assigns_nothing(self):
		onboarding = make_onboarding(self.employee)
		make_course(is_mandatory=1)  # a new mandatory course after the onboarding was created
		onboarding.boarding_status = "In Process"
		onboarding.save()
		self.assertEqual(count("LMS Training Assignment", employee=self.user), 2)

	def test_second_onboarding_creates_no_duplicates(self):
		make_onboarding(self.employee)
		second = make_onboarding(self.employee)
		self.assertEqual(count("LMS Enrollment", member=self.user), 2)
		self.assertEqual(count("LMS Training Assignment", employee=self.user), 2)
		self.assertTrue(any("2 were assigned already" in c for c in comments_on(second)))

	def test_existing_enrollment_is_kept(self):
		frappe.get_doc(
			{"doctype": "LMS Enrollment", "member": self.user, "course": self.mandatory[0], "progress": 50}
		).insert()
		make_onboarding(self.employee)
		self.assertEqual(count("LMS Enrollment", member=self.user), 2)
		progress = {r.course: (r.status, r.progress) for r in assignments_of(self.user)}
		self.assertEqual(progress[self.mandatory[0]], ("In Progress", 50))
		self.assertEqual(progress[self.mandatory[1]], ("Pending", 0))

	def test_onboarding_without_employee_leaves_a_reason(self):
		doc = make_onboarding(None)
		self.assertTrue(frappe.db.exists("Employee Onboarding", doc.name))
		self.assertTrue(any("has no Employee" in c for c in comments_on(doc)))

	def test_employee_without_user_leaves_a_reason(self):
		doc = make_onboarding(make_employee(None))
		self.assertTrue(any("has no User ID" in c for c in comments_on(doc)))
		self.assertEqual(
			count("LMS Training Assignment", assigned_by="Administrator", due_date=add_days(today(), 30)), 0
		)

	def test_no_mandatory_course_leaves_a_reason(self):
		unpublish_all_mandatory_courses()
		doc = make_onboarding(self.employee)
		self.assertTrue(any("no published course marked Mandatory Training" in c for c in comments_on(doc)))
		self.assertEqual(count("LMS Enrollment", member=self.user), 0)

	def test_a_failure_keeps_the_onboarding_and_leaves_nothing_half_made(self):
		real = assign_missing

		def fails_after_writing(*args, **kwargs):
			real(*args, **kwargs)  # enrollments, roles and assignments are written ...
			raise RuntimeError("disk full")  # ... then the LMS part fails

		with patch("smooth_lms.lms.obligations.onboarding.assign_missing", fails_after_writing):
			doc = make_onboarding(self.employee)

		self.assertTrue(frappe.db.exists("Employee Onboarding", doc.name))
		self.assertEqual(count("LMS Enrollment", member=self.user), 0)
		self.assertEqual(count("LMS Training Assignment", employee=self.user), 0)
		self.assertTrue(any("Error Log" in c for c in comments_on(doc)))
		log = frappe.get_all(
			"Error Log", filters={"reference_name": doc.name}, fields=["method", "error"], limit=1
		)
		self.assertTrue(log)
		self.assertIn(doc.name, log[0].method)
		self.assertIn("disk full", log[0].error)


class TestAssignMandatoryTraining(FrappeTestCase):
	def setUp(self):
		self.course = make_course()
		self.moderator = make_user("Moderator")
		self.learners = [make_user() for _ in range(3)]
		frappe.set_user(self.moderator)

	def tearDown(self):
		frappe.set_user("Administrator")

	def assign(self, employees=None, course=None, due_date=None):
		return assign_mandatory_training(
			course=course or self.course,
			employees=self.learners if employees is None else employees,
			due_date=due_date or add_days(today(), 14),
		)

	def test_creates_one_pending_assignment_each_and_returns_the_count(self):
		self.assertEqual(self.assign(), 3)
		for user in self.learners:
			[row] = assignments_of(user, self.course)
			self.assertEqual((row.status, row.assigned_by), ("Pending", self.moderator))
			self.assertTrue(frappe.db.exists("LMS Enrollment", {"member": user, "course": self.course}))

	def test_accepts_a_json_string_and_counts_repeats_once(self):
		self.assertEqual(self.assign(json.dumps([*self.learners, self.learners[0]])), 3)

	def test_skips_open_assignments(self):
		self.assign(self.learners[:1])
		self.assertEqual(self.assign(), 2)
		self.assertEqual(self.assign(), 0)
		self.assertEqual(count("LMS Training Assignment", course=self.course), 3)

	def test_accepts_hrms_employee_ids(self):
		frappe.set_user("Administrator")
		employee = make_employee(self.learners[0])
		no_user = make_employee(None)
		frappe.set_user(self.moderator)
		self.assertEqual(self.assign([employee, self.learners[1], no_user]), 2)
		self.assertEqual(len(assignments_of(self.learners[0], self.course)), 1)

	def test_unknown_and_disabled_users_are_skipped_and_reported(self):
		frappe.set_user("Administrator")
		disabled = make_user(enabled=0)
		frappe.set_user(self.moderator)
		frappe.clear_messages()
		self.assertEqual(self.assign([self.learners[0], "nobody@example.com", disabled]), 1)
		message = " ".join(str(m.get("message")) for m in frappe.get_message_log())
		self.assertIn("nobody@example.com", message)
		self.assertIn(disabled, message)
		self.assertEqual(count("LMS Training Assignment", employee=disabled), 0)

	def test_refuses_callers_without_the_moderator_role(self):
		for user in (make_user("HR Manager"), make_user("LMS Student"), "Guest"):
			frappe.set_user(user)
			with self.assertRaisesRegex(frappe.PermissionError, "Moderator"):
				self.assign()
		frappe.set_user("Administrator")
		self.assertEqual(count("LMS Training Assignment", course=self.course), 0)

	def test_system_manager_may_assign(self):
		frappe.set_user(make_user("System Manager"))
		self.assertEqual(self.assign(), 3)

	def test_refusals_write_nothing(self):
		cases = [
			(dict(course="no-such-course"), frappe.DoesNotExistError, "does not exist"),
			(dict(course=make_course(published=0)), frappe.ValidationError, "not published"),
			(dict(due_date=add_days(today(), -1)), frappe.ValidationError, "in the past"),
			(dict(due_date="next tuesday"), frappe.ValidationError, "not a valid date"),
			(dict(due_date=""), frappe.ValidationError, "Due Date is required"),
			(dict(employees="jane@example.com"), frappe.ValidationError, "must be a list"),
			(dict(employees=[]), frappe.ValidationError, "at least one employee"),
		]
		for kwargs, exc, message in cases:
			args = {
				"course": self.course,
				"employees": self.learners,
				"due_date": add_days(today(), 3),
				**kwargs,
			}
			with self.subTest(kwargs=kwargs), self.assertRaisesRegex(exc, message):
				assign_mandatory_training(**args)
		self.assertEqual(count("LMS Training Assignment", assigned_by=self.moderator), 0)
		self.assertEqual(sum(count("LMS Enrollment", member=u) for u in self.learners), 0)

	def test_cost_is_fixed_per_batch_not_per_employee(self):
		frappe.set_user("Administrator")
		few = [make_user() for _ in range(5)]
		many = [make_user() for _ in range(60)]
		course_a, course_b = make_course(), make_course()
		frappe.set_user(self.moderator)

		def queries(course, users):
			with QueryCounter() as counter:
				self.assertEqual(self.assign(users, course=course), len(users))
			return counter.count

		queries(make_course(), [self.learners[0]])  # warm the caches (DocType meta, roles) first
		self.assertEqual(queries(course_a, few), queries(course_b, many))


class TestLearnerAndTeamViews(FrappeTestCase):
	def setUp(self):
		self.learner = make_user("LMS Student")
		self.colleague = make_user("LMS Student")
		make_employee(self.learner, department="Sales")
		make_employee(self.colleague, department="Support")
		self.courses = [make_course(image="/files/safety.png"), make_course(), make_course()]
		frappe.set_user(make_user("Moderator"))
		assign_mandatory_training(self.courses[0], [self.learner, self.colleague], add_days(today(), 20))
		assign_mandatory_training(self.courses[1], [self.learner], add_days(today(), 5))
		assign_mandatory_training(self.courses[2], [self.learner], add_days(today(), 9))
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_my_assignments_are_mine_due_first_with_progress(self):
		enrollment = frappe.get_doc("LMS Enrollment", {"member": self.learner, "course": self.courses[2]})
		enrollment.progress = 100
		enrollment.save()
		frappe.set_user(self.learner)
		rows = get_my_training_assignments()
		self.assertEqual([r["course"] for r in rows], [self.courses[1], self.courses[2], self.courses[0]])
		self.assertEqual(
			set(rows[0]),
			{
				"name",
				"course",
				"course_title",
				"course_image",
				"due_date",
				"status",
				"progress",
				"completed_on",
				"valid_until",  # SPEC, Validity and recertification
				"renewal_of",
			},
		)
		self.assertEqual(rows[2]["course_image"], "/files/safety.png")
		self.assertEqual((rows[1]["status"], rows[1]["progress"]), ("Completed", 100))
		self.assertEqual(getdate(rows[1]["completed_on"]), getdate(today()))
		self.assertEqual((rows[0]["status"], rows[0]["progress"]), ("Pending", 0))

	def test_my_assignments_refuse_guest(self):
		frappe.set_user("Guest")
		with self.assertRaises(frappe.PermissionError):
			get_my_training_assignments()

	def test_team_status_shape_filters_and_summary(self):
		frappe.set_user(make_user("HR Manager"))
		everything = get_team_training_status(course=self.courses[0])
		self.assertEqual(everything["summary"]["total"], 2)
		self.assertEqual(
			set(everything["rows"][0]),
			{
				"assignment",
				"employee",
				"employee_name",
				"department",
				"course",
				"course_title",
				"due_date",
				"status",
				"progress",
				"completed_on",
				"valid_until",  # SPEC, Validity and recertification
				"renewal_of",
				"validity",  # of a completion that still counts: Compliant / Expiring Soon / Expired
				"attempts_exhausted",  # a quiz of the course used up without a pass
				"course_version",  # of the course completed (SPEC, Course versions); None while open
			},
		)
		self.assertLessEqual(
			{
				"total",
				"pending",
				"in_progress",
				"completed",
				"overdue",
				"completion_rate",
				"expiring_soon",
				"expired",
			},
			set(everything["summary"]),
		)
		sales = get_team_training_status(department="Sales")
		self.assertTrue(sales["rows"])
		self.assertEqual({r["department"] for r in sales["rows"]}, {"Sales"})
		self.assertNotIn(self.colleague, {r["employee"] for r in sales["rows"]})

		frappe.set_user("Administrator")
		enrollment = frappe.get_doc("LMS Enrollment", {"member": self.learner, "course": self.courses[1]})
		enrollment.progress = 100
		enrollment.save()
		frappe.set_user(make_user("Moderator"))
		summary = get_team_training_status(department="Sales")["summary"]
		rows = [
			r for r in get_team_training_status(department="Sales")["rows"] if r["course"] in self.courses
		]
		self.assertEqual(len(rows), 3)
		self.assertGreaterEqual(summary["completed"], 1)
		completed = get_team_training_status(department="Sales", status="Completed")
		self.assertIn(self.courses[1], {r["course"] for r in completed["rows"]})
		self.assertEqual({r["status"] for r in completed["rows"]}, {"Completed"})
		self.assertEqual(completed["summary"]["completion_rate"], 100.0)

	def test_team_status_refuses_learners_and_bad_status(self):
		frappe.set_user(self.learner)
		with self.assertRaisesRegex(frappe.PermissionError, "HR Manager"):
			get_team_training_status()
		frappe.set_user(make_user("HR Manager"))
		with self.assertRaisesRegex(frappe.ValidationError, "Status must be one of"):
			get_team_training_status(status="Late")

	def test_team_status_query_count_does_not_grow_with_rows(self):
		frappe.set_user(make_user("HR Manager"))
		get_team_training_status()  # warm the caches (DocType meta, roles) first
		with QueryCounter() as small:
			get_team_training_status(course=self.courses[1])
		with QueryCounter() as large:
			get_team_training_status()
		self.assertEqual(small.count, large.count)
		self.assertLessEqual(large.count, 3)
