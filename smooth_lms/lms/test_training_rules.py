"""No-site tests of the pure rules."""

import datetime

import pytest

from smooth_lms.lms.training_rules import (
	completion_rate,
	compliance_state,
	decide_status,
	is_open,
	lesson_progress,
	open_key,
	progress_status,
	valid_until,
	validity_state,
)

TODAY = datetime.date(2026, 11, 22)
TOMORROW = TODAY + datetime.timedelta(days=1)
YESTERDAY = TODAY - datetime.timedelta(days=1)


def test_open_key_is_stable_per_pair_and_fits_the_column():
	key = open_key("a@example.com", "safety")
	assert key == open_key("a@example.com", "safety")
	assert key != open_key("a@example.com", "safety-2")
	assert key != open_key("a@example.comsafety", "")
	assert len(key) == 40


@pytest.mark.parametrize(
	"current, progress, due, expected",
	[
		(None, 0, TOMORROW, "Pending"),
		(None, 30, TOMORROW, "In Progress"),
		("Pending", 30, TOMORROW, "In Progress"),
		("Pending", 100, TOMORROW, "Completed"),
		("Overdue", 100, YESTERDAY, "Completed"),
		("Overdue", 50, YESTERDAY, "Overdue"),
		("Overdue", 50, TODAY, "In Progress"),
		("Overdue", 0, TOMORROW, "Pending"),
		("Pending", 0, YESTERDAY, "Overdue"),
		("Completed", 0, YESTERDAY, "Completed"),
	],
)
def test_decide_status(current, progress, due, expected):
	assert decide_status(current, progress, due, TODAY) == expected


@pytest.mark.parametrize("current", [None, "Pending", "In Progress", "Completed", "Overdue"])
@pytest.mark.parametrize("progress", [0, 0.1, 50, 99.9, 100])
@pytest.mark.parametrize("due", [YESTERDAY, TODAY, TOMORROW, None])
def test_status_rules_hold_for_every_input(current, progress, due):
	"""The rules as a user would state them, checked against the table for every input."""
	status = decide_status(current, progress, due, TODAY)
	if current == "Completed" or progress >= 100:
		assert status == "Completed"
	elif due is not None and due < TODAY:
		assert status == "Overdue"
	else:
		assert status == ("In Progress" if progress > 0 else "Pending")


def test_progress_helpers():
	assert progress_status(0) == "Pending"
	assert progress_status(0.1) == "In Progress"
	assert progress_status(100) == "Completed"
	assert is_open("Pending") and is_open("In Progress")
	assert not is_open("Overdue") and not is_open("Completed") and not is_open(None)
	assert lesson_progress(1, 3) == 33.3
	assert lesson_progress(3, 3) == 100
	assert lesson_progress(4, 3) == 100
	assert lesson_progress(0, 0) == 0


def test_completion_rate():
	assert completion_rate(0, 0) == 0
	assert completion_rate(1, 3) == 33.3
	assert completion_rate(4, 4) == 100


DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
	"until, expected",
	[
		(None, "Compliant"),  # never expires
		(TODAY + 31 * DAY, "Compliant"),
		(TODAY + 30 * DAY, "Expiring Soon"),  # the window's first day
		(TODAY, "Expiring Soon"),  # valid through its last day
		(YESTERDAY, "Expired"),
	],
)
def test_validity_state(until, expected):
	assert validity_state(until, TODAY, 30) == expected


def test_valid_until_counts_the_validity_days_from_the_completion():
	assert valid_until(TODAY, 365) == TODAY + 365 * DAY
	assert valid_until(TODAY, 0) is None  # 0: never expires
	assert valid_until(None, 365) is None


@pytest.mark.parametrize(
	"rows, expected",
	[
		([], "Not Assigned"),
		([("Pending", None, None)], "Pending"),
		([("Overdue", None, None), ("In Progress", None, None)], "In Progress"),  # the most current attempt
		([("Completed", None, 1)], "Compliant"),  # a course without validity
		([("Completed", TODAY + 90 * DAY, 1)], "Compliant"),
		([("Completed", TODAY + 10 * DAY, 1), ("Pending", None, None)], "Expiring Soon"),  # renewal open
		([("Completed", YESTERDAY, 1), ("Pending", None, None)], "Expired"),  # lapsed, renewal under way
		([("Completed", YESTERDAY, 1), ("Overdue", None, None)], "Expired"),
		([("Completed", YESTERDAY, 1)], "Expired"),
		([("Completed", YESTERDAY, 1), ("Completed", TODAY + 300 * DAY, 2)], "Compliant"),  # renewed
		# The latest completion counts, even when an earlier one was given a longer validity.
		([("Completed", TODAY + 500 * DAY, 1), ("Completed", YESTERDAY, 2)], "Expired"),
	],
)
def test_compliance_state(rows, expected):
	assert compliance_state(rows, TODAY, 30) == expected


def test_a_course_that_no_longer_expires_keeps_every_completion_valid():
	assert compliance_state([("Completed", YESTERDAY, 1)], TODAY, 30, expires=False) == "Compliant"
