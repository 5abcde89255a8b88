"""Assign Training to a department from the course form, in a real browser: a small group is answered at
once; a large one (over groups.INLINE_LIMIT) is queued, followed with a progress bar and run by a real
Frappe worker process, then summed up.

The worker is Frappe's (rq's Worker, connected as frappe.utils.background_jobs.start_worker connects it;
each job runs Frappe's execute_job in a forked work horse), in burst mode, on a queue of this test's alone: the bench's "long" queue is shared by every site of
the bench and may hold other sites' jobs, which this test must neither run nor wait behind. The test moves
its one job there from "long", where the web server queued it.

Data is committed (the web server and the worker read it on their own connections) and removed in
tearDownClass; the staff of both departments are inserted set-wise."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import frappe
import pytest
from frappe.utils import add_days, formatdate, get_bench_id, getdate, today
from frappe.utils.background_jobs import get_queue
from playwright.sync_api import Page, expect
from rq import Queue
from rq.job import Job

from smooth_lms.lms.assignments import groups
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import make_staff, remove_staff
from smooth_lms.tests.hostile import HOSTILE, XSS_MARK

pytestmark = pytest.mark.browser

ASSIGNMENT = "LMS Training Assignment"
JOB = "smooth_lms.lms.assignments.groups.run_group_assignment"
TIMEOUT = 30_000  # desk pages load slowly the first time (assets, boot)
LARGE = 1_200  # over INLINE_LIMIT, and over one chunk of 1,000: the job reports its progress twice
WORKER = """
import sys

import frappe
from frappe.utils.background_jobs import Worker, get_redis_conn

with frappe.init_site():
	connection = get_redis_conn()
