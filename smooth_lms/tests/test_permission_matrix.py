"""Who may call what, over real HTTP: every role against every endpoint of the app, as one table.

Each cell of MATRIX is one request, from a login session of a user holding exactly that role, to the
test command's multi-worker server. The answer's status must be the table's; an allowed write must be
there afterwards; a refusal must leave every table a request could touch as it was (write_marks: rows
and latest change of the app's tables, their Versions and Comments, Has Role, Email Queue, User,
DefaultValue).

The expected outcomes come from the DocTypes' permissions (lms/doctype/*/*.json), the row rules
(lms/permissions.py: learners see their own rows, drafts only their editors), the guards of the
whitelisted methods (lms/roles.py: ASSIGNERS, TRAINING_VIEWERS, COURSE_EDITORS), the report's roles
and SPEC.md. Where ownership decides, "own" is a row whose learner (employee / member) is the caller and
"other's" a colleague's; Guest owns nothing, so its "own" cells use the colleague's row.
"""

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import frappe
import requests
from frappe.utils import add_days, flt, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.groups import _save_status as save_job_status
from smooth_lms.lms.certificates import revoke_certificate
from smooth_lms.lms.doctypes import (
	ACKNOWLEDGEMENT,
	ATTEMPT_GRANT,
	CERTIFICATE,
	QUESTION,
	QUESTION_OPTION,
	QUIZ,
	QUIZ_ATTEMPT,
	QUIZ_SUBMISSION,
	SCORM_ATTEMPT,
)
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.notifications.manager_digest import DIGEST_OPT_IN
from smooth_lms.lms.quiz import acknowledge, start_quiz, submit_quiz
from smooth_lms.lms.quiz.acknowledgements import full_name
from smooth_lms.lms.scorm import commit as scorm_commit
from smooth_lms.tests.factories import (
	as_user,
	complete_lessons,
	make_employee,
	make_question,
	make_quiz,
	right_answers,
	set_lesson,
	stored_settings,
	unique,
	wrong_answers,
)
from smooth_lms.tests.http import (
	RestCase,
	app_doctypes,
	base_url,
	changed_marks,
	login,
	server_messages,
	whitelisted_methods,
	write_marks,
)
from smooth_lms.tests.scorm_packages import attach_package, build_package

ROLES = (
	"Guest",
	"System User",  # a desk user (user_type System User) left without any role
	"Website User",  # a portal user without any role
	"LMS Student",
	"Course Creator",
	"HR Manager",
	"Moderator",
	"System Manager",
)

