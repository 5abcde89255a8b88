app_name = "smooth_lms"
app_title = "Smooth LMS"
app_publisher = "Smooth LMS"
app_description = (
	"Mandatory training for Smooth HR: onboarding enrolment, assignments, due dates and compliance"
)
app_email = "engineering@smooth-lms.invalid"
app_license = "MIT"

# Installation
# ------------
before_install = "smooth_lms.setup.install.before_install"
after_install = "smooth_lms.setup.install.after_install"
after_migrate = "smooth_lms.setup.install.after_migrate"
# Uninstalling removes the SCORM packages the app unpacked (<site>/private/scorm).
after_uninstall = "smooth_lms.lms.scorm.storage.remove_all"

# Learner portal: a course's page (smooth_lms/www/lms/course.html) at /lms/courses/<course name>.
website_route_rules = [
	{"from_route": "/lms/courses/<course>", "to_route": "lms/course"},
	# A lesson's own page: its content, then its Mark as Complete, quiz or acknowledgement.
	{"from_route": "/lms/courses/<course>/lessons/<lesson>", "to_route": "lms/lesson"},
	# Anyone with a certificate's code checks it here (smooth_lms/www/lms/verify.html).
	{"from_route": "/lms/verify/<certificate>", "to_route": "lms/verify"},
]

# A lesson's SCORM package, file by file, under the learner's signed token: /lms/scorm/<token>/<path>.
page_renderer = ["smooth_lms.lms.scorm.serving.SCORMPackagePage"]

# Learners (Website Users) land on the portal after login; /me's sidebar and the navbar's account menu
# link to it (smooth_lms/lms/portal/navigation.py). Desk users still land on the desk.
get_website_user_home_page = "smooth_lms.lms.portal.navigation.website_user_home_page"
update_website_context = ["smooth_lms.lms.portal.navigation.add_portal_links"]
portal_menu_items = [{"title": "My Learning", "route": "/lms"}]

# Counts in Jinja templates (pages, emails, print formats): plural(count, one, other).
jinja = {
	"methods": [
		"smooth_lms.lms.framework.plurals.plural",
		# A certificate's print: its verification address, as text and as a QR code.
		"smooth_lms.lms.certificates.verification.verification_url",
		"smooth_lms.lms.certificates.verification.verification_qr",
		# The prints of proof (quiz submissions, acknowledgements): questions as shown, unambiguous moments.
		"smooth_lms.lms.quiz.prints.submission_questions",
		"smooth_lms.lms.quiz.prints.proof_moment",
		"smooth_lms.lms.quiz.prints.print_number",
	]
}

# Smooth HR (HRMS) integration: not a dependency; these fire only where the DocTypes exist.
doc_events = {
	# The learner's email on completion: their certificate's PDF and verification page.
	"LMS Certificate": {
		"after_insert": "smooth_lms.lms.notifications.certificate_emails.on_certificate_issued"
	},
	"Employee Onboarding": {
		"after_insert": "smooth_lms.lms.hrms_integration.on_onboarding_created",
		"on_cancel": "smooth_lms.lms.obligations.onboarding.on_onboarding_cancelled",
		# The stand-in's HRMS behaviour (sites without HRMS only): set_employee, one per Job Applicant.
		"validate": "smooth_lms.demo.hr_doctypes.validate_onboarding",
	},
	"Employee": {
		# The stand-in's HRMS behaviour (sites without HRMS only): link the Job Applicant's onboarding.
		"validate": "smooth_lms.demo.hr_doctypes.link_onboarding",
		# Inserted, saved or changed by db_set: waiting onboardings move on, then what they owe.
		"on_change": [
			"smooth_lms.lms.obligations.onboarding.on_employee_changed",
			"smooth_lms.lms.obligations.sweeps.on_employee_changed",
		],
	},
}

# Each daily job once. The reminders do not depend on running after the overdue marking.
scheduler_events = {
	"daily": [
		"smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment.mark_overdue_assignments",
		"smooth_lms.lms.notifications.learner_emails.send_training_reminders",
		"smooth_lms.lms.notifications.manager_digest.send_overdue_digests",
		# Onboardings whose Employee or user came without any hook firing.
		"smooth_lms.lms.obligations.onboarding.catch_up",
		# Completions entering their renewal window open their renewal.
		"smooth_lms.lms.validity.renewals.open_renewals",
		# Certificates a failed or interrupted completion left out.
		"smooth_lms.lms.certificates.issuing.issue_missing_certificates",
		# HR's ledger: handoffs a failure left, then rows whose completion expired unrenewed.
		"smooth_lms.lms.hr_compliance.daily.hand_over_and_expire",
	],
}

# A queued group assignment's progress survives Frappe's cache clears (user creation, migrate).
persistent_cache_keys = ["smooth_lms:group_assignment:*"]

