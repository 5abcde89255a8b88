"""Benchmark: who-must-take-what sweeps at HR scale, beside a per-document baseline from the same run.

    scripts/benchmark sweep [EMPLOYEES]      (default 5000)

EMPLOYEES active employees with users in one department, made set-wise. Then, timed with their SQL
statements: the sweep a course's change starts (the course becomes mandatory for the department:
`sweeps.sweep_course`, what its background job runs), the same sweep again (nothing left to do), and
the desk's Assign Training to a department (`run_group_assignment`, the queued job). Rolled back at the
end: nothing is kept.
"""

import frappe
from frappe.utils import add_days, today

from smooth_lms.benchmarks.common import (
	PER_DOCUMENT_SAMPLE,
	Meter,
	baseline,
	make_course,
	make_employees,
	make_users,
)
from smooth_lms.demo.hr_doctypes import ensure_hr_doctypes
from smooth_lms.lms.assignments.groups import group_members, run_group_assignment
from smooth_lms.lms.obligations.sweeps import sweep_course


def run(employees: int = 5000) -> None:
	employees = int(employees)
	frappe.flags.in_test = True  # no mail goes out, and the jobs' per-chunk commits are skipped
	department = f"Bench Sweep {frappe.generate_hash(length=4)}"
	print(f"Smooth LMS sweep benchmark on site {frappe.local.site}: {employees} employees in one department")
	ensure_hr_doctypes()
	users = make_users(employees, prefix="bench-sweep")
	make_employees(users, department=department)
	try:
		sample_course = make_course("Benchmark Sweep Baseline", is_mandatory=0)
		due = add_days(today(), 30)
		with Meter("", quiet=True) as one_by_one:
			for user in users[:PER_DOCUMENT_SAMPLE]:
				frappe.get_doc(
					{
						"doctype": "LMS Training Assignment",
						"employee": user,
						"course": sample_course,
						"due_date": due,
					}
				).insert()

		course = make_course("Benchmark Sweep Course", mandatory_for=[{"department": department}])
		frappe.db.after_commit.reset()  # the course's own sweep job is what is timed next, in this process
		with Meter(f"sweep_course: made mandatory for {employees} employees") as sweep:
			first = sweep_course(course)
		baseline(
			"one document each",
			one_by_one.seconds,
			PER_DOCUMENT_SAMPLE,
			one_by_one.count,
			employees,
			sweep.seconds,
		)
		print(f"  created {first['created']}")
		with Meter("sweep_course again (nothing left to do)"):
			again = sweep_course(course)
		print(f"  created {again['created']}")

		group_course = make_course("Benchmark Group Course", is_mandatory=0)
		with Meter(f"group_members (department of {employees})"):
			members = group_members({"department": department})
		pairs = [(user, group_course) for user in members]
		with Meter(f"run_group_assignment ({len(pairs)} people, the queued job)"):
			run_group_assignment("bench", pairs, str(add_days(today(), 30)), "via benchmark")
	finally:
		frappe.db.rollback()
		frappe.db.after_commit.reset()
		frappe.cache.delete_value("smooth_lms:group_assignment:bench")
		print("Rolled back: nothing is kept.")
