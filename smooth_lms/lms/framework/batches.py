"""Set-wise work in batches: the batch size, chunking, names for many rows at once, and the multi-row
INSERT of the bulk paths.

frappe.db.bulk_insert builds its statement with PyPika, which costs more than the database does at
thousands of rows; `insert_rows` sends the same multi-row INSERT with the driver's own escaping, four
times faster (`scripts/benchmark inserts`: 0.32 s against 1.20 s for 20,000 rows, 2-core machine).
"""

from collections.abc import Iterable, Iterator, Sequence

import frappe
from frappe import _
from frappe.model.naming import parse_naming_series

# Rows handled per statement in bulk work: keeps IN (...) lists and INSERT packets small.
BATCH_SIZE = 1000


def chunked(values: Sequence, size: int = BATCH_SIZE) -> Iterator[Sequence]:
	for start in range(0, len(values), size):
		yield values[start : start + size]


def unique_in_order(values: Iterable[str]) -> list[str]:
	"""Trimmed, non-empty values with repeats removed, first occurrence kept."""
	seen: dict[str, None] = {}
	for value in values:
		value = (value or "").strip()
		if value and value not in seen:
			seen[value] = None
	return list(seen)


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


def reserve_names(naming_series: str, count: int) -> list[str]:
	"""Take `count` consecutive names of an old-style naming series (e.g. `TA-.####`) in two statements,
	from the same counter (`tabSeries`) that `autoname` uses for documents saved one by one. The upsert
	takes the counter's row lock, so racing requests get distinct ranges, even for a new series."""
	prefix, digits = series_prefix(naming_series)
	frappe.db.sql(
		"INSERT INTO `tabSeries` (`name`, `current`) VALUES (%(prefix)s, %(count)s) "
		"ON DUPLICATE KEY UPDATE `current` = `current` + %(count)s",
		{"prefix": prefix, "count": count},
	)
	end = int(frappe.db.sql("SELECT `current` FROM `tabSeries` WHERE `name` = %s", prefix)[0][0])
	return [f"{prefix}{number:0{digits}d}" for number in range(end - count + 1, end + 1)]


def series_prefix(naming_series: str) -> tuple[str, int]:
	"""The counter's name (date parts resolved) and the number of digits of an old-style series."""
	prefix, hashes = naming_series.rsplit(".", 1)
	if set(hashes) != {"#"}:
		frappe.throw(_("Naming series {0} must end with a run of #").format(naming_series))
	# parse_naming_series resolves date parts (.YYYY. etc.) exactly as autoname does.
	return parse_naming_series(prefix), len(hashes)
