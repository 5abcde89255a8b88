import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, today

from smooth_lms.tests.factories import make_course, make_user


def enrol(member: str, course: str, **fields):
	return frappe.get_doc(
		{"doctype": "LMS Enrollment", "member": member, "course": course, **fields}
	).insert()


class TestLMSEnrollment(FrappeTestCase):
	def test_one_enrollment_per_member_and_course(self):
		user, course = make_user(), make_course()
		first = enrol(user, course)
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "already enrolled"):
			enrol(user, course)

		# The database itself refuses the twin, whatever the code path.
		twin = frappe.copy_doc(first)
		twin.name = frappe.generate_hash(length=10)
		frappe.db.savepoint("twin")
		with self.assertRaises(frappe.UniqueValidationError):
			twin.db_insert()
		frappe.db.rollback(save_point="twin")

	def test_enrolled_user_gets_the_student_role(self):
		user = make_user()
		enrol(user, make_course())
		self.assertIn("LMS Student", frappe.get_roles(user))

	def test_member_name_comes_from_the_user(self):
		user = make_user(first_name="Asha")
		self.assertEqual(enrol(user, make_course()).member_name, "Asha")

	def test_progress_range_and_completed_on(self):
		doc = enrol(make_user(), make_course())
		for bad in (-1, 100.5):
			doc.reload()
			doc.progress = bad
			with self.assertRaisesRegex(frappe.ValidationError, "between 0 and 100"):
				doc.save()
		doc.reload()
		doc.progress = 100
		doc.save()
		self.assertEqual(getdate(doc.completed_on), getdate(today()))
		doc.progress = 60
		doc.save()
		self.assertIsNone(doc.completed_on)
