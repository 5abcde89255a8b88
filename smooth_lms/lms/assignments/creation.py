"""Creating training assignments: the one code path behind the onboarding hook, the REST API, the desk
form and every sweep.

`prepare_assignments` decides, for some (user, course) pairs, which new assignments may exist and what
each starts as — the learner enrolled (a finished enrollment starts over: a new assignment asks for a
new completion), the status by the rules — and why the others may not: unknown, disabled or Guest
user, a leaver (every Employee record Left), an open assignment already. It has two writers:

- `assign_pairs` (and `create_assignments`, every course to every user), set-wise for any number of
  pairs: a fixed number of statements per batch of 1,000, then the document trail (Versions now,
  document events after the commit);
- the assignment's controller (desk form, REST insert): one document, refused with the reason.

Callers check permissions and arguments; these functions trust them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import escape_html, getdate, now_datetime, today
from pypika.terms import Case

from smooth_lms.lms.doctypes import ASSIGNMENT, USER
from smooth_lms.lms.framework.batches import chunked, insert_rows, reserve_names, series_prefix
from smooth_lms.lms.framework.document_trail import Via, record_inserts
from smooth_lms.lms.framework.roles import LMS_STUDENT, grant_role
from smooth_lms.lms.framework.settings import lms_settings
from smooth_lms.lms.learning.courses import course_titles
from smooth_lms.lms.learning.enrollments import ensure_enrollments
from smooth_lms.lms.people.employees import left_every_record
from smooth_lms.lms.training_rules import OPEN_STATUSES, decide_status, is_open, open_key

ASSIGNMENT_SERIES = "TA-.####"
GUEST = "Guest"


@dataclass
class NewAssignment:
	employee: str
	employee_name: str
	course: str
	course_title: str
	enrollment: str
	progress: float
	status: str
	due_date: datetime.date
	renewal_of: str | None = None


@dataclass
class Plan:
	"""What may be created for some courses and users, and who was left out and why."""

	rows: list[NewAssignment] = field(default_factory=list)
	enrolled: list[tuple[str, str]] = field(default_factory=list)
	already_open: list[tuple[str, str]] = field(default_factory=list)
	unknown_users: list[str] = field(default_factory=list)
	disabled_users: list[str] = field(default_factory=list)
	left_users: list[str] = field(default_factory=list)


@dataclass
class AssignmentResult:
	"""What one call created and what it left out, by reason."""

	created: list[str] = field(default_factory=list)
	enrolled: list[tuple[str, str]] = field(default_factory=list)
	already_open: list[tuple[str, str]] = field(default_factory=list)
	unknown_users: list[str] = field(default_factory=list)
	disabled_users: list[str] = field(default_factory=list)
	left_users: list[str] = field(default_factory=list)

	@property
	def skipped(self) -> int:
		return (
			len(self.already_open) + len(self.unknown_users) + len(self.disabled_users) + len(self.left_users)
		)

	def absorb(self, other: "AssignmentResult") -> None:
		self.created += other.created
		self.enrolled += other.enrolled
		self.already_open += other.already_open
		self.unknown_users += other.unknown_users
		self.disabled_users += other.disabled_users
		self.left_users += other.left_users

	def add(self, plan: Plan, created: list[str], lost_races: list[tuple[str, str]]) -> None:
		self.created += created
		self.enrolled += plan.enrolled
		self.already_open += plan.already_open + lost_races
		for reason in ("unknown_users", "disabled_users", "left_users"):
			seen = set(getattr(self, reason))
			getattr(self, reason).extend(u for u in getattr(plan, reason) if u not in seen)


def create_assignments(
	courses: list[str],
	users: list[str],
	due_date: datetime.date | str,
	assigned_by: str | None = None,
	via: Via | None = None,
) -> AssignmentResult:
	"""Assign every course to every user who may have it: enrol where needed and create one assignment
	per (user, course) without an open one. Returns the names created and who was skipped and why."""
	return assign_pairs([(user, course) for course in courses for user in users], due_date, assigned_by, via)


def assign_pairs(
	pairs: list[tuple[str, str]],
	due_date: datetime.date | str | None,
	assigned_by: str | None = None,
	via: Via | None = None,
	renewals: dict[tuple[str, str], tuple[datetime.date, str]] | None = None,
) -> AssignmentResult:
	"""Create one assignment per (user, course) pair that may have one (see prepare_assignments), due on
	`due_date`, or for the pairs in `renewals` on their own date, renewing the completed assignment named
	there ({pair: (due date, completed assignment)})."""
	assigned_by = assigned_by or frappe.session.user
	due_date = getdate(due_date) if due_date else None
	result = AssignmentResult()
	pairs = list(dict.fromkeys(pairs))
	titles = course_titles(list({course for _user, course in pairs}))
	for batch in chunked(pairs):
		plan = prepare_assignments(list(batch), due_date, renewals, titles)
		created, lost = _insert(plan.rows, assigned_by)
		result.add(plan, created, lost)
	record_inserts(ASSIGNMENT, result.created, via)
	notify_assigned(result.created)  # emails the learners from a job started after the commit
	return result


def assign_in_chunks(
	pairs: list[tuple[str, str]],
	due_date: datetime.date,
	via: Via | None = None,
	on_chunk: Callable[[int], None] | None = None,
	in_job: bool = False,
) -> AssignmentResult:
	"""`assign_pairs` 1,000 pairs at a time. In a background job (`in_job`), each chunk is committed on
	its own (a rerun after a failure skips what is done) and a progress bar follows; `on_chunk(done)` is
	told after each chunk."""
	total, done, result = len(pairs), 0, AssignmentResult()
	for batch in chunked(pairs):
		result.absorb(assign_pairs(list(batch), due_date, via=via))
		done += len(batch)
		if in_job:
			if not frappe.flags.in_test:
				frappe.db.commit()  # each chunk is whole on its own: a rerun skips it
			frappe.publish_progress(
				done * 100 / total,
				title=_("Assigning training"),
				description=_("{0} of {1}").format(done, total),
			)
		if on_chunk:
			on_chunk(done)
	return result


def summary(result: AssignmentResult) -> dict:
	"""What a group assignment or a sweep answers: how many were created, and skipped by reason."""
	return {
		"created": len(result.created),
		"already_open": len(result.already_open),
		"unknown_users": len(result.unknown_users),
		"disabled_users": len(result.disabled_users),
		"left_users": len(result.left_users),
	}


def notify_assigned(assignment_names: list[str]) -> None:
	"""Email the learners of these new assignments (notifications.learner_emails.send_assignment_emails), from a background
	job started after the commit. Both writers of new assignments call it."""
	if not assignment_names or not lms_settings().send_assignment_emails:
		return
	frappe.enqueue(
		"smooth_lms.lms.notifications.learner_emails.send_assignment_emails",
		queue="long",  # thousands of learners: one Email Queue row each
		enqueue_after_commit=True,
		assignment_names=list(assignment_names),
	)


def prepare_assignments(
	pairs: list[tuple[str, str]],
	due_date: datetime.date | None,
	renewals: dict[tuple[str, str], tuple[datetime.date, str]] | None = None,
	titles: dict[str, str] | None = None,
) -> Plan:
	"""For up to 1,000 (user, course) pairs: which may get a new assignment and what it starts as.
	Enrols the learners concerned (and grants them LMS Student) as a side effect. `titles`: the courses'
	titles when the caller has them (one read for all batches)."""
	lock_creation()
	renewals = renewals or {}
	plan = Plan()
	full_names = learner_names(list(dict.fromkeys(user for user, _course in pairs)), plan)
	courses = list(dict.fromkeys(course for _user, course in pairs))
	titles = titles or course_titles(courses)
	open_pairs = _open_pairs(list(full_names), courses)
	ready = []
	for pair in pairs:
		if pair[0] in full_names:
			(plan.already_open if pair in open_pairs else ready).append(pair)
	pairs = ready
	if not pairs:
		return plan

	enrollments, plan.enrolled = ensure_enrollments(pairs, full_names, titles, restart_completed=True)
	grant_role(sorted({user for user, _course in pairs}), LMS_STUDENT)
	day = getdate(today())
	for user, course in pairs:
		enrollment, progress = enrollments[(user, course)]
		due, renews = renewals.get((user, course), (due_date, None))
		plan.rows.append(
			NewAssignment(
				user, full_names[user], course, titles[course], enrollment, progress,
				decide_status(None, progress, due, day), due, renews,
			)
		)  # fmt: skip
	return plan


def learner_names(users: list[str], plan: Plan) -> dict[str, str]:
	"""The enabled users among `users` who have not left, with their full names; the others go to the
	plan's unknown (Guest included: nobody signs in as Guest to take training), disabled and left lists."""
	user = DocType(USER)
	found = {
		name: (full_name, enabled, left)
		for name, full_name, enabled, left in frappe.qb.from_(user)
		.select(
			user.name, user.full_name, user.enabled, Case().when(left_every_record(user.name), 1).else_(0)
		)
		.where(user.name.isin(users))
		.run()
	}
	full_names = {}
	for name in users:
		if name not in found or name == GUEST:
			plan.unknown_users.append(name)
		elif not found[name][1]:
			plan.disabled_users.append(name)
		elif found[name][2]:
			plan.left_users.append(name)
		else:
			full_names[name] = found[name][0] or name
	return full_names


