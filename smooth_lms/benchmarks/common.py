"""What the benchmarks share: a meter of wall time and SQL statements, and test data made set-wise."""

import time

import frappe
from frappe.utils import now_datetime

from smooth_lms.lms.framework.batches import insert_rows
from smooth_lms.tests.factories import QueryCounter

DEPARTMENTS = ("Operations", "Sales", "Engineering", "Finance", "People")
# Rows made one document at a time for a baseline, then scaled to the benchmark's size.
PER_DOCUMENT_SAMPLE = 200


class Meter(QueryCounter):
	"""Wall time and SQL statements of a block, on the current connection."""

	def __init__(self, label: str, quiet: bool = False):
		self.label, self.quiet = label, quiet

	def __enter__(self):
		super().__enter__()
		self.start = time.perf_counter()
		return self

	def __exit__(self, *exc):
		self.seconds = time.perf_counter() - self.start
		super().__exit__(*exc)
		if not self.quiet:
			print(f"{self.label:<62} {self.seconds:8.3f} s {self.count:6d} SQL statements")


def baseline(label: str, seconds: float, sample: int, statements: int, scale_to: int, against: float) -> None:
	"""Print a per-document baseline measured on `sample` rows, scaled to `scale_to` rows."""
	scaled = seconds / sample * scale_to
	print(
		f"  baseline, {label}: {seconds:.2f} s and {statements} statements for {sample}"
		f" -> {scaled:.1f} s for {scale_to} ({scaled / against:.0f}x)"
	)


def make_course(title: str, **fields) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "LMS Course",
				"title": title,
				"published": 1,
				"is_mandatory": 1,
				"lessons": [{"title": "One"}],
				**fields,
			}
		)
		.insert(ignore_permissions=True)  # benchmark set-up as Administrator
		.name
	)


def make_users(count: int, prefix: str = "bench-employee") -> list[str]:
	now, tag = now_datetime(), frappe.generate_hash(length=6)
	names = [f"{prefix}-{tag}-{i}@example.com" for i in range(count)]
	fields = ("name", "email", "first_name", "full_name", "enabled", "user_type", "creation", "modified", "owner", "modified_by")  # fmt: skip
	rows = [
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
	]
	insert_rows("User", fields, rows)
	return names


def make_employees(users: list[str], department: str | None = None) -> None:
	"""An active Employee per user, in `department` or spread over DEPARTMENTS."""
	now, tag = now_datetime(), frappe.generate_hash(length=6)
	fields = ("name", "employee_name", "user_id", "department", "status", "creation", "modified", "owner", "modified_by")  # fmt: skip
	rows = [
		(f"BENCH-{tag}-{i}", f"Employee {i}", user, department or DEPARTMENTS[i % len(DEPARTMENTS)], "Active",
		 now, now, "Administrator", "Administrator")
		for i, user in enumerate(users)
	]  # fmt: skip
	insert_rows("Employee", fields, rows)
