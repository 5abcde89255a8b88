"""Quizzes and acknowledgements over real HTTP, as the learner (and HR) call them.

The learner who reads every answer for the right option finds none before a scored submission; scoring,
attempts, time limits and exhausted attempts are the server's; a renewal asks for a new pass.
"""

import json
import threading

import frappe
import requests
from frappe.utils import add_to_date, now_datetime

from smooth_lms.lms.doctypes import (
	ACKNOWLEDGEMENT,
	ASSIGNMENT,
	COURSE_PROGRESS,
	QUIZ_ATTEMPT,
	QUIZ_SUBMISSION,
)
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.validity.renewals import open_renewals
from smooth_lms.tests.factories import (
	assign,
	backdate_completion,
	make_question,
	make_quiz,
	right_answers,
	set_lesson,
	wrong_answers,
)
from smooth_lms.tests.http import RestCase, base_url, login

METHOD = "/api/method/smooth_lms.lms."


class QuizCase(RestCase):
	def call(self, user_or_session, method: str, **body):
		"""POST as a user (signed in for the call; None: Guest) or on a session; the test then reads what
		the server committed."""
		session = user_or_session if isinstance(user_or_session, requests.Session) else login(user_or_session)
		response = session.post(base_url() + METHOD + method, json=body, timeout=60)
		frappe.db.commit()  # a fresh snapshot for the checks that follow
		return response

	def ok(self, response) -> dict:
		self.assertEqual(response.status_code, 200, response.text[:500])
		return response.json()["message"]

	def refused(self, response, status: int, words: str | None = None) -> None:
		self.assertEqual(response.status_code, status, response.text[:500])
		self.assertNotIn("Traceback", response.text)
		if words:
			self.assertIn(words, response.text)

	def learner_on(self, course: str) -> tuple[str, str]:
		learner = self.user("LMS Student")
		assignment = assign(learner, course)
		frappe.db.commit()
		return learner, assignment


