"""Benchmark: completions handed to HR's Employee Compliance ledger, beside same-run baselines.

    scripts/benchmark handoff [COMPLETIONS]      (default 10000)

1. The handoff of COMPLETIONS completions of a course with a compliance type, each by an employee
   without a ledger row: `hand_over` set-wise (rows only: their PDFs are per row, timed in 4), beside a
   plain multi-row INSERT of as many rows (insert_rows, the floor) and rows inserted one document at a
   time for a sample, scaled. Then again: nothing left, nothing written.
2. A renewal wave: the same rows, each holding an older completion, brought up to date (each row its own
   dates: one UPDATE and one Version INSERT per 1,000).
3. Expiry: every row's completion ran out yesterday; the daily expiry turns them Expired.
4. Evidence: the certificate PDFs of PDF_SAMPLE completions rendered and attached (private File and
   timeline comment), per row, as the chunked jobs do — PDFs per second. wkhtmltopdf fetches the print
   stylesheet from the site's address: a static server on the bench's sites folder stands in for it.
Rolled back at the end (the PDFs' files are removed from disk): nothing is kept.
"""

import contextlib
import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import frappe
from frappe.utils import add_days, now_datetime, today

from smooth_lms.benchmarks.common import (
	PER_DOCUMENT_SAMPLE,
	Meter,
	baseline,
	make_course,
	make_employees,
	make_users,
)
from smooth_lms.benchmarks.renewals import make_completions
from smooth_lms.demo.hr_doctypes import ensure_hr_doctypes
from smooth_lms.lms.certificates.issuing import issue_certificates
from smooth_lms.lms.doctypes import ASSIGNMENT, EMPLOYEE, EMPLOYEE_COMPLIANCE
from smooth_lms.lms.framework.batches import insert_rows
from smooth_lms.lms.hr_compliance.daily import expire_rows
from smooth_lms.lms.hr_compliance.evidence import attach_evidence
from smooth_lms.lms.hr_compliance.handoff import hand_over
from smooth_lms.lms.hr_compliance.rows import ROW_FIELDS, new_row_names

PDF_SAMPLE = 50


def run(completions: int = 10000) -> None:
	completions = int(completions)
	frappe.flags.in_test = True  # no mail goes out from a benchmark
	print(f"Smooth LMS HR ledger handoff benchmark on site {frappe.local.site}: {completions} completions")
	ensure_hr_doctypes()
	files = []
	try:
		names = _completions(completions)
		_handoff(names)
		_renewal_wave(names)
		_expiry(names)
		files = _evidence(names[:PDF_SAMPLE])
	finally:
		frappe.db.rollback()
		frappe.db.after_commit.reset()
		for path in files:
			with contextlib.suppress(FileNotFoundError):
				os.remove(path)
		print("Rolled back: nothing is kept.")


def _completions(count: int) -> list[str]:
	users = make_users(count, prefix="bench-ledger")
	make_employees(users)
	course = make_course("Benchmark Ledger", validity_days=365, compliance_type="Benchmark Certification")
	make_completions(users, [course])
	return frappe.get_all(ASSIGNMENT, {"course": course}, pluck="name", order_by="name")


