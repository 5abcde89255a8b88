"""Creating training assignments: the one code path behind the onboarding hook, the REST API and the
desk form.

Everything here is set-wise. For a batch of users it costs a fixed number of statements whatever the
batch size: one read of the users, one of the open assignments, one of the enrollments, one bulk
insert per table, one series reservation. The callers check permissions and arguments; these functions
trust them.
"""

import datetime
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.model.naming import parse_naming_series
from frappe.query_builder import DocType
from frappe.utils import cint, getdate, now_datetime, today
from pypika.terms import Tuple

from smooth_lms.lms.bulk import insert_rows
from smooth_lms.lms.reminders import notify_assigned
from smooth_lms.lms.roles import LMS_STUDENT, grant_role
from smooth_lms.lms.training_rules import (
	COMPLETED,
	OPEN_STATUSES,
	chunked,
	open_key,
	progress_status,
)

ASSIGNMENT = "LMS Training Assignment"
ENROLLMENT = "LMS Enrollment"
COURSE_PROGRESS = "LMS Course Progress"
ASSIGNMENT_SERIES = "TA-.####"


@dataclass
class AssignmentResult:
	"""What one call created and what it left out, by reason."""

	created: list[str] = field(default_factory=list)
	enrolled: list[tuple[str, str]] = field(default_factory=list)
	already_open: list[tuple[str, str]] = field(default_factory=list)
	unknown_users: list[str] = field(default_factory=list)
	disabled_users: list[str] = field(default_factory=list)

	@property
	def skipped(self) -> int:
		return len(self.already_open) + len(self.unknown_users) + len(self.disabled_users)

	def merge(self, other: "AssignmentResult") -> None:
		self.created += other.created
		self.enrolled += other.enrolled
		self.already_open += other.already_open


def create_assignments(
	courses: list[str],
	users: list[str],
	due_date: datetime.date | str,
	assigned_by: str | None = None,
) -> AssignmentResult:
	"""Assign every course to every user: enrol where needed and create one open assignment per
	(user, course) that has none. Returns the names created and who was skipped and why."""
	assigned_by = assigned_by or frappe.session.user
	due_date = getdate(due_date)
	result = AssignmentResult()
	course_titles = _course_titles(courses)

	learners = active_users(users)
	result.unknown_users = learners.unknown
	result.disabled_users = learners.disabled

	for batch in chunked(list(learners.full_names)):
		result.merge(
			_assign_batch(courses, list(batch), due_date, assigned_by, learners.full_names, course_titles)
		)
	notify_assigned(result.created)  # emails the learners from a job started after the commit
	return result


@dataclass
class Learners:
	full_names: dict[str, str]
	unknown: list[str]
	disabled: list[str]


def active_users(users: list[str]) -> Learners:
	"""Split user IDs into enabled users (with their full names), unknown and disabled ones."""
	found: dict[str, tuple[str, int]] = {}
	user = DocType("User")
	for batch in chunked(users):
		rows = (
			frappe.qb.from_(user)
			.select(user.name, user.full_name, user.enabled)
			.where(user.name.isin(list(batch)))
			.where(user.name != "Guest")
			.run()
		)
		found.update({name: (full_name, enabled) for name, full_name, enabled in rows})
	return Learners(
		full_names={u: found[u][0] or u for u in users if u in found and found[u][1]},
		unknown=[u for u in users if u not in found],
		disabled=[u for u in users if u in found and not found[u][1]],
	)


def _assign_batch(
	courses: list[str],
	users: list[str],
	due_date: datetime.date,
	assigned_by: str,
	full_names: dict[str, str],
	course_titles: dict[str, str],
) -> AssignmentResult:
	result = AssignmentResult()
	open_pairs = _open_pairs(users, courses)
	pairs = [(u, c) for c in courses for u in users if (u, c) not in open_pairs]
	result.already_open = [(u, c) for c in courses for u in users if (u, c) in open_pairs]
	if not pairs:
		return result

	enrollments, result.enrolled = ensure_enrollments(
		pairs, full_names, course_titles, restart_completed=True
	)
	grant_role(sorted({u for u, _c in pairs}), LMS_STUDENT)

	names = reserve_names(ASSIGNMENT_SERIES, len(pairs))
	now = now_datetime()
	rows = []
	for name, (user, course) in zip(names, pairs, strict=True):
		enrollment_name, progress = enrollments[(user, course)]
		rows.append(
			(
				name, now, now, assigned_by, assigned_by, 0, 0,
				user, full_names[user], course, course_titles[course], due_date,
				progress_status(progress), assigned_by, enrollment_name, progress, open_key(user, course),
			)
		)  # fmt: skip
	# IGNORE: a request racing this one may have opened the same (user, course) since _open_pairs;
	# the unique open_key makes the database drop our row, and the re-read below counts what landed.
	insert_rows(ASSIGNMENT, ASSIGNMENT_INSERT_FIELDS, rows, ignore_duplicates=True)

	created = set(_existing_names(ASSIGNMENT, names))
	result.created = [name for name in names if name in created]
	result.already_open += [pair for name, pair in zip(names, pairs, strict=True) if name not in created]
	return result


ASSIGNMENT_INSERT_FIELDS = (
	"name", "creation", "modified", "modified_by", "owner", "docstatus", "idx",
	"employee", "employee_name", "course", "course_title", "due_date",
	"status", "assigned_by", "enrollment", "progress", "open_key",
)  # fmt: skip

