import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from smooth_lms.lms.doctypes import SETTINGS
from smooth_lms.lms.framework.settings import lms_settings, onboarding_due_date, store_missing_defaults
from smooth_lms.tests.factories import (
	assignments_of,
	make_course,
	make_employee,
	make_onboarding,
	make_user,
	unpublish_all_mandatory_courses,
)


class TestLMSSettings(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("lms_settings_test")

		def restore():
			frappe.set_user("Administrator")
			frappe.db.rollback(save_point="lms_settings_test")
			frappe.clear_document_cache(SETTINGS, SETTINGS)

		self.addCleanup(restore)

	def save(self, **values):
		doc = frappe.get_single(SETTINGS)
		doc.update(values)
		return doc.save()

	def test_defaults_on_a_site_that_never_saved_them(self):
		frappe.db.delete("Singles", {"doctype": SETTINGS})
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		self.assertEqual(
			lms_settings(),
			{
				"onboarding_due_days": 30,
				"send_assignment_emails": 1,
				"reminder_days_before_due": 3,
				"send_overdue_emails": 1,
				"send_expiry_notices": 1,
				"expiry_notice_days_before": 14,
				"allow_manager_digests": 0,
				"manager_digest_frequency": "Daily",
			},
		)
		self.assertEqual(onboarding_due_date(), getdate(add_days(today(), 30)))

	def test_a_migrate_stores_the_defaults_of_settings_never_saved(self):
		# A site that saved LMS Settings before the expiry settings existed.
		self.save(send_overdue_emails=0, reminder_days_before_due=5)
		frappe.db.delete("Singles", {"doctype": SETTINGS, "field": ("like", "%expiry%")})
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		self.assertEqual(frappe.get_single(SETTINGS).send_expiry_notices, 0, "the form shows it off")

		store_missing_defaults()

		form = frappe.get_single(SETTINGS)
		self.assertEqual((form.send_expiry_notices, form.expiry_notice_days_before), (1, 14))
		self.assertEqual((form.send_overdue_emails, form.reminder_days_before_due), (0, 5), "kept as saved")
		self.assertEqual(
			{field: lms_settings()[field] for field in ("send_expiry_notices", "send_overdue_emails")},
			{"send_expiry_notices": 1, "send_overdue_emails": 0},
		)
		form.save()  # HR saving the form without touching it changes nothing
		self.assertEqual(lms_settings().send_expiry_notices, 1)

	def test_onboarding_assigns_with_the_configured_due_days(self):
		self.save(onboarding_due_days=14)
		unpublish_all_mandatory_courses()
		course = make_course(is_mandatory=1)
		user = make_user()

		make_onboarding(make_employee(user))

		(assignment,) = assignments_of(user, course)
		self.assertEqual(assignment.due_date, getdate(add_days(today(), 14)))

	def test_refuses_nonsense(self):
		for values, message in (
			({"onboarding_due_days": 0}, "at least 1"),
			({"reminder_days_before_due": -1}, "cannot be negative"),
		):
			with self.subTest(values=values), self.assertRaisesRegex(frappe.ValidationError, message):
				self.save(**values)

	def test_who_may_change_them(self):
		for roles, can_write in (
			(("System Manager",), True),
			(("Moderator",), True),
			(("HR Manager",), False),
			(("LMS Student",), False),
		):
			user = make_user(*roles)
			with self.subTest(roles=roles):
				self.assertEqual(bool(frappe.has_permission(SETTINGS, "write", user=user)), can_write)
				self.assertEqual(
					bool(frappe.has_permission(SETTINGS, "read", user=user)), roles != ("LMS Student",)
				)

		frappe.set_user(make_user("Moderator"))
		self.save(reminder_days_before_due=7)
		self.assertEqual(lms_settings().reminder_days_before_due, 7)
		frappe.set_user(make_user("HR Manager"))
		with self.assertRaises(frappe.PermissionError):
			self.save(reminder_days_before_due=1)
