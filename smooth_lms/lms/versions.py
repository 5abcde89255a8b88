"""Course versions: every completion, certificate and quiz submission records the course's `version`
(`course_version`), and publishing a new version may ask those who hold an older one to retrain.

- `preview_new_version(course)` (GET): how many learners a retraining would reach now;
- `publish_new_version(course, version, retrain=0, due_date=None)` (POST; create permission on LMS
  Training Assignment: Moderator, System Manager) sets the version and, with `retrain`, opens a renewal
  (`renewal_of` = their latest completion) for every learner who still owes the course and whose latest
  completion is of an older version — set-wise, once (a learner with an open or overdue assignment of the
  course is left alone), due on `due_date` (default: today + the course's renewal window). Returns the
  number opened. More than INLINE_LIMIT learners: the version is set at once and the renewals open from a
  background job with a progress bar for the person who asked (the answer is the number it will open).

The version is changed only here: the course form shows it read only, and its controller refuses a save
that changes it otherwise.
"""

import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import add_days, cint, cstr, escape_html, getdate, today
from pypika.terms import ExistsCriterion

from smooth_lms.lms.assignments.creation import AssignmentResult, assign_pairs
from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE
from smooth_lms.lms.framework.batches import chunked
from smooth_lms.lms.framework.document_trail import Via
from smooth_lms.lms.framework.guards import guarded
from smooth_lms.lms.framework.roles import require_assigner
from smooth_lms.lms.framework.validation import validate_due_date
from smooth_lms.lms.obligations.owed import still_owes
from smooth_lms.lms.training_rules import COMPLETED, OPEN_STATUSES, OVERDUE
from smooth_lms.lms.validity.states import later_completion

INLINE_LIMIT = 5000
MAX_VERSION_LENGTH = 40


@frappe.whitelist(methods=["GET"])
@guarded(require_assigner)
def preview_new_version(course: str) -> dict:
	"""{"course", "version", "to_retrain"}: the learners a retraining would reach now."""
	row = _course(course)
	return {
		"course": row.name,
		"version": row.version,
		"to_retrain": len(outdated_completions(row.name, None)),
	}


@frappe.whitelist(methods=["POST"])
@guarded(require_assigner)
def publish_new_version(
	course: str, version: str, retrain: int = 0, due_date: str | datetime.date | None = None
) -> int:
	row = _course(course)
	version = cstr(version).strip()
	if not version or len(version) > MAX_VERSION_LENGTH:
		frappe.throw(
			_("A version is 1 to {0} characters, such as 2027 or 2.1.").format(MAX_VERSION_LENGTH),
			frappe.ValidationError,
			title=_("Invalid Version"),
		)
	if version == cstr(row.version):
		frappe.throw(
			_("Course {0} is at version {1} already.").format(escape_html(row.title), escape_html(version)),
			frappe.ValidationError,
			title=_("Same Version"),
		)
	due = validate_due_date(due_date or add_days(today(), cint(row.renewal_window_days)))
	doc = frappe.get_doc(COURSE, row.name)
	doc.version = version
	doc.flags.new_version = True
	doc.save()  # the caller's own right to edit the course applies (Moderator, System Manager)
	if not cint(retrain):
		return 0
	pairs = outdated_completions(row.name, version)
	if len(pairs) <= INLINE_LIMIT:
		return len(retrain_holders(row.name, version, pairs, due).created)
	frappe.enqueue(
		"smooth_lms.lms.versions.run_retraining",
		queue="long",
		timeout=3600,
		enqueue_after_commit=True,
		course=row.name,
		version=version,
		due_date=str(due),
		asked_by=frappe.session.user,
	)
	return len(pairs)


def outdated_completions(course: str, version: str | None) -> dict[tuple[str, str], str]:
	"""{(learner, course): their latest completion} of the learners who still owe `course`, whose latest
	completion is of another version than `version` (the course's current one when None) and who have no
	open or overdue assignment of it — in one query, whatever their number."""
	completion, course_table = DocType(ASSIGNMENT), DocType(COURSE)
	working = DocType(ASSIGNMENT).as_("working")
	current = course_table.version if version is None else version
	rows = (
		frappe.qb.from_(completion)
		.join(course_table)
		.on(course_table.name == completion.course)
		.select(completion.employee, completion.course, completion.name)
		.where(completion.course == course)
		.where(completion.status == COMPLETED)
		.where(Coalesce(completion.course_version, "") != current)
		.where(~later_completion(completion))
		.where(
			~ExistsCriterion(
				frappe.qb.from_(working)
				.select(working.name)
				.where(
					(working.employee == completion.employee)
					& (working.course == completion.course)
					& working.status.isin([*OPEN_STATUSES, OVERDUE])
				)
			)
		)
		.where(still_owes(completion.employee, course_table))
		.run()
	)
	return {(employee, course_name): name for employee, course_name, name in rows}


def retrain_holders(
	course: str, version: str, pairs: dict[tuple[str, str], str], due: datetime.date, progress=None
) -> AssignmentResult:
	"""Open the renewals of `pairs` (outdated_completions), 1,000 a batch, through the creation path."""
	via = Via(_("via version {0} of the course").format(version), COURSE, course)
	result = AssignmentResult()
	done = 0
	for batch in chunked(list(pairs)):
		renewals = {pair: (due, pairs[pair]) for pair in batch}
		result.absorb(assign_pairs(list(batch), due, via=via, renewals=renewals))
		done += len(batch)
		if progress:
			progress(done, len(pairs))
	return result


def run_retraining(course: str, version: str, due_date: str, asked_by: str) -> None:
	"""Background job of a large `publish_new_version`: the renewals, with a progress bar for the person
	who asked, then a line on the course's timeline."""
	title = _("Retraining for version {0}").format(version)

	def progress(done: int, total: int) -> None:
		frappe.publish_progress(done * 100 / max(total, 1), title=title, doctype=COURSE, docname=course,
			description=_("{0} of {1} renewals").format(done, total))  # fmt: skip

	pairs = outdated_completions(course, version)
	result = retrain_holders(course, version, pairs, getdate(due_date), progress)
	frappe.get_doc(COURSE, course).add_comment(
		"Info",
		_("Version {0}: {1} learners asked to retrain (asked by {2}).").format(
			escape_html(version), len(result.created), escape_html(asked_by)
		),
	)


def _course(course: str) -> frappe._dict:
	row = frappe.db.get_value(
		COURSE, course, ["name", "title", "version", "renewal_window_days"], as_dict=True
	) if course else None  # fmt: skip
	if not row:
		frappe.throw(
			_("Course {0} does not exist.").format(escape_html(cstr(course))),
			frappe.DoesNotExistError,
			title=_("Not Found"),
		)
	return row
