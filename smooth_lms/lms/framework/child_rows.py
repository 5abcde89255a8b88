"""The app's child tables, read one row at a time, as their parent document is read.

Frappe checks a child row loaded on its own (/api/resource/<child>/<name>, /api/v2/document,
frappe.client.get, getdoc) against its parent DocType only, never the parent document:
frappe.permissions.has_child_permission asks about `getattr(child_doc, "parent_doc", child_doc.parent)`,
and a row loaded on its own has a `parent_doc` property that is None. Whoever reads their own assignment
would read the extension row of anyone's, whoever reads a published course the lessons of any draft,
given a row's name (framework.permissions keeps the names out of every list). No has_permission hook
runs for a child DocType, so hooks.py (override_doctype_class) puts these classes in place of the three
controllers (and those of the quiz tables): the same controllers, whose rows also ask their parent document.
"""

import frappe

from smooth_lms.lms.doctype.lms_course_audience.lms_course_audience import LMSCourseAudience
from smooth_lms.lms.doctype.lms_course_lesson.lms_course_lesson import LMSCourseLesson
from smooth_lms.lms.doctype.lms_due_date_extension.lms_due_date_extension import LMSDueDateExtension
from smooth_lms.lms.doctype.lms_question_option.lms_question_option import LMSQuestionOption
from smooth_lms.lms.doctype.lms_quiz_attempt_grant.lms_quiz_attempt_grant import LMSQuizAttemptGrant
from smooth_lms.lms.doctype.lms_quiz_question.lms_quiz_question import LMSQuizQuestion
from smooth_lms.lms.doctype.lms_quiz_submission_answer.lms_quiz_submission_answer import (
	LMSQuizSubmissionAnswer,
)


class ReadWithParent:
	"""A child row whose permission is also its parent document's when it was loaded on its own (a row
	loaded with its parent, `parent_doc` set, is checked by Frappe against that document already)."""

	def has_permission(self, permtype="read", *, debug=False, user=None) -> bool:
		if not super().has_permission(permtype, debug=debug, user=user):
			return False
		if self.flags.ignore_permissions or self.parent_doc is not None or not self.get("parent"):
			return True
		if not frappe.db.exists(self.parenttype, self.parent):
			return False  # an orphan row: nobody's to read
		return frappe.has_permission(self.parenttype, permtype, doc=self.parent, user=user, debug=debug)


class DueDateExtension(ReadWithParent, LMSDueDateExtension):
	pass


class CourseLesson(ReadWithParent, LMSCourseLesson):
	pass


class CourseAudience(ReadWithParent, LMSCourseAudience):
	pass


class QuizAttemptGrant(ReadWithParent, LMSQuizAttemptGrant):
	pass


class QuestionOption(ReadWithParent, LMSQuestionOption):
	pass


class QuizQuestion(ReadWithParent, LMSQuizQuestion):
	pass


class SubmissionAnswer(ReadWithParent, LMSQuizSubmissionAnswer):
	pass
