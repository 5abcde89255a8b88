"""The learner portal: the course catalogue, a course page and self-enrolment.

Everything a page shows is the session user's own data; every read is set-wise (a fixed number of
queries per page, whatever the number of courses, lessons or assignments).

Mandatory Training shows one line per course: its current attempt (the first still to do, else the
completion that counts), with what that completion is worth today — "Valid until", "Expires in N days",
"Expired", from validity.completion_state — and "Renew by" on an open renewal. Every attempt, renewed
ones included, is on the course page's "Your history", each completion with its certificate.

Frappe's Jinja does not autoescape: the templates print every stored or caller text with `| e`, and the
only HTML they print raw (a course's description, a lesson's content) comes from `rich_text`.
"""

import zlib
from urllib.parse import quote

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
from smooth_lms.lms.training_rules import COMPLETED, EXPIRED, EXPIRING_SOON, is_late
from smooth_lms.lms.validation import require_published_course
from smooth_lms.lms.validity import completion_state, renewed_column

COURSE = "LMS Course"
LESSON = "LMS Course Lesson"
ASSIGNMENT = "LMS Training Assignment"
COURSES_ROUTE = "/lms/courses"
CERTIFICATE_URL = "/api/method/smooth_lms.lms.certificates.download_certificate?assignment="
RENEWED = "Renewed"  # a completion superseded by a later one of the same person and course
# What attempt_facts gives a row it did not read (an assignment created between the page's two reads).
NO_FACTS = {
	"renewed": 0,
	"validity_days": 0,
	"renewal_window_days": 0,
	"completion_source": None,
	"creation": None,
}


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
	"""The session user's Mandatory Training, one line per course (training_line), in the order of
	`get_my_training_assignments` (due date first) of each course's current attempt. Two queries."""
	if is_guest():
		return []
	attempts = my_attempts()
	by_course: dict[str, list[dict]] = {}
	for row in attempts:
		by_course.setdefault(row["course"], []).append(row)
	day = getdate(today())
	place = {row["name"]: index for index, row in enumerate(attempts)}
	return sorted(
		(training_line(rows, day) for rows in by_course.values()), key=lambda line: place[line["name"]]
	)


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


def training_line(rows: list[dict], day) -> dict:
	"""One course's line, from the learner's attempts of it (my_attempts, due date first): the current
	attempt as training_row shows it, plus
	- `validity` of the completion that counts (validity()), also beside an open renewal;
	- `due_caption` "Renew by" for an open renewal (due on the expiry date), else "Due";
	- `certificate_url` when the current attempt is completed;
	- `earlier_attempts`, the number of other attempts (listed on the course page);
	- `is_expired` when the completion that counts has expired."""
	counted = counted_completion(rows)
	current = next((row for row in rows if row["status"] != COMPLETED), counted or rows[-1])
	done = current["status"] == COMPLETED
	renewing = bool(current.get("renewal_of")) and not done
	line = training_row(current)
	line.update(
		validity=validity(counted, day) if counted else None,
		due_caption=_("Renew by") if renewing else _("Due"),
		certificate_url=certificate_url(current["name"]) if done else None,
		earlier_attempts=len(rows) - 1,
	)
	line["is_expired"] = bool(line["validity"]) and line["validity"]["state"] == EXPIRED
	return line


def counted_completion(rows: list[dict]) -> dict | None:
	"""Of one person's attempts of a course, the completion that counts: the one no later completion
	renewed (validity.later_completion); the latest, should dates leave several."""
	live = [row for row in rows if row["status"] == COMPLETED and not row.get("renewed")]
	return max(live, key=lambda row: (str(row.get("completed_on") or ""), row["name"]), default=None)


def validity(row: dict, day) -> dict:
	"""What a learner is told of one completion: `text` "Valid until <date>" or "Does not expire", and a
	`badge`: "Expires in N days" inside the course's renewal window, "Expired" after its valid-until day
	(`state` from validity.completion_state), or "Renewed" once a later completion replaced it."""
	state = completion_state(row, day) or RENEWED
	# As completion_state reads it: a course whose validity is 0 (now) never expires.
	until = getdate(row["valid_until"]) if row.get("valid_until") and row.get("validity_days") else None
	badges = {
		RENEWED: _("Renewed"),
		EXPIRED: _("Expired"),
		EXPIRING_SOON: expires_in(date_diff(until, day) if until else 0),
	}
	return {
		"state": state,
		"slug": status_slug(state),
		"valid_until": str(until) if until else None,
		"valid_until_label": formatdate(until) if until else _("Does not expire"),
		"text": _("Valid until {0}").format(formatdate(until)) if until else _("Does not expire"),
		"badge": badges.get(state, ""),
	}