# The app's endpoints answer refusals with their message, never a traceback.
before_request = ["smooth_lms.lms.framework.guards.before_request"]

# Row-level permissions: learners see only their own records, drafts only their authors.
permission_query_conditions = {
	"LMS Training Assignment": "smooth_lms.lms.framework.permissions.assignment_query_conditions",
	"LMS Enrollment": "smooth_lms.lms.framework.permissions.enrollment_query_conditions",
	"LMS Course Progress": "smooth_lms.lms.framework.permissions.course_progress_query_conditions",
	"LMS Course": "smooth_lms.lms.framework.permissions.course_query_conditions",
	# Child rows with their parent (Frappe lists a child table to anyone reading the parent DocType).
	"LMS Due Date Extension": "smooth_lms.lms.framework.permissions.child_row_query_conditions",
	"LMS Course Lesson": "smooth_lms.lms.framework.permissions.child_row_query_conditions",
	"LMS Course Audience": "smooth_lms.lms.framework.permissions.child_row_query_conditions",
	"LMS Quiz Attempt Grant": "smooth_lms.lms.framework.permissions.child_row_query_conditions",
	"LMS Question Option": "smooth_lms.lms.framework.permissions.child_row_query_conditions",
	"LMS Quiz Question": "smooth_lms.lms.framework.permissions.child_row_query_conditions",
	"LMS Quiz Submission Answer": "smooth_lms.lms.framework.permissions.child_row_query_conditions",
	# Proof of comprehension: a learner's own submissions and acknowledgements.
	"LMS Quiz Submission": "smooth_lms.lms.framework.permissions.proof_query_conditions",
	"LMS Acknowledgement": "smooth_lms.lms.framework.permissions.proof_query_conditions",
	"LMS Certificate": "smooth_lms.lms.framework.permissions.proof_query_conditions",
	"LMS SCORM Attempt": "smooth_lms.lms.framework.permissions.proof_query_conditions",
	# Frappe's: evidence and other files of the app's rows; every user's roles and defaults.
	"File": "smooth_lms.lms.framework.permissions.file_query_conditions",
	"Has Role": "smooth_lms.lms.framework.permissions.has_role_query_conditions",
	"DefaultValue": "smooth_lms.lms.framework.permissions.default_value_query_conditions",
}

has_permission = {
	"LMS Training Assignment": "smooth_lms.lms.framework.permissions.has_learner_record_permission",
	"LMS Enrollment": "smooth_lms.lms.framework.permissions.has_learner_record_permission",
	"LMS Course Progress": "smooth_lms.lms.framework.permissions.has_learner_record_permission",
	"LMS Quiz Submission": "smooth_lms.lms.framework.permissions.has_learner_record_permission",
	"LMS Acknowledgement": "smooth_lms.lms.framework.permissions.has_learner_record_permission",
	"LMS Certificate": "smooth_lms.lms.framework.permissions.has_learner_record_permission",
	"LMS SCORM Attempt": "smooth_lms.lms.framework.permissions.has_learner_record_permission",
	"LMS Course": "smooth_lms.lms.framework.permissions.has_course_permission",
	"File": "smooth_lms.lms.framework.permissions.has_file_permission",
}

# Frappe's generic endpoints that answer past the rules above, with the rules applied
# (smooth_lms/lms/framework/generic_endpoints.py says what each one leaked).
override_whitelisted_methods = {
	"frappe.client.get": "smooth_lms.lms.framework.generic_endpoints.get",
	"frappe.client.get_count": "smooth_lms.lms.framework.generic_endpoints.get_count",
	"frappe.desk.search.search_link": "smooth_lms.lms.framework.generic_endpoints.search_link",
	"frappe.desk.search.search_widget": "smooth_lms.lms.framework.generic_endpoints.search_widget",
	"frappe.desk.listview.get_group_by_count": "smooth_lms.lms.framework.generic_endpoints.get_group_by_count",
	"frappe.desk.form.utils.get_next": "smooth_lms.lms.framework.generic_endpoints.get_next",
}

# The app's child tables: a row read on its own is read as its parent document is (Frappe asks only the
# parent DocType; smooth_lms/lms/framework/child_rows.py).
override_doctype_class = {
	"LMS Due Date Extension": "smooth_lms.lms.framework.child_rows.DueDateExtension",
	"LMS Course Lesson": "smooth_lms.lms.framework.child_rows.CourseLesson",
	"LMS Course Audience": "smooth_lms.lms.framework.child_rows.CourseAudience",
	"LMS Quiz Attempt Grant": "smooth_lms.lms.framework.child_rows.QuizAttemptGrant",
	"LMS Question Option": "smooth_lms.lms.framework.child_rows.QuestionOption",
	"LMS Quiz Question": "smooth_lms.lms.framework.child_rows.QuizQuestion",
	"LMS Quiz Submission Answer": "smooth_lms.lms.framework.child_rows.SubmissionAnswer",
}
