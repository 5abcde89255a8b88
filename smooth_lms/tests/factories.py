"""Real documents for the integration tests: users, courses, HR stand-ins, onboardings."""

import email
import email.policy
from collections.abc import Callable

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


def make_employee(
	user: str | None = None, department: str = "Operations", name: str | None = None, **fields
) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"employee_name": name
				or (frappe.db.get_value("User", user, "full_name") if user else unique("Emp")),
				"user_id": user,
				"company": "Northwind",
				"department": department,
				"designation": "Associate",
				"status": "Active",
				**fields,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_onboarding(
	employee: str | None = None, job_applicant: str | None = None, submit: bool = False, **fields
) -> "frappe.model.document.Document":
	"""An Employee Onboarding as HRMS makes them: for a Job Applicant (the employee's, when given), with
	a company and a date of joining; `submit` as HR does before the Employee is created."""
	if not job_applicant:
		job_applicant = (employee and frappe.db.get_value("Employee", employee, "job_applicant")) or unique(
			"HR-APP"
		)
	doc = frappe.get_doc(
		{
			"doctype": "Employee Onboarding",
			"job_applicant": job_applicant,
			"company": "Northwind",
			"employee": employee,
			"department": "Operations",
			"designation": "Associate",
			"date_of_joining": add_days(today(), 7),
			**fields,
		}
	).insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc


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
	from smooth_lms.lms.learning.courses import course_lessons
	from smooth_lms.lms.learning.progress import mark_lesson_complete

	frappe.set_user(user)
	try:
		for lesson in course_lessons(course)[:count]:
			mark_lesson_complete(course, lesson.name)
	finally:
		frappe.set_user("Administrator")


def use_outgoing_email_account() -> None:
	"""An outgoing account for the test transaction (Frappe skips the SMTP check in tests)."""
	if not frappe.db.exists("Email Account", "_Test LMS Outgoing"):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_Test LMS Outgoing",
				"email_id": "lms-outgoing@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
	forget_email_accounts()


def forget_email_accounts() -> None:
	# EmailAccount.find_outgoing caches its answer on frappe.local for the whole process.
	frappe.local.outgoing_email_account = {}


def queued_subjects(recipient: str) -> list[str]:
	"""Subjects of the emails in the Email Queue for a recipient, oldest first."""
	return [subject for subject, _body in queued_emails(recipient)]


def run_jobs_enqueued_after_commit(*methods: str) -> list[dict]:
	"""Run what a commit runs after it (the jobs reach Redis), then perform the jobs it queued for this
	site of `methods` here, in the test's transaction, as a worker would. Every job it queued is taken
	off the queue again. Returns the performed jobs' keyword arguments, each with its "method"."""
	from rq.job import Job

	queue = frappe.utils.background_jobs.get_queue("long")
	before = set(queue.job_ids)
	frappe.db.after_commit.run()
	performed = []
	for job in Job.fetch_many([i for i in queue.job_ids if i not in before], connection=queue.connection):
		if not job or job.kwargs.get("site") != frappe.local.site:
			continue
		method, kwargs = job.kwargs.get("method"), job.kwargs["kwargs"]
		if method in methods:
			frappe.get_attr(method)(**kwargs)
			performed.append({"method": method, **kwargs})
		job.delete()
	return performed


# --- Hostile text (the injection tests) ------------------------------------------------------------

# What people can type into course and lesson titles, introductions, lesson content, their own names and
# department names. Each payload sets window.__xss, or carries it in a handler, only where a page or an
# email printed it as markup, so a test can tell text from markup.
XSS_MARK = "__xss"
HOSTILE = {
	"quote": 'x" onmouseover="window.__xss=1',  # leaves an attribute; Frappe keeps it as typed
	"tag": "'><img src=x onerror=window.__xss=2>",  # Frappe escapes it on save, set-wise writes do not
	"open_tag": "<img src=x onerror=window.__xss=3//",  # no '>': Frappe's save-time check keeps it as typed
	"script": "</script><script>window.__xss=4</script>",
	"jinja": "{{ 7*7 }} {% raw %}",
}


def store_raw(doctype: str, name: str, values: dict) -> None:
	"""Write values the way a set-wise insert or a data fix does: without Frappe's save-time cleaning."""
	frappe.db.set_value(doctype, name, values, update_modified=False)


def make_hostile_course(payload: str, raw: bool = False, **fields) -> str:
	"""A published course whose every text carries `payload`: title, introduction, description, two
	lessons (titles and content). With `raw`, all of it is stored as typed, as a set-wise write leaves it
	(Frappe's save would escape a complete tag)."""
	title = f"{frappe.generate_hash(length=4)} {payload}"
	lessons = [(f"{number}. {payload}", f"<p>{number}</p>{payload}") for number in (1, 2)]
	doc = frappe.get_doc(
		{
			"doctype": "LMS Course",
			"title": title,
			"published": 1,
			"short_introduction": payload,
			"description": payload,
			"lessons": [{"title": t, "content": content} for t, content in lessons],
			**fields,
		}
	).insert(ignore_permissions=True)
	if raw:
		store_raw(
			"LMS Course", doc.name, {"title": title, "short_introduction": payload, "description": payload}
		)
		for row, (lesson_title, content) in zip(doc.lessons, lessons, strict=True):
			store_raw("LMS Course Lesson", row.name, {"title": lesson_title, "content": content})
	return doc.name


def name_user(user: str, full_name: str) -> None:
	"""Rename a user as stored, without Frappe's save-time cleaning: all of it in the first name."""
	store_raw("User", user, {"first_name": full_name, "last_name": "", "full_name": full_name})


def queued_emails(recipient: str) -> list[tuple[str, str]]:
	"""(subject, HTML body) of the emails in the Email Queue for a recipient, oldest first."""
	queue = frappe.qb.DocType("Email Queue")
	to = frappe.qb.DocType("Email Queue Recipient")
	rows = (
		frappe.qb.from_(queue)
		.join(to)
		.on(to.parent == queue.name)
		.select(queue.message)
		.where(to.recipient == recipient)
		.orderby(queue.creation)
		.run()
	)
	messages = [email.message_from_string(m, policy=email.policy.default) for (m,) in rows]
	return [(str(m["Subject"]), m.get_body(preferencelist=("html",)).get_content()) for m in messages]


def stored_settings() -> Callable[[], None]:
	"""Snapshot LMS Settings as stored (not as the form shows them: a Check never stored reads 0 there).
	Returns the function that puts exactly that back; the caller commits."""
	singles = frappe.qb.DocType("Singles")
	rows = (
		frappe.qb.from_(singles)
		.select(singles.doctype, singles.field, singles.value)
		.where(singles.doctype == "LMS Settings")
		.run()
	)

	def restore() -> None:
		frappe.db.delete("Singles", {"doctype": "LMS Settings"})
		if rows:
			frappe.qb.into(singles).columns("doctype", "field", "value").insert(*rows).run()
		frappe.clear_document_cache("LMS Settings", "LMS Settings")

	return restore
