"""The traces Frappe's document layer leaves, for rows changed set-wise.

A set-wise INSERT or UPDATE skips `Document`: no Version in the timeline, no Notification, no other
app's `doc_events`, no webhook or server script, no realtime list update. This module puts them back:

- the Version rows (the timeline's "changed Status from Pending to Overdue via ...") at once, in the
  same transaction: one INSERT per 1,000 rows that changed alike (the text sent once), and one
  multi-row INSERT per 1,000 rows whose changes differ (dates, each row its own) — a fixed number of
  statements per batch either way;
- the rest from a background job enqueued after the commit, in chunks: for each row it runs what
  `Document.insert` / `Document.db_set` run after writing, through Frappe's own `Document.run_method` —
  the `doc_events` of every app for after_insert / on_update / on_change, the Notifications ("New",
  "Save", "Value Change"), webhooks and server scripts for those events — and the realtime update. The
  controller's own method is not run again: the set-wise path has already done its work.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

import frappe
from frappe.utils import escape_html, now_datetime
from frappe.utils.formatters import format_value

from smooth_lms.lms.framework.batches import chunked, insert_rows

# Rows replayed by one background job: a job stays short, a failure retries few rows.
REPLAY_CHUNK = 500
# Rows that changed alike share one Version text sent once when at least this many; fewer go with the
# rows whose changes differ, each its own text, a multi-row INSERT per 1,000.
SHARED_TEXT_MIN = 50
VERSION_FIELDS = (
	"name", "creation", "modified", "modified_by", "owner", "docstatus", "idx", "ref_doctype", "docname", "data",
)  # fmt: skip


@dataclass(frozen=True)
class Via:
	"""What made a change, shown in the timeline after the change ("... via Daily overdue check").
	With a doctype and docname, the timeline links to that document (a job, an onboarding)."""

	label: str
	doctype: str | None = None
	docname: str | None = None

	def reference(self) -> dict:
		# The timeline prints the label as HTML: it may hold a course, group or onboarding name.
		reference = {"label": escape_html(self.label)}
		if self.doctype and self.docname:
			reference.update(doctype=self.doctype, docname=self.docname)
		return reference


# A change of one row: {fieldname: (old value, new value)}.
Changes = dict[str, tuple]


def record_changes(doctype: str, changes: dict[str, Changes], via: Via | None = None) -> None:
	"""After a set-wise UPDATE of `changes` ({name: {field: (old, new)}}): Versions now, the document
	events from a job after the commit."""
	changes = {name: fields for name, fields in changes.items() if fields}
	if not changes:
		return
	meta = frappe.get_meta(doctype)
	by_kind: dict[tuple, list[str]] = defaultdict(list)  # rows that changed alike share one Version text
	for name, fields in changes.items():
		by_kind[tuple(fields.items())].append(name)
	each_its_own = {}
	for kind, names in by_kind.items():
		changed = [[f, _shown(meta, f, old), _shown(meta, f, new)] for f, (old, new) in kind]
		if len(names) >= SHARED_TEXT_MIN:
			_insert_versions(doctype, names, {"changed": changed}, via)
		else:
			each_its_own.update({name: {"changed": changed} for name in names})
	_insert_version_rows(doctype, each_its_own, via)
	payload = {
		name: {field: _jsonable(old) for field, (old, _new) in fields.items()}
		for name, fields in changes.items()
	}
	_enqueue_replay(doctype, updated=payload, via=via)


def record_inserts(doctype: str, names: list[str], via: Via | None = None) -> None:
	"""After a set-wise INSERT of `names`: the insert events, from a job after the commit. (No Version: a
	document inserted one at a time gets none either; its creation is in the timeline already.)"""
	if names:
		_enqueue_replay(doctype, inserted=list(names), via=via)


def replay_document_events(
	doctype: str,
	inserted: list[str] | None = None,
	updated: dict[str, dict] | None = None,
	via: dict | None = None,
) -> None:
	"""Background job: run, for rows written set-wise, the events `Document` would have run.

	`inserted`: names inserted (after_insert, on_update, on_change). `updated`: {name: {field: old value}}
	(on_change, with the old values as the document before save, so a "Value Change" Notification sees
	the change)."""
	for name in inserted or []:
		doc = _load(doctype, name)
		if doc:
			doc.flags.in_insert = True  # as in Document.insert: no "Value Change" on creation
			doc.flags.updater_reference = via
			for event in ("after_insert", "on_update", "on_change"):
				_run_event(doc, event)
			doc.notify_update()
	for name, old_values in (updated or {}).items():
		doc = _load(doctype, name)
		if doc:
			before = frappe.get_doc(doc.as_dict())
			before.update(old_values)
			doc._doc_before_save = before
			doc.flags.updater_reference = via
			_run_event(doc, "on_change")  # what Document.db_set runs after its UPDATE
			doc.notify_update()


def _run_event(doc, event: str) -> None:
	"""Frappe's own `Document.run_method(event)` — every app's doc_events, Notifications, webhooks, server
	scripts — with the controller's own method for this event left out: the set-wise path has done its
	work. An attribute of the instance shadows the controller's method for this one call."""
	doc.__dict__[event] = _done_set_wise
	try:
		doc.run_method(event)
	finally:
		del doc.__dict__[event]