class TestTakingAQuiz(QuizCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.course_name = cls.course(lessons=2)
		cls.quiz = make_quiz(cls.course_name, questions=8, lesson=2, questions_per_attempt=5, shuffle=1)
		frappe.db.commit()

	def test_an_attempt_shows_the_drawn_questions_and_nothing_about_the_answers(self):
		learner, _assignment = self.learner_on(self.course_name)
		response = self.call(learner, "quiz.start_quiz", quiz=self.quiz)
		started = self.ok(response)
		self.assertEqual(set(started) >= {"attempt", "attempts_used", "max_attempts", "questions"}, True)
		self.assertEqual((started["attempts_used"], started["max_attempts"]), (1, 0))
		self.assertEqual(len(started["questions"]), 5)
		for question in started["questions"]:
			self.assertEqual(set(question), {"question", "text", "type", "options"})
			for option in question["options"]:
				self.assertEqual(set(option), {"option", "text"})
		for leak in ("is_correct", "explanation", "is right", "is wrong"):
			self.assertNotIn(leak, response.text)
		drawn = json.loads(frappe.db.get_value(QUIZ_ATTEMPT, started["attempt"], "questions"))
		self.assertEqual([q["question"] for q in drawn], [q["question"] for q in started["questions"]])
		# Starting again resumes the open attempt: the same questions, no attempt used.
		again = self.ok(self.call(learner, "quiz.start_quiz", quiz=self.quiz))
		self.assertEqual((again["attempt"], again["attempts_used"]), (started["attempt"], 1))

	def test_a_pass_finishes_the_lesson_and_the_course(self):
		learner, assignment = self.learner_on(self.course_name)
		first_lesson = course_lessons(self.course_name)[0].name
		self.ok(
			self.call(
				learner,
				"learning.progress.mark_lesson_complete",
				course=self.course_name,
				lesson=first_lesson,
			)
		)
		attempt = self.ok(self.call(learner, "quiz.start_quiz", quiz=self.quiz))["attempt"]
		result = self.ok(
			self.call(learner, "quiz.submit_quiz", attempt=attempt, answers=right_answers(attempt))
		)
		self.assertEqual((result["score"], result["score_out_of"], result["percentage"]), (5, 5, 100))
		self.assertTrue(result["passed"])
		self.assertIsNone(result["attempts_left"])
		self.assertEqual(len(result["results"]), 5)  # After Each Attempt: the answers, with explanations
		self.assertTrue(all(option["explanation"] for q in result["results"] for option in q["options"]))
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, assignment, "status"), "Completed")
		submission = frappe.get_doc(QUIZ_SUBMISSION, result["submission"])
		self.assertEqual(
			(submission.member, submission.assignment, submission.attempt), (learner, assignment, 1)
		)
		self.assertEqual(len(submission.answers), 5)
		self.assertTrue(all(row.is_correct for row in submission.answers))
		# After the pass the quiz is not started again.
		self.refused(self.call(learner, "quiz.start_quiz", quiz=self.quiz), 417, "passed")

	def test_answers_as_a_json_string_and_a_failed_attempt(self):
		learner, assignment = self.learner_on(self.course_name)
		attempt = self.ok(self.call(learner, "quiz.start_quiz", quiz=self.quiz))["attempt"]
		answers = wrong_answers(attempt)
		right = right_answers(attempt)
		first = next(iter(right))
		answers[first] = right[first]
		result = self.ok(self.call(learner, "quiz.submit_quiz", attempt=attempt, answers=json.dumps(answers)))
		self.assertEqual((result["score"], result["percentage"], result["passed"]), (1, 20.0, False))
		self.assertFalse(frappe.db.exists(COURSE_PROGRESS, {"member": learner, "course": self.course_name}))
		self.assertNotEqual(frappe.db.get_value(ASSIGNMENT, assignment, "status"), "Completed")

	def test_an_attempt_is_submitted_once_even_when_submits_race(self):
		learner, _assignment = self.learner_on(self.course_name)
		session = login(learner)
		attempt = self.ok(self.call(session, "quiz.start_quiz", quiz=self.quiz))["attempt"]
		answers = wrong_answers(attempt)
		statuses, barrier = [], threading.Barrier(10)

		sessions = [login(learner) for _ in range(10)]

		def submit(mine):
			barrier.wait()
			url = base_url() + METHOD + "quiz.submit_quiz"
			statuses.append(
				mine.post(url, json={"attempt": attempt, "answers": answers}, timeout=60).status_code
			)

		threads = [threading.Thread(target=submit, args=(mine,)) for mine in sessions]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join()
		frappe.db.commit()
		self.assertEqual(sorted(statuses).count(200), 1, statuses)
		self.assertTrue(all(status in (200, 417) for status in statuses), statuses)
		self.assertEqual(frappe.db.count(QUIZ_SUBMISSION, {"quiz_attempt": attempt}), 1)

	def test_questions_not_drawn_and_other_learners_attempts_are_refused(self):
		learner, _assignment = self.learner_on(self.course_name)
		other, _other_assignment = self.learner_on(self.course_name)
		attempt = self.ok(self.call(learner, "quiz.start_quiz", quiz=self.quiz))["attempt"]
		drawn = set(right_answers(attempt))
		pool = {row.question for row in frappe.get_doc("LMS Quiz", self.quiz).questions}
		not_drawn = next(iter(pool - drawn))
		self.refused(
			self.call(learner, "quiz.submit_quiz", attempt=attempt, answers={not_drawn: []}),
			417,
			"Not In This",
		)
		stranger = make_question()
		frappe.db.commit()
		self.refused(self.call(learner, "quiz.submit_quiz", attempt=attempt, answers={stranger: []}), 417)
		self.refused(self.call(other, "quiz.submit_quiz", attempt=attempt, answers={}), 404)
		self.refused(self.call(learner, "quiz.submit_quiz", attempt=attempt, answers="[not json"), 417)
		self.refused(self.call(None, "quiz.start_quiz", quiz=self.quiz), 403)
		self.assertEqual(frappe.db.get_value(QUIZ_ATTEMPT, attempt, "status"), "Open")

	def test_a_quiz_lesson_is_not_finished_by_mark_as_complete(self):
		learner, _assignment = self.learner_on(self.course_name)
		quiz_lesson = course_lessons(self.course_name)[1].name
		self.refused(
			self.call(
				learner, "learning.progress.mark_lesson_complete", course=self.course_name, lesson=quiz_lesson
			),
			417,
		)
		self.assertFalse(frappe.db.exists(COURSE_PROGRESS, {"member": learner, "lesson": quiz_lesson}))

	def test_a_question_edited_after_the_draw_is_scored_and_kept_as_it_was_shown(self):
		course = self.course(lessons=1)
		question = make_question("<p>Where is the fire exit?</p>", options=3, correct=(0,))
		quiz = make_quiz(course, questions=[question])
		frappe.db.commit()
		learner, _assignment = self.learner_on(course)
		attempt = self.ok(self.call(learner, "quiz.start_quiz", quiz=quiz))["attempt"]
		answers = right_answers(attempt)
		doc = frappe.get_doc("LMS Question", question)
		doc.question = "<p>Where is the assembly point?</p>"
		doc.options[0].is_correct, doc.options[1].is_correct = 0, 1
		doc.options[0].option = "Changed text"
		doc.save(ignore_permissions=True)
		frappe.db.commit()
		result = self.ok(self.call(learner, "quiz.submit_quiz", attempt=attempt, answers=answers))
		self.assertTrue(result["passed"])
		(row,) = frappe.get_doc(QUIZ_SUBMISSION, result["submission"]).answers
		self.assertIn("fire exit", row.question_text)
		shown = json.loads(row.options)
		self.assertEqual([o["text"] for o in shown], ["Option A", "Option B", "Option C"])
		self.assertEqual([o["is_correct"] for o in shown], [1, 0, 0])

	def test_a_learner_reads_no_question_quiz_or_option(self):
		learner, _assignment = self.learner_on(self.course_name)
		session = login(learner)
		option = frappe.get_all("LMS Question Option", limit=1, pluck="name")[0]
		for path in (
			"/api/resource/LMS Question",
			"/api/resource/LMS Quiz",
			f"/api/resource/LMS Quiz/{self.quiz}",
			f"/api/resource/LMS Question Option/{option}",
			"/api/resource/LMS Quiz Attempt",
		):
			with self.subTest(path=path):
				response = session.get(base_url() + path, timeout=30)
				self.assertIn(response.status_code, (403, 404), response.text[:300])
				self.assertNotIn("is_correct", response.text)