def refusal(plan: Plan, user: str, course: str) -> str | None:
	"""Why the one assignment a plan was made for cannot be created (None when it can): the desk form's
	and REST's refusal, from the same plan the bulk path skips by."""
	if user == GUEST:
		return _("Training cannot be assigned to Guest: pick a user who signs in.")
	shown = escape_html(user)
	if user in plan.unknown_users:
		return _("User {0} does not exist.").format(shown)
	if user in plan.disabled_users:
		return _("User {0} is disabled: enable the user before assigning training.").format(shown)
	if user in plan.left_users:
		return _("{0} has left the company (their Employee record is Left): no new training.").format(shown)
	if (user, course) in plan.already_open:
		existing = frappe.db.get_value(
			ASSIGNMENT, {"employee": user, "course": course, "status": ("in", OPEN_STATUSES)}
		)
		return _(
			"{0} already has an open assignment for course {1}: {2}. Complete it or change its due date instead."
		).format(shown, escape_html(course), existing)
	return None


ASSIGNMENT_INSERT_FIELDS = (
	"name", "creation", "modified", "modified_by", "owner", "docstatus", "idx",
	"employee", "employee_name", "course", "course_title", "due_date",
	"status", "assigned_by", "enrollment", "progress", "open_key", "renewal_of",
)  # fmt: skip


