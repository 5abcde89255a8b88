"""HR's ledger: a completion of a course with a compliance type reaches the employee's Employee
Compliance row from a job after the commit — created, then updated by a renewal, turned Expired daily —
with the certificate PDF attached privately and named on the row's timeline; once, set-wise, never at the
completion's expense, and not at all on a site without the DocType."""

from unittest.mock import patch

import frappe
from frappe.query_builder import DocType
from frappe.utils import getdate, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.status import refresh_statuses
from smooth_lms.lms.doctypes import ASSIGNMENT, CERTIFICATE, EMPLOYEE_COMPLIANCE
from smooth_lms.lms.hr_compliance import HAND_OVER_JOB
from smooth_lms.lms.hr_compliance import evidence as evidence_module
from smooth_lms.lms.hr_compliance.daily import hand_over_and_expire
from smooth_lms.lms.hr_compliance.handoff import hand_over
from smooth_lms.lms.hr_compliance.rows import write_rows
from smooth_lms.tests.factories import (
	QueryCounter,
	assign,
	complete_course,
	d,
	make_course,
	make_staff,
	make_user,
	run_jobs_enqueued_after_commit,
	store_completion,
)
from smooth_lms.tests.ledger import (
	EVIDENCE_JOB,
	LedgerCase,
	evidence_of,
	failures_about,
	handed,
	ledger_row,
	without_employee_compliance,
)


