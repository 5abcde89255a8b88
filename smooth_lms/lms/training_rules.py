"""Pure rules of mandatory training: no database, no `frappe` import, so they are testable anywhere."""

import datetime
import hashlib
from collections.abc import Iterable, Iterator, Sequence

PENDING = "Pending"
IN_PROGRESS = "In Progress"
COMPLETED = "Completed"
OVERDUE = "Overdue"
STATUSES = (PENDING, IN_PROGRESS, COMPLETED, OVERDUE)
# "Open" is the spec's word for an assignment still waiting on the learner.
OPEN_STATUSES = (PENDING, IN_PROGRESS)

# Rows handled per statement in bulk work: keeps IN (...) lists and INSERT packets small.
BATCH_SIZE = 1000


def open_key(employee: str, course: str) -> str:
	"""The value of `open_key` while an assignment is open.

	A unique index on it lets the database refuse a second open assignment for the same employee and
	course; closed rows store NULL, which a unique index never compares.
	"""
	return hashlib.sha1(f"{employee}\x1f{course}".encode()).hexdigest()


def is_open(status: str | None) -> bool:
	return status in OPEN_STATUSES


def progress_status(progress: float) -> str:
	"""Status an open row takes from the learner's progress alone (no due date involved)."""
	return decide_status(None, progress, None, None)


# --- The status rules ----------------------------------------------------------------------------
# The one set of rules that decides an assignment's status, for every transition: progress, completion,
# a due-date change, the daily overdue job, a new attempt. Read in order; the first that holds decides.
# smooth_lms.lms.status applies them to one document and to thousands of rows at once: both read this
# table, and a test runs every (stored status, progress, due date) through both paths.

ALREADY_COMPLETED = "the stored status is Completed"
FINISHED = "progress is 100"
PAST_DUE = "the due date is before today"
STARTED = "progress is above 0"
OTHERWISE = "otherwise"

STATUS_RULES: tuple[tuple[str, str], ...] = (
	(ALREADY_COMPLETED, COMPLETED),  # a finished attempt is never reopened by the data that follows it
	(FINISHED, COMPLETED),  # 100 % completes any other row, Overdue included
	(PAST_DUE, OVERDUE),  # not finished and past its due date: late, whatever the progress
	(STARTED, IN_PROGRESS),
	(OTHERWISE, PENDING),
)


def decide_status(
	current: str | None,
	progress: float,
	due_date: datetime.date | None,
	today: datetime.date | None,
) -> str:
	"""The status of an assignment with this stored status, progress and due date, on `today`.

	A new row has no stored status. Without a due date (or a day) nothing is late.
	"""
	facts = {
		ALREADY_COMPLETED: current == COMPLETED,
		FINISHED: progress >= 100,
		PAST_DUE: due_date is not None and today is not None and due_date < today,
		STARTED: progress > 0,
		OTHERWISE: True,
	}
	return next(status for condition, status in STATUS_RULES if facts[condition])


def lesson_progress(completed: int, total: int) -> float:
	"""Percent of lessons completed, rounded to one decimal; a course without lessons is at 0."""
	if total <= 0:
		return 0.0
	return round(min(completed, total) * 100.0 / total, 1)


def completion_rate(completed: int, total: int) -> float:
	"""Completed share of all assignments, in percent with one decimal (0 when there are none)."""
	return round(completed * 100.0 / total, 1) if total else 0.0


def unique_in_order(values: Iterable[str]) -> list[str]:
	"""Trimmed, non-empty values with repeats removed, first occurrence kept."""
	seen: dict[str, None] = {}
	for value in values:
		value = (value or "").strip()
		if value and value not in seen:
			seen[value] = None
	return list(seen)


def chunked(values: Sequence, size: int = BATCH_SIZE) -> Iterator[Sequence]:
	for start in range(0, len(values), size):
		yield values[start : start + size]
