"""Rows of HR's Employee Compliance ledger, written set-wise: found, inserted and updated per 1,000.

One row per employee and compliance type (where HR keeps several, the latest created is the one the app
updates). A completion sets the row's status, completion_date and next_renewal_date; a row never moves
back to an earlier completion than the one it holds. Frappe's traces follow through
framework.document_trail: Versions of the changed rows now, the document events of new and changed rows
from a job after the commit.
"""

import datetime
from collections import defaultdict
from typing import NamedTuple

import frappe
from frappe.utils import generate_hash, getdate, now_datetime, today

from smooth_lms.lms.doctypes import EMPLOYEE_COMPLIANCE
from smooth_lms.lms.framework.batches import chunked, insert_rows, reserve_names
from smooth_lms.lms.framework.document_trail import Via, record_changes, record_inserts

COMPLETE, EXPIRED = "Complete", "Expired"
ROW_FIELDS = (
	"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx",
	"employee", "compliance_type", "status", "completion_date", "next_renewal_date",
)  # fmt: skip
LEDGER_FIELDS = ("status", "completion_date", "next_renewal_date")


class Completion(NamedTuple):
	"""A completion to hand over: its assignment, the learner's Employee record, the course's type."""

	assignment: str
	employee: str
	compliance_type: str
	completed_on: datetime.date
	valid_until: datetime.date | None


def write_rows(completions: list[Completion], via: Via | None = None) -> dict[str, str]:
	"""Create or update the ledger rows of `completions` (each key's latest completion decides). Returns
	{assignment: the row it was handed to}. A fixed number of statements per 1,000 rows."""
	by_key: dict[tuple, list[Completion]] = defaultdict(list)
	for completion in completions:
		by_key[key(completion.employee, completion.compliance_type)].append(completion)
	if not by_key:
		return {}
	existing = existing_rows({employee for employee, _type in by_key})
	day, new, changes = getdate(today()), {}, {}
	for row_key, group in by_key.items():
		latest = max(group, key=lambda c: (getdate(c.completed_on), c.assignment))
		target = ledger_values(latest, day)
		row = existing.get(row_key)
		if not row:
			new[row_key] = (latest, target)
		elif not row.completion_date or getdate(row.completion_date) <= target[1]:
			changed = {
				field: (row[field], value)
				for field, value in zip(LEDGER_FIELDS, target, strict=True)
				if _differs(row[field], value)
			}
			if changed:
				changes[row.name] = changed
	names = _insert(new)
	_update(changes)
	record_inserts(EMPLOYEE_COMPLIANCE, list(names.values()), via)
	record_changes(EMPLOYEE_COMPLIANCE, changes, via)
	row_of = {row_key: row.name for row_key, row in existing.items()} | names
	return {c.assignment: row_of[row_key] for row_key, group in by_key.items() for c in group}


def ledger_values(completion: Completion, day: datetime.date) -> tuple:
	"""(status, completion_date, next_renewal_date) of a row holding `completion`: Complete, or Expired
	when its validity has already run out."""
	until = getdate(completion.valid_until) if completion.valid_until else None
	status = EXPIRED if until and until < day else COMPLETE
	return status, getdate(completion.completed_on), until


def existing_rows(employees: set[str]) -> dict[tuple, frappe._dict]:
	"""The ledger rows of these employees by (employee, type), read under lock (a racing handoff of the
	same employee waits, then sees this one's rows); of several for one key, the latest created."""
	found: dict[tuple, frappe._dict] = {}
	for batch in chunked(sorted(employees)):
		rows = frappe.db.sql(
			f"""select name, employee, compliance_type, {", ".join(LEDGER_FIELDS)}
			from `tab{EMPLOYEE_COMPLIANCE}` where employee in %(employees)s
			order by creation, name for update""",
			{"employees": tuple(batch)},
			as_dict=True,
		)
		for row in rows:  # ascending: the latest created of a key is kept
			found[key(row.employee, row.compliance_type)] = row
	return found


def key(employee: str, compliance_type: str) -> tuple[str, str]:
	"""How rows are matched: the database compares types without case or surrounding spaces."""
	return employee, (compliance_type or "").strip().casefold()


def update_by_name(doctype: str, column: str, values: dict[str, object]) -> None:
	"""Set `column` of each row to its own value: one UPDATE per 1,000 rows."""
	names = list(values)
	for batch in chunked(names):
		cases = " ".join(["when %s then %s"] * len(batch))
		params = [part for name in batch for part in (name, values[name])]
		frappe.db.sql(
			f"update `tab{doctype}` set `{column}` = case `name` {cases} end where `name` in %s",
			(*params, tuple(batch)),
		)


def new_row_names(count: int) -> list[str]:
	"""Names for `count` new rows, as the DocType names them: its old-style series (the stand-in's
	HR-COMP-.#####, or the default of a naming_series field), else random like Frappe's "hash"."""
	meta = frappe.get_meta(EMPLOYEE_COMPLIANCE)
	autoname = meta.autoname or ""
	if autoname.startswith("naming_series:") and meta.get_field("naming_series"):
		field = meta.get_field("naming_series")
		autoname = field.default or (field.options or "").split("\n")[0]
	if ":" not in autoname and set(autoname.rpartition(".")[2]) == {"#"} and "." in autoname:
		return reserve_names(autoname, count)
	return [generate_hash(length=10) for _i in range(count)]


def _insert(new: dict[tuple, tuple]) -> dict[tuple, str]:
	if not new:
		return {}
	keys = list(new)
	names = dict(zip(keys, new_row_names(len(keys)), strict=True))
	now, user = now_datetime(), frappe.session.user
	rows = [
		(names[row_key], now, now, user, user, 0, 0, completion.employee, completion.compliance_type, *target)
		for row_key, (completion, target) in new.items()
	]
	insert_rows(EMPLOYEE_COMPLIANCE, ROW_FIELDS, rows)
	return names


def _update(changes: dict[str, dict]) -> None:
	"""The changed rows take their new values: one UPDATE per 1,000 rows, whatever the values (each field a
	CASE over the rows where it changed; the others keep theirs)."""
	now, user = now_datetime(), frappe.session.user
	for batch in chunked(list(changes)):
		sets, params = [], []
		for field in LEDGER_FIELDS:
			changed = [name for name in batch if field in changes[name]]
			if changed:
				sets.append(
					f"`{field}` = case `name` {' '.join(['when %s then %s'] * len(changed))} else `{field}` end"
				)
				params += [part for name in changed for part in (name, changes[name][field][1])]
		frappe.db.sql(
			f"""update `tab{EMPLOYEE_COMPLIANCE}` set {", ".join(sets)}, `modified` = %s, `modified_by` = %s
			where `name` in %s""",
			(*params, now, user, tuple(batch)),
		)


def _differs(stored, value) -> bool:
	if stored is None or value is None:
		return stored != value
	return getdate(stored) != value if isinstance(value, datetime.date) else stored != value
