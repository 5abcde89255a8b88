"""The patch that repairs what racing grants left on sites before grants were serialised."""

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.framework.batches import insert_rows
from smooth_lms.patches import one_lms_student_role_per_user
from smooth_lms.tests.factories import make_user


def student_roles(user: str) -> int:
	return frappe.db.count("Has Role", {"parenttype": "User", "parent": user, "role": "LMS Student"})


class TestRepairDuplicateRoles(FrappeTestCase):
	def test_duplicates_are_removed_one_row_kept(self):
		doubled, single, other = make_user("LMS Student"), make_user("LMS Student"), make_user("Moderator")
		now = frappe.utils.now_datetime()
		insert_rows(
			"Has Role",
			("name", "creation", "modified", "parent", "parenttype", "parentfield", "role"),
			[
				(frappe.generate_hash(length=10), now, now, user, "User", "roles", role)
				for user, role in ((doubled, "LMS Student"),) * 5 + ((other, "Moderator"),)
			],
		)
		self.assertEqual(student_roles(doubled), 6)
		one_lms_student_role_per_user.execute()
		self.assertEqual((student_roles(doubled), student_roles(single)), (1, 1))
		self.assertIn("LMS Student", frappe.get_roles(doubled))
		# Only the app's role is repaired: other roles are not the app's to touch.
		self.assertEqual(frappe.db.count("Has Role", {"parent": other, "role": "Moderator"}), 2)
		one_lms_student_role_per_user.execute()  # twice changes nothing more
		self.assertEqual(student_roles(doubled), 1)
