"""Benchmark: the daily recertification job over many completions, beside a per-document baseline.

    scripts/benchmark renewals [COMPLETIONS]      (default 100000)

COMPLETIONS completed assignments (five courses with a 365-day validity and a 30-day renewal window;
COMPLETIONS / 5 active employees), made set-wise, their expiry dates spread over the coming year, so
that about one in twelve is inside its window. Then, timed with their SQL statements: the query that
finds the completions to renew, the daily job (`renewals.open_renewals`), the same job again (nothing
left to do: idempotent), and the compliance states of everyone. Rolled back at the end.
"""

import frappe
from frappe.utils import add_days, getdate, now_datetime, today

from smooth_lms.benchmarks.common import (
	PER_DOCUMENT_SAMPLE,
	Meter,
	baseline,
	make_course,
	make_employees,
	make_users,
)
from smooth_lms.demo.hr_doctypes import ensure_hr_doctypes
from smooth_lms.lms.assignments.creation import ASSIGNMENT_INSERT_FIELDS
from smooth_lms.lms.framework.batches import insert_rows, reserve_names
from smooth_lms.lms.learning.enrollments import ENROLLMENT_INSERT_FIELDS
from smooth_lms.lms.validity.renewals import due_for_renewal, open_renewals
from smooth_lms.lms.validity.states import compliance_states, state_counts

COURSES = 5


def run(completions: int = 100000) -> None:
	completions = int(completions)
	frappe.flags.in_test = True  # no mail goes out from a benchmark
	people = max(completions // COURSES, 1)
	print(f"Smooth LMS renewal benchmark on site {frappe.local.site}: {people * COURSES} completions")
	ensure_hr_doctypes()
	users = make_users(people, prefix="bench-renew")
	make_employees(users)
	courses = [
		make_course(f"Benchmark Recertification {i}", validity_days=365, renewal_window_days=30)
		for i in range(COURSES)
	]
	try:
		make_completions(users, courses)
		with Meter("due_for_renewal (the finding query)") as finding:
			due = due_for_renewal(courses)
		print(f"  {len(due)} of {people * COURSES} completions inside their renewal window")

		sample = due[:PER_DOCUMENT_SAMPLE]
		with Meter("", quiet=True) as one_by_one:
			for name, employee, course, until, _window in sample:
				doc = frappe.get_doc(
					{"doctype": "LMS Training Assignment", "employee": employee, "course": course,
					 "due_date": getdate(until), "renewal_of": name}
				)  # fmt: skip
				doc.flags.app_owned_change = True  # what a per-document renewal job would write
				doc.insert()

		with Meter(f"open_renewals ({people * COURSES} completions)") as daily:
			opened = open_renewals(courses)
		baseline(
			"one document each", one_by_one.seconds, len(sample), one_by_one.count, len(due), daily.seconds
		)
		print(f"  opened {opened['renewals']} renewals (+{len(sample)} by the baseline)")
		with Meter("open_renewals again, the next day (idempotent)"):
			again = open_renewals(courses)
		print(f"  opened {again['renewals']}")
		statements = "statement" if finding.count == 1 else "statements"
		print(f"  finding query alone: {finding.seconds:.3f} s, {finding.count} {statements}")

		with Meter(f"compliance_states ({people} employees x {COURSES} courses)"):
			states = state_counts(compliance_states(users, courses))
		print(f"  {states}")
	finally:
		frappe.db.rollback()
		frappe.db.after_commit.reset()
		print("Rolled back: nothing is kept.")


def make_completions(users: list[str], courses: list[str]) -> None:
	"""A finished enrollment and a completed assignment per (user, course), completed over the past year."""
	now, day = now_datetime(), getdate(today())
	enrollments, assignments = [], []
	names = reserve_names("TA-.####", len(users) * len(courses))
	index = 0
	for course in courses:
		for i, user in enumerate(users):
			expires_in = (i * 7 + index) % 365  # spread over the coming year
			completed = getdate(add_days(day, expires_in - 365))
			enrollment = frappe.generate_hash(length=10)
			enrollments.append(
				(
					enrollment,
					now,
					now,
					"Administrator",
					"Administrator",
					0,
					0,
					user,
					f"Employee {i}",
					course,
					course,
					100,
				)
			)
			assignments.append(
				(names[index], now, now, "Administrator", "Administrator", 0, 0, user, f"Employee {i}", course,
				 course, completed, "Completed", "Administrator", enrollment, 100, None, None)
			)  # fmt: skip
			index += 1
	insert_rows("LMS Enrollment", ENROLLMENT_INSERT_FIELDS, enrollments)
	insert_rows("LMS Training Assignment", ASSIGNMENT_INSERT_FIELDS, assignments)
	frappe.db.sql(
		"""update `tabLMS Training Assignment` set completed_on = due_date,
		valid_until = date_add(due_date, interval 365 day) where course in %(courses)s""",
		{"courses": tuple(courses)},
	)
