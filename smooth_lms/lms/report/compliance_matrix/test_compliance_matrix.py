"""Compliance Matrix on a real site: a cell per (employee, course owed) with the state and its date, as
validity.compliance_states decides it; filters by company, department, manager, course and state; only
compliance viewers; CSV and Excel over HTTP."""

import csv
import io
import json

import frappe
from frappe.desk.query_report import run
from frappe.tests.utils import FrappeTestCase
from frappe.utils import formatdate

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.report.compliance_matrix.compliance_matrix import execute
from smooth_lms.lms.validity.states import compliance_states
from smooth_lms.tests.factories import (
	complete_course,
	d,
	make_course,
	make_employee,
	make_user,
	set_progress,
	store_raw,
	unique,
	unpublish_all_mandatory_courses,
)
from smooth_lms.tests.hostile import HOSTILE
from smooth_lms.tests.http import RestCase, base_url, export_report, login

REPORT = "Compliance Matrix"
ASSIGNMENT = "LMS Training Assignment"
PERSON_COLUMNS = ["employee", "employee_name", "user_id", "department", "designation"]


def build_matrix_team() -> frappe._dict:
	"""A company with a manager and four reports in two departments, a leaver, and two courses everybody
	owes: Fire Safety (valid 365 days, renewal window 30) and Privacy (never expires).

	            Fire Safety                 Privacy
	ann (A, ↑)  Compliant, until +355       Pending, due +20
	bob (A, ↑)  Expiring Soon, until +15    Overdue, due -2
	cat (B)     Expired, until -35          In Progress, due +20
	dan (B)     Not Assigned                Compliant, does not expire
	manager (A) Not Assigned                Not Assigned
	(↑: reports to the manager; the leaver, in A, is left out)"""
	unpublish_all_mandatory_courses()
	team = frappe._dict(company=unique("Company"), dept_a=unique("Sales"), dept_b=unique("Support"))
	team.manager_user = make_user()
	team.manager = make_employee(
		team.manager_user, department=team.dept_a, company=team.company, name="Mia Manager"
	)
	for key, name, department, reports in (
		("ann", "Ann Archer", team.dept_a, True),
		("bob", "Bob Baker", team.dept_a, True),
		("cat", "Cat Carter", team.dept_b, False),
		("dan", "Dan Dyer", team.dept_b, False),
		("leaver", "Lee Leaver", team.dept_a, True),
	):
		team[key] = make_user()
		make_employee(
			team[key],
			department=department,
			company=team.company,
			name=name,
			reports_to=team.manager if reports else None,
			status="Left" if key == "leaver" else "Active",
		)
	team.fire = make_course(
		title=unique("Fire Safety"), is_mandatory=1, validity_days=365, renewal_window_days=30, lessons=2
	)
	team.privacy = make_course(title=unique("Privacy"), is_mandatory=1, validity_days=0, lessons=2)

	create_assignments([team.fire], [team.ann, team.bob, team.cat, team.leaver], d(20))
	complete_course(team.ann, team.fire, days_ago=10, validity=365)
	complete_course(team.bob, team.fire, days_ago=350, validity=365)
	complete_course(team.cat, team.fire, days_ago=400, validity=365)
	create_assignments([team.privacy], [team.ann, team.bob, team.cat, team.dan], d(20))
	frappe.db.set_value(ASSIGNMENT, {"employee": team.bob, "course": team.privacy}, "due_date", d(-2))
	mark_overdue_assignments()
	set_progress(team.cat, team.privacy, 50)
	complete_course(team.dan, team.privacy)
	return team


