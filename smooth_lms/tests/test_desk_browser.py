"""The HR desk in a real browser: Assign Training on a course, the coloured assignment list with its
Overdue filter (a row past its due date is Overdue before the daily job has stored it), the Learning
workspace and the compliance report.

Data is committed (the web server reads it on its own connection) and removed by RestCase.tearDownClass
through the users and courses registered here."""

import re
from urllib.parse import parse_qs, urlparse

import frappe
import pytest
from frappe.utils import add_days, formatdate, getdate, today
from playwright.sync_api import Page, expect

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.reporting.counts import compliance_counts
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import PASSWORD, make_employee, make_overdue, make_user, set_progress

pytestmark = pytest.mark.browser

ASSIGNMENT = "LMS Training Assignment"
TIMEOUT = 30_000  # desk pages load slowly the first time (assets, boot)
COLOURS = {"Completed": "green", "In Progress": "blue", "Overdue": "red", "Pending": "orange"}


class TestHRDesk(BrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.moderator = cls.named_user("Maya Moderator", "Moderator")
		cls.hr = cls.named_user("Harriet Hughes", "HR Manager")
		cls.ava = cls.named_user("Ava Patel", department="Sales")
		cls.ben = cls.named_user("Ben Okafor", department="Operations")
		cls.chloe = cls.named_user("Chloe Martin", department="Support")
		cls.dan = cls.named_user("Dan Novak", department="Sales")
		cls.eve = cls.named_user("Eve Laurent", department="Support")

		cls.fire_safety = cls.course(title="Fire Safety Basics", is_mandatory=1)
		cls.privacy = cls.course(title="Data Privacy Essentials", is_mandatory=1)
		cls.draft = cls.course(title="Forklift Refresher (draft)", published=0)

		# Chloe already has Fire Safety open: assigning it to her again is skipped.
		create_assignments([cls.fire_safety], [cls.chloe], add_days(today(), 14))
		# Data Privacy in every status.
		create_assignments([cls.privacy], [cls.ava, cls.ben, cls.chloe, cls.dan], add_days(today(), 10))
		set_progress(cls.ava, cls.privacy, 100)
		set_progress(cls.ben, cls.privacy, 40)
		make_overdue(cls.chloe, cls.privacy, days=4)
		# Eve's is late too, but the daily job has not run since: stored Pending.
		create_assignments([cls.privacy], [cls.eve], add_days(today(), 10))
		frappe.db.set_value(
			ASSIGNMENT, {"employee": cls.eve, "course": cls.privacy}, "due_date", add_days(today(), -1)
		)
		frappe.db.commit()

	@classmethod
	def named_user(cls, full_name: str, *roles: str, department: str | None = None) -> str:
		first, _space, last = full_name.partition(" ")
		name = make_user(*roles, password=PASSWORD, first_name=first)
		frappe.db.set_value("User", name, {"last_name": last, "full_name": full_name})
		if department:
			make_employee(name, department=department, name=full_name)
		cls.users.append(name)
		return name

	def open(self, user: str, route: str) -> Page:
		page = self.page_as(user)
		page.set_default_timeout(TIMEOUT)
		expect.set_options(timeout=TIMEOUT)
		page.goto(route)
		return page

	def list_row(self, page: Page, employee_name: str):
		return page.locator(".list-row-container", has_text=employee_name)

	def assertIndicator(self, row, status: str):
		pill = row.locator(".indicator-pill").first  # the narrow-screen layout repeats it
		expect(pill).to_have_text(status)
		expect(pill).to_have_class(re.compile(rf"\b{COLOURS[status]}\b"))

	def assertNoJsErrors(self, page: Page):
		self.assertEqual(page.js_errors, [])

	# --- Assign Training -------------------------------------------------------------------------

	def test_moderator_assigns_training_from_the_course_form(self):
		page = self.open(self.moderator, f"/app/lms-course/{self.fire_safety}")
		page.get_by_role("button", name="Assign Training").click()

		dialog = page.locator(".modal.show", has_text="Assign Training: Fire Safety Basics")
		expect(dialog).to_be_visible()
		due_input = dialog.locator('[data-fieldname="due_date"] input')
		expect(due_input).to_have_value(formatdate(add_days(today(), 30)))

		picker = dialog.locator('[data-fieldname="employees"] input')
		expect(picker).to_be_focused()  # the dialog has settled (it focuses its first field when shown)
		for user in (self.ava, self.ben, self.chloe):
			picker.press_sequentially(user)
			suggestion = dialog.locator(".awesomplete ul:not([hidden]) li", has_text=user)
			expect(suggestion).to_have_count(1)
			picker.press("Enter")  # picks the highlighted suggestion (a click blurs the input first)
		pills = dialog.locator('[data-fieldname="employees"] .tb-selected-value')
		expect(pills).to_have_text(["Ava Patel", "Ben Okafor", "Chloe Martin"])  # named, not IDs

		due = add_days(today(), 21)
		due_input.fill(formatdate(due))
		dialog.locator(".modal-title").click()  # closes the date picker
		expect(due_input).to_have_value(formatdate(due))
		self.screenshot(page, "assign-training-dialog")

		dialog.locator(".btn-primary").click()

		summary = page.locator(".modal.show", has_text="Training Assigned")
		# "2 assignments created." (older wording: "2 assignment(s) created.")
		expect(summary).to_contain_text(re.compile(r"2 assignment(s|\(s\)) created\."))
		expect(summary).to_contain_text("1 skipped: an open assignment already exists.")
		expect(
			page.locator(".alert-message", has_text=re.compile(r"2 assignment(s|\(s\)) created"))
		).to_be_visible()

		frappe.db.rollback()  # read what the server committed
		rows = frappe.get_all(
			ASSIGNMENT,
			filters={"course": self.fire_safety, "employee": ("in", [self.ava, self.ben])},
			fields=["status", "due_date", "assigned_by"],
		)
		self.assertEqual(
			rows, [{"status": "Pending", "due_date": getdate(due), "assigned_by": self.moderator}] * 2
		)

		summary.get_by_role("button", name="View Assignments").click()
		expect(page).to_have_url(re.compile(r"/app/lms-training-assignment\?course="))
		for name in ("Ava Patel", "Ben Okafor", "Chloe Martin"):
			self.assertIndicator(self.list_row(page, name), "Pending")
		expect(page.locator(".list-row-container")).to_have_count(3)
		self.assertNoJsErrors(page)

	def test_assign_training_only_for_assigners_on_published_courses(self):
		for user, course in ((self.hr, self.fire_safety), (self.moderator, self.draft)):
			with self.subTest(user=user, course=course):
				page = self.open(user, f"/app/lms-course/{course}")
				title = frappe.db.get_value("LMS Course", course, "title")
				expect(page.locator(".page-head .title-text", has_text=title)).to_be_visible()
				expect(page.locator('.frappe-control[data-fieldname="title"]')).to_be_attached()
				expect(page.get_by_role("button", name="Assign Training")).to_have_count(0)
				self.assertNoJsErrors(page)

		# Unticking Published hides it at once (the server would refuse an unpublished course anyway).
		page = self.open(self.moderator, f"/app/lms-course/{self.fire_safety}")
		button = page.get_by_role("button", name="Assign Training")
		expect(button).to_be_visible()
		page.locator('input[data-fieldname="published"]').uncheck()
		expect(button).to_have_count(0)

	# --- Assignment list -------------------------------------------------------------------------

	def test_assignment_list_colours_and_overdue_filter(self):
		page = self.open(self.hr, "/app/lms-training-assignment")
		for name, status in (
			("Ava Patel", "Completed"),
			("Ben Okafor", "In Progress"),
			("Dan Novak", "Pending"),
			("Chloe Martin", "Overdue"),
			("Eve Laurent", "Overdue"),  # stored Pending: the daily job has not run since her due date
		):
			self.assertIndicator(self.list_row(page, name).filter(has_text="Data Privacy Essentials"), status)
		self.assertEqual(
			frappe.db.get_value(ASSIGNMENT, {"employee": self.eve, "course": self.privacy}, "status"),
			"Pending",
		)
		headings = page.locator(".list-row-head")
		for label in ("Employee Name", "Due Date", "Progress"):
			expect(headings).to_contain_text(label)
		expect(self.list_row(page, "Ben Okafor").filter(has_text="Data Privacy Essentials")).to_contain_text(
			"40%"
		)
		self.screenshot(page, "assignment-list")

		page.get_by_role("button", name="Show Overdue").click()
		self.assertOverdueListed(page)
		# The filters are in the URL, one per field: the same rows after a reload.
		query = parse_qs(urlparse(page.url).query)
		self.assertEqual(query, {"status": ['["!=","Completed"]'], "due_date": [f'["<","{today()}"]']})
		page.reload()
		self.assertOverdueListed(page)

		# Overdue chosen in the Status box (or an old ?status=Overdue link) means the same.
		for route in ("/app/lms-training-assignment?status=Overdue", None):
			self.goto_list(page, route or "/app/lms-training-assignment")
			if not route:
				page.evaluate("() => cur_list.filter_area.clear()")
				expect(page.locator(".list-row-container", has_text="Ava Patel")).not_to_have_count(0)
				page.locator('.standard-filter-section [data-fieldname="status"] select').select_option(
					"Overdue"
				)
			self.assertOverdueListed(page)

		# A red pill filters the same way.
		self.goto_list(page, "/app/lms-training-assignment")
		page.evaluate("() => cur_list.filter_area.clear()")
		self.list_row(page, "Eve Laurent").locator(".indicator-pill").first.click()
		self.assertOverdueListed(page)
		self.assertNoJsErrors(page)

	def test_the_form_says_overdue_before_the_daily_job(self):
		name = frappe.db.get_value(ASSIGNMENT, {"employee": self.eve, "course": self.privacy})
		page = self.open(self.hr, f"/app/lms-training-assignment/{name}")
		pill = page.locator(".page-head .indicator-pill:visible")
		expect(pill).to_have_text("Overdue")
		expect(pill).to_have_class(re.compile(r"\bred\b"))
		expect(page.locator(".form-message")).to_contain_text(
			f"This training is overdue: it was due on {formatdate(add_days(today(), -1))}."
		)
		for button in ("Record Completion", "Extend Due Date"):
			expect(page.get_by_role("button", name=button)).to_be_visible()
		self.assertNoJsErrors(page)

	def goto_list(self, page: Page, route: str):
		page.goto(route)
		page.wait_for_function(
			"() => window.cur_list && cur_list.doctype === 'LMS Training Assignment' && cur_list.filter_area"
		)

	def assertOverdueListed(self, page: Page):
		"""The list shows what every reader counts as Overdue: not completed and past its due date, stored
		Overdue or not — Chloe's and Eve's, nobody else's of this class."""
		self.assertEqual(self.filters(page), [["due_date", "<", today()], ["status", "!=", "Completed"]])
		expect(page.locator('.standard-filter-section [data-fieldname="status"] select')).to_have_value("")
		for name in ("Chloe Martin", "Eve Laurent"):
			expect(self.list_row(page, name).filter(has_text="Data Privacy Essentials")).to_have_count(1)
		for name in ("Ava Patel", "Ben Okafor", "Dan Novak"):
			expect(self.list_row(page, name)).to_have_count(0)
		pills = page.locator(".list-row-container .indicator-pill")
		expect(pills.first).to_be_visible()
		for index in range(pills.count()):
			expect(pills.nth(index)).to_have_class(re.compile(r"\bred\b"))

	def filters(self, page: Page) -> list[list]:
		"""The list's filters as [fieldname, condition, value], sorted, once they have settled."""
		page.wait_for_timeout(500)  # the filter area settles (debounced)
		return sorted(page.evaluate("() => cur_list.filter_area.get().map((f) => [f[1], f[2], f[3]])"))

	# --- Learning workspace ----------------------------------------------------------------------

	def test_learning_workspace(self):
		page = self.open(self.hr, "/app/learning")

		counted = compliance_counts()  # the cards count as the report does: leavers left out
		counts = {
			"Assigned Trainings": counted["assigned"],
			"Completed Trainings": counted["completed"],
			"Overdue Trainings": counted["overdue"],
		}
		for label, count in counts.items():
			card = page.locator(".number-widget-box", has_text=label)
			expect(card.locator(".number")).to_have_text(str(count))
		for shortcut in ("Courses", "Training Assignments", "Enrollments", "Compliance Report"):
			expect(page.locator(".shortcut-widget-box", has_text=shortcut)).to_be_visible()
		for label in ("Trainings Expiring Soon", "Expired Trainings"):
			expect(page.locator(".number-widget-box", has_text=label).locator(".number")).to_be_visible()
		# The shortcut counts and lists what every reader counts as Overdue (leavers' rows too: a list).
		late = {"status": ("!=", "Completed"), "due_date": ("<", today())}
		overdue = page.locator(".shortcut-widget-box", has_text="Overdue Assignments")
		expect(overdue).to_contain_text(f"{frappe.db.count(ASSIGNMENT, late)} Overdue")
		self.assertGreater(
			frappe.db.count(ASSIGNMENT, late), frappe.db.count(ASSIGNMENT, {"status": "Overdue"})
		)
		page.wait_for_timeout(300)
		self.screenshot(page, "learning-workspace")

		overdue.click()
		expect(page).to_have_url(re.compile(r"/app/lms-training-assignment(/view/list)?\?"))
		self.assertOverdueListed(page)
		self.assertIndicator(self.list_row(page, "Eve Laurent"), "Overdue")
		self.assertNoJsErrors(page)

	# --- Compliance report -----------------------------------------------------------------------

	def test_compliance_report(self):
		page = self.open(self.hr, "/app/query-report/Mandatory Training Compliance?group_by=Department")

		table = page.locator(".report-wrapper .dt-scrollable")
		for department in ("Sales", "Operations", "Support"):
			expect(table).to_contain_text(department)
		sales = table.locator(".dt-row", has_text="Sales")
		expect(sales.locator(".dt-cell__content")).to_contain_text(["Sales"])
		chart = page.locator(".chart-wrapper")
		expect(chart.locator("svg").first).to_be_visible()
		expect(chart).to_contain_text("Completed")
		expect(chart).to_contain_text("Overdue")
		bars = chart.locator("rect.bar")
		expect(bars.first).to_be_attached()
		self.assertGreaterEqual(bars.count(), 3)  # completed and overdue per department
		# The bars grow in: wait until they are drawn with a height, not just attached.
		page.wait_for_function(
			"() => [...document.querySelectorAll('.chart-wrapper rect.bar')]"
			".some((bar) => parseFloat(bar.getAttribute('height')) > 0)",
			timeout=30_000,
		)
		page.wait_for_timeout(500)
		expect(page.locator(".report-summary")).to_contain_text("Completion Rate")
		self.screenshot(page, "compliance-report")

		page.locator('.page-form [data-fieldname="group_by"] select').select_option("Course")
		expect(table).to_contain_text("Data Privacy Essentials")
		privacy = table.locator(".dt-row", has_text="Data Privacy Essentials")
		expect(privacy).to_be_visible()
		cells = [c.strip() for c in privacy.locator(".dt-cell__content").all_inner_texts()]
		# course, title, assigned, completed, overdue, in progress, pending, completion %
		self.assertEqual(cells[-6:-1], ["5", "1", "2", "1", "1"])
		self.assertNoJsErrors(page)
