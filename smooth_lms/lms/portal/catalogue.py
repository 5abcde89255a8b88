"""/lms/courses: the published catalogue, and self-enrolment in courses open to it."""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import escape_html

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, ENROLLMENT, LESSON
from smooth_lms.lms.framework.guards import guarded, require_login
from smooth_lms.lms.framework.roles import LMS_STUDENT, grant_role, may_edit_courses
from smooth_lms.lms.framework.validation import require_published_course
from smooth_lms.lms.learning.enrollments import ensure_enrollments
from smooth_lms.lms.portal.display import is_guest, placeholder, progress_action, progress_value
from smooth_lms.lms.routes import course_url


def published_courses() -> list[dict]:
	"""Published courses with their number of lessons, in one query. Drafts never appear here, not even
	for the people who write them: the portal is what learners see."""
	course = DocType(COURSE)
	lesson = DocType(LESSON)
	return (
		frappe.qb.from_(course)
		.left_join(lesson)
		.on(
			(lesson.parent == course.name) & (lesson.parenttype == COURSE) & (lesson.parentfield == "lessons")
		)
		.select(
			course.name,
			course.title,
			course.image,
			course.short_introduction,
			course.is_mandatory,
			course.disable_self_learning,
			Count(lesson.name).as_("lesson_count"),
		)
		.where(course.published == 1)
		.groupby(course.name)
		.orderby(course.is_mandatory, order=frappe.qb.desc)
		.orderby(course.title)
		.run(as_dict=True)
	)


def my_enrollments(user: str) -> dict[str, dict]:
	"""The user's enrollments by course, in one query."""
	if is_guest(user):
		return {}
	enrollment = DocType(ENROLLMENT)
	rows = (
		frappe.qb.from_(enrollment)
		.select(enrollment.name, enrollment.course, enrollment.progress, enrollment.completed_on)
		.where(enrollment.member == user)
		.run(as_dict=True)
	)
	return {row.course: row for row in rows}


def catalogue(user: str, assigned: set[str] | None = None) -> list[dict]:
	"""Published courses as the user sees them: enrolled (with progress and the button's word, Start /
	Continue / Review), open to self-enrolment, or closed to it (Disable Self Learning); `mandatory` when
	the user has mandatory training in the course (`assigned`: the courses of their assignments, as
	their Mandatory Training lists them; read here when not given), those first. A course marked
	Mandatory Training that is not for them is not mandatory for them. Two queries, three without
	`assigned`, whatever the number of courses."""
	if assigned is None:
		assigned = assigned_courses(user)
	enrolled = my_enrollments(user)
	courses = published_courses()
	for course in courses:
		enrollment = enrolled.get(course.name)
		course.url = course_url(course.name)
		course.placeholder = placeholder(course.title, course.name)
		course.mandatory = course.name in assigned
		course.enrolled = bool(enrollment)
		course.progress = progress_value(enrollment.progress) if enrollment else 0
		course.action = progress_action(course.progress) if enrollment else None
		course.can_enrol = not enrollment and not course.disable_self_learning
	# The learner's own mandatory courses first, then the rest, each in the catalogue's order.
	return sorted(courses, key=lambda course: not course.mandatory)


def assigned_courses(user: str) -> set[str]:
	"""The courses in which the user has mandatory training (an assignment: open, overdue or completed).
	One query."""
	if is_guest(user):
		return set()
	assignment = DocType(ASSIGNMENT)
	rows = frappe.qb.from_(assignment).select(assignment.course).distinct().where(assignment.employee == user)
	return {course for (course,) in rows.run()}


def require_login_to_enrol() -> None:
	require_login(_("Please log in to enrol in a course."))


# allow_guest only so that a Guest is told to log in (403 with that message) rather than a bare
# "Not permitted": the guard's first step refuses Guest.
@frappe.whitelist(allow_guest=True, methods=["POST"])
@guarded(require_login_to_enrol, retry=True)
def enrol_self(course: str) -> dict:
	"""Enrol the session user in a published course open to self-learning. Enrolling twice is harmless:
	the existing enrollment is returned. Returns {"enrollment", "progress", "created", "url"}."""
	user = frappe.session.user
	row = _enrollable_course(course)

	full_name = frappe.db.get_value("User", user, "full_name") or user
	# The app's one enrolment path (a bulk insert, no per-document permission check): a learner may not
	# create LMS Enrollment rows, but this method enrols only the session user, in a course checked above.
	enrollments, created = ensure_enrollments([(user, row.name)], {user: full_name}, {row.name: row.title})
	grant_role([user], LMS_STUDENT)
	name, progress = enrollments[(user, row.name)]
	return {"enrollment": name, "progress": progress, "created": bool(created), "url": course_url(row.name)}


def _enrollable_course(course: str):
	# A draft is hidden from learners: for them it does not exist. Its authors are told why.
	row = require_published_course(
		course,
		_("learners can enrol only in published courses."),
		hide_drafts=not may_edit_courses(),
		fields=("disable_self_learning",),
	)
	if row.disable_self_learning:
		frappe.throw(
			_("Self-enrolment is disabled for {0}: this course is assigned by HR or a Moderator.").format(
				frappe.bold(escape_html(row.title))
			),
			frappe.PermissionError,
			title=_("Self-Enrolment Disabled"),
		)
	return row
