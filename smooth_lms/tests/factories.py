"""The integration tests' shared helpers: real documents (users, staff, courses, HR stand-ins, onboardings,
assignments in every state), dates relative to today, and the test's view of the database (statements
counted, jobs run as a worker would, LMS Settings put back). Emails: emails.py; hostile text: hostile.py;
browsers: browser.py; HTTP: http.py. A test module never imports from another test module."""

import datetime
import json
from collections.abc import Callable

import frappe
from frappe.utils import add_days, getdate, now_datetime, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.enrollments import enrollment_for
from smooth_lms.lms.learning.progress import mark_lesson_complete

PASSWORD = "Sm00th-LMS-test!"
ASSIGNMENT = "LMS Training Assignment"
STAMP = ("creation", "modified", "owner", "modified_by")


def d(days: int) -> datetime.date:
	"""The date `days` from today (negative: in the past)."""
	return getdate(add_days(today(), days))


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


def make_staff(count: int, enabled: int = 1, **employee_fields) -> list[str]:
	"""`count` users, each with an Employee record (Active unless `employee_fields` say otherwise), inserted
	set-wise: two statements, as the benchmark makes its employees. Returns the user IDs."""
	now, tag = now_datetime(), frappe.generate_hash(length=8)
	users = [f"staff-{tag}-{i}@example.com" for i in range(count)]
	stamp = (now, now, "Administrator", "Administrator")
	frappe.db.bulk_insert(
		"User",
		("name", "email", "first_name", "full_name", "enabled", "user_type", *STAMP),
		[
			(user, user, f"Staff {i}", f"Staff {i}", enabled, "Website User", *stamp)
			for i, user in enumerate(users)
		],
	)
	fields = {"company": "Northwind", "status": "Active", **employee_fields}
	frappe.db.bulk_insert(
		"Employee",
		("name", "employee_name", "user_id", *STAMP, *fields),
		[(f"STAFF-{tag}-{i}", f"Staff {i}", user, *stamp, *fields.values()) for i, user in enumerate(users)],
	)
	return users


def remove_staff(users: list[str]) -> None:
	"""Delete what make_staff made (their roles, Employee records and users), 1,000 at a time; the caller
	commits."""
	for start in range(0, len(users), 1000):
		batch = users[start : start + 1000]
		frappe.db.delete("Has Role", {"parenttype": "User", "parent": ("in", batch)})
		frappe.db.delete("Employee", {"user_id": ("in", batch)})
		frappe.db.delete("User", {"name": ("in", batch)})


def member(department: str, enabled: int = 1, status: str = "Active", **fields) -> str:
	"""A user with an Employee record in `department` (make_staff's)."""
	return make_staff(1, enabled=enabled, department=department, status=status, **fields)[0]


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


def assign(user: str, course: str | None = None, due_in: int = 20) -> str:
	"""Assign `course` (a new one if none) to `user`, due in `due_in` days. Returns the assignment."""
	(name,) = create_assignments([course or make_course()], [user], d(due_in)).created
	return name


def set_progress(user: str, course: str, progress: float) -> None:
	"""A Moderator sets progress by hand, through the enrollment document."""
	enrollment = frappe.get_doc("LMS Enrollment", enrollment_for(user, course))
	enrollment.progress = progress
	enrollment.save()


def make_overdue(
	user: str | None = None, course: str | None = None, *, assignment: str | None = None, days: int = 2
) -> None:
	"""Age an assignment — `user`'s open one for `course`, or the one named `assignment` — so that it was
	due `days` ago, then run the daily overdue job."""
	if not assignment:
		assignment = frappe.db.get_value(
			ASSIGNMENT, {"employee": user, "course": course, "status": ("!=", "Completed")}
		)
	assert assignment, f"no open assignment of {user} for {course}"
	frappe.db.set_value(ASSIGNMENT, assignment, "due_date", add_days(today(), -days))
	mark_overdue_assignments()


