"""Completions recorded by HR (done outside the LMS) and due date extensions, on a real site."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.hr_records import extend_due_date, record_external_completion
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.tests.factories import assignments_of, d, make_course, make_user

ASSIGNMENT = "LMS Training Assignment"


def upload(name: str = "attendance.pdf", content: bytes | None = None) -> str:
	"""A private upload by the session user; unique content unless given (Frappe keeps identical content
	once, behind one File row per upload)."""
	content = content or f"%PDF-1.4 signed attendance sheet {frappe.generate_hash()}".encode()
	return (
		frappe.get_doc({"doctype": "File", "file_name": name, "content": content, "is_private": 1})
		.insert(ignore_permissions=True)
		.file_url
	)


class HrCase(FrappeTestCase):
	def setUp(self):
		self.moderator = make_user("Moderator")
		self.learner = make_user()
		self.course = make_course(validity_days=365)
		(self.assignment,) = create_assignments([self.course], [self.learner], d(20)).created
		frappe.set_user(self.moderator)

	def tearDown(self):
		frappe.set_user("Administrator")


class TestExternalCompletion(HrCase):
	def test_counts_like_any_completion_from_its_date_with_its_source_and_evidence(self):
		evidence = upload()
		out = record_external_completion(
			completed_on=d(-10),
			source="Classroom Session",
			evidence=evidence,
			assignment=self.assignment,
			note="Fire drill with the site warden",
		)
		doc = frappe.get_doc(ASSIGNMENT, self.assignment)
		self.assertEqual((doc.status, getdate(doc.completed_on)), ("Completed", d(-10)))
		self.assertEqual(getdate(doc.valid_until), d(355), "validity from the completion's date")
		self.assertEqual(
			(doc.completion_source, doc.completion_evidence, doc.completion_recorded_by),
			("Classroom Session", evidence, self.moderator),
		)
		self.assertEqual(out["status"], "Completed")
		attached = frappe.db.get_value(
			"File", {"file_url": evidence}, ["attached_to_doctype", "attached_to_name"]
		)
		self.assertEqual(attached, (ASSIGNMENT, self.assignment))

	def test_for_a_person_and_course_without_an_open_assignment(self):
		contractor, course = make_user(), make_course(validity_days=0)
		out = record_external_completion(
			completed_on=today(),
			source="External Provider",
			evidence=upload(),
			employee=contractor,
			course=course,
		)
		(row,) = assignments_of(contractor, course)
		self.assertEqual((row.name, row.status), (out["assignment"], "Completed"))

	def test_completes_an_overdue_assignment(self):
		frappe.set_user("Administrator")
		frappe.db.set_value(ASSIGNMENT, self.assignment, "due_date", d(-2))
		mark_overdue_assignments()
		frappe.set_user(self.moderator)
		record_external_completion(
			completed_on=d(-1), source="Other", evidence=upload(), assignment=self.assignment
		)
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, self.assignment, "status"), "Completed")

	def test_refusals(self):
		evidence = upload()
		cases = [
			(
				dict(completed_on=d(1), source="Other", evidence=evidence, assignment=self.assignment),
				"future",
			),
			(
				dict(completed_on="soon", source="Other", evidence=evidence, assignment=self.assignment),
				"date",
			),
			(
				dict(completed_on=today(), source="LMS", evidence=evidence, assignment=self.assignment),
				"Source",
			),
			(
				dict(
					completed_on=today(),
					source="Other",
					evidence="/private/files/none.pdf",
					assignment=self.assignment,
				),
				"not an uploaded file",
			),
			(dict(completed_on=today(), source="Other", evidence=evidence), "Name the assignment"),
			(
				dict(completed_on=today(), source="Other", evidence=evidence, assignment="TA-NONE"),
				"does not exist",
			),
		]
		for kwargs, message in cases:
			with self.subTest(message=message), self.assertRaisesRegex(frappe.ValidationError, message):
				record_external_completion(**kwargs)
		self.assertEqual(
			frappe.db.get_value(ASSIGNMENT, self.assignment, "status"), "Pending", "nothing written"
		)

	def test_someone_elses_private_upload_is_not_evidence(self):
		# Its URL is all a caller needs to name it; attached, it would be readable with the assignment.
		frappe.set_user(make_user())
		payslip = f"%PDF-1.4 payslip {frappe.generate_hash()}".encode()
		theirs = upload("payslip.pdf", payslip)
		frappe.set_user(self.moderator)
		with self.assertRaisesRegex(frappe.ValidationError, "not an uploaded file"):
			record_external_completion(
				completed_on=today(), source="Other", evidence=theirs, assignment=self.assignment
			)
		self.assertIsNone(frappe.db.get_value("File", {"file_url": theirs}, "attached_to_name"))
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, self.assignment, "status"), "Pending")

		# The same content uploaded by the moderator: Frappe keeps the file once, behind two File rows.
		mine = upload("payslip.pdf", payslip)
		self.assertEqual(mine, theirs)
		record_external_completion(
			completed_on=today(), source="Other", evidence=mine, assignment=self.assignment
		)
		rows = frappe.get_all(
			"File", filters={"file_url": mine}, fields=["owner", "attached_to_name"], order_by="owner"
		)
		self.assertEqual(
			{row.owner: row.attached_to_name for row in rows},
			{self.moderator: self.assignment, **{r.owner: None for r in rows if r.owner != self.moderator}},
		)

	def test_a_completed_assignment_is_not_completed_twice(self):
		record_external_completion(
			completed_on=today(), source="Other", evidence=upload(), assignment=self.assignment
		)
		with self.assertRaisesRegex(frappe.ValidationError, "already completed"):
			record_external_completion(
				completed_on=today(), source="Other", evidence=upload("b.pdf"), assignment=self.assignment
			)

	def test_hr_managers_keep_the_record_without_assigning(self):
		# HR Manager writes assignments (records, extends) but creates none: a completion recorded for
		# someone without an assignment still gets its row, and the form's own insert is refused.
		hr = make_user("HR Manager")
		frappe.set_user(hr)
		out = record_external_completion(
			completed_on=today(), source="Classroom Session", evidence=upload(), assignment=self.assignment
		)
		self.assertEqual(out["status"], "Completed")
		contractor, course = make_user(), make_course()
		frappe.set_user(hr)
		out = record_external_completion(
			completed_on=today(), source="Other", evidence=upload(), employee=contractor, course=course
		)
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, out["assignment"], "completion_recorded_by"), hr)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": ASSIGNMENT, "employee": make_user(), "course": course, "due_date": d(5)}
			).insert()

	def test_learners_and_guests_cannot_record(self):
		for user in (self.learner, make_user("Course Creator"), "Guest"):
			frappe.set_user(user)
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError):
				record_external_completion(
					completed_on=today(), source="Other", evidence="x", assignment=self.assignment
				)


class TestExtendDueDate(HrCase):
	def test_an_extension_is_kept_with_its_reason_and_reopens_an_overdue_row(self):
		frappe.set_user("Administrator")
		frappe.db.set_value(ASSIGNMENT, self.assignment, "due_date", d(-3))
		mark_overdue_assignments()
		frappe.set_user(self.moderator)

		out = extend_due_date(self.assignment, d(14), "On parental leave until the 1st")

		doc = frappe.get_doc(ASSIGNMENT, self.assignment)
		self.assertEqual((out["status"], getdate(doc.due_date)), ("Pending", d(14)))
		(extension,) = doc.extensions
		self.assertEqual(
			(getdate(extension.previous_due_date), getdate(extension.new_due_date), extension.extended_by),
			(d(-3), d(14), self.moderator),
		)
		self.assertEqual(extension.reason, "On parental leave until the 1st")
		versions = frappe.get_all(
			"Version", {"ref_doctype": ASSIGNMENT, "docname": self.assignment}, pluck="data"
		)
		self.assertTrue(any("Extend Due Date" in v and "due_date" in v for v in versions))

	def test_refusals(self):
		for args, message in (
			((self.assignment, d(10), "reason"), "after the current one"),
			((self.assignment, d(-1), "reason"), "in the past"),
			((self.assignment, d(40), "  "), "reason"),
		):
			with self.subTest(message=message), self.assertRaisesRegex(frappe.ValidationError, message):
				extend_due_date(*args)
		self.assertEqual(getdate(frappe.db.get_value(ASSIGNMENT, self.assignment, "due_date")), d(20))
