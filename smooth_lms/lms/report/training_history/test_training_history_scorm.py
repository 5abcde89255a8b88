"""Training History on a real site: each completion with its SCORM attempts — lesson, status in words,
score and time spent — as the learner's commits left them; a renewal's attempt with the renewal, the
earlier one with the completion it belongs to; a hostile lesson title kept as text; four queries whatever
the rows; the CSV and Excel exports over HTTP."""

import csv
import io
import json

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.assignments.hr_records import record_external_completion
from smooth_lms.lms.doctypes import ASSIGNMENT, SCORM_ATTEMPT
from smooth_lms.lms.report.training_history.training_history import execute, history
from smooth_lms.lms.scorm import commit
from smooth_lms.lms.validity.renewals import open_renewals
from smooth_lms.tests.factories import (
	QueryCounter,
	assign,
	backdate_completion,
	d,
	make_course,
	make_user,
	store_raw,
	unique,
)
from smooth_lms.tests.hostile import HOSTILE
from smooth_lms.tests.http import RestCase, export_report
from smooth_lms.tests.scorm_packages import attach_package, build_package

REPORT = "Training History"


def cmi_12(status: str, raw: int | None = None, session_time: str = "") -> str:
	score = {"raw": "" if raw is None else str(raw), "max": "" if raw is None else "100"}
	return json.dumps({"core": {"lesson_status": status, "score": score, "session_time": session_time}})


def cmi_2004(completion: str, success: str, raw: int | None = None, session_time: str = "") -> str:
	score = {"raw": "" if raw is None else str(raw), "max": "" if raw is None else "100"}
	return json.dumps(
		{
			"completion_status": completion,
			"success_status": success,
			"score": score,
			"session_time": session_time,
		}
	)


def play(user: str, course: str, lesson: str, cmi: str, session: str, elapsed: float = 0) -> dict:
	"""What the lesson page posts for `user` after the package committed `cmi`."""
	frappe.set_user(user)
	try:
		return commit(course=course, lesson=lesson, cmi=cmi, session=session, elapsed=elapsed)
	finally:
		frappe.set_user("Administrator")


