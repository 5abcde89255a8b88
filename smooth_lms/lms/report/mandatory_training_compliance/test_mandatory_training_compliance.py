import csv
import io

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.report.mandatory_training_compliance.mandatory_training_compliance import execute
from smooth_lms.tests.factories import (
	QueryCounter,
	make_course,
	make_employee,
	make_overdue,
	make_user,
	set_progress,
	unique,
)
from smooth_lms.tests.http import RestCase, export_report

REPORT = "Mandatory Training Compliance"
ASSIGNMENT = "LMS Training Assignment"


def build_team(department_a: str, department_b: str) -> dict:
	"""Two courses; four people in two departments and one without an Employee record:
	course A: 5 assigned, 2 completed, 1 overdue, 1 in progress, 1 pending; course B: 2 pending."""
	people = {
		"ann": make_user(),
		"bob": make_user(),
		"cat": make_user(),
		"dan": make_user(),
		"eve": make_user(),  # no Employee: "No Department"
	}
	for key, department in (
		("ann", department_a),
		("bob", department_a),
		("cat", department_b),
		("dan", department_b),
	):
		make_employee(people[key], department=department)
	course_a, course_b = make_course(title=unique("Fire Safety")), make_course(title=unique("Privacy"))
	create_assignments([course_a], list(people.values()), add_days(today(), 20))
	create_assignments([course_b], [people["ann"], people["cat"]], add_days(today(), 20))
	set_progress(people["ann"], course_a, 100)
	set_progress(people["cat"], course_a, 100)
	set_progress(people["bob"], course_a, 40)
	make_overdue(people["dan"], course_a)
	return {"people": people, "course_a": course_a, "course_b": course_b}


def counts(row: dict) -> tuple:
	return tuple(
		row[k] for k in ("assigned", "completed", "overdue", "in_progress", "pending", "completion_rate")
	)


class TestComplianceReport(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.dept_a, cls.dept_b = unique("Sales"), unique("Support")
		cls.team = build_team(cls.dept_a, cls.dept_b)

	def setUp(self):
		frappe.set_user(make_user("HR Manager"))

	def run_report(self, **filters):
		columns, rows, _message, chart, summary = execute(filters)
		return columns, rows, chart, summary

	def test_by_course(self):
		course_a, course_b = self.team["course_a"], self.team["course_b"]
		columns, rows, chart, summary = self.run_report(group_by="Course", course=course_a)

		self.assertEqual(
			[c["fieldname"] for c in columns],
			[
				"course",
				"course_title",
				"assigned",
				"completed",
				"overdue",
				"in_progress",
				"pending",
				"completion_rate",
			],
		)
		(row,) = rows
		self.assertEqual(row["course"], course_a)
		self.assertEqual(row["course_title"], frappe.db.get_value("LMS Course", course_a, "title"))
		self.assertEqual(counts(row), (5, 2, 1, 1, 1, 40.0))
		self.assertEqual(chart["type"], "bar")
		self.assertEqual(chart["data"]["labels"], [row["course_title"]])
		self.assertEqual([d["values"] for d in chart["data"]["datasets"]], [[2], [1]])
		self.assertEqual([s["value"] for s in summary], [5, 2, 1, 40.0])

		_columns, rows, _chart, _summary = self.run_report(group_by="Course")
		by_course = {r["course"]: r for r in rows}
		self.assertEqual(counts(by_course[course_b]), (2, 0, 0, 0, 2, 0.0))

	def test_by_department(self):
		columns, rows, chart, _summary = self.run_report(group_by="Department", course=self.team["course_a"])

		self.assertEqual(columns[0]["fieldname"], "department")
		by_department = {r["department"]: r for r in rows}
		self.assertEqual(counts(by_department[self.dept_a]), (2, 1, 0, 1, 0, 50.0))
		self.assertEqual(counts(by_department[self.dept_b]), (2, 1, 1, 0, 0, 50.0))
		self.assertEqual(by_department["No Department"]["assigned"], 1)
		self.assertEqual(rows[-1]["department"], "No Department")
		self.assertIn(self.dept_a, chart["data"]["labels"])

	def test_department_filter(self):
		_columns, rows, _chart, _summary = self.run_report(group_by="Course", department=self.dept_b)
		by_course = {r["course"]: r for r in rows}
		self.assertEqual(set(by_course), {self.team["course_a"], self.team["course_b"]})
		self.assertEqual(counts(by_course[self.team["course_a"]]), (2, 1, 1, 0, 0, 50.0))
		self.assertEqual(counts(by_course[self.team["course_b"]]), (1, 0, 0, 0, 1, 0.0))

	def test_empty_result_has_no_chart(self):
		_columns, rows, chart, summary = self.run_report(group_by="Department", department=unique("Nobody"))
		self.assertEqual((rows, chart), ([], None))
		self.assertEqual(summary[0]["value"], 0)

	def test_one_query_whatever_the_number_of_groups(self):
		self.run_report(group_by="Department")  # warm the caches first
		with QueryCounter() as one_course:
			self.run_report(group_by="Department", course=self.team["course_b"])
		with QueryCounter() as everything:
			self.run_report(group_by="Department")
		self.assertEqual(one_course.count, everything.count)
		self.assertLessEqual(everything.count, 2)  # the aggregate (+ the Employee table check)

	def test_refusals(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Group By must be one of"):
			self.run_report(group_by="Employee")
		frappe.set_user(make_user("LMS Student"))
		with self.assertRaises(frappe.PermissionError):
			self.run_report(group_by="Course")

	def test_runs_through_the_desk_report_runner(self):
		from frappe.desk.query_report import run

		result = run(REPORT, filters={"group_by": "Course", "course": self.team["course_a"]})
		self.assertEqual(counts(result["result"][0]), (5, 2, 1, 1, 1, 40.0))
		self.assertTrue(result["chart"])

		frappe.set_user(make_user("Course Creator"))
		with self.assertRaises(frappe.PermissionError):
			run(REPORT, filters={"group_by": "Course"})


class TestComplianceExport(RestCase):
	"""CSV and Excel exports of the report over HTTP, as the desk's Export menu asks for them."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		learners = [cls.user() for _ in range(3)]
		cls.course_name = cls.course(title=unique("Export Course"))
		create_assignments([cls.course_name], learners, add_days(today(), 20))
		frappe.db.commit()

	def export(self, file_format_type: str):
		response = export_report(
			self.hr, REPORT, {"group_by": "Course", "course": self.course_name}, file_format_type
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		return response

	def test_csv(self):
		rows = list(csv.reader(io.StringIO(self.export("CSV").content.decode("utf-8"))))
		self.assertEqual(
			rows[0],
			[
				"Course",
				"Course Title",
				"Assigned",
				"Completed",
				"Overdue",
				"In Progress",
				"Pending",
				"Completion %",
			],
		)
		self.assertEqual(rows[1][0], self.course_name)
		self.assertEqual(rows[1][2:7], ["3", "0", "0", "0", "3"])

	def test_excel(self):
		from openpyxl import load_workbook

		sheet = load_workbook(io.BytesIO(self.export("Excel").content)).active
		values = list(sheet.values)
		self.assertEqual(values[0][:3], ("Course", "Course Title", "Assigned"))
		self.assertEqual(values[1][0], self.course_name)
		self.assertEqual(values[1][2], 3)
