"""Training History on a real site: every completion on record (renewed ones too) with its validity today,
renewal, source, note, evidence and recorder; filters by employee, course, dates and source; only
compliance viewers; CSV and Excel over HTTP."""

import csv
import io

import frappe
from frappe.desk.query_report import run
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.hr_records import record_external_completion
from smooth_lms.lms.doctypes import QUIZ_ATTEMPT
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.progress import mark_lesson_complete
from smooth_lms.lms.quiz import acknowledge, start_quiz, submit_quiz
from smooth_lms.lms.report.training_history.training_history import execute, history
from smooth_lms.lms.validity.renewals import open_renewals
from smooth_lms.lms.versions import publish_new_version
from smooth_lms.tests.factories import (
	QueryCounter,
	assign,
	complete_course,
	d,
	make_course,
	make_employee,
	make_quiz,
	make_user,
	set_lesson,
	unique,
)
from smooth_lms.tests.hostile import HOSTILE, name_user
from smooth_lms.tests.http import RestCase, export_report

REPORT = "Training History"
ASSIGNMENT = "LMS Training Assignment"
COLUMNS = [
	"employee",
	"employee_name",
	"course",
	"course_title",
	"course_version",
	"completed_on",
	"valid_until",
	"validity",
	"renewal_of",
	"completion_source",
	"completion_note",
	"completion_evidence",
	"completion_recorded_by",
	"assignment",
	"quiz_attempts",
	"acknowledged",
	"scorm_attempts",
]


def upload(name: str = "attendance.pdf") -> str:
	return (
		frappe.get_doc(
			{"doctype": "File", "file_name": name, "content": b"%PDF-1.4 attendance", "is_private": 1}
		)
		.insert()
		.file_url
	)