def _done_set_wise(*args, **kwargs) -> None:
	"""The controller's method, for a row written set-wise: already done."""


def _load(doctype: str, name: str):
	try:
		return frappe.get_doc(doctype, name)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return None  # deleted since: nothing to tell anyone about


def _insert_versions(doctype: str, names: list[str], data: dict, via: Via | None) -> None:
	"""One Version with the same `data` for each of `names`: one INSERT ... SELECT per 1,000 rows, the
	text sent once. Names are random like Frappe's own (longer: no second look for clashes)."""
	data = {"changed": [], "added": [], "removed": [], "row_changed": [], **data}
	if via:
		data["updater_reference"] = via.reference()
	values = {
		"salt": frappe.generate_hash(length=20),
		"now": now_datetime(),
		"user": frappe.session.user,
		"doctype": doctype,
		"data": frappe.as_json(data, indent=None, separators=(",", ":")),
	}
	for batch in chunked(names):
		frappe.db.sql(
			f"""insert into `tabVersion`
				(`name`, `creation`, `modified`, `modified_by`, `owner`, `docstatus`, `idx`, `ref_doctype`, `docname`, `data`)
			select left(sha2(concat(%(salt)s, `name`), 224), 20), %(now)s, %(now)s, %(user)s, %(user)s, 0, 0,
				%(doctype)s, `name`, %(data)s
			from `tab{doctype}` where `name` in %(names)s""",
			{**values, "names": tuple(batch)},
		)


def _insert_version_rows(doctype: str, data_of: dict[str, dict], via: Via | None) -> None:
	"""A Version per row, each with its own `data`: one multi-row INSERT per 1,000 rows."""
	if not data_of:
		return
	now, user = now_datetime(), frappe.session.user
	blank = {"changed": [], "added": [], "removed": [], "row_changed": []}
	if via:
		blank["updater_reference"] = via.reference()
	rows = [
		(
			frappe.generate_hash(length=20), now, now, user, user, 0, 0, doctype, name,
			frappe.as_json({**blank, **data}, indent=None, separators=(",", ":")),
		)
		for name, data in data_of.items()
	]  # fmt: skip
	insert_rows("Version", VERSION_FIELDS, rows)


def _enqueue_replay(
	doctype: str, inserted: list[str] | None = None, updated: dict | None = None, via: Via | None = None
) -> None:
	reference = via.reference() if via else None
	for batch in chunked(inserted or [], REPLAY_CHUNK):
		_enqueue(doctype, inserted=list(batch), via=reference)
	names = list(updated or {})
	for batch in chunked(names, REPLAY_CHUNK):
		_enqueue(doctype, updated={name: updated[name] for name in batch}, via=reference)


def _enqueue(doctype: str, **kwargs) -> None:
	frappe.enqueue(
		"smooth_lms.lms.framework.document_trail.replay_document_events",
		queue="long",
		enqueue_after_commit=True,  # nothing is announced about rows a rollback takes back
		doctype=doctype,
		**kwargs,
	)


def _shown(meta, fieldname: str, value):
	"""A value as Version.get_diff records it: formatted for display unless empty."""
	if not value:
		return value
	return format_value(value, meta.get_field(fieldname))


def _jsonable(value):
	return str(value) if isinstance(value, datetime.date) else value