def lock_creation() -> None:
	"""Taken first by every path that creates assignments (bulk batches, the desk form's before_insert,
	sweeps, onboarding, renewals), until the commit: the row of the counter that names assignments, which
	each of them locks anyway to name its rows. Taken first, it makes two creations queue up at their
	start instead of deadlocking midway, one holding enrollment or assignment index locks the other
	needs while waiting for the counter. It is the app's own row: logins and user saves never wait."""
	frappe.db.sql(  # an upsert locks the row exclusively at once, even a counter not made yet
		"INSERT INTO `tabSeries` (`name`, `current`) VALUES (%s, 0) ON DUPLICATE KEY UPDATE `current` = `current`",
		series_prefix(ASSIGNMENT_SERIES)[0],
	)


def _insert(rows: list[NewAssignment], assigned_by: str) -> tuple[list[str], list[tuple[str, str]]]:
	"""Insert planned rows; returns the names that landed and the pairs a racing request opened first."""
	if not rows:
		return [], []
	names = reserve_names(ASSIGNMENT_SERIES, len(rows))
	now = now_datetime()
	values = [
		(
			name, now, now, assigned_by, assigned_by, 0, 0,
			row.employee, row.employee_name, row.course, row.course_title, row.due_date,
			row.status, assigned_by, row.enrollment, row.progress,
			open_key(row.employee, row.course) if is_open(row.status) else None, row.renewal_of,
		)
		for name, row in zip(names, rows, strict=True)
	]  # fmt: skip
	# IGNORE: a request racing this one may have opened the same (user, course) since the plan was made;
	# the unique open_key makes the database drop our row, and the re-read below counts what landed.
	written = insert_rows(ASSIGNMENT, ASSIGNMENT_INSERT_FIELDS, values, ignore_duplicates=True)
	# Which rows a race dropped is read only when the database says some were.
	landed = set(names) if written == len(names) else set(_existing_names(ASSIGNMENT, names))
	created = [name for name in names if name in landed]
	lost = [(row.employee, row.course) for name, row in zip(names, rows, strict=True) if name not in landed]
	return created, lost


def _open_pairs(users: list[str], courses: list[str]) -> set[tuple[str, str]]:
	if not users:
		return set()
	assignment = DocType(ASSIGNMENT)
	rows = (
		frappe.qb.from_(assignment)
		.select(assignment.employee, assignment.course)
		.where(assignment.employee.isin(users))
		.where(assignment.course.isin(courses))
		.where(assignment.status.isin(OPEN_STATUSES))
		.run()
	)
	return {(employee, course) for employee, course in rows}


def _existing_names(doctype: str, names: list[str]) -> list[str]:
	table = DocType(doctype)
	return [row[0] for row in frappe.qb.from_(table).select(table.name).where(table.name.isin(names)).run()]
