"""Daily (hooks.py): the handoffs a failure or an interruption left, then the ledger rows whose completion
has expired unrenewed turned Expired.

What is left: completions of a course with a compliance type, by a learner with an Employee record, not
handed over yet — the completion that counts (a renewed one is not handed over after its renewal,
validity.later_completion), or one whose row is written but whose evidence is not attached. Expired: a
row still Complete with the dates of a handed-over completion that counts, of a course that expires, whose
valid_until has passed. A renewal completed later turns the row Complete again through its own handoff.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import getdate, now_datetime, today
from pypika.terms import ExistsCriterion

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, EMPLOYEE, EMPLOYEE_COMPLIANCE
from smooth_lms.lms.framework.batches import chunked
from smooth_lms.lms.framework.document_trail import Via, record_changes
from smooth_lms.lms.hr_compliance import has_employee_compliance
from smooth_lms.lms.hr_compliance.handoff import hand_over
from smooth_lms.lms.hr_compliance.rows import COMPLETE, EXPIRED
from smooth_lms.lms.people.employees import has_employees
from smooth_lms.lms.training_rules import COMPLETED
from smooth_lms.lms.validity.states import later_completion

DAILY_JOB = "daily.hand_over_and_expire"  # its Scheduled Job Type


def daily_check() -> Via:
	return Via(_("via the daily HR compliance check"), "Scheduled Job Type", DAILY_JOB)


def hand_over_and_expire() -> dict[str, list[str]]:
	"""The daily job: hand over what is left, then expire. Returns the assignments handed over and the
	rows expired."""
	if not has_employee_compliance() or not has_employees():
		return {"handed_over": [], "expired": []}
	handed = hand_over(left_over(), daily_check())
	return {"handed_over": handed, "expired": expire_rows(daily_check())}


def left_over() -> list[str]:
	"""The completions whose handoff is not finished and is still owed to HR's ledger."""
	assignment, course, employee = DocType(ASSIGNMENT), DocType(COURSE), DocType(EMPLOYEE)
	has_record = ExistsCriterion(
		frappe.qb.from_(employee).select(employee.name).where(employee.user_id == assignment.employee)
	)
	return [
		row[0]
		for row in frappe.qb.from_(assignment)
		.join(course)
		.on(course.name == assignment.course)
		.select(assignment.name)
		.where(assignment.status == COMPLETED)
		.where(assignment.compliance_handed_over.isnull())
		.where(course.compliance_type.notnull() & (course.compliance_type != ""))
		.where(assignment.compliance_record.notnull() | (~later_completion(assignment) & has_record))
		.orderby(assignment.name)
		.run()
	]


def expire_rows(via: Via | None = None) -> list[str]:
	"""Turn Expired the rows whose completion that counts has expired unrenewed. Returns the rows."""
	assignment, course, row = DocType(ASSIGNMENT), DocType(COURSE), DocType(EMPLOYEE_COMPLIANCE)
	day = getdate(today())
	names = [
		found[0]
		for found in frappe.qb.from_(assignment)
		.join(course)
		.on(course.name == assignment.course)
		.join(row)
		.on(row.name == assignment.compliance_record)
		.select(row.name)
		.distinct()
		.where(assignment.status == COMPLETED)
		.where(course.validity_days > 0)
		.where(assignment.valid_until < day)
		.where(row.status == COMPLETE)
		.where(row.next_renewal_date == assignment.valid_until)
		.where(~later_completion(assignment))
		.run()
	]
	now, user = now_datetime(), frappe.session.user
	for batch in chunked(names):
		frappe.qb.update(row).set(row.status, EXPIRED).set(row.modified, now).set(
			row.modified_by, user
		).where(row.name.isin(list(batch))).run()
	record_changes(EMPLOYEE_COMPLIANCE, {name: {"status": (COMPLETE, EXPIRED)} for name in names}, via)
	return names
