"""Benchmark: the bulk paths at HR scale, on a real site, each beside a baseline measured in the same
run. Nothing is kept: everything is rolled back at the end.

    scripts/benchmark [EMPLOYEES]          (default 5000)

It makes EMPLOYEES users and Employee records set-wise, then times, and counts the SQL statements of:
- assign_mandatory_training for all of them (as a Moderator), beside the per-document baseline
  (the same assignments inserted one document at a time, for a sample, scaled to EMPLOYEES);
- the same call again (everything already open: all skipped);
- get_team_training_status over the rows, all and for one department, beside the same query without
  the Employee.user_id index (how it ran before the index);
- mark_overdue_assignments once the rows are late;
- the LMS Student role granted to EMPLOYEES new learners set-wise (framework.roles.grant_role), beside
  Frappe's own User.add_roles one user at a time (a sample, scaled): why grant_role stays set-wise.
"""

import frappe
from frappe.utils import add_days, today

from smooth_lms.benchmarks.common import (
	DEPARTMENTS,
	PER_DOCUMENT_SAMPLE,
	Meter,
	make_course,
	make_employees,
	make_users,
)
from smooth_lms.demo.hr_doctypes import ensure_hr_doctypes
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.framework.roles import LMS_STUDENT, grant_role
from smooth_lms.lms.hrms_integration import assign_mandatory_training, get_team_training_status


def run(employees: int = 5000) -> None:
	employees = int(employees)
	frappe.flags.in_test = True  # no mail goes out from a benchmark
	print(f"Smooth LMS benchmark on site {frappe.local.site}: {employees} employees, one course")
	ensure_hr_doctypes()
	users = make_users(employees)
	make_employees(users)
	moderator = make_users(1, prefix="bench-moderator")[0]
	frappe.get_doc("User", moderator).add_roles("Moderator")
	course, sample_course = make_course("Benchmark Course"), make_course("Benchmark Baseline Course")
	due = add_days(today(), 30)
	frappe.set_user(moderator)
	try:
		assign_mandatory_training(course, users[:1], due)  # warm caches (meta, roles)
		sample = users[1 : 1 + min(PER_DOCUMENT_SAMPLE, employees - 1)]
		with Meter("", quiet=True) as baseline:
			for user in sample:
				frappe.get_doc(
					{
						"doctype": "LMS Training Assignment",
						"employee": user,
						"course": sample_course,
						"due_date": due,
					}
				).insert()
		with Meter(f"assign_mandatory_training ({employees} new)") as bulk:
			created = assign_mandatory_training(course, users, due)
		scaled = baseline.seconds / len(sample) * employees
		print(
			f"  baseline, one document each: {baseline.seconds:.2f} s for {len(sample)}, "
			f"{baseline.count} statements -> {scaled:.1f} s for {employees} ({scaled / bulk.seconds:.0f}x)"
		)
		with Meter(f"assign_mandatory_training ({employees} already open)"):
			again = assign_mandatory_training(course, users, due)
		print(f"  created {created} (+1 warm-up), then {again}")

		frappe.set_user("Administrator")
		frappe.get_doc("User", "Administrator")  # keeps Administrator's roles cached
		rows = created + 1
		with Meter(f"get_team_training_status ({rows} rows)"):
			status = get_team_training_status(course=course)
		with Meter(f"get_team_training_status (department: {rows // len(DEPARTMENTS)} rows)"):
			get_team_training_status(department=DEPARTMENTS[0], course=course)
		with Meter("  baseline, the same query without the user_id index"):
			_team_query_without_index(course)
		print(f"  summary {status['summary']}")

		frappe.db.sql(
			"update `tabLMS Training Assignment` set due_date=%s where course in %s",
			(add_days(today(), -1), (course, sample_course)),
		)
		with Meter(f"mark_overdue_assignments ({rows + len(sample)} late)"):
			late = mark_overdue_assignments()
		print(f"  marked {late} Overdue (Versions written; document events left to the queued job)")

		_grant_roles(employees)
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.db.after_commit.reset()  # nothing of the rolled-back rows is announced
		print("Rolled back: nothing is kept.")


def _grant_roles(employees: int) -> None:
	learners = make_users(employees, prefix="bench-learner")
	sample = learners[: min(PER_DOCUMENT_SAMPLE, employees)]
	with Meter("", quiet=True) as one_by_one:
		for user in sample:
			frappe.get_doc("User", user).add_roles(LMS_STUDENT)
	rest = learners[len(sample) :] or learners
	with Meter(f"grant_role LMS Student ({len(rest)} new learners, set-wise)") as bulk:
		grant_role(rest, LMS_STUDENT)
	scaled = one_by_one.seconds / len(sample) * len(rest)
	print(
		f"  baseline, User.add_roles one user at a time: {one_by_one.seconds:.2f} s for {len(sample)}, "
		f"{one_by_one.count} statements -> {scaled:.1f} s for {len(rest)} ({scaled / bulk.seconds:.0f}x)"
	)


def _team_query_without_index(course: str) -> list:
	"""get_team_training_status's query as it ran before Employee.user_id was indexed."""
	index = frappe.db.get_column_index("tabEmployee", "user_id")
	ignore = f"ignore index (`{index.Key_name}`)" if index else ""
	return frappe.db.sql(
		f"""select a.name as assignment, a.employee, a.employee_name, a.course, a.course_title, a.due_date,
			a.status, a.progress, a.completed_on, e.department
		from `tabLMS Training Assignment` a left join `tabEmployee` e {ignore} on e.user_id = a.employee
		where a.course = %s order by a.due_date, a.employee""",
		course,
		as_dict=True,
	)
