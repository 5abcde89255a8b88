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
	"""Status an open (or new) assignment takes from the learner's progress."""
	if progress >= 100:
		return COMPLETED
	if progress > 0:
		return IN_PROGRESS
	return PENDING


def next_status(current: str | None, progress: float, due_date: datetime.date, today: datetime.date) -> str:
	"""Status after a change of progress or due date.

	- Completed stays Completed (a finished attempt is never reopened by the data that follows it).
	- 100 % completes any other row, Overdue included.
	- An Overdue row whose due date is today or later is open again.
	- An open row past its due date is Overdue; otherwise progress decides Pending / In Progress.
	"""
	if current == COMPLETED:
		return COMPLETED
	if progress >= 100:
		return COMPLETED
	if due_date < today:
		return OVERDUE
	return progress_status(progress)


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
