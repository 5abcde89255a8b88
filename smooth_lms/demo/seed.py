"""A small, believable company for the demo site: departments, employees with logins and managers,
mandatory courses with lessons and validity (one only for Sales), onboardings through the real hooks
(one made before its new hire's Employee existed, caught up when the Employee and user came), a
department sweep, some training finished, some overdue, and completions that are compliant, expiring,
expired and renewed. Each course has a short quiz on its last lesson and Code of Conduct ends with a
statement to sign (demo.quizzes); learners finish lessons, take quizzes and sign through the methods the
portal calls, as themselves (demo.learners): passes, fails with attempts left, attempts exhausted, more
attempts granted by HR, and a renewal passed anew. Every completion has its certificate; among them
valid, expiring soon, expired, revoked by HR, and two versions of one course held by one learner after
a retraining (demo.certificates). Harassment Prevention hands its completions to HR's Employee
Compliance ledger. Phishing Awareness is a SCORM package, played by three learners (demo.scorm).

    bench --site smooth.localhost execute smooth_lms.demo.seed.seed_demo

Part of it is done by background jobs after the seed's commit, as on any site: the sweep of each
mandatory course (everyone who owes it and lacks it gets it), the learners' emails, the document events
of rows written set-wise. scripts/demo runs a worker and waits for them (smooth_lms.demo.jobs).

Idempotent: a site that already has the demo courses is left as it is (its settings are still set: ISO
dates, emails queued and not sent).
"""

import random

import frappe
from frappe.utils import add_days, now_datetime, today
from frappe.utils.password import update_password

from smooth_lms.demo.certificates import COMPLIANCE_TYPES, certificate_stories
from smooth_lms.demo.hr_doctypes import ensure_hr_doctypes
from smooth_lms.demo.learners import QUIZ_STORIES, finish_lessons, quiz_stories
from smooth_lms.demo.quizzes import add_quizzes
from smooth_lms.demo.scorm import add_scorm_course
from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.framework.roles import ensure_roles
from smooth_lms.lms.validity.renewals import open_renewals

DEMO_PASSWORD = "smooth-demo-2026"
DOMAIN = "northwind.example"
DATE_FORMAT = "yyyy-mm-dd"
EMAIL_ACCOUNT = "Northwind Training"

COURSES = [
	("Harassment Prevention", 1, 365, ["Why it matters", "Recognising harassment", "Reporting and support"]),
	("Sales Compliance", 1, 365, ["Fair selling", "Anti-bribery", "Customer data in the CRM"]),
	("Security Awareness", 1, 365, ["Phishing", "Passwords and MFA", "Handling customer data", "Incidents"]),
	("Code of Conduct", 1, 0, ["Our values", "Conflicts of interest", "Speaking up"]),
	("Workplace Safety", 1, 730, ["Fire and evacuation", "First aid", "Ergonomics"]),
	("Presentation Skills", 0, 0, ["Structure", "Delivery"]),
	("Data Privacy Advanced (draft)", 1, 365, ["GDPR in depth"]),
]

DEPARTMENTS = {
	"Operations": [
		"Ava Patel",
		"Liam Chen",
		"Noah Kim",
		"Mia Rossi",
		"Ethan Brown",
		"Zoe Martin",
		"Omar Haddad",
	],
	"Sales": ["Emma Johnson", "Lucas Silva", "Sofia Garcia", "Mateo Lopez", "Chloe Dubois", "Ivan Petrov"],
	"Engineering": [
		"Olivia Smith",
		"James Wilson",
		"Priya Nair",
		"Kenji Sato",
		"Hannah Weber",
		"Diego Alvarez",
		"Fatima Khan",
	],
	"Finance": ["Isabella Moore", "Benjamin Clark", "Aisha Bello", "Tomás Novak", "Grace Lee"],
	"People": [
		"Charlotte Evans",
		"Henry Walker",
		"Amara Okafor",
		"Leo Fischer",
		"Nina Kowalski",
		"Samuel Adeyemi",
	],
}

STAFF = [
	("hr@" + DOMAIN, "Helen", "Reyes", ["HR Manager"]),
	("moderator@" + DOMAIN, "Marco", "Bianchi", ["Moderator", "Course Creator"]),
]


