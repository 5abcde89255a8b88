"""A learner finishes lessons; their enrollment's progress follows, and their assignment's status with it."""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import escape_html

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE_PROGRESS, ENROLLMENT, LESSON
from smooth_lms.lms.framework.guards import guarded, require_login
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.enrollments import enrollment_for
from smooth_lms.lms.learning.finishing import MARK, how_finished
from smooth_lms.lms.training_rules import lesson_progress


def require_learner_login() -> None:
	require_login(_("Please log in to record your progress."))


@frappe.whitelist(methods=["POST"])
@guarded(require_learner_login, retry=True)
def mark_lesson_complete(course: str, lesson: str) -> dict:
	"""The session user finishes one lesson of a course they are enrolled in. Returns the new progress
	and the status of their assignment for the course.

	Completions of the same course arrive together (two tabs, fast clicks, a retrying connection): the
	enrollment row is locked first, so they run one after the other and each counts what the others
	wrote; a repeated lesson counts once."""
	user = frappe.session.user
	enrollment = enrollment_for(user, course)
	if not enrollment:
		frappe.throw(
			_("You are not enrolled in course {0}.").format(escape_html(course)), frappe.PermissionError
		)
	lessons = {row.name: row for row in course_lessons(course)}
	if lesson not in lessons:
		frappe.throw(
			_("Lesson {0} is not part of course {1}.").format(escape_html(lesson), escape_html(course)),
			frappe.DoesNotExistError,
		)

	way = how_finished(lessons[lesson])
	if way != MARK:
		frappe.throw(
			_("Lesson {0} is finished by its {1}, not by Mark as Complete.").format(
				escape_html(lessons[lesson].title), _(way)
			),
			frappe.ValidationError,
			title=_("Not Finished This Way"),
		)

	doc = lock_enrollment(enrollment)
	_record_completion(doc, lessons[lesson])
	save_progress(doc, total=len(lessons))
	return {"progress": doc.progress, "status": _assignment_status(doc)}


def lock_enrollment(enrollment: str):
	"""The learner's enrollment, locked: what one learner does in one course (lessons, quizzes,
	acknowledgements) runs one request at a time, each seeing what the others wrote."""
	return frappe.get_doc(ENROLLMENT, enrollment, for_update=True)


def finish_lesson(enrollment, lesson) -> bool:
	"""Record that the (locked) enrollment's learner finished `lesson`, a row of the course, and save the
	enrollment's progress: the assignment follows. The one writer of a lesson completion, whichever way
	(learning.finishing) the caller checked. A lesson finished before counts once; returns whether this
	call finished it."""
	if not _record_completion(enrollment, lesson):
		return False
	save_progress(enrollment)
	return True


def update_enrollment_progress(enrollment: str, member: str, course: str, total: int | None = None) -> float:
	"""Recompute an enrollment's progress from its completed lessons and save it."""
	doc = frappe.get_doc(ENROLLMENT, enrollment, for_update=True)
	save_progress(doc, total)
	return doc.progress


def save_progress(doc, total: int | None = None) -> None:
	"""Set a (locked) enrollment's progress from its completed lessons and save it, so that the
	enrollment's own rules run (completed_on; the assignments follow, through the status engine). The
	count is a locking read: it sees completions committed since this transaction's snapshot."""
	if total is None:
		total = len(course_lessons(doc.course))
	progress_table = DocType(COURSE_PROGRESS)
	lesson = DocType(LESSON)
	done = (
		frappe.qb.from_(progress_table)
		.join(lesson)
		.on((lesson.name == progress_table.lesson) & (lesson.parent == progress_table.course))
		.select(Count("*"))
		.where((progress_table.member == doc.member) & (progress_table.course == doc.course))
		.for_update()
		.run()[0][0]
	)
	doc.progress = lesson_progress(done, total)
	doc.flags.progress_from_lessons = True
	doc.save(ignore_permissions=True)  # the learner's own progress, computed here, not typed by them


def current_assignment(member: str, course: str) -> str | None:
	"""The assignment a learner is working on in a course: their open one (not Completed), else their
	latest (a learner reviewing a finished course), else none (self-enrolled). Quiz and SCORM attempts
	belong to it, so a renewal starts them afresh."""
	assignment = DocType(ASSIGNMENT)
	rows = (
		frappe.qb.from_(assignment)
		.select(assignment.name)
		.where((assignment.employee == member) & (assignment.course == course))
		.orderby(assignment.status == "Completed")
		.orderby(assignment.creation, order=frappe.qb.desc)
		.orderby(assignment.name, order=frappe.qb.desc)
		.limit(1)
		.run()
	)
	return rows[0][0] if rows else None


def current_assignment_status(member: str, course: str) -> str | None:
	assignment = DocType(ASSIGNMENT)
	rows = (
		frappe.qb.from_(assignment)
		.select(assignment.status)
		.where((assignment.employee == member) & (assignment.course == course))
		.orderby(assignment.creation, order=frappe.qb.desc)
		.orderby(assignment.name, order=frappe.qb.desc)
		.limit(1)
		.for_update()  # the latest committed status, not this transaction's snapshot
		.run()
	)
	return rows[0][0] if rows else None


def _assignment_status(enrollment) -> str | None:
	"""The status of the learner's assignment for the course: the one just saved, else the latest."""
	saved = enrollment.flags.assignments_saved
	if saved:
		return saved[-1].status
	return current_assignment_status(enrollment.member, enrollment.course)


def _record_completion(enrollment, lesson) -> bool:
	member = enrollment.member
	if frappe.db.get_value(COURSE_PROGRESS, {"member": member, "lesson": lesson.name}, for_update=True):
		return False
	frappe.get_doc(
		{
			"doctype": COURSE_PROGRESS,
			"member": member,
			"course": enrollment.course,
			"lesson": lesson.name,
			"lesson_title": lesson.title,
		}
	).insert(ignore_permissions=True)  # learners cannot write progress rows; the callers checked them
	return True
