"""Lesson completion and the enrollment progress that follows from it."""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count

from smooth_lms.lms.training_rules import lesson_progress
from smooth_lms.lms.validation import answer_refusals_without_traceback

COURSE_PROGRESS = "LMS Course Progress"


def course_lessons(course: str, with_content: bool = False) -> list[dict]:
	"""A course's lessons in order (name, title, idx, and `content` when asked), in one query."""
	lesson = DocType("LMS Course Lesson")
	query = (
		frappe.qb.from_(lesson)
		.select(lesson.name, lesson.title, lesson.idx)
		.where(
			(lesson.parent == course)
			& (lesson.parenttype == "LMS Course")
			& (lesson.parentfield == "lessons")
		)
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


def enrollment_for(member: str, course: str) -> str | None:
	return frappe.db.get_value("LMS Enrollment", {"member": member, "course": course})


@frappe.whitelist(methods=["POST"])
def mark_lesson_complete(course: str, lesson: str) -> dict:
	"""The session user finishes one lesson of a course they are enrolled in. Returns the new progress
	and the status of their open assignment for the course."""
	answer_refusals_without_traceback()
	user = frappe.session.user
	if user == "Guest":
		frappe.throw(_("Please log in to record your progress."), frappe.PermissionError)
	enrollment = enrollment_for(user, course)
	if not enrollment:
		frappe.throw(_("You are not enrolled in course {0}.").format(course), frappe.PermissionError)
	lessons = {row.name: row for row in course_lessons(course)}
	if lesson not in lessons:
		frappe.throw(
			_("Lesson {0} is not part of course {1}.").format(lesson, course), frappe.DoesNotExistError
		)

	if lesson not in completed_lessons(user, course):
		frappe.get_doc(
			{
				"doctype": COURSE_PROGRESS,
				"member": user,
				"course": course,
				"lesson": lesson,
				"lesson_title": lessons[lesson].title,
			}
		).insert(
			ignore_permissions=True
		)  # learners cannot write progress rows; this method checked them above
	progress = update_enrollment_progress(enrollment, user, course, total=len(lessons))
	return {"progress": progress, "status": current_assignment_status(user, course)}


def update_enrollment_progress(enrollment: str, member: str, course: str, total: int | None = None) -> float:
	"""Recompute an enrollment's progress from its completed lessons and save it, so that the
	enrollment's own rules (completed_on, assignment status) run."""
	if total is None:
		total = len(course_lessons(course))
	progress_table = DocType(COURSE_PROGRESS)
	lesson = DocType("LMS Course Lesson")
	done = (
		frappe.qb.from_(progress_table)
		.join(lesson)
		.on((lesson.name == progress_table.lesson) & (lesson.parent == progress_table.course))
		.select(Count("*"))
		.where((progress_table.member == member) & (progress_table.course == course))
		.run()[0][0]
	)
	doc = frappe.get_doc("LMS Enrollment", enrollment)
	doc.progress = lesson_progress(done, total)
	doc.flags.progress_from_lessons = True
	doc.save(ignore_permissions=True)  # the learner's own progress, computed here, not typed by them
	return doc.progress


def current_assignment_status(member: str, course: str) -> str | None:
	assignment = DocType("LMS Training Assignment")
	rows = (
		frappe.qb.from_(assignment)
		.select(assignment.status)
		.where((assignment.employee == member) & (assignment.course == course))
		.orderby(assignment.creation, order=frappe.qb.desc)
		.limit(1)
		.run()
	)
	return rows[0][0] if rows else None
