"""Attempts belong to the assignment: how many a learner has used and may use at a quiz, for the
assignment they are working on now, and HR's grants of more.

The current assignment of a learner and course (learning.progress.current_assignment, which SCORM
attempts follow too) is their open one, else their latest, else none. A renewal
(`renewal_of`) is a new assignment: its attempts start afresh, and a pass made for an earlier
completion does not finish it (the renewal started the enrollment over, validity.renewals).
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import escape_html, now_datetime

from smooth_lms.lms.doctypes import ASSIGNMENT, ATTEMPT_GRANT, QUIZ_ATTEMPT, QUIZ_SUBMISSION

MAX_GRANT = 100


def attempts_used(quiz: str, member: str, assignment: str | None) -> int:
	attempt = DocType(QUIZ_ATTEMPT)
	return (
		frappe.qb.from_(attempt)
		.select(Count("*"))
		.where((attempt.quiz == quiz) & (attempt.member == member) & _for_assignment(attempt, assignment))
		.run()[0][0]
	)


def attempts_allowed(quiz: frappe._dict, assignment: str | None) -> int:
	"""The quiz's attempts plus HR's grants on the assignment; 0 = unlimited."""
	if not quiz.max_attempts:
		return 0
	granted = 0
	if assignment:
		grant = DocType(ATTEMPT_GRANT)
		granted = (
			frappe.qb.from_(grant)
			.select(Sum(grant.extra_attempts))
			.where(
				(grant.parent == assignment) & (grant.parenttype == ASSIGNMENT) & (grant.quiz == quiz.name)
			)
			.run()[0][0]
		)
	return int(quiz.max_attempts) + int(granted or 0)


def attempts_left(allowed: int, used: int) -> int | None:
	"""None when unlimited."""
	return max(allowed - used, 0) if allowed else None


def has_passed(quiz: str, member: str, assignment: str | None) -> str | None:
	"""The passing submission of the learner for the quiz and assignment, if any."""
	submission = DocType(QUIZ_SUBMISSION)
	rows = (
		frappe.qb.from_(submission)
		.select(submission.name)
		.where(
			(submission.quiz == quiz)
			& (submission.member == member)
			& (submission.passed == 1)
			& _for_assignment(submission, assignment)
		)
		.limit(1)
		.run()
	)
	return rows[0][0] if rows else None


def submissions(member: str, course: str, assignment: str | None) -> dict[str, list[frappe._dict]]:
	"""The learner's submissions at the course's quizzes for the assignment, by quiz, newest first (name,
	attempt, passed, percentage, creation): what the portal says of each quiz lesson, in one query."""
	submission = DocType(QUIZ_SUBMISSION)
	rows = (
		frappe.qb.from_(submission)
		.select(
			submission.name,
			submission.quiz,
			submission.attempt,
			submission.passed,
			submission.percentage,
			submission.creation,
		)
		.where(
			(submission.member == member)
			& (submission.course == course)
			& _for_assignment(submission, assignment)
		)
		.orderby(submission.creation, order=frappe.qb.desc)
		.orderby(submission.attempt, order=frappe.qb.desc)
		.run(as_dict=True)
	)
	by_quiz: dict[str, list[frappe._dict]] = {}
	for row in rows:
		by_quiz.setdefault(row.quiz, []).append(row)
	return by_quiz


def open_attempt(quiz: str, member: str, assignment: str | None) -> frappe._dict | None:
	attempt = DocType(QUIZ_ATTEMPT)
	rows = (
		frappe.qb.from_(attempt)
		.select(attempt.name, attempt.attempt, attempt.deadline, attempt.questions, attempt.lesson)
		.where(
			(attempt.quiz == quiz)
			& (attempt.member == member)
			& (attempt.status == "Open")
			& _for_assignment(attempt, assignment)
		)
		.orderby(attempt.attempt, order=frappe.qb.desc)
		.limit(1)
		.run(as_dict=True)
	)
	return rows[0] if rows else None


def set_exhausted(assignment: str | None, exhausted: bool, quiz_title: str) -> None:
	"""Show on the assignment whether a quiz's attempts are used up (desk indicator, list filter,
	get_team_training_status), with a line on its timeline."""
	if not assignment:
		return
	doc = frappe.get_doc(ASSIGNMENT, assignment)
	if bool(doc.attempts_exhausted) == exhausted:
		return
	doc.attempts_exhausted = int(exhausted)
	doc.flags.app_owned_change = True
	doc.save(ignore_permissions=True)  # the app's own record of the learner's attempts
	if exhausted:
		doc.add_comment(
			"Info",
			_("Used every attempt at quiz {0} without a pass: HR may grant more.").format(
				escape_html(quiz_title)
			),
		)


def grant(assignment, quiz: frappe._dict, extra_attempts: int, reason: str, used: int) -> int | None:
	"""Add HR's grant of `extra_attempts` at `quiz` to the (loaded) assignment, with its reason, and
	clear "attempts exhausted" when attempts are left. Returns the attempts now left."""
	assignment.append(
		"attempt_grants",
		{
			"quiz": quiz.name,
			"extra_attempts": extra_attempts,
			"reason": reason,
			"granted_by": frappe.session.user,
			"granted_on": now_datetime(),
		},
	)
	allowed = attempts_allowed(quiz, assignment.name) + extra_attempts
	left = attempts_left(allowed, used)
	if left:
		assignment.attempts_exhausted = 0
	assignment.flags.app_owned_change = True
	assignment.save(ignore_permissions=True)  # the caller checked the record keeper's role
	return left


def _for_assignment(table, assignment: str | None):
	return table.assignment == assignment if assignment else table.assignment.isnull()
