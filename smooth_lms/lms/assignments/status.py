"""The status engine: the one place where an assignment's status is decided and changed.

The rules are `training_rules.STATUS_RULES`; the inputs are the row's stored status, its progress (the
learner's enrollment, mirrored on the row) and its due date. They are applied

- to one document by `apply_status`, from the assignment's validate: the desk form, REST, a learner's
  progress (`follow_progress`), a due-date change, a new attempt;
- to many rows at once by `refresh_statuses`: a locked read, the same rules in Python, then one UPDATE
  per resulting status and batch, and the document trail (Version now, document events after commit).
  The daily overdue job (`mark_overdue`) is one such refresh;
- to what every reader shows (`current_status` in Python, `status_column` / `status_is` in SQL): a row
  past its due date is Overdue before the daily job has written it down.
"""

import datetime
from collections import defaultdict

import frappe
from frappe import _
from frappe.query_builder import Criterion, DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import flt, getdate, now_datetime, today
from pypika.functions import Concat
from pypika.terms import Case, Function, ValueWrapper

from smooth_lms.lms.certificates.issuing import issue_certificates
from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE
from smooth_lms.lms.framework.batches import chunked
from smooth_lms.lms.framework.document_trail import Via, record_changes
from smooth_lms.lms.hr_compliance import queue_handoff
from smooth_lms.lms.training_rules import (
	ALREADY_COMPLETED,
	COMPLETED,
	FINISHED,
	OPEN_STATUSES,
	OVERDUE,
	PAST_DUE,
	STARTED,
	STATUS_RULES,
	decide_status,
	is_open,
	open_key,
	valid_until,
)

OVERDUE_JOB = "lms_training_assignment.mark_overdue_assignments"  # its Scheduled Job Type


def overdue_job() -> Via:
	return Via(_("via the daily overdue check"), "Scheduled Job Type", OVERDUE_JOB)


# --- One document --------------------------------------------------------------------------------


def apply_status(doc) -> None:
	"""Set a document's status (and what follows from it) by the rules, from its stored status."""
	previous = doc.get_doc_before_save()
	stored = previous.status if previous else None
	status = decide_status(
		stored, flt(doc.progress), getdate(doc.due_date) if doc.due_date else None, getdate(today())
	)
	doc.status = status
	if status == COMPLETED and stored != COMPLETED:
		# Completing: the attempt is whole, and counts for the course's validity days from its date. A
		# row completed before keeps its own record as it is.
		doc.completed_on = doc.completed_on or today()
		doc.progress = 100
		doc.valid_until = valid_until(getdate(doc.completed_on), course_validity([doc.course])[doc.course])
		doc.course_version = frappe.db.get_value(COURSE, doc.course, "version")  # the curriculum completed
	doc.open_key = open_key(doc.employee, doc.course) if is_open(status) else None


def follow_progress(member: str, course: str, progress: float, via: Via) -> list:
	"""The learner's unfinished assignments of a course take their enrollment's new progress, one
	document each (a learner has one or two): Version, Notifications and doc_events as for any save.
	Rows are read under lock, so a concurrent completion of the same course waits and then sees this
	one. Returns the documents saved."""
	assignment = DocType(ASSIGNMENT)
	names = [
		row[0]
		for row in frappe.qb.from_(assignment)
		.select(assignment.name)
		.where((assignment.employee == member) & (assignment.course == course))
		.where(assignment.status != COMPLETED)
		.orderby(assignment.name)
		.for_update()
		.run()
	]
	saved = []
	for name in names:
		doc = frappe.get_doc(ASSIGNMENT, name, for_update=True)
		if flt(doc.progress) == flt(progress):
			continue
		doc.progress = progress
		doc.flags.app_owned_change = True
		doc.flags.updater_reference = via.reference()
		# The learner's own progress, computed by the app: learners cannot write assignments. The Version
		# is the status's audit trail: kept even where Frappe skips Versions by default (tests).
		doc.save(ignore_permissions=True, ignore_version=False)
		saved.append(doc)
	return saved


# --- Many rows -----------------------------------------------------------------------------------


def refresh_statuses(condition, via: Via | None = None) -> dict[str, str]:
	"""Decide again, set-wise, the status of every unfinished assignment matching `condition` (a
	frappe.qb criterion on the assignment table), by the same rules as `apply_status`. Returns
	{name: new status} for the rows that changed."""
	assignment = DocType(ASSIGNMENT)
	day = getdate(today())
	rows = (
		frappe.qb.from_(assignment)
		.select(
			assignment.name,
			assignment.status,
			assignment.progress,
			assignment.due_date,
			assignment.completed_on,
			assignment.course,
		)
		.where(condition)
		.where(assignment.status != COMPLETED)
		.orderby(assignment.name)
		.for_update()  # the decision and the write see the same rows; a second run waits, then finds none
		.run(as_dict=True)
	)
	decided: dict[str, str] = {}
	changes: dict[str, dict] = {}
	validity = course_validity(list({row.course for row in rows}))
	for row in rows:
		status = decide_status(row.status, flt(row.progress), getdate(row.due_date), day)
		if status != row.status:
			decided[row.name] = status
			changes[row.name] = _changes(row, status, day, validity[row.course])
	_write(decided, day)
	record_changes(ASSIGNMENT, changes, via)
	completed = [name for name, status in decided.items() if status == COMPLETED]
	if completed:
		issue_certificates(completed, via)
		queue_handoff(completed)  # HR's ledger, from a job after the commit
	return decided


