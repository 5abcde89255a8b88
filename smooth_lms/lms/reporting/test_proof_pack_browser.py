"""The proof pack from HR's desk in a real browser (headless Chromium): "Proof Pack" on Training History and
on the Compliance Matrix downloads one employee's or one course's evidence as a ZIP holding the learner's
certificate; a large pack is built by the job with a progress bar, then downloaded. Names and titles with
markup are offered as text. The button is for whoever may ask for a pack (roles.require_training_viewer).

The large pack's job is the one the web server queued, taken off the bench's queue and run here as a
worker runs it (as factories.run_jobs_enqueued_after_commit does). Data is committed (the web server reads
it on its own connection) and removed in tearDownClass."""

import io
import time
import zipfile
from urllib.parse import quote

import frappe
import pytest
from frappe.utils.background_jobs import get_queue
from frappe.utils.file_manager import save_file
from playwright.sync_api import Page, expect
from rq.job import Job

from smooth_lms.lms.doctypes import ASSIGNMENT, CERTIFICATE
from smooth_lms.lms.reporting import proof_pack
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import assign, complete_course, make_employee, store_completion
from smooth_lms.tests.hostile import FIND_INJECTED, HOSTILE, XSS_MARK, name_user

pytestmark = pytest.mark.browser

TIMEOUT = 30_000  # desk pages load slowly the first time (assets, boot)
JOB = "smooth_lms.lms.reporting.proof_pack.run_proof_pack"
LARGE = proof_pack.INLINE_DOCUMENTS  # completions with an evidence file each: with the summary, one over


