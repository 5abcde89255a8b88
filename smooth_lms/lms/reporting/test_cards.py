"""The Learning workspace's number cards: their values, where a click on each opens (a report showing
exactly the rows the card counts), and Frappe's way of asking for them (a Custom card's method, called
from the browser) open to compliance viewers only."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.report.compliance_matrix import compliance_matrix
from smooth_lms.lms.report.training_assignment_status import training_assignment_status
from smooth_lms.lms.reporting import cards
from smooth_lms.lms.reporting.cards import CARD_COUNTS_KEY, expired_trainings, expiring_soon_trainings
from smooth_lms.lms.reporting.counts import compliance_counts
from smooth_lms.lms.validity.states import compliance_states, state_counts
from smooth_lms.tests.factories import (
	build_company,
	complete_course,
	d,
	make_course,
	make_employee,
	make_user,
	unpublish_all_mandatory_courses,
)
from smooth_lms.tests.http import RestCase, base_url, login

ASSIGNMENT = "LMS Training Assignment"
CARDS = {
	"Expiring Soon Trainings": "smooth_lms.lms.reporting.cards.expiring_soon_trainings",
	"Expired Trainings": "smooth_lms.lms.reporting.cards.expired_trainings",
}
# Every card of the workspace: its name (the workspace's reference), label (what it says) and method.
ALL_CARDS = {
	"Assigned Trainings": ("Assigned Trainings", cards.assigned_trainings),
	"Completed Trainings": ("Completed Trainings", cards.completed_trainings),
	"Overdue Trainings": ("Overdue Trainings", cards.overdue_trainings),
	"Expiring Soon Trainings": ("Trainings Expiring Soon", cards.expiring_soon_trainings),
	"Expired Trainings": ("Expired Trainings", cards.expired_trainings),
}
REPORTS = {
	"Training Assignment Status": training_assignment_status.execute,
	"Compliance Matrix": compliance_matrix.execute,
}


def shown_by(answer: dict) -> int:
	"""What the report a card opens shows for the card's route options: the number of rows (assignments)
	of Training Assignment Status, the cells in the chosen state of the Compliance Matrix."""
	_route, report = answer["route"]
	columns, rows, _message, _chart, summary = REPORTS[report](dict(answer["route_options"]))
	if report == "Compliance Matrix":
		state = answer["route_options"]["state"]
		cells = sum(1 for row in rows for cell_state in row["states"].values() if cell_state == state)
		(in_summary,) = [item["value"] for item in summary if item["label"] == state]
		assert cells == in_summary, (cells, in_summary)
		return cells
	in_summary = {item["label"]: item["value"] for item in summary}
	assert len(rows) == in_summary["Assigned"], (len(rows), in_summary)
	return len(rows)


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
			complete_course(people[key], course, days_ago=days_ago, validity=365)
		make_employee(make_user())  # owes the course, never assigned: not counted
		frappe.db.after_commit.reset()
		forget_card_counts()

	def tearDown(self):
		frappe.set_user("Administrator")
		forget_card_counts()  # counted from this test's data, which is rolled back

	def test_values_count_people_by_state(self):
		frappe.set_user(make_user("HR Manager"))
		self.assertEqual(expiring_soon_trainings()["value"], 1)
		self.assertEqual(expired_trainings(filters="[]")["value"], 2)
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

	def test_learners_are_refused(self):
		frappe.set_user(make_user("LMS Student"))
		for method in (expiring_soon_trainings, expired_trainings):
			with self.assertRaises(frappe.PermissionError):
				method()


class TestCardsOpenWhatTheyCount(FrappeTestCase):
	"""A click on a card opens a report showing exactly the rows the card counts, counted the same way:
	the card's number is the number of rows (or cells) the report shows with the card's route options."""

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.after_commit.reset()
		self.data = build_company()
		frappe.db.after_commit.reset()
		forget_card_counts()
		frappe.set_user(make_user("HR Manager"))

	def tearDown(self):
		frappe.set_user("Administrator")
		forget_card_counts()

	def test_each_card_shows_what_its_destination_shows(self):
		expected_routes = {
			"Assigned Trainings": (["query-report", "Training Assignment Status"], {"status": "", "include_leavers": 0}),
			"Completed Trainings": (
				["query-report", "Training Assignment Status"],
				{"status": "Completed", "include_leavers": 0},
			),
			"Overdue Trainings": (
				["query-report", "Training Assignment Status"],
				{"status": "Overdue", "include_leavers": 0},
			),
			"Expiring Soon Trainings": (["query-report", "Compliance Matrix"], {"state": "Expiring Soon"}),
			"Expired Trainings": (["query-report", "Compliance Matrix"], {"state": "Expired"}),
		}  # fmt: skip
		for name, (_label, method) in ALL_CARDS.items():
			with self.subTest(card=name):
				answer = method(filters="[]")
				self.assertEqual((answer["route"], answer["route_options"]), expected_routes[name])
				self.assertEqual(answer["fieldtype"], "Int")
				self.assertEqual(answer["value"], shown_by(answer))

	def test_the_hard_rows_are_counted_once_and_only_where_they_belong(self):
		data = self.data

		def people(answer: dict) -> set[str]:
			_route, report = answer["route"]
			_columns, rows, *_rest = REPORTS[report](dict(answer["route_options"]))
			ours = {data[key]: key for key in ("ava", "ben", "cat", "dan", "leo")}
			# A matrix row is a person (Employee, with their user_id); a status row an assignment (its user).
			users = {row.get("user_id") or row["employee"] for row in rows}
			return {ours[user] for user in users if user in ours}

		# Dan's row is late without the daily job; Leo's late row is a leaver's: left out.
		self.assertEqual(people(cards.overdue_trainings()), {"dan"})
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, {"employee": data.dan}, "status"), "Pending")
		# Expired: Cat's lapsed completion. Not Ben's (renewed), not Leo's (left), not Ava's Data Privacy
		# completion (no valid-until day).
		self.assertEqual(people(cards.expired_trainings()), {"cat"})
		self.assertEqual(people(cards.expiring_soon_trainings()), {"ava"})
		self.assertEqual(people(cards.completed_trainings()), {"ava", "ben", "cat"})
		self.assertEqual(people(cards.assigned_trainings()), {"ava", "ben", "cat", "dan"})

	def test_the_assignment_cards_count_as_the_compliance_counts(self):
		counts = compliance_counts()
		for key, method in (
			("assigned", cards.assigned_trainings),
			("completed", cards.completed_trainings),
			("overdue", cards.overdue_trainings),
		):
			self.assertEqual(method()["value"], counts[key], key)

	def test_labels_read_as_english_and_names_stay(self):
		workspace = frappe.get_doc("Workspace", "Learning")
		labels = {row.number_card_name: row.label for row in workspace.number_cards}
		# The page's blocks name a card by its label in the workspace (Frappe finds the block's card so).
		blocks = [
			b["data"]["number_card_name"] for b in json.loads(workspace.content) if b["type"] == "number_card"
		]
		self.assertEqual(blocks, [label for label, _method in ALL_CARDS.values()])
		for name, (label, method) in ALL_CARDS.items():
			card = frappe.get_doc("Number Card", name)
			self.assertEqual((card.label, labels[name]), (label, label))
			self.assertEqual(card.method, f"{method.__module__}.{method.__name__}")


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
				self.assertEqual(
					response.json()["message"],
					{
						"value": expected[state],
						"fieldtype": "Int",
						"route": ["query-report", "Compliance Matrix"],
						"route_options": {"state": state},
					},
				)

	def test_others_are_refused(self):
		for user in (self.learner, None):
			for method in CARDS.values():
				self.assertEqual(self.call(user, method).status_code, 403)
