"""Proof of comprehension: quizzes and acknowledgements, the methods SPEC.md names.

- `start_quiz(quiz)` draws an attempt (or resumes the open one) for the session user;
- `submit_quiz(attempt, answers)` scores it on the server, once; a pass finishes the quiz's lesson;
- `acknowledge(course, lesson, typed_name)` signs a lesson's statement and finishes the lesson;
- `grant_attempts(assignment, quiz, extra_attempts, reason)` is HR's: more attempts, with a reason.

Everything one learner does in one course runs under their enrollment's row lock
(learning.progress.lock_enrollment): two starts, two submits of one attempt, a submit racing a start,
are served one after the other, each seeing what the other wrote; the database holds one attempt per
number (`attempt_key`) and one submission per attempt (`quiz_attempt`) anyway.

Decisions where SPEC.md is silent: an open attempt is resumed, not replaced (starting uses an attempt);
after a pass for the current assignment the quiz is not started again; a submission after the time
limit (plus GRACE_SECONDS for the network) is refused (417) and the attempt stays used; `attempts_left`
and `max_attempts` count HR's grants, with None / 0 for unlimited.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, cstr, escape_html, get_datetime, now_datetime

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, QUIZ_ATTEMPT, QUIZ_SUBMISSION, SUBMISSION_ANSWER
from smooth_lms.lms.framework.batches import insert_rows
from smooth_lms.lms.framework.guards import guarded, require_login
from smooth_lms.lms.framework.keys import unique_key
from smooth_lms.lms.framework.roles import require_record_keeper
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.enrollments import enrollment_for
from smooth_lms.lms.learning.finishing import ACKNOWLEDGEMENT as BY_ACKNOWLEDGEMENT
from smooth_lms.lms.learning.finishing import how_finished
from smooth_lms.lms.learning.progress import (
	current_assignment,
	current_assignment_status,
	finish_lesson,
	lock_enrollment,
)
from smooth_lms.lms.quiz import acknowledgements, attempts, drawing, review, scoring
from smooth_lms.lms.quiz.chosen_keys import chosen_key

GRACE_SECONDS = 30
ANSWER_FIELDS = (
	"name", "creation", "modified", "modified_by", "owner", "docstatus", "idx", "parent", "parenttype",
	"parentfield", "question", "question_text", "options", "chosen", "chosen_key", "is_correct", "marks",
	"marks_out_of", "quiz", "course",
)  # fmt: skip


def require_learner_login() -> None:
	require_login(_("Please log in to take quizzes and acknowledge lessons."))


@frappe.whitelist(methods=["POST"])
@guarded(require_learner_login, retry=True)
def start_quiz(quiz: str) -> dict:
	"""Draw the session user's next attempt at `quiz` (or resume their open one) and show it: the
	questions and their options, nothing about which is correct."""
	user = frappe.session.user
	row = drawing.get_quiz(quiz)
	if not row:
		frappe.throw(_("Quiz {0} was not found.").format(escape_html(quiz)), frappe.DoesNotExistError)
	lesson = _quiz_lesson(row)
	lock_enrollment(_enrollment(user, row.course))  # one request of this learner's at a time
	assignment = current_assignment(user, row.course)
	allowed = attempts.attempts_allowed(row, assignment)
	used = attempts.attempts_used(row.name, user, assignment)

	current = attempts.open_attempt(row.name, user, assignment)
	if current and not _expired(current.deadline):
		return _shown(current.name, used, allowed, drawing.load(current.questions), current.deadline, row)
	if current:
		frappe.db.set_value(QUIZ_ATTEMPT, current.name, "status", "Expired")

	if attempts.has_passed(row.name, user, assignment):
		frappe.throw(
			_("You have passed quiz {0}.").format(escape_html(row.title)),
			frappe.ValidationError,
			title=_("Quiz Passed"),
		)
	if allowed and used >= allowed:
		attempts.set_exhausted(assignment, True, row.title)
		# The refusal below rolls the request back; what the desk shows HR must stay.
		frappe.db.commit()
		frappe.throw(
			_("You have used all {0} attempts at quiz {1} without a pass. Ask HR for more attempts.").format(
				allowed, escape_html(row.title)
			),
			frappe.ValidationError,
			title=_("No Attempts Left"),
		)

	drawn = drawing.draw(row)
	if not drawn:
		frappe.throw(
			_("Quiz {0} has no questions yet.").format(escape_html(row.title)),
			frappe.ValidationError,
			title=_("Quiz Not Ready"),
		)
	started = now_datetime()
	deadline = add_to_date(started, minutes=cint(row.time_limit_minutes)) if row.time_limit_minutes else None
	number = used + 1
	doc = frappe.get_doc(
		{
			"doctype": QUIZ_ATTEMPT,
			"quiz": row.name,
			"member": user,
			"course": row.course,
			"lesson": lesson.name,
			"assignment": assignment,
			"attempt": number,
			"status": "Open",
			"started_at": started,
			"deadline": deadline,
			"questions": drawing.dump(drawn),
			"attempt_key": unique_key(row.name, user, assignment, number),
		}
	).insert(ignore_permissions=True)  # learners never read attempts (they hold the answers)
	return _shown(doc.name, number, allowed, drawn, deadline, row)


@frappe.whitelist(methods=["POST"])
@guarded(require_learner_login, retry=True)
def submit_quiz(attempt: str, answers: dict | str | None = None) -> dict:
	"""Score the session user's open attempt; a pass finishes the quiz's lesson. Once per attempt."""
	user = frappe.session.user
	try:
		chosen = scoring.parse_answers(answers)
	except scoring.MalformedAnswers as error:
		frappe.throw(_("The answers are malformed: {0}.").format(_(str(error))), frappe.ValidationError)
	owner = frappe.db.get_value(QUIZ_ATTEMPT, attempt, ["member", "course"], as_dict=True)
	if not owner or owner.member != user:  # another learner's attempt does not exist for this one
		frappe.throw(
			_("Quiz attempt {0} was not found.").format(escape_html(attempt)), frappe.DoesNotExistError
		)
	enrollment = lock_enrollment(_enrollment(user, owner.course))
	current = frappe.db.get_value(
		QUIZ_ATTEMPT,
		attempt,
		["name", "quiz", "course", "lesson", "assignment", "attempt", "status", "deadline", "questions"],
		as_dict=True,
		for_update=True,
	)
	if current.status != "Open":
		frappe.throw(
			_("Attempt {0} was submitted already.").format(current.attempt),
			frappe.ValidationError,
			title=_("Already Submitted"),
		)
	if _expired(current.deadline):
		frappe.throw(
			_(
				"The time limit of this attempt passed at {0}: it was not scored, and it counts as used."
			).format(frappe.utils.format_datetime(current.deadline)),
			frappe.ValidationError,
			title=_("Time Is Up"),
		)
	drawn = drawing.load(current.questions)
	not_drawn, not_shown = scoring.problems(drawn, chosen)
	if not_drawn or not_shown:
		frappe.throw(
			_("Only the questions and options of this attempt can be answered; not {0}.").format(
				escape_html(", ".join((not_drawn + not_shown)[:5]))
			),
			frappe.ValidationError,
			title=_("Not In This Attempt"),
		)
	row = drawing.get_quiz(current.quiz)
	result = scoring.score(drawn, chosen, cint(row.passing_percentage))
	submission = _submission(current, row, drawn, result, enrollment)
	frappe.db.set_value(QUIZ_ATTEMPT, current.name, "status", "Submitted")

	allowed = attempts.attempts_allowed(row, current.assignment)
	used = attempts.attempts_used(row.name, user, current.assignment)
	left = attempts.attempts_left(allowed, used)
	if result.passed:
		lessons = {lesson.name: lesson for lesson in course_lessons(current.course)}
		if current.lesson in lessons:
			finish_lesson(enrollment, lessons[current.lesson])
	elif left == 0:
		attempts.set_exhausted(current.assignment, True, row.title)
	answer = {
		"submission": submission,
		"score": result.score,
		"score_out_of": result.score_out_of,
		"percentage": result.percentage,
		"passed": result.passed,
		"attempts_left": left,
		"progress": enrollment.progress,
		"status": current_assignment_status(user, current.course),
	}
	if review.shows_answers(row.show_answers, result.passed):
		answer["results"] = _results(drawn, result)
	return answer


@frappe.whitelist(methods=["POST"])
@guarded(require_learner_login, retry=True)
def acknowledge(course: str, lesson: str, typed_name: str) -> dict:
	"""The session user signs a lesson's statement by typing their full name; the lesson is finished."""
	user = frappe.session.user
	enrollment_name = _enrollment(user, course)
	lessons = {row.name: row for row in course_lessons(course, with_content=True)}
	if lesson not in lessons:
		frappe.throw(
			_("Lesson {0} is not part of course {1}.").format(escape_html(lesson), escape_html(course)),
			frappe.DoesNotExistError,
		)
	row = lessons[lesson]
	if how_finished(row) != BY_ACKNOWLEDGEMENT:
		frappe.throw(
			_("Lesson {0} has no statement to acknowledge.").format(escape_html(row.title)),
			frappe.ValidationError,
			title=_("Nothing to Acknowledge"),
		)
	name = acknowledgements.full_name(user)
	if not name or acknowledgements.normalised_name(typed_name) != acknowledgements.normalised_name(name):
		frappe.throw(
			_("Type your full name exactly as your account has it: {0}.").format(escape_html(name)),
			frappe.ValidationError,
			title=_("Name Does Not Match"),
		)
	enrollment = lock_enrollment(enrollment_name)
	assignment = current_assignment(user, course)
	signed = acknowledgements.existing(user, lesson, assignment)
	if not signed:
		signed = acknowledgements.record(enrollment, row, assignment, typed_name, name)
	finish_lesson(enrollment, row)
	return {
		"acknowledgement": signed,
		"progress": enrollment.progress,
		"status": current_assignment_status(user, course),
	}


