"""/lms/courses/<course>/lessons/<lesson>: one lesson of a published course — its content, then what
finishes it (Mark as Complete, its quiz, its acknowledgement, its SCORM package) — for the session user only.

Who sees what follows the course page (portal.course_page): a draft course or a lesson not in the course
is a 404, the lesson's body and what finishes it are for the enrolled learner only. The quiz block
carries the quiz's rules and the learner's attempts, never its questions: those arrive only from
start_quiz, and which option is correct only in a scored submission (submit_quiz)."""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import cstr, escape_html, flt, formatdate, get_datetime, getdate, now_datetime

from smooth_lms.lms.doctypes import QUIZ, QUIZ_QUESTION
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.finishing import ACKNOWLEDGEMENT, MARK, QUIZ_PASS, SCORM, how_finished
from smooth_lms.lms.portal.course_page import get_published_course, my_enrollment
from smooth_lms.lms.portal.display import rich_text
from smooth_lms.lms.portal.lesson_states import learner_record, lesson_state
from smooth_lms.lms.quiz import attempts, drawing
from smooth_lms.lms.routes import course_url, lesson_url
from smooth_lms.lms.scorm.player import player_context


def lesson_page(course_name: str | None, lesson_name: str | None) -> dict:
	"""Everything the lesson page shows, for the session user only."""
	user = frappe.session.user
	course = get_published_course(course_name)
	enrollment = my_enrollment(user, course.name)
	lessons = course_lessons(course.name, with_content=bool(enrollment))
	number = next((i for i, row in enumerate(lessons, start=1) if row.name == lesson_name), None)
	if not number:
		frappe.throw(
			_("Lesson {0} was not found.").format(escape_html(lesson_name or "")),
			frappe.PageDoesNotExistError,
			title=_("Not Found"),
		)
	lesson = lessons[number - 1]
	context = {
		"course": course,
		"course_url": course_url(course.name),
		"lesson": frappe._dict(
			name=lesson.name, title=lesson.title, number=number, way=how_finished(lesson), content=""
		),
		"by_mark": how_finished(lesson) == MARK,
		"lesson_count": len(lessons),
		"previous": _neighbour(course.name, lessons, number - 2),
		"next": _neighbour(course.name, lessons, number),
		"enrollment": enrollment,
		"state": None,
		"quiz": None,
		"acknowledgement": None,
		"scorm": None,  # scorm.player.player_context: the package's launch address and the learner's attempt
	}
	if not enrollment:
		return context  # the outline only: a lesson's body is read by its enrolled learners
	record = learner_record(user, course.name)
	context["lesson"].content = rich_text(lesson.content)
	context["state"] = lesson_state(lesson, record)
	if context["lesson"].way == QUIZ_PASS:
		context["quiz"] = quiz_block(user, lesson.quiz, record)
	elif context["lesson"].way == ACKNOWLEDGEMENT:
		context["acknowledgement"] = acknowledgement_block(lesson, record)
	elif context["lesson"].way == SCORM:
		context["scorm"] = player_context(course.name, lesson.name)
	return context


def quiz_block(user: str, quiz_name: str, record: frappe._dict) -> frappe._dict:
	"""The quiz's rules and the learner's attempts for their current assignment; not its questions."""
	quiz = drawing.get_quiz(quiz_name)
	allowed = attempts.attempts_allowed(quiz, record.assignment)
	used = attempts.attempts_used(quiz.name, user, record.assignment)
	left = attempts.attempts_left(allowed, used)
	tried = record.submissions.get(quiz.name) or []
	passed = next((row for row in tried if row.passed), None)  # newest first
	current = attempts.open_attempt(quiz.name, user, record.assignment)
	resumable = bool(current) and (not current.deadline or get_datetime(current.deadline) > now_datetime())
	pool = _pool_size(quiz.name)
	per_attempt = min(quiz.questions_per_attempt, pool) if quiz.questions_per_attempt else pool
	return frappe._dict(
		name=quiz.name,
		title=quiz.title,
		passing_percentage=quiz.passing_percentage,
		questions_per_attempt=per_attempt,
		time_limit_minutes=quiz.time_limit_minutes or 0,
		max_attempts=allowed,  # 0: unlimited
		attempts_used=used,
		attempts_left=left,  # None: unlimited
		resumable=resumable,
		passed=_passed(passed) if passed else None,
		last=_percent(tried[0].percentage) if tried and not passed else None,
		exhausted=left == 0 and not passed and not resumable,
		# start_quiz's refusal, in its words, for a page opened with no attempts left.
		exhausted_message=_(
			"You have used all {0} attempts at quiz {1} without a pass. Ask HR for more attempts."
		).format(allowed, quiz.title),
		server_now=str(now_datetime()),  # the countdown reads the deadline against the server's clock
	)


def acknowledgement_block(lesson, record: frappe._dict) -> frappe._dict:
	"""The statement to sign, and the learner's signature for their current assignment if given."""
	signed = record.acknowledged.get(lesson.name)
	return frappe._dict(
		statement=cstr(lesson.acknowledgement).strip(),
		signed=frappe._dict(
			typed_name=signed.typed_name, date_label=formatdate(getdate(signed.acknowledged_at))
		)
		if signed
		else None,
	)


def _neighbour(course: str, lessons: list[dict], index: int) -> frappe._dict | None:
	if not 0 <= index < len(lessons):
		return None
	row = lessons[index]
	return frappe._dict(title=row.title, number=index + 1, url=lesson_url(course, row.name))


def _passed(submission: frappe._dict) -> frappe._dict:
	return frappe._dict(
		submission=submission.name,
		date_label=formatdate(getdate(submission.creation)),
		percentage=_percent(submission.percentage),
	)


def _percent(value) -> str:
	return f"{flt(value, 2):g}%"


def _pool_size(quiz: str) -> int:
	row = DocType(QUIZ_QUESTION)
	return (
		frappe.qb.from_(row)
		.select(Count("*"))
		.where((row.parent == quiz) & (row.parenttype == QUIZ) & (row.parentfield == "questions"))
		.run()[0][0]
	)
