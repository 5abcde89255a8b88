"""Onboarding as HR really does it (HRMS v15's order of events, on the stand-ins that reproduce it):
the onboarding first, from a Job Applicant; the Employee later (HRMS links it by db_set from the
Employee's validate); the user later still. Nothing is skipped silently, nothing is assigned twice."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from smooth_lms.lms.obligations.onboarding import catch_up
from smooth_lms.tests.factories import (
	assignments_of,
	make_course,
	make_employee,
	make_onboarding,
	make_user,
	unique,
	unpublish_all_mandatory_courses,
)

TRACKER = "LMS Onboarding Training"


def state_of(onboarding) -> str:
	return frappe.db.get_value(TRACKER, {"onboarding": onboarding.name}, "state")


def notes_on(onboarding) -> list[str]:
	return frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Employee Onboarding", "reference_name": onboarding.name},
		pluck="content",
		order_by="creation asc",
	)


def hire(job_applicant: str, user: str | None = None, **fields) -> str:
	"""make_employee from the submitted onboarding, as HR does in HRMS (job_applicant carried over)."""
	return make_employee(user, job_applicant=job_applicant, **fields)


class OnboardingCase(FrappeTestCase):
	def setUp(self):
		unpublish_all_mandatory_courses()
		self.courses = sorted([make_course(is_mandatory=1), make_course(is_mandatory=1)])
		self.applicant = unique("HR-APP")

	def tearDown(self):
		frappe.set_user("Administrator")

	def assigned_courses(self, user: str) -> list[str]:
		return sorted(row.course for row in assignments_of(user))


class TestHrmsOrder(OnboardingCase):
	def test_onboarding_then_employee_then_user(self):
		onboarding = make_onboarding(job_applicant=self.applicant, submit=True)
		self.assertEqual(state_of(onboarding), "Waiting for Employee")
		self.assertIn("the onboarding has no Employee yet", notes_on(onboarding)[-1])

		employee = hire(self.applicant)  # no user yet
		self.assertEqual(frappe.db.get_value("Employee Onboarding", onboarding.name, "employee"), employee)
		self.assertEqual(state_of(onboarding), "Waiting for User")
		self.assertIn("has no User ID yet", notes_on(onboarding)[-1])

		user = make_user()
		doc = frappe.get_doc("Employee", employee)
		doc.user_id = user
		doc.save()

		self.assertEqual(state_of(onboarding), "Assigned")
		rows = assignments_of(user)
		self.assertEqual(sorted(r.course for r in rows), self.courses)
		for row in rows:
			self.assertEqual(getdate(row.due_date), getdate(add_days(today(), 30)))
			self.assertEqual(row.status, "Pending")
		self.assertIn("assigned 2 mandatory courses", notes_on(onboarding)[-1])
		self.assertIn("LMS Student", frappe.get_roles(user))

		doc.designation = "Senior Associate"  # a second save: nothing more
		doc.save()
		self.assertEqual(len(assignments_of(user)), 2)
		self.assertEqual(len(notes_on(onboarding)), 3, "one note per step, none per check")

	def test_user_set_by_db_set(self):
		onboarding = make_onboarding(job_applicant=self.applicant, submit=True)
		employee = frappe.get_doc("Employee", hire(self.applicant))
		user = make_user()
		employee.db_set("user_id", user)  # on_change still fires
		self.assertEqual(state_of(onboarding), "Assigned")
		self.assertEqual(self.assigned_courses(user), self.courses)

	def test_changes_made_without_hooks_are_caught_up_daily(self):
		onboarding = make_onboarding(job_applicant=self.applicant, submit=True)
		employee = hire(self.applicant)
		user = make_user()
		frappe.db.sql("update `tabEmployee` set user_id = %s where name = %s", (user, employee))  # no hook
		self.assertEqual(state_of(onboarding), "Waiting for User")

		self.assertGreaterEqual(catch_up(), 1)

		self.assertEqual(state_of(onboarding), "Assigned")
		self.assertEqual(self.assigned_courses(user), self.courses)
		catch_up()  # the next day: nothing more
		self.assertEqual(len(assignments_of(user)), 2)

	def test_employee_linked_by_sql_only_is_found_through_the_job_applicant(self):
		onboarding = make_onboarding(job_applicant=self.applicant, submit=True)
		user = make_user()
		frappe.db.sql(  # an import that skipped every hook, the onboarding's link included
			"insert into `tabEmployee` (name, employee_name, user_id, status, job_applicant) values (%s, %s, %s, 'Active', %s)",
			("HR-EMP-SQL-1", "Imported", user, self.applicant),
		)
		catch_up()
		self.assertEqual(state_of(onboarding), "Assigned")
		self.assertEqual(self.assigned_courses(user), self.courses)

	def test_due_date_counts_from_the_day_training_is_assigned(self):
		onboarding = make_onboarding(job_applicant=self.applicant, submit=True)
		frappe.db.set_value(  # the onboarding was made three weeks ago
			"Employee Onboarding", onboarding.name, "creation", add_days(today(), -21), update_modified=False
		)
		user = make_user()
		hire(self.applicant, user)
		for row in assignments_of(user):
			self.assertEqual(getdate(row.due_date), getdate(add_days(today(), 30)))

	def test_employee_already_there_is_the_seeds_order(self):
		user = make_user()
		employee = make_employee(user, job_applicant=self.applicant)
		onboarding = make_onboarding(job_applicant=self.applicant)  # HRMS's set_employee fills it
		self.assertEqual(onboarding.employee, employee)
		self.assertEqual(state_of(onboarding), "Assigned")
		self.assertEqual(self.assigned_courses(user), self.courses)


class TestNeverTwice(OnboardingCase):
	def test_stand_in_refuses_a_second_onboarding_for_one_applicant(self):
		make_onboarding(job_applicant=self.applicant)
		with self.assertRaises(frappe.DuplicateEntryError):
			make_onboarding(job_applicant=self.applicant)

	def test_amended_onboarding_assigns_nothing_twice(self):
		user = make_user()
		hire(self.applicant, user)
		first = make_onboarding(job_applicant=self.applicant, submit=True)
		self.assertEqual(len(assignments_of(user)), 2)
		first.cancel()
		amended = frappe.copy_doc(first)  # what the desk's Amend does
		amended.update({"amended_from": first.name, "docstatus": 0})
		amended.insert()
		self.assertEqual(state_of(amended), "Assigned")
		self.assertEqual(len(assignments_of(user)), 2, "the open ones are not opened again")
		self.assertIn("2 were assigned already", notes_on(amended)[-1])

	def test_second_onboarding_of_the_same_person(self):
		user = make_user()
		employee = make_employee(user, job_applicant=self.applicant)
		make_onboarding(job_applicant=self.applicant)
		second = make_onboarding(employee=employee, job_applicant=unique("HR-APP"))
		self.assertEqual(state_of(second), "Assigned")
		self.assertEqual(len(assignments_of(user)), 2)


class TestOwesNothing(OnboardingCase):
	def test_a_cancelled_onboarding_owes_nothing(self):
		onboarding = make_onboarding(job_applicant=self.applicant, submit=True)
		onboarding.cancel()
		self.assertEqual(state_of(onboarding), "Cancelled")
		self.assertIn("the onboarding was cancelled", notes_on(onboarding)[-1])
		user = make_user()
		hire(self.applicant, user)
		catch_up()
		self.assertEqual(assignments_of(user), [])

	def test_a_new_hire_who_left_before_training_owes_nothing(self):
		onboarding = make_onboarding(job_applicant=self.applicant, submit=True)
		employee = hire(self.applicant, status="Left")
		self.assertEqual(state_of(onboarding), "Cancelled")
		self.assertIn(f"Employee {employee} has left", notes_on(onboarding)[-1])

	def test_disabled_user_waits(self):
		onboarding = make_onboarding(job_applicant=self.applicant, submit=True)
		user = make_user(enabled=0)
		hire(self.applicant, user)
		self.assertEqual(state_of(onboarding), "Waiting for User")
		self.assertIn("cannot take training yet", notes_on(onboarding)[-1])
		frappe.db.set_value("User", user, "enabled", 1)
		catch_up()
		self.assertEqual(state_of(onboarding), "Assigned")

	def test_the_daily_check_of_an_unchanged_wait_writes_nothing(self):
		onboarding = make_onboarding(job_applicant=self.applicant, submit=True)
		tracker = frappe.db.get_value(TRACKER, {"onboarding": onboarding.name}, ["name", "modified"])
		versions = frappe.db.count("Version", {"ref_doctype": TRACKER, "docname": tracker[0]})
		notes = notes_on(onboarding)
		catch_up()
		catch_up()
		self.assertEqual(frappe.db.get_value(TRACKER, tracker[0], "modified"), tracker[1])
		self.assertEqual(
			frappe.db.count("Version", {"ref_doctype": TRACKER, "docname": tracker[0]}), versions
		)
		self.assertEqual(notes_on(onboarding), notes)

	def test_only_the_courses_the_new_hire_owes(self):
		sales_only = make_course(is_mandatory=1, mandatory_for=[{"department": "Sales"}])
		user = make_user()
		hire(self.applicant, user, department="Operations")
		make_onboarding(job_applicant=self.applicant)
		self.assertEqual(self.assigned_courses(user), self.courses)
		self.assertNotIn(sales_only, self.assigned_courses(user))

	def test_onboardings_older_than_the_app_are_found_by_the_daily_job(self):
		onboarding = make_onboarding(job_applicant=self.applicant, submit=True)
		frappe.db.delete(TRACKER, {"onboarding": onboarding.name})  # as if made before the app was there
		user = make_user()
		frappe.db.sql(
			"insert into `tabEmployee` (name, employee_name, user_id, status, job_applicant) values (%s, %s, %s, 'Active', %s)",
			("HR-EMP-SQL-2", "Old hire", user, self.applicant),
		)
		catch_up()
		self.assertEqual(state_of(onboarding), "Assigned")
		self.assertEqual(self.assigned_courses(user), self.courses)

	def test_is_the_daily_catch_up(self):
		self.assertIn(
			"smooth_lms.lms.obligations.onboarding.catch_up", frappe.get_hooks("scheduler_events")["daily"]
		)