Worker([sys.argv[1]], connection=connection).work(burst=True, logging_level="INFO")
"""

# What the progress bar says, each time it changes (the job may finish between two polls: then nothing).
RECORD_PROGRESS = """() => {
	const seen = (window.__progress_seen = []);
	const description = [...document.querySelectorAll(".modal.show .description")].pop();
	let last = description.textContent;
	const record = () => last !== description.textContent && seen.push((last = description.textContent));
	new MutationObserver(record).observe(description, {
		childList: true,
		characterData: true,
		subtree: true,
	});
}"""


class TestAssignTrainingToAGroup(BrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.long_queue = get_queue("long")
		cls.jobs_before = set(cls.long_queue.job_ids)
		cls.worker_queue = Queue(
			f"{get_bench_id()}:smooth-lms-test-{frappe.local.site}", connection=cls.long_queue.connection
		)
		cls.status_keys = []

		cls.moderator = cls.user("Moderator")
		tag = frappe.generate_hash(length=6)
		# A department named with markup: the suggestions and the summary must print it as text.
		cls.small_department = f"Field Sales {tag} {HOSTILE['tag']}"
		cls.large_department = f"Warehouse {tag}"
		cls.small = make_staff(3, department=cls.small_department)
		cls.staff = cls.small + make_staff(1, department=cls.small_department, status="Left")
		cls.large = make_staff(LARGE, department=cls.large_department)
		cls.staff += cls.large
		cls.small_course = cls.course(title="Forklift Safety")
		cls.large_course = cls.course(title="Warehouse Induction")
		cls.lost_course = cls.course(title="Pallet Jack Basics")
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		assignments = frappe.get_all(ASSIGNMENT, filters={"course": ("in", cls.courses)}, pluck="name")
		for names in (assignments[i : i + 1000] for i in range(0, len(assignments), 1000)):
			frappe.db.delete("Version", {"ref_doctype": ASSIGNMENT, "docname": ("in", names)})
		remove_staff(cls.staff)
		frappe.db.commit()
		cls.forget_queued_jobs()
		for key in cls.status_keys:
			frappe.cache.delete_value(key)
		super().tearDownClass()

	@classmethod
	def forget_queued_jobs(cls):
		"""The jobs this class's requests queued for this site and no worker ran (the learners' emails,
		the document events of the new rows) leave the bench's queue with the data they were for."""
		queued = [i for i in cls.long_queue.job_ids if i not in cls.jobs_before]
		for job in Job.fetch_many(queued, connection=cls.long_queue.connection):
			if job and job.kwargs.get("site") == frappe.local.site:
				job.delete()
		cls.worker_queue.delete(delete_jobs=True)

	def open_course(self, course: str) -> Page:
		page = self.page_as(self.moderator)
		page.set_default_timeout(TIMEOUT)
		expect.set_options(timeout=TIMEOUT)
		page.goto(f"/app/lms-course/{course}")
		return page

	def open_dialog_for_department(self, page: Page, title: str, department: str, typed: str):
		"""Assign Training, Assign To: Department, the department picked from the suggestions."""
		page.get_by_role("button", name="Assign Training").click()
		dialog = page.locator(".modal.show", has_text=f"Assign Training: {title}")
		expect(dialog.locator('[data-fieldname="employees"] input')).to_be_focused()  # settled
		expect(dialog.locator('.frappe-control[data-fieldname="group_value"]')).to_be_hidden()
		dialog.locator('[data-fieldname="assign_to"] select').select_option("department")

		expect(dialog.locator('.frappe-control[data-fieldname="employees"]')).to_be_hidden()
		group = dialog.locator('.frappe-control[data-fieldname="group_value"]')
		expect(group.locator(".control-label")).to_have_text("Department")
		# 100 ms after any change in a dialog Frappe refreshes every dependent field (FieldGroup), which
		# puts back the picker's stored value: text typed before then is wiped. A person types later.
		page.wait_for_timeout(500)
		picker = group.locator("input")
		picker.click()
		picker.press_sequentially(typed)
		expect(picker).to_have_value(typed)
		suggestion = group.locator(".awesomplete ul:not([hidden]) li")
		expect(suggestion).to_have_count(1)
		expect(suggestion).to_have_text(department)  # as text, markup and all
		picker.press("Enter")  # picks the highlighted suggestion
		expect(picker).to_have_value(department)
		return dialog

	def assertNoInjectedScript(self, page: Page):
		self.assertIsNone(page.evaluate(f"() => window.{XSS_MARK}"))
		self.assertEqual(page.js_errors, [])

	def test_a_small_department_is_assigned_at_once(self):
		page = self.open_course(self.small_course)
		dialog = self.open_dialog_for_department(
			page, "Forklift Safety", self.small_department, self.small_department.split("'")[0]
		)

		# A refusal (the course was unpublished meanwhile) keeps the dialog open, with the server's word.
		frappe.db.set_value("LMS Course", self.small_course, "published", 0)
		frappe.db.commit()
		try:
			dialog.locator(".btn-primary").click()
			refusal = page.locator(".modal.show", has_text="Course Not Published")
			expect(refusal).to_contain_text("is not published")
			refusal.locator(".btn-modal-close").click()
			# Gone, not just fading: Frappe reuses that one message dialog for the next message.
			expect(page.locator(".modal", has_text="Course Not Published")).to_be_hidden()
			# And its backdrop faded out: a message shown while Bootstrap still fades the last one out
			# is hidden with it (a person sees the screen brighten before clicking again).
			expect(page.locator(".modal-backdrop")).to_have_count(1)
			expect(dialog).to_be_visible()
		finally:
			frappe.db.set_value("LMS Course", self.small_course, "published", 1)
			frappe.db.commit()

		dialog.locator(".btn-primary").click()

		summary = page.locator(".modal.show", has_text="Training Assigned")
		expect(summary).to_contain_text(f"Department {self.small_department}: 3 employees.")
		expect(summary).to_contain_text("3 assignments created.")
		expect(summary.locator(".msgprint strong")).to_have_text(self.small_department)
		expect(dialog).to_be_hidden()
		frappe.db.rollback()  # read what the server committed
		rows = frappe.get_all(
			ASSIGNMENT, filters={"course": self.small_course}, fields=["employee", "status", "due_date"]
		)
		self.assertEqual(sorted(row.employee for row in rows), sorted(self.small))  # not the leaver
		self.assertEqual(
			{(row.status, row.due_date) for row in rows}, {("Pending", getdate(add_days(today(), 30)))}
		)

		summary.get_by_role("button", name="View Assignments").click()
		expect(page).to_have_url(re.compile(r"/app/lms-training-assignment\?course="))
		expect(page.locator(".list-row-container")).to_have_count(3)
		self.assertNoInjectedScript(page)

	def test_a_large_department_is_queued_followed_and_summed_up(self):
		page = self.open_course(self.large_course)
		dialog = self.open_dialog_for_department(
			page, "Warehouse Induction", self.large_department, self.large_department[:-2]
		)
		due = add_days(today(), 45)
		due_input = dialog.locator('[data-fieldname="due_date"] input')
		due_input.fill(formatdate(due))
		dialog.locator(".modal-title").click()  # closes the date picker
		self.screenshot(page, "assign-training-group")

		started = time.perf_counter()
		with page.expect_response(lambda r: "groups.assign_training_to_group" in r.url) as response:
			dialog.locator(".btn-primary").click()
		answer = response.value.json()["message"]
		self.status_keys.append(groups._status_key(answer["job"]))
		self.assertEqual((answer["queued"], answer["total"]), (True, LARGE))

		progress = page.locator(".modal.show", has_text="Assigning training")
		expect(progress.locator(".progress-bar")).to_be_attached()
		expect(progress.locator(".description")).to_have_text(f"0 of {LARGE}")  # nobody runs it yet
		expect(dialog).to_be_hidden()
		page.wait_for_timeout(1500)  # a poll or two while the job waits: the bar stays, no error
		expect(progress.locator(".description")).to_have_text(f"0 of {LARGE}")
		page.evaluate(RECORD_PROGRESS)

		worker_started = time.perf_counter()
		worker = self.run_worker_for(answer["job"])
		summary = page.locator(".modal.show", has_text="Training Assigned")
		expect(summary).to_contain_text(f"{LARGE} assignments created.", timeout=180_000)
		summed_up = time.perf_counter()
		self.assertEqual(worker.wait(timeout=120), 0, self.worker_log.read_text()[-3000:])
		expect(summary).to_contain_text(f"Department {self.large_department}: {LARGE} employees.")
		expect(page.locator(".modal.show", has_text="Assigning training")).to_have_count(0)
		seen = page.evaluate("() => window.__progress_seen")
		self.assertEqual(seen, sorted(seen, key=lambda text: int(text.split()[0])), seen)  # only forward
		self.assertTrue(all(re.fullmatch(rf"\d+ of {LARGE}", text) for text in seen), seen)
		print(
			f"\nProgress bar: 0 of {LARGE}, then {seen or 'straight to the summary'}."
			f"\nLarge group of {LARGE}: queued in {worker_started - started:.1f} s (answer and progress bar),"
			f" assigned and summed up {summed_up - worker_started:.1f} s after the worker started;"
			f" worker log {self.worker_log}"
		)

		frappe.db.rollback()  # read what the worker committed
		rows = frappe.get_all(
			ASSIGNMENT,
			filters={"course": self.large_course},
			fields=["employee", "status", "due_date", "assigned_by"],
		)
		self.assertEqual(sorted(row.employee for row in rows), sorted(self.large))
		self.assertEqual(
			{(row.status, row.due_date, row.assigned_by) for row in rows},
			{("Pending", getdate(due), self.moderator)},
		)

		summary.get_by_role("button", name="View Assignments").click()
		expect(page).to_have_url(re.compile(r"/app/lms-training-assignment\?course="))
		self.assertNoInjectedScript(page)

	def test_a_job_the_server_no_longer_knows_ends_the_progress_bar_with_a_word(self):
		page = self.open_course(self.lost_course)
		dialog = self.open_dialog_for_department(
			page, "Pallet Jack Basics", self.large_department, self.large_department[:-2]
		)
		with page.expect_response(lambda r: "groups.assign_training_to_group" in r.url) as response:
			dialog.locator(".btn-primary").click()
		job = response.value.json()["message"]["job"]
		progress = page.locator(".modal.show", has_text="Assigning training")
		expect(progress.locator(".description")).to_have_text(f"0 of {LARGE}")
		polls = []
		page.on("request", lambda r: "groups.get_group_assignment" in r.url and polls.append(r.url))

		frappe.cache.delete_value(groups._status_key(job))  # as a full cache clear does (see test_sweeps)

		expect(page.locator(".alert-message", has_text="no longer known")).to_be_visible()
		expect(progress).to_have_count(0)
		asked = len(polls)
		page.wait_for_timeout(2500)
		self.assertEqual(len(polls), asked)  # it stopped asking
		self.assertNoInjectedScript(page)

	def run_worker_for(self, job: str) -> subprocess.Popen:
		"""Move the queued group assignment from "long" to this test's queue and start a burst worker on
		it: a separate process, as Frappe runs its workers, that exits once the queue is empty."""
		rq_job = self.queued_group_assignment(job)
		self.long_queue.remove(rq_job)
		self.worker_queue.enqueue_job(rq_job)
		sites = os.environ.get("SMOOTH_LMS_SITES_PATH", ".")
		self.worker_log = (
			Path(sites).resolve().parent / "logs" / f"smooth-lms-test-worker-{frappe.local.site}.log"
		)
		with self.worker_log.open("w") as log:
			worker = subprocess.Popen(
				[sys.executable, "-c", WORKER, self.worker_queue.name], cwd=sites, stdout=log, stderr=log
			)
		self.addCleanup(lambda: worker.poll() is None and worker.kill())
		return worker

	def queued_group_assignment(self, job: str) -> Job:
		deadline = time.monotonic() + 15
		while time.monotonic() < deadline:
			for rq_job in Job.fetch_many(self.long_queue.job_ids, connection=self.long_queue.connection):
				if (
					rq_job
					and rq_job.kwargs.get("site") == frappe.local.site
					and rq_job.kwargs.get("method") == JOB
					and rq_job.kwargs["kwargs"].get("job") == job
				):
					return rq_job
			time.sleep(0.2)
		self.fail(f"the group assignment {job} never reached the long queue")
