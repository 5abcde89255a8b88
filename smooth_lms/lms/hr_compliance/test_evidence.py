"""The evidence of a handoff as a worker attaches it: Frappe's print view commits its Access Log in a job
(never in a test), so the certificate PDF is rendered outside any savepoint; a PDF that cannot be rendered
(wkhtmltopdf cannot reach the site's host_name) is logged with its names and left for the daily job; a row
another job finished meanwhile is not attached twice; a row whose writing fails leaves no PDF on disk."""

import contextlib
import os
from unittest.mock import patch

import frappe
from frappe.utils.background_jobs import get_queue, get_queues_timeout
from rq.job import Job

from smooth_lms.lms.certificates.issuing import issue_certificates
from smooth_lms.lms.doctypes import CERTIFICATE, EMPLOYEE_COMPLIANCE
from smooth_lms.lms.hr_compliance import HAND_OVER_JOB
from smooth_lms.lms.hr_compliance import evidence as evidence_module
from smooth_lms.lms.hr_compliance.daily import hand_over_and_expire
from smooth_lms.lms.hr_compliance.evidence import attach_evidence
from smooth_lms.lms.hr_compliance.handoff import hand_over
from smooth_lms.tests.factories import (
	assign,
	complete_course,
	run_jobs_enqueued_after_commit,
	store_completion,
)
from smooth_lms.tests.http import RestCase
from smooth_lms.tests.ledger import (
	EVIDENCE_JOB,
	LedgerCase,
	evidence_of,
	failures_about,
	handed,
	ledger_row,
)

UNREACHABLE = "http://smooth-lms-evidence.invalid"  # .invalid never resolves (RFC 6761)


@contextlib.contextmanager
def as_a_worker():
	"""Run the block as a worker runs a job: not in a test, so Frappe commits where it commits in a worker
	(the print view's Access Log). The jobs those commits queue for this site are taken off the queues."""
	queues = [get_queue(queue_type) for queue_type in get_queues_timeout()]
	before = {queue.name: set(queue.job_ids) for queue in queues}
	try:
		with patch.dict(frappe.flags, {"in_test": False}):
			yield
	finally:
		prefix = f"{frappe.local.site}::"
		for queue in queues:
			new = [i for i in set(queue.job_ids) - before[queue.name] if i.startswith(prefix)]
			for job in Job.fetch_many(new, connection=queue.connection):
				if job:
					job.delete()


