"""/lms/courses/<course>: a published course's lessons and, for the session user, their progress and
their history of attempts."""

import frappe
from frappe import _
from frappe.utils import escape_html, getdate, today

from smooth_lms.lms.doctypes import COURSE, ENROLLMENT
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.finishing import ACKNOWLEDGEMENT, MARK, QUIZ_PASS, how_finished
from smooth_lms.lms.portal.display import is_guest, placeholder, progress_action, progress_value, rich_text
from smooth_lms.lms.portal.lesson_states import learner_record, lesson_state
from smooth_lms.lms.portal.training import course_history, my_attempts, training_line
from smooth_lms.lms.routes import lesson_url


def get_published_course(name: str | None) -> dict:
	"""The course the page is about, or the 404 page: drafts do not exist on the portal."""
	course = (
		frappe.db.get_value(
			COURSE,
			name,
			[
				"name",
				"title",
				"image",
				"short_introduction",
				"description",
				"published",
				"disable_self_learning",
			],
			as_dict=True,
		)
		if name
		else None
	)
	if not course or not course.published:
		frappe.throw(
			_("Course {0} was not found.").format(escape_html(name or "")),
			frappe.PageDoesNotExistError,
			title=_("Not Found"),
		)
	return course


def course_page(name: str | None) -> dict:
	"""Everything the course page shows, for the session user only."""
	user = frappe.session.user
	course = get_published_course(name)
	course.description = rich_text(course.description)
	course.placeholder = placeholder(course.title, course.name)
	enrollment = my_enrollment(user, course.name)
	# Lesson bodies are read only for an enrolled learner.
	lessons = course_lessons(course.name, with_content=bool(enrollment))
	record = learner_record(user, course.name) if enrollment else None
	for number, lesson in enumerate(lessons, start=1):
		lesson.number = number
		lesson.completed = bool(record) and lesson.name in record.done
		lesson.content = rich_text(lesson.content) if enrollment else ""
		if record:
			# Each lesson links to its own page with its state; Mark as Complete stays here for plain
			# lessons, the others are finished on their page.
			lesson.url = lesson_url(course.name, lesson.name)
			lesson.state = lesson_state(lesson, record)
			lesson.by_mark = how_finished(lesson) == MARK
			lesson.finish_label = _finish_label(how_finished(lesson))
	attempts = [] if is_guest(user) else my_attempts(course.name)
	day = getdate(today())
	progress = progress_value(enrollment.progress) if enrollment else 0
	return {
		"course": course,
		"lessons": lessons,
		"enrollment": enrollment,
		"progress": progress,
		"action": progress_action(progress),  # the button to the lessons: Start, Continue or Review
		"completed_count": len([lesson for lesson in lessons if lesson.completed]),
		"resume": next((lesson.number for lesson in lessons if not lesson.completed), 1),
		# The assignment still to do, else the completion that counts: the course's line in the list.
		"assignment": training_line(attempts, day) if enrollment and attempts else None,
		"history": course_history(attempts, day),
		"can_enrol": not is_guest(user) and not enrollment and not course.disable_self_learning,
	}


def my_enrollment(user: str, course: str) -> dict | None:
	if is_guest(user):
		return None
	return frappe.db.get_value(
		ENROLLMENT, {"member": user, "course": course}, ["name", "progress", "completed_on"], as_dict=True
	)


def _finish_label(way: str) -> str:
	"""The course page's link to a lesson finished on its own page."""
	if way == QUIZ_PASS:
		return _("Take the quiz")
	if way == ACKNOWLEDGEMENT:
		return _("Acknowledge")
	return _("Open the lesson")
