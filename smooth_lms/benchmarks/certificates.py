"""Benchmark: certificates and course versions at scale, each beside a same-run baseline.

    scripts/benchmark certificates [COMPLETIONS]      (default 10000; retraining over 2 x COMPLETIONS)

1. Issuing: COMPLETIONS completed assignments without certificates, issued by `issue_certificates` in
   one call (set-wise), beside LMS Certificate documents inserted one at a time for a sample, scaled.
2. Verifying: the statements of one `verify_certificate` lookup with COMPLETIONS certificates on the
   site, the same as with the first ten (a fixed number, whatever their number).
3. Retraining: `publish_new_version(retrain=1)` over 2 x COMPLETIONS holders of an older version (active
   employees of a mandatory course) — more than versions.INLINE_LIMIT, so it sets the version and queues
   the job; the job's work (`retrain_holders`) is then timed here — beside renewals inserted one
   document at a time for a sample.
Rolled back at the end: nothing is kept.
"""

import frappe
from frappe.utils import add_days, getdate, today

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
from smooth_lms.lms.certificates.codes import new_code
from smooth_lms.lms.certificates.issuing import issue_certificates
from smooth_lms.lms.certificates.verification import verified
from smooth_lms.lms.doctypes import ASSIGNMENT, CERTIFICATE
from smooth_lms.lms.versions import outdated_completions, publish_new_version, retrain_holders


def run(completions: int = 10000) -> None:
	completions = int(completions)
	frappe.flags.in_test = True  # no mail goes out from a benchmark
	print(f"Smooth LMS certificates and versions benchmark on site {frappe.local.site}")
	ensure_hr_doctypes()
	try:
		_issuing(completions)
		_retraining(2 * completions)
	finally:
		frappe.db.rollback()
		frappe.db.after_commit.reset()
		print("Rolled back: nothing is kept.")


def _issuing(completions: int) -> None:
	users = make_users(completions, prefix="bench-cert")
	course = make_course("Benchmark Certificates", validity_days=365)
	make_completions(users, [course])
	names = frappe.get_all(ASSIGNMENT, {"course": course}, pluck="name")

	sample = names[:PER_DOCUMENT_SAMPLE]
	with Meter("", quiet=True) as one_by_one:
		for name in sample:
			row = frappe.db.get_value(
				ASSIGNMENT, name, ["employee", "employee_name", "completed_on"], as_dict=True
			)
			doc = frappe.get_doc(
				{"doctype": CERTIFICATE, "member": row.employee, "member_name": row.employee_name,
				 "course": course, "assignment": name, "issue_date": row.completed_on}
			)  # fmt: skip
			doc.name = new_code()
			doc.flags.issuing = True
			doc.db_insert()
	frappe.db.delete(CERTIFICATE, {"assignment": ("in", sample)})
	with Meter(f"issue_certificates ({len(names)} completions, set-wise)") as issuing:
		issued = issue_certificates(names)
	baseline(
		"one document each", one_by_one.seconds, len(sample), one_by_one.count, len(names), issuing.seconds
	)
	print(f"  issued {len(issued)} certificates")
	with Meter("issue_certificates again (idempotent)"):
		again = issue_certificates(names)
	print(f"  issued {len(again)}")

	with Meter("verify_certificate, first certificate", quiet=True) as first:
		verified(issued[0])
	with Meter("verify_certificate, last certificate", quiet=True) as last:
		verified(issued[-1])
	print(
		f"verify_certificate: {first.count} statement(s) with {len(issued)} certificates on the site, "
		f"{last.count} for another code; {first.seconds * 1000:.1f} ms"
	)


def _retraining(holders: int) -> None:
	users = make_users(holders, prefix="bench-version")
	make_employees(users)
	course = make_course("Benchmark Versions", is_mandatory=1, renewal_window_days=30)
	make_completions(users, [course])
	frappe.db.sql(
		"update `tabLMS Training Assignment` set course_version = '1' where course = %s and status = 'Completed'",
		course,
	)
	with Meter("outdated_completions (the finding query)") as finding:
		pairs = outdated_completions(course, "2")
	sample = list(pairs.items())[:PER_DOCUMENT_SAMPLE]
	with Meter("", quiet=True) as one_by_one:
		for (employee, _course), completion in sample:
			doc = frappe.get_doc(
				{"doctype": ASSIGNMENT, "employee": employee, "course": course,
				 "due_date": add_days(today(), 30), "renewal_of": completion}
			)  # fmt: skip
			doc.flags.app_owned_change = True
			doc.insert()
	with Meter("publish_new_version (sets the version, queues the retraining)") as publishing:
		planned = publish_new_version(course, "2", retrain=1)
	frappe.db.after_commit.reset()  # the queued job is run here instead, timed
	with Meter(f"the retraining job ({len(pairs)} holders, set-wise)") as retraining:
		opened = len(
			retrain_holders(
				course, "2", outdated_completions(course, "2"), getdate(add_days(today(), 30))
			).created
		)
	baseline(
		"one document each", one_by_one.seconds, len(sample), one_by_one.count, len(pairs), retraining.seconds
	)
	print(
		f"  planned {planned}, opened {opened} renewals (+{len(sample)} by the baseline); "
		f"finding query {finding.seconds:.3f} s; publishing {publishing.seconds:.3f} s"
	)
