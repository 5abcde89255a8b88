"""LMS SCORM Attempt: one per learner, lesson and assignment (the database holds it: `attempt_key` is
unique, so two commits racing cannot make two), and what each commit writes to it.

The first commit inserts the attempt as a document; every later one writes it with one UPDATE. That is
the one write that passes the DocType's "nobody edits it" rule (framework.proof holds it for documents):
a package commits every 30 seconds while it plays, and a document save would re-read the row, check its
links and run its hooks each time — commit must stay within 30 ms and a fixed number of queries
(scripts/benchmark scorm). What the attempt says is still only what the server computed from the
package's report, for the learner the commit checked.

Time spent is kept per session of the player (`sessions`: {session id: seconds}), each the package's own
session_time when it set one, else the seconds the runtime counted; `total_time` is their sum. Once an
attempt has finished its lesson, a later report that would not finish it (a learner reviewing the
package) updates where they stopped and the time, not the status and score that finished the lesson.
"""

import json

import frappe
from frappe.query_builder import DocType
from frappe.utils import cstr, flt, now_datetime

from smooth_lms.lms.doctypes import SCORM_ATTEMPT
from smooth_lms.lms.framework.keys import unique_key
from smooth_lms.lms.scorm.cmi import MAX_SESSION_SECONDS, Report

FIELDS = (
	"name", "member", "course", "lesson", "assignment", "scorm_version", "lesson_status",
	"completion_status", "success_status", "score_raw", "score_max", "total_time", "suspend_data",
	"location", "finished", "finished_on", "sessions",
)  # fmt: skip
MAX_SESSIONS = 200
EARLIER = "earlier"


def attempt_key(member: str, lesson: str, assignment: str | None) -> str:
	return unique_key(member, lesson, assignment)


def current(
	member: str, lesson: str, assignment: str | None, for_update: bool = False
) -> frappe._dict | None:
	"""The learner's attempt at the lesson for the assignment, if any (one query)."""
	attempt = DocType(SCORM_ATTEMPT)
	query = (
		frappe.qb.from_(attempt)
		.select(*(attempt[field] for field in FIELDS))
		.where(attempt.attempt_key == attempt_key(member, lesson, assignment))
	)
	if for_update:
		query = query.for_update()
	rows = query.run(as_dict=True)
	return rows[0] if rows else None


def start(enrollment, lesson, assignment: str | None) -> frappe._dict:
	"""A fresh attempt (the first commit of this learner, lesson and assignment)."""
	doc = frappe.get_doc(
		{
			"doctype": SCORM_ATTEMPT,
			"member": enrollment.member,
			"member_name": enrollment.member_name,
			"course": enrollment.course,
			"lesson": lesson.name,
			"lesson_title": lesson.title,
			"assignment": assignment,
			"scorm_version": lesson.scorm_version,
			"package": lesson.scorm_package_id,
			"lesson_status": "not attempted" if lesson.scorm_version == "1.2" else "unknown",
			"completion_status": "not attempted" if lesson.scorm_version == "1.2" else "unknown",
			"success_status": "unknown",
			"sessions": "{}",
			"attempt_key": attempt_key(enrollment.member, lesson.name, assignment),
		}
	)
	# The server's record for the learner commit checked; learners create no attempts themselves.
	doc.insert(ignore_permissions=True)
	return frappe._dict({field: doc.get(field) for field in FIELDS})


def record(
	attempt: frappe._dict,
	lesson,
	report: Report,
	cmi: dict,
	session: str,
	elapsed: float,
	finishes: bool,
) -> frappe._dict:
	"""Write one commit's report to the (locked) attempt, in one UPDATE; returns the attempt as written."""
	sessions = _sessions(attempt.sessions)
	seconds = report.session_seconds if report.session_seconds is not None else elapsed
	sessions[session] = max(flt(sessions.get(session)), min(flt(seconds), MAX_SESSION_SECONDS))
	sessions = _folded(sessions)
	now = now_datetime()
	values = {
		"scorm_version": lesson.scorm_version,
		"package": lesson.scorm_package_id,
		"suspend_data": report.suspend_data,
		"location": report.location,
		"sessions": json.dumps(sessions, separators=(",", ":")),
		"total_time": round(sum(sessions.values())),
		"cmi_data": json.dumps(cmi, separators=(",", ":")),
		"last_commit": now,
		"modified": now,
		"modified_by": frappe.session.user,
	}
	if finishes or not attempt.finished:  # a finished attempt keeps the result that finished it
		values.update(
			lesson_status=report.lesson_status,
			completion_status=report.completion_status,
			success_status=report.success_status,
			score_raw=report.score_raw or 0,
			score_max=report.score_max or 0,
		)
	if finishes and not attempt.finished:
		values.update(finished=1, finished_on=now)
	table = DocType(SCORM_ATTEMPT)
	query = frappe.qb.update(table).where(table.name == attempt.name)
	for field, value in values.items():
		query = query.set(table[field], value)
	query.run()
	return frappe._dict({**attempt, **values})


def _sessions(text) -> dict[str, float]:
	try:
		sessions = json.loads(cstr(text) or "{}")
	except ValueError:
		return {}
	return {str(k): flt(v) for k, v in sessions.items()} if isinstance(sessions, dict) else {}


def _folded(sessions: dict[str, float]) -> dict[str, float]:
	"""At most MAX_SESSIONS sessions: the oldest are added up under `earlier`."""
	if len(sessions) <= MAX_SESSIONS:
		return sessions
	names = [name for name in sessions if name != EARLIER]
	old, kept = names[: len(sessions) - MAX_SESSIONS + 1], names[len(sessions) - MAX_SESSIONS + 1 :]
	folded = {EARLIER: sessions.get(EARLIER, 0) + sum(sessions[name] for name in old)}
	folded.update({name: sessions[name] for name in kept})
	return folded
