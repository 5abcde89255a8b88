"""Pure rules of mandatory training: no database, no `frappe` import, so they are testable anywhere."""

import datetime
import hashlib
from collections.abc import Iterable

PENDING = "Pending"
IN_PROGRESS = "In Progress"
COMPLETED = "Completed"
OVERDUE = "Overdue"
STATUSES = (PENDING, IN_PROGRESS, COMPLETED, OVERDUE)
# "Open" is the spec's word for an assignment still waiting on the learner.
OPEN_STATUSES = (PENDING, IN_PROGRESS)


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
# smooth_lms.lms.assignments.status applies them to one document and to thousands of rows at once: both read this
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


# --- Compliance state ----------------------------------------------------------------------------
# Where a person stands on a course they owe. The four assignment statuses stay the four statuses; this
# is read from them and from the completions' valid_until.

COMPLIANT, EXPIRING_SOON, EXPIRED, NOT_ASSIGNED = "Compliant", "Expiring Soon", "Expired", "Not Assigned"
COMPLIANCE_STATES = (COMPLIANT, EXPIRING_SOON, EXPIRED, PENDING, IN_PROGRESS, OVERDUE, NOT_ASSIGNED)
# Of several open rows of one person and course (an old Overdue one beside a new attempt), the one that
# says most about today.
OPEN_PRIORITY = {IN_PROGRESS: 3, PENDING: 2, OVERDUE: 1}


def validity_state(until: datetime.date | None, today: datetime.date, window_days: int) -> str:
	"""Of a completion: Compliant (never expires, or valid beyond the renewal window), Expiring Soon
	(still valid, inside the window), Expired (after its valid-until day)."""
	if until is None:
		return COMPLIANT
	if until < today:
		return EXPIRED
	if until <= today + datetime.timedelta(days=max(int(window_days or 0), 0)):
		return EXPIRING_SOON
	return COMPLIANT


def compliance_state(
	rows: Iterable[tuple[str, datetime.date | None, object]],
	today: datetime.date,
	window_days: int,
	expires: bool = True,
) -> str:
	"""Where a person stands on a course they owe, from their assignments of it as (status, valid_until,
	order), `order` ranking completions (their date, then name): the latest completion is the one that
	counts, the others were renewed by it (validity.later_completion says the same in SQL).

	1. the completion that counts, still valid: Compliant, or Expiring Soon inside the renewal window;
	2. that completion expired: Expired (a lapsed certificate is the fact that counts, even while its
	   renewal is under way);
	3. no completion, an open or overdue assignment (a first attempt): its status, the most current;
	4. else Not Assigned.
	A course that no longer expires (`expires` False) keeps every completion valid."""
	rows = list(rows)
	completions = [(order, until) for status, until, order in rows if status == COMPLETED]
	if completions:
		_order, until = max(completions, key=lambda completion: completion[0])
		return validity_state(until if expires else None, today, window_days)
	open_rows = [status for status, _until, _order in rows if status in OPEN_PRIORITY]
	if open_rows:
		return max(open_rows, key=OPEN_PRIORITY.__getitem__)
	return NOT_ASSIGNED


def valid_until(completed_on: datetime.date | None, validity_days: int | None) -> datetime.date | None:
	"""Until when a completion counts: its date plus the course's validity days at completion; None
	(never expires) when the course has no validity."""
	if not completed_on or not validity_days or validity_days <= 0:
		return None
	return completed_on + datetime.timedelta(days=int(validity_days))


def lesson_progress(completed: int, total: int) -> float:
	"""Percent of lessons completed, rounded to one decimal; a course without lessons is at 0."""
	if total <= 0:
		return 0.0
	return round(min(completed, total) * 100.0 / total, 1)


def completion_rate(completed: int, total: int) -> float:
	"""Completed share of all assignments, in percent with one decimal (0 when there are none)."""
	return round(completed * 100.0 / total, 1) if total else 0.0
