"""The demo's learners at work, through the methods the portal calls, each as the learner (frappe.set_user):
lessons marked complete, quizzes started and submitted, statements signed, and HR granting attempts.

QUIZ_STORIES play out at Harassment Prevention's quiz (5 questions drawn of 10, 80 % to pass, 3 attempts)
in Operations, whose lead (Ava Patel) sees them on /lms/my-team: passed at once, passed at the second
attempt, failed with attempts left, attempts exhausted, and exhausted then granted one more by HR.
"""

from contextlib import contextmanager

import frappe

from smooth_lms.lms.doctypes import QUIZ_ATTEMPT
from smooth_lms.lms.learning.courses import completed_lessons, course_lessons
from smooth_lms.lms.learning.enrollments import enrollment_for
from smooth_lms.lms.learning.finishing import ACKNOWLEDGEMENT, QUIZ_PASS, how_finished
from smooth_lms.lms.learning.progress import current_assignment, mark_lesson_complete
from smooth_lms.lms.quiz import acknowledge, grant_attempts, start_quiz, submit_quiz
from smooth_lms.lms.quiz.acknowledgements import full_name

GRANT = "grant"
GRANT_REASON = (
	"Ethan was on sick leave while the course was due and sat the quiz on his first day back; "
	"one more attempt agreed with his manager, Ava Patel."
)
# Learner (by full name): what they did, in order — the number of questions answered right out of the 5
# drawn (4 or 5 pass), or GRANT: HR grants one more attempt with GRANT_REASON.
QUIZ_STORIES = {
	"Liam Chen": [5],  # passed at the first attempt
	"Zoe Martin": [2, 4],  # failed once, passed at the second
	"Noah Kim": [3],  # failed once: 2 attempts left
	"Mia Rossi": [1, 3, 2],  # failed three times: attempts exhausted, HR sees it on the assignment
	"Ethan Brown": [2, 3, 3, GRANT, 5],  # exhausted, granted one more attempt by HR, passed
}


def finish_lessons(user: str, course: str, how_many: int) -> None:
	"""The learner finishes the first `how_many` lessons of the course they have not finished, each its
	own way: Mark as Complete, passing the quiz (every answer right) or signing the statement."""
	if not enrollment_for(user, course):
		return
	done = completed_lessons(user, course)
	for lesson in course_lessons(course)[:how_many]:
		if lesson.name in done:
			continue
		way = how_finished(lesson)
		with as_user(user):
			if way == QUIZ_PASS:
				take_quiz(user, lesson.quiz, right=None)
			elif way == ACKNOWLEDGEMENT:
				acknowledge(course=course, lesson=lesson.name, typed_name=full_name(user))
			else:
				mark_lesson_complete(course=course, lesson=lesson.name)


def take_quiz(user: str, quiz: str, right: int | None) -> dict:
	"""One attempt by the learner: start it, answer the first `right` questions drawn right (all when None)
	and the others wrong, submit. Returns submit_quiz's answer."""
	with as_user(user):
		attempt = start_quiz(quiz=quiz)["attempt"]
		drawn = frappe.parse_json(frappe.db.get_value(QUIZ_ATTEMPT, attempt, "questions"))
		answers = {}
		for index, question in enumerate(drawn):
			correct = right is None or index < right
			answers[question["question"]] = [
				option["option"] for option in question["options"] if bool(option["is_correct"]) == correct
			][: None if correct else 1]
		return submit_quiz(attempt=attempt, answers=answers)


def quiz_stories(users: dict[str, str], course: str, quiz: str, hr_user: str) -> None:
	"""Play QUIZ_STORIES (`users`: full name -> user) at `quiz`, the last lesson of `course`: each learner
	first finishes the lessons before it."""
	lessons = len(course_lessons(course))
	for name, steps in QUIZ_STORIES.items():
		user = users[name]
		finish_lessons(user, course, lessons - 1)
		for step in steps:
			if step == GRANT:
				assignment = current_assignment(user, course)
				with as_user(hr_user):
					grant_attempts(assignment=assignment, quiz=quiz, extra_attempts=1, reason=GRANT_REASON)
			else:
				take_quiz(user, quiz, right=step)


@contextmanager
def as_user(user: str):
	"""Run the block as `user` (the session user), then as whoever ran it before."""
	before = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(before)