@frappe.whitelist(methods=["POST"])
@guarded(lambda: require_record_keeper(_("Granting quiz attempts needs the {0} role.")))
def grant_attempts(assignment: str, quiz: str, extra_attempts: int, reason: str) -> dict:
	"""HR gives a learner more attempts at a quiz of their assignment's course, with a reason kept on the
	assignment's record (Attempt Grants, its timeline and Version history)."""
	doc = frappe.get_doc(ASSIGNMENT, assignment) if frappe.db.exists(ASSIGNMENT, assignment) else None
	if not doc:
		frappe.throw(
			_("Training assignment {0} was not found.").format(escape_html(assignment)),
			frappe.DoesNotExistError,
		)
	doc.check_permission("write")
	row = drawing.get_quiz(quiz)
	if not row or row.course != doc.course:
		frappe.throw(
			_("Quiz {0} is not a quiz of course {1}.").format(escape_html(quiz), escape_html(doc.course)),
			frappe.ValidationError,
			title=_("Wrong Quiz"),
		)
	if not 1 <= cint(extra_attempts) <= attempts.MAX_GRANT:
		frappe.throw(
			_("Extra attempts must be between 1 and {0}, not {1}.").format(
				attempts.MAX_GRANT, escape_html(cstr(extra_attempts))
			),
			frappe.ValidationError,
			title=_("Invalid Extra Attempts"),
		)
	reason = cstr(reason).strip()
	if not reason:
		frappe.throw(
			_("Say why the learner gets more attempts."), frappe.MandatoryError, title=_("Reason Needed")
		)
	if not row.max_attempts:
		frappe.throw(
			_("Quiz {0} has unlimited attempts.").format(escape_html(row.title)),
			frappe.ValidationError,
			title=_("Unlimited Attempts"),
		)
	used = attempts.attempts_used(row.name, doc.employee, doc.name)
	left = attempts.grant(doc, row, cint(extra_attempts), reason, used)
	return {"assignment": doc.name, "attempts_left": left, "attempts_exhausted": bool(doc.attempts_exhausted)}


