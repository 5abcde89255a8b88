"""SCORM packages as lessons (SPEC.md "SCORM packages"): checked and unpacked on the course's save
(scorm.packages), served to the learners who may read the course under a signed token (scorm.tokens,
scorm.serving), played in a sandboxed frame by the scorm-again runtime, which posts its CMI to the lesson
page, which posts it here:

- `commit(course, lesson, cmi, session, elapsed, finish)` keeps the learner's LMS SCORM Attempt for the
  lesson and their current assignment, and finishes the lesson through learning.progress.finish_lesson
  when the package reports it done (scorm.cmi.finishes).

Decisions where SPEC.md is silent: the attempt belongs to the current assignment (quiz.attempts), so a
renewal starts a fresh one and keeps the old; a commit is refused (417, nothing written) when its CMI is
not what a SCORM runtime sends (scorm.cmi); `finish` (the package's LMSFinish / Terminate) is recorded
like any commit — the package may be opened again and go on; once a commit has finished the lesson, the
attempt keeps that status and score (scorm.attempts).
"""

import math
import re

import frappe
from frappe import _
from frappe.utils import escape_html

from smooth_lms.lms.doctypes import COURSE
from smooth_lms.lms.framework.guards import guarded, require_login
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.enrollments import enrollment_for
from smooth_lms.lms.learning.progress import (
	current_assignment,
	current_assignment_status,
	finish_lesson,
	lock_enrollment,
)
from smooth_lms.lms.scorm import attempts
from smooth_lms.lms.scorm import cmi as cmi_data

SESSION = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_ELAPSED = 24 * 3600


def require_learner_login() -> None:
	require_login(_("Please log in to record your progress."))


@frappe.whitelist(methods=["POST"])
@guarded(require_learner_login, retry=True)
def commit(
	course: str, lesson: str, cmi: str | dict, session: str, elapsed: float = 0, finish: int = 0
) -> dict:
	"""Record what the lesson's package reports for the session user (their attempt for the current
	assignment) and finish the lesson when it reports done."""
	user = frappe.session.user
	row = scorm_lesson(course, lesson)
	enrollment_name = enrollment_for(user, course)
	if not enrollment_name:
		frappe.throw(
			_("You are not enrolled in course {0}.").format(escape_html(course)), frappe.PermissionError
		)
	if not SESSION.fullmatch(session):
		_malformed(_("session must be 1 to 64 letters, digits, '-' or '_'"))
	if not math.isfinite(elapsed) or not 0 <= elapsed <= MAX_ELAPSED:
		_malformed(_("elapsed must be a number of seconds between 0 and {0}").format(MAX_ELAPSED))
	if finish not in (0, 1):
		_malformed(_("finish must be 0 or 1"))
	try:
		data, report = cmi_data.parse(row.scorm_version, cmi)
	except cmi_data.MalformedCMI as error:
		_malformed(escape_html(str(error)))

	enrollment = lock_enrollment(enrollment_name)  # one request of this learner's in this course at a time
	assignment = current_assignment(user, course)
	attempt = attempts.current(user, row.name, assignment, for_update=True)
	if not attempt:
		attempt = attempts.start(enrollment, row, assignment)
	finishes = cmi_data.finishes(row.scorm_version, report)
	attempt = attempts.record(attempt, row, report, data, session, elapsed, finishes)
	if finishes:
		finish_lesson(enrollment, row)
	return {
		"attempt": attempt.name,
		"scorm_version": row.scorm_version,
		"lesson_status": attempt.lesson_status,
		"completion_status": attempt.completion_status,
		"success_status": attempt.success_status,
		"score_raw": attempt.score_raw,
		"score_max": attempt.score_max,
		"total_time": attempt.total_time,
		"finished": bool(attempt.finished),
		"progress": enrollment.progress,
		"status": current_assignment_status(user, course),
	}


def scorm_lesson(course: str, lesson: str) -> frappe._dict:
	"""The lesson row of a published course, with its package; 404 when either is unknown, 417 when the
	lesson has no package."""
	if not frappe.db.get_value(COURSE, course, "published"):
		frappe.throw(_("Course {0} was not found.").format(escape_html(course)), frappe.DoesNotExistError)
	row = next((row for row in course_lessons(course) if row.name == lesson), None)
	if not row:
		frappe.throw(
			_("Lesson {0} is not part of course {1}.").format(escape_html(lesson), escape_html(course)),
			frappe.DoesNotExistError,
		)
	if not row.scorm_package or not row.scorm_package_id:
		frappe.throw(
			_("Lesson {0} has no SCORM package.").format(escape_html(row.title)),
			frappe.ValidationError,
			title=_("No SCORM Package"),
		)
	return row


def _malformed(reason: str):
	frappe.throw(_("The SCORM data is malformed: {0}.").format(reason), frappe.ValidationError)
