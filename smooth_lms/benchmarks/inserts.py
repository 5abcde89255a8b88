"""Benchmark: the multi-row INSERT of the bulk paths (framework.batches.insert_rows) beside Frappe's own
frappe.db.bulk_insert, the same rows, best of three, rolled back.

    scripts/benchmark inserts [ROWS]          (default 20000)
"""

import time

import frappe
from frappe.utils import now_datetime

from smooth_lms.lms.framework.batches import BATCH_SIZE, insert_rows

FIELDS = ("name", "creation", "modified", "modified_by", "owner", "docstatus", "idx", "parent", "parenttype", "parentfield", "defkey", "defvalue")  # fmt: skip


def run(rows: int = 20000) -> None:
	rows = int(rows)
	frappe.flags.in_test = True
	print(f"Smooth LMS benchmark on site {frappe.local.site}: INSERT of {rows} rows (DefaultValue)")
	ours = _best(rows, lambda values: insert_rows("DefaultValue", FIELDS, values))
	frappes = _best(
		rows, lambda values: frappe.db.bulk_insert("DefaultValue", FIELDS, values, chunk_size=BATCH_SIZE)
	)
	print(f"{'insert_rows':<62} {ours:8.3f} s")
	print(f"  baseline, frappe.db.bulk_insert: {frappes:.3f} s ({frappes / ours:.1f}x)")
	print("Rolled back: nothing is kept.")


def _best(rows: int, insert) -> float:
	best = float("inf")
	for _ in range(3):
		now = now_datetime()
		values = [
			(frappe.generate_hash(length=12), now, now, "bench", "bench", 0, 0, f"bench-{i}", "__default", "bench", "smooth_lms_bench", "1")
			for i in range(rows)
		]  # fmt: skip
		start = time.perf_counter()
		insert(values)
		best = min(best, time.perf_counter() - start)
		frappe.db.rollback()
	return best