class TestTrainingHistory(FrappeTestCase):
	"""Ann completed Fire Safety 400 days ago (expired), its renewal opened and HR recorded a classroom
	session 3 days ago; Bob completed it 350 days ago in the LMS (expiring); Cat completed Privacy, which
	never expires; Dan has not finished anything."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		frappe.db.after_commit.reset()
		cls.moderator = make_user("Moderator")
		cls.ann, cls.bob, cls.cat, cls.dan = (make_user() for _ in range(4))
		for user in (cls.ann, cls.bob, cls.cat, cls.dan):
			make_employee(user)
		cls.fire = make_course(
			title=unique("Fire Safety"), is_mandatory=1, validity_days=365, renewal_window_days=30, lessons=2
		)
		cls.privacy = make_course(title=unique("Privacy"), is_mandatory=1, validity_days=0, lessons=2)
		create_assignments([cls.fire], [cls.ann, cls.bob, cls.dan], d(20))
		create_assignments([cls.privacy], [cls.cat], d(20))
		cls.first = complete_course(cls.ann, cls.fire, days_ago=400, validity=365)
		cls.bobs = complete_course(cls.bob, cls.fire, days_ago=350, validity=365)
		cls.cats = complete_course(cls.cat, cls.privacy)
		open_renewals(courses=[cls.fire])
		cls.renewal = frappe.db.get_value(ASSIGNMENT, {"renewal_of": cls.first})
		frappe.set_user(cls.moderator)  # who records the completion uploaded its evidence
		cls.evidence = upload()
		record_external_completion(
			completed_on=d(-3),
			source="Classroom Session",
			evidence=cls.evidence,
			assignment=cls.renewal,
			note="Fire drill with the site warden",
		)
		frappe.set_user("Administrator")
		frappe.db.after_commit.reset()

	def setUp(self):
		frappe.set_user(make_user("HR Manager"))

	def tearDown(self):
		frappe.set_user("Administrator")

	def rows(self, **filters) -> list[dict]:
		columns, rows = execute(filters)
		self.assertEqual([c["fieldname"] for c in columns], COLUMNS)
		return rows

	def test_every_completion_with_how_and_until_when(self):
		rows = self.rows(course=self.fire)
		self.assertEqual(
			[row["assignment"] for row in rows], [self.renewal, self.bobs, self.first], "latest first"
		)
		renewal, bobs, first = rows
		self.assertEqual(
			{key: renewal[key] for key in COLUMNS},
			{
				"employee": self.ann,
				"employee_name": frappe.db.get_value("User", self.ann, "full_name"),
				"course": self.fire,
				"course_title": frappe.db.get_value("LMS Course", self.fire, "title"),
				"course_version": "1",
				"completed_on": d(-3),
				"valid_until": d(362),
				"validity": "Compliant",
				"renewal_of": self.first,
				"completion_source": "Classroom Session",
				"completion_note": "Fire drill with the site warden",
				"completion_evidence": self.evidence,
				"completion_recorded_by": self.moderator,
				"assignment": self.renewal,
				"quiz_attempts": None,
				"acknowledged": None,
				"scorm_attempts": None,
			},
		)
		self.assertEqual(
			(bobs["validity"], bobs["valid_until"], bobs["completion_source"], bobs["renewal_of"]),
			("Expiring Soon", d(15), "LMS", None),
		)
		self.assertEqual(
			(first["validity"], first["valid_until"], first["completed_on"]),
			("Renewed", d(-35), d(-400)),
			"an earlier completion stays on record, renewed since",
		)
		(cats,) = self.rows(employee=self.cat)
		self.assertEqual((cats["validity"], cats["valid_until"]), ("Compliant", None), "never expires")
		self.assertEqual(self.rows(employee=self.dan), [], "only completions")

	def test_filters(self):
		def names(**filters):
			return [row["assignment"] for row in self.rows(course=self.fire, **filters)]

		self.assertEqual(names(employee=self.ann), [self.renewal, self.first])
		self.assertEqual(names(source="Classroom Session"), [self.renewal])
		self.assertEqual(names(source="LMS"), [self.bobs, self.first])
		self.assertEqual(names(source="External Provider"), [])
		self.assertEqual(names(from_date=str(d(-360))), [self.renewal, self.bobs])
		self.assertEqual(names(to_date=str(d(-350))), [self.bobs, self.first])
		self.assertEqual(names(from_date=str(d(-350)), to_date=str(d(-350))), [self.bobs])
		self.assertEqual(names(from_date=str(d(1))), [])

	def test_refusals(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Completed Through must be one of"):
			self.rows(source="Telepathy")
		with self.assertRaisesRegex(frappe.ValidationError, "Filter employee must be text"):
			self.rows(employee={"$gt": ""})
		for value in ("soon", "2026-13-45", "99999999999"):
			with self.assertRaisesRegex(frappe.ValidationError, "Filter from_date must be a date"):
				self.rows(from_date=value)
		for role in ("LMS Student", "Course Creator"):
			frappe.set_user(make_user(role))
			with self.assertRaises(frappe.PermissionError):
				execute({})
			with self.assertRaises(frappe.PermissionError):
				run(REPORT, filters={})

	def test_runs_through_the_desk_report_runner(self):
		result = run(REPORT, filters={"employee": self.bob})
		self.assertEqual([row["assignment"] for row in result["result"]], [self.bobs])

	def test_each_completion_shows_the_course_version_it_was_completed_under(self):
		frappe.set_user("Administrator")
		course = make_course(title=unique("Data Protection"), lessons=1)
		early, late, legacy = (make_user() for _ in range(3))
		create_assignments([course], [early, late, legacy], d(20))
		firsts = {user: complete_course(user, course) for user in (early, legacy)}
		frappe.db.set_value(ASSIGNMENT, firsts[legacy], "course_version", None)  # before versions were kept
		publish_new_version(course, "2027.1")
		seconds = complete_course(late, course)
		frappe.set_user(make_user("HR Manager"))
		versions = {row["assignment"]: row["course_version"] for row in self.rows(course=course)}
		self.assertEqual(
			versions, {firsts[early]: "1", firsts[legacy]: "1", seconds: "2027.1"}, "each its own version"
		)


class TestProofBesideEachCompletion(FrappeTestCase):
	"""Harassment Prevention: a plain lesson, a quiz (two questions), a statement to sign. Ada fails the quiz
	once, passes it, signs; Bob passes at once and signs under a hostile name; Cat finished a plain course."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.course_name = make_course(title=unique("Harassment Prevention"), lessons=3)
		cls.quiz = make_quiz(cls.course_name, questions=2, lesson=2, title=unique("Speak Up"))
		set_lesson(cls.course_name, 3, acknowledgement="I will report harassment.")
		cls.lessons = [lesson.name for lesson in course_lessons(cls.course_name)]
		cls.ada, cls.bob, cls.cat = (make_user("LMS Student") for _ in range(3))
		name_user(cls.bob, "Bob " + HOSTILE["tag"])
		cls.plain = make_course(title=unique("Privacy"), lessons=1)
		create_assignments([cls.plain], [cls.cat], d(20))
		complete_course(cls.cat, cls.plain)
		cls.submissions = {cls.ada: cls.take(cls.ada, False, True), cls.bob: cls.take(cls.bob, True)}

	@classmethod
	def take(cls, user: str, *passes: bool) -> list[str]:
		"""`user` takes the quiz once per entry of `passes` (right or wrong answers), then signs."""
		assign(user, cls.course_name)
		frappe.set_user(user)
		mark_lesson_complete(course=cls.course_name, lesson=cls.lessons[0])
		names = []
		for right in passes:
			attempt = start_quiz(quiz=cls.quiz)["attempt"]
			drawn = frappe.parse_json(frappe.db.get_value(QUIZ_ATTEMPT, attempt, "questions"))
			answers = {
				q["question"]: [o["option"] for o in q["options"] if bool(o["is_correct"]) == right][:1]
				for q in drawn
			}
			names.append(submit_quiz(attempt=attempt, answers=answers)["submission"])
		full_name = frappe.db.get_value("User", user, "full_name")
		acknowledge(course=cls.course_name, lesson=cls.lessons[2], typed_name=full_name)
		frappe.set_user("Administrator")
		return names

	def setUp(self):
		frappe.set_user(make_user("HR Manager"))

	def tearDown(self):
		frappe.set_user("Administrator")

	def row_of(self, user: str) -> dict:
		(row,) = [row for row in execute({"course": self.course_name})[1] if row["employee"] == user]
		return row

	def test_each_completion_lists_its_quiz_attempts_and_acknowledgements(self):
		today = str(frappe.utils.getdate())
		quiz_title = frappe.db.get_value("LMS Quiz", self.quiz, "title")
		ada = self.row_of(self.ada)
		self.assertEqual(
			ada["quiz_attempts"], f"{quiz_title}: #1 0 % failed {today}, #2 100 % passed {today}"
		)
		self.assertEqual(
			[(s["name"], s["attempt"], s["passed"]) for s in ada["quiz_submissions"]],
			[(self.submissions[self.ada][0], 1, 0), (self.submissions[self.ada][1], 2, 1)],
			"each attempt links to its submission",
		)
		lesson_title = frappe.db.get_value("LMS Course Lesson", self.lessons[2], "title")
		full_name = frappe.db.get_value("User", self.ada, "full_name")
		self.assertEqual(ada["acknowledged"], f'{lesson_title}: {today}, signed "{full_name}"')
		(signed,) = ada["acknowledgement_records"]
		self.assertEqual(frappe.db.get_value("LMS Acknowledgement", signed["name"], "member"), self.ada)

		bob = self.row_of(self.bob)
		self.assertEqual(bob["quiz_attempts"], f"{quiz_title}: #1 100 % passed {today}")
		typed = frappe.db.get_value("LMS Acknowledgement", {"member": self.bob}, "typed_name")
		self.assertTrue(typed.startswith("Bob '"))
		self.assertIn(f'signed "{typed}"', bob["acknowledged"], "as stored: the desk prints it as text")
		(cats,) = execute({"employee": self.cat})[1]
		self.assertEqual((cats["quiz_attempts"], cats["acknowledged"]), (None, None))

	def test_four_queries_whatever_the_number_of_completions(self):
		def count(**filters) -> tuple[int, int]:
			with QueryCounter() as counter:
				rows = history(**filters)
			return len(rows), counter.count

		one, one_count = count(employee=self.ada, course=self.course_name)
		two, two_count = count(course=self.course_name)
		self.assertEqual((one, two), (1, 2))
		self.assertEqual(one_count, two_count)
		self.assertEqual(one_count, 4)
		self.assertEqual(count(employee="nobody@example.com"), (0, 1))