class TestHandoff(LedgerCase):
	def test_a_completion_creates_the_employees_row_with_the_certificate_attached_and_named(self):
		user, employee = self.learner()
		assignment = self.complete(user)
		self.assertEqual(
			[job["assignments"] for job in self.performed if job["method"] == HAND_OVER_JOB], [[assignment]]
		)
		row = ledger_row(employee, self.compliance_type)
		self.assertEqual(
			(row.status, row.completion_date, row.next_renewal_date),
			("Complete", getdate(today()), d(365)),
		)
		record = handed(assignment)
		self.assertEqual(record.compliance_record, row.name)
		self.assertIsNotNone(record.compliance_handed_over)
		code = frappe.db.get_value(CERTIFICATE, {"assignment": assignment})
		(file,), (comment,) = evidence_of(row.name)
		self.assertEqual((file.file_name, file.is_private), (f"certificate-{code}.pdf", 1))
		self.assertTrue(file.file_url.startswith("/private/files/"))
		# Written by the app, not the learner: they may neither delete HR's evidence nor edit the row.
		self.assertEqual(frappe.db.get_value("File", file.name, "owner"), "Administrator")
		self.assertFalse(frappe.has_permission("File", "delete", doc=file.name, user=user))
		self.assertEqual(frappe.db.get_value(EMPLOYEE_COMPLIANCE, row.name, "owner"), "Administrator")
		self.assertTrue(frappe.get_doc("File", file.name).get_content().startswith(b"%PDF"))
		self.assertIn(code, comment)
		self.assertIn(f"/lms/verify/{code}", comment)

	def test_running_again_changes_nothing(self):
		user, employee = self.learner()
		assignment = self.complete(user)
		row = ledger_row(employee, self.compliance_type)
		before = (row, evidence_of(row.name), frappe.db.count("Version", {"docname": row.name}))
		self.assertEqual(hand_over([assignment]), [])
		daily = hand_over_and_expire()
		self.assertNotIn(assignment, daily["handed_over"])
		self.assertNotIn(row.name, daily["expired"])
		run_jobs_enqueued_after_commit(HAND_OVER_JOB, EVIDENCE_JOB)
		again = ledger_row(employee, self.compliance_type)
		self.assertEqual(
			(again, evidence_of(row.name), frappe.db.count("Version", {"docname": row.name})), before
		)

	def test_a_renewal_updates_the_row_after_expiry_turned_it_expired(self):
		user, employee = self.learner()
		first = self.complete(user)
		row = ledger_row(employee, self.compliance_type)
		# A year on: the completion and the row it was handed to ran out yesterday.
		frappe.db.set_value(ASSIGNMENT, first, {"completed_on": d(-366), "valid_until": d(-1)})
		frappe.db.set_value(
			EMPLOYEE_COMPLIANCE, row.name, {"completion_date": d(-366), "next_renewal_date": d(-1)}
		)
		self.assertIn(row.name, hand_over_and_expire()["expired"])
		self.assertEqual(ledger_row(employee, self.compliance_type).status, "Expired")
		version = frappe.get_all(
			"Version", {"ref_doctype": EMPLOYEE_COMPLIANCE, "docname": row.name}, pluck="data"
		)
		self.assertTrue(any('"Complete","Expired"' in data for data in version), version)
		self.assertNotIn(row.name, hand_over_and_expire()["expired"])  # once

		renewal = self.complete(user)
		renewed = ledger_row(employee, self.compliance_type)
		self.assertEqual(
			(renewed.name, renewed.status, renewed.completion_date, renewed.next_renewal_date),
			(row.name, "Complete", getdate(today()), d(365)),
		)
		self.assertEqual(handed(renewal).compliance_record, row.name)
		files, comments = evidence_of(row.name)
		self.assertEqual((len(files), len(comments)), (2, 2))  # both certificates, each named
		self.assertNotIn(row.name, hand_over_and_expire()["expired"])

	def test_a_completion_already_expired_arrives_expired_and_a_row_never_moves_back(self):
		user, employee = self.learner()
		name = assign(user, self.course)
		store_completion(name, days_ago=400, valid_for=365)
		hand_over([name])
		row = ledger_row(employee, self.compliance_type)
		self.assertEqual((row.status, row.next_renewal_date), ("Expired", d(-35)))
		# HR recorded a later completion of the same type by hand: an older one does not undo it.
		frappe.db.set_value(
			EMPLOYEE_COMPLIANCE,
			row.name,
			{"status": "Complete", "completion_date": d(-10), "next_renewal_date": d(355)},
		)
		older = create_assignments([self.course], [user], d(5)).created[0]
		store_completion(older, days_ago=20, valid_for=365)
		self.assertEqual(hand_over([older]), [older])
		self.assertEqual(ledger_row(employee, self.compliance_type).completion_date, d(-10))

	def test_a_set_wise_completion_is_handed_over_from_the_queue(self):
		user, employee = self.learner()
		name = assign(user, self.course)
		frappe.db.set_value(ASSIGNMENT, name, "progress", 100)
		self.assertEqual(refresh_statuses(DocType(ASSIGNMENT).name == name), {name: "Completed"})
		performed = run_jobs_enqueued_after_commit(HAND_OVER_JOB)
		self.assertEqual([job["assignments"] for job in performed], [[name]])
		self.assertEqual(ledger_row(employee, self.compliance_type).status, "Complete")

	def test_nothing_for_learners_without_an_employee_record_or_courses_without_a_type(self):
		contractor = make_user("LMS Student")
		assignment = self.complete(contractor)
		self.assertEqual(handed(assignment).compliance_record, None)
		self.assertNotIn(assignment, hand_over_and_expire()["handed_over"])
		user, employee = self.learner()
		plain = make_course(lessons=1)
		assign(user, plain)
		complete_course(user, plain)
		self.assertEqual(run_jobs_enqueued_after_commit(HAND_OVER_JOB), [])  # nothing queued
		self.assertEqual(frappe.db.count(EMPLOYEE_COMPLIANCE, {"employee": employee}), 0)


