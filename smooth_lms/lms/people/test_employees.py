"""The two predicates about people, and everyone who asks them the same question.

"An active employee with an enabled user" (is_current_staff) decides who owes mandatory training, who a
group assignment reaches, the group suggestions, the Compliance Matrix's people, a manager's direct
reports and whether an onboarding's new hire can be assigned. "Has left" (is_leaver: user disabled, or
every Employee record Left) decides who is left out of counts and team status and who gets no new
assignment. The same people go through every reader here: if one reader restated a predicate
differently, its answer would differ from the others'."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.groups import get_group_values, group_members
from smooth_lms.lms.hrms_integration import get_team_training_status
from smooth_lms.lms.obligations.onboarding import new_hire
from smooth_lms.lms.obligations.owed import owed_courses
from smooth_lms.lms.people.team import team_members
from smooth_lms.lms.report.compliance_matrix.compliance_matrix import employees as matrix_people
from smooth_lms.lms.report.mandatory_training_compliance.mandatory_training_compliance import execute
from smooth_lms.lms.reporting.counts import compliance_counts
from smooth_lms.tests.factories import (
	make_course,
	make_employee,
	make_user,
	unique,
	unpublish_all_mandatory_courses,
)


class TestOnePredicateEach(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		unpublish_all_mandatory_courses()
		self.department = unique("Predicates")
		self.manager = make_user()
		self.manager_id = make_employee(self.manager, self.department)
		people = {}
		for key in ("active", "disabled", "suspended", "rehired", "left"):
			people[key] = make_user()
			people[f"{key}_id"] = make_employee(people[key], self.department, reports_to=self.manager_id)
		self.people = frappe._dict(people)
		# Assigned while they all could take training; then their situations change.
		self.course = make_course(is_mandatory=1, mandatory_for=[{"department": self.department}])
		users = [self.people[key] for key in ("active", "disabled", "suspended", "rehired", "left")]
		create_assignments([self.course], users, add_days(today(), 5))
		frappe.db.set_value("User", self.people.disabled, "enabled", 0)
		frappe.db.set_value("Employee", self.people.suspended_id, "status", "Suspended")
		# Rehired: the old record Left, a new one Active.
		frappe.db.set_value("Employee", self.people.rehired_id, "status", "Left")
		make_employee(self.people.rehired, self.department, reports_to=self.manager_id)
		frappe.db.set_value("Employee", self.people.left_id, "status", "Left")
		self.no_user_id = make_employee(None, self.department, reports_to=self.manager_id)

	def test_current_staff_is_the_same_people_for_every_reader(self):
		staff = {self.people.active, self.people.rehired}
		owe = {u for u, owed in owed_courses().items() if self.course in owed}
		self.assertEqual(owe, staff | {self.manager})
		self.assertEqual(set(group_members({"department": self.department})), staff | {self.manager})
		self.assertEqual(set(matrix_people(department=self.department)) - {self.manager}, staff)
		self.assertEqual({m["employee"] for m in team_members(self.manager)}, staff)
		self.assertIn(self.department, get_group_values("department", self.department))
		for key, expected in (("active_id", 1), ("disabled_id", 0), ("suspended_id", 0)):
			found = new_hire(frappe._dict(employee=self.people[key], job_applicant=None))
			self.assertEqual(found.current_staff, expected, key)

	def test_leavers_are_the_same_people_for_every_reader(self):
		# Left out by the one rule: the disabled user, and the person whose every record is Left. The
		# rehired person (one record Left, one Active) and the suspended one have not left.
		stay = {self.people.active, self.people.suspended, self.people.rehired}
		rows = get_team_training_status(department=self.department, course=self.course)["rows"]
		self.assertEqual({row["employee"] for row in rows}, stay)
		self.assertEqual(compliance_counts(course=self.course)["assigned"], len(stay))
		everyone = get_team_training_status(course=self.course, include_leavers=True)["rows"]
		self.assertEqual(len(everyone), 5, "a person with two Employee records is one row")
		(grouped,) = execute({"group_by": "Department", "department": self.department})[1]
		self.assertEqual(grouped["assigned"], len(stay), "and is counted once per department")
		# No new assignment for a leaver, for the same reasons.
		other = make_course()
		users = [self.people[key] for key in ("active", "disabled", "suspended", "rehired", "left")]
		result = create_assignments([other], users, add_days(today(), 5))
		self.assertEqual(
			(set(result.disabled_users), set(result.left_users)), ({self.people.disabled}, {self.people.left})
		)
		# An onboarding of the person who left is cancelled; the rehired one's is not.
		left = new_hire(frappe._dict(employee=self.people.left_id, job_applicant=None))
		self.assertEqual(left.has_left, 1)
		rehired = new_hire(frappe._dict(employee=self.people.rehired_id, job_applicant=None))
		self.assertEqual(rehired.has_left, 0)
		no_user = new_hire(frappe._dict(employee=self.no_user_id, job_applicant=None))
		self.assertEqual((no_user.has_left, no_user.current_staff), (0, 0))
