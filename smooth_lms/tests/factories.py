"""Real documents for the integration tests: users, courses, HR stand-ins, onboardings."""

import frappe
from frappe.utils import add_days, today

PASSWORD = "Sm00th-LMS-test!"


def unique(prefix: str) -> str:
	return f"{prefix}-{frappe.generate_hash(length=8)}"


def make_user(
	*roles: str, enabled: int = 1, password: str | None = None, first_name: str | None = None
) -> str:
	email = f"{unique('user').lower()}@example.com"
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": first_name or email.split("@")[0],
			"enabled": enabled,
			"send_welcome_email": 0,
			"user_type": "System User",
			"roles": [{"role": role} for role in roles],
		}
	).insert(ignore_permissions=True)
	if password:
		from frappe.utils.password import update_password

		update_password(user.name, password)
	return user.name


def make_course(published: int = 1, is_mandatory: int = 0, lessons: int = 3, **fields) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "LMS Course",
			"title": fields.pop("title", None) or unique("Course"),
			"published": published,
			"is_mandatory": is_mandatory,
			"short_introduction": "What every employee needs to know.",
			"lessons": [
				{"title": f"Lesson {i + 1}", "content": f"<p>Part {i + 1}</p>"} for i in range(lessons)
			],
			**fields,
		}
	).insert(ignore_permissions=True)
	return doc.name


def make_employee(user: str | None = None, department: str = "Operations", name: str | None = None) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"employee_name": name
				or (frappe.db.get_value("User", user, "full_name") if user else unique("Emp")),
				"user_id": user,
				"department": department,
				"designation": "Associate",
				"status": "Active",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_onboarding(employee: str | None) -> "frappe.model.document.Document":
	return frappe.get_doc(
		{
			"doctype": "Employee Onboarding",
			"employee": employee,
			"department": "Operations",
			"designation": "Associate",
			"date_of_joining": add_days(today(), 7),
			"boarding_status": "Pending",
		}
	).insert(ignore_permissions=True)


def unpublish_all_mandatory_courses() -> None:
	"""Tests that count what the hook creates start from a known set of mandatory courses (rolled back
	with the rest of the test's transaction)."""
	frappe.db.set_value("LMS Course", {"is_mandatory": 1, "published": 1}, "published", 0)


def assignments_of(user: str, course: str | None = None) -> list[dict]:
	filters = {"employee": user}
	if course:
		filters["course"] = course
	return frappe.get_all(
		"LMS Training Assignment",
		filters=filters,
		fields=[
			"name",
			"course",
			"status",
			"due_date",
			"progress",
			"completed_on",
			"enrollment",
			"assigned_by",
		],
		order_by="creation asc",
	)


class QueryCounter:
	"""Counts the statements the current connection runs (as FrappeTestCase.assertQueryCount does),
	so a test can compare the cost of a small call with a large one."""

	def __enter__(self):
		self.count = 0
		self.db = frappe.local.db
		self.original = self.db.sql

		def counting(*args, **kwargs):
			self.count += 1
			return self.original(*args, **kwargs)

		self.db.sql = counting
		return self

	def __exit__(self, *exc):
		self.db.sql = self.original


def complete_lessons(user: str, course: str, count: int) -> None:
	"""The learner's own progress on the first `count` lessons, through the method the course page posts to."""
	from smooth_lms.lms.lesson_progress import course_lessons, mark_lesson_complete

	frappe.set_user(user)
	try:
		for lesson in course_lessons(course)[:count]:
			mark_lesson_complete(course, lesson.name)
	finally:
		frappe.set_user("Administrator")