class TestComplianceMatrix(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		frappe.db.after_commit.reset()
		cls.team = build_matrix_team()

	def setUp(self):
		frappe.set_user(make_user("HR Manager"))

	def tearDown(self):
		frappe.set_user("Administrator")

	def run_report(self, **filters):
		columns, rows, _message, _chart, summary = execute(filters)
		return columns, rows, summary

	def cells(self, rows: list[dict], columns: list[dict]) -> dict[str, dict[str, str]]:
		"""{user: {course title: cell text}} of the rows."""
		titles = {c["fieldname"]: c["label"] for c in columns if c["fieldname"] not in PERSON_COLUMNS}
		return {
			row["user_id"]: {title: row[field] for field, title in titles.items() if field in row}
			for row in rows
		}

	def test_each_cell_says_the_state_and_its_date(self):
		team = self.team
		fire, privacy = (frappe.db.get_value("LMS Course", c, "title") for c in (team.fire, team.privacy))
		columns, rows, summary = self.run_report(company=team.company)

		self.assertEqual([c["fieldname"] for c in columns][:5], PERSON_COLUMNS)
		self.assertEqual([c["label"] for c in columns][5:], [fire, privacy], "a column per course, by title")
		self.assertEqual(
			[row["employee_name"] for row in rows],
			["Ann Archer", "Bob Baker", "Cat Carter", "Dan Dyer", "Mia Manager"],
			"active employees by name; the leaver is not there",
		)
		self.assertEqual(
			self.cells(rows, columns),
			{
				team.ann: {
					fire: f"Compliant · {formatdate(d(355))}",
					privacy: f"Pending · due {formatdate(d(20))}",
				},
				team.bob: {
					fire: f"Expiring Soon · {formatdate(d(15))}",
					privacy: f"Overdue · due {formatdate(d(-2))}",
				},
				team.cat: {
					fire: f"Expired · {formatdate(d(-35))}",
					privacy: f"In Progress · due {formatdate(d(20))}",
				},
				team.dan: {fire: "Not Assigned", privacy: "Compliant · does not expire"},
				team.manager_user: {fire: "Not Assigned", privacy: "Not Assigned"},
			},
		)
		by_user = {row["user_id"]: row for row in rows}
		self.assertEqual(by_user[team.ann]["department"], team.dept_a)
		self.assertEqual(
			by_user[team.ann]["employee"], frappe.db.get_value("Employee", {"user_id": team.ann})
		)
		self.assertEqual(
			{label: value for label, value in ((s["label"], s["value"]) for s in summary) if value},
			{
				"Compliant": 2,
				"Expiring Soon": 1,
				"Expired": 1,
				"Pending": 1,
				"In Progress": 1,
				"Overdue": 1,
				"Not Assigned": 3,
			},
		)

	def test_states_are_the_compliance_states(self):
		team = self.team
		columns, rows, _summary = self.run_report(company=team.company)
		course_of = {c["fieldname"]: c for c in columns if c["fieldname"] not in PERSON_COLUMNS}
		expected = {
			(row["employee"], row["course"]): row
			for row in compliance_states(
				[team.ann, team.bob, team.cat, team.dan, team.manager_user], [team.fire, team.privacy]
			)
		}
		fields = {frappe.db.get_value("LMS Course", c, "title"): c for c in (team.fire, team.privacy)}
		for row in rows:
			for fieldname, state in row["states"].items():
				course = fields[course_of[fieldname]["label"]]
				cell = expected[(row["user_id"], course)]
				self.assertEqual(state, cell["state"])
				self.assertEqual(row["assignments"][fieldname], cell["assignment"])
				self.assertTrue(row[fieldname].startswith(state))

	def test_filters(self):
		team = self.team
		fire = frappe.db.get_value("LMS Course", team.fire, "title")

		def users(**filters) -> list[str]:
			return [row["user_id"] for row in self.run_report(company=team.company, **filters)[1]]

		self.assertEqual(users(department=team.dept_b), [team.cat, team.dan])
		self.assertEqual(users(manager=team.manager), [team.ann, team.bob], "direct reports, active")
		self.assertEqual(users(state="Expired"), [team.cat])
		self.assertEqual(users(state="Not Assigned"), [team.dan, team.manager_user])
		self.assertEqual(users(manager=team.manager, state="Overdue"), [team.bob])
		self.assertEqual(users(manager=team.manager, state="Expired"), [])
		self.assertEqual(users(department=unique("Nowhere")), [])
		self.assertEqual(
			[row["user_id"] for row in self.run_report(manager=team.manager)[1]],
			[team.ann, team.bob],
			"the manager filter alone",
		)

		columns, rows, _summary = self.run_report(
			company=team.company, course=team.fire, state="Not Assigned"
		)
		self.assertEqual([c["label"] for c in columns][5:], [fire], "one course: its column only")
		self.assertEqual([row["user_id"] for row in rows], [team.dan, team.manager_user])

		# A row in the state shows all its cells: Cat is Expired on Fire Safety and In Progress on Privacy.
		columns, (row,), _summary = self.run_report(company=team.company, state="Expired")
		self.assertEqual(sorted(row["states"].values()), ["Expired", "In Progress"])

	def test_nothing_found_is_an_empty_matrix(self):
		columns, rows, summary = self.run_report(company=unique("Nobody"))
		self.assertEqual(([c["fieldname"] for c in columns], rows), (PERSON_COLUMNS, []))
		self.assertEqual({s["value"] for s in summary}, {0})

	def test_refusals(self):
		with self.assertRaisesRegex(frappe.ValidationError, "State must be one of"):
			self.run_report(state="Fine")
		for value in ({"$gt": ""}, ["a", "b"], 7):
			with self.assertRaisesRegex(frappe.ValidationError, "Filter course must be text"):
				self.run_report(course=value)
		for role in ("LMS Student", "Course Creator"):
			frappe.set_user(make_user(role))
			with self.assertRaises(frappe.PermissionError):
				self.run_report()
			with self.assertRaises(frappe.PermissionError):
				run(REPORT, filters={})

	def test_course_titles_are_labels_and_escaped_content(self):
		course = self.team.fire
		store_raw("LMS Course", course, {"title": HOSTILE["tag"]})
		result = run(REPORT, filters={"company": self.team.company, "course": course})
		(column,) = [c for c in result["columns"] if c["fieldname"] not in PERSON_COLUMNS]
		self.assertEqual(column["label"], HOSTILE["tag"], "exports read the title as typed")
		self.assertEqual(column["content"], frappe.utils.escape_html(HOSTILE["tag"]), "the desk's header")
		self.assertNotIn("<", column["content"])


class TestComplianceMatrixExport(RestCase):
	"""CSV and Excel exports over HTTP, as the desk's Export menu asks for them."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		cls.learner = cls.user("LMS Student")
		cls.company = unique("Export Co")
		cls.ann, cls.bob = cls.user(), cls.user()
		make_employee(cls.ann, company=cls.company, department="Sales", name="Ann Export")
		make_employee(cls.bob, company=cls.company, department="Sales", name="Bob Export")
		cls.course_name = cls.course(title=unique("Export Matrix Course"), is_mandatory=1, validity_days=365)
		create_assignments([cls.course_name], [cls.ann], d(20))
		frappe.db.commit()

	def export(self, user: str, file_format_type: str):
		return export_report(
			user, REPORT, {"company": self.company, "course": self.course_name}, file_format_type
		)

	def test_csv(self):
		response = self.export(self.hr, "CSV")
		self.assertEqual(response.status_code, 200, response.text[:500])
		rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
		title = frappe.db.get_value("LMS Course", self.course_name, "title")
		self.assertEqual(
			rows[0], ["Employee", "Employee Name", "User ID", "Department", "Designation", title]
		)
		self.assertEqual(
			[(row[1], row[2], row[5]) for row in rows[1:]],
			[
				("Ann Export", self.ann, f"Pending · due {formatdate(d(20))}"),
				("Bob Export", self.bob, "Not Assigned"),
			],
		)

	def test_excel(self):
		from openpyxl import load_workbook

		response = self.export(self.hr, "Excel")
		self.assertEqual(response.status_code, 200, response.text[:500])
		values = list(load_workbook(io.BytesIO(response.content)).active.values)
		self.assertEqual(values[0][:3], ("Employee", "Employee Name", "User ID"))
		self.assertEqual([row[1] for row in values[1:]], ["Ann Export", "Bob Export"])

	def test_learners_are_refused(self):
		self.assertEqual(self.export(self.learner, "CSV").status_code, 403)
		response = login(self.learner).get(
			base_url() + "/api/method/frappe.desk.query_report.run",
			params={"report_name": REPORT, "filters": json.dumps({"company": self.company})},
			timeout=30,
		)
		self.assertEqual(response.status_code, 403, response.text[:300])
		self.assertNotIn("Ann Export", response.text)
