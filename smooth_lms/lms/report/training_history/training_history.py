"""Training History: every completion on record — who completed what, of which course version, when, until
when it is valid, which completion it renews and how it was completed (in the LMS, or recorded by HR with
its evidence). The auditor's export.

Every completed assignment is listed, renewed ones and leavers' included: the history is never trimmed.
"Validity Today" is `validity.completion_state` (Compliant / Expiring Soon / Expired for the completion
that counts; "Renewed" once a later completion of the same person and course exists).

The proof behind each completion sits beside it: "Quiz Attempts" lists every quiz submission made for the
assignment (quiz, attempt, percentage, passed or failed, date), "Acknowledged" every statement signed
for it (lesson, date, the name typed) and "SCORM Attempts" the attempt at each of its SCORM lessons
(lesson, passed / completed / failed / incomplete, score, time spent: scorm.history); the desk links each
to its record (its PDF is one click away). A renewal's attempts are its own: they show with the renewal,
not with the completion it renews. Four queries whatever the number of rows (one when none): the
completions, their submissions, acknowledgements and SCORM attempts — the last three joined to the same
filtered completions, never one query per row.
"""

import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce, Date
from frappe.utils import escape_html, getdate, today

from smooth_lms.lms.doctypes import ACKNOWLEDGEMENT, ASSIGNMENT, COURSE, QUIZ_SUBMISSION
from smooth_lms.lms.framework.roles import require_training_viewer
from smooth_lms.lms.framework.validation import parse_date
from smooth_lms.lms.quiz.prints import print_number
from smooth_lms.lms.report.compliance_matrix.compliance_matrix import text_filter
from smooth_lms.lms.scorm.history import attempts_by_assignment, attempts_text
from smooth_lms.lms.training_rules import COMPLETED
from smooth_lms.lms.validity.states import completion_state, renewed_column

SOURCES = ("LMS", "Classroom Session", "External Provider", "Other")
RENEWED = "Renewed"  # a completion superseded by a later one of the same person and course


def execute(filters: dict | None = None):
	require_training_viewer()
	filters = filters or {}
	source = text_filter(filters, "source")
	if source and source not in SOURCES:
		frappe.throw(
			_("Completed Through must be one of {0}, not {1}.").format(
				", ".join(SOURCES), escape_html(source)
			),
			frappe.ValidationError,
			title=_("Invalid Source"),
		)
	rows = history(
		employee=text_filter(filters, "employee"),
		course=text_filter(filters, "course"),
		from_date=date_filter(filters, "from_date"),
		to_date=date_filter(filters, "to_date"),
		source=source,
	)
	return get_columns(), rows


def history(
	employee: str | None = None,
	course: str | None = None,
	from_date: datetime.date | None = None,
	to_date: datetime.date | None = None,
	source: str | None = None,
) -> list[dict]:
	"""Completed assignments, latest completion first, each with its validity today and its proof: quiz
	attempts, acknowledgements and SCORM attempts (as text, and as `quiz_submissions` /
	`acknowledgement_records` / `scorm_records` for the desk's links)."""
	assignment, course_table = DocType(ASSIGNMENT), DocType(COURSE)
	conditions = _conditions(assignment, employee, course, from_date, to_date, source)
	query = (
		frappe.qb.from_(assignment)
		.left_join(course_table)
		.on(course_table.name == assignment.course)
		.select(
			assignment.employee,
			assignment.employee_name,
			assignment.course,
			assignment.course_title,
			# The curriculum completed; a completion from before versions were recorded is of version 1
			# (as the patch that recorded them says).
			Coalesce(assignment.course_version, "1").as_("course_version"),
			assignment.completed_on,
			assignment.valid_until,
			assignment.renewal_of,
			assignment.completion_source,
			assignment.completion_note,
			assignment.completion_evidence,
			assignment.completion_recorded_by,
			assignment.name.as_("assignment"),
			assignment.status,
			course_table.validity_days,
			course_table.renewal_window_days,
			renewed_column(assignment).as_("renewed"),
		)
		.where(conditions)
		.orderby(assignment.completed_on, order=frappe.qb.desc)
		.orderby(assignment.name, order=frappe.qb.desc)
	)
	rows = query.run(as_dict=True)
	if not rows:
		return rows
	submissions = _submissions(assignment, conditions)
	acknowledgements = _acknowledgements(assignment, conditions)
	scorm = attempts_by_assignment(conditions)
	day = getdate(today())
	for row in rows:
		row["validity"] = completion_state(row, day) or RENEWED
		row["completion_source"] = row.completion_source or "LMS"
		row["quiz_submissions"] = submissions.get(row.assignment, [])
		row["quiz_attempts"] = quiz_attempts_text(row["quiz_submissions"])
		row["acknowledgement_records"] = acknowledgements.get(row.assignment, [])
		row["acknowledged"] = acknowledged_text(row["acknowledgement_records"])
		row["scorm_records"] = scorm.get(row.assignment, [])
		row["scorm_attempts"] = attempts_text(row["scorm_records"])
		for internal in ("status", "validity_days", "renewal_window_days", "renewed"):
			del row[internal]
	return rows


def quiz_attempts_text(submissions: list[dict]) -> str | None:
	"""'Fire quiz: #1 40 % failed 2026-12-01, #2 100 % passed 2026-12-02' (quizzes apart by '; ')."""
	by_quiz: dict[str, list[str]] = {}
	for row in submissions:
		by_quiz.setdefault(row.quiz_title or row.quiz, []).append(row.label)
	return "; ".join(f"{quiz}: {', '.join(attempts)}" for quiz, attempts in by_quiz.items()) or None


