"""Benchmark: the bulk paths at HR scale, on a real site, printing figures. Nothing is kept.

    scripts/benchmark [EMPLOYEES]          (default 5000)

It makes EMPLOYEES users in one statement, then times, and counts the SQL statements of:
assign_mandatory_training for all of them (as a Moderator, through the whitelisted function),
the same call again (everything already open: all skipped), get_team_training_status over the
rows, and mark_overdue_assignments after their due dates pass. Then it rolls everything back.
"""

import time

import frappe
from frappe.utils import add_days, now_datetime, today

from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.hrms_integration import assign_mandatory_training, get_team_training_status
from smooth_lms.tests.factories import QueryCounter


class Meter(QueryCounter):
	"""Wall time and SQL statements of a block, on the current connection."""

	def __init__(self, label: str):
		self.label = label

	def __enter__(self):
		super().__enter__()
		self.start = time.perf_counter()
		return self

	def __exit__(self, *exc):
		seconds = time.perf_counter() - self.start
		super().__exit__(*exc)
		print(f"{self.label:<48} {seconds:8.2f} s {self.count:6d} SQL statements")


def run(employees: int = 5000) -> None:
	employees = int(employees)
	frappe.flags.in_test = True  # no mail goes out from a benchmark
	print(f"Smooth LMS benchmark on site {frappe.local.site}: {employees} employees, one course")
	users = _make_users(employees)
	moderator = _make_users(1, prefix="bench-moderator")[0]
	frappe.get_doc("User", moderator).add_roles("Moderator")
	course = (
		frappe.get_doc(
			{
				"doctype": "LMS Course",
				"title": "Benchmark Course",
				"published": 1,
				"is_mandatory": 1,
				"lessons": [{"title": "One"}],
			}
		)
		.insert(ignore_permissions=True)  # benchmark set-up as Administrator
		.name
	)
	frappe.set_user(moderator)
	try:
		assign_mandatory_training(course, users[:1], add_days(today(), 30))  # warm caches (meta, roles)
		with Meter(f"assign_mandatory_training ({employees} new)"):
			created = assign_mandatory_training(course, users, add_days(today(), 30))
		with Meter(f"assign_mandatory_training ({employees} already open)"):
			again = assign_mandatory_training(course, users, add_days(today(), 30))
		print(f"  created {created} (+1 warm-up), then {again}")
		frappe.set_user("Administrator")
		frappe.get_doc("User", "Administrator")  # keeps Administrator's roles cached
		with Meter(f"get_team_training_status ({created + 1} rows)"):
			status = get_team_training_status(course=course)
		print(f"  summary {status['summary']}")
		frappe.db.sql(
			"update `tabLMS Training Assignment` set due_date=%s where course=%s",
			(add_days(today(), -1), course),
		)
		with Meter(f"mark_overdue_assignments ({created + 1} late)"):
			late = mark_overdue_assignments()
		print(f"  marked {late} Overdue")
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		print("Rolled back: nothing is kept.")


def _make_users(count: int, prefix: str = "bench-employee") -> list[str]:
	now = now_datetime()
	tag = frappe.generate_hash(length=6)
	names = [f"{prefix}-{tag}-{i}@example.com" for i in range(count)]
	frappe.db.bulk_insert(
		"User",
		(
			"name",
			"email",
			"first_name",
			"full_name",
			"enabled",
			"user_type",
			"creation",
			"modified",
			"owner",
			"modified_by",
		),
		[
			(
				n,
				n,
				f"Employee {i}",
				f"Employee {i}",
				1,
				"Website User",
				now,
				now,
				"Administrator",
				"Administrator",
			)
			for i, n in enumerate(names)
		],
	)
	return names
