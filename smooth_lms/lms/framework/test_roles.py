"""Who may do what is read from the DocTypes' permissions, never from a copied list: change a DocType's
permissions (a Custom DocPerm, as an administrator does in Role Permissions Manager) and the app's own
checks, row filters and reports follow."""

import frappe
from frappe.permissions import add_permission, update_permission_property
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE_PROGRESS
from smooth_lms.lms.framework.permissions import (
	assignment_query_conditions,
	course_progress_query_conditions,
	has_learner_record_permission,
)
from smooth_lms.lms.framework.roles import (
	require_assigner,
	require_record_keeper,
	require_training_viewer,
	roles_with,
)
from smooth_lms.lms.hrms_integration import get_team_training_status
from smooth_lms.tests.factories import complete_lessons, make_course, make_user, unique

AUDITOR = "Smooth LMS Test Auditor"


class TestRolesFromDocPerm(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.addCleanup(self.forget_permissions)
		if not frappe.db.exists("Role", AUDITOR):
			frappe.get_doc({"doctype": "Role", "role_name": AUDITOR, "desk_access": 1}).insert()
		self.auditor = make_user(AUDITOR)

	def forget_permissions(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # the Custom DocPerms made here
		for doctype in (ASSIGNMENT, COURSE_PROGRESS):
			frappe.clear_cache(doctype=doctype)

	def grant(self, doctype: str, ptype: str) -> None:
		add_permission(doctype, AUDITOR, 0, ptype)
		update_permission_property(doctype, AUDITOR, 0, ptype, 1)
		frappe.clear_cache(doctype=doctype)

	def test_the_shipped_permissions_give_the_documented_roles(self):
		self.assertEqual(roles_with(ASSIGNMENT, "create"), {"Moderator", "System Manager"})
		self.assertEqual(roles_with(ASSIGNMENT, "write"), {"HR Manager", "Moderator", "System Manager"})
		self.assertEqual(
			roles_with(ASSIGNMENT, "read"), {"HR Manager", "Moderator", "System Manager", "LMS Student"}
		)
		self.assertEqual(roles_with(COURSE_PROGRESS, "read"), {"Moderator", "System Manager", "LMS Student"})

	def test_hr_managers_see_no_one_elses_lesson_progress(self):
		# LMS Course Progress grants HR Manager nothing; a copied role list once let them read every row.
		hr, learner = make_user("HR Manager", "LMS Student"), make_user()
		course = make_course(lessons=1)
		create_assignments([course], [learner], add_days(today(), 5))
		complete_lessons(learner, course, 1)
		row = frappe.get_doc(COURSE_PROGRESS, {"member": learner, "course": course})
		self.assertFalse(has_learner_record_permission(row, "read", hr))
		self.assertIn(frappe.db.escape(hr), course_progress_query_conditions(hr))
		self.assertEqual(course_progress_query_conditions(make_user("Moderator")), "")

	def test_a_role_given_read_on_assignments_sees_everyones_training(self):
		frappe.set_user(self.auditor)
		with self.assertRaises(frappe.PermissionError):
			require_training_viewer()
		self.assertIn(frappe.db.escape(self.auditor), assignment_query_conditions(self.auditor))

		frappe.set_user("Administrator")
		self.grant(ASSIGNMENT, "read")
		frappe.set_user(self.auditor)
		require_training_viewer()
		self.assertEqual(assignment_query_conditions(self.auditor), "")
		self.assertIn("summary", get_team_training_status(department=unique("Nobody")))
		with self.assertRaises(frappe.PermissionError):
			require_assigner()  # read is not create

	def test_a_role_given_create_assigns_and_one_given_write_keeps_the_record(self):
		self.grant(ASSIGNMENT, "write")
		frappe.set_user(self.auditor)
		require_record_keeper()
		with self.assertRaises(frappe.PermissionError):
			require_assigner()
		frappe.set_user("Administrator")
		self.grant(ASSIGNMENT, "create")
		frappe.set_user(self.auditor)
		require_assigner()

	def test_the_refusal_names_the_roles_the_permissions_give(self):
		frappe.set_user(make_user("LMS Student"))
		with self.assertRaisesRegex(frappe.PermissionError, "Moderator or System Manager"):
			require_assigner()
		with self.assertRaisesRegex(frappe.PermissionError, "HR Manager, Moderator or System Manager"):
			require_training_viewer()