ENROLLMENT_INSERT_FIELDS = (
	"name", "creation", "modified", "modified_by", "owner", "docstatus", "idx",
	"member", "member_name", "course", "course_title", "progress",
)  # fmt: skip


def ensure_enrollments(
	pairs: list[tuple[str, str]],
	full_names: dict[str, str],
	course_titles: dict[str, str],
	restart_completed: bool = False,
) -> tuple[dict[tuple[str, str], tuple[str, float]], list[tuple[str, str]]]:
	"""Make sure each (member, course) has an enrollment; with `restart_completed`, a finished one
	starts over (progress 0, lesson completions cleared) because a new assignment asks for a new
	completion. Returns {pair: (enrollment name, progress)} and the pairs enrolled now."""
	existing = _enrollments(pairs)
	missing = [pair for pair in pairs if pair not in existing]
	if missing:
		now = now_datetime()
		user = frappe.session.user
		rows = [
			(frappe.generate_hash(length=10), now, now, user, user, 0, 0,
			 member, full_names.get(member) or member, course, course_titles.get(course), 0)
			for member, course in missing
		]  # fmt: skip
		# IGNORE: the unique (member, course) index settles a race with another request; re-read after.
		insert_rows(ENROLLMENT, ENROLLMENT_INSERT_FIELDS, rows, ignore_duplicates=True)
		existing.update(_enrollments(missing))

	if restart_completed:
		finished = [pair for pair in pairs if existing[pair][1] >= 100]
		if finished:
			restart_enrollments(finished, [existing[pair][0] for pair in finished])
			for pair in finished:
				existing[pair] = (existing[pair][0], 0.0)
	return existing, missing


def restart_enrollments(pairs: list[tuple[str, str]], enrollment_names: list[str]) -> None:
	"""Reset finished enrollments for a new attempt. Their Completed assignments keep their record."""
	enrollment = DocType(ENROLLMENT)
	frappe.qb.update(enrollment).set(enrollment.progress, 0).set(enrollment.completed_on, None).set(
		enrollment.modified, now_datetime()
	).where(enrollment.name.isin(enrollment_names)).run()
	progress = DocType(COURSE_PROGRESS)
	frappe.qb.from_(progress).delete().where(Tuple(progress.member, progress.course).isin(pairs)).run()


def _enrollments(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, float]]:
	enrollment = DocType(ENROLLMENT)
	rows = (
		frappe.qb.from_(enrollment)
		.select(enrollment.name, enrollment.member, enrollment.course, enrollment.progress)
		.where(enrollment.member.isin(list({m for m, _c in pairs})))
		.where(enrollment.course.isin(list({c for _m, c in pairs})))
		.run()
	)
	wanted = set(pairs)
	return {
		(member, course): (name, float(progress or 0))
		for name, member, course, progress in rows
		if (member, course) in wanted
	}


def _open_pairs(users: list[str], courses: list[str]) -> set[tuple[str, str]]:
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


def _course_titles(courses: list[str]) -> dict[str, str]:
	course = DocType("LMS Course")
	rows = frappe.qb.from_(course).select(course.name, course.title).where(course.name.isin(courses)).run()
	return dict(rows)


def reserve_names(naming_series: str, count: int) -> list[str]:
	"""Take `count` consecutive names of an old-style naming series (e.g. `TA-.####`) in two statements,
	from the same counter (`tabSeries`) that `autoname` uses for documents saved one by one."""
	prefix, digits = _series_prefix(naming_series)
	series = DocType("Series")
	current = frappe.qb.from_(series).select(series.current).where(series.name == prefix).for_update().run()
	if current and current[0][0] is not None:
		start = cint(current[0][0])
		frappe.qb.update(series).set(series.current, series.current + count).where(
			series.name == prefix
		).run()
	else:
		start = 0
		frappe.qb.into(series).columns(series.name, series.current).insert(prefix, count).run()
	return [f"{prefix}{number:0{digits}d}" for number in range(start + 1, start + count + 1)]


def _series_prefix(naming_series: str) -> tuple[str, int]:
	prefix, hashes = naming_series.rsplit(".", 1)
	if set(hashes) != {"#"}:
		frappe.throw(_("Naming series {0} must end with a run of #").format(naming_series))
	# parse_naming_series resolves date parts (.YYYY. etc.) exactly as autoname does.
	return parse_naming_series(prefix), len(hashes)


def sync_assignments_with_progress(member: str, course: str, progress: float) -> None:
	"""Carry an enrollment's progress to its assignments, set-wise.

	100 % completes every assignment of (member, course) that is not yet Completed, Overdue included;
	0 < progress < 100 turns Pending into In Progress (Overdue stays Overdue); progress back at 0 turns
	In Progress into Pending. Completed rows keep the progress and date of their own attempt.
	"""
	assignment = DocType(ASSIGNMENT)
	now = now_datetime()
	mine = (assignment.employee == member) & (assignment.course == course) & (assignment.status != COMPLETED)
	if progress >= 100:
		(
			frappe.qb.update(assignment)
			.set(assignment.status, COMPLETED)
			.set(assignment.completed_on, getdate(today()))
			.set(assignment.progress, 100)
			.set(assignment.open_key, None)
			.set(assignment.modified, now)
			.where(mine)
		).run()
		return

	frappe.qb.update(assignment).set(assignment.progress, progress).set(assignment.modified, now).where(
		mine
	).run()
	if progress > 0:
		changes, target = "Pending", "In Progress"
	else:
		changes, target = "In Progress", "Pending"
	frappe.qb.update(assignment).set(assignment.status, target).where(mine).where(
		assignment.status == changes
	).run()