class TestAttemptsBelongToTheAssignment(QuizCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.hr = cls.user("HR Manager")
		cls.course_name = cls.course(lessons=1, validity_days=365, renewal_window_days=30)
		cls.quiz = make_quiz(cls.course_name, questions=3, max_attempts=2, show_answers="After Passing")
		frappe.db.commit()

	def fail(self, learner: str) -> dict:
		attempt = self.ok(self.call(learner, "quiz.start_quiz", quiz=self.quiz))["attempt"]
		return self.ok(
			self.call(learner, "quiz.submit_quiz", attempt=attempt, answers=wrong_answers(attempt))
		)

	def test_used_attempts_refuse_a_start_until_hr_grants_more(self):
		learner, assignment = self.learner_on(self.course_name)
		first = self.fail(learner)
		self.assertEqual(first["attempts_left"], 1)
		self.assertNotIn("results", first)  # After Passing: no answers for a failed attempt
		second = self.fail(learner)
		self.assertEqual(second["attempts_left"], 0)
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, assignment, "attempts_exhausted"), 1)
		self.refused(self.call(learner, "quiz.start_quiz", quiz=self.quiz), 417, "Ask HR")

		rows = self.ok(
			login(self.hr).get(
				base_url() + METHOD + "hrms_integration.get_team_training_status",
				params={"course": self.course_name},
				timeout=30,
			)
		)
		mine = [row for row in rows["rows"] if row["assignment"] == assignment]
		self.assertTrue(mine and mine[0]["attempts_exhausted"], rows)

		self.refused(
			self.call(
				learner,
				"quiz.grant_attempts",
				assignment=assignment,
				quiz=self.quiz,
				extra_attempts=1,
				reason="x",
			),
			403,
		)
		self.refused(
			self.call(
				self.hr,
				"quiz.grant_attempts",
				assignment=assignment,
				quiz=self.quiz,
				extra_attempts=1,
				reason=" ",
			),
			417,
		)
		granted = self.ok(
			self.call(
				self.hr,
				"quiz.grant_attempts",
				assignment=assignment,
				quiz=self.quiz,
				extra_attempts=1,
				reason="Retrained in person on 3 December",
			)
		)
		self.assertEqual((granted["attempts_left"], granted["attempts_exhausted"]), (1, False))
		doc = frappe.get_doc(ASSIGNMENT, assignment)
		self.assertEqual(
			[(g.quiz, g.extra_attempts, g.reason, g.granted_by) for g in doc.attempt_grants],
			[(self.quiz, 1, "Retrained in person on 3 December", self.hr)],
		)
		attempt = self.ok(self.call(learner, "quiz.start_quiz", quiz=self.quiz))
		self.assertEqual((attempt["attempts_used"], attempt["max_attempts"]), (3, 3))
		result = self.ok(
			self.call(
				learner,
				"quiz.submit_quiz",
				attempt=attempt["attempt"],
				answers=right_answers(attempt["attempt"]),
			)
		)
		self.assertTrue(result["passed"])
		self.assertIn("results", result)
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, assignment, "status"), "Completed")

	def test_a_renewal_asks_for_a_new_pass_with_fresh_attempts(self):
		learner, assignment = self.learner_on(self.course_name)
		self.fail(learner)
		attempt = self.ok(self.call(learner, "quiz.start_quiz", quiz=self.quiz))["attempt"]
		self.assertTrue(
			self.ok(self.call(learner, "quiz.submit_quiz", attempt=attempt, answers=right_answers(attempt)))[
				"passed"
			]
		)
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, assignment, "status"), "Completed")
		backdate_completion(assignment, days_ago=350, validity=365)
		open_renewals([self.course_name])
		frappe.db.commit()
		renewal = frappe.db.get_value(
			ASSIGNMENT, {"renewal_of": assignment}, ["name", "status"], as_dict=True
		)
		self.assertTrue(renewal, "no renewal opened")
		self.assertNotEqual(renewal.status, "Completed")  # the earlier pass does not finish it
		fresh = self.ok(self.call(learner, "quiz.start_quiz", quiz=self.quiz))
		self.assertEqual((fresh["attempts_used"], fresh["max_attempts"]), (1, 2))
		self.assertEqual(frappe.db.get_value(QUIZ_ATTEMPT, fresh["attempt"], "assignment"), renewal.name)
		result = self.ok(
			self.call(
				learner, "quiz.submit_quiz", attempt=fresh["attempt"], answers=right_answers(fresh["attempt"])
			)
		)
		self.assertTrue(result["passed"])
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, renewal.name, "status"), "Completed")

	def test_a_late_submission_is_refused_and_the_attempt_stays_used(self):
		course = self.course(lessons=1)
		quiz = make_quiz(course, questions=2, time_limit_minutes=5, max_attempts=3)
		frappe.db.commit()
		learner, _assignment = self.learner_on(course)
		started = self.ok(self.call(learner, "quiz.start_quiz", quiz=quiz))
		self.assertEqual(started["time_limit_minutes"], 5)
		frappe.db.set_value(
			QUIZ_ATTEMPT, started["attempt"], "deadline", add_to_date(now_datetime(), minutes=-2)
		)
		frappe.db.commit()
		self.refused(
			self.call(
				learner,
				"quiz.submit_quiz",
				attempt=started["attempt"],
				answers=right_answers(started["attempt"]),
			),
			417,
			"Time Is Up",
		)
		self.assertFalse(frappe.db.exists(QUIZ_SUBMISSION, {"quiz_attempt": started["attempt"]}))
		again = self.ok(self.call(learner, "quiz.start_quiz", quiz=quiz))
		self.assertNotEqual(again["attempt"], started["attempt"])
		self.assertEqual(again["attempts_used"], 2)
		self.assertEqual(frappe.db.get_value(QUIZ_ATTEMPT, started["attempt"], "status"), "Expired")


