"""Quiz Item Analysis: how each question of a quiz is answered, for the people who write quizzes — how
often it was shown in scored submissions, the share answered right, and the wrong option chosen most —
with a bar chart of the share right per question. A question everyone gets wrong, or a wrong option most
people pick, is a question (or a lesson) to rewrite.

Who runs it: whoever may write LMS Quiz (framework.roles.require_quiz_author: Course Creator, Moderator,
System Manager by the DocType's permissions); HR and learners get 403. The report's ref_doctype is LMS Quiz
for the same reason: Frappe's report runner asks for "report" permission on it, and LMS Quiz Submission
is read by HR and learners (their own), not by course authors. The report shows no learner.

Set-wise, whatever the number of submissions, three queries: the answers counted per question, right or
not and chosen set (`chosen_key`, written with each answer: quiz.chosen_keys), from the answers' index on
(quiz, question, is_correct, chosen_key, course, creation) alone — read in its order, so grouped without
a temporary table, and with no join: each answer keeps its submission's quiz, course and creation (a
handful of groups per question: the chosen sets are few); the quiz's question order; the questions'
texts and options. A fourth only when some wrong answer has no key (a set too long for one): those are
grouped by their `chosen` JSON. The wrong option chosen most is counted from the groups, in Python,
never from the answer rows. Option texts and correctness are the questions' as they are now (the author's bank); an option
removed since reads "(option removed)". 100,000 submissions: see scripts/benchmark items.
"""

import datetime
import html
import json

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import add_days, escape_html, flt, strip_html
from pypika.terms import Function

from smooth_lms.lms.doctypes import (
	QUESTION,
	QUESTION_OPTION,
	QUIZ,
	QUIZ_QUESTION,
	SUBMISSION_ANSWER,
)
from smooth_lms.lms.framework.roles import require_quiz_author
from smooth_lms.lms.quiz.chosen_keys import chosen_options
from smooth_lms.lms.report.compliance_matrix.compliance_matrix import text_filter
from smooth_lms.lms.report.training_history.training_history import date_filter

QUESTION_TEXT_LENGTH = 200  # characters of a question's text in the table
CHOSEN_LENGTH = 2000  # a chosen set is grouped as VARCHAR (a TEXT column would send the grouping to disk)


def execute(filters: dict | None = None):
	require_quiz_author(_("Quiz Item Analysis needs the {0} role."))
	filters = filters or {}
	quiz = text_filter(filters, "quiz")
	if not quiz:  # the report opened without one: an empty table that says what to do, not an error
		return get_columns(), [], _("Pick a quiz to see how each of its questions was answered."), None
	if not frappe.db.exists(QUIZ, quiz):
		frappe.throw(_("Quiz {0} was not found.").format(escape_html(quiz)), frappe.DoesNotExistError)
	frappe.has_permission(QUIZ, "read", quiz, throw=True)
	rows = item_analysis(
		quiz,
		course=text_filter(filters, "course"),
		from_date=date_filter(filters, "from_date"),
		to_date=date_filter(filters, "to_date"),
	)
	return get_columns(), rows, None, get_chart(rows)


def item_analysis(
	quiz: str,
	course: str | None = None,
	from_date: datetime.date | None = None,
	to_date: datetime.date | None = None,
) -> list[dict]:
	"""One row per question of the quiz (in the quiz's order; questions answered once but since removed
	from it after): attempts, right, share right (%), the wrong option chosen most and how often."""
	groups = _answer_groups(quiz, course, from_date, to_date)
	order = _quiz_questions(quiz)
	for question in groups:
		if question not in order:
			order.append(question)
	texts, options = _questions(order)
	rows = []
	for number, question in enumerate(order, start=1):
		answered = groups.get(question) or frappe._dict(attempts=0, right=0, wrong_choices=[])
		attempts, right = answered.attempts, answered.right
		wrong_option, wrong_count = _most_chosen_wrong(answered.wrong_choices, options.get(question, {}))
		rows.append(
			{
				"number": number,
				"label": f"Q{number}",
				"question": question,
				"question_text": texts.get(question, ""),
				"attempts": attempts,
				"right": right,
				"right_share": flt(100 * right / attempts, 1) if attempts else None,
				"most_chosen_wrong": wrong_option,
				"most_chosen_wrong_count": wrong_count or None,
			}
		)
	return rows


def get_columns() -> list[dict]:
	return [
		{"fieldname": "label", "label": _("#"), "fieldtype": "Data", "width": 60},
		{"fieldname": "question", "label": _("Question"), "fieldtype": "Link", "options": QUESTION, "width": 110},
		{"fieldname": "question_text", "label": _("Question Text"), "fieldtype": "Data", "width": 320},
		{"fieldname": "attempts", "label": _("Attempts"), "fieldtype": "Int", "width": 100},
		{"fieldname": "right", "label": _("Answered Right"), "fieldtype": "Int", "width": 130},
		{"fieldname": "right_share", "label": _("Share Right"), "fieldtype": "Percent", "width": 110},
		{"fieldname": "most_chosen_wrong", "label": _("Wrong Option Chosen Most"), "fieldtype": "Data", "width": 260},
		{"fieldname": "most_chosen_wrong_count", "label": _("Times Chosen"), "fieldtype": "Int", "width": 110},
	]  # fmt: skip


