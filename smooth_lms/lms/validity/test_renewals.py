"""Validity and recertification on a real site: valid_until on every kind of completion, compliance
states, renewals that open themselves (once), and the date edges."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.status import refresh_statuses
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.learning.enrollments import enrollment_for
from smooth_lms.lms.validity.renewals import open_renewals
from smooth_lms.lms.validity.states import compliance_states, state_counts
from smooth_lms.tests.factories import (
	QueryCounter,
	assignments_of,
	backdate_completion,
	complete_course,
	d,
	make_course,
	make_employee,
	make_user,
	run_jobs_enqueued_after_commit,
	unpublish_all_mandatory_courses,
)

ASSIGNMENT = "LMS Training Assignment"


class ValidityCase(FrappeTestCase):
	def setUp(self):
		unpublish_all_mandatory_courses()
		frappe.db.after_commit.reset()

	def employee(self, **fields) -> str:
		user = make_user()
		make_employee(user, **fields)
		return user

	def course(self, validity=365, window=30, **fields) -> str:
		return make_course(
			is_mandatory=1, validity_days=validity, renewal_window_days=window, lessons=2, **fields
		)

	def assigned(self, user: str, course: str, due_in: int = 20) -> str:
		(name,) = create_assignments([course], [user], d(due_in)).created
		return name


class TestValidUntil(ValidityCase):
	def test_a_completion_is_valid_for_the_courses_validity_days(self):
		user, course = self.employee(), self.course(validity=365)
		self.assigned(user, course)
		name = complete_course(user, course)
		self.assertEqual(getdate(frappe.db.get_value(ASSIGNMENT, name, "valid_until")), d(365))

	def test_a_course_without_validity_never_expires(self):
		user, course = self.employee(), self.course(validity=0)
		self.assigned(user, course)
		self.assertIsNone(frappe.db.get_value(ASSIGNMENT, complete_course(user, course), "valid_until"))

	def test_set_wise_completion_gives_the_same_valid_until(self):
		user, course = self.employee(), self.course(validity=100)
		name = self.assigned(user, course)
		frappe.db.set_value(ASSIGNMENT, name, "progress", 100)  # progress arrived set-wise
		refresh_statuses(frappe.qb.DocType(ASSIGNMENT).name == name)
		row = frappe.db.get_value(ASSIGNMENT, name, ["status", "completed_on", "valid_until"], as_dict=True)
		self.assertEqual((row.status, getdate(row.valid_until)), ("Completed", d(100)))

	def test_validity_changed_after_completion_keeps_the_recorded_valid_until(self):
		user, course = self.employee(), self.course(validity=365)
		self.assigned(user, course)
		name = complete_course(user, course)
		doc = frappe.get_doc("LMS Course", course)
		doc.validity_days = 30
		doc.save()
		self.assertEqual(getdate(frappe.db.get_value(ASSIGNMENT, name, "valid_until")), d(365))


class TestComplianceStates(ValidityCase):
	def test_each_person_on_each_course_they_owe(self):
		course = self.course(validity=365, window=30)
		compliant, expiring, expired, renewing, pending, unassigned = (self.employee() for _ in range(6))
		for user, days_ago in ((compliant, 10), (expiring, 350), (expired, 400), (renewing, 400)):
			self.assigned(user, course)
			backdate_completion(complete_course(user, course), days_ago, 365)
		self.assigned(pending, course)
		create_assignments([course], [renewing], d(5))  # HR already asked for a new attempt

		states = {
			row["employee"]: row
			for row in compliance_states(
				[compliant, expiring, expired, renewing, pending, unassigned], [course]
			)
		}

		self.assertEqual(
			{user: row["state"] for user, row in states.items()},
			{
				compliant: "Compliant",
				expiring: "Expiring Soon",
				expired: "Expired",
				renewing: "Expired",  # lapsed; its renewal (asked by HR) is under way
				pending: "Pending",
				unassigned: "Not Assigned",
			},
		)
		self.assertEqual(getdate(states[expiring]["valid_until"]), d(15))
		self.assertIsNone(states[unassigned]["assignment"])
		counts = state_counts(states.values())
		self.assertEqual((counts["Expiring Soon"], counts["Expired"], counts["Not Assigned"]), (1, 2, 1))

	def test_only_what_people_owe(self):
		sales = self.course(mandatory_for=[{"department": "Sales"}])
		user = self.employee(department="Operations")
		self.assertEqual(compliance_states([user], [sales]), [])


class TestRenewals(ValidityCase):
	def test_a_completion_entering_its_window_opens_its_renewal_once(self):
		user, course = self.employee(), self.course(validity=365, window=30)
		self.assigned(user, course)
		first = complete_course(user, course)
		backdate_completion(first, 340, 365)  # expires in 25 days: inside the 30-day window
		enrollment = enrollment_for(user, course)

		self.assertEqual(open_renewals()["renewals"], 1)

		(renewal,) = [row for row in assignments_of(user, course) if row.name != first]
		doc = frappe.get_doc(ASSIGNMENT, renewal.name)
		self.assertEqual((doc.renewal_of, doc.status), (first, "Pending"))
		self.assertEqual(getdate(doc.due_date), d(25), "due on the expiry date")
		self.assertEqual(frappe.db.get_value("LMS Enrollment", enrollment, "progress"), 0, "started over")
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, first, "status"), "Completed", "history kept")
		for _day in range(3):  # the next days: nothing more
			self.assertEqual(open_renewals()["renewals"], 0)
		self.assertEqual(len(assignments_of(user, course)), 2)

	def test_outside_the_window_nothing_opens(self):
		user, course = self.employee(), self.course(validity=365, window=30)
		self.assigned(user, course)
		backdate_completion(complete_course(user, course), 300, 365)  # expires in 65 days
		self.assertEqual(open_renewals(courses=[course])["renewals"], 0)

	def test_expiry_today_is_inside_the_window(self):
		user, course = self.employee(), self.course(validity=365, window=0)
		self.assigned(user, course)
		backdate_completion(complete_course(user, course), 365, 365)  # valid through today
		self.assertEqual(open_renewals(courses=[course])["renewals"], 1)
		renewal = frappe.db.get_value(ASSIGNMENT, {"employee": user, "renewal_of": ("is", "set")}, "due_date")
		self.assertEqual(getdate(renewal), d(0))

	def test_completing_the_renewal_extends_validity_from_the_new_date(self):
		user, course = self.employee(), self.course(validity=365, window=30)
		self.assigned(user, course)
		first = complete_course(user, course)
		backdate_completion(first, 350, 365)
		open_renewals(courses=[course])
		second = complete_course(user, course)
		self.assertNotEqual(first, second)
		self.assertEqual(getdate(frappe.db.get_value(ASSIGNMENT, second, "valid_until")), d(365))
		(state,) = compliance_states([user], [course])
		self.assertEqual((state["state"], getdate(state["valid_until"])), ("Compliant", d(365)))
		self.assertEqual(
			open_renewals(courses=[course])["renewals"], 0, "the new completion is far from expiry"
		)

	def test_only_people_who_still_owe_the_course(self):
		course = self.course(validity=365, window=30, mandatory_for=[{"department": "Sales"}])
		leaver, moved, stays = (
			self.employee(department="Sales"),
			self.employee(department="Sales"),
			self.employee(department="Sales"),
		)
		contractor, gone_contractor = make_user(), make_user()
		for user in (leaver, moved, stays, contractor, gone_contractor):
			self.assigned(user, course)
			backdate_completion(complete_course(user, course), 350, 365)
		for user, change in ((leaver, {"status": "Left"}), (moved, {"department": "Operations"})):
			employee = frappe.get_doc("Employee", {"user_id": user})
			employee.update(change)
			employee.save()
		frappe.db.set_value("User", gone_contractor, "enabled", 0)

		open_renewals(courses=[course])

		renewed = set(
			frappe.get_all(ASSIGNMENT, {"course": course, "renewal_of": ("is", "set")}, pluck="employee")
		)
		self.assertEqual(renewed, {stays, contractor})

	def test_validity_first_set_expires_old_completions_and_renews_them_at_once(self):
		user, course = self.employee(), self.course(validity=0)
		self.assigned(user, course)
		old = complete_course(user, course)
		backdate_completion(old, 400, 0)  # completed 400 days ago, when the course never expired
		doc = frappe.get_doc("LMS Course", course)
		doc.validity_days = 365
		doc.save()

		self.assertEqual(getdate(frappe.db.get_value(ASSIGNMENT, old, "valid_until")), d(-35))
		(job,) = run_jobs_enqueued_after_commit("smooth_lms.lms.validity.renewals.open_renewals")
		self.assertEqual(job["courses"], [course])
		renewal = frappe.get_doc(ASSIGNMENT, {"renewal_of": old})
		self.assertEqual(getdate(renewal.due_date), d(30), "already expired: the window from today")
		self.assertEqual(renewal.status, "Pending")

	def test_an_overdue_renewal_is_not_opened_twice(self):
		user, course = self.employee(), self.course(validity=365, window=30)
		self.assigned(user, course)
		backdate_completion(complete_course(user, course), 350, 365)
		open_renewals(courses=[course])
		frappe.db.set_value(ASSIGNMENT, {"renewal_of": ("is", "set"), "employee": user}, "due_date", d(-1))
		mark_overdue_assignments()
		self.assertEqual(open_renewals(courses=[course])["renewals"], 0)

	def test_the_daily_job_is_set_wise(self):
		course = self.course(validity=365, window=30)
		users = [self.employee() for _ in range(12)]
		for user in users:
			self.assigned(user, course)
		frappe.db.set_value(
			ASSIGNMENT,
			{"course": course},
			{
				"status": "Completed",
				"progress": 100,
				"completed_on": d(-350),
				"valid_until": d(15),
				"open_key": None,
			},
		)
		frappe.get_meta(ASSIGNMENT)
		with QueryCounter() as few:
			open_renewals(courses=[course])
		frappe.db.set_value(
			ASSIGNMENT, {"course": course, "renewal_of": ("is", "set")}, "status", "Completed"
		)
		with QueryCounter() as none_due:
			self.assertEqual(open_renewals(courses=[course])["renewals"], 0)
		self.assertEqual(none_due.count, 1, "one query finds nothing to renew")
		self.assertLess(few.count, 40, "a fixed number of statements for a batch of renewals")

	def test_is_a_daily_job(self):
		self.assertIn(
			"smooth_lms.lms.validity.renewals.open_renewals", frappe.get_hooks("scheduler_events")["daily"]
		)