def _enrollment(user: str, course: str) -> str:
	enrollment = enrollment_for(user, course)
	if not enrollment:
		frappe.throw(
			_("You are not enrolled in course {0}.").format(escape_html(course)), frappe.PermissionError
		)
	return enrollment


def _quiz_lesson(quiz: frappe._dict):
	"""The lesson of the quiz's course that the quiz finishes (the course must be published)."""
	if not frappe.db.get_value(COURSE, quiz.course, "published"):
		frappe.throw(_("Quiz {0} was not found.").format(escape_html(quiz.name)), frappe.DoesNotExistError)
	for lesson in course_lessons(quiz.course):
		if lesson.quiz == quiz.name:
			return lesson
	frappe.throw(
		_("Quiz {0} is not part of a lesson of its course.").format(escape_html(quiz.title)),
		frappe.ValidationError,
		title=_("Quiz Not In Use"),
	)


def _expired(deadline) -> bool:
	if not deadline:
		return False
	return now_datetime() > get_datetime(deadline) + datetime.timedelta(seconds=GRACE_SECONDS)


def _shown(attempt: str, used: int, allowed: int, drawn: list[dict], deadline, quiz: frappe._dict) -> dict:
	return {
		"attempt": attempt,
		"attempts_used": used,
		"max_attempts": allowed,
		"questions": drawing.shown(drawn),
		"time_limit_minutes": cint(quiz.time_limit_minutes),
		"deadline": str(deadline) if deadline else None,
	}


