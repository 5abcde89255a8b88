"""The Learning workspace's cards in a real browser: a click on each opens a report that shows exactly the
rows the card counts, and /lms/statistics' "See who is late" opens the overdue ones.

The data (reporting.test_cards.build_company) holds what makes a number easy to get wrong: a leaver with a
late row and an expired completion, a renewed completion, a completion that never expires and a row late
without the daily job. Data is committed (the web server reads it on its own connection) and removed by
RestCase.tearDownClass through the users and courses registered here."""

import re
from urllib.parse import quote

import frappe
import pytest
from playwright.sync_api import Page, expect

from smooth_lms.lms.reporting.cards import CARD_COUNTS_KEY
from smooth_lms.lms.reporting.counts import compliance_counts
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import build_company

pytestmark = pytest.mark.browser

TIMEOUT = 30_000  # desk pages load slowly the first time (assets, boot)
STATUS_REPORT, MATRIX = "Training Assignment Status", "Compliance Matrix"
# card label -> (report it opens, its filter, the filter's value, the summary item that counts the rows)
CARDS = {
	"Overdue Trainings": (STATUS_REPORT, "status", "Overdue", "Assigned"),
	"Assigned Trainings": (STATUS_REPORT, "status", "", "Assigned"),
	"Completed Trainings": (STATUS_REPORT, "status", "Completed", "Assigned"),
	"Trainings Expiring Soon": (MATRIX, "state", "Expiring Soon", "Expiring Soon"),
	"Expired Trainings": (MATRIX, "state", "Expired", "Expired"),
}
# What the report shows as a number of rows: its rows (assignments), or the matrix's cells in the state.
SHOWN = """([report, state]) => {
	const view = window.frappe && frappe.query_report;
	if (!view || view.report_name !== report || !Array.isArray(view.data)) return null;
	if (!state) return view.data.length;
	return view.data.reduce(
		(cells, row) => cells + Object.values(row.states || {}).filter((s) => s === state).length, 0
	);
}"""


class TestCardsOpenWhatTheyCount(BrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		cls.data = build_company()
		cls.users += [cls.data[key] for key in ("ava", "ben", "cat", "dan", "leo")]
		cls.courses += [cls.data.fire, cls.data.privacy]
		frappe.db.commit()

	def open(self, user: str, route: str) -> Page:
		page = self.page_as(user)
		page.set_default_timeout(TIMEOUT)
		expect.set_options(timeout=TIMEOUT)
		page.goto(route)
		return page

	def assertNoJsErrors(self, page: Page):
		self.assertEqual(page.js_errors, [])

	def summary_value(self, page: Page, label: str):
		item = page.locator(".report-summary .summary-item").filter(
			has=page.locator(".summary-label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
		)
		return item.locator(".summary-value")

	def assertShows(self, page: Page, report: str, field: str, value: str, summary: str, number: int):
		"""The report is open with the card's filter, and shows `number` rows (or cells), in its table and in
		its summary."""
		expect(page).to_have_url(re.compile(rf"/app/query-report/{re.escape(quote(report))}"))
		page.wait_for_function(
			"([report, field, value]) => window.frappe && frappe.query_report"
			" && frappe.query_report.report_name === report"
			" && (frappe.query_report.get_filter_value(field) || '') === value",
			arg=[report, field, value],
		)
		expect(self.summary_value(page, summary)).to_have_text(str(number))
		state = value if report == MATRIX else None
		page.wait_for_function(f"(args) => ({SHOWN})(args) !== null", arg=[report, state])
		self.assertEqual(page.evaluate(SHOWN, [report, state]), number, f"{report} {field}={value}")

	def people_shown(self, page: Page) -> set[str]:
		"""Which of this class's people the report's rows name."""
		rows = page.evaluate("() => frappe.query_report.data.map((row) => row.user_id || row.employee)")
		ours = {self.data[key]: key for key in ("ava", "ben", "cat", "dan", "leo")}
		return {ours[user] for user in rows if user in ours}

	def test_each_card_opens_a_report_showing_its_number(self):
		frappe.db.rollback()  # read what is committed
		frappe.cache.delete_value(CARD_COUNTS_KEY)  # counted afresh, from this class's data
		page = self.open(self.hr, "/app/learning")
		expected_people = {
			"Overdue Trainings": {"dan"},  # late before the daily job; Leo's late row is a leaver's
			"Assigned Trainings": {"ava", "ben", "cat", "dan"},
			"Completed Trainings": {"ava", "ben", "cat"},
			"Trainings Expiring Soon": {"ava"},
			"Expired Trainings": {"cat"},  # not Ben's renewed one, Leo's, nor a completion that never expires
		}
		for label, (report, field, value, summary) in CARDS.items():
			with self.subTest(card=label):
				card = page.locator(".number-widget-box", has_text=label)
				number = card.locator(".number")
				expect(number).to_have_text(re.compile(r"^\s*[\d,]+\s*$"))
				count = int(number.inner_text().replace(",", ""))
				number.click()
				self.assertShows(page, report, field, value, summary, count)
				self.assertEqual(self.people_shown(page), expected_people[label])
				if label == "Overdue Trainings":
					self.screenshot(page, "training-assignment-status")
				# Back to the workspace: the next card may open the report already open (its filters follow).
				page.go_back()
				expect(page).to_have_url(re.compile(r"/app/learning"))
		counts = compliance_counts()
		self.assertGreaterEqual(counts["overdue"], 1)
		self.assertNoJsErrors(page)

	def test_statistics_see_who_is_late(self):
		frappe.db.rollback()
		for query, include_leavers, people in (("", 0, {"dan"}), ("?include_leavers=1", 1, {"dan", "leo"})):
			with self.subTest(include_leavers=include_leavers):
				page = self.open(self.hr, f"/lms/statistics{query}")
				overdue = int(page.locator('[data-count="overdue"]').inner_text())
				self.assertEqual(overdue, compliance_counts(include_leavers=bool(include_leavers))["overdue"])
				page.locator("#see-who-is-late").click()
				self.assertShows(page, STATUS_REPORT, "status", "Overdue", "Overdue", overdue)
				self.assertEqual(
					page.evaluate("() => frappe.query_report.get_filter_value('include_leavers')"),
					include_leavers,
				)
				self.assertEqual(self.people_shown(page), people)
				self.assertNoJsErrors(page)
