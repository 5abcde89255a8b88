"""A question of the bank: its text, its type and its options, the right number of them correct."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils.html_utils import sanitize_html

from smooth_lms.lms.framework.plain_text import plain_text
from smooth_lms.lms.framework.validation import validate_value_types
from smooth_lms.lms.portal.display import SITE_IMAGES, site_images_only

SINGLE = "Single Choice"
MULTIPLE = "Multiple Choice"


class LMSQuestion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smooth_lms.lms.doctype.lms_question_option.lms_question_option import LMSQuestionOption

		options: DF.Table[LMSQuestionOption]
		question: DF.TextEditor
		type: DF.Literal["Single Choice", "Multiple Choice"]
	# end: auto-generated types

	def validate(self):
		validate_value_types(self)  # what REST callers send, before anything reads it
		# The desk prints a Text Editor's value as HTML: cleaned always (lms_course.py says why).
		# Images only from the site's uploads, or pasted (Frappe saves those as files right after validate):
		# the desk prints the text as HTML, the portal and prints show it too.
		self.question = site_images_only(
			sanitize_html(self.question or "", always_sanitize=True), keep=(*SITE_IMAGES, "data:image/")
		)
		if not frappe.utils.strip_html(self.question).strip() and "<img" not in self.question:
			frappe.throw(_("The question needs a text."), frappe.MandatoryError, title=_("Missing Question"))
		for option in self.options:
			option.option = plain_text(option.option).strip()
			option.explanation = plain_text(option.explanation)
			if not option.option:
				frappe.throw(
					_("Option in row {0} needs a text.").format(option.idx),
					frappe.MandatoryError,
					title=_("Missing Option"),
				)
		self.validate_options()

	def validate_options(self):
		if len(self.options) < 2:
			frappe.throw(
				_("A question needs at least two options, not {0}.").format(len(self.options)),
				frappe.ValidationError,
				title=_("Too Few Options"),
			)
		texts = [option.option.casefold() for option in self.options]
		if len(set(texts)) < len(texts):
			frappe.throw(
				_("Two options of the question have the same text."),
				frappe.ValidationError,
				title=_("Same Option Twice"),
			)
		correct = len([option for option in self.options if option.is_correct])
		if self.type == SINGLE and correct != 1:
			frappe.throw(
				_("A Single Choice question has exactly one correct option, not {0}.").format(correct),
				frappe.ValidationError,
				title=_("Wrong Number of Correct Options"),
			)
		if self.type == MULTIPLE and correct < 1:
			frappe.throw(
				_("A Multiple Choice question has at least one correct option."),
				frappe.ValidationError,
				title=_("Wrong Number of Correct Options"),
			)
