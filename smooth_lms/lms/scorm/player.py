"""What the lesson page needs to play a lesson's SCORM package for the session user: the package's
launch address under a fresh token (scorm.tokens) and where their attempt for the current assignment
stands. The page (smooth_lms/www/lms/lesson.html) embeds the address in a sandboxed frame."""

from urllib.parse import quote

import frappe

from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.progress import current_assignment
from smooth_lms.lms.scorm import attempts, tokens

PREFIX = "/lms/scorm/"


def player_context(course: str, lesson: str) -> dict | None:
	"""None when the lesson has no package (or the user is a Guest, who gets no token); else
	{"launch_url", "scorm_version", "attempt", "finished", "lesson_status", "score_raw", "score_max",
	"total_time"}. The caller shows it only to those who may read the course's lessons."""
	user = frappe.session.user
	row = next((row for row in course_lessons(course) if row.name == lesson), None)
	if user == "Guest" or not row or not row.scorm_package or not row.scorm_package_id:
		return None
	attempt = attempts.current(user, row.name, current_assignment(user, course)) or frappe._dict()
	token = tokens.issue(user, course, row.name, row.scorm_package_id)
	return {
		"launch_url": launch_url(token, row.scorm_launch),
		"scorm_version": row.scorm_version,
		"attempt": attempt.get("name"),
		"finished": bool(attempt.get("finished")),
		"lesson_status": attempt.get("lesson_status"),
		"score_raw": attempt.get("score_raw"),
		"score_max": attempt.get("score_max"),
		"total_time": attempt.get("total_time") or 0,
	}


def launch_url(token: str, launch: str) -> str:
	"""/lms/scorm/<token>/<launch path>[?parameters]: the path quoted, the manifest's parameters as given."""
	cut = min((i for i in (launch.find("?"), launch.find("#")) if i >= 0), default=len(launch))
	return PREFIX + token + "/" + quote(launch[:cut], safe="/") + launch[cut:]
