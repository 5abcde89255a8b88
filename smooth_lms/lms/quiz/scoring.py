"""Scoring a quiz attempt: pure rules, no database (tested without a site).

A question earns its marks when the chosen set of options equals its correct set exactly; an unanswered
one earns none. `percentage` = 100 * score / score_out_of, to 2 decimals; passed when it reaches the
pass mark. The attempt's snapshot (`drawn`, see quiz.drawing) says what each question meant when shown.
"""

import json
from dataclasses import dataclass, field


class MalformedAnswers(ValueError):
	"""The answers are not a map of question to chosen options (the message says what is wrong)."""


@dataclass
class QuestionResult:
	question: str
	chosen: list[str]
	is_correct: bool
	marks: float
	marks_out_of: float


@dataclass
class Score:
	score: float
	score_out_of: float
	percentage: float
	passed: bool
	questions: list[QuestionResult] = field(default_factory=list)


def parse_answers(answers) -> dict[str, list[str]]:
	"""`answers` as a caller sends it (a dict or its JSON text) → question name → chosen option names. A
	single option name stands for a list of one; None or an empty list is an unanswered question."""
	if isinstance(answers, str):
		try:
			answers = json.loads(answers) if answers.strip() else {}
		except ValueError as error:
			raise MalformedAnswers("answers is not valid JSON") from error
	if answers is None:
		return {}
	if not isinstance(answers, dict):
		raise MalformedAnswers("answers must map each question to the options chosen")
	parsed = {}
	for question, chosen in answers.items():
		if chosen is None:
			chosen = []
		elif isinstance(chosen, str):
			chosen = [chosen]
		if not isinstance(chosen, list) or not all(isinstance(option, str) for option in chosen):
			raise MalformedAnswers("the options chosen for a question must be a list of option names")
		parsed[str(question)] = list(dict.fromkeys(chosen))
	return parsed


def problems(drawn: list[dict], answers: dict[str, list[str]]) -> tuple[list[str], list[str]]:
	"""Questions answered that were not drawn for the attempt, and options chosen that were not shown
	with their question."""
	shown = {row["question"]: {option["option"] for option in row["options"]} for row in drawn}
	not_drawn = [question for question in answers if question not in shown]
	not_shown = [
		option
		for question, chosen in answers.items()
		if question in shown
		for option in chosen
		if option not in shown[question]
	]
	return not_drawn, not_shown


def score(drawn: list[dict], answers: dict[str, list[str]], passing_percentage: int) -> Score:
	"""Score `answers` (parsed, checked by `problems`) against the drawn questions' snapshot."""
	results, total, out_of = [], 0.0, 0.0
	for row in drawn:
		chosen = answers.get(row["question"]) or []
		correct = {option["option"] for option in row["options"] if option["is_correct"]}
		right = bool(chosen) and set(chosen) == correct
		marks = float(row["marks"])
		out_of += marks
		total += marks if right else 0.0
		results.append(QuestionResult(row["question"], chosen, right, marks if right else 0.0, marks))
	percentage = round(100 * total / out_of, 2) if out_of else 0.0
	return Score(total, out_of, percentage, percentage >= passing_percentage, results)
