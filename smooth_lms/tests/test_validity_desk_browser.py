"""HR's desk for validity and recertification in a real browser: the assignment list's Expiring Soon /
Expired colours and filters (a completion that never expires is in neither), Record Completion (with an
evidence upload) and Extend Due Date on the form for HR Managers and Moderators alike — the extension
kept with its reason whichever way it was made, nothing of it offered to learners —, the Certificate
button, the Compliance Matrix and Training History reports and the workspace's cards.

Data is committed (the web server reads it on its own connection) and removed by RestCase.tearDownClass
through the users and courses registered here."""

import re
from urllib.parse import quote

import frappe
import pytest
from frappe.utils import formatdate, today
from playwright.sync_api import Page, expect

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.hr_records import record_external_completion
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.learning.enrollments import enrollment_for
from smooth_lms.lms.reporting.cards import CARD_COUNTS_KEY
from smooth_lms.lms.validity.states import compliance_states, state_counts
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import (
	PASSWORD,
	complete_course,
	d,
	make_employee,
	make_user,
	store_raw,
	unique,
)
from smooth_lms.tests.hostile import HOSTILE, XSS_MARK
from smooth_lms.tests.http import base_url, login

pytestmark = pytest.mark.browser

ASSIGNMENT = "LMS Training Assignment"
TIMEOUT = 30_000  # desk pages load slowly the first time (assets, boot)
COLOURS = {
	"Completed": "green",
	"Expiring Soon": "orange",
	"Expired": "gray",
	"Pending": "orange",
	"Overdue": "red",
	"In Progress": "blue",
}
# What a payload of factories.HOSTILE would have left had it been printed as markup.
INJECTED = f"""() => ({{
	images: document.querySelectorAll('img[src="x"]').length,
	handlers: [...document.querySelectorAll("*")].filter((element) =>
		[...element.attributes].some((a) => a.name.startsWith("on") && a.value.includes("{XSS_MARK}"))
	).length,
	ran: window.{XSS_MARK} === undefined ? null : String(window.{XSS_MARK}),
}})"""


def report_route(report: str, **filters) -> str:
	query = "&".join(f"{key}={quote(str(value))}" for key, value in filters.items())
	return f"/app/query-report/{quote(report)}?{query}"