def acknowledged_text(acknowledgements: list[dict]) -> str | None:
	"""'Your acknowledgement: 2026-12-02, signed "Ada Lovelace"' (statements apart by '; ')."""
	return "; ".join(row.label for row in acknowledgements) or None


def get_columns() -> list[dict]:
	return [
		{"fieldname": "employee", "label": _("Employee"), "fieldtype": "Link", "options": "User", "width": 190},
		{"fieldname": "employee_name", "label": _("Employee Name"), "fieldtype": "Data", "width": 150},
		{"fieldname": "course", "label": _("Course"), "fieldtype": "Link", "options": COURSE, "width": 150},
		{"fieldname": "course_title", "label": _("Course Title"), "fieldtype": "Data", "width": 180},
		{"fieldname": "course_version", "label": _("Version"), "fieldtype": "Data", "width": 90},
		{"fieldname": "completed_on", "label": _("Completed On"), "fieldtype": "Date", "width": 120},
		{"fieldname": "valid_until", "label": _("Valid Until"), "fieldtype": "Date", "width": 110},
		{"fieldname": "validity", "label": _("Validity Today"), "fieldtype": "Data", "width": 120},
		{"fieldname": "renewal_of", "label": _("Renewal Of"), "fieldtype": "Link", "options": ASSIGNMENT, "width": 110},
		{"fieldname": "completion_source", "label": _("Completed Through"), "fieldtype": "Data", "width": 140},
		{"fieldname": "completion_note", "label": _("Note"), "fieldtype": "Data", "width": 180},
		{"fieldname": "completion_evidence", "label": _("Evidence"), "fieldtype": "Data", "width": 150},
		{"fieldname": "completion_recorded_by", "label": _("Recorded By"), "fieldtype": "Link", "options": "User", "width": 180},
		{"fieldname": "assignment", "label": _("Assignment"), "fieldtype": "Link", "options": ASSIGNMENT, "width": 110},
		{"fieldname": "quiz_attempts", "label": _("Quiz Attempts"), "fieldtype": "Data", "width": 260},
		{"fieldname": "acknowledged", "label": _("Acknowledged"), "fieldtype": "Data", "width": 220},
		{"fieldname": "scorm_attempts", "label": _("SCORM Attempts"), "fieldtype": "Data", "width": 260},
	]  # fmt: skip


def date_filter(filters: dict, name: str) -> datetime.date | None:
	"""A date filter's value (YYYY-MM-DD), or None when it is not set; 417 for anything else."""
	value = text_filter(filters, name)
	if value is None:
		return None
	day = parse_date(value)
	if day is None:
		frappe.throw(
			_("Filter {0} must be a date (YYYY-MM-DD), not {1}.").format(name, escape_html(value)),
			frappe.ValidationError,
			title=_("Invalid Filter"),
		)
	return day


def _conditions(assignment, employee, course, from_date, to_date, source):
	"""The completions the filters pick, as one criterion on the assignment table (the completions' query
	and the proof's queries share it)."""
	conditions = assignment.status == COMPLETED
	if employee:
		conditions &= assignment.employee == employee
	if course:
		conditions &= assignment.course == course
	if from_date:
		conditions &= assignment.completed_on >= from_date
	if to_date:
		conditions &= assignment.completed_on <= to_date
	if source == "LMS":
		# Completions from before the field existed carry no source: they were made in the LMS.
		conditions &= assignment.completion_source.isnull() | (assignment.completion_source == source)
	elif source:
		conditions &= assignment.completion_source == source
	return conditions


def _submissions(assignment, conditions) -> dict[str, list[frappe._dict]]:
	"""The quiz submissions of the picked completions, by assignment, in the order they were made."""
	submission = DocType(QUIZ_SUBMISSION)
	rows = (
		frappe.qb.from_(submission)
		.join(assignment)
		.on(assignment.name == submission.assignment)
		.select(
			submission.assignment,
			submission.name,
			submission.quiz,
			submission.quiz_title,
			submission.attempt,
			submission.percentage,
			submission.passed,
			Date(submission.creation).as_("date"),
		)
		.where(conditions)
		.orderby(submission.assignment)
		.orderby(submission.quiz)
		.orderby(submission.attempt)
		.orderby(submission.creation)
		.run(as_dict=True)
	)
	return _by_assignment(rows)


def _acknowledgements(assignment, conditions) -> dict[str, list[frappe._dict]]:
	"""The acknowledgements signed for the picked completions, by assignment, oldest first."""
	signed = DocType(ACKNOWLEDGEMENT)
	rows = (
		frappe.qb.from_(signed)
		.join(assignment)
		.on(assignment.name == signed.assignment)
		.select(
			signed.assignment,
			signed.name,
			signed.lesson,
			signed.lesson_title,
			signed.typed_name,
			Date(signed.acknowledged_at).as_("date"),
		)
		.where(conditions)
		.orderby(signed.assignment)
		.orderby(signed.acknowledged_at)
		.run(as_dict=True)
	)
	return _by_assignment(rows)


def _by_assignment(rows: list[frappe._dict]) -> dict[str, list[frappe._dict]]:
	grouped: dict[str, list[frappe._dict]] = {}
	for row in rows:
		row["date"] = str(row.date) if row.date else ""
		if "attempt" in row:  # a submission: how it reads, in the text and in the desk's link
			row["label"] = _("#{0} {1} % {2} {3}").format(
				row.attempt,
				print_number(row.percentage),
				_("passed") if row.passed else _("failed"),
				row.date,
			)
		else:  # an acknowledgement
			row["label"] = _('{0}: {1}, signed "{2}"').format(
				row.lesson_title or row.lesson, row.date, row.typed_name
			)
		grouped.setdefault(row.pop("assignment"), []).append(row)
	return grouped
