"""What the app reads of its courses: titles, lessons in order, a learner's finished lessons."""

import frappe
from frappe.query_builder import DocType

from smooth_lms.lms.doctypes import COURSE, COURSE_PROGRESS, LESSON


def course_titles(courses: list[str]) -> dict[str, str]:
	course = DocType(COURSE)
	if not courses:
		return {}
	rows = frappe.qb.from_(course).select(course.name, course.title).where(course.name.isin(courses)).run()
	return dict(rows)


def course_lessons(course: str, with_content: bool = False) -> list[dict]:
	"""A course's lessons in order (name, title, idx, what finishes each: quiz, acknowledgement, SCORM
	package with its version, launch file and package id; `content` when asked), in one query."""
	lesson = DocType(LESSON)
	query = (
		frappe.qb.from_(lesson)
		.select(lesson.name, lesson.title, lesson.idx, lesson.quiz, lesson.acknowledgement)
		.select(lesson.scorm_package, lesson.scorm_version, lesson.scorm_launch, lesson.scorm_package_id)
		.where((lesson.parent == course) & (lesson.parenttype == COURSE) & (lesson.parentfield == "lessons"))
		.orderby(lesson.idx)
	)
	if with_content:
		query = query.select(lesson.content)
	return query.run(as_dict=True)


def completed_lessons(member: str, course: str) -> set[str]:
	progress = DocType(COURSE_PROGRESS)
	return {
		row[0]
		for row in frappe.qb.from_(progress)
		.select(progress.lesson)
		.where((progress.member == member) & (progress.course == course))
		.run()
	}