def complete_lessons(user: str, course: str, count: int | None = None) -> None:
	"""The learner's own progress on the first `count` lessons (all of them by default), through the method
	the course page posts to."""
	frappe.set_user(user)
	try:
		for lesson in course_lessons(course)[:count]:
			mark_lesson_complete(course, lesson.name)
	finally:
		frappe.set_user("Administrator")


def as_user(user: str, method: Callable, *args, **kwargs):
	"""Call one of the app's methods in this process as `user` (records made as the learner makes them)."""
	frappe.set_user(user)
	try:
		return method(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


def complete_course(user: str, course: str, days_ago: int = 0, validity: int = 0) -> str:
	"""The learner finishes every lesson; the completion is then moved `days_ago` into the past with the
	valid_until the course gave it then (`validity` days). Returns the completed assignment."""
	complete_lessons(user, course)
	name = frappe.db.get_value(ASSIGNMENT, {"employee": user, "course": course, "status": "Completed"})
	if days_ago:
		backdate_completion(name, days_ago, validity)
	return name


def backdate_completion(name: str, days_ago: int, validity: int) -> None:
	"""Move a completion `days_ago` into the past, with the valid_until a course valid for `validity` days
	gave it then (0: never expires)."""
	frappe.db.set_value(
		ASSIGNMENT,
		name,
		{"completed_on": d(-days_ago), "valid_until": d(validity - days_ago) if validity else None},
	)


def store_completion(name: str, days_ago: int, valid_for: int | None, **fields) -> None:
	"""Write the assignment as completed `days_ago`, valid `valid_for` days from then (None: never
	expires), as a set-wise completion leaves it (status, progress, completed_on, valid_until, open_key);
	no lesson is touched."""
	frappe.db.set_value(
		ASSIGNMENT,
		name,
		{
			"status": "Completed",
			"progress": 100,
			"completed_on": d(-days_ago),
			"valid_until": d(valid_for - days_ago) if valid_for else None,
			"open_key": None,
			**fields,
		},
	)


def build_company() -> frappe._dict:
	"""What makes a card's number easy to get wrong, in a company of its own (the workspace cards' tests,
	on the server and in a browser). Two mandatory courses owed by everyone: Fire Safety (valid 365 days,
	renewal window 30) and Data Privacy (never expires).

	        Fire Safety                                    Data Privacy
	ava     completed 350 days ago: expiring soon          completed: never expires (no valid-until day)
	ben     completed 400 days ago, renewed today          —
	cat     completed 400 days ago: expired                —
	dan     due 3 days ago, stored Pending (no daily job)  —
	leo     (a leaver) completed 400 days ago: expired     due 3 days ago, stored Pending
	"""
	company = unique("Northwind")
	people = frappe._dict()
	names = {
		"ava": "Ava Patel",
		"ben": "Ben Okafor",
		"cat": "Cat Nguyen",
		"dan": "Dan Novak",
		"leo": "Leo Left",
	}
	for key, full_name in names.items():
		first, _space, last = full_name.partition(" ")
		people[key] = make_user(first_name=first)
		frappe.db.set_value("User", people[key], {"last_name": last, "full_name": full_name})
		people[f"{key}_employee"] = make_employee(people[key], name=full_name, company=company)
	fire = make_course(title=unique("Fire Safety"), is_mandatory=1, validity_days=365, renewal_window_days=30)
	privacy = make_course(title=unique("Data Privacy"), is_mandatory=1)
	create_assignments([fire], [people[key] for key in names], d(14))
	create_assignments([privacy], [people.ava, people.leo], d(14))
	complete_course(people.ava, fire, days_ago=350, validity=365)
	complete_course(people.ava, privacy)
	for key in ("ben", "cat", "leo"):
		complete_course(people[key], fire, days_ago=400, validity=365)
	create_assignments([fire], [people.ben], d(30))  # the renewal, completed today
	complete_lessons(people.ben, fire)
	for user, course in ((people.dan, fire), (people.leo, privacy)):
		frappe.db.set_value(ASSIGNMENT, {"employee": user, "course": course}, "due_date", d(-3))
	frappe.db.set_value("Employee", people.leo_employee, "status", "Left")
	return frappe._dict(company=company, fire=fire, privacy=privacy, **people)


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


def store_raw(doctype: str, name: str, values: dict) -> None:
	"""Write values the way a set-wise insert or a data fix does: without Frappe's save-time cleaning."""
	frappe.db.set_value(doctype, name, values, update_modified=False)


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


# --- Quizzes and acknowledgements ------------------------------------------------------------------


def make_question(
	text: str | None = None, options: int = 4, correct=(0,), kind: str | None = None, **fields
) -> str:
	"""A question with `options` options, those at the indexes in `correct` correct (Single Choice when
	one is, else Multiple Choice, unless `kind` says)."""
	doc = frappe.get_doc(
		{
			"doctype": "LMS Question",
			"question": text or f"<p>{unique('Question')}?</p>",
			"type": kind or ("Single Choice" if len(correct) == 1 else "Multiple Choice"),
			"options": [
				{
					"option": f"Option {chr(65 + i)}",
					"is_correct": int(i in correct),
					"explanation": f"Why option {chr(65 + i)} is {'right' if i in correct else 'wrong'}.",
				}
				for i in range(options)
			],
			**fields,
		}
	).insert(ignore_permissions=True)
	return doc.name


def make_quiz(course: str, questions: int | list[str] = 5, lesson: int | None = 1, **fields) -> str:
	"""A quiz of `course` (new questions, or the ones named), finishing its lesson number `lesson` (none
	when None). Passing 80 %, unlimited attempts, answers after each attempt unless `fields` say."""
	names = questions if isinstance(questions, list) else [make_question() for _ in range(questions)]
	doc = frappe.get_doc(
		{
			"doctype": "LMS Quiz",
			"title": fields.pop("title", None) or unique("Quiz"),
			"course": course,
			"show_answers": fields.pop("show_answers", "After Each Attempt"),
			"questions": [{"question": name, "marks": 1} for name in names],
			**fields,
		}
	).insert(ignore_permissions=True)
	if lesson:
		set_lesson(course, lesson, quiz=doc.name)
	return doc.name


def set_lesson(course: str, number: int, **values) -> str:
	"""Set fields of the course's lesson `number` (1-based), through the course document. Returns its name."""
	doc = frappe.get_doc("LMS Course", course)
	row = doc.lessons[number - 1]
	row.update(values)
	doc.save(ignore_permissions=True)
	return row.name


def right_answers(attempt: str) -> dict[str, list[str]]:
	"""The correct options of each question drawn for an attempt (what a learner must never learn)."""
	frappe.db.commit()  # a fresh snapshot: the attempt was written by the web server
	drawn = json.loads(frappe.db.get_value("LMS Quiz Attempt", attempt, "questions"))
	return {q["question"]: [o["option"] for o in q["options"] if o["is_correct"]] for q in drawn}


def wrong_answers(attempt: str) -> dict[str, list[str]]:
	frappe.db.commit()  # a fresh snapshot: the attempt was written by the web server
	drawn = json.loads(frappe.db.get_value("LMS Quiz Attempt", attempt, "questions"))
	return {q["question"]: [next(o["option"] for o in q["options"] if not o["is_correct"])] for q in drawn}


def delete_quiz_records(courses: list[str]) -> None:
	"""Proof is deleted by nobody, through documents: tests clear theirs in SQL."""
	for doctype in ("LMS Quiz Submission", "LMS Acknowledgement", "LMS Quiz Attempt", "LMS SCORM Attempt"):
		names = frappe.get_all(doctype, {"course": ("in", courses or ["-"])}, pluck="name")
		if doctype == "LMS Quiz Submission":
			frappe.db.delete("LMS Quiz Submission Answer", {"parent": ("in", names or ["-"])})
		frappe.db.delete(doctype, {"name": ("in", names or ["-"])})
	quizzes = frappe.get_all("LMS Quiz", {"course": ("in", courses or ["-"])}, pluck="name")
	for course in courses:
		frappe.db.sql("update `tabLMS Course Lesson` set quiz=null where parent=%s", course)
	for quiz in quizzes:
		frappe.delete_doc("LMS Quiz", quiz, force=True, ignore_permissions=True)
