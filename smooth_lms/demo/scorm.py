"""The demo's SCORM course: "Phishing Awareness", whose second lesson is the generated SCORM 2004 package
"Spot the Phish" (demo.scorm_package), uploaded as a private file and unpacked by the course's save, as
HR would. Three Engineering colleagues have played it, their runtime's commits sent through
smooth_lms.lms.scorm.commit as themselves (SCORM_STORIES): Priya Nair passed it (3 of 3: the lesson and
the course are finished, with its certificate), Kenji Sato failed the check (1 of 3: not finished) and
Olivia Smith stopped half-way (screen 4 of 7, to resume). HR sees the three attempts with status, score
and time spent in /app/lms-scorm-attempt."""

import json

import frappe
from frappe.utils import add_days, today

from smooth_lms.demo.learners import as_user, finish_lessons
from smooth_lms.demo.scorm_package import build_demo_package
from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctypes import COURSE
from smooth_lms.lms.scorm import commit

COURSE_TITLE = "Phishing Awareness"
SCORM_LESSON = "Spot the Phish"
# Learner (full name): what their package committed — its CMI (SCORM 2004) as the runtime posts it.
SCORM_STORIES = {
	"Priya Nair": {
		"completion_status": "completed",
		"success_status": "passed",
		"score": {"raw": "3", "min": "0", "max": "3", "scaled": "1"},
		"session_time": "PT6M40S",
		"location": "6",
		"suspend_data": '{"answers": {"q1": "b", "q2": "a", "q3": "c"}}',
	},
	"Kenji Sato": {
		"completion_status": "completed",
		"success_status": "failed",
		"score": {"raw": "1", "min": "0", "max": "3", "scaled": "0.33"},
		"session_time": "PT4M12S",
		"location": "0",
		"suspend_data": '{"answers": {}}',
	},
	"Olivia Smith": {
		"completion_status": "incomplete",
		"success_status": "unknown",
		"session_time": "PT2M5S",
		"location": "3",
		"suspend_data": '{"answers": {}}',
	},
}


def add_scorm_course(users: dict[str, str], moderator: str) -> str:
	"""The course with its package, assigned to the SCORM_STORIES learners (`users`: full name -> user) by
	the Moderator, and each story played. Returns the course's name."""
	course = frappe.get_doc(
		{
			"doctype": COURSE,
			"title": COURSE_TITLE,
			"published": 1,
			"short_introduction": "Spot a phishing email before it spots you: a SCORM module of five minutes.",
			"description": "<p>An interactive SCORM 2004 module: five tips, then three questions.</p>",
			"lessons": [
				{
					"title": "Before you start",
					"content": "<p>The next lesson is an interactive module. It saves your place as you go: "
					"you may stop and come back.</p>",
				},
				{
					"title": SCORM_LESSON,
					"content": "<p>Work through the module, then answer its questions.</p>",
				},
			],
		}
	).insert(ignore_permissions=True)  # demo set-up, run by Administrator
	package = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "spot-the-phish.zip",
			"content": build_demo_package(),
			"is_private": 1,
			"attached_to_doctype": COURSE,
			"attached_to_name": course.name,
			"attached_to_field": "scorm_package",
		}
	).insert(ignore_permissions=True)
	course.lessons[1].scorm_package = package.file_url
	course.save(ignore_permissions=True)  # unpacks the package

	learners = [users[name] for name in SCORM_STORIES]
	with as_user(moderator):
		create_assignments([course.name], learners, add_days(today(), 21))
	lesson = course.lessons[1].name
	for name, cmi in SCORM_STORIES.items():
		finish_lessons(users[name], course.name, 1)  # Before you start
		with as_user(users[name]):
			commit(course=course.name, lesson=lesson, cmi=json.dumps(cmi), session="demo", elapsed=60)
	return course.name
