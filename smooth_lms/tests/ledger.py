"""HR's ledger in tests: a course with a compliance type, learners with Employee records, completions whose
handoff jobs run here as a worker would (LedgerCase), and what a row holds afterwards."""

import contextlib
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from smooth_lms.lms.doctypes import ASSIGNMENT, EMPLOYEE_COMPLIANCE
from smooth_lms.lms.hr_compliance import HAND_OVER_JOB
from smooth_lms.tests.factories import (
	assign,
	complete_course,
	make_course,
	make_employee,
	make_user,
	run_jobs_enqueued_after_commit,
	unique,
)
from smooth_lms.tests.http import base_url

EVIDENCE_JOB = "smooth_lms.lms.hr_compliance.evidence.attach_evidence_job"
FAILED = "HR compliance handoff failed%"


def ledger_row(employee: str, compliance_type: str) -> frappe._dict | None:
	rows = frappe.get_all(
		EMPLOYEE_COMPLIANCE,
		filters={"employee": employee, "compliance_type": compliance_type},
		fields=["name", "status", "completion_date", "next_renewal_date", "modified"],
	)
	assert len(rows) <= 1, rows
	return rows[0] if rows else None


def handed(assignment: str) -> frappe._dict:
	return frappe.db.get_value(
		ASSIGNMENT, assignment, ["compliance_record", "compliance_handed_over", "status"], as_dict=True
	)


def evidence_of(row: str) -> tuple[list[dict], list[str]]:
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": EMPLOYEE_COMPLIANCE, "attached_to_name": row},
		fields=["name", "file_name", "is_private", "file_url"],
	)
	comments = frappe.get_all(
		"Comment",
		filters={"reference_doctype": EMPLOYEE_COMPLIANCE, "reference_name": row, "comment_type": "Info"},
		pluck="content",
	)
	return files, comments


def failures_about(assignment: str, since) -> list[str]:
	logs = frappe.get_all(
		"Error Log", filters={"method": ("like", FAILED), "creation": (">=", since)}, fields=["error"]
	)
	return [log.error for log in logs if f"Assignment {assignment}," in log.error]


@contextlib.contextmanager
def without_employee_compliance():
	"""The site as one without HR's ledger: the app's own check answers no wherever it is asked."""
	with contextlib.ExitStack() as stack:
		for module in ("", ".handoff", ".evidence", ".daily"):
			stack.enter_context(
				patch(f"smooth_lms.lms.hr_compliance{module}.has_employee_compliance", return_value=False)
			)
		yield


class LedgerCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		# A worker prints with the site's address (host_name), as a real site has it set.
		host = patch.dict(frappe.local.conf, {"host_name": base_url()})
		host.start()
		self.addCleanup(host.stop)
		frappe.db.after_commit.reset()  # jobs of earlier tests
		self.started = now_datetime()
		self.compliance_type = unique("Fire Safety Certification")
		self.course = make_course(lessons=1, validity_days=365, compliance_type=self.compliance_type)

	def learner(self) -> tuple[str, str]:
		user = make_user("LMS Student")
		return user, make_employee(user)

	def complete(self, user: str) -> str:
		"""The learner finishes the course (the course page's own method); the queued jobs then run as a
		worker would."""
		assign(user, self.course)
		name = complete_course(user, self.course)
		frappe.set_user(user)  # a worker runs the job as the user who queued it: the learner
		try:
			self.performed = run_jobs_enqueued_after_commit(HAND_OVER_JOB, EVIDENCE_JOB)
		finally:
			frappe.set_user("Administrator")
		return name