def _handoff(names: list[str]) -> None:
	employees = frappe.get_all(EMPLOYEE, {"user_id": ("like", "bench-ledger-%")}, pluck="name")
	day, now = today(), now_datetime()
	rows = [
		(name, now, now, "Administrator", "Administrator", 0, 0, employee, "Baseline", "Complete", day, day)
		for name, employee in zip(new_row_names(len(employees)), employees, strict=True)
	]
	frappe.db.savepoint("baselines")
	with Meter("", quiet=True) as plain:
		insert_rows(EMPLOYEE_COMPLIANCE, ROW_FIELDS, rows)
	with Meter("", quiet=True) as one_by_one:
		for employee in employees[:PER_DOCUMENT_SAMPLE]:
			frappe.get_doc(
				{"doctype": EMPLOYEE_COMPLIANCE, "employee": employee, "compliance_type": "Per Document",
				 "status": "Complete", "completion_date": day, "next_renewal_date": day}
			).insert()  # fmt: skip
	frappe.db.rollback(save_point="baselines")

	with Meter(f"hand_over ({len(names)} completions, set-wise, rows only)") as handing:
		handed = hand_over(names, evidence=False)
	print(
		f"  baseline, a plain INSERT of as many rows (insert_rows): {plain.seconds:.3f} s, "
		f"{plain.count} statements (the handoff takes {handing.seconds / plain.seconds:.1f}x as long)"
	)
	baseline(
		"one document each",
		one_by_one.seconds,
		PER_DOCUMENT_SAMPLE,
		one_by_one.count,
		len(names),
		handing.seconds,
	)
	print(
		f"  {len(handed)} handed over, {frappe.db.count(EMPLOYEE_COMPLIANCE, {'compliance_type': 'Benchmark Certification'})} rows"
	)
	written = frappe.db.sql(f"select count(*), max(modified) from `tab{EMPLOYEE_COMPLIANCE}`")
	with Meter("hand_over again (idempotent)"):
		hand_over(names, evidence=False)
	same = frappe.db.sql(f"select count(*), max(modified) from `tab{EMPLOYEE_COMPLIANCE}`") == written
	print(f"  rows {'unchanged' if same else 'CHANGED'} (their evidence is what is left)")


def _renewal_wave(names: list[str]) -> None:
	"""Each row held an older completion (30 days earlier, Pending): the handoff brings it up to date."""
	frappe.db.sql(
		f"""update `tab{EMPLOYEE_COMPLIANCE}` set status = 'Pending',
		completion_date = date_sub(completion_date, interval 30 day)
		where compliance_type = 'Benchmark Certification'"""
	)
	frappe.db.sql(f"update `tab{ASSIGNMENT}` set compliance_record = null where name in %s", (tuple(names),))
	with Meter(f"hand_over ({len(names)} renewals of existing rows, each its dates)") as renewing:
		hand_over(names, evidence=False)
	versions = frappe.db.count("Version", {"ref_doctype": EMPLOYEE_COMPLIANCE})
	print(f"  {versions} Versions of the ledger's rows; {renewing.seconds * 1000 / len(names):.3f} ms a row")


def _expiry(names: list[str]) -> None:
	yesterday = add_days(today(), -1)
	frappe.db.sql(
		f"update `tab{ASSIGNMENT}` set valid_until = %s where name in %s", (yesterday, tuple(names))
	)
	frappe.db.sql(
		f"""update `tab{EMPLOYEE_COMPLIANCE}` set next_renewal_date = %s
		where compliance_type = 'Benchmark Certification'""",
		yesterday,
	)
	with Meter(f"expire_rows ({len(names)} completions ran out yesterday)"):
		expired = expire_rows()
	print(f"  {len(expired)} rows turned Expired")


def _evidence(sample: list[str]) -> list[str]:
	"""PDFs per second, attached per row. Returns the files written, for removal."""
	issue_certificates(sample)
	with _site_address():
		with Meter(f"attach_evidence ({len(sample)} certificate PDFs, per row)") as attaching:
			finished = attach_evidence(sample)
	print(f"  {len(finished)} attached: {len(finished) / attaching.seconds:.1f} PDFs a second")
	files = frappe.get_all(
		"File",
		{"attached_to_doctype": EMPLOYEE_COMPLIANCE, "file_name": ("like", "certificate-%")},
		pluck="name",
	)
	return [frappe.get_doc("File", name).get_full_path() for name in files]


@contextlib.contextmanager
def _site_address():
	"""The site's address for wkhtmltopdf's stylesheet: a static server of the bench's sites folder."""
	handler = functools.partial(_QuietHandler, directory=os.path.abspath(frappe.local.sites_path))
	server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
	threading.Thread(target=server.serve_forever, daemon=True).start()
	conf = frappe.local.conf
	before = conf.get("host_name")
	conf.host_name = f"http://127.0.0.1:{server.server_address[1]}"
	try:
		yield
	finally:
		conf.host_name = before
		server.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
	def log_message(self, *args) -> None:
		pass