class TestScormAttemptsBesideEachCompletion(FrappeTestCase):
	"""Security Awareness (one SCORM 1.2 lesson whose title carries payloads, valid a year): Ada failed it
	(40 / 100 in 5 minutes), then passed it (85 / 100 in 7 min 5 s) 350 days ago; her renewal opened and
	she completed the package again without a score. Phishing (a SCORM 2004 lesson): Bob failed it
	(30 / 100), then HR recorded a classroom session as his completion."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		frappe.db.after_commit.reset()
		cls.security = make_course(
			title=unique("Security Awareness"), lessons=1, validity_days=365, renewal_window_days=30
		)
		cls.lesson = attach_package(cls.security, 1, build_package("1.2"))
		cls.lesson_title = f"Security {HOSTILE['tag']} {HOSTILE['script']}"
		store_raw("LMS Course Lesson", cls.lesson, {"title": cls.lesson_title})
		cls.ada = make_user("LMS Student")
		cls.first = assign(cls.ada, cls.security)
		cls.failed = play(cls.ada, cls.security, cls.lesson, cmi_12("failed", 40, "00:05:00"), "one")
		passed = play(cls.ada, cls.security, cls.lesson, cmi_12("passed", 85, "00:07:05"), "two")
		assert passed["finished"] and passed["attempt"] == cls.failed["attempt"], passed
		assert frappe.db.get_value(ASSIGNMENT, cls.first, "status") == "Completed"
		# The attempt keeps the lesson's title as Frappe's save cleans it: still markup ('<img src="x">').
		cls.stored_title = frappe.db.get_value(SCORM_ATTEMPT, passed["attempt"], "lesson_title")
		assert "<img" in cls.stored_title and "Security" in cls.stored_title, cls.stored_title
		backdate_completion(cls.first, days_ago=350, validity=365)
		open_renewals([cls.security])
		cls.renewal = frappe.db.get_value(ASSIGNMENT, {"renewal_of": cls.first})
		cls.renewed = play(cls.ada, cls.security, cls.lesson, cmi_12("completed"), "three", elapsed=61.6)
		assert cls.renewed["finished"], cls.renewed
		assert frappe.db.get_value(ASSIGNMENT, cls.renewal, "status") == "Completed"

		cls.phishing = make_course(title=unique("Phishing"), lessons=1)
		cls.phishing_lesson = attach_package(cls.phishing, 1, build_package("2004"))
		cls.phishing_title = frappe.db.get_value("LMS Course Lesson", cls.phishing_lesson, "title")
		cls.bob = make_user("LMS Student")
		cls.bobs = assign(cls.bob, cls.phishing)
		failed = play(
			cls.bob, cls.phishing, cls.phishing_lesson, cmi_2004("completed", "failed", 30, "PT2M"), "one"
		)
		assert not failed["finished"], failed
		frappe.set_user(make_user("Moderator"))
		evidence = (
			frappe.get_doc(
				{"doctype": "File", "file_name": "drill.pdf", "content": b"%PDF-1.4", "is_private": 1}
			)
			.insert()
			.file_url
		)
		record_external_completion(
			completed_on=d(-1), source="Classroom Session", evidence=evidence, assignment=cls.bobs
		)
		frappe.set_user("Administrator")
		frappe.db.after_commit.reset()

	def setUp(self):
		frappe.set_user(make_user("HR Manager"))

	def tearDown(self):
		frappe.set_user("Administrator")

	def rows(self, **filters) -> dict[str, dict]:
		return {row["assignment"]: row for row in execute(filters)[1]}

	def test_each_completion_shows_its_attempt_status_score_and_time(self):
		rows = self.rows(employee=self.ada)
		self.assertEqual(
			rows[self.first]["scorm_attempts"],
			f"{self.stored_title}: passed, score 85/100, time 0:12:05",
			"the title as stored (the desk and the export print it as text); both sessions added up",
		)
		(record,) = rows[self.first]["scorm_records"]
		self.assertEqual(record["name"], self.failed["attempt"], "linked to its record")
		self.assertEqual(
			(record["status"], record["score"], record["time_spent"], record["lesson_title"]),
			("passed", "85/100", "0:12:05", self.stored_title),
		)
		self.assertEqual(
			self.rows(employee=self.bob)[self.bobs]["scorm_attempts"],
			f"{self.phishing_title}: failed, score 30/100, time 0:02:00",
			"the learner's failed attempt beside the completion HR recorded",
		)

	def test_a_renewals_attempt_shows_with_the_renewal_not_the_earlier_completion(self):
		rows = self.rows(course=self.security)
		self.assertEqual(list(rows), [self.renewal, self.first], "latest first")
		(renewal,) = rows[self.renewal]["scorm_records"]
		self.assertEqual(renewal["name"], self.renewed["attempt"])
		self.assertNotEqual(renewal["name"], self.failed["attempt"])
		self.assertEqual(
			rows[self.renewal]["scorm_attempts"], f"{self.stored_title}: completed, time 0:01:02"
		)
		self.assertEqual([r["name"] for r in rows[self.first]["scorm_records"]], [self.failed["attempt"]])
		self.assertEqual(
			frappe.db.count(SCORM_ATTEMPT, {"member": self.ada}), 2, "the old attempt is kept beside the new"
		)

	def test_four_queries_whatever_the_number_of_attempts(self):
		def count(**filters) -> tuple[int, int]:
			with QueryCounter() as counter:
				rows = history(**filters)
			return len(rows), counter.count

		self.assertEqual(count(employee=self.bob), (1, 4))
		self.assertEqual(count(employee=self.ada), (2, 4))
		rows, queries = count(from_date=str(d(-400)))
		self.assertGreaterEqual(rows, 3)
		self.assertEqual(queries, 4)


class TestScormAttemptsInTheExport(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		cls.learner = cls.user("LMS Student")
		cls.course_name = cls.course(title=unique("Export SCORM Course"), lessons=1)
		cls.lesson = attach_package(cls.course_name, 1, build_package("2004"))
		cls.lesson_title = frappe.db.get_value("LMS Course Lesson", cls.lesson, "title")
		cls.completion = assign(cls.learner, cls.course_name)
		play(cls.learner, cls.course_name, cls.lesson, cmi_2004("completed", "passed", 92, "PT1H2M3S"), "a")
		frappe.db.commit()

	def export(self, file_format_type: str):
		response = export_report(self.hr, REPORT, {"course": self.course_name}, file_format_type)
		self.assertEqual(response.status_code, 200, response.text[:500])
		return response

	def test_csv_and_excel_carry_the_attempts(self):
		expected = f"{self.lesson_title}: passed, score 92/100, time 1:02:03"
		header, *rows = list(csv.reader(io.StringIO(self.export("CSV").content.decode("utf-8"))))
		(row,) = rows
		self.assertEqual(header[-1], "SCORM Attempts")
		self.assertEqual((row[header.index("Assignment")], row[-1]), (self.completion, expected))

		from openpyxl import load_workbook

		values = list(load_workbook(io.BytesIO(self.export("Excel").content)).active.values)
		self.assertEqual(values[0][-1], "SCORM Attempts")
		self.assertEqual(values[1][-1], expected)