class TestFailures(LedgerCase):
	def test_a_failed_row_is_logged_with_its_names_and_the_daily_job_finishes_it(self):
		(ok_user, ok_employee), (bad_user, bad_employee) = self.learner(), self.learner()

		def failing_for_one(completions, via=None):
			if any(c.employee == bad_employee for c in completions):
				raise frappe.ValidationError("HR's ledger refused the row")
			return write_rows(completions, via)

		names = [assign(user, self.course) for user in (ok_user, bad_user)]
		for name in names:
			store_completion(name, days_ago=1, valid_for=365)
		with patch("smooth_lms.lms.hr_compliance.handoff.write_rows", side_effect=failing_for_one):
			self.assertEqual(hand_over(names), [names[0]])  # the batch, then row by row
		self.assertEqual(ledger_row(ok_employee, self.compliance_type).status, "Complete")
		self.assertIsNone(ledger_row(bad_employee, self.compliance_type))
		(error,) = failures_about(names[1], self.started)
		for name in (bad_user, bad_employee, self.course, "refused the row"):
			self.assertIn(name, error)
		self.assertIn(names[1], hand_over_and_expire()["handed_over"])
		self.assertEqual(ledger_row(bad_employee, self.compliance_type).status, "Complete")
		self.assertIsNotNone(handed(names[1]).compliance_handed_over)

	def test_a_failed_pdf_leaves_the_row_written_and_the_daily_job_attaches_it(self):
		user, employee = self.learner()
		with patch.object(evidence_module, "certificate_pdf", side_effect=OSError("wkhtmltopdf crashed")):
			assignment = self.complete(user)
		row = ledger_row(employee, self.compliance_type)
		self.assertEqual(row.status, "Complete")
		self.assertEqual(handed(assignment).compliance_record, row.name)
		self.assertIsNone(handed(assignment).compliance_handed_over)
		self.assertEqual(evidence_of(row.name), ([], []))
		self.assertIn("wkhtmltopdf crashed", failures_about(assignment, self.started)[0])
		self.assertIn(assignment, hand_over_and_expire()["handed_over"])
		files, comments = evidence_of(row.name)
		self.assertEqual((len(files), len(comments)), (1, 1))
		self.assertIsNotNone(handed(assignment).compliance_handed_over)

	def test_a_handoff_failure_never_blocks_or_undoes_the_completion(self):
		user, employee = self.learner()
		with patch(
			"smooth_lms.lms.hr_compliance.handoff.write_rows",
			side_effect=frappe.ValidationError("ledger down"),
		):
			assignment = self.complete(user)
		self.assertEqual(handed(assignment).status, "Completed")
		self.assertTrue(frappe.db.exists(CERTIFICATE, {"assignment": assignment}))
		self.assertIsNone(ledger_row(employee, self.compliance_type))
		self.assertTrue(failures_about(assignment, self.started))
		self.assertIn(assignment, hand_over_and_expire()["handed_over"])

	def test_a_site_without_employee_compliance_hands_nothing_over(self):
		user, employee = self.learner()
		with without_employee_compliance():
			assignment = self.complete(user)
			self.assertEqual(self.performed, [])
			self.assertEqual(hand_over([assignment]), [])
			self.assertEqual(hand_over_and_expire(), {"handed_over": [], "expired": []})
		self.assertIsNone(ledger_row(employee, self.compliance_type))
		self.assertEqual(failures_about(assignment, self.started), [])


class TestSetWise(LedgerCase):
	def completions(self, count: int) -> list[str]:
		users = make_staff(count)
		names = create_assignments([self.course], users, d(10)).created
		for i, name in enumerate(names):
			store_completion(name, days_ago=1 + i % 30, valid_for=365)
		return names

	def test_the_statements_are_the_same_for_3_and_60_completions(self):
		counts = []
		for size in (3, 60):
			names = self.completions(size)
			with QueryCounter() as counter:
				self.assertEqual(len(hand_over(names, evidence=False)), size)
			counts.append(counter.count)
		self.assertEqual(counts[0], counts[1], counts)

	def test_renewals_of_many_rows_update_them_in_a_fixed_number_of_statements(self):
		counts = []
		for size in (3, 60):
			names = self.completions(size)
			hand_over(names, evidence=False)
			users = frappe.get_all(ASSIGNMENT, {"name": ("in", names)}, pluck="employee")
			renewals = create_assignments([self.course], users, d(10)).created
			for i, name in enumerate(renewals):
				store_completion(name, days_ago=0, valid_for=365 + i)  # each row its own dates
			with QueryCounter() as counter:
				hand_over(renewals, evidence=False)
			counts.append(counter.count)
			records = [handed(name).compliance_record for name in renewals]
			self.assertEqual(sorted(records), sorted(handed(name).compliance_record for name in names))
			rows = frappe.get_all(
				EMPLOYEE_COMPLIANCE, {"name": ("in", records)}, ["completion_date", "next_renewal_date"]
			)
			self.assertEqual({row.completion_date for row in rows}, {getdate(today())})
			self.assertEqual({row.next_renewal_date for row in rows}, {d(365 + i) for i in range(size)})
			# Each row's timeline shows its own change: one Version each.
			versions = frappe.get_all(
				"Version", {"ref_doctype": EMPLOYEE_COMPLIANCE, "docname": ("in", records)}, pluck="docname"
			)
			self.assertEqual(sorted(versions), sorted(records))
		self.assertEqual(counts[0], counts[1], counts)
