"""The demo seed keeps what the README promises: the company, its courses, a quiz on each course's last
lesson (Harassment Prevention: 10 questions, 5 drawn, 80 % to pass, 3 attempts), Code of Conduct ending
with a statement to sign, and learners who passed, failed with attempts left, used every attempt, were
granted more by HR, and passed a renewal anew — all through start_quiz / submit_quiz / acknowledge;
certificates for every completion, among them valid, expiring soon, expired, revoked and two versions of
one course held by one learner (demo.certificates); a course handing its completions to HR.

The seed runs once on the test site, in the test's transaction (its commit held back), and is rolled back
at the end."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, getdate, today

from smooth_lms.demo import certificates as stories
from smooth_lms.demo import scorm, seed
from smooth_lms.demo.learners import GRANT_REASON, QUIZ_STORIES, as_user
from smooth_lms.demo.quizzes import ACKNOWLEDGEMENT_LESSON, QUESTIONS, STATEMENT, parse
from smooth_lms.lms.certificates.verification import verified
from smooth_lms.lms.doctypes import SCORM_ATTEMPT
from smooth_lms.lms.hr_compliance import HAND_OVER_JOB
from smooth_lms.lms.hr_compliance.handoff import hand_over
from smooth_lms.lms.quiz import start_quiz

HARASSMENT = "Harassment Prevention"


def forget_site_settings() -> None:
	"""After the rollback, forget the System Settings and defaults the seed set: Redis' copies and this
	process' date and time formats (frappe.utils keeps them in frappe.local for the request, which in a
	test run lasts every test after this one)."""
	frappe.clear_cache()
	frappe.local.user_date_format = None
	frappe.local.user_time_format = None


class TestDemoSeed(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		with (
			patch.object(frappe.local.db, "commit"),  # rolled back with the class
			patch.object(frappe, "enqueue", wraps=frappe.enqueue) as enqueue,  # what goes to the queue
		):
			seed.seed_demo()
		cls.queued = enqueue.call_args_list
		cls.addClassCleanup(forget_site_settings)  # the ISO dates the seed set, cached, rolled back
		cls.courses = {
			title: frappe.db.get_value("LMS Course", {"title": title}) for title, *_ in seed.COURSES
		}
		cls.harassment = cls.courses[HARASSMENT]
		cls.quiz = frappe.get_doc("LMS Quiz", {"course": cls.harassment})

	@staticmethod
	def demo_course(title: str) -> str:
		introduction = f"{title}: what every Northwind employee needs to know."
		return frappe.get_all(
			"LMS Course",
			{"title": title, "short_introduction": introduction},
			pluck="name",
			order_by="creation desc",
			limit=1,
		)[0]

	def user(self, full_name: str) -> str:
		return frappe.db.get_value("User", {"full_name": full_name})

	def submissions(self, full_name: str, course: str | None = None) -> list[frappe._dict]:
		return frappe.get_all(
			"LMS Quiz Submission",
			{"member": self.user(full_name), "course": course or self.harassment},
			["name", "attempt", "passed", "percentage", "assignment", "quiz_attempt"],
			order_by="attempt",
		)

	def assignment(self, full_name: str) -> frappe._dict:
		return frappe.db.get_value(
			"LMS Training Assignment",
			{"employee": self.user(full_name), "course": self.harassment},
			["name", "status", "attempts_exhausted"],
			as_dict=True,
		)

	def test_the_company_the_readme_describes(self):
		for department, names in seed.DEPARTMENTS.items():
			rows = frappe.get_all(
				"Employee",
				{"company": "Northwind", "department": department, "employee_name": ("in", names)},
				["name", "employee_name", "user_id", "reports_to"],
			)
			self.assertEqual(sorted(row.employee_name for row in rows), sorted(names))
			self.assertTrue(all(row.user_id for row in rows), department)
			lead = next(row.name for row in rows if row.employee_name == names[0])
			self.assertEqual({row.reports_to for row in rows if row.name != lead}, {lead}, department)
		self.assertEqual(sum(len(names) for names in seed.DEPARTMENTS.values()), 31)
		mandatory = frappe.get_all(
			"LMS Course", {"name": ("in", list(self.courses.values())), "is_mandatory": 1, "published": 1}
		)
		self.assertEqual(len(mandatory), 5)

	def test_each_course_has_a_short_quiz_on_its_last_lesson(self):
		for title, course in self.courses.items():
			lessons = frappe.get_doc("LMS Course", course).lessons
			quiz_lessons = [lesson for lesson in lessons if lesson.quiz]
			self.assertEqual(len(quiz_lessons), 1, title)
			last = lessons[-2] if title == "Code of Conduct" else lessons[-1]
			self.assertEqual(quiz_lessons[0].name, last.name, title)
			quiz = frappe.get_doc("LMS Quiz", last.quiz)
			self.assertEqual(len(quiz.questions), len(parse(QUESTIONS[title])), title)
			self.assertTrue(3 <= len(quiz.questions) <= (10 if title == HARASSMENT else 5), title)
			for row in quiz.questions:
				question = frappe.get_doc("LMS Question", row.question)
				self.assertTrue(all(option.explanation for option in question.options), question.question)

	def test_harassment_prevention_quiz_settings(self):
		self.assertEqual(len(self.quiz.questions), 10)
		self.assertEqual(
			(self.quiz.passing_percentage, self.quiz.max_attempts, self.quiz.questions_per_attempt),
			(80, 3, 5),
		)
		kinds = {frappe.db.get_value("LMS Question", row.question, "type") for row in self.quiz.questions}
		self.assertEqual(kinds, {"Single Choice", "Multiple Choice"})

	def test_code_of_conduct_ends_with_a_statement_learners_sign(self):
		course = self.courses["Code of Conduct"]
		last = frappe.get_doc("LMS Course", course).lessons[-1]
		self.assertEqual(
			(last.title, last.acknowledgement, last.quiz), (ACKNOWLEDGEMENT_LESSON, STATEMENT, None)
		)
		completed = frappe.get_all(
			"LMS Training Assignment", {"course": course, "status": "Completed"}, ["employee", "name"]
		)
		self.assertTrue(completed)
		for row in completed:
			signed = frappe.db.get_value(
				"LMS Acknowledgement",
				{"member": row.employee, "lesson": last.name, "assignment": row.name},
				["statement", "typed_name", "member_name"],
				as_dict=True,
			)
			self.assertEqual(signed.statement, STATEMENT, row.employee)
			self.assertEqual(signed.typed_name, signed.member_name)

	def test_every_finished_quiz_lesson_has_its_passing_submission(self):
		quiz_lessons = frappe.get_all("LMS Course Lesson", {"quiz": ("is", "set")}, pluck="name")
		courses = list(self.courses.values())
		# The demo company's people only: a test site may keep another test's rows of a course that
		# happens to share a demo course's name.
		demo_people = ("like", f"%@{seed.DOMAIN}")
		finished = frappe.get_all(
			"LMS Course Progress",
			{"lesson": ("in", quiz_lessons), "course": ("in", courses), "member": demo_people},
			["member", "lesson", "course"],
		)
		self.assertGreater(len(finished), 10)
		for row in finished:
			self.assertTrue(
				frappe.db.exists(
					"LMS Quiz Submission", {"member": row.member, "lesson": row.lesson, "passed": 1}
				),
				row,
			)
		submissions = frappe.get_all(
			"LMS Quiz Submission",
			{"course": ("in", courses), "member": demo_people},
			["quiz_attempt", "member"],
		)
		self.assertGreater(len(submissions), len(finished))  # the failed attempts too
		for submission in submissions:
			attempt = frappe.db.get_value("LMS Quiz Attempt", submission.quiz_attempt, ["member", "status"])
			self.assertEqual(attempt, (submission.member, "Submitted"))

	def test_passed_at_once_and_at_the_second_attempt(self):
		self.assertEqual([(s.attempt, s.passed) for s in self.submissions("Liam Chen")], [(1, 1)])
		self.assertEqual([(s.attempt, s.passed) for s in self.submissions("Zoe Martin")], [(1, 0), (2, 1)])
		for name in ("Liam Chen", "Zoe Martin"):
			self.assertEqual(self.assignment(name).status, "Completed")
		self.assertEqual(QUIZ_STORIES["Liam Chen"], [5])

	def test_failed_with_attempts_left(self):
		self.assertEqual(
			[(s.attempt, s.passed, s.percentage) for s in self.submissions("Noah Kim")], [(1, 0, 60)]
		)
		assignment = self.assignment("Noah Kim")
		self.assertNotEqual(assignment.status, "Completed")
		self.assertFalse(assignment.attempts_exhausted)

	def test_attempts_exhausted_shown_on_the_assignment_and_start_refused(self):
		self.assertEqual(
			[(s.attempt, s.passed) for s in self.submissions("Mia Rossi")], [(1, 0), (2, 0), (3, 0)]
		)
		self.assertTrue(self.assignment("Mia Rossi").attempts_exhausted)
		with as_user(self.user("Mia Rossi")), patch.object(frappe.local.db, "commit"):
			with self.assertRaisesRegex(frappe.ValidationError, "Ask HR for more attempts"):
				start_quiz(quiz=self.quiz.name)

	def test_hr_granted_one_more_attempt_with_a_reason_and_it_was_passed(self):
		assignment = self.assignment("Ethan Brown")
		grants = frappe.get_all(
			"LMS Quiz Attempt Grant",
			{"parent": assignment.name},
			["quiz", "extra_attempts", "reason", "granted_by"],
		)
		self.assertEqual(
			[(g.quiz, g.extra_attempts, g.reason, g.granted_by) for g in grants],
			[(self.quiz.name, 1, GRANT_REASON, "hr@northwind.example")],
		)
		self.assertEqual(
			[(s.attempt, s.passed) for s in self.submissions("Ethan Brown")], [(1, 0), (2, 0), (3, 0), (4, 1)]
		)
		self.assertEqual((assignment.status, assignment.attempts_exhausted), ("Completed", 0))

	def test_a_renewal_needed_a_new_pass(self):
		renewals = frappe.get_all(
			"LMS Training Assignment",
			{"course": self.harassment, "renewal_of": ("is", "set"), "status": "Completed"},
			["name", "employee", "renewal_of"],
		)
		self.assertTrue(renewals)
		for renewal in renewals:
			passed = {
				s.assignment
				for s in frappe.get_all(
					"LMS Quiz Submission", {"member": renewal.employee, "passed": 1}, ["assignment"]
				)
			}
			self.assertLessEqual({renewal.name, renewal.renewal_of}, passed)

	def test_an_open_renewal_asks_for_a_new_pass(self):
		open_renewals = frappe.get_all(
			"LMS Training Assignment",
			{"course": self.harassment, "renewal_of": ("is", "set"), "status": ("!=", "Completed")},
			["name", "employee", "renewal_of"],
		)
		self.assertTrue(open_renewals)
		renewal = open_renewals[0]
		self.assertTrue(
			frappe.db.exists("LMS Quiz Submission", {"assignment": renewal.renewal_of, "passed": 1})
		)
		self.assertFalse(frappe.db.exists("LMS Quiz Submission", {"assignment": renewal.name}))
		with as_user(renewal.employee):
			started = start_quiz(quiz=self.quiz.name)  # rolled back with the class
		self.assertEqual((started["attempts_used"], started["max_attempts"]), (1, 3))
		self.assertEqual(
			frappe.db.get_value("LMS Quiz Attempt", started["attempt"], "assignment"), renewal.name
		)

	def certificate(self, full_name: str, course_title: str, **filters) -> frappe._dict:
		assignment = frappe.get_all(
			"LMS Training Assignment",
			{"employee": self.user(full_name), "course": self.courses[course_title], **filters},
			pluck="name",
			order_by="creation desc",
			limit=1,
		)[0]
		return frappe.get_doc("LMS Certificate", {"assignment": assignment})

	def test_every_completion_has_its_certificate_dated_as_the_completion(self):
		completions = frappe.get_all(
			"LMS Training Assignment",
			{"course": ("in", list(self.courses.values())), "status": "Completed"},
			["name", "employee", "course", "course_version", "completed_on", "valid_until"],
		)
		self.assertGreater(len(completions), 20)
		certificates = {
			row.assignment: row
			for row in frappe.get_all(
				"LMS Certificate",
				{"course": ("in", list(self.courses.values()))},
				["assignment", "member", "course", "course_version", "issue_date", "valid_until"],
			)
		}
		self.assertEqual(set(certificates), {row.name for row in completions})
		for row in completions:
			certificate = certificates[row.name]
			self.assertEqual(
				(certificate.member, certificate.course, certificate.course_version),
				(row.employee, row.course, row.course_version),
			)
			self.assertEqual(
				(certificate.issue_date, certificate.valid_until), (row.completed_on, row.valid_until)
			)

	def test_valid_expiring_soon_and_expired_certificates(self):
		window = frappe.db.get_value("LMS Course", self.harassment, "renewal_window_days")
		valid = verified(self.certificate("Amara Okafor", HARASSMENT).name)
		self.assertEqual(valid["status"], "Valid")
		self.assertGreater(getdate(valid["valid_until"]), add_to_date(getdate(), days=window))
		expiring = verified(self.certificate("Leo Fischer", HARASSMENT, renewal_of=("is", "not set")).name)
		self.assertEqual(expiring["status"], "Valid")
		self.assertLessEqual(getdate(expiring["valid_until"]), add_to_date(getdate(), days=window))
		expired = verified(self.certificate("Nina Kowalski", HARASSMENT, status="Completed").name)
		self.assertEqual(expired["status"], "Expired")
		self.assertLess(getdate(expired["valid_until"]), getdate())
		self.assertEqual(set(valid), {"certificate", "member_name", "course_title", "course_version",
			"issue_date", "valid_until", "status"})  # fmt: skip

	def test_a_certificate_revoked_by_hr_with_its_reason(self):
		full_name, course = stories.REVOKED
		certificate = self.certificate(full_name, course)
		self.assertEqual(verified(certificate.name)["status"], "Revoked")
		self.assertEqual(
			(certificate.revoked, certificate.revoked_reason, certificate.revoked_by),
			(1, stories.REVOKE_REASON, "hr@northwind.example"),
		)
		self.assertTrue(certificate.revoked_on)
		self.assertEqual(
			frappe.get_all("LMS Certificate", {"course": ("in", list(self.courses.values())), "revoked": 1},
				pluck="name"),
			[certificate.name],
		)  # fmt: skip

	def test_one_learner_holds_certificates_of_two_versions(self):
		full_name, course = stories.RETRAINED
		self.assertEqual(
			frappe.db.get_value("LMS Course", self.courses[course], "version"), stories.NEW_VERSION
		)
		held = frappe.get_all(
			"LMS Certificate",
			{"member": self.user(full_name), "course": self.courses[course]},
			["course_version", "assignment", "issue_date", "revoked"],
			order_by="issue_date",
		)
		self.assertEqual(
			[(row.course_version, row.revoked) for row in held], [("1", 0), (stories.NEW_VERSION, 0)]
		)
		first, second = held
		self.assertEqual(
			frappe.db.get_value("LMS Training Assignment", second.assignment, "renewal_of"), first.assignment
		)
		self.assertEqual(str(first.issue_date), add_days(today(), -stories.FIRST_COMPLETED_DAYS_AGO))
		self.assertEqual(str(second.issue_date), today())
		# Everyone else who held version 1 was asked to retrain, once.
		holders = frappe.get_all(
			"LMS Training Assignment",
			{"course": self.courses[course], "status": "Completed", "course_version": "1"},
			pluck="employee",
		)
		renewals = frappe.get_all(
			"LMS Training Assignment",
			{"course": self.courses[course], "renewal_of": ("is", "set")},
			pluck="employee",
		)
		self.assertGreater(len(holders), 2)
		self.assertEqual(sorted(renewals), sorted(holders))

	def test_harassment_prevention_hands_its_completions_to_hr(self):
		compliance_type = stories.COMPLIANCE_TYPES[HARASSMENT]
		self.assertEqual(
			frappe.db.get_value("LMS Course", self.harassment, "compliance_type"), compliance_type
		)
		completions = frappe.get_all(
			"LMS Training Assignment",
			{"course": self.harassment, "status": "Completed"},
			["name", "employee", "completed_on", "valid_until"],
			order_by="completed_on",
		)
		# Each completion queued its handoff, for after the commit (the commit is held back here) ...
		queued = [
			name
			for call in self.queued
			if call.args and call.args[0] == HAND_OVER_JOB
			for name in call.kwargs["assignments"]
		]
		self.assertEqual(sorted(queued), sorted(row.name for row in completions))
		self.assertFalse(frappe.get_all("Employee Compliance", {"compliance_type": compliance_type}))
		# ... and the job, run here as a worker runs it, fills HR's ledger: a row per employee, with
		# their latest completion (Samuel Adeyemi's renewal), Expired where it expired unrenewed.
		with as_user("Administrator"):
			hand_over(queued, evidence=False)
		rows = {
			row.employee: row
			for row in frappe.get_all(
				"Employee Compliance",
				{"compliance_type": compliance_type},
				["employee", "status", "completion_date", "next_renewal_date"],
			)
		}
		latest = {frappe.db.get_value("Employee", {"user_id": row.employee}): row for row in completions}
		self.assertEqual(set(rows), set(latest))
		for employee, completion in latest.items():
			row = rows[employee]
			self.assertEqual((row.completion_date, row.next_renewal_date), (completion.completed_on,
				completion.valid_until), employee)  # fmt: skip
			self.assertEqual(row.status, "Expired" if completion.valid_until < getdate() else "Complete")
		self.assertIn("Expired", {row.status for row in rows.values()})  # Nina Kowalski's

	def test_phishing_awareness_is_a_scorm_package_played_by_three_learners(self):
		course = frappe.get_doc("LMS Course", {"title": scorm.COURSE_TITLE})
		lesson = course.lessons[1]
		self.assertEqual((lesson.title, lesson.scorm_version), (scorm.SCORM_LESSON, "2004"))
		self.assertTrue(lesson.scorm_package_id)
		rows = {
			frappe.db.get_value("User", row.member, "full_name"): row
			for row in frappe.get_all(
				SCORM_ATTEMPT,
				{"course": course.name},
				["member", "lesson_status", "score_raw", "score_max", "total_time", "finished", "location"],
			)
		}
		self.assertEqual(set(rows), set(scorm.SCORM_STORIES))
		passed, failed, halfway = rows["Priya Nair"], rows["Kenji Sato"], rows["Olivia Smith"]
		self.assertEqual(
			(passed.lesson_status, passed.score_raw, passed.score_max, passed.finished), ("passed", 3, 3, 1)
		)
		self.assertEqual((failed.lesson_status, failed.score_raw, failed.finished), ("failed", 1, 0))
		self.assertEqual((halfway.lesson_status, halfway.location, halfway.finished), ("incomplete", "3", 0))
		self.assertEqual((passed.total_time, failed.total_time, halfway.total_time), (400, 252, 125))
		status = {
			name: frappe.db.get_value(
				"LMS Training Assignment", {"employee": self.user(name), "course": course.name}, "status"
			)
			for name in scorm.SCORM_STORIES
		}
		self.assertEqual(status["Priya Nair"], "Completed")
		self.assertNotEqual(status["Kenji Sato"], "Completed")
		self.assertNotEqual(status["Olivia Smith"], "Completed")

	def test_seeding_again_changes_nothing(self):
		doctypes = ("LMS Quiz Submission", "LMS Quiz", "LMS Acknowledgement", "LMS Certificate")
		counts = [frappe.db.count(d) for d in doctypes]
		with patch.object(frappe.local.db, "commit"):
			seed.seed_demo()
		self.assertEqual([frappe.db.count(d) for d in doctypes], counts)
