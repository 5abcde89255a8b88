"""Drawing an attempt's questions, and what the learner is shown of them.

The draw is a snapshot: each drawn question's text, type, marks and options (text, whether correct,
explanation) as they are now, in the order the learner sees them. The attempt keeps it (LMS Quiz
Attempt `questions`, read by nobody but System Manager and Moderator) and the submission is scored
against it, so a question edited later keeps its past meaning. `shown` strips it to what may leave the
server before a scored submission: no option says whether it is correct.

Four queries whatever the pool's size: the quiz, its question list, the drawn questions, their options.
"""

import json
import random

import frappe
from frappe.query_builder import DocType

from smooth_lms.lms.doctypes import QUESTION, QUESTION_OPTION, QUIZ, QUIZ_QUESTION
from smooth_lms.lms.portal.display import rich_text

QUIZ_FIELDS = (
	"name",
	"title",
	"course",
	"passing_percentage",
	"max_attempts",
	"questions_per_attempt",
	"shuffle",
	"show_answers",
	"time_limit_minutes",
)


def get_quiz(name: str) -> frappe._dict | None:
	return frappe.db.get_value(QUIZ, name, list(QUIZ_FIELDS), as_dict=True) if name else None


def draw(quiz: frappe._dict, rng: random.Random | None = None) -> list[dict]:
	"""The questions of one attempt: `questions_per_attempt` of the quiz's (all when 0) at random, in
	the quiz's order unless it shuffles (then questions and options in a random order)."""
	rng = rng or random.SystemRandom()
	row = DocType(QUIZ_QUESTION)
	pool = (
		frappe.qb.from_(row)
		.select(row.question, row.marks)
		.where((row.parent == quiz.name) & (row.parenttype == QUIZ) & (row.parentfield == "questions"))
		.orderby(row.idx)
		.run()
	)
	count = int(quiz.questions_per_attempt or 0)
	if count and count < len(pool):
		picked = set(rng.sample(range(len(pool)), count))
		pool = [entry for index, entry in enumerate(pool) if index in picked]
	if quiz.shuffle:
		pool = list(pool)
		rng.shuffle(pool)
	names = [name for name, _marks in pool]
	if not names:
		return []
	question = DocType(QUESTION)
	texts = {
		name: (text, kind)
		for name, text, kind in frappe.qb.from_(question)
		.select(question.name, question.question, question.type)
		.where(question.name.isin(names))
		.run()
	}
	option = DocType(QUESTION_OPTION)
	options: dict[str, list[dict]] = {}
	for parent, name, text, correct, explanation in (
		frappe.qb.from_(option)
		.select(option.parent, option.name, option.option, option.is_correct, option.explanation)
		.where((option.parent.isin(names)) & (option.parenttype == QUESTION))
		.orderby(option.idx)
		.run()
	):
		options.setdefault(parent, []).append(
			{"option": name, "text": text, "is_correct": int(correct or 0), "explanation": explanation or ""}
		)
	drawn = []
	for name, marks in pool:
		if name not in texts:
			continue  # deleted from the bank since it was added to the quiz
		choices = options.get(name, [])
		if quiz.shuffle:
			rng.shuffle(choices)
		text, kind = texts[name]
		drawn.append(
			{"question": name, "text": text, "type": kind, "marks": int(marks or 1), "options": choices}
		)
	return drawn


def shown(drawn: list[dict]) -> list[dict]:
	"""What the learner sees of the drawn questions: the question (cleaned HTML) and each option's name
	and text — nothing about which is correct."""
	return [
		{
			"question": row["question"],
			"text": rich_text(row["text"]),
			"type": row["type"],
			"options": [{"option": option["option"], "text": option["text"]} for option in row["options"]],
		}
		for row in drawn
	]


def load(attempt_questions: str | None) -> list[dict]:
	return json.loads(attempt_questions or "[]")


def dump(drawn: list[dict]) -> str:
	return json.dumps(drawn, ensure_ascii=False)