def seed_demo() -> None:
	_site_settings()
	if frappe.db.exists("LMS Course", {"title": COURSES[0][0]}):
		print("Demo data already present: nothing to do.")
		return
	random.seed(2026)
	ensure_roles()
	ensure_hr_doctypes()
	settings = frappe.get_single("LMS Settings")
	settings.allow_manager_digests = 1
	settings.save(ignore_permissions=True)  # demo set-up, run by Administrator
	for email, first, last, roles in STAFF:
		_user(email, first, last, roles)
	courses = {
		title: _course(title, mandatory, validity, lessons, published=not title.endswith("(draft)"))
		for title, mandatory, validity, lessons in COURSES
	}
	quizzes = add_quizzes(courses)
	_limit_to_sales(courses["Sales Compliance"])
	everyone = [courses[t] for t in ("Harassment Prevention", "Security Awareness", "Code of Conduct")]

	people, managers, users = [], {}, {}
	for department, names in DEPARTMENTS.items():
		for index, full_name in enumerate(names):
			first, last = full_name.split(" ", 1)
			email = f"{first.lower()}.{last.lower()}@{DOMAIN}".replace("á", "a").replace("ó", "o")
			_user(email, first, last, [])
			employee = frappe.get_doc(
				{
					"doctype": "Employee",
					"employee_name": full_name,
					"user_id": email,
					"company": "Northwind",
					"department": department,
					"designation": "Team Lead" if index == 0 else "Associate",
					"reports_to": managers.get(department),  # the first of each department leads it
					"status": "Active",
					"job_applicant": f"HR-APP-{department[:3].upper()}-{index:02d}",
				}
			).insert(ignore_permissions=True)
			managers.setdefault(department, employee.name)
			people.append((email, employee.name, department))
			users[full_name] = email

	# Recent hires come through Employee Onboarding (the seed's order: Employee first): the hook enrols
	# them in what they owe (Sales people get Sales Compliance too).
	frappe.set_user("hr@" + DOMAIN)
	for _email, employee, department in people[1::4]:
		_onboarding(frappe.db.get_value("Employee", employee, "job_applicant"), department, employee)

	# HRMS's usual order: the onboarding from a Job Applicant first, the Employee later, the user later
	# still. One new hire is caught up; one still waits for a user (HR sees it in Onboarding Training).
	for applicant, full_name, with_user in (
		("HR-APP-NEW-01", "Jonas Berg", True),
		("HR-APP-NEW-02", "Lena Park", False),
	):
		_onboarding(applicant, "Operations")
		employee = frappe.get_doc(
			{"doctype": "Employee", "employee_name": full_name, "company": "Northwind", "department": "Operations",
			 "designation": "Associate", "reports_to": managers["Operations"], "status": "Active",
			 "job_applicant": applicant}
		).insert(ignore_permissions=True)  # fmt: skip
		if with_user:
			first, last = full_name.split(" ", 1)
			email = f"{first.lower()}.{last.lower()}@{DOMAIN}"
			_user(email, first, last, [])
			employee.user_id = email
			employee.save(ignore_permissions=True)  # the training is assigned now, the onboarding says so

	# Everyone else: an annual sweep by the Moderator.
	frappe.set_user("moderator@" + DOMAIN)
	for index, course in enumerate(everyone):
		create_assignments([course], [p[0] for p in people], add_days(today(), 14 + 7 * index))
	frappe.set_user("Administrator")

	# Some learners have finished, some are part-way; a few have stories of their own at a quiz.
	others = [p for p in people if p[0] not in {users[name] for name in QUIZ_STORIES}]
	for email, _employee, _department in random.sample(others, 14):
		for course in random.sample(everyone, 2):
			finish_lessons(email, course, random.choice([1, 2, 99]))
	harassment = courses["Harassment Prevention"]
	quiz_stories(users, harassment, quizzes["Harassment Prevention"], "hr@" + DOMAIN)

	_validity_stories([p[0] for p in people], courses["Harassment Prevention"])
	add_scorm_course(users, "moderator@" + DOMAIN)  # Phishing Awareness, a SCORM package (demo.scorm)
	certificate_stories(users, courses, "hr@" + DOMAIN, "moderator@" + DOMAIN)

	# A few deadlines have already passed: age them, then the daily jobs run.
	late = frappe.get_all(
		"LMS Training Assignment",
		filters={"status": ("in", ["Pending", "In Progress"])},
		pluck="name",
		limit=9,
	)
	for name in late:
		frappe.db.set_value(
			"LMS Training Assignment", name, "due_date", add_days(today(), -random.randint(2, 20))
		)
	mark_overdue_assignments()
	open_renewals()
	frappe.db.commit()
	print(
		f"Demo company seeded: {len(people) + 2} employees, {len(courses)} courses, "
		f"{frappe.db.count('LMS Training Assignment')} assignments. Password for every demo user: {DEMO_PASSWORD}"
	)


