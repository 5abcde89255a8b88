"""Multi-row INSERT for set-wise writes.

frappe.db.bulk_insert builds its statement with PyPika, which costs more than the database does at
thousands of rows; this sends the same multi-row INSERT with the driver's own escaping.
"""

from collections.abc import Sequence

import frappe

from smooth_lms.lms.training_rules import chunked


def insert_rows(
	doctype: str, fields: Sequence[str], rows: Sequence[Sequence], ignore_duplicates: bool = False
) -> int:
	"""INSERT (IGNORE) rows into `tab{doctype}`, up to 1,000 rows a statement. Returns how many rows the
	database wrote (with IGNORE, those a unique index dropped are not counted)."""
	columns = ", ".join(f"`{field}`" for field in fields)
	row_placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
	verb = "INSERT IGNORE" if ignore_duplicates else "INSERT"
	written = 0
	for batch in chunked(rows):
		values = [value for row in batch for value in row]
		frappe.db.sql(
			f"{verb} INTO `tab{doctype}` ({columns}) VALUES {', '.join([row_placeholder] * len(batch))}",
			values,
		)
		written += frappe.db._cursor.rowcount
	return written
