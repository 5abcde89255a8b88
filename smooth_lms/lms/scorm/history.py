"""How a SCORM attempt reads for HR and the auditor (Training History, the proof pack): its lesson, its
status in words, its score and the time spent — and the attempts of many completions in one query.

The status is one word for both SCORM versions, read from the attempt's completion and success status
(1.2's lesson_status is kept as both, scorm.cmi): "failed" when the package reported failed, "passed" or
"completed" when it completed (passed when it also passed), "incomplete" while the learner is on it,
"not attempted" before the package said anything. Exactly "passed" and "completed" finished the lesson
(scorm.cmi.finishes). The time is h:mm:ss (`0:12:05`, `1:02:03`) — the sum of the learner's sessions.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType

from smooth_lms.lms.doctypes import ASSIGNMENT, SCORM_ATTEMPT
from smooth_lms.lms.quiz.prints import print_number

PASSED, COMPLETED, FAILED, INCOMPLETE, NOT_ATTEMPTED = (
	"passed", "completed", "failed", "incomplete", "not attempted",
)  # fmt: skip
FIELDS = (
	"name", "assignment", "lesson", "lesson_title", "scorm_version", "completion_status", "success_status",
	"score_raw", "score_max", "total_time", "finished",
)  # fmt: skip


def attempts_by_assignment(criterion) -> dict[str, list[frappe._dict]]:
	"""The SCORM attempts made for the completions `criterion` picks (a criterion on LMS Training
	Assignment's table), by assignment, each as it reads (`status`, `score`, `time_spent`, `label`), in
	the order they were started. One query whatever the number of completions."""
	attempt, assignment = DocType(SCORM_ATTEMPT), DocType(ASSIGNMENT)
	rows = (
		frappe.qb.from_(attempt)
		.join(assignment)
		.on(assignment.name == attempt.assignment)
		.select(*(attempt[field] for field in FIELDS))
		.where(criterion)
		.orderby(attempt.assignment)
		.orderby(attempt.creation)
		.orderby(attempt.name)
		.run(as_dict=True)
	)
	grouped: dict[str, list[frappe._dict]] = {}
	for row in rows:
		grouped.setdefault(row.assignment, []).append(described(row))
	return grouped


def described(row: frappe._dict) -> frappe._dict:
	"""The attempt with how it reads: 'Safety at work: passed, score 85/100, time 0:12:05'."""
	row["lesson_title"] = row.lesson_title or row.lesson
	row["status"] = status(row.completion_status, row.success_status)
	row["score"] = score(row.score_raw, row.score_max)
	row["time_spent"] = time_spent(row.total_time)
	parts = [in_words(row.status)]
	if row.score:
		parts.append(_("score {0}").format(row.score))
	parts.append(_("time {0}").format(row.time_spent))
	row["label"] = _("{0}: {1}").format(row.lesson_title, ", ".join(parts))
	return row


def attempts_text(attempts: list[dict]) -> str | None:
	"""The attempts' labels, apart by '; ' (None when there are none)."""
	return "; ".join(row["label"] for row in attempts) or None


def status(completion_status: str | None, success_status: str | None) -> str:
	"""One word for an attempt's state, either version (see the module's docstring)."""
	if success_status == FAILED:
		return FAILED
	if completion_status == COMPLETED:
		return PASSED if success_status == PASSED else COMPLETED
	if completion_status == INCOMPLETE:
		return INCOMPLETE
	return NOT_ATTEMPTED


def in_words(word: str) -> str:
	"""A status word, translated."""
	return {
		PASSED: _("passed"),
		COMPLETED: _("completed"),
		FAILED: _("failed"),
		INCOMPLETE: _("incomplete"),
		NOT_ATTEMPTED: _("not attempted"),
	}[word]


def score(raw: float | None, maximum: float | None) -> str:
	"""'85/100'; '85' when the package set no maximum; '' when it reported no score."""
	if maximum:
		return f"{print_number(raw or 0)}/{print_number(maximum)}"
	return print_number(raw) if raw else ""


def time_spent(seconds: int | float | None) -> str:
	"""h:mm:ss — '0:12:05', '26:00:00'."""
	seconds = max(int(round(seconds or 0)), 0)
	return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
