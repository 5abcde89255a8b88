"""Who must take what (SPEC): a course's Mandatory For rows decide who owes it; changes to people or
courses give the people who now owe a course their assignment, once; leavers get nothing new."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from smooth_lms.lms.hrms_integration import assign_mandatory_training, get_team_training_status
from smooth_lms.lms.obligations.owed import missing, owed_courses
from smooth_lms.lms.reporting.counts import compliance_counts
from smooth_lms.tests.factories import (
	assignments_of,
	make_course,
	make_employee,
	make_user,
	run_jobs_enqueued_after_commit,
	unpublish_all_mandatory_courses,
)

SWEEP = "smooth_lms.lms.obligations.sweeps.sweep_course"


def person(department="Operations", **fields) -> str:
	user = make_user()
	make_employee(user, department=department, **fields)
	return user


def employee_of(user: str):
	return frappe.get_doc("Employee", frappe.db.get_value("Employee", {"user_id": user}))


class TestWhoOwesWhat(FrappeTestCase):
	def setUp(self):
		unpublish_all_mandatory_courses()

	def owes(self, user: str) -> set[str]:
		return set(owed_courses([user]).get(user, []))

	def test_a_course_without_rows_is_owed_by_every_active_employee_with_a_user(self):
		everyone = make_course(is_mandatory=1)
		make_course(is_mandatory=0)
		make_course(is_mandatory=1, published=0)
		active, left, disabled = person(), person(status="Left"), make_user(enabled=0)
		make_employee(disabled)
		self.assertEqual(self.owes(active), {everyone})
		self.assertEqual(self.owes(left), set())
		self.assertEqual(self.owes(disabled), set())
		contractor = make_user()  # no Employee record: owes only what is assigned to them
		self.assertEqual(self.owes(contractor), set())

	def test_a_row_matches_when_every_field_filled_in_equals_the_employees(self):
		sales = make_course(is_mandatory=1, mandatory_for=[{"department": "Sales"}])
		sales_managers = make_course(
			is_mandatory=1, mandatory_for=[{"department": "Sales", "designation": "Manager"}]
		)
		drivers_anywhere = make_course(
			is_mandatory=1,
			mandatory_for=[{"employment_type": "Contract", "branch": "Lyon"}, {"designation": "Driver"}],
		)
		rep = person("Sales", designation="Associate")
		manager = person("Sales", designation="Manager")
		driver = person("Operations", designation="Driver")
		contractor_in_lyon = person("Finance", employment_type="Contract", branch="Lyon")
		contractor_in_paris = person("Finance", employment_type="Contract", branch="Paris")

		self.assertEqual(self.owes(rep), {sales})
		self.assertEqual(self.owes(manager), {sales, sales_managers})
		self.assertEqual(self.owes(driver), {drivers_anywhere})
		self.assertEqual(self.owes(contractor_in_lyon), {drivers_anywhere})
		self.assertEqual(self.owes(contractor_in_paris), set())

	def test_an_empty_field_on_a_row_matches_anything(self):
		course = make_course(is_mandatory=1, mandatory_for=[{"department": "", "designation": "Driver"}])
		self.assertEqual(self.owes(person("Sales", designation="Driver")), {course})

	def test_missing_leaves_out_what_people_have(self):
		course = make_course(is_mandatory=1)
		fresh, busy, late, done = person(), person(), person(), person()
		assign_mandatory_training(course, [busy, late, done], add_days(today(), 5))
		frappe.db.set_value("LMS Training Assignment", {"employee": late}, "status", "Overdue")
		frappe.db.set_value("LMS Training Assignment", {"employee": done}, "status", "Completed")
		self.assertEqual(missing([fresh, busy, late, done], [course]), [(fresh, course)])


class TestChangesGiveWhatIsNowOwed(FrappeTestCase):
	def setUp(self):
		unpublish_all_mandatory_courses()
		frappe.db.after_commit.reset()  # jobs queued by earlier tests of the class (their rows differ)

	def test_moving_department_gives_the_new_departments_courses_and_keeps_the_old(self):
		ops_course = make_course(is_mandatory=1, mandatory_for=[{"department": "Operations"}])
		sales_course = make_course(is_mandatory=1, mandatory_for=[{"department": "Sales"}])
		user = person("Operations")
		assign_mandatory_training(ops_course, [user], add_days(today(), 5))

		employee = employee_of(user)
		employee.department = "Sales"
		employee.save()

		rows = {row.course: row for row in assignments_of(user)}
		self.assertEqual(set(rows), {ops_course, sales_course}, "the Operations course stays on record")
		self.assertEqual(getdate(rows[sales_course].due_date), getdate(add_days(today(), 30)))
		employee.designation = "Lead"  # saved again: nothing twice
		employee.save()
		self.assertEqual(len(assignments_of(user)), 2)

	def test_a_change_that_matters_to_nobody_assigns_nothing(self):
		make_course(is_mandatory=1, mandatory_for=[{"department": "Sales"}])
		user = person("Operations")
		employee = employee_of(user)
		employee.date_of_joining = today()
		employee.save()
		self.assertEqual(assignments_of(user), [])

	def test_a_course_made_mandatory_reaches_everyone_who_now_owes_it_from_a_job(self):
		users = [person("Sales"), person("Sales"), person("Operations")]
		course = make_course(is_mandatory=0)
		doc = frappe.get_doc("LMS Course", course)
		doc.is_mandatory = 1
		doc.append("mandatory_for", {"department": "Sales"})
		doc.save()
		self.assertEqual([assignments_of(u) for u in users], [[], [], []], "nothing inside the request")

		(job,) = run_jobs_enqueued_after_commit(SWEEP)

		self.assertEqual(job["course"], course)
		self.assertEqual([len(assignments_of(u, course)) for u in users], [1, 1, 0])
		doc.save()  # saved again unchanged: no sweep
		self.assertEqual(run_jobs_enqueued_after_commit(SWEEP), [])

	def test_changing_who_owes_a_course_keeps_the_history_of_those_who_no_longer_do(self):
		sales, ops = person("Sales"), person("Operations")
		course = make_course(is_mandatory=1, mandatory_for=[{"department": "Sales"}])
		run_jobs_enqueued_after_commit(SWEEP)
		self.assertEqual(len(assignments_of(sales, course)), 1)

		doc = frappe.get_doc("LMS Course", course)
		doc.mandatory_for[0].department = "Operations"
		doc.save()
		run_jobs_enqueued_after_commit(SWEEP)

		self.assertEqual(len(assignments_of(ops, course)), 1)
		self.assertEqual(len(assignments_of(sales, course)), 1, "kept")

	def test_a_sweep_twice_assigns_nothing_more(self):
		user = person("Sales")
		course = make_course(is_mandatory=1)
		from smooth_lms.lms.obligations.sweeps import sweep_course

		first = sweep_course(course)
		self.assertGreaterEqual(first["created"], 1)
		self.assertEqual(sweep_course(course)["created"], 0)
		self.assertEqual(len(assignments_of(user, course)), 1)


class TestLeavers(FrappeTestCase):
	def setUp(self):
		self.course = make_course()
		self.staying, self.leaving = person(), person()
		assign_mandatory_training(self.course, [self.staying, self.leaving], add_days(today(), 5))
		employee = employee_of(self.leaving)
		employee.status = "Left"
		employee.save()

	def test_no_new_assignment(self):
		moderator = make_user("Moderator")
		frappe.set_user(moderator)
		try:
			frappe.clear_messages()
			self.assertEqual(
				assign_mandatory_training(make_course(), [self.leaving], add_days(today(), 5)), 0
			)
			message = " ".join(str(m.get("message")) for m in frappe.get_message_log())
		finally:
			frappe.set_user("Administrator")
		self.assertIn("Leavers skipped", message)
		with self.assertRaisesRegex(frappe.ValidationError, "has left"):
			frappe.get_doc(
				{
					"doctype": "LMS Training Assignment",
					"employee": self.leaving,
					"course": make_course(),
					"due_date": add_days(today(), 5),
				}
			).insert()

	def test_history_stays_and_counts_leave_them_out_unless_asked(self):
		self.assertEqual(len(assignments_of(self.leaving, self.course)), 1)
		counted = compliance_counts(self.course)["assigned"]
		self.assertEqual(counted, 1)
		self.assertEqual(compliance_counts(self.course, include_leavers=True)["assigned"], 2)
		team = get_team_training_status(course=self.course)
		self.assertEqual({row["employee"] for row in team["rows"]}, {self.staying})
		everyone = get_team_training_status(course=self.course, include_leavers=True)
		self.assertEqual({row["employee"] for row in everyone["rows"]}, {self.staying, self.leaving})

	def test_a_disabled_user_is_a_leaver_too(self):
		frappe.db.set_value("User", self.staying, "enabled", 0)
		self.assertEqual(compliance_counts(self.course)["assigned"], 0)

	def test_rehired_as_a_new_employee_is_back(self):
		make_employee(self.leaving, department="Sales")  # a new, active Employee record
		self.assertEqual(compliance_counts(self.course)["assigned"], 2)
