"""The Learning workspace's Expiring Soon / Expired number cards: their values, and Frappe's way of asking
for them (a Custom card's method, called from the browser) open to compliance viewers only."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.report.compliance_matrix.test_compliance_matrix import complete
from smooth_lms.lms.reporting.cards import CARD_COUNTS_KEY, expired_trainings, expiring_soon_trainings
from smooth_lms.lms.validity.states import compliance_states, state_counts
from smooth_lms.tests.factories import make_course, make_employee, make_user, unpublish_all_mandatory_courses
from smooth_lms.tests.http import RestCase, base_url, login

CARDS = {
	"Expiring Soon Trainings": "smooth_lms.lms.reporting.cards.expiring_soon_trainings",
	"Expired Trainings": "smooth_lms.lms.reporting.cards.expired_trainings",
}


def d(days: int):
	return getdate(add_days(today(), days))


def forget_card_counts() -> None:
	"""The cards' counts are kept a while (validity.company_state_counts): count afresh."""
	frappe.cache.delete_value(CARD_COUNTS_KEY)


class TestValidityCards(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.after_commit.reset()
		unpublish_all_mandatory_courses()
		course = make_course(is_mandatory=1, validity_days=365, renewal_window_days=30, lessons=1)
		people = {}
		for key, days_ago in (("expiring", 350), ("expired", 400), ("expired_too", 500), ("valid", 10)):
			people[key] = make_user()
			make_employee(people[key])
			create_assignments([course], [people[key]], d(20))
			complete(people[key], course, days_ago=days_ago, validity=365)
		make_employee(make_user())  # owes the course, never assigned: not counted
		frappe.db.after_commit.reset()
		forget_card_counts()

	def tearDown(self):
		frappe.set_user("Administrator")
		forget_card_counts()  # counted from this test's data, which is rolled back

	def test_values_count_people_by_state(self):
		frappe.set_user(make_user("HR Manager"))
		self.assertEqual(expiring_soon_trainings(), {"value": 1, "fieldtype": "Int"})
		self.assertEqual(expired_trainings(filters="[]"), {"value": 2, "fieldtype": "Int"})
		counts = state_counts(compliance_states())
		self.assertEqual((counts["Expiring Soon"], counts["Expired"]), (1, 2))

	def test_the_cards_call_these_methods_and_hr_may_read_them(self):
		hr = make_user("HR Manager")
		for name, method in CARDS.items():
			card = frappe.get_doc("Number Card", name)
			self.assertEqual((card.type, card.method, card.is_standard), ("Custom", method, 1))
			self.assertTrue(frappe.has_permission("Number Card", doc=card, user=hr), name)
			frappe.set_user(hr)
			self.assertEqual(frappe.get_list("Number Card", pluck="name", filters={"name": name}), [name])
			frappe.set_user("Administrator")
		workspace = frappe.get_doc("Workspace", "Learning")
		self.assertTrue(set(CARDS) <= {row.number_card_name for row in workspace.number_cards})
		self.assertTrue(
			set(CARDS) <= {b["data"].get("number_card_name") for b in json.loads(workspace.content)}
		)

	def test_learners_are_refused(self):
		frappe.set_user(make_user("LMS Student"))
		for method in (expiring_soon_trainings, expired_trainings):
			with self.assertRaises(frappe.PermissionError):
				method()


class TestValidityCardsOverHttp(RestCase):
	"""As the number card widget asks: POST with the card's filters, from a login session."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		cls.moderator = cls.user("Moderator")
		cls.learner = cls.user("LMS Student")
		frappe.db.commit()

	def call(self, user: str | None, method: str):
		return login(user).post(f"{base_url()}/api/method/{method}", data={"filters": "[]"}, timeout=60)

	def test_viewers_get_the_value(self):
		frappe.db.rollback()
		forget_card_counts()
		expected = state_counts(compliance_states())
		for user in (self.hr, self.moderator):
			for state, method in zip(("Expiring Soon", "Expired"), CARDS.values(), strict=True):
				response = self.call(user, method)
				self.assertEqual(response.status_code, 200, response.text[:300])
				self.assertEqual(response.json()["message"], {"value": expected[state], "fieldtype": "Int"})

	def test_others_are_refused(self):
		for user in (self.learner, None):
			for method in CARDS.values():
				self.assertEqual(self.call(user, method).status_code, 403)
