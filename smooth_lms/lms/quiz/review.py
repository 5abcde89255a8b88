"""What a learner reads of their own scored attempts: which options were right, which questions they got
right and their marks only when the quiz's `show_answers` lets them — after each attempt, or after passing
for the submission that passed; never under "Never". Their choices, score and result they always read.

A submission answer's `options` (each marked correct or not), `is_correct` and `marks` are at permlevel
ANSWERS_LEVEL, read by the roles that read every submission (HR Manager, Moderator, System Manager: the
DocType's permissions). Frappe then leaves them out of every list and report a learner runs, and out of
the document as /api/resource, /api/v2, frappe.client.get and the form loader send it, the Standard print
and the child row read on its own; the submission's controller grants the level to its own learner when
`shows_answers` allows (`granted_to_learner`), and the print format asks the same (`answers_visible`).

Frappe does not check a filter's field against permlevels, and a list may filter on a child table's
columns: a learner filtering their submissions on `is_correct` or `options` would learn what no field
shows. So a learner lists only the submissions whose answers they may read (`learner_list_condition`,
framework.permissions); the others they read one at a time, by name (submit_quiz returns it), in the
print and on the lesson page.
"""

import frappe

from smooth_lms.lms.doctypes import QUIZ, QUIZ_SUBMISSION

SHOW_ALWAYS, SHOW_AFTER_PASSING, SHOW_NEVER = "After Each Attempt", "After Passing", "Never"
ANSWERS_LEVEL = 1


def shows_answers(show_answers: str | None, passed) -> bool:
	"""A quiz with this `show_answers` lets the learner see the right answers of an attempt so scored."""
	return show_answers == SHOW_ALWAYS or (show_answers == SHOW_AFTER_PASSING and bool(passed))


def granted_to_learner(submission) -> bool:
	"""The session user is the submission's learner, and its quiz shows them its answers."""
	if not submission.get("member") or submission.member != frappe.session.user:
		return False
	return shows_answers(frappe.db.get_value(QUIZ, submission.quiz, "show_answers"), submission.passed)


def answers_visible(submission) -> bool:
	"""The session user reads the submission's answers (by role, or as its learner when shown)."""
	return ANSWERS_LEVEL in submission.get_permlevel_access("read")


def learner_list_condition() -> str:
	"""SQL on `tabLMS Quiz Submission`: the submissions whose quiz shows their learner the answers (the
	same rule as `shows_answers`)."""
	table = f"`tab{QUIZ_SUBMISSION}`"
	return (
		f"exists (select 1 from `tab{QUIZ}` shown where shown.`name` = {table}.`quiz`"
		f" and (shown.`show_answers` = {frappe.db.escape(SHOW_ALWAYS)}"
		f" or (shown.`show_answers` = {frappe.db.escape(SHOW_AFTER_PASSING)} and {table}.`passed` = 1)))"
	)
