"""No-site tests of the pure rules."""

import datetime

import pytest

from smooth_lms.lms.training_rules import (
	chunked,
	completion_rate,
	decide_status,
	is_open,
	lesson_progress,
	open_key,
	progress_status,
	unique_in_order,
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


def test_unique_in_order_and_chunked():
	assert unique_in_order([" b@x.com", "a@x.com", "b@x.com", "", "a@x.com "]) == ["b@x.com", "a@x.com"]
	assert [list(c) for c in chunked(list(range(5)), 2)] == [[0, 1], [2, 3], [4]]
