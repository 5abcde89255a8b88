"""A small, believable company for the demo site: departments, employees with logins, mandatory
courses with lessons, onboardings (through the real hook), a department sweep, some training
finished and some overdue.

    bench --site smooth.localhost execute smooth_lms.demo.seed.seed_demo

Idempotent: a site that already has the demo courses is left as it is.
"""

import random

import frappe
from frappe.utils import add_days, today
from frappe.utils.password import update_password

from smooth_lms.demo.hr_doctypes import ensure_hr_doctypes
from smooth_lms.lms.assignments import create_assignments
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.lesson_progress import enrollment_for, update_enrollment_progress
from smooth_lms.lms.roles import ensure_roles

DEMO_PASSWORD = "smooth-demo-2026"
DOMAIN = "northwind.example"

COURSES = [
	("Harassment Prevention", 1, 365, ["Why it matters", "Recognising harassment", "Reporting and support"]),
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
	if frappe.db.exists("LMS Course", {"title": COURSES[0][0]}):
		print("Demo data already present: nothing to do.")
		return
	random.seed(2026)
	ensure_roles()
	ensure_hr_doctypes()
	for email, first, last, roles in STAFF:
		_user(email, first, last, roles)
	courses = [
		_course(title, mandatory, validity, lessons, published=not title.endswith("(draft)"))
		for title, mandatory, validity, lessons in COURSES
	]
	mandatory = courses[:4]

	people = []
	for department, names in DEPARTMENTS.items():
		for full_name in names:
			first, last = full_name.split(" ", 1)
			email = f"{first.lower()}.{last.lower()}@{DOMAIN}".replace("á", "a").replace("ó", "o")
			_user(email, first, last, [])
			employee = frappe.get_doc(
				{
					"doctype": "Employee",
					"employee_name": full_name,
					"user_id": email,
					"department": department,
					"designation": "Associate",
					"status": "Active",
				}
			).insert(ignore_permissions=True)
			people.append((email, employee.name, department))

	# Recent hires come through Employee Onboarding: the real hook enrols them.
	frappe.set_user("hr@" + DOMAIN)
	for _email, employee, department in people[::4]:
		frappe.get_doc(
			{
				"doctype": "Employee Onboarding",
				"employee": employee,
				"department": department,
				"designation": "Associate",
				"date_of_joining": add_days(today(), random.randint(-10, 10)),
				"boarding_status": "In Process",
			}
		).insert(ignore_permissions=True)

	# Everyone else: an annual sweep by the Moderator, department by department.
	frappe.set_user("moderator@" + DOMAIN)
	for index, course in enumerate(mandatory[:3]):
		create_assignments([course], [p[0] for p in people], add_days(today(), 14 + 7 * index))
	frappe.set_user("Administrator")

	# Some learners have finished, some are part-way.
	for email, _employee, _department in random.sample(people, 14):
		for course in random.sample(mandatory[:3], 2):
			_finish_lessons(email, course, random.choice([1, 2, 99]))

	# A few deadlines have already passed: age them, then the daily job marks them.
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
	frappe.db.commit()
	print(
		f"Demo company seeded: {len(people)} employees, {len(courses)} courses, "
		f"{frappe.db.count('LMS Training Assignment')} assignments. Password for every demo user: {DEMO_PASSWORD}"
	)


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


def _finish_lessons(email: str, course: str, how_many: int) -> None:
	enrollment = enrollment_for(email, course)
	if not enrollment:
		return
	lessons = frappe.get_doc("LMS Course", course).lessons[:how_many]
	for lesson in lessons:
		frappe.get_doc(
			{
				"doctype": "LMS Course Progress",
				"member": email,
				"course": course,
				"lesson": lesson.name,
				"lesson_title": lesson.title,
			}
		).insert(ignore_permissions=True)
	update_enrollment_progress(enrollment, email, course)