class TestTrainingHistoryExport(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		cls.learner = cls.user()
		cls.course_name = cls.course(title=unique("Export History Course"), validity_days=365)
		create_assignments([cls.course_name], [cls.learner], d(20))
		cls.completion = complete_course(cls.learner, cls.course_name)
		frappe.db.commit()

	def export(self, user: str, file_format_type: str):
		return export_report(user, REPORT, {"course": self.course_name}, file_format_type)

	def test_csv(self):
		response = self.export(self.hr, "CSV")
		self.assertEqual(response.status_code, 200, response.text[:500])
		header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
		self.assertEqual(
			header,
			[
				"Employee",
				"Employee Name",
				"Course",
				"Course Title",
				"Version",
				"Completed On",
				"Valid Until",
				"Validity Today",
				"Renewal Of",
				"Completed Through",
				"Note",
				"Evidence",
				"Recorded By",
				"Assignment",
				"Quiz Attempts",
				"Acknowledged",
				"SCORM Attempts",
			],
		)
		(row,) = rows
		self.assertEqual((row[0], row[2], row[4], row[7], row[9], row[13]), (
			self.learner, self.course_name, "1", "Compliant", "LMS", self.completion
		))  # fmt: skip

	def test_excel(self):
		from openpyxl import load_workbook

		response = self.export(self.hr, "Excel")
		self.assertEqual(response.status_code, 200, response.text[:500])
		values = list(load_workbook(io.BytesIO(response.content)).active.values)
		self.assertEqual(values[0][:2], ("Employee", "Employee Name"))
		self.assertEqual(values[1][13], self.completion)

	def test_learners_are_refused(self):
		self.assertEqual(self.export(self.learner, "CSV").status_code, 403)
