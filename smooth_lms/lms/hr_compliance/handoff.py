"""Handing completions over to HR's ledger, set-wise: the job `queue_handoff` queues after a completion
is committed, and the daily catch-up's worker.

Of the assignments given, those completed, of a course with a compliance type, by a learner with an
Employee record, and not handed over yet are written to their ledger rows (rows.write_rows) in batches of
1,000; the row each went to is kept on the assignment (`compliance_record`). Their evidence follows
(evidence.attach_evidence): here for a few, in chunked jobs after the commit for many. A batch that
fails is rolled back to its savepoint and tried row by row: the row that fails is logged with its names
and left for the daily job, the others go on. Nothing here touches the completion itself.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import getdate, today

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, EMPLOYEE, EMPLOYEE_COMPLIANCE
from smooth_lms.lms.framework.batches import chunked, unique_in_order
from smooth_lms.lms.framework.document_trail import Via
from smooth_lms.lms.hr_compliance import as_the_app, has_employee_compliance, log_failure
from smooth_lms.lms.hr_compliance.evidence import attach_evidence
from smooth_lms.lms.hr_compliance.rows import Completion, update_by_name, write_rows
from smooth_lms.lms.people.employees import has_employees, person_record
from smooth_lms.lms.training_rules import COMPLETED

EVIDENCE_JOB = "smooth_lms.lms.hr_compliance.evidence.attach_evidence_job"
# Rows whose evidence (a PDF each, about a second) the handoff attaches itself; beyond, chunked jobs.
EVIDENCE_INLINE = 20
EVIDENCE_CHUNK = 50


def on_completion() -> Via:
	return Via(_("on completion"))


def hand_over_job(assignments: list[str]) -> None:
	"""Background job (queue "long"), queued after the commit of a completion by queue_handoff."""
	as_the_app()
	hand_over(assignments, on_completion())


def hand_over(assignments: list[str], via: Via | None = None, evidence: bool = True) -> list[str]:
	"""Hand over those of `assignments` not handed over yet; then their evidence (unless `evidence` is
	False: the benchmark times the set-wise part alone). Returns the assignments whose ledger row is
	written (now or before)."""
	if not assignments or not has_employee_compliance() or not has_employees():
		return []
	recorded = []
	for batch in chunked(unique_in_order(assignments)):
		recorded += _hand_over_batch(list(batch), via or on_completion())
	if evidence:
		pass_on_evidence(recorded)
	return recorded


def pass_on_evidence(assignments: list[str]) -> None:
	"""Attach the evidence of a few assignments now, of more from jobs of EVIDENCE_CHUNK after the commit
	(a long handoff would hold its transaction for minutes)."""
	if len(assignments) <= EVIDENCE_INLINE:
		attach_evidence(assignments)
		return
	for chunk in chunked(assignments, EVIDENCE_CHUNK):
		frappe.enqueue(EVIDENCE_JOB, queue="long", enqueue_after_commit=True, assignments=list(chunk))


def _hand_over_batch(names: list[str], via: Via) -> list[str]:
	savepoint = f"handoff_{frappe.generate_hash(length=8)}"
	frappe.db.savepoint(savepoint)
	try:
		recorded = _write(names, via)
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		if len(names) > 1:  # one bad row must not hold back the others
			return [name for one in names for name in _hand_over_batch([one], via)]
		log_failure(names, _("writing the Employee Compliance row"))
		return []
	frappe.db.release_savepoint(savepoint)
	return recorded


def _write(names: list[str], via: Via) -> list[str]:
	left = _lock(names)
	written_before = {name: record for name, record in left.items() if record}
	kept = _rows_that_exist(set(written_before.values()))
	# A row HR deleted before its evidence was attached is written again.
	to_write = [name for name in left if written_before.get(name) not in kept]
	written = write_rows(_completions(to_write), via)
	update_by_name(ASSIGNMENT, "compliance_record", written)
	return [name for name in left if name not in to_write] + list(written)


def _lock(names: list[str]) -> dict[str, str | None]:
	"""{assignment: its row, if written} of those still to hand over, locked: a second handoff of the same
	completion waits, then finds it written."""
	assignment = DocType(ASSIGNMENT)
	rows = (
		frappe.qb.from_(assignment)
		.select(assignment.name, assignment.compliance_record)
		.where(assignment.name.isin(names))
		.where(assignment.status == COMPLETED)
		.where(assignment.compliance_handed_over.isnull())
		.orderby(assignment.name)
		.for_update()
		.run()
	)
	return dict(rows)


def _rows_that_exist(records: set[str]) -> set[str]:
	if not records:
		return set()
	row = DocType(EMPLOYEE_COMPLIANCE)
	return {r[0] for r in frappe.qb.from_(row).select(row.name).where(row.name.isin(list(records))).run()}


def _completions(names: list[str]) -> list[Completion]:
	"""The facts of the completions to hand over: of a course with a compliance type, by a learner whose
	Employee record (the one standing for them) exists. The others are not HR's ledger's."""
	if not names:
		return []
	assignment, course, employee = DocType(ASSIGNMENT), DocType(COURSE), DocType(EMPLOYEE)
	rows = (
		frappe.qb.from_(assignment)
		.join(course)
		.on(course.name == assignment.course)
		.join(employee)
		.on(person_record(employee, assignment.employee))
		.select(
			assignment.name,
			employee.name,
			course.compliance_type,
			assignment.completed_on,
			assignment.valid_until,
		)
		.where(assignment.name.isin(names))
		.where(course.compliance_type.notnull() & (course.compliance_type != ""))
		.run()
	)
	day = getdate(today())
	return [
		Completion(
			name, record, compliance_type.strip(), getdate(completed_on) if completed_on else day, until
		)
		for name, record, compliance_type, completed_on, until in rows
	]
