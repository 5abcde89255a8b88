"""The HR desk in a real browser: Assign Training on a course, the coloured assignment list with its
Overdue filter, the Learning workspace and the compliance report.

Data is committed (the web server reads it on its own connection) and removed by RestCase.tearDownClass
through the users and courses registered here."""

import re

import frappe
import pytest
from frappe.utils import add_days, formatdate, getdate, today
from playwright.sync_api import Page, expect

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.learning.enrollments import enrollment_for
from smooth_lms.lms.reporting.counts import compliance_counts
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import PASSWORD, make_employee, make_user

pytestmark = [pytest.mark.site, pytest.mark.browser]

ASSIGNMENT = "LMS Training Assignment"
TIMEOUT = 30_000  # desk pages load slowly the first time (assets, boot)
COLOURS = {"Completed": "green", "In Progress": "blue", "Overdue": "red", "Pending": "orange"}


def set_progress(user: str, course: str, progress: float) -> None:
	enrollment = frappe.get_doc("LMS Enrollment", enrollment_for(user, course))
	enrollment.progress = progress
	enrollment.save()


def make_overdue(user: str, course: str, days: int = 4) -> None:
	frappe.db.set_value(
		ASSIGNMENT, {"employee": user, "course": course}, "due_date", add_days(today(), -days)
	)
	mark_overdue_assignments()


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

		cls.fire_safety = cls.course(title="Fire Safety Basics", is_mandatory=1)
		cls.privacy = cls.course(title="Data Privacy Essentials", is_mandatory=1)
		cls.draft = cls.course(title="Forklift Refresher (draft)", published=0)

		# Chloe already has Fire Safety open: assigning it to her again is skipped.
		create_assignments([cls.fire_safety], [cls.chloe], add_days(today(), 14))
		# Data Privacy in every status.
		create_assignments([cls.privacy], [cls.ava, cls.ben, cls.chloe, cls.dan], add_days(today(), 10))
		set_progress(cls.ava, cls.privacy, 100)
		set_progress(cls.ben, cls.privacy, 40)
		make_overdue(cls.chloe, cls.privacy)
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
		expect(summary).to_contain_text("2 assignment(s) created.")
		expect(summary).to_contain_text("1 skipped: an open assignment already exists.")
		expect(page.locator(".alert-message", has_text="2 assignment(s) created")).to_be_visible()

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
		):
			self.assertIndicator(self.list_row(page, name).filter(has_text="Data Privacy Essentials"), status)
		overdue = self.list_row(page, "Chloe Martin").filter(has_text="Data Privacy Essentials")
		self.assertIndicator(overdue, "Overdue")
		headings = page.locator(".list-row-head")
		for label in ("Employee Name", "Due Date", "Progress"):
			expect(headings).to_contain_text(label)
		expect(self.list_row(page, "Ben Okafor").filter(has_text="Data Privacy Essentials")).to_contain_text(
			"40%"
		)
		self.screenshot(page, "assignment-list")

		page.get_by_role("button", name="Show Overdue").click()

		expect(page.locator('.standard-filter-section [data-fieldname="status"] select')).to_have_value(
			"Overdue"
		)
		expect(page.locator(".list-row-container", has_text="Chloe Martin")).to_have_count(1)
		expect(page.locator(".list-row-container", has_text="Ava Patel")).to_have_count(0)
		pills = page.locator(".list-row-container .indicator-pill")
		for index in range(pills.count()):
			expect(pills.nth(index)).to_have_class(re.compile(r"\bred\b"))
		self.assertNoJsErrors(page)

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
		overdue = page.locator(".shortcut-widget-box", has_text="Overdue Assignments")
		expect(overdue).to_contain_text(f"{frappe.db.count(ASSIGNMENT, {'status': 'Overdue'})} Overdue")
		self.screenshot(page, "learning-workspace")

		overdue.click()
		expect(page).to_have_url(re.compile(r"/app/lms-training-assignment(/view/list)?\?status=Overdue"))
		self.assertIndicator(self.list_row(page, "Chloe Martin"), "Overdue")
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
		self.assertEqual(cells[-6:-1], ["4", "1", "1", "1", "1"])
		self.assertNoJsErrors(page)
