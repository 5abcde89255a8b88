import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.tests.factories import make_course, make_user


class TestLMSCourse(FrappeTestCase):
	def test_negative_validity_is_rejected(self):
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be negative|negative"):
			make_course(is_mandatory=1, validity_days=-5)
		self.assertEqual(frappe.db.get_value("LMS Course", make_course(validity_days=0), "validity_days"), 0)

	def test_name_is_a_slug_of_the_title_and_lessons_keep_their_order(self):
		name = make_course(title="Harassment Prevention 2026 Edition", lessons=3)
		self.assertTrue(name.startswith("harassment-prevention-2026-edition"))
		doc = frappe.get_doc("LMS Course", name)
		self.assertEqual([row.title for row in doc.lessons], ["Lesson 1", "Lesson 2", "Lesson 3"])

	def test_fields_and_labels_of_the_contract(self):
		meta = frappe.get_meta("LMS Course")
		self.assertEqual(meta.get_label("is_mandatory"), "Mandatory Training")
		self.assertEqual(meta.get_label("validity_days"), "Validity Period (Days)")
		self.assertEqual(
			meta.get_field("validity_days").description, "After expiry, employees must recertify."
		)
		self.assertEqual(meta.get_label("disable_self_learning"), "Disable Self Learning")

	def test_drafts_are_visible_only_to_course_authors(self):
		published, draft = make_course(), make_course(published=0)
		frappe.set_user(make_user("LMS Student"))
		try:
			visible = set(frappe.get_list("LMS Course", pluck="name", limit_page_length=0))
			self.assertIn(published, visible)
			self.assertNotIn(draft, visible)
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("LMS Course", draft).check_permission("read")
			frappe.set_user(make_user("Course Creator"))
			self.assertIn(draft, frappe.get_list("LMS Course", pluck="name", limit_page_length=0))
		finally:
			frappe.set_user("Administrator")
