"""The learner portal: the course catalogue, a course page and self-enrolment.

Everything a page shows is the session user's own data; every read is set-wise (a fixed number of
queries per page, whatever the number of courses, lessons or assignments).

Frappe's Jinja does not autoescape: the templates print every stored or caller text with `| e`, and the
only HTML they print raw (a course's description, a lesson's content) comes from `rich_text`.
"""

import zlib

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import date_diff, escape_html, flt, formatdate, getdate, today
from frappe.utils.html_utils import sanitize_html

from smooth_lms.lms.assignments import ENROLLMENT, ensure_enrollments
from smooth_lms.lms.guards import guarded, require_login
from smooth_lms.lms.hrms_integration import get_my_training_assignments
from smooth_lms.lms.lesson_progress import completed_lessons, course_lessons
from smooth_lms.lms.roles import COURSE_EDITORS, LMS_STUDENT, grant_role, has_any_role
from smooth_lms.lms.training_rules import COMPLETED, is_late
from smooth_lms.lms.validation import require_published_course

COURSE = "LMS Course"
LESSON = "LMS Course Lesson"
COURSES_ROUTE = "/lms/courses"


def course_url(course: str) -> str:
	return f"{COURSES_ROUTE}/{course}"


def is_guest(user: str | None = None) -> bool:
	return (user or frappe.session.user) == "Guest"


def placeholder(title: str | None, key: str) -> dict:
	"""What stands in for a missing course image: the title's initial on one of six tints."""
	return {
		"initial": (title or key or "?").strip()[:1].upper(),
		"tint": zlib.crc32((key or "").encode()) % 6,
	}


# --- Catalogue -----------------------------------------------------------------------------------


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


def catalogue(user: str) -> list[dict]:
	"""Published courses as the user sees them: enrolled (with progress), open to self-enrolment, or
	closed to it (Disable Self Learning)."""
	enrolled = my_enrollments(user)
	courses = published_courses()
	for course in courses:
		enrollment = enrolled.get(course.name)
		course.url = course_url(course.name)
		course.placeholder = placeholder(course.title, course.name)
		course.enrolled = bool(enrollment)
		course.progress = progress_value(enrollment.progress) if enrollment else 0
		course.can_enrol = not enrollment and not course.disable_self_learning
	return courses


def progress_value(progress) -> float:
	"""Progress as shown: 0 to 100, whole numbers without a trailing .0."""
	value = min(max(flt(progress, 1), 0), 100)
	return int(value) if value == int(value) else value


# --- Mandatory Training --------------------------------------------------------------------------


def my_training() -> list[dict]:
	"""The session user's assignments, as `get_my_training_assignments` serves them to the API, with
	what the page shows: the due date as a date (formatted here, no time zone), the status label and
	whether the row is late."""
	if is_guest():
		return []
	return [training_row(row) for row in get_my_training_assignments()]


def training_row(row: dict) -> dict:
	due = getdate(row["due_date"])
	days_left = date_diff(due, today())
	# Overdue rows are red; so is an open row already past its due date before the daily job marks it.
	late = is_late(row["status"], flt(row["progress"]), due, getdate(today()))
	return {
		**row,
		"url": course_url(row["course"]),
		"placeholder": placeholder(row["course_title"], row["course"]),
		"progress": progress_value(row["progress"]),
		"due_date": str(due),
		"due_date_label": formatdate(due),
		"due_hint": due_hint(row["status"], days_left, row.get("completed_on")),
		"status_label": _(row["status"]),
		"status_slug": status_slug(row["status"]),
		"is_late": late,
	}


def due_hint(status: str, days_left: int, completed_on) -> str:
	if status == COMPLETED:
		return _("Completed on {0}").format(formatdate(completed_on)) if completed_on else _("Completed")
	if days_left < 0:
		return _("{0} day(s) late").format(-days_left)
	if days_left == 0:
		return _("Due today")
	return _("{0} day(s) left").format(days_left)


def status_slug(status: str | None) -> str:
	return (status or "none").lower().replace(" ", "-")


def training_summary(rows: list[dict]) -> dict:
	return {
		"total": len(rows),
		"completed": sum(1 for row in rows if row["status"] == COMPLETED),
		"late": sum(1 for row in rows if row["is_late"]),
	}


# --- Course page ---------------------------------------------------------------------------------


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
	done = completed_lessons(user, course.name) if enrollment else set()
	for number, lesson in enumerate(lessons, start=1):
		lesson.number = number
		lesson.completed = lesson.name in done
		lesson.content = rich_text(lesson.content) if enrollment else ""
	return {
		"course": course,
		"lessons": lessons,
		"enrollment": enrollment,
		"progress": progress_value(enrollment.progress) if enrollment else 0,
		"completed_count": len([lesson for lesson in lessons if lesson.completed]),
		"resume": next((lesson.number for lesson in lessons if not lesson.completed), 1),
		"assignment": course_assignment(course.name) if enrollment else None,
		"can_enrol": not is_guest(user) and not enrollment and not course.disable_self_learning,
	}


def rich_text(html: str | None) -> str:
	"""Text Editor content (a course's description, a lesson's body) made safe to print as HTML: Frappe's
	own allow-list (formatting, links, images, tables), without scripts, event handlers or javascript:
	URLs. Always cleaned, even text that looks tag-free: Frappe's save-time check skips a value in which
	its parser finds no complete tag, such as `<img src=x onerror=alert(1)//`, which a browser still
	reads as an element once the template closes it; set-wise writes skip that check altogether."""
	return sanitize_html(html or "", always_sanitize=True)


def my_enrollment(user: str, course: str) -> dict | None:
	if is_guest(user):
		return None
	return frappe.db.get_value(
		ENROLLMENT, {"member": user, "course": course}, ["name", "progress", "completed_on"], as_dict=True
	)


def course_assignment(course: str) -> dict | None:
	"""The session user's assignment for the course the page shows: the one still to do, else the last
	one completed."""
	rows = [row for row in get_my_training_assignments() if row["course"] == course]
	if not rows:
		return None
	pending = [row for row in rows if row["status"] != COMPLETED]
	return training_row(pending[0] if pending else rows[-1])


# --- Self-enrolment ------------------------------------------------------------------------------


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
		hide_drafts=not has_any_role(COURSE_EDITORS),
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