def mark_overdue() -> int:
	"""Every open assignment past its due date becomes Overdue (the daily job). Returns how many did."""
	assignment = DocType(ASSIGNMENT)
	late = assignment.status.isin(OPEN_STATUSES) & (assignment.due_date < getdate(today()))
	decided = refresh_statuses(late, via=overdue_job())
	return sum(1 for status in decided.values() if status == OVERDUE)


# --- Reading: the status every reader shows --------------------------------------------------------
# A row whose due date has passed is Overdue for every reader, whether or not the daily job has written
# it down yet: counts, reports, the API's rows and summaries, the portal and the emails all read the
# status through these, decided by the same STATUS_RULES as the writes above.


def current_status(row: dict, day: datetime.date) -> str:
	"""The status of a row (with `status`, `progress`, `due_date`) on `day`, as every reader shows it."""
	due = getdate(row["due_date"]) if row.get("due_date") else None
	return decide_status(row["status"], flt(row.get("progress")), due, day)


def status_column(assignment, day: datetime.date):
	"""current_status in SQL: a CASE over an assignment table, the rules in order."""
	facts = _facts(assignment, day)
	case = Case()
	for condition, status in STATUS_RULES:
		if condition not in facts:  # OTHERWISE
			return case.else_(status)
		case = case.when(facts[condition], status)
	return case


def status_is(assignment, status: str, day: datetime.date):
	"""A criterion on an assignment table: current_status is `status` on `day` (a rule deciding `status`
	holds, and no rule before it)."""
	facts = _facts(assignment, day)
	earlier, options = [], []
	for condition, decided in STATUS_RULES:
		fact = facts.get(condition)  # None for OTHERWISE
		if decided == status:
			options.append(
				Criterion.all([*(~term for term in earlier), *([fact] if fact is not None else [])])
			)
		if fact is not None:
			earlier.append(fact)
	return Criterion.any(options)


def course_validity(courses: list[str]) -> dict[str, int]:
	"""{course: validity days} (0: never expires), in one query."""
	course = DocType(COURSE)
	found = dict(
		frappe.qb.from_(course)
		.select(course.name, course.validity_days)
		.where(course.name.isin(courses or [""]))
		.run()
	)
	return {name: int(found.get(name) or 0) for name in courses}


def _changes(row: dict, status: str, day: datetime.date, validity_days: int) -> dict:
	changes = {"status": (row.status, status)}
	if status == COMPLETED:
		if flt(row.progress) != 100:
			changes["progress"] = (flt(row.progress), 100.0)
		completed_on = getdate(row.completed_on) if row.completed_on else day
		if not row.completed_on:
			changes["completed_on"] = (None, str(day))
		if until := valid_until(completed_on, validity_days):
			changes["valid_until"] = (None, str(until))
	return changes


def _write(decided: dict[str, str], day: datetime.date) -> None:
	"""One UPDATE per resulting status and batch of 1,000 rows."""
	assignment = DocType(ASSIGNMENT)
	by_status: dict[str, list[str]] = defaultdict(list)
	for name, status in decided.items():
		by_status[status].append(name)
	now, user = now_datetime(), frappe.session.user
	for status, names in by_status.items():
		for batch in chunked(names):
			query = (
				frappe.qb.update(assignment)
				.set(assignment.status, status)
				.set(assignment.open_key, _open_key_sql(assignment) if is_open(status) else None)
				.set(assignment.modified, now)
				.set(assignment.modified_by, user)
				.where(assignment.name.isin(list(batch)))
			)
			if status == COMPLETED:
				query = query.set(assignment.progress, 100).set(
					assignment.completed_on, Coalesce(assignment.completed_on, day)
				)
			query.run()
			if status == COMPLETED:
				_write_valid_until(list(batch))


def _write_valid_until(names: list[str]) -> None:
	"""training_rules.valid_until for completed rows, and the course's version they completed, in one
	UPDATE: the course's validity and version at completion."""
	frappe.db.sql(
		"""update `tabLMS Training Assignment` a join `tabLMS Course` c on c.name = a.course
		set a.valid_until = if(c.validity_days > 0, date_add(a.completed_on, interval c.validity_days day), null),
			a.course_version = c.version
		where a.name in %(names)s""",
		{"names": tuple(names)},
	)


def _open_key_sql(assignment):
	"""training_rules.open_key, computed by the database: SHA1 of employee, unit separator, course."""
	return Function(
		"SHA1", Concat(assignment.employee, Function("CHAR", ValueWrapper(31)), assignment.course)
	)


def _facts(assignment, day: datetime.date) -> dict:
	"""Each rule's condition (training_rules.STATUS_RULES) in SQL, but OTHERWISE."""
	return {
		ALREADY_COMPLETED: assignment.status == COMPLETED,
		FINISHED: assignment.progress >= 100,
		PAST_DUE: assignment.due_date < day,
		STARTED: assignment.progress > 0,
	}