def _submission(current, quiz, drawn: list[dict], result: scoring.Score, enrollment) -> str:
	doc = frappe.get_doc(
		{
			"doctype": QUIZ_SUBMISSION,
			"quiz": quiz.name,
			"quiz_title": quiz.title,
			"member": enrollment.member,
			"member_name": enrollment.member_name or acknowledgements.full_name(enrollment.member),
			"course": current.course,
			"lesson": current.lesson,
			"assignment": current.assignment,
			"course_version": frappe.db.get_value(COURSE, current.course, "version"),
			"attempt": current.attempt,
			"quiz_attempt": current.name,
			"score": result.score,
			"score_out_of": result.score_out_of,
			"percentage": result.percentage,
			"passing_percentage": cint(quiz.passing_percentage),
			"passed": int(result.passed),
		}
	)
	doc.insert(ignore_permissions=True)  # written only here, for the learner this method checked
	_insert_answers(doc, drawn, result)
	return doc.name


def _insert_answers(submission, drawn: list[dict], result: scoring.Score) -> None:
	"""The submission's answers in one INSERT, the rows Document.insert would write one by one: that way
	50 answers cost 20 ms and 50 statements (scripts/benchmark quiz). Each question's text is the
	question's own as saved (sanitised then) from the attempt's snapshot; `options` and `chosen` are Code.
	For Quiz Item Analysis, each answer also keeps its chosen set as a key (quiz.chosen_keys) and its
	submission's quiz, course and creation."""
	rows = []
	for index, (row, scored) in enumerate(zip(drawn, result.questions, strict=True), start=1):
		options = [
			{"option": o["option"], "text": o["text"], "is_correct": o["is_correct"]} for o in row["options"]
		]
		rows.append(
			(frappe.generate_hash(length=10), submission.creation, submission.modified, submission.modified_by,
			 submission.owner, 0, index, submission.name, QUIZ_SUBMISSION, "answers", row["question"],
			 row["text"], frappe.as_json(options), frappe.as_json(scored.chosen), chosen_key(scored.chosen),
			 int(scored.is_correct), scored.marks, scored.marks_out_of, submission.quiz, submission.course)
		)  # fmt: skip
	insert_rows(SUBMISSION_ANSWER, ANSWER_FIELDS, rows)


def _results(drawn: list[dict], result: scoring.Score) -> list[dict]:
	return [
		{
			"question": row["question"],
			"is_correct": scored.is_correct,
			"marks": scored.marks,
			"marks_out_of": scored.marks_out_of,
			"chosen": scored.chosen,
			"options": [
				{
					"option": option["option"],
					"text": option["text"],
					"is_correct": bool(option["is_correct"]),
					"explanation": option["explanation"],
				}
				for option in row["options"]
			],
		}
		for row, scored in zip(drawn, result.questions, strict=True)
	]
