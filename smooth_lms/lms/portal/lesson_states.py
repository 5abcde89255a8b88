"""What each lesson of a course is for the session's learner — done, to do, quiz passed, quiz failed,
acknowledged — as the course page lists them and a lesson page shows its own.

A quiz lesson is "quiz passed" with a passing submission for the learner's current assignment
(quiz.attempts: attempts belong to the assignment), "quiz failed" with only failed ones; an
acknowledgement lesson is "acknowledged" once signed for the current assignment. A lesson finished some
other way (a quiz or statement added after it was finished) is "done", as a plain lesson is.
"""

import frappe
from frappe import _

from smooth_lms.lms.learning.courses import completed_lessons
from smooth_lms.lms.learning.finishing import ACKNOWLEDGEMENT, QUIZ_PASS, how_finished
from smooth_lms.lms.learning.progress import current_assignment
from smooth_lms.lms.quiz import acknowledgements, attempts

DONE, TO_DO, QUIZ_PASSED, QUIZ_FAILED, ACKNOWLEDGED = (
	"Done",
	"To do",
	"Quiz passed",
	"Quiz failed",
	"Acknowledged",
)
FINISHED = {DONE, QUIZ_PASSED, ACKNOWLEDGED}


def learner_record(user: str, course: str) -> frappe._dict:
	"""What the learner did in the course for their current assignment, in four queries: the assignment,
	the finished lessons, the quiz submissions by quiz, the acknowledgements by lesson."""
	assignment = current_assignment(user, course)
	return frappe._dict(
		assignment=assignment,
		done=completed_lessons(user, course),
		submissions=attempts.submissions(user, course, assignment),
		acknowledged=acknowledgements.signed(user, course, assignment),
	)


def lesson_state(lesson, record: frappe._dict) -> frappe._dict:
	"""The lesson's state for the learner whose `record` it is: its value (one of the five above), the
	label shown, the slug of its CSS class, and whether it counts as finished."""
	way = how_finished(lesson)
	state = DONE if lesson.name in record.done else TO_DO
	if way == QUIZ_PASS:
		tried = record.submissions.get(lesson.quiz) or []
		if any(row.passed for row in tried):
			state = QUIZ_PASSED
		elif tried and state != DONE:
			state = QUIZ_FAILED
	elif way == ACKNOWLEDGEMENT and lesson.name in record.acknowledged:
		state = ACKNOWLEDGED
	return frappe._dict(
		value=state,
		label=_(state),
		slug=state.lower().replace(" ", "-"),
		finished=state in FINISHED,
	)