# 202 is Frappe's answer to a DELETE that happened.
# fmt: off
MATRIX = {
	#                                                        Guest SysU  WebU  Stud  Crea  HR    Mod   SysM
	# --- whitelisted methods: /api/method/smooth_lms.lms.<module>.<method>
	"POST assign_mandatory_training":                        (403,  403,  403,  403,  403,  403,  200,  200),
	"GET  get_my_training_assignments":                      (403,  200,  200,  200,  200,  200,  200,  200),
	"GET  get_team_training_status":                         (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  get_compliance_counts":                            (403,  403,  403,  403,  403,  200,  200,  200),
	"POST mark_lesson_complete, own enrollment":             (403,  200,  200,  200,  200,  200,  200,  200),
	"POST mark_lesson_complete, not enrolled":               (403,  403,  403,  403,  403,  403,  403,  403),
	"POST enrol_self, open course":                          (403,  200,  200,  200,  200,  200,  200,  200),
	"POST enrol_self, draft course":                         (403,  404,  404,  404,  417,  404,  417,  417),
	"POST enrol_self, self-learning disabled":               (403,  403,  403,  403,  403,  403,  403,  403),
	"POST assign_training_to_group":                         (403,  403,  403,  403,  403,  403,  200,  200),
	"GET  get_group_assignment, own job":                    (403,  403,  403,  403,  403,  403,  200,  200),
	"GET  get_group_assignment, other's job":                (403,  403,  403,  403,  403,  403,  404,  404),
	"POST extend_due_date":                                  (403,  403,  403,  403,  403,  200,  200,  200),
	"POST record_external_completion":                       (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  get_group_values":                                 (403,  403,  403,  403,  403,  403,  200,  200),
	"GET  expiring_soon_trainings":                          (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  expired_trainings":                                (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  assigned_trainings":                               (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  completed_trainings":                              (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  overdue_trainings":                                (403,  403,  403,  403,  403,  200,  200,  200),
	# --- issue 13: certificates anyone checks, HR revokes; versions; the proof pack (unknown ids: 404
	# once the caller is let in)
	"GET  verify_certificate, unknown code":                 (404,  404,  404,  404,  404,  404,  404,  404),
	"POST revoke_certificate, unknown code":                 (403,  403,  403,  403,  403,  404,  403,  404),
	"POST publish_new_version, unknown course":              (403,  403,  403,  403,  403,  403,  404,  404),
	"GET  preview_new_version, unknown course":              (403,  403,  403,  403,  403,  403,  404,  404),
	"POST request_proof_pack, unknown employee":             (403,  403,  403,  403,  403,  404,  404,  404),
	"GET  get_proof_pack, unknown job":                      (403,  403,  403,  403,  403,  404,  404,  404),
	"GET  verify_certificate, a learner's code":             (200,  200,  200,  200,  200,  200,  200,  200),
	"POST revoke_certificate, own certificate":              (403,  403,  403,  403,  403,  200,  403,  200),
	"POST revoke_certificate, other's certificate":          (403,  403,  403,  403,  403,  200,  403,  200),
	# /api/resource/LMS Certificate: proof (a learner reads their own; HR Manager, Moderator and System
	# Manager all); created only by the app, edited (un-revoked too) and deleted by nobody
	"GET  LMS Certificate list":                             (403,  403,  403,  200,  403,  200,  200,  200),
	"GET  LMS Certificate <own>":                            (403,  403,  403,  200,  403,  200,  200,  200),
	"GET  LMS Certificate <other's>":                        (403,  403,  403,  403,  403,  200,  200,  200),
	"POST LMS Certificate":                                  (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS Certificate <own>":                            (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS Certificate <other's>":                        (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS Certificate <other's> un-revoked":             (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS Certificate <own>":                            (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS Certificate <other's>":                        (403,  403,  403,  403,  403,  403,  403,  403),
	"GET  download_certificate, own completed assignment":   (403,  200,  200,  200,  200,  200,  200,  200),
	"GET  download_certificate, other's completed one":      (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  get_my_team_training":                             (403,  200,  200,  200,  200,  200,  200,  200),
	"POST set_overdue_digest, off":                          (403,  200,  200,  200,  200,  200,  200,  200),
	"POST set_overdue_digest, on (HR has not allowed it)":   (403,  417,  417,  417,  417,  417,  417,  417),
	# --- quizzes and acknowledgements: /api/method/smooth_lms.lms.quiz.<method> (Guest owns nothing)
	"POST start_quiz, own enrollment":                       (403,  200,  200,  200,  200,  200,  200,  200),
	"POST start_quiz, not enrolled":                         (403,  403,  403,  403,  403,  403,  403,  403),
	"POST submit_quiz, own attempt":                         (403,  200,  200,  200,  200,  200,  200,  200),
	"POST submit_quiz, other's attempt":                     (403,  404,  404,  404,  404,  404,  404,  404),
	"POST acknowledge, own enrollment":                      (403,  200,  200,  200,  200,  200,  200,  200),
	"POST acknowledge, not enrolled":                        (403,  403,  403,  403,  403,  403,  403,  403),
	"POST grant_attempts":                                   (403,  403,  403,  403,  403,  200,  200,  200),
	# --- the reports, through Frappe's report runner
	"GET  query_report.run Mandatory Training Compliance":   (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  query_report.run Compliance Matrix":               (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  query_report.run Training History":                (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  query_report.run Training Assignment Status":      (403,  403,  403,  403,  403,  200,  200,  200),
	# Quiz Item Analysis: those who write quizzes (LMS Quiz's write permission), not HR, not learners
	"GET  query_report.run Quiz Item Analysis":              (403,  403,  403,  403,  200,  403,  200,  200),
	# --- portal pages
	"GET  /lms":                                             (200,  200,  200,  200,  200,  200,  200,  200),
	"GET  /lms/courses":                                     (200,  200,  200,  200,  200,  200,  200,  200),
	"GET  /lms/courses/<published>":                         (200,  200,  200,  200,  200,  200,  200,  200),
	"GET  /lms/courses/<draft>":                             (404,  404,  404,  404,  404,  404,  404,  404),
	"GET  /lms/statistics":                                  (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  /lms/my-team":                                     (200,  200,  200,  200,  200,  200,  200,  200),
	# --- /api/resource/LMS Course
	"GET  LMS Course list":                                  (403,  200,  200,  200,  200,  200,  200,  200),
	"GET  LMS Course <published>":                           (403,  200,  200,  200,  200,  200,  200,  200),
	"GET  LMS Course <draft>":                               (403,  403,  403,  403,  200,  403,  200,  200),
	"POST LMS Course":                                       (403,  403,  403,  403,  200,  403,  200,  200),
	"PUT  LMS Course <course>":                              (403,  403,  403,  403,  200,  403,  200,  200),
	"DEL  LMS Course <course>":                              (403,  403,  403,  403,  202,  403,  202,  202),
	# --- /api/resource/LMS Enrollment
	"GET  LMS Enrollment list":                              (403,  403,  403,  200,  200,  200,  200,  200),
	"GET  LMS Enrollment <own>":                             (403,  403,  403,  200,  200,  200,  200,  200),
	"GET  LMS Enrollment <other's>":                         (403,  403,  403,  403,  200,  200,  200,  200),
	"POST LMS Enrollment":                                   (403,  403,  403,  403,  403,  403,  200,  200),
	"PUT  LMS Enrollment <own>":                             (403,  403,  403,  403,  403,  403,  200,  200),
	"PUT  LMS Enrollment <other's>":                         (403,  403,  403,  403,  403,  403,  200,  200),
	"DEL  LMS Enrollment <own>":                             (403,  403,  403,  403,  403,  403,  202,  202),
	"DEL  LMS Enrollment <other's>":                         (403,  403,  403,  403,  403,  403,  202,  202),
	# --- /api/resource/LMS Course Progress (no DocPerm for HR Manager or Course Creator)
	"GET  LMS Course Progress list":                         (403,  403,  403,  200,  403,  403,  200,  200),
	"GET  LMS Course Progress <own>":                        (403,  403,  403,  200,  403,  403,  200,  200),
	"GET  LMS Course Progress <other's>":                    (403,  403,  403,  403,  403,  403,  200,  200),
	"POST LMS Course Progress":                              (403,  403,  403,  403,  403,  403,  200,  200),
	"PUT  LMS Course Progress <own>":                        (403,  403,  403,  403,  403,  403,  200,  200),
	"PUT  LMS Course Progress <other's>":                    (403,  403,  403,  403,  403,  403,  200,  200),
	"DEL  LMS Course Progress <own>":                        (403,  403,  403,  403,  403,  403,  202,  202),
	"DEL  LMS Course Progress <other's>":                    (403,  403,  403,  403,  403,  403,  202,  202),
	# --- /api/resource/LMS Training Assignment
	"GET  LMS Training Assignment list":                     (403,  403,  403,  200,  403,  200,  200,  200),
	"GET  LMS Training Assignment <own>":                    (403,  403,  403,  200,  403,  200,  200,  200),
	"GET  LMS Training Assignment <other's>":                (403,  403,  403,  403,  403,  200,  200,  200),
	"POST LMS Training Assignment":                          (403,  403,  403,  403,  403,  403,  200,  200),
	"PUT  LMS Training Assignment <own>":                    (403,  403,  403,  403,  403,  200,  200,  200),
	"PUT  LMS Training Assignment <other's>":                (403,  403,  403,  403,  403,  200,  200,  200),
	"PUT  LMS Training Assignment <other's> due date":       (403,  403,  403,  403,  403,  417,  417,  417),
	"DEL  LMS Training Assignment <own>":                    (403,  403,  403,  403,  403,  403,  202,  202),
	"DEL  LMS Training Assignment <other's>":                (403,  403,  403,  403,  403,  403,  202,  202),
	# --- /api/resource/LMS Settings (a single)
	"GET  LMS Settings":                                     (403,  403,  403,  403,  403,  200,  200,  200),
	"PUT  LMS Settings":                                     (403,  403,  403,  403,  403,  403,  200,  200),
	# --- /api/resource/LMS Onboarding Training (kept by the onboarding hook: nobody creates or edits one)
	"GET  LMS Onboarding Training list":                     (403,  403,  403,  403,  403,  200,  200,  200),
	"GET  LMS Onboarding Training <row>":                    (403,  403,  403,  403,  403,  200,  200,  200),
	"POST LMS Onboarding Training":                          (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS Onboarding Training <row>":                    (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS Onboarding Training <row>":                    (403,  403,  403,  403,  403,  403,  403,  202),
	# --- /api/resource/LMS Question and LMS Quiz: their authors' (a learner never reads a question). HR reads
	# the quizzes (a submission's quiz link, a filter by quiz), never the question bank: HR Managers take the
	# courses too, and which option is correct leaves the server only inside a scored submission
	"GET  LMS Question list":                                (403,  403,  403,  403,  200,  403,  200,  200),
	"GET  LMS Question <question>":                          (403,  403,  403,  403,  200,  403,  200,  200),
	"POST LMS Question":                                     (403,  403,  403,  403,  200,  403,  200,  200),
	"PUT  LMS Question <question>":                          (403,  403,  403,  403,  200,  403,  200,  200),
	"DEL  LMS Question <question>":                          (403,  403,  403,  403,  202,  403,  202,  202),
	"GET  LMS Quiz list":                                    (403,  403,  403,  403,  200,  200,  200,  200),
	"GET  LMS Quiz <quiz>":                                  (403,  403,  403,  403,  200,  200,  200,  200),
	"POST LMS Quiz":                                         (403,  403,  403,  403,  200,  403,  200,  200),
	"PUT  LMS Quiz <quiz>":                                  (403,  403,  403,  403,  200,  403,  200,  200),
	"DEL  LMS Quiz <quiz>":                                  (403,  403,  403,  403,  202,  403,  202,  202),
	# --- /api/resource/LMS Quiz Attempt: the answers drawn (System Manager and Moderator read; nobody writes)
	"GET  LMS Quiz Attempt list":                            (403,  403,  403,  403,  403,  403,  200,  200),
	"GET  LMS Quiz Attempt <own>":                           (403,  403,  403,  403,  403,  403,  200,  200),
	"GET  LMS Quiz Attempt <other's>":                       (403,  403,  403,  403,  403,  403,  200,  200),
	"POST LMS Quiz Attempt":                                 (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS Quiz Attempt <own>":                           (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS Quiz Attempt <other's>":                       (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS Quiz Attempt <own>":                           (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS Quiz Attempt <other's>":                       (403,  403,  403,  403,  403,  403,  403,  403),
	# --- /api/resource/LMS Quiz Submission and LMS Acknowledgement: proof (a learner reads their own, HR all)
	"GET  LMS Quiz Submission list":                         (403,  403,  403,  200,  403,  200,  200,  200),
	"GET  LMS Quiz Submission <own>":                        (403,  403,  403,  200,  403,  200,  200,  200),
	"GET  LMS Quiz Submission <other's>":                    (403,  403,  403,  403,  403,  200,  200,  200),
	"POST LMS Quiz Submission":                              (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS Quiz Submission <own>":                        (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS Quiz Submission <other's>":                    (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS Quiz Submission <own>":                        (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS Quiz Submission <other's>":                    (403,  403,  403,  403,  403,  403,  403,  403),
	"GET  LMS Acknowledgement list":                         (403,  403,  403,  200,  403,  200,  200,  200),
	"GET  LMS Acknowledgement <own>":                        (403,  403,  403,  200,  403,  200,  200,  200),
	"GET  LMS Acknowledgement <other's>":                    (403,  403,  403,  403,  403,  200,  200,  200),
	"POST LMS Acknowledgement":                              (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS Acknowledgement <own>":                        (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS Acknowledgement <other's>":                    (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS Acknowledgement <own>":                        (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS Acknowledgement <other's>":                    (403,  403,  403,  403,  403,  403,  403,  403),
	# --- SCORM: the lesson page's commit (smooth_lms.lms.scorm.commit); attempts read as proof is
	"POST commit (SCORM), own enrollment":                   (403,  200,  200,  200,  200,  200,  200,  200),
	"POST commit (SCORM), not enrolled":                     (403,  403,  403,  403,  403,  403,  403,  403),
	"GET  LMS SCORM Attempt list":                           (403,  403,  403,  200,  403,  200,  200,  200),
	"GET  LMS SCORM Attempt <own>":                          (403,  403,  403,  200,  403,  200,  200,  200),
	"GET  LMS SCORM Attempt <other's>":                      (403,  403,  403,  403,  403,  200,  200,  200),
	"POST LMS SCORM Attempt":                                (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS SCORM Attempt <own>":                          (403,  403,  403,  403,  403,  403,  403,  403),
	"PUT  LMS SCORM Attempt <other's>":                      (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS SCORM Attempt <own>":                          (403,  403,  403,  403,  403,  403,  403,  403),
	"DEL  LMS SCORM Attempt <other's>":                      (403,  403,  403,  403,  403,  403,  403,  403),
}
# fmt: on

METHOD = "/api/method/smooth_lms.lms."
SCORM_CMI = '{"core": {"lesson_status": "incomplete", "lesson_location": "p2"}}'
REPORT = "Mandatory Training Compliance"
COURSE, ENROLLMENT, PROGRESS = "LMS Course", "LMS Enrollment", "LMS Course Progress"
ASSIGNMENT, SETTINGS, TRACKER = "LMS Training Assignment", "LMS Settings", "LMS Onboarding Training"


def resource(doctype: str, name: str | None = None) -> str:
	path = f"/api/resource/{quote(doctype)}"
	return f"{path}/{quote(name, safe='')}" if name else path


def expected(column: str, role: str) -> int:
	return MATRIX[column][ROLES.index(role)]


@dataclass
class Call:
	"""One cell's request, and what an allowed answer must have done (`effect`, read after the call)."""

	verb: str
	path: str
	params: dict | None = None
	json: dict | None = None
	effect: Callable[[requests.Response], bool] | None = None


PROBES: dict[str, Callable[["TestPermissionMatrix", str, str | None], Call]] = {}


def probe(column: str):
	def register(build):
		PROBES[column] = build
		return build

	return register


def data(response: requests.Response):
	return response.json().get("data")


def message(response: requests.Response):
	return response.json().get("message")


def names_listed(response: requests.Response, field: str = "name") -> set[str]:
	return {row[field] for row in data(response)}


def same(stored, sent) -> bool:
	"""A stored value is what was sent (10.0 for 10, a date for its ISO text)."""
	return str(stored) == str(sent) or (isinstance(sent, int) and flt(stored) == sent)


def exists(doctype: str, filters) -> bool:
	return bool(frappe.db.exists(doctype, filters))


class TestPermissionMatrix(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.restore_settings = stored_settings()
		# Nothing in this test emails anybody: the queue's count is one of the marks.
		frappe.db.set_single_value(SETTINGS, {"send_assignment_emails": 0, "allow_manager_digests": 0})
		cls.callers = {role: cls.user(role) for role in ROLES[3:]}
		cls.callers["System User"] = cls.user()
		frappe.db.set_value("User", cls.callers["System User"], "user_type", "System User")
		cls.callers["Website User"] = cls.user()
		cls.callers["Guest"] = None
		cls.colleague = cls.user("LMS Student")  # the "other's" rows are theirs
		cls.department = unique("Matrix Dept")
		# The colleague is in a department of their own (the group a sweep assigns to) and reports to the
		# LMS Student caller (the team a manager sees).
		cls.manager = cls.callers["LMS Student"]
		manager_employee = make_employee(cls.manager, department=unique("Matrix Managers"))
		colleague_employee = make_employee(cls.colleague, department=cls.department)
		frappe.db.set_value("Employee", colleague_employee, "reports_to", manager_employee)

		cls.published = cls.course(lessons=3)
		cls.draft = cls.course(published=0)
		cls.closed = cls.course(disable_self_learning=1)
		cls.elsewhere = cls.course(lessons=1)  # nobody is enrolled in it
		cls.open_course = cls.course(lessons=1)  # for self-enrolment
		cls.lessons = [lesson.name for lesson in course_lessons(cls.published)]
		learners = [cls.colleague, *(user for user in cls.callers.values() if user)]
		create_assignments([cls.published], learners, add_days(today(), 20))
		cls.own = {user: cls.rows_of(user) for user in learners}
		cls.tracker = cls.tracker_row()
		cls.quiz_records(learners)
		cls.scorm_records(learners)
		cls.posted_titles: list[str] = []
		cls.files: list[str] = []
		frappe.db.commit()
		cls.pin_roles()
		cls.sessions = {role: login(user) for role, user in cls.callers.items()}
		cls.certificate_records(learners)  # each cell commits and pins the roles again

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		cls.courses += frappe.get_all(COURSE, {"title": ("in", cls.posted_titles or ["-"])}, pluck="name")
		frappe.db.delete(TRACKER, {"onboarding": ("like", "matrix-%")})
		frappe.db.delete(TRACKER, {"onboarding": cls.colleague})
		for file in cls.files:
			frappe.delete_doc("File", file, force=True, ignore_permissions=True)
		cls.restore_settings()
		frappe.db.delete("DefaultValue", {"parent": ("in", cls.users or ["-"]), "defkey": DIGEST_OPT_IN})
		frappe.db.delete(ATTEMPT_GRANT, {"parent": cls.graded})
		for table, field in ((QUESTION_OPTION, "parent"), (QUESTION, "name")):
			frappe.db.delete(table, {field: ("in", cls.questions or ["-"])})  # unused now (quizzes go after)
		frappe.db.commit()
		super().tearDownClass()

	# --- fixtures --------------------------------------------------------------------------------

	@classmethod
	def rows_of(cls, user: str) -> dict[str, str]:
		"""The user's enrollment, assignment and completion of the first lesson, in the published course."""
		progress = frappe.get_doc(
			{
				"doctype": PROGRESS,
				"member": user,
				"course": cls.published,
				"lesson": cls.lessons[0],
				"lesson_title": "Lesson 1",
			}
		).insert(ignore_permissions=True)
		filters = {"course": cls.published}
		return {
			ENROLLMENT: frappe.db.get_value(ENROLLMENT, {**filters, "member": user}),
			ASSIGNMENT: frappe.db.get_value(ASSIGNMENT, {**filters, "employee": user}),
			PROGRESS: progress.name,
		}

	@classmethod
	def tracker_row(cls) -> str:
		doc = frappe.get_doc(
			{
				"doctype": TRACKER,
				"onboarding_doctype": "Employee Onboarding",
				"onboarding": unique("matrix"),
				"state": "Assigned",
				"user": cls.colleague,
			}
		)
		doc.db_insert()  # as the onboarding hook keeps it; nobody may type one in
		return doc.name

	@classmethod
	def pin_roles(cls):
		"""Each caller holds exactly their row's role again: enrolling someone grants LMS Student."""
		for role, user in cls.callers.items():
			if not user:
				continue
			keep = [role] if role in ROLES[3:] else ["-"]
			frappe.db.delete("Has Role", {"parenttype": "User", "parent": user, "role": ("not in", keep)})
		frappe.db.commit()
		for user in cls.callers.values():
			if user:
				frappe.cache.hdel("roles", user)

	@classmethod
	def quiz_records(cls, learners: list[str]):
		"""A course whose lesson 1 is a quiz to start, lesson 2 one to submit, lesson 3 a statement to
		acknowledge, and a quiz of 1 attempt (HR grants more); the same quiz and statement in a course
		nobody is enrolled in. Each learner has failed the quiz of lesson 2 once (their attempt and
		submission) and acknowledged lesson 3; the colleague has an attempt open."""
		cls.questions = []
		cls.quiz_course = cls.course(lessons=3)
		cls.quiz_elsewhere = cls.course(lessons=2)
		create_assignments([cls.quiz_course], learners, add_days(today(), 20))
		cls.quiz_to_start = make_quiz(cls.quiz_course, cls.new_questions(2), lesson=1)
		cls.quiz_to_submit = make_quiz(cls.quiz_course, cls.new_questions(2), lesson=2)
		cls.limited_quiz = make_quiz(cls.quiz_course, cls.new_questions(1), lesson=None, max_attempts=1)
		cls.statement = set_lesson(cls.quiz_course, 3, acknowledgement="I have read it.")
		make_quiz(cls.quiz_elsewhere, cls.new_questions(2), lesson=1)
		cls.quiz_not_enrolled = frappe.db.get_value(QUIZ, {"course": cls.quiz_elsewhere})
		cls.statement_elsewhere = set_lesson(cls.quiz_elsewhere, 2, acknowledgement="I have read it.")
		cls.graded = frappe.db.get_value(ASSIGNMENT, {"employee": cls.colleague, "course": cls.quiz_course})
		cls.proof = {}
		for learner in learners:
			attempt = as_user(learner, start_quiz, cls.quiz_to_submit)["attempt"]
			failed = as_user(learner, submit_quiz, attempt, wrong_answers(attempt))["submission"]
			signed = as_user(learner, acknowledge, cls.quiz_course, cls.statement, full_name(learner))
			cls.proof[learner] = {
				QUIZ_ATTEMPT: attempt,
				QUIZ_SUBMISSION: failed,
				ACKNOWLEDGEMENT: signed["acknowledgement"],
			}
		cls.open_attempt = as_user(cls.colleague, start_quiz, cls.quiz_to_submit)["attempt"]

	@classmethod
	def scorm_records(cls, learners: list[str]):
		"""A course whose lesson is a SCORM package, each learner with an attempt (one commit); the same
		package in a course nobody is enrolled in."""
		cls.scorm_course = cls.course(lessons=1)
		cls.scorm_lesson = attach_package(cls.scorm_course, 1, build_package("1.2"))
		cls.scorm_elsewhere = cls.course(lessons=1)
		cls.scorm_lesson_elsewhere = attach_package(cls.scorm_elsewhere, 1, build_package("1.2"))
		create_assignments([cls.scorm_course], learners, add_days(today(), 20))
		for learner in learners:
			done = as_user(learner, scorm_commit, cls.scorm_course, cls.scorm_lesson, SCORM_CMI, "matrix")
			cls.proof[learner][SCORM_ATTEMPT] = done["attempt"]

	@classmethod
	def certificate_records(cls, learners: list[str]):
		"""Each learner's certificate of a course they completed (cls.proof beside their quiz's proof)."""
		course = cls.course(lessons=1)
		create_assignments([course], learners, add_days(today(), 20))
		for learner in learners:
			complete_lessons(learner, course, 1)
			assignment = frappe.db.get_value(ASSIGNMENT, {"employee": learner, "course": course})
			cls.proof[learner][CERTIFICATE] = frappe.db.get_value(CERTIFICATE, {"assignment": assignment})
		frappe.db.commit()

	@classmethod
	def new_questions(cls, count: int) -> list[str]:
		made = [make_question() for _ in range(count)]
		cls.questions += made
		return made

	def learner(self, caller: str | None) -> str:
		"""Whose "own" row a caller gets: theirs, or the colleague's for Guest."""
		return caller or self.colleague

	def fresh_enrollment(self, member: str) -> str:
		doc = frappe.get_doc({"doctype": ENROLLMENT, "member": member, "course": self.course(lessons=0)})
		return doc.insert(ignore_permissions=True).name

	def fresh_progress(self, member: str) -> str:
		course = self.course(lessons=1)
		doc = frappe.get_doc(
			{
				"doctype": PROGRESS,
				"member": member,
				"course": course,
				"lesson": course_lessons(course)[0].name,
				"lesson_title": "Lesson 1",
			}
		)
		return doc.insert(ignore_permissions=True).name

	def fresh_assignment(self, employee: str, course: str | None = None) -> str:
		course = course or self.course(lessons=1)
		(name,) = create_assignments([course], [employee], add_days(today(), 20)).created
		return name

	def fresh_row(self, doctype: str, learner: str) -> str:
		"""A new row of the learner's, for a cell that deletes one."""
		make = {
			ENROLLMENT: self.fresh_enrollment,
			PROGRESS: self.fresh_progress,
			ASSIGNMENT: self.fresh_assignment,
		}
		return make[doctype](learner)

	# --- the test ----------------------------------------------------------------------------------

	def test_the_table_covers_every_whitelisted_method_and_app_doctype(self):
		columns = " ".join(MATRIX)
		for method in whitelisted_methods():
			name = method.rsplit(".", 1)[-1]
			self.assertIn(name, columns, f"{method} is whitelisted but has no column in MATRIX")
		for doctype in app_doctypes():
			self.assertIn(f" {doctype} ", columns, f"DocType {doctype} has no column in MATRIX")
		for report in frappe.get_all("Report", {"module": "LMS"}, pluck="name"):
			self.assertIn(f"query_report.run {report}", columns, f"Report {report} has no column in MATRIX")
		self.assertEqual(set(PROBES), set(MATRIX))

	def test_every_role_against_every_endpoint(self):
		problems, observed = [], {}
		for column in MATRIX:
			for role in ROLES:
				status, problem = self.run_cell(column, role)
				observed[column, role] = status
				if problem:
					problems.append(f"{column} as {role}: {problem}")
		print(
			f"\npermission matrix: {len(ROLES)} roles x {len(MATRIX)} endpoints = {len(observed)} cells; "
			f"answers {dict(sorted(Counter(observed.values()).items()))}"
		)
		self.assertEqual(problems, [], "\n" + "\n".join(problems))

	def run_cell(self, column: str, role: str) -> tuple[int, str | None]:
		want = expected(column, role)
		call = PROBES[column](self, role, self.callers[role])
		frappe.db.commit()
		self.pin_roles()
		before = write_marks()
		response = self.sessions[role].request(
			call.verb, base_url() + call.path, params=call.params, json=call.json, timeout=120
		)
		after = write_marks()
		status = response.status_code
		if status != want:
			said = "; ".join(server_messages(response))[:300] or response.text[:300]
			return status, f"answered {status}, expected {want}: {said}"
		if want >= 400:
			written = changed_marks(before, after)
			return status, f"refused ({status}) yet wrote {written}" if written else None
		if call.effect and not call.effect(response):
			return status, f"allowed ({status}) but did not do it: {response.text[:300]}"
		return status, None


@probe("POST assign_mandatory_training")
def _assign(case, role, caller):
	course = case.course(lessons=1)
	return Call(
		"POST",
		METHOD + "hrms_integration.assign_mandatory_training",
		json={"course": course, "employees": [case.colleague], "due_date": str(add_days(today(), 10))},
		effect=lambda r: message(r) == 1
		and exists(ASSIGNMENT, {"employee": case.colleague, "course": course}),
	)


@probe("GET  get_my_training_assignments")
def _my_training(case, role, caller):
	def own_rows_only(response):
		mine = set(frappe.get_all(ASSIGNMENT, {"employee": caller}, pluck="name"))
		return bool(mine) and {row["name"] for row in message(response)} == mine

	return Call("GET", METHOD + "hrms_integration.get_my_training_assignments", effect=own_rows_only)


@probe("GET  get_team_training_status")
def _team_status(case, role, caller):
	colleague_row = case.own[case.colleague][ASSIGNMENT]
	return Call(
		"GET",
		METHOD + "hrms_integration.get_team_training_status",
		params={"course": case.published},
		effect=lambda r: colleague_row in {row["assignment"] for row in message(r)["rows"]},
	)


@probe("GET  get_compliance_counts")
def _compliance(case, role, caller):
	return Call(
		"GET",
		METHOD + "reporting.counts.get_compliance_counts",
		params={"course": case.published},
		effect=lambda r: message(r)["assigned"] == len(case.own),
	)


@probe("POST mark_lesson_complete, own enrollment")
def _complete_own(case, role, caller):
	lesson = case.lessons[1]
	return Call(
		"POST",
		METHOD + "learning.progress.mark_lesson_complete",
		json={"course": case.published, "lesson": lesson},
		effect=lambda r: exists(PROGRESS, {"member": caller, "lesson": lesson})
		and message(r)["progress"] > 0,
	)


@probe("POST mark_lesson_complete, not enrolled")
def _complete_elsewhere(case, role, caller):
	lesson = course_lessons(case.elsewhere)[0].name
	return Call(
		"POST",
		METHOD + "learning.progress.mark_lesson_complete",
		json={"course": case.elsewhere, "lesson": lesson},
	)


@probe("POST enrol_self, open course")
def _enrol_open(case, role, caller):
	return Call(
		"POST",
		METHOD + "portal.catalogue.enrol_self",
		json={"course": case.open_course},
		effect=lambda r: message(r)["created"]
		and exists(ENROLLMENT, {"member": caller, "course": case.open_course}),
	)


@probe("POST enrol_self, draft course")
def _enrol_draft(case, role, caller):
	return Call("POST", METHOD + "portal.catalogue.enrol_self", json={"course": case.draft})


@probe("POST enrol_self, self-learning disabled")
def _enrol_closed(case, role, caller):
	return Call("POST", METHOD + "portal.catalogue.enrol_self", json={"course": case.closed})


@probe("POST assign_training_to_group")
def _assign_group(case, role, caller):
	course = case.course(lessons=1)
	return Call(
		"POST",
		METHOD + "assignments.groups.assign_training_to_group",
		json={"course": course, "due_date": str(add_days(today(), 10)), "department": case.department},
		effect=lambda r: message(r)["created"] == 1
		and exists(ASSIGNMENT, {"employee": case.colleague, "course": course}),
	)


def queued_job(owner: str) -> str:
	"""A group assignment queued by `owner`, as the job's status stands while it runs."""
	job = frappe.generate_hash(length=16)
	save_job_status(job, {"owner": owner, "total": 600, "done": 0, "finished": False})
	return job


@probe("GET  get_group_assignment, own job")
def _own_job(case, role, caller):
	job = queued_job(case.learner(caller))
	return Call(
		"GET",
		METHOD + "assignments.groups.get_group_assignment",
		params={"job": job},
		effect=lambda r: message(r) == {"total": 600, "done": 0, "finished": False},
	)


@probe("GET  get_group_assignment, other's job")
def _other_job(case, role, caller):
	return Call(
		"GET", METHOD + "assignments.groups.get_group_assignment", params={"job": queued_job(case.colleague)}
	)


@probe("POST extend_due_date")
def _extend_due_date(case, role, caller):
	assignment = case.fresh_assignment(case.colleague)
	due = str(add_days(today(), 60))
	return Call(
		"POST",
		METHOD + "assignments.hr_records.extend_due_date",
		json={"assignment": assignment, "due_date": due, "reason": f"Asked by {role}"},
		effect=lambda r: same(frappe.db.get_value(ASSIGNMENT, assignment, "due_date"), due),
	)


@probe("POST record_external_completion")
def _external_completion(case, role, caller):
	assignment = case.fresh_assignment(case.colleague)
	evidence = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{unique('evidence')}.txt",
			"content": b"signed sheet",
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	# The caller's own upload (someone else's private file is refused as evidence).
	frappe.db.set_value("File", evidence.name, "owner", caller or "Guest", update_modified=False)
	case.files.append(evidence.name)
	body = {"assignment": assignment, "completed_on": today(), "source": "Classroom Session"}
	return Call(
		"POST",
		METHOD + "assignments.hr_records.record_external_completion",
		json={**body, "evidence": evidence.file_url},
		effect=lambda r: frappe.db.get_value(ASSIGNMENT, assignment, "status") == "Completed",
	)


@probe("GET  get_group_values")
def _group_values(case, role, caller):
	return Call(
		"GET",
		METHOD + "assignments.groups.get_group_values",
		params={"field": "department", "txt": case.department},
		effect=lambda r: message(r) == [case.department],
	)


@probe("GET  expiring_soon_trainings")
def _expiring_card(case, role, caller):
	return Call(
		"GET", METHOD + "reporting.cards.expiring_soon_trainings", effect=lambda r: "value" in message(r)
	)


@probe("GET  expired_trainings")
def _expired_card(case, role, caller):
	return Call("GET", METHOD + "reporting.cards.expired_trainings", effect=lambda r: "value" in message(r))


@probe("GET  assigned_trainings")
def _assigned_card(case, role, caller):
	return Call("GET", METHOD + "reporting.cards.assigned_trainings", effect=lambda r: "value" in message(r))


@probe("GET  completed_trainings")
def _completed_card(case, role, caller):
	return Call("GET", METHOD + "reporting.cards.completed_trainings", effect=lambda r: "value" in message(r))


@probe("GET  overdue_trainings")
def _overdue_card(case, role, caller):
	return Call("GET", METHOD + "reporting.cards.overdue_trainings", effect=lambda r: "value" in message(r))


def completed_assignment(case, learner: str) -> str:
	course = case.course(lessons=1)
	name = case.fresh_assignment(learner, course)
	complete_lessons(learner, course, 1)
	return name


def certificate(assignment: str) -> Call:
	return Call(
		"GET",
		METHOD + "certificates.download_certificate",
		params={"assignment": assignment},
		effect=lambda r: r.content.startswith(b"%PDF"),
	)


@probe("GET  download_certificate, own completed assignment")
def _own_certificate(case, role, caller):
	return certificate(completed_assignment(case, case.learner(caller)))


@probe("GET  download_certificate, other's completed one")
def _other_certificate(case, role, caller):
	return certificate(completed_assignment(case, case.colleague))


@probe("GET  get_my_team_training")
def _my_team(case, role, caller):
	# The colleague reports to the LMS Student caller (setUpClass): only that caller sees their row.
	colleague_row = case.own[case.colleague][ASSIGNMENT]

	def team_as_expected(response):
		rows = {row["assignment"] for row in message(response)["rows"]}
		return (colleague_row in rows) == (caller == case.manager)

	return Call("GET", METHOD + "portal.team.get_my_team_training", effect=team_as_expected)


def digest_choice(user: str) -> str | None:
	return frappe.db.get_value("DefaultValue", {"parent": user, "defkey": DIGEST_OPT_IN}, "defvalue")


@probe("POST set_overdue_digest, off")
def _digest_off(case, role, caller):
	return Call(
		"POST",
		METHOD + "notifications.manager_digest.set_overdue_digest",
		json={"enabled": False},
		effect=lambda r: digest_choice(caller) == "0",
	)


@probe("POST set_overdue_digest, on (HR has not allowed it)")
def _digest_on(case, role, caller):
	return Call("POST", METHOD + "notifications.manager_digest.set_overdue_digest", json={"enabled": True})


@probe("GET  query_report.run Mandatory Training Compliance")
def _report(case, role, caller):
	return Call(
		"GET",
		"/api/method/frappe.desk.query_report.run",
		params={
			"report_name": REPORT,
			"filters": json.dumps({"group_by": "Course", "course": case.published}),
		},
		effect=lambda r: message(r)["result"][0]["assigned"] == len(case.own),
	)


def running(report: str) -> Call:
	return Call(
		"GET",
		"/api/method/frappe.desk.query_report.run",
		params={"report_name": report, "filters": "{}"},
		effect=lambda r: isinstance(message(r)["result"], list),
	)


@probe("GET  query_report.run Compliance Matrix")
def _compliance_matrix(case, role, caller):
	return running("Compliance Matrix")


@probe("GET  query_report.run Training History")
def _training_history(case, role, caller):
	return running("Training History")


@probe("GET  query_report.run Training Assignment Status")
def _training_assignment_status(case, role, caller):
	return running("Training Assignment Status")


@probe("GET  query_report.run Quiz Item Analysis")
def _quiz_item_analysis(case, role, caller):
	# The quiz every learner has failed once: a row per question, each answered.
	return Call(
		"GET",
		"/api/method/frappe.desk.query_report.run",
		params={"report_name": "Quiz Item Analysis", "filters": json.dumps({"quiz": case.quiz_to_submit})},
		effect=lambda r: [row["attempts"] > 0 for row in message(r)["result"]] == [True, True],
	)


# --- portal pages ----------------------------------------------------------------------------------


def title_of(course: str) -> str:
	return frappe.db.get_value(COURSE, course, "title")


@probe("GET  /lms")
def _home(case, role, caller):
	return Call("GET", "/lms", effect=lambda r: "My Learning" in r.text)


@probe("GET  /lms/courses")
def _catalogue(case, role, caller):
	return Call(
		"GET",
		"/lms/courses",
		effect=lambda r: title_of(case.published) in r.text and title_of(case.draft) not in r.text,
	)


@probe("GET  /lms/courses/<published>")
def _course_page(case, role, caller):
	return Call("GET", f"/lms/courses/{case.published}", effect=lambda r: title_of(case.published) in r.text)


@probe("GET  /lms/courses/<draft>")
def _draft_page(case, role, caller):
	return Call("GET", f"/lms/courses/{case.draft}")


@probe("GET  /lms/my-team")
def _my_team_page(case, role, caller):
	return Call("GET", "/lms/my-team", effect=lambda r: "My Team" in r.text)


@probe("GET  /lms/statistics")
def _statistics(case, role, caller):
	return Call("GET", "/lms/statistics", effect=lambda r: "Mandatory Training Compliance" in r.text)


# --- /api/resource ---------------------------------------------------------------------------------


def listing(doctype: str, field: str, visible: Callable[[set], bool]) -> Call:
	return Call(
		"GET",
		resource(doctype),
		params={"fields": json.dumps(sorted({"name", field})), "limit_page_length": 0},
		effect=lambda r: visible(names_listed(r, field)),
	)


def reading(doctype: str, name: str) -> Call:
	return Call("GET", resource(doctype, name), effect=lambda r: data(r)["name"] == name)


def creating(doctype: str, body: dict, filters: dict) -> Call:
	return Call("POST", resource(doctype), json=body, effect=lambda r: exists(doctype, filters))


def updating(doctype: str, name: str, field: str, value) -> Call:
	return Call(
		"PUT",
		resource(doctype, name),
		json={field: value},
		effect=lambda r: same(frappe.db.get_value(doctype, name, field), value),
	)


def deleting(doctype: str, name: str) -> Call:
	return Call("DELETE", resource(doctype, name), effect=lambda r: not exists(doctype, name))


def learner_rows(doctype: str, field: str):
	"""The read and delete columns of a DocType whose rows belong to a learner (`field`)."""

	@probe(f"GET  {doctype} list")
	def _list(case, role, caller):
		def visible(learners):
			# Listed rows are exactly the rows this role may open one by one.
			own = expected(f"GET  {doctype} <own>", role) == 200
			other = expected(f"GET  {doctype} <other's>", role) == 200
			return (caller in learners) == own and (case.colleague in learners) == other

		return listing(doctype, field, visible)

	@probe(f"GET  {doctype} <own>")
	def _own(case, role, caller):
		return reading(doctype, case.own[case.learner(caller)][doctype])

	@probe(f"GET  {doctype} <other's>")
	def _other(case, role, caller):
		return reading(doctype, case.own[case.colleague][doctype])

	@probe(f"DEL  {doctype} <own>")
	def _delete_own(case, role, caller):
		return deleting(doctype, case.fresh_row(doctype, case.learner(caller)))

	@probe(f"DEL  {doctype} <other's>")
	def _delete_other(case, role, caller):
		return deleting(doctype, case.fresh_row(doctype, case.colleague))


learner_rows(ENROLLMENT, "member")
learner_rows(PROGRESS, "member")
learner_rows(ASSIGNMENT, "employee")


# Values an allowed update writes: a different one per role, so each write shows.
def per_role(role: str, base: int) -> int:
	return base + ROLES.index(role)


@probe("GET  LMS Course list")
def _course_list(case, role, caller):
	drafts_too = expected("GET  LMS Course <draft>", role) == 200
	return listing(
		COURSE, "name", lambda names: case.published in names and (case.draft in names) == drafts_too
	)


@probe("GET  LMS Course <published>")
def _course_published(case, role, caller):
	return reading(COURSE, case.published)


@probe("GET  LMS Course <draft>")
def _course_draft(case, role, caller):
	return reading(COURSE, case.draft)


@probe("POST LMS Course")
def _course_create(case, role, caller):
	title = unique("Matrix Course")
	case.posted_titles.append(title)
	body = {"title": title, "published": 0, "lessons": [{"title": "Lesson 1", "content": "<p>1</p>"}]}
	return creating(COURSE, body, {"title": title})


@probe("PUT  LMS Course <course>")
def _course_update(case, role, caller):
	return updating(COURSE, case.course(lessons=1), "short_introduction", f"Updated by {role}")


@probe("DEL  LMS Course <course>")
def _course_delete(case, role, caller):
	return deleting(COURSE, case.course(lessons=1))


@probe("POST LMS Enrollment")
def _enrollment_create(case, role, caller):
	course = case.course(lessons=0)
	return creating(ENROLLMENT, {"member": case.colleague, "course": course}, {"course": course})


@probe("PUT  LMS Enrollment <own>")
def _enrollment_update_own(case, role, caller):
	return updating(ENROLLMENT, case.own[case.learner(caller)][ENROLLMENT], "progress", per_role(role, 10))


@probe("PUT  LMS Enrollment <other's>")
def _enrollment_update_other(case, role, caller):
	return updating(ENROLLMENT, case.own[case.colleague][ENROLLMENT], "progress", per_role(role, 10))


@probe("POST LMS Course Progress")
def _progress_create(case, role, caller):
	course = case.course(lessons=1)
	lesson = course_lessons(course)[0].name
	body = {"member": case.colleague, "course": course, "lesson": lesson, "lesson_title": "Lesson 1"}
	return creating(PROGRESS, body, {"lesson": lesson})


@probe("PUT  LMS Course Progress <own>")
def _progress_update_own(case, role, caller):
	return updating(PROGRESS, case.own[case.learner(caller)][PROGRESS], "lesson_title", f"Renamed by {role}")


@probe("PUT  LMS Course Progress <other's>")
def _progress_update_other(case, role, caller):
	return updating(PROGRESS, case.own[case.colleague][PROGRESS], "lesson_title", f"Renamed by {role}")


@probe("POST LMS Training Assignment")
def _assignment_create(case, role, caller):
	course = case.course(lessons=1)
	body = {"employee": case.colleague, "course": course, "due_date": str(add_days(today(), 15))}
	return creating(ASSIGNMENT, body, {"course": course})


@probe("PUT  LMS Training Assignment <own>")
def _assignment_update_own(case, role, caller):
	return updating(ASSIGNMENT, case.own[case.learner(caller)][ASSIGNMENT], "assigned_by", case.colleague)


@probe("PUT  LMS Training Assignment <other's>")
def _assignment_update_other(case, role, caller):
	return updating(ASSIGNMENT, case.own[case.colleague][ASSIGNMENT], "assigned_by", case.colleague)


@probe("PUT  LMS Training Assignment <other's> due date")
def _assignment_due_date(case, role, caller):
	# A saved assignment's due date moves only through extend_due_date, which keeps the reason: 417 for
	# those who may write assignments, 403 for everyone else.
	due = str(add_days(today(), per_role(role, 30)))
	return updating(ASSIGNMENT, case.own[case.colleague][ASSIGNMENT], "due_date", due)


@probe("GET  LMS Settings")
def _settings_read(case, role, caller):
	return Call("GET", resource(SETTINGS, SETTINGS), effect=lambda r: "onboarding_due_days" in data(r))


@probe("PUT  LMS Settings")
def _settings_update(case, role, caller):
	value = per_role(role, 4)
	return Call(
		"PUT",
		resource(SETTINGS, SETTINGS),
		json={"reminder_days_before_due": value},
		effect=lambda r: same(
			frappe.db.get_single_value(SETTINGS, "reminder_days_before_due", cache=False), value
		),
	)


@probe("GET  LMS Onboarding Training list")
def _tracker_list(case, role, caller):
	return listing(TRACKER, "name", lambda names: case.tracker in names)


@probe("GET  LMS Onboarding Training <row>")
def _tracker_read(case, role, caller):
	return reading(TRACKER, case.tracker)


@probe("POST LMS Onboarding Training")
def _tracker_create(case, role, caller):
	# Links that exist: Frappe checks a new document's links before the create permission.
	body = {"onboarding_doctype": "User", "onboarding": case.colleague, "state": "Assigned"}
	return creating(TRACKER, body, {"onboarding": case.colleague})


@probe("PUT  LMS Onboarding Training <row>")
def _tracker_update(case, role, caller):
	return updating(TRACKER, case.tracker, "state", "Cancelled")


@probe("DEL  LMS Onboarding Training <row>")
def _tracker_delete(case, role, caller):
	return deleting(TRACKER, case.tracker_row())


# --- quizzes and acknowledgements --------------------------------------------------------------------


@probe("POST start_quiz, own enrollment")
def _start_quiz(case, role, caller):
	def drawn_for_the_caller(response):
		attempt = message(response)["attempt"]
		return len(message(response)["questions"]) == 2 and exists(
			QUIZ_ATTEMPT, {"name": attempt, "member": caller, "status": "Open"}
		)

	return Call(
		"POST", METHOD + "quiz.start_quiz", json={"quiz": case.quiz_to_start}, effect=drawn_for_the_caller
	)


@probe("POST start_quiz, not enrolled")
def _start_quiz_elsewhere(case, role, caller):
	return Call("POST", METHOD + "quiz.start_quiz", json={"quiz": case.quiz_not_enrolled})


@probe("POST submit_quiz, own attempt")
def _submit_quiz(case, role, caller):
	# The caller's next attempt (their first was failed in setUpClass), drawn as the page draws it.
	attempt = as_user(case.learner(caller), start_quiz, case.quiz_to_submit)["attempt"]
	return Call(
		"POST",
		METHOD + "quiz.submit_quiz",
		json={"attempt": attempt, "answers": right_answers(attempt)},
		effect=lambda r: message(r)["passed"]
		and exists(QUIZ_SUBMISSION, {"quiz_attempt": attempt, "member": caller, "passed": 1}),
	)


@probe("POST submit_quiz, other's attempt")
def _submit_other_quiz(case, role, caller):
	body = {"attempt": case.open_attempt, "answers": right_answers(case.open_attempt)}
	return Call("POST", METHOD + "quiz.submit_quiz", json=body)


@probe("POST acknowledge, own enrollment")
def _acknowledge(case, role, caller):
	learner = case.learner(caller)
	body = {"course": case.quiz_course, "lesson": case.statement, "typed_name": full_name(learner)}
	return Call(
		"POST",
		METHOD + "quiz.acknowledge",
		json=body,
		effect=lambda r: message(r)["acknowledgement"] == case.proof[caller][ACKNOWLEDGEMENT],
	)


@probe("POST acknowledge, not enrolled")
def _acknowledge_elsewhere(case, role, caller):
	learner = case.learner(caller)
	body = {
		"course": case.quiz_elsewhere,
		"lesson": case.statement_elsewhere,
		"typed_name": full_name(learner),
	}
	return Call("POST", METHOD + "quiz.acknowledge", json=body)


@probe("POST grant_attempts")
def _grant_attempts(case, role, caller):
	reason = f"Granted by {role}"
	body = {"assignment": case.graded, "quiz": case.limited_quiz, "extra_attempts": 2, "reason": reason}
	return Call(
		"POST",
		METHOD + "quiz.grant_attempts",
		json=body,
		effect=lambda r: exists(
			ATTEMPT_GRANT, {"parent": case.graded, "reason": reason, "extra_attempts": 2}
		),
	)


def fresh_question(case) -> str:
	return case.new_questions(1)[0]


def question_body(text: str) -> dict:
	options = [{"option": "Yes", "is_correct": 1, "explanation": "Because."}, {"option": "No"}]
	return {"question": f"<p>{text}</p>", "type": "Single Choice", "options": options}


@probe("GET  LMS Question list")
def _question_list(case, role, caller):
	return listing(QUESTION, "name", lambda names: set(case.questions[:2]) <= names)


@probe("GET  LMS Question <question>")
def _question_read(case, role, caller):
	return reading(QUESTION, case.questions[0])


@probe("POST LMS Question")
def _question_create(case, role, caller):
	text = unique("Matrix question")

	def made(response):
		case.questions.append(data(response)["name"])
		return exists(QUESTION, {"question": ("like", f"%{text}%")})

	return Call("POST", resource(QUESTION), json=question_body(text), effect=made)


@probe("PUT  LMS Question <question>")
def _question_update(case, role, caller):
	question, text = fresh_question(case), f"Updated by {role}"
	return Call(
		"PUT",
		resource(QUESTION, question),
		json={"question": f"<p>{text}</p>"},
		effect=lambda r: text in frappe.db.get_value(QUESTION, question, "question"),
	)


@probe("DEL  LMS Question <question>")
def _question_delete(case, role, caller):
	return deleting(QUESTION, fresh_question(case))


def quiz_body(case, title: str) -> dict:
	return {
		"title": title,
		"course": case.quiz_course,
		"passing_percentage": 80,
		"show_answers": "Never",
		"questions": [{"question": case.questions[0], "marks": 1}],
	}


def fresh_quiz(case) -> str:
	return make_quiz(case.quiz_course, [case.questions[0]], lesson=None)


@probe("GET  LMS Quiz list")
def _quiz_list(case, role, caller):
	return listing(QUIZ, "name", lambda names: {case.quiz_to_start, case.quiz_to_submit} <= names)


@probe("GET  LMS Quiz <quiz>")
def _quiz_read(case, role, caller):
	return reading(QUIZ, case.quiz_to_submit)


@probe("POST LMS Quiz")
def _quiz_create(case, role, caller):
	title = unique("Matrix quiz")
	return creating(QUIZ, quiz_body(case, title), {"title": title})


@probe("PUT  LMS Quiz <quiz>")
def _quiz_update(case, role, caller):
	return updating(QUIZ, fresh_quiz(case), "title", f"Renamed by {role}")


@probe("DEL  LMS Quiz <quiz>")
def _quiz_delete(case, role, caller):
	return deleting(QUIZ, fresh_quiz(case))


def proof_rows(doctype: str, creation: Callable, field: str):
	"""The columns of a DocType of proof: read as SPEC says, written and deleted by nobody over REST
	(`creation(case, caller)`: a body of the right shape for a new row)."""

	def row(case, caller, whose):
		return case.proof[case.learner(caller) if whose == "own" else case.colleague][doctype]

	@probe(f"GET  {doctype} list")
	def _list(case, role, caller):
		def visible(learners):
			own = expected(f"GET  {doctype} <own>", role) == 200
			other = expected(f"GET  {doctype} <other's>", role) == 200
			return (caller in learners) == own and (case.colleague in learners) == other

		return listing(doctype, "member", visible)

	@probe(f"POST {doctype}")
	def _create(case, role, caller):
		return Call("POST", resource(doctype), json=creation(case, case.learner(caller)))

	for whose in ("own", "other's"):
		probe(f"GET  {doctype} <{whose}>")(
			lambda case, role, caller, whose=whose: reading(doctype, row(case, caller, whose))
		)
		probe(f"PUT  {doctype} <{whose}>")(
			lambda case, role, caller, whose=whose: updating(doctype, row(case, caller, whose), field, role)
		)
		probe(f"DEL  {doctype} <{whose}>")(
			lambda case, role, caller, whose=whose: deleting(doctype, row(case, caller, whose))
		)


def attempt_body(case, learner: str) -> dict:
	return {"quiz": case.quiz_to_submit, "member": learner, "course": case.quiz_course, "attempt": 9}


def submission_body(case, learner: str) -> dict:
	body = {
		"quiz": case.quiz_to_submit,
		"quiz_title": "Forged",
		"member": learner,
		"course": case.quiz_course,
	}
	return {**body, "attempt": 9, "score": 2, "score_out_of": 2, "percentage": 100, "passed": 1}


def acknowledgement_body(case, learner: str) -> dict:
	return {"member": learner, "course": case.quiz_course, "lesson": case.statement, "typed_name": "Forged"}


proof_rows(QUIZ_SUBMISSION, submission_body, "quiz_title")
proof_rows(ACKNOWLEDGEMENT, acknowledgement_body, "typed_name")
proof_rows(QUIZ_ATTEMPT, attempt_body, "status")


def scorm_attempt_body(case, learner: str) -> dict:
	body = {"member": learner, "course": case.scorm_course, "lesson": case.scorm_lesson, "finished": 1}
	return {**body, "lesson_status": "passed", "attempt_key": unique("forged")}


proof_rows(SCORM_ATTEMPT, scorm_attempt_body, "lesson_status")


@probe("POST commit (SCORM), own enrollment")
def _scorm_commit(case, role, caller):
	body = {
		"course": case.scorm_course,
		"lesson": case.scorm_lesson,
		"cmi": SCORM_CMI,
		"session": role.replace(" ", "-"),
	}
	return Call(
		"POST",
		METHOD + "scorm.commit",
		json=body,
		effect=lambda r: message(r)["attempt"] == case.proof[caller][SCORM_ATTEMPT],
	)


@probe("POST commit (SCORM), not enrolled")
def _scorm_commit_elsewhere(case, role, caller):
	body = {
		"course": case.scorm_elsewhere,
		"lesson": case.scorm_lesson_elsewhere,
		"cmi": SCORM_CMI,
		"session": "x",
	}
	return Call("POST", METHOD + "scorm.commit", json=body)


# --- issue 13 ----------------------------------------------------------------------------------------


@probe("GET  verify_certificate, unknown code")
def _verify_unknown(case, role, caller):
	return Call("GET", METHOD + "certificates.verify_certificate", params={"certificate": "0" * 20})


@probe("POST revoke_certificate, unknown code")
def _revoke_unknown(case, role, caller):
	return Call(
		"POST", METHOD + "certificates.revoke_certificate", json={"certificate": "0" * 20, "reason": "x"}
	)


@probe("POST publish_new_version, unknown course")
def _publish_unknown(case, role, caller):
	return Call(
		"POST", METHOD + "versions.publish_new_version", json={"course": "no-such-course", "version": "9"}
	)


@probe("GET  preview_new_version, unknown course")
def _preview_unknown(case, role, caller):
	return Call("GET", METHOD + "versions.preview_new_version", params={"course": "no-such-course"})


@probe("POST request_proof_pack, unknown employee")
def _pack_unknown(case, role, caller):
	return Call(
		"POST", METHOD + "reporting.proof_pack.request_proof_pack", json={"employee": "nobody@example.com"}
	)


@probe("GET  get_proof_pack, unknown job")
def _pack_job_unknown(case, role, caller):
	return Call("GET", METHOD + "reporting.proof_pack.get_proof_pack", params={"job": "nojob0000000000"})


def fresh_certificate(case, learner: str) -> str:
	"""A new certificate of the learner's (a course completed), for a cell that revokes one."""
	return frappe.db.get_value(CERTIFICATE, {"assignment": completed_assignment(case, learner)})


def revoking(certificate: str) -> Call:
	return Call(
		"POST",
		METHOD + "certificates.revoke_certificate",
		json={"certificate": certificate, "reason": "Issued in error"},
		effect=lambda r: message(r)["status"] == "Revoked"
		and exists(CERTIFICATE, {"name": certificate, "revoked": 1}),
	)


@probe("POST revoke_certificate, own certificate")
def _revoke_own(case, role, caller):
	return revoking(fresh_certificate(case, case.learner(caller)))


@probe("POST revoke_certificate, other's certificate")
def _revoke_other(case, role, caller):
	return revoking(fresh_certificate(case, case.colleague))


@probe("GET  verify_certificate, a learner's code")
def _verify_code(case, role, caller):
	code = case.proof[case.colleague][CERTIFICATE]
	return Call(
		"GET",
		METHOD + "certificates.verify_certificate",
		params={"certificate": code},
		# The facts a stranger may read, and nothing else about the person.
		effect=lambda r: message(r)["certificate"] == code
		and message(r)["status"] == "Valid"
		and case.colleague not in r.text,
	)


@probe("PUT  LMS Certificate <other's> un-revoked")
def _unrevoke(case, role, caller):
	frappe.set_user("Administrator")
	code = fresh_certificate(case, case.colleague)
	revoke_certificate(code, "Issued in error")
	return updating(CERTIFICATE, code, "revoked", 0)


def certificate_body(case, learner: str) -> dict:
	"""A second certificate for the learner's completion, as a forger would post it."""
	held = frappe.db.get_value(CERTIFICATE, case.proof[learner][CERTIFICATE], ["course", "assignment"])
	return {"member": learner, "course": held[0], "assignment": held[1], "issue_date": today()}


proof_rows(CERTIFICATE, certificate_body, "revoked_reason")