def get_chart(rows: list[dict]) -> dict | None:
	"""The share answered right per question, labelled Q1, Q2… as the table's first column (a question's
	own text is the author's, and the chart library prints labels as markup)."""
	if not any(row["attempts"] for row in rows):
		return None
	return {
		"data": {
			"labels": [row["label"] for row in rows],
			"datasets": [{"name": _("Share Right"), "values": [row["right_share"] or 0 for row in rows]}],
		},
		"type": "bar",
		"fieldtype": "Percent",
		"colors": ["#2f6f4f"],
	}


def answers_query(quiz, course=None, from_date=None, to_date=None):
	"""The quiz's scored answers, filtered, as a query to select from, and the answers' table. An answer
	keeps its submission's quiz, course and creation (quiz._insert_answers), so no join: the index (quiz,
	question, is_correct, chosen_key, course, creation) answers it without reading the rows."""
	answer = DocType(SUBMISSION_ANSWER)
	query = frappe.qb.from_(answer).where(answer.quiz == quiz)
	if course:
		query = query.where(answer.course == course)
	if from_date:
		query = query.where(answer.creation >= from_date)
	if to_date:
		query = query.where(answer.creation < add_days(to_date, 1))
	return query, answer


def _answer_groups(quiz, course, from_date, to_date) -> dict[str, frappe._dict]:
	"""question -> {attempts, right, wrong_choices: [(chosen options, answers)]} over the quiz's scored
	answers, in one query: the answers counted by question, right or not and chosen set, read from the
	index on (quiz, question, is_correct, chosen_key, course, creation) alone. Wrong answers without a key
	(a set too long for one, quiz.chosen_keys) are grouped by their `chosen` JSON in a second query, run
	only if any."""
	query, answer = answers_query(quiz, course, from_date, to_date)
	groups: dict[str, frappe._dict] = {}
	unkeyed = False
	for question, correct, key, count in (
		query.select(answer.question, answer.is_correct, answer.chosen_key, Count("*"))
		.groupby(answer.question, answer.is_correct, answer.chosen_key)
		.run()
	):
		group = groups.setdefault(question, frappe._dict(attempts=0, right=0, wrong_choices=[]))
		group.attempts += int(count)
		if correct:
			group.right += int(count)
		elif key is None:
			unkeyed = True
		else:
			group.wrong_choices.append((chosen_options(key), int(count)))
	if unkeyed:
		chosen = Function("LEFT", answer.chosen, CHOSEN_LENGTH)
		for question, chosen_set, count in (
			answers_query(quiz, course, from_date, to_date)[0]
			.select(answer.question, chosen, Count("*"))
			.where((answer.is_correct == 0) & answer.chosen_key.isnull())
			.groupby(answer.question, chosen)
			.run()
		):
			groups[question].wrong_choices.append((_json_list(chosen_set), int(count)))
	return groups


def _quiz_questions(quiz: str) -> list[str]:
	row = DocType(QUIZ_QUESTION)
	return (
		frappe.qb.from_(row)
		.select(row.question)
		.where((row.parent == quiz) & (row.parenttype == QUIZ) & (row.parentfield == "questions"))
		.orderby(row.idx)
		.run(pluck=True)
	)


def _questions(names: list[str]) -> tuple[dict[str, str], dict[str, dict[str, tuple[str, bool]]]]:
	"""The questions' texts (tags stripped, shortened) and options (name -> (text, correct)), in one query."""
	if not names:
		return {}, {}
	question, option = DocType(QUESTION), DocType(QUESTION_OPTION)
	texts, options = {}, {}
	for name, text, option_name, option_text, correct in (
		frappe.qb.from_(question)
		.left_join(option)
		.on((option.parent == question.name) & (option.parenttype == QUESTION))
		.select(question.name, question.question, option.name, option.option, option.is_correct)
		.where(question.name.isin(names))
		.run()
	):
		if name not in texts:
			texts[name] = _plain(text)
		if option_name:
			options.setdefault(name, {})[option_name] = (option_text or "", bool(correct))
	return texts, options


def _most_chosen_wrong(wrong_choices, options: dict[str, tuple[str, bool]]) -> tuple[str | None, int]:
	"""The wrong option picked in the most answers and its count (a tie goes to the option shown first in
	the question as it is now; options removed since come last)."""
	counts: dict[str, int] = {}
	for chosen, count in wrong_choices:
		for name in chosen:
			if name not in options or not options[name][1]:  # not a right option chosen beside a wrong one
				counts[name] = counts.get(name, 0) + count
	candidates = [name for name in options if name in counts] + [n for n in counts if n not in options]
	if not candidates:
		return None, 0
	best = max(candidates, key=lambda name: counts[name])  # max keeps the first of equals
	return (options[best][0] if best in options else _("(option removed)")), counts[best]


def _plain(text: str | None) -> str:
	"""A Text Editor value as one line of text: tags stripped, entities read, spaces collapsed, shortened."""
	plain = " ".join(html.unescape(strip_html(text or "")).split())
	return plain if len(plain) <= QUESTION_TEXT_LENGTH else plain[: QUESTION_TEXT_LENGTH - 1] + "…"


def _json_list(value) -> list[str]:
	try:
		parsed = json.loads(value or "[]")
	except ValueError:
		return []
	return [str(name) for name in parsed] if isinstance(parsed, list) else []