class TestProofPackOnTheDesk(BrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		cls.creator = cls.user("Course Creator")
		cls.learner = cls.user("LMS Student")
		cls.learner_name = "Ada " + HOSTILE["tag"]
		name_user(cls.learner, cls.learner_name)
		employee = make_employee(cls.learner, name=cls.learner_name)
		cls.employee_name = frappe.db.get_value("Employee", employee, "employee_name")  # as Frappe saved it
		cls.course_name = cls.course(title="Fire Safety", is_mandatory=1, lessons=2, validity_days=365)
		frappe.db.set_value("LMS Course", cls.course_name, "title", "Fire Safety " + HOSTILE["tag"])
		cls.assignment = assign(cls.learner, cls.course_name)
		complete_course(cls.learner, cls.course_name)
		cls.code = frappe.db.get_value(CERTIFICATE, {"assignment": cls.assignment})
		# The names as the assignment keeps them (Frappe's save cleans a complete tag, not all markup).
		cls.history_name, cls.course_title = frappe.db.get_value(
			ASSIGNMENT, cls.assignment, ["employee_name", "course_title"]
		)

		# The large pack: a learner with LARGE completions recorded by HR, each with its evidence file.
		cls.busy = cls.user("LMS Student")
		cls.records = cls.course(title="Forklift Licence", lessons=1, enable_certification=0)
		evidence = save_file("sheet.txt", b"attendance", "User", cls.hr, is_private=1)
		cls.files = [evidence.name]
		for _ in range(LARGE):
			name = assign(cls.busy, cls.records)
			store_completion(
				name, 1, None, completion_source="Classroom Session", completion_evidence=evidence.file_url
			)
		cls.jobs = []
		frappe.db.commit()
		assert cls.code, "the completion has its certificate"

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.delete(
			"File", {"attached_to_name": ("in", [cls.hr, *cls.users]), "attached_to_doctype": "User"}
		)
		frappe.db.delete("Notification Log", {"for_user": cls.hr})
		for job in cls.jobs:
			frappe.cache.delete_value(proof_pack.JOB_KEY + job)
		frappe.db.commit()
		super().tearDownClass()

	def open(self, user: str, route: str) -> Page:
		page = self.page_as(user)
		page.set_default_timeout(TIMEOUT)
		expect.set_options(timeout=TIMEOUT)
		page.goto(route)
		return page

	def download(self, page: Page, dialog) -> zipfile.ZipFile:
		with page.expect_download() as download:
			dialog.get_by_role("button", name="Download").click()
		content = download.value.path().read_bytes()
		self.assertTrue(download.value.suggested_filename.endswith(".zip"), download.value.suggested_filename)
		return zipfile.ZipFile(io.BytesIO(content))

	def assertInert(self, page: Page):
		self.assertEqual(page.evaluate(FIND_INJECTED, XSS_MARK), {"injected": [], "ran": None})
		self.assertEqual(page.js_errors, [])

	def test_hr_downloads_an_employees_pack_from_training_history(self):
		page = self.open(self.hr, f"/app/query-report/Training History?employee={quote(self.learner)}")
		expect(page.locator(".dt-scrollable .dt-row")).to_have_count(1)  # the filter is applied
		page.get_by_role("button", name="Proof Pack").click()
		dialog = page.locator(".modal.show", has_text="Proof Pack")
		employee = dialog.locator('[data-fieldname="employee"] select')
		expect(employee).to_have_value(self.learner)  # the filter's pick
		expect(employee.locator("option:checked")).to_have_text(f"{self.history_name} ({self.learner})")
		expect(dialog.locator('[data-fieldname="course"] select option')).to_have_text(
			["", self.course_title]
		)
		pack = self.download(page, dialog)
		names = pack.namelist()
		self.assertIn("00-summary.pdf", names)
		self.assertTrue(any(n.startswith("certificates/") and self.code in n for n in names), names)
		self.assertInert(page)

	def test_hr_downloads_a_courses_pack_from_the_compliance_matrix(self):
		page = self.open(self.hr, f"/app/query-report/Compliance Matrix?course={quote(self.course_name)}")
		page.wait_for_function(
			"(course) => frappe.query_report && frappe.query_report.get_filter_value('course') === course",
			arg=self.course_name,
		)
		expect(page.locator(".dt-scrollable .dt-row")).to_have_count(1)  # the filter is applied
		expect(page.locator(".dt-scrollable")).to_contain_text("Compliant")
		page.get_by_role("button", name="Proof Pack").click()
		dialog = page.locator(".modal.show", has_text="Proof Pack")
		expect(dialog.locator('[data-fieldname="course"] select')).to_have_value(self.course_name)
		expect(dialog.locator('[data-fieldname="employee"] select')).to_have_value("")
		expect(dialog.locator('[data-fieldname="employee"] select option')).to_have_text(
			["", f"{self.employee_name} ({self.learner})"]  # the matrix's people: their Employee's name
		)
		pack = self.download(page, dialog)
		self.assertTrue(any(self.code in name for name in pack.namelist()), pack.namelist())
		self.assertInert(page)

	def test_a_large_pack_follows_its_job_with_a_progress_bar(self):
		page = self.open(self.hr, f"/app/query-report/Training History?employee={quote(self.busy)}")
		expect(page.locator(".dt-scrollable .dt-row")).to_have_count(LARGE)  # the filter is applied
		page.get_by_role("button", name="Proof Pack").click()
		dialog = page.locator(".modal.show", has_text="Proof Pack")
		with page.expect_response(lambda r: "request_proof_pack" in r.url) as response:
			dialog.get_by_role("button", name="Download").click()
		answer = response.value.json()["message"]
		self.jobs.append(answer["job"])
		total = LARGE + 1
		self.assertEqual((answer["queued"], answer["documents"]), (True, total))
		progress = page.locator(".modal.show", has_text="Building proof pack")
		expect(progress.locator(".description")).to_have_text(f"0 of {total} documents")
		page.wait_for_timeout(1500)  # a poll or two while the job waits: the bar stays, no error
		expect(progress.locator(".description")).to_have_text(f"0 of {total} documents")

		self.run_queued_job(answer["job"])
		ready = page.locator(".modal.show", has_text="Proof Pack Ready")
		expect(ready).to_contain_text(f"{total} documents in one ZIP")
		expect(page.locator(".modal.show", has_text="Building proof pack")).to_have_count(0)
		pack = self.download(page, ready)
		evidence = [name for name in pack.namelist() if name.startswith("evidence/")]
		self.assertEqual(len(evidence), LARGE)
		self.assertEqual(pack.read(evidence[0]), b"attendance")
		self.assertInert(page)

	def test_only_those_who_may_pack_see_the_button(self):
		page = self.open(self.hr, "/app/query-report/Training History")
		expect(page.get_by_role("button", name="Proof Pack")).to_be_visible()
		# The rule the button follows (roles.sees_every_row over the DocType's permissions), as the page
		# has it: a learner's role is not enough; a Moderator's is, as the server says.
		added = """(roles) => {
			const saved = frappe.boot.user.roles;
			frappe.boot.user.roles = roles;
			let added = 0;
			try {
				smooth_lms.proof_pack.add_button({ page: { add_inner_button: () => added++ } }, () => ({}));
			} finally {
				frappe.boot.user.roles = saved;
			}
			return added;
		}"""
		self.assertEqual(page.evaluate(added, ["LMS Student", "All", "Guest", "Desk User"]), 0)
		self.assertEqual(page.evaluate(added, ["Course Creator", "LMS Student", "All", "Guest"]), 0)
		self.assertEqual(page.evaluate(added, ["Moderator", "All", "Guest"]), 1)
		self.assertEqual(page.evaluate(added, ["HR Manager", "All", "Guest"]), 1)
		# A Course Creator does not get the report, nor the button.
		page = self.open(self.creator, "/app/query-report/Training History")
		expect(page.locator(".page-title")).to_be_visible()
		page.wait_for_timeout(1000)
		expect(page.get_by_role("button", name="Proof Pack")).to_have_count(0)

	def run_queued_job(self, job_id: str) -> None:
		"""The job the web server queued for this pack (after its commit: it may take a moment to arrive),
		run here as a worker runs it, then taken off the queue."""
		queue = get_queue("long")
		deadline = time.monotonic() + 20
		while time.monotonic() < deadline:
			for job in Job.fetch_many(queue.job_ids, connection=queue.connection):
				kwargs = job.kwargs.get("kwargs", {}) if job else {}
				if job and job.kwargs.get("method") == JOB and kwargs.get("job") == job_id:
					job.delete()
					try:
						frappe.get_attr(JOB)(**kwargs)
						frappe.db.commit()
					finally:
						frappe.set_user("Administrator")
					return
			time.sleep(0.2)
		self.fail("the pack's job never reached the queue")
