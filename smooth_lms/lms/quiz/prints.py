"""What the auditor's prints of proof show: a quiz submission's questions as the learner saw and answered
them, and moments written so nobody misreads them.

The print formats "LMS Quiz Submission" and "LMS Acknowledgement" (lms/print_format/) call these through
hooks.py's Jinja methods. Frappe's Jinja does not autoescape: the formats print every value with `| e`,
and the one HTML they print raw — a question's text — comes from portal.display.rich_text (sanitised).
"""

import json

import frappe
from frappe.utils import cint, flt, format_datetime, get_system_timezone

from smooth_lms.lms.portal.display import rich_text, site_images_only
from smooth_lms.lms.quiz import review

MOMENT_FORMAT = "yyyy-MM-dd HH:mm:ss"  # ISO order: 05-12 is read neither as May nor as December


def proof_moment(value) -> str:
	"""A stored moment as "2026-12-05 14:03:22 Europe/London" (the site's time zone, named)."""
	if not value:
		return ""
	return f"{format_datetime(value, MOMENT_FORMAT)} {get_system_timezone()}"


def submission_questions(doc) -> list[frappe._dict]:
	"""Each answered question of a submission, in the order shown: its sanitised text (`html`), its options
	as shown (`text`, `chosen`, and `is_correct`), whether the answer was right and its marks. Whether an
	option or answer was right, and the marks, only for those who read the answers (`answers_shown`,
	quiz.review): its learner sees their choices alone after a failed attempt under "After Passing", and
	always under "Never"."""
	shown = review.answers_visible(doc)
	questions = []
	for number, answer in enumerate(doc.get("answers") or [], start=1):
		chosen = set(_json_list(answer.chosen))
		options = [
			frappe._dict(
				text=option.get("text") or "",
				is_correct=shown and bool(cint(option.get("is_correct"))),
				chosen=option.get("option") in chosen,
			)
			for option in _json_list(answer.options)
			if isinstance(option, dict)
		]
		questions.append(
			frappe._dict(
				number=number,
				html=printable_html(answer.question_text),
				options=options,
				answers_shown=shown,
				is_correct=shown and bool(answer.is_correct),
				unanswered=not chosen,
				marks=print_number(answer.marks) if shown else "",
				marks_out_of=print_number(answer.marks_out_of),
			)
		)
	return questions


def printable_html(html: str | None) -> str:
	"""Rich text as portal.display.rich_text cleans it, with every image that is not one of the site's
	uploads replaced by "[image: its alt text]": a print of proof never fails on an image."""
	return site_images_only(rich_text(html))


def print_number(value) -> str:
	"""A score, mark or percentage as printed: 4, 4.5, 83.33 (no trailing zeros)."""
	return f"{flt(value, 2):.2f}".rstrip("0").rstrip(".")


def _json_list(value) -> list:
	"""A Code field's JSON list; anything else (never written by submit_quiz) reads as empty."""
	if isinstance(value, list):
		return value
	try:
		parsed = json.loads(value or "[]")
	except (TypeError, ValueError):
		return []
	return parsed if isinstance(parsed, list) else []