def _site_settings() -> None:
	"""What the demo company's site is set to, on every run: ISO dates, and emails queued, not sent.

	Dates: Frappe's default mm-dd-yyyy reads 03-04-2026 as 4 March to a European company (this one), 3
	April to an American; dd.mm.yyyy or dd-mm-yyyy the other way round. yyyy-mm-dd is read one way by
	everyone (ISO 8601) and sorts as it reads.

	Emails: without an outgoing Email Account the app queues none (notifications.mailer); with one and
	the queue's sending suspended, every email the demo makes waits in the Email Queue to be read, and
	none goes to the made-up addresses. "Resume Sending" there, with a real SMTP server on the account,
	sends them."""
	settings = frappe.get_single("System Settings")
	if settings.date_format != DATE_FORMAT:
		settings.date_format = DATE_FORMAT
		settings.save(ignore_permissions=True)  # demo set-up, run by Administrator
	if not frappe.db.exists("Email Account", EMAIL_ACCOUNT):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": EMAIL_ACCOUNT,
				"email_id": f"training@{DOMAIN}",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": f"smtp.{DOMAIN}",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)  # demo set-up, run by Administrator
	frappe.db.set_default("suspend_email_queue", 1)
	_start_scheduled_jobs_now()


def _start_scheduled_jobs_now() -> None:
	"""A scheduled job that never ran is next due one period after its creation, stamped in the time zone
	the site had when it was installed (Asia/Kolkata); the setup wizard then set another one, a few hours
	behind: every job would wait that long to run first. Those not run yet count from now instead."""
	now = now_datetime()
	frappe.db.set_value(
		"Scheduled Job Type",
		{"last_execution": ("is", "not set"), "creation": (">", now)},
		"last_execution",
		now,
		update_modified=False,
	)


def _validity_stories(users: list[str], course: str) -> None:
	"""Completions of a 365-day course of every kind: compliant (done last month), expiring (done 350 days
	ago: its renewal opens), expired (done 400 days ago, found late: renewal at once) and renewed (done 400
	days ago, renewal since completed)."""
	stories = {"compliant": 30, "expiring": 350, "expired": 400, "renewed": 400}
	for (story, days_ago), user in zip(stories.items(), users[-len(stories) :], strict=True):
		name = frappe.db.get_value("LMS Training Assignment", {"employee": user, "course": course})
		finish_lessons(user, course, 99)
		frappe.db.set_value(
			"LMS Training Assignment",
			name,
			{"completed_on": add_days(today(), -days_ago), "valid_until": add_days(today(), 365 - days_ago)},
		)
		if story == "renewed":
			open_renewals(courses=[course])
			finish_lessons(user, course, 99)  # the renewal, its quiz passed anew: valid for a year from today


def _limit_to_sales(course: str) -> None:
	doc = frappe.get_doc("LMS Course", course)
	doc.append("mandatory_for", {"department": "Sales"})
	doc.save(ignore_permissions=True)  # demo set-up, run by Administrator


def _onboarding(job_applicant: str, department: str, employee: str | None = None) -> None:
	doc = frappe.get_doc(
		{
			"doctype": "Employee Onboarding",
			"job_applicant": job_applicant,
			"company": "Northwind",
			"employee": employee,
			"department": department,
			"designation": "Associate",
			"date_of_joining": add_days(today(), random.randint(-10, 10)),
		}
	).insert(ignore_permissions=True)  # as HR (the session user), through the real hooks
	doc.submit()


def _user(email: str, first: str, last: str, roles: list[str]) -> None:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first,
				"last_name": last,
				"send_welcome_email": 0,
				"user_type": "System User" if roles else "Website User",
				"roles": [{"role": r} for r in roles],
			}
		).insert(ignore_permissions=True)  # demo set-up, run by Administrator
	update_password(email, DEMO_PASSWORD)


def _course(title: str, mandatory: int, validity: int, lessons: list[str], published: bool) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "LMS Course",
				"title": title,
				"published": int(published),
				"is_mandatory": mandatory,
				"validity_days": validity,
				"disable_self_learning": mandatory,
				"compliance_type": COMPLIANCE_TYPES.get(title),
				"short_introduction": f"{title}: what every Northwind employee needs to know.",
				"description": f"<p>{title} is part of Northwind's training programme.</p>",
				"lessons": [
					{
						"title": lesson,
						"content": f"<h3>{lesson}</h3><p>Read this section carefully, then mark it complete.</p>",
					}
					for lesson in lessons
				],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