class TestEvidenceInAWorker(LedgerCase, RestCase):
	"""The worker's commits make this data permanent: the class removes it (RestCase, and the ledger's
	rows and files here)."""

	def setUp(self):
		super().setUp()
		self.courses.append(self.course)

	def learner(self) -> tuple[str, str]:
		user, employee = super().learner()
		self.users.append(user)
		return user, employee

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		employees = frappe.get_all("Employee", {"user_id": ("in", cls.users or ["-"])}, pluck="name")
		rows = frappe.get_all(EMPLOYEE_COMPLIANCE, {"employee": ("in", employees or ["-"])}, pluck="name")
		files = frappe.get_all(
			"File", {"attached_to_doctype": EMPLOYEE_COMPLIANCE, "attached_to_name": ("in", rows or ["-"])}
		)
		for file in files:
			frappe.delete_doc("File", file.name, force=True, ignore_permissions=True)
		frappe.db.delete(
			"Comment", {"reference_doctype": EMPLOYEE_COMPLIANCE, "reference_name": ("in", rows or ["-"])}
		)
		frappe.db.delete(EMPLOYEE_COMPLIANCE, {"name": ("in", rows or ["-"])})
		super().tearDownClass()

	def complete_in_a_worker(self, user: str) -> str:
		"""The learner completes; the handoff job then runs as a worker runs it (as the learner who queued
		it). A job that raises fails the test, as it fails in a worker."""
		assign(user, self.course)
		name = complete_course(user, self.course)
		frappe.set_user(user)
		try:
			with as_a_worker():
				self.performed = run_jobs_enqueued_after_commit(HAND_OVER_JOB, EVIDENCE_JOB)
		finally:
			frappe.set_user("Administrator")
		return name

	def test_the_job_attaches_the_certificate_although_printing_commits(self):
		user, employee = self.learner()
		assignment = self.complete_in_a_worker(user)
		self.assertEqual([job["method"] for job in self.performed], [HAND_OVER_JOB])
		row = ledger_row(employee, self.compliance_type)
		self.assertEqual(row.status, "Complete")
		self.assertIsNotNone(handed(assignment).compliance_handed_over)
		code = frappe.db.get_value(CERTIFICATE, {"assignment": assignment})
		(file,), (comment,) = evidence_of(row.name)
		self.assertEqual(file.file_name, f"certificate-{code}.pdf")
		self.assertTrue(frappe.get_doc("File", file.name).get_content().startswith(b"%PDF"))
		self.assertIn(code, comment)
		self.assertEqual(failures_about(assignment, self.started), [])
		# The print view did commit: its Access Log is there for another connection to read.
		self.assertTrue(frappe.db.exists("Access Log", {"reference_document": code, "file_type": "PDF"}))

	def test_a_pdf_the_worker_cannot_render_is_logged_and_the_daily_job_attaches_it(self):
		user, employee = self.learner()
		with patch.dict(frappe.local.conf, {"host_name": UNREACHABLE}):
			assignment = self.complete_in_a_worker(user)  # the job itself does not fail
		row = ledger_row(employee, self.compliance_type)
		self.assertEqual(row.status, "Complete")  # the row is written, the completion untouched
		self.assertEqual(handed(assignment).status, "Completed")
		self.assertEqual(handed(assignment).compliance_record, row.name)
		self.assertIsNone(handed(assignment).compliance_handed_over)
		self.assertEqual(evidence_of(row.name), ([], []))
		(error,) = failures_about(assignment, self.started)
		for name in (user, employee, self.course, "HostNotFoundError"):
			self.assertIn(name, error)
		code = frappe.db.get_value(CERTIFICATE, {"assignment": assignment})
		titles = frappe.get_all("Error Log", {"creation": (">=", self.started)}, pluck="method")
		self.assertIn(f"HR compliance handoff failed: rendering the PDF of certificate {code}", titles)
		with as_a_worker():  # the daily job, the site's address reachable again
			self.assertIn(assignment, hand_over_and_expire()["handed_over"])
		files, comments = evidence_of(row.name)
		self.assertEqual((len(files), len(comments)), (1, 1))
		self.assertIsNotNone(handed(assignment).compliance_handed_over)


class TestEvidenceRows(LedgerCase):
	def written(self) -> tuple[str, str]:
		"""A completion with its certificate whose ledger row is written, its evidence not attached yet."""
		user, employee = self.learner()
		name = assign(user, self.course)
		store_completion(name, days_ago=1, valid_for=365)
		issue_certificates([name])
		hand_over([name], evidence=False)
		return name, ledger_row(employee, self.compliance_type).name

	def test_a_row_another_job_finished_while_this_one_rendered_is_not_attached_twice(self):
		assignment, row = self.written()
		render = evidence_module.certificate_pdf

		calls = []

		def other_job_finishes_first(certificate):
			calls.append(certificate)
			if len(calls) == 1:  # this job renders; the other one renders too and finishes the row
				self.assertEqual(attach_evidence([assignment]), [assignment])
			return render(certificate)

		with patch.object(evidence_module, "certificate_pdf", side_effect=other_job_finishes_first):
			self.assertEqual(attach_evidence([assignment]), [])
		self.assertEqual(len(calls), 2)
		files, comments = evidence_of(row)
		self.assertEqual((len(files), len(comments)), (1, 1))
		self.assertEqual(failures_about(assignment, self.started), [])

	def test_a_row_whose_writing_fails_keeps_no_pdf_on_disk_and_is_logged(self):
		assignment, row = self.written()
		code = frappe.db.get_value(CERTIFICATE, {"assignment": assignment})
		with patch.object(
			frappe.model.document.Document, "add_comment", side_effect=frappe.ValidationError("timeline full")
		):
			self.assertEqual(attach_evidence([assignment]), [])
		self.assertEqual(evidence_of(row), ([], []))
		self.assertIsNone(handed(assignment).compliance_handed_over)
		path = frappe.get_site_path("private", "files", f"certificate-{code}.pdf")
		self.assertFalse(os.path.exists(path), path)
		(error,) = failures_about(assignment, self.started)
		self.assertIn("timeline full", error)
		self.assertEqual(attach_evidence([assignment]), [assignment])  # the daily job's next try
		files, comments = evidence_of(row)
		self.assertEqual((len(files), len(comments)), (1, 1))
