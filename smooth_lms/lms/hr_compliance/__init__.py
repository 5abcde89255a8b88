"""HR's ledger: completions of courses with a compliance type handed to Smooth HR's Employee Compliance.

Where the site has the Employee Compliance DocType (Smooth HR's, or the stand-in of demo.hr_doctypes) and
a course has a `compliance_type`, each completion by a learner with an Employee record (the one that
stands for them: people.employees.person_record) is handed over: that employee's row of that type is
created or updated — Complete, completion_date, next_renewal_date = valid_until — with the certificate
PDF attached as a private File and the certificate named on the row's timeline. A row never moves back
to an earlier completion; a completion already expired when it is handed over arrives Expired.

- `queue_handoff(assignments)` (here): called by the completion paths beside issue_certificates (the
  assignment's on_update, the status engine's set-wise completions). It only queues the job, after the
  commit: a handoff never blocks or undoes a completion.
- `handoff.hand_over`: the job, set-wise — one query for the facts, one for the existing rows, one
  multi-row INSERT for the new ones, one UPDATE for the changed ones per 1,000, Frappe's traces through
  framework.document_trail. A batch that fails is retried row by row; a row that fails is logged with
  its employee, course and assignment and left.
- `evidence.attach_evidence`: the per-row part (a PDF is per certificate), in chunked jobs.
- `daily.hand_over_and_expire` (hooks.py, daily): hands over what is left, then turns Expired the rows
  whose completion that counts has expired unrenewed.

What was handed over is kept on the assignment: `compliance_record` (the row it was written to) and
`compliance_handed_over` (when the evidence was attached too: the handoff is finished). Both empty: left
for the daily job.

Sites without Employee Compliance: every entry point returns at once, nothing is queued, no error.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, EMPLOYEE, EMPLOYEE_COMPLIANCE
from smooth_lms.lms.framework.batches import chunked
from smooth_lms.lms.people.employees import has_employees, person_record

HAND_OVER_JOB = "smooth_lms.lms.hr_compliance.handoff.hand_over_job"


def has_employee_compliance() -> bool:
	"""Whether the site keeps HR's ledger (Frappe caches the table list: no statement, mostly)."""
	return bool(frappe.db.table_exists(EMPLOYEE_COMPLIANCE))


def queue_handoff(assignments: list[str]) -> None:
	"""Queue, after the commit, the handoff of those just-completed `assignments` that belong to a course
	with a compliance type. Nothing on sites without Employee Compliance."""
	if not assignments or not has_employee_compliance():
		return
	handed = _of_compliance_courses(assignments)
	if handed:
		frappe.enqueue(
			HAND_OVER_JOB,
			queue="long",
			enqueue_after_commit=True,  # the completion is committed first; a rollback queues nothing
			assignments=handed,
		)


def as_the_app() -> None:
	"""For the handoff's jobs: a job runs as the user who queued it, often the learner who completed. HR's
	ledger rows and their evidence are the app's writing, not the learner's (a File's owner may read and
	delete it)."""
	frappe.set_user("Administrator")


def log_failure(assignments: list[str], step: str) -> None:
	"""Log a failed handoff with the names HR needs: assignment, learner, their Employee record, course.
	Called inside the `except` block: the traceback is the current exception's."""
	assignment, employee = DocType(ASSIGNMENT), DocType(EMPLOYEE)
	query = frappe.qb.from_(assignment).select(assignment.name, assignment.employee, assignment.course)
	if has_employees():
		query = query.left_join(employee).on(person_record(employee, assignment.employee))
		query = query.select(employee.name)
	rows = query.where(assignment.name.isin(assignments)).run()
	names = "\n".join(
		_("Assignment {0}, learner {1}, Employee {2}, course {3}").format(
			row[0], row[1], row[3] if len(row) > 3 and row[3] else _("(none)"), row[2]
		)
		for row in rows
	)
	frappe.log_error(
		title=_("HR compliance handoff failed: {0}").format(step),
		message=f"{names}\n\n{frappe.get_traceback()}",
		reference_doctype=ASSIGNMENT,
		reference_name=assignments[0] if len(assignments) == 1 else None,
	)


def _of_compliance_courses(names: list[str]) -> list[str]:
	assignment, course = DocType(ASSIGNMENT), DocType(COURSE)
	found = []
	for batch in chunked(names):
		found += [
			row[0]
			for row in frappe.qb.from_(assignment)
			.join(course)
			.on(course.name == assignment.course)
			.select(assignment.name)
			.where(assignment.name.isin(list(batch)))
			.where(course.compliance_type.notnull() & (course.compliance_type != ""))
			.run()
		]
	return found