class TestValidityDesk(BrowserCase):
	"""Fire Safety Refresher (valid 365 days, renewal window 30) and Data Privacy Essentials (never
	expires), owed by everyone:

	        Fire Safety                        Data Privacy
	Ava     completed 350 days ago: expiring   completed
	Ben     completed 400 days ago: expired    in progress
	Chloe   completed 10 days ago              overdue
	Dan     pending (Record Completion)        —
	Eve     pending (Extend Due Date)          —
	Fay     recorded by HR (classroom)         —

	Elsewhere (another company, out of the matrix): Gus and Hal pending (the HR Manager records Gus's
	completion and extends Hal's due date), Ivy pending (extended through the API); two learners — Lia
	(portal only) and Lou (a desk user too) — each with their own pending Fire Safety."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.moderator = cls.named_user("Maya Moderator", "Moderator")
		cls.hr = cls.named_user("Harriet Hughes", "HR Manager")
		cls.company = unique("Northwind")
		people = (
			("ava", "Ava Patel", "Sales"),
			("ben", "Ben Okafor", "Sales"),
			("chloe", "Chloe Martin", "Support"),
			("dan", "Dan Novak", "Operations"),
			("eve", "Eve Laurent", "Operations"),
			("fay", "Fay Osei", "Support"),
		)
		for key, full_name, department in people:
			setattr(cls, key, cls.named_user(full_name, department=department, company=cls.company))

		cls.fire = cls.course(
			title="Fire Safety Refresher",
			is_mandatory=1,
			validity_days=365,
			renewal_window_days=30,
			lessons=2,
		)
		cls.privacy = cls.course(title="Data Privacy Essentials", is_mandatory=1, lessons=2)
		create_assignments([cls.fire], [getattr(cls, key) for key, *_rest in people], d(14))
		create_assignments([cls.privacy], [cls.ava, cls.ben, cls.chloe], d(10))
		cls.ava_fire = complete_course(cls.ava, cls.fire, days_ago=350, validity=365)
		cls.ben_fire = complete_course(cls.ben, cls.fire, days_ago=400, validity=365)
		cls.chloe_fire = complete_course(cls.chloe, cls.fire, days_ago=10, validity=365)
		complete_course(cls.ava, cls.privacy)
		enrollment = frappe.get_doc("LMS Enrollment", enrollment_for(cls.ben, cls.privacy))
		enrollment.progress = 50
		enrollment.save()
		frappe.db.set_value(ASSIGNMENT, {"employee": cls.chloe, "course": cls.privacy}, "due_date", d(-3))
		mark_overdue_assignments()
		cls.dan_fire, cls.eve_fire, cls.fay_fire = (
			frappe.db.get_value(ASSIGNMENT, {"employee": user, "course": cls.fire})
			for user in (cls.dan, cls.eve, cls.fay)
		)
		elsewhere = unique("Elsewhere")
		for key, full_name in (("gus", "Gus Hale"), ("hal", "Hal Moreau"), ("ivy", "Ivy Chen")):
			setattr(cls, key, cls.named_user(full_name, department="Operations", company=elsewhere))
		cls.lia = cls.named_user("Lia Learner", "LMS Student")
		cls.lou = cls.named_user("Lou Learner", "LMS Student")
		frappe.db.set_value("User", cls.lou, "user_type", "System User")  # has the desk for other reasons
		frappe.clear_cache(user=cls.lou)
		create_assignments([cls.fire], [cls.gus, cls.hal, cls.ivy, cls.lia, cls.lou], d(14))
		cls.gus_fire, cls.hal_fire, cls.ivy_fire, cls.lia_fire, cls.lou_fire = (
			frappe.db.get_value(ASSIGNMENT, {"employee": user, "course": cls.fire})
			for user in (cls.gus, cls.hal, cls.ivy, cls.lia, cls.lou)
		)
		frappe.set_user(cls.moderator)  # who records the completion uploaded its evidence
		cls.evidence = frappe.get_doc(
			{"doctype": "File", "file_name": "fay-attendance.pdf", "content": b"%PDF-1.4 x", "is_private": 1}
		).insert()
		record_external_completion(
			completed_on=d(-5),
			source="Classroom Session",
			evidence=cls.evidence.file_url,
			assignment=cls.fay_fire,
			note="Evacuation drill, building B",
		)
		frappe.set_user("Administrator")

		# A course whose title, and a colleague whose name, carry markup: for the matrix only, through a
		# department of their own.
		cls.hostile_company, hostile_department = unique("Hostile Co"), unique("Hostile")
		cls.hostile_course = cls.course(
			title=unique("Hostile"), is_mandatory=1, mandatory_for=[{"department": hostile_department}]
		)
		store_raw("LMS Course", cls.hostile_course, {"title": HOSTILE["tag"]})
		cls.hostile_user = cls.named_user("Hostile Person", department=hostile_department)
		employee = frappe.db.get_value("Employee", {"user_id": cls.hostile_user})
		store_raw("Employee", employee, {"employee_name": HOSTILE["script"], "company": cls.hostile_company})
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		assignments = frappe.get_all(ASSIGNMENT, filters={"course": ("in", cls.courses)}, pluck="name")
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": ASSIGNMENT, "attached_to_name": ("in", assignments or [""])},
		)
		for file in [*files, cls.evidence]:
			frappe.delete_doc("File", file.name, force=True, ignore_permissions=True)  # and from the disk
		super().tearDownClass()

	@classmethod
	def named_user(cls, full_name: str, *roles: str, department: str | None = None, **employee) -> str:
		first, _space, last = full_name.partition(" ")
		name = make_user(*roles, password=PASSWORD, first_name=first)
		frappe.db.set_value("User", name, {"last_name": last, "full_name": full_name})
		if department:
			make_employee(name, department=department, name=full_name, **employee)
		cls.users.append(name)
		return name

	def open(self, user: str, route: str, full_width: bool = False) -> Page:
		page = self.page_as(user, width=1920 if full_width else 1366)
		if full_width:  # a wide screen, and the desk's "Toggle Full Width" as the browser remembers it
			page.add_init_script("localStorage.setItem('container_fullwidth', 'true')")
		page.set_default_timeout(TIMEOUT)
		expect.set_options(timeout=TIMEOUT)
		page.goto(route)
		return page

	def assertPill(self, pill, text: str, colour: str):
		expect(pill).to_have_text(text)
		expect(pill).to_have_class(re.compile(rf"\b{colour}\b"))

	def assertNoJsErrors(self, page: Page):
		self.assertEqual(page.js_errors, [])

	# --- Assignment list -------------------------------------------------------------------------

	def test_assignment_list_shows_validity_and_filters_by_it(self):
		page = self.open(self.hr, f"/app/lms-training-assignment?course={self.fire}")
		rows = page.locator(".list-row-container")
		for name, state in (
			("Ava Patel", "Expiring Soon"),
			("Ben Okafor", "Expired"),
			("Chloe Martin", "Completed"),
		):
			self.assertPill(
				rows.filter(has_text=name).locator(".indicator-pill").first, state, COLOURS[state]
			)
		yesterday, today_ = str(d(-1)), today()
		expired = [["course", "=", self.fire], ["status", "=", "Completed"], ["valid_until", "Between", ["1000-01-01", yesterday]]]  # fmt: skip

		page.get_by_role("button", name="Expired", exact=True).click()
		expect(rows.filter(has_text="Ava Patel")).to_have_count(0)
		expect(rows.filter(has_text="Ben Okafor")).to_have_count(1)
		expect(rows.filter(has_text="Chloe Martin")).to_have_count(0)
		self.assertEqual(self.filters(page), expired)
		# One filter per field: the URL keeps them all, and a reload lists the same rows.
		page.reload()
		self.wait_for_list(page)
		self.assertEqual(self.filters(page), expired)
		expect(rows.filter(has_text="Ben Okafor")).to_have_count(1)
		expect(rows.filter(has_text="Chloe Martin")).to_have_count(0)

		page.get_by_role("button", name="Expiring", exact=True).click()
		expect(rows.filter(has_text="Ben Okafor")).to_have_count(0)
		expect(rows.filter(has_text="Ava Patel")).to_have_count(1)
		expect(rows.filter(has_text="Chloe Martin")).to_have_count(0)
		course, status, (field, condition, (first, last)) = self.filters(page)
		self.assertEqual(
			(course, status, field, condition, first),
			(expired[0], expired[1], "valid_until", "Between", today_),
		)
		self.assertGreaterEqual(last, str(d(30)))  # the longest renewal window of any course

		# A click on the Expired pill filters as the button does.
		page.get_by_role("button", name="Expired", exact=True).click()
		expect(rows.filter(has_text="Ava Patel")).to_have_count(0)
		page.evaluate("() => cur_list.filter_area.clear()")
		expect(rows.filter(has_text="Ava Patel")).not_to_have_count(0)
		ben_row = rows.filter(has_text="Ben Okafor").filter(has_text="Fire Safety Refresher")
		ben_row.locator(".indicator-pill").first.click()
		expect(rows.filter(has_text="Ava Patel")).to_have_count(0)
		self.assertEqual(self.filters(page), expired[1:])

		# Show Overdue replaces the validity filters: the course's completions all leave the list.
		page.get_by_role("button", name="Show Overdue").click()
		expect(rows.filter(has_text="Ava Patel")).to_have_count(0)
		self.assertEqual(self.filters(page)[-2:], [["due_date", "<", today_], ["status", "!=", "Completed"]])
		self.assertNoJsErrors(page)

	def test_a_completion_that_never_expires_is_neither_expired_nor_expiring(self):
		# Ava's Data Privacy completion has no valid-until day (the course never expires).
		self.assertIsNone(
			frappe.db.get_value(ASSIGNMENT, {"employee": self.ava, "course": self.privacy}, "valid_until")
		)
		page = self.open(self.hr, f"/app/lms-training-assignment?course={self.privacy}")
		rows = page.locator(".list-row-container")
		self.assertPill(
			rows.filter(has_text="Ava Patel").locator(".indicator-pill").first, "Completed", "green"
		)
		for button in ("Expired", "Expiring"):
			page.get_by_role("button", name=button, exact=True).click()
			page.wait_for_timeout(500)
			expect(rows.filter(has_text="Ava Patel")).to_have_count(0)
			expect(page.locator(".no-result").first).to_be_visible()
		self.assertNoJsErrors(page)

	def wait_for_list(self, page: Page):
		page.wait_for_function(
			"() => window.cur_list && cur_list.doctype === 'LMS Training Assignment' && cur_list.filter_area"
		)

	def filters(self, page: Page) -> list[list]:
		"""The list's filters as [fieldname, condition, value], sorted."""
		page.wait_for_timeout(500)  # the filter area settles (debounced)
		return sorted(page.evaluate("() => cur_list.filter_area.get().map((f) => [f[1], f[2], f[3]])"))

	# --- The form: Record Completion, Extend Due Date, Certificate -------------------------------

	def test_record_completion_with_evidence(self):
		# Moderators and HR Managers alike (both write assignments; HR Managers create none).
		for user, assignment, name in ((self.moderator, self.dan_fire, "Dan Novak"), (self.hr, self.gus_fire, "Gus Hale")):  # fmt: skip
			with self.subTest(user=frappe.db.get_value("User", user, "full_name")):
				self.record_completion(user, assignment, name, screenshot=user == self.hr)

	def record_completion(self, user: str, assignment: str, name: str, screenshot: bool):
		page = self.open(user, f"/app/lms-training-assignment/{assignment}")
		expect(page.locator('.frappe-control[data-fieldname="due_date"] input:visible')).to_have_count(0)
		page.get_by_role("button", name="Record Completion").click()
		dialog = page.locator(".modal.show", has_text=f"Record Completion: {name} · Fire Safety Refresher")
		expect(dialog).to_be_visible()
		expect(dialog.locator('[data-fieldname="completed_on"] input')).to_have_value(formatdate(today()))
		completed_on = d(-2)
		dialog.locator('[data-fieldname="completed_on"] input').fill(formatdate(completed_on))
		dialog.locator(".modal-title").click()  # closes the date picker
		dialog.locator('[data-fieldname="source"] select').select_option("Classroom Session")
		dialog.locator('[data-fieldname="note"] textarea').fill("Classroom session with the site warden")

		dialog.locator('[data-fieldname="evidence"] button.btn-attach').click()
		uploader = page.locator(".modal.show", has=page.locator(".file-uploader"))
		expect(uploader).to_be_visible()
		uploader.locator('input[type="file"]').set_input_files(
			files=[
				{"name": "attendance-sheet.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 sheet"}
			]
		)
		uploader.get_by_role("button", name="Upload", exact=True).click()
		expect(page.locator(".modal", has=page.locator(".file-uploader"))).to_be_hidden()
		page.wait_for_timeout(500)  # the uploader fades out
		expect(dialog.locator('[data-fieldname="evidence"] .attached-file-link')).to_contain_text(
			"attendance-sheet"
		)
		if screenshot:
			self.screenshot(page, "record-completion")

		dialog.get_by_role("button", name="Record", exact=True).click()
		expect(page.locator(".alert-message", has_text="Completion recorded.")).to_be_visible()
		expect(page.locator(".page-head .indicator-pill:visible")).to_have_text("Completed")
		for button in ("Record Completion", "Extend Due Date"):
			expect(page.get_by_role("button", name=button)).to_have_count(0)

		frappe.db.rollback()  # read what the server committed
		doc = frappe.get_doc(ASSIGNMENT, assignment)
		self.assertEqual(
			(
				doc.status,
				doc.completed_on,
				doc.valid_until,
				doc.completion_source,
				doc.completion_recorded_by,
			),
			("Completed", completed_on, d(363), "Classroom Session", user),
		)
		self.assertEqual(doc.completion_note, "Classroom session with the site warden")
		file = frappe.get_doc("File", {"file_url": doc.completion_evidence})
		self.assertEqual((file.attached_to_doctype, file.attached_to_name), (ASSIGNMENT, assignment))
		self.assertEqual(file.is_private, 1)
		self.assertRegex(file.file_name, r"^attendance-sheet\w*\.pdf$")

		# The completion's certificate, from the form.
		with page.expect_popup() as popup:
			page.get_by_role("button", name="Certificate").click()
		url = popup.value.url
		self.assertIn(f"download_certificate?assignment={assignment}", url)
		self.assertTrue(page.context.request.get(url).body().startswith(b"%PDF"))
		self.assertNoJsErrors(page)

	def test_extend_due_date_with_a_reason(self):
		for user, assignment, name, reason in (
			(self.moderator, self.eve_fire, "Eve Laurent", "Back from parental leave on the 1st"),
			(self.hr, self.hal_fire, "Hal Moreau", "Course postponed by the provider"),
		):
			with self.subTest(user=frappe.db.get_value("User", user, "full_name")):
				self.extend(user, assignment, name, reason)

	def extend(self, user: str, assignment: str, name: str, reason: str):
		page = self.open(user, f"/app/lms-training-assignment/{assignment}")
		# A saved due date moves only with Extend Due Date (and its reason): the form shows it read only.
		due_control = page.locator('.layout-main-section .frappe-control[data-fieldname="due_date"]')
		expect(due_control).to_contain_text(formatdate(d(14)))
		expect(due_control.locator("input:visible")).to_have_count(0)
		page.get_by_role("button", name="Extend Due Date").click()
		dialog = page.locator(".modal.show", has_text=f"Extend Due Date: {name}")
		expect(dialog).to_be_visible()
		due = d(40)
		due_input = dialog.locator('[data-fieldname="due_date"] input')
		due_input.fill(formatdate(due))
		dialog.locator(".modal-title").click()
		expect(due_input).to_have_value(formatdate(due))
		dialog.locator('[data-fieldname="reason"] textarea').fill(reason)
		dialog.get_by_role("button", name="Extend", exact=True).click()

		expect(page.locator(".alert-message", has_text="Due date extended.")).to_be_visible()
		expect(page.locator('[data-fieldname="extensions"]')).to_contain_text(reason)
		expect(due_control).to_contain_text(formatdate(due))
		expect(due_control.locator("input:visible")).to_have_count(0)
		frappe.db.rollback()
		doc = frappe.get_doc(ASSIGNMENT, assignment)
		self.assertEqual(doc.due_date, due)
		(extension,) = doc.extensions
		self.assertEqual(
			(extension.previous_due_date, extension.new_due_date, extension.extended_by, extension.reason),
			(d(14), due, user, reason),
		)
		self.assertNoJsErrors(page)

	def test_an_extension_through_the_api_is_kept_the_same_way(self):
		session = login(self.hr)
		method = base_url() + "/api/method/smooth_lms.lms.assignments.hr_records.extend_due_date"
		response = session.post(
			method, data={"assignment": self.ivy_fire, "due_date": str(d(30)), "reason": "Night shifts"}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		# A due date written straight onto the record is refused: the record would lose the reason.
		response = session.post(
			base_url() + "/api/method/frappe.client.set_value",
			data={"doctype": ASSIGNMENT, "name": self.ivy_fire, "fieldname": "due_date", "value": str(d(60))},
		)
		self.assertEqual(response.status_code, 417, response.text[:300])

		page = self.open(self.moderator, f"/app/lms-training-assignment/{self.ivy_fire}")
		extensions = page.locator('[data-fieldname="extensions"]')
		expect(extensions).to_contain_text("Night shifts")
		expect(extensions).to_contain_text(formatdate(d(30)))
		expect(page.locator('.frappe-control[data-fieldname="due_date"]')).to_contain_text(formatdate(d(30)))
		for button in ("Record Completion", "Extend Due Date"):
			expect(page.get_by_role("button", name=button)).to_be_visible()
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, self.ivy_fire, "due_date"), d(30))
		self.assertNoJsErrors(page)

	def test_learners_are_offered_none_of_it(self):
		# A learner with the desk (for other reasons) opens their own assignment: read only.
		page = self.open(self.lou, f"/app/lms-training-assignment/{self.lou_fire}")
		expect(page.locator(".page-head .title-text")).to_contain_text("Fire Safety Refresher")
		expect(page.locator('.frappe-control[data-fieldname="course"]')).to_be_attached()
		for button in ("Record Completion", "Extend Due Date", "Certificate"):
			expect(page.get_by_role("button", name=button)).to_have_count(0)
		expect(page.locator('.frappe-control[data-fieldname="due_date"] input:visible')).to_have_count(0)
		expect(page.locator(".page-head .primary-action:visible")).to_have_count(0)  # no Save
		self.assertNoJsErrors(page)
		# A learner without it is not let into the desk at all.
		page = self.open(self.lia, f"/app/lms-training-assignment/{self.lia_fire}")
		page.wait_for_load_state("networkidle")
		for button in ("Record Completion", "Extend Due Date"):
			expect(page.get_by_role("button", name=button)).to_have_count(0)
		expect(page.locator('.frappe-control[data-fieldname="due_date"]')).to_have_count(0)
		# And the methods refuse them, whatever the page offers.
		for user, assignment in ((self.lou, self.lou_fire), (self.lia, self.lia_fire)):
			response = login(user).post(
				base_url() + "/api/method/smooth_lms.lms.assignments.hr_records.extend_due_date",
				data={"assignment": assignment, "due_date": str(d(30)), "reason": "Because"},
			)
			self.assertEqual(response.status_code, 403, response.text[:300])

	def test_hr_managers_print_certificates_and_keep_the_record(self):
		page = self.open(self.hr, f"/app/lms-training-assignment/{self.chloe_fire}")
		expect(page.get_by_role("button", name="Certificate")).to_be_visible()
		self.assertPill(page.locator(".page-head .indicator-pill:visible"), "Completed", "green")
		page = self.open(self.hr, f"/app/lms-training-assignment/{self.ava_fire}")
		self.assertPill(page.locator(".page-head .indicator-pill:visible"), "Expiring Soon", "orange")
		page = self.open(self.hr, f"/app/lms-training-assignment/{self.ben_fire}")
		self.assertPill(page.locator(".page-head .indicator-pill:visible"), "Expired", "gray")
		page = self.open(self.hr, f"/app/lms-training-assignment/{self.eve_fire}")
		expect(page.locator(".page-head .title-text")).to_contain_text("Fire Safety Refresher")
		expect(page.locator('.frappe-control[data-fieldname="course"]')).to_be_attached()
		# HR keeps the record of an unfinished assignment (write permission), but a saved due date moves
		# only with Extend Due Date (and its reason): the form shows it read only.
		for button in ("Record Completion", "Extend Due Date"):
			expect(page.get_by_role("button", name=button)).to_be_visible()
		expect(page.get_by_role("button", name="Certificate")).to_have_count(0)
		expect(page.locator('.frappe-control[data-fieldname="due_date"] input:visible')).to_have_count(0)
		self.assertNoJsErrors(page)

	# --- Reports ---------------------------------------------------------------------------------

	def test_compliance_matrix(self):
		page = self.open(self.hr, report_route("Compliance Matrix", company=self.company))
		table = page.locator(".report-wrapper .dt-scrollable")
		expect(table.locator(".dt-row[data-row-index]")).to_have_count(6)  # the table has settled
		for name in ("Ava Patel", "Ben Okafor", "Chloe Martin", "Dan Novak", "Eve Laurent", "Fay Osei"):
			expect(table).to_contain_text(name)
		header = page.locator(".report-wrapper .dt-header")
		expect(header).to_contain_text("Fire Safety Refresher")
		expect(header).to_contain_text("Data Privacy Essentials")

		def cell(name: str, state: str):
			return table.locator(".dt-row", has_text=name).locator(f'[data-state="{state}"]')

		self.assertPill(cell("Ava Patel", "Expiring Soon"), f"Expiring Soon · {formatdate(d(15))}", "orange")
		self.assertPill(cell("Ava Patel", "Compliant"), "Compliant · does not expire", "green")
		self.assertPill(cell("Ben Okafor", "Expired"), f"Expired · {formatdate(d(-35))}", "red")
		self.assertPill(cell("Ben Okafor", "In Progress"), f"In Progress · due {formatdate(d(10))}", "blue")
		self.assertPill(cell("Chloe Martin", "Overdue"), f"Overdue · due {formatdate(d(-3))}", "red")
		self.assertPill(cell("Fay Osei", "Compliant"), f"Compliant · {formatdate(d(360))}", "green")
		self.assertPill(cell("Fay Osei", "Not Assigned"), "Not Assigned", "gray")
		expect(page.locator(".report-summary")).to_contain_text("Expiring Soon")
		page.wait_for_timeout(300)
		self.screenshot(page, "compliance-matrix")

		# A cell opens the assignment that decides it.
		page.locator('.page-form [data-fieldname="state"] select').select_option("Expired")
		expect(table.locator(".dt-row", has_text="Ava Patel")).to_have_count(0)
		expect(table.locator(".dt-row", has_text="Ben Okafor")).to_have_count(1)
		cell("Ben Okafor", "Expired").click()
		expect(page).to_have_url(re.compile(rf"/app/lms-training-assignment/{self.ben_fire}$"))
		self.assertNoJsErrors(page)

	def test_compliance_matrix_prints_titles_and_names_as_text(self):
		page = self.open(self.hr, report_route("Compliance Matrix", company=self.hostile_company))
		header = page.locator(".report-wrapper .dt-header")
		expect(header).to_contain_text(HOSTILE["tag"])
		expect(page.locator(".report-wrapper .dt-scrollable")).to_contain_text(HOSTILE["script"])
		page.wait_for_timeout(500)  # an injected image would have failed to load by now
		self.assertEqual(page.evaluate(INJECTED), {"images": 0, "handlers": 0, "ran": None})
		self.assertNoJsErrors(page)

	def test_training_history(self):
		page = self.open(self.hr, report_route("Training History", course=self.fire), full_width=True)
		table = page.locator(".report-wrapper .dt-scrollable")
		frappe.db.rollback()
		completions = frappe.db.count(ASSIGNMENT, {"course": self.fire, "status": "Completed"})
		expect(table.locator(".dt-row[data-row-index]")).to_have_count(completions)  # the table has settled
		for name, state, colour in (
			("Ava Patel", "Expiring Soon", "orange"),
			("Ben Okafor", "Expired", "red"),
			("Chloe Martin", "Compliant", "green"),
			("Fay Osei", "Compliant", "green"),
		):
			row = table.locator(".dt-row", has_text=name)
			self.assertPill(row.locator(".indicator-pill"), state, colour)
		fay = table.locator(".dt-row", has_text="Fay Osei")
		expect(fay).to_contain_text("Classroom Session")
		expect(fay).to_contain_text("Evacuation drill, building B")
		evidence = fay.locator("a", has_text="fay-attendance")
		expect(evidence).to_have_attribute("href", self.evidence.file_url)
		page.wait_for_timeout(300)
		self.screenshot(page, "training-history")
		self.assertNoJsErrors(page)

	# --- Workspace -------------------------------------------------------------------------------

	def test_workspace_cards_and_shortcuts(self):
		frappe.db.rollback()
		frappe.cache.delete_value(CARD_COUNTS_KEY)  # counted afresh, from this class's data
		counts = state_counts(compliance_states())
		page = self.open(self.hr, "/app/learning")
		for label, state in (("Trainings Expiring Soon", "Expiring Soon"), ("Expired Trainings", "Expired")):
			card = page.locator(".number-widget-box", has_text=label)
			expect(card.locator(".number")).to_have_text(str(counts[state]))
		self.assertGreaterEqual(counts["Expiring Soon"], 1)
		self.assertGreaterEqual(counts["Expired"], 1)
		for shortcut in ("Compliance Matrix", "Training History"):
			expect(page.locator(".shortcut-widget-box", has_text=shortcut)).to_be_visible()
		page.locator(".shortcut-widget-box", has_text="Compliance Matrix").click()
		expect(page).to_have_url(re.compile(r"/app/query-report/Compliance(%20| )Matrix"))
		self.assertNoJsErrors(page)