def expires_in(days: int) -> str:
	if days <= 0:
		return _("Expires today")
	return _("Expires in 1 day") if days == 1 else _("Expires in {0} days").format(days)


def certificate_url(assignment: str) -> str:
	return CERTIFICATE_URL + quote(assignment, safe="")


def status_slug(status: str | None) -> str:
	return (status or "none").lower().replace(" ", "-")


def training_summary(rows: list[dict]) -> dict:
	return {
		"total": len(rows),
		"completed": sum(1 for row in rows if row["status"] == COMPLETED),
		"late": sum(1 for row in rows if row["is_late"]),
	}


def my_attempts(course: str | None = None) -> list[dict]:
	"""The session user's assignments (of one course, or all) as `get_my_training_assignments` gives
	them, with attempt_facts. Two queries, whatever the number of rows."""
	rows = get_my_training_assignments()
	if course is not None:
		rows = [row for row in rows if row["course"] == course]
	facts = attempt_facts(frappe.session.user, course) if rows else {}
	return [{**NO_FACTS, **row, **facts.get(row["name"], {})} for row in rows]


def attempt_facts(user: str, course: str | None = None) -> dict[str, dict]:
	"""{assignment: what the page needs beyond the API's row} for the user's assignments (of a course):
	`renewed` (validity.renewed_column), the course's `validity_days` and `renewal_window_days`, the
	`completion_source` and `creation` (when it was assigned). One query."""
	assignment, course_table = DocType(ASSIGNMENT), DocType(COURSE)
	query = (
		frappe.qb.from_(assignment)
		.left_join(course_table)
		.on(course_table.name == assignment.course)
		.select(
			assignment.name,
			renewed_column(assignment).as_("renewed"),
			course_table.validity_days,
			course_table.renewal_window_days,
			assignment.completion_source,
			assignment.creation,
		)
		.where(assignment.employee == user)
	)
	if course is not None:
		query = query.where(assignment.course == course)
	return {row.pop("name"): row for row in query.run(as_dict=True)}


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
	attempts = [] if is_guest(user) else my_attempts(course.name)
	day = getdate(today())
	return {
		"course": course,
		"lessons": lessons,
		"enrollment": enrollment,
		"progress": progress_value(enrollment.progress) if enrollment else 0,
		"completed_count": len([lesson for lesson in lessons if lesson.completed]),
		"resume": next((lesson.number for lesson in lessons if not lesson.completed), 1),
		# The assignment still to do, else the completion that counts: the course's line in the list.
		"assignment": training_line(attempts, day) if enrollment and attempts else None,
		"history": course_history(attempts, day),
		"can_enrol": not is_guest(user) and not enrollment and not course.disable_self_learning,
	}


def course_history(rows: list[dict], day) -> list[dict]:
	"""The course page's "Your history": every attempt of one course by the session user (`rows` from
	my_attempts), newest first — assigned, due, completed on, validity, how it was completed, what it
	renews, its certificate."""
	completed_on = {row["name"]: row.get("completed_on") for row in rows}
	history = []
	for row in sorted(rows, key=lambda row: (str(row.get("creation") or ""), row["name"]), reverse=True):
		done = row["status"] == COMPLETED
		line = training_row(row)
		line.update(
			assigned_on_label=formatdate(row["creation"]) if row.get("creation") else "",
			completed_on_label=formatdate(row["completed_on"]) if done and row.get("completed_on") else "",
			validity=validity(row, day) if done else None,
			source_label=_(row.get("completion_source") or "LMS") if done else "",
			renewal_label=renewal_label(row, completed_on),
			certificate_url=certificate_url(row["name"]) if done else None,
		)
		history.append(line)
	return history


def renewal_label(row: dict, completed_on: dict) -> str:
	"""What a renewal renews, by the date of that completion ({assignment: completed_on})."""
	if not row.get("renewal_of"):
		return ""
	renews = completed_on.get(row["renewal_of"])
	return _("Renews the completion of {0}").format(formatdate(renews)) if renews else _("Renewal")


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
