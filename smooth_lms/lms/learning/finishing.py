"""How a lesson is finished — exactly one way each: Mark as Complete, passing its quiz, typing one's name
under its acknowledgement, or its SCORM package. Whichever way, `learning.progress.finish_lesson`
writes the completion."""

import frappe
from frappe import _
from frappe.utils import cstr, escape_html

from smooth_lms.lms.doctypes import QUIZ

MARK = "Mark as Complete"
QUIZ_PASS = "Quiz"
ACKNOWLEDGEMENT = "Acknowledgement"
SCORM = "SCORM"


def how_finished(lesson) -> str:
	"""The one way this lesson (an LMS Course Lesson row or dict) is finished."""
	if lesson.get("quiz"):
		return QUIZ_PASS
	if cstr(lesson.get("acknowledgement")).strip():
		return ACKNOWLEDGEMENT
	if lesson.get("scorm_package"):
		return SCORM
	return MARK


def validate_lessons(course) -> None:
	"""A course's lessons each have one way to finish, and a lesson's quiz belongs to its course and
	finishes that lesson only."""
	quizzes = [lesson.quiz for lesson in course.lessons if lesson.get("quiz")]
	if len(set(quizzes)) < len(quizzes):
		frappe.throw(
			_("A quiz finishes one lesson: quiz {0} is in two.").format(
				escape_html(next(q for q in quizzes if quizzes.count(q) > 1))
			),
			frappe.ValidationError,
			title=_("One Lesson per Quiz"),
		)
	for lesson in course.lessons:
		ways = [
			label
			for label, set_ in (
				(_("a quiz"), lesson.get("quiz")),
				(_("an acknowledgement"), cstr(lesson.get("acknowledgement")).strip()),
				(_("a SCORM package"), lesson.get("scorm_package")),
			)
			if set_
		]
		if len(ways) > 1:
			frappe.throw(
				_("Lesson {0} ({1}) is finished in one way only: choose {2}, not both.").format(
					lesson.idx, escape_html(cstr(lesson.title)), _(" or ").join(ways)
				),
				frappe.ValidationError,
				title=_("One Way to Finish"),
			)
		if lesson.get("quiz"):
			quiz_course = frappe.db.get_value(QUIZ, lesson.quiz, "course")
			if quiz_course is None:
				frappe.throw(
					_("Quiz {0} of lesson {1} does not exist.").format(escape_html(lesson.quiz), lesson.idx),
					frappe.LinkValidationError,
				)
			if not course.is_new() and quiz_course != course.name:
				frappe.throw(
					_("Quiz {0} of lesson {1} belongs to another course.").format(
						escape_html(lesson.quiz), lesson.idx
					),
					frappe.ValidationError,
					title=_("Wrong Quiz"),
				)