class TestAcknowledgements(QuizCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.course_name = cls.course(lessons=2)
		cls.statement = "I have read the Code of Conduct and will follow it."
		cls.lesson = set_lesson(cls.course_name, 2, acknowledgement=cls.statement)
		frappe.db.commit()

	def test_typing_ones_full_name_signs_and_finishes_the_lesson(self):
		learner = self.user("LMS Student")
		frappe.db.set_value(
			"User", learner, {"first_name": "Ada", "last_name": "Lovelace", "full_name": "Ada Lovelace"}
		)
		assignment = assign(learner, self.course_name)
		frappe.db.commit()
		self.refused(
			self.call(
				learner, "quiz.acknowledge", course=self.course_name, lesson=self.lesson, typed_name="Ada"
			),
			417,
			"Ada Lovelace",
		)
		self.refused(
			self.call(
				learner, "learning.progress.mark_lesson_complete", course=self.course_name, lesson=self.lesson
			),
			417,
		)
		session = login(learner)
		session.headers["User-Agent"] = "Proof-Browser/1.0"
		signed = self.ok(
			self.call(
				session,
				"quiz.acknowledge",
				course=self.course_name,
				lesson=self.lesson,
				typed_name="  ada   LOVELACE ",
			)
		)
		doc = frappe.get_doc(ACKNOWLEDGEMENT, signed["acknowledgement"])
		content = frappe.db.get_value("LMS Course Lesson", self.lesson, "content")
		import hashlib

		self.assertEqual(
			doc.content_hash, hashlib.sha256(f"{content}\n{self.statement}".encode()).hexdigest()
		)
		self.assertEqual((doc.member, doc.assignment, doc.statement), (learner, assignment, self.statement))
		self.assertEqual(doc.user_agent, "Proof-Browser/1.0")
		self.assertTrue(doc.ip_address and doc.acknowledged_at)
		self.assertTrue(frappe.db.exists(COURSE_PROGRESS, {"member": learner, "lesson": self.lesson}))
		again = self.ok(
			self.call(
				session,
				"quiz.acknowledge",
				course=self.course_name,
				lesson=self.lesson,
				typed_name="Ada Lovelace",
			)
		)
		self.assertEqual(again["acknowledgement"], doc.name)
		# Nobody edits or deletes it, Administrator included.
		doc.typed_name = "Someone Else"
		self.assertRaises(frappe.PermissionError, doc.save, ignore_permissions=True)
		self.assertRaises(
			frappe.PermissionError, frappe.delete_doc, ACKNOWLEDGEMENT, doc.name, ignore_permissions=True
		)
		frappe.db.rollback()
		# Over REST the learner reads their own, and nobody else's.
		other = self.user("LMS Student")
		frappe.db.commit()
		own = login(learner).get(base_url() + f"/api/resource/{ACKNOWLEDGEMENT}/{doc.name}", timeout=30)
		self.assertEqual(own.status_code, 200)
		theirs = login(other).get(base_url() + f"/api/resource/{ACKNOWLEDGEMENT}/{doc.name}", timeout=30)
		self.assertEqual(theirs.status_code, 403)
		put = login(learner).put(
			base_url() + f"/api/resource/{ACKNOWLEDGEMENT}/{doc.name}", json={"typed_name": "x"}, timeout=30
		)
		self.assertEqual(put.status_code, 403)

	def test_a_lesson_without_a_statement_cannot_be_acknowledged(self):
		learner, _assignment = self.learner_on(self.course_name)
		first = course_lessons(self.course_name)[0].name
		self.refused(
			self.call(learner, "quiz.acknowledge", course=self.course_name, lesson=first, typed_name="x"), 417
		)

	def test_a_renewal_asks_for_a_new_acknowledgement(self):
		course = self.course(lessons=1, validity_days=365, renewal_window_days=30)
		lesson = set_lesson(course, 1, acknowledgement="I will report hazards.")
		learner = self.user("LMS Student")
		assignment = assign(learner, course)
		frappe.db.commit()
		name = frappe.db.get_value("User", learner, "full_name")
		first = self.ok(self.call(learner, "quiz.acknowledge", course=course, lesson=lesson, typed_name=name))
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, assignment, "status"), "Completed")
		backdate_completion(assignment, days_ago=350, validity=365)
		open_renewals([course])
		frappe.db.commit()
		renewal = frappe.db.get_value(
			ASSIGNMENT, {"renewal_of": assignment}, ["name", "status"], as_dict=True
		)
		self.assertNotEqual(renewal.status, "Completed")
		self.assertFalse(frappe.db.exists(COURSE_PROGRESS, {"member": learner, "lesson": lesson}))
		second = self.ok(
			self.call(learner, "quiz.acknowledge", course=course, lesson=lesson, typed_name=name)
		)
		self.assertNotEqual(second["acknowledgement"], first["acknowledgement"])
		self.assertEqual(
			frappe.db.get_value(ACKNOWLEDGEMENT, second["acknowledgement"], "assignment"), renewal.name
		)
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, renewal.name, "status"), "Completed")
