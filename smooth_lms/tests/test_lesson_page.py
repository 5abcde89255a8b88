"""A lesson's own page, /lms/courses/<course>/lessons/<lesson>, over real HTTP as each person reads it:
who sees the lesson and what finishes it, the 404s, the learner's state and attempts as the server
knows them, stored text printed as text, and a page that never tells which option is correct.

The browser's side (taking the quiz, signing, phones): test_lesson_page_browser.py."""

import json

import frappe
from bs4 import BeautifulSoup
from frappe.utils import formatdate, today

from smooth_lms.lms.doctypes import ASSIGNMENT
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.routes import course_url, lesson_url
from smooth_lms.tests.factories import (
	assign,
	complete_lessons,
	make_question,
	make_quiz,
	right_answers,
	set_lesson,
	store_raw,
	wrong_answers,
)
from smooth_lms.tests.hostile import HOSTILE, Markup, TextNotMarkup, make_hostile_course, name_user
from smooth_lms.tests.http import RestCase, base_url, login

METHOD = "/api/method/smooth_lms.lms."
STATEMENT = "I have read the Code of Conduct and I will follow it."


def assertHidesTheAnswers(case, html: str) -> None:
	"""Nothing in a page carries a question, an option or an explanation (make_question's say "Option A",
	"Why option A is right."), and nothing outside its code (the page's script and style name the classes
	and keys a scored result fills in) says which option is correct."""
	for data in ("Option A", "Option B", "Why option", "is right", "is wrong", "of the conduct quiz"):
		case.assertNotIn(data, html)
	soup = BeautifulSoup(html, "html.parser")
	for code in soup.select("script, style"):
		code.decompose()
	for marker in ("is_correct", "is-correct", "correct", "explanation"):
		case.assertNotIn(marker, str(soup).lower())


class LessonPageCase(RestCase):
	def page(self, user: str | None, path: str, status: int = 200) -> BeautifulSoup:
		response = login(user).get(base_url() + path, timeout=60)
		self.assertEqual(response.status_code, status, f"{path} as {user}: {response.text[:300]}")
		self.html = response.text
		return BeautifulSoup(response.text, "html.parser")

	def call(self, user: str, method: str, **body) -> dict:
		response = login(user).post(base_url() + METHOD + method, json=body, timeout=60)
		self.assertEqual(response.status_code, 200, response.text[:500])
		frappe.db.commit()  # a fresh snapshot: the server wrote on its own connection
		return response.json()["message"]

	def take(self, user: str, quiz: str, right: bool) -> dict:
		attempt = self.call(user, "quiz.start_quiz", quiz=quiz)["attempt"]
		answers = right_answers(attempt) if right else wrong_answers(attempt)
		return self.call(user, "quiz.submit_quiz", attempt=attempt, answers=answers)

	def sign(self, user: str, course: str, lesson: str) -> dict:
		name = frappe.db.get_value("User", user, "full_name")
		return self.call(user, "quiz.acknowledge", course=course, lesson=lesson, typed_name=name)

	@staticmethod
	def text(node) -> str:
		return " ".join(node.get_text(" ").split()) if node else ""


class TestWhoSeesALesson(LessonPageCase):
	"""Four lessons: plain, quiz, acknowledgement, plain."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.course_name = cls.course(title="Code of Conduct", lessons=4)
		cls.questions = [make_question(text=f"<p>Question {n} of the conduct quiz?</p>") for n in (1, 2, 3)]
		cls.quiz = make_quiz(
			cls.course_name,
			cls.questions,
			lesson=2,
			title="Conduct Check",
			max_attempts=2,
			time_limit_minutes=10,
		)
		set_lesson(cls.course_name, 3, acknowledgement=STATEMENT)
		cls.lessons = [row.name for row in course_lessons(cls.course_name)]
		cls.learner = cls.user("LMS Student")
		assign(cls.learner, cls.course_name)
		cls.stranger = cls.user("LMS Student")  # signed in, not enrolled
		cls.draft = cls.course(published=0, lessons=2)
		frappe.db.commit()

	def url(self, number: int) -> str:
		return lesson_url(self.course_name, self.lessons[number - 1])

	def test_a_plain_lesson_shows_its_content_mark_as_complete_and_its_neighbours(self):
		soup = self.page(self.learner, self.url(1))
		self.assertEqual(self.text(soup.select_one(".lms-lesson-title")), "Lesson 1")
		self.assertEqual(self.text(soup.select_one(".lms-lesson-number")), "Lesson 1 of 4")
		self.assertEqual(self.text(soup.select_one(".lms-lesson-content")), "Part 1")
		self.assertEqual(self.text(soup.select_one(".lms-mark-complete")), "Mark as Complete")
		self.assertEqual(self.text(soup.select_one(".lms-lesson-state")), "To do")
		self.assertIsNone(soup.select_one(".lms-lesson-prev"))
		self.assertEqual(soup.select_one(".lms-lesson-next")["href"], self.url(2))
		self.assertEqual(soup.select_one(".lms-back-to-course")["href"], course_url(self.course_name))
		self.assertIsNone(soup.select_one("#lms-quiz"))
		self.assertIsNone(soup.select_one(".lms-ack-form"))

		last = self.page(self.learner, self.url(4))
		self.assertEqual(last.select_one(".lms-lesson-prev")["href"], self.url(3))
		self.assertIsNone(last.select_one(".lms-lesson-next"))

	def test_a_quiz_lesson_shows_the_quiz_rules_and_no_question(self):
		soup = self.page(self.learner, self.url(2))
		quiz = soup.select_one("#lms-quiz")
		self.assertEqual(quiz["data-quiz"], self.quiz)
		self.assertEqual(self.text(quiz.select_one(".lms-quiz-title")), "Conduct Check")
		self.assertEqual(self.text(quiz.select_one(".lms-quiz-pass-mark")), "80%")
		self.assertEqual(self.text(quiz.select_one(".lms-quiz-question-count")), "3 per attempt")
		self.assertEqual(self.text(quiz.select_one(".lms-quiz-attempts")), "0 of 2 used · 2 left")
		self.assertEqual(self.text(quiz.select_one(".lms-quiz-time-limit")), "10 minutes")
		self.assertEqual(self.text(quiz.select_one(".lms-quiz-start")), "Start quiz")
		self.assertIsNone(soup.select_one(".lms-mark-complete"))
		self.assertEqual(soup.select(".lms-quiz-question"), [])
		self.assertPageHidesTheAnswers()

	def test_an_acknowledgement_lesson_shows_the_statement_and_a_name_to_type(self):
		soup = self.page(self.learner, self.url(3))
		self.assertEqual(self.text(soup.select_one(".lms-ack-statement")), STATEMENT)
		self.assertIsNotNone(soup.select_one(".lms-ack-form input.lms-ack-name[required]"))
		self.assertIsNone(soup.select_one(".lms-mark-complete"))
		self.assertIsNone(soup.select_one(".lms-ack-done"))

	def test_someone_not_enrolled_sees_the_title_and_the_way_to_the_course(self):
		soup = self.page(self.stranger, self.url(2))
		self.assertEqual(self.text(soup.select_one(".lms-lesson-title")), "Lesson 2")
		self.assertIn("enrol on the course page", self.text(soup.select_one(".lms-enrol-prompt")))
		for absent in ("Part 2", "Conduct Check", STATEMENT):
			self.assertNotIn(absent, self.html)
		self.assertIsNone(soup.select_one("#lms-quiz"))

	def test_a_guest_is_asked_to_log_in(self):
		soup = self.page(None, self.url(3))
		self.assertIn("Log in to read this lesson", self.text(soup.select_one(".lms-login-prompt")))
		login_link = soup.select_one(".lms-lesson-locked a")["href"]
		self.assertTrue(login_link.startswith("/login?redirect-to="), login_link)
		self.assertIn(self.lessons[2], login_link)
		for absent in ("Part 3", STATEMENT, "Conduct Check"):
			self.assertNotIn(absent, self.html)

	def test_a_draft_course_or_a_lesson_not_in_the_course_is_not_found(self):
		draft_lesson = course_lessons(self.draft)[0].name
		for user in (self.learner, None):
			with self.subTest(user=user):
				self.page(user, lesson_url(self.draft, draft_lesson), status=404)
				self.page(user, lesson_url(self.course_name, "no-such-lesson"), status=404)
				# a lesson of another course, under this course's address
				self.page(user, lesson_url(self.course_name, draft_lesson), status=404)
				self.page(user, lesson_url("no-such-course", self.lessons[0]), status=404)

	def assertPageHidesTheAnswers(self):
		assertHidesTheAnswers(self, self.html)


class TestTheLearnersState(LessonPageCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.course_name = cls.course(lessons=4)
		cls.quiz = make_quiz(cls.course_name, questions=2, lesson=2, max_attempts=2)
		set_lesson(cls.course_name, 3, acknowledgement=STATEMENT)
		cls.lessons = [row.name for row in course_lessons(cls.course_name)]
		frappe.db.commit()

	def learner(self) -> tuple[str, str]:
		user = self.user("LMS Student")
		assignment = assign(user, self.course_name)
		frappe.db.commit()
		return user, assignment

	def states(self, user: str) -> list[str]:
		"""The course page's list: each lesson's state in order (its link goes to the lesson's page)."""
		soup = self.page(user, course_url(self.course_name))
		states = {}
		for item in soup.select(".lms-lesson-list .lms-lesson-item"):
			link = item.select_one(".lms-lesson-state")
			self.assertEqual(link["href"], lesson_url(self.course_name, item["data-lesson"]))
			states[item["data-lesson"]] = self.text(link)
		return [states[name] for name in self.lessons]

	def test_the_course_page_links_each_lesson_with_its_state(self):
		user, _assignment = self.learner()
		self.assertEqual(self.states(user), ["To do", "To do", "To do", "To do"])
		soup = self.page(user, course_url(self.course_name))
		# Mark as Complete stays on the course page for plain lessons only.
		self.assertEqual(
			[
				panel["data-lesson"]
				for panel in soup.select(".lms-lesson")
				if panel.select_one(".lms-mark-complete")
			],
			[self.lessons[0], self.lessons[3]],
		)
		take = soup.select_one(f'.lms-lesson[data-lesson="{self.lessons[1]}"] .lms-finish-link')
		self.assertEqual(
			(self.text(take), take["href"]), ("Take the quiz", lesson_url(self.course_name, self.lessons[1]))
		)
		sign = soup.select_one(f'.lms-lesson[data-lesson="{self.lessons[2]}"] .lms-finish-link')
		self.assertEqual(self.text(sign), "Acknowledge")

		complete_lessons(user, self.course_name, 1)
		frappe.db.commit()  # the server locks the same enrollment next
		self.take(user, self.quiz, right=False)
		self.assertEqual(self.states(user), ["Done", "Quiz failed", "To do", "To do"])
		self.take(user, self.quiz, right=True)
		self.sign(user, self.course_name, self.lessons[2])
		self.assertEqual(self.states(user), ["Done", "Quiz passed", "Acknowledged", "To do"])
		soup = self.page(user, course_url(self.course_name))
		self.assertEqual(
			self.text(soup.select_one(f'.lms-lesson[data-lesson="{self.lessons[1]}"] .lms-finish-link')),
			"Quiz passed ✓",
		)

	def test_a_passed_quiz_says_when_and_with_what_score(self):
		user, _assignment = self.learner()
		self.take(user, self.quiz, right=False)
		soup = self.page(user, lesson_url(self.course_name, self.lessons[1]))
		self.assertEqual(self.text(soup.select_one(".lms-lesson-state")), "Quiz failed")
		self.assertEqual(
			self.text(soup.select_one(".lms-quiz-last")), "Your last attempt: 0%, below the pass mark."
		)
		self.assertEqual(self.text(soup.select_one(".lms-quiz-attempts")), "1 of 2 used · 1 left")
		self.assertFalse(soup.select_one(".lms-quiz-actions").has_attr("hidden"))

		passed = self.take(user, self.quiz, right=True)
		soup = self.page(user, lesson_url(self.course_name, self.lessons[1]))
		status = soup.select_one(".lms-quiz-passed")
		self.assertEqual(self.text(status), f"Passed on {formatdate(today())} with 100%")
		self.assertEqual(status["data-submission"], passed["submission"])
		self.assertEqual(self.text(soup.select_one(".lms-lesson-state")), "Quiz passed")
		self.assertTrue(soup.select_one(".lms-quiz-actions").has_attr("hidden"))
		# A scored submission is behind it, yet the page still carries no answer.
		assertHidesTheAnswers(self, self.html)

	def test_no_attempts_left_shows_the_ask_hr_message_and_no_start(self):
		user, assignment = self.learner()
		self.take(user, self.quiz, right=False)
		self.take(user, self.quiz, right=False)
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, assignment, "attempts_exhausted"), 1)
		soup = self.page(user, lesson_url(self.course_name, self.lessons[1]))
		message = self.text(soup.select_one(".lms-quiz-exhausted"))
		self.assertIn("You have used all 2 attempts at quiz", message)
		self.assertIn("Ask HR for more attempts.", message)
		self.assertTrue(soup.select_one(".lms-quiz-actions").has_attr("hidden"))
		self.assertEqual(self.text(soup.select_one(".lms-quiz-attempts")), "2 of 2 used · 0 left")

	def test_an_open_attempt_is_resumed(self):
		user, _assignment = self.learner()
		self.call(user, "quiz.start_quiz", quiz=self.quiz)
		soup = self.page(user, lesson_url(self.course_name, self.lessons[1]))
		self.assertEqual(self.text(soup.select_one(".lms-quiz-start")), "Resume attempt")
		self.assertEqual(self.text(soup.select_one(".lms-quiz-attempts")), "1 of 2 used · 1 left")
		assertHidesTheAnswers(self, self.html)

	def test_a_signed_statement_shows_when_and_as_whom(self):
		user, _assignment = self.learner()
		self.sign(user, self.course_name, self.lessons[2])
		soup = self.page(user, lesson_url(self.course_name, self.lessons[2]))
		name = frappe.db.get_value("User", user, "full_name")
		self.assertEqual(
			self.text(soup.select_one(".lms-ack-done")), f"Acknowledged on {formatdate(today())} as {name}"
		)
		self.assertIsNone(soup.select_one(".lms-ack-form"))
		self.assertEqual(self.text(soup.select_one(".lms-lesson-state")), "Acknowledged")


class TestHostileTextIsShownInert(LessonPageCase, TextNotMarkup):
	"""Every payload in the course's and lessons' titles, the lesson's content, the statement, the quiz's
	title, its questions, options and explanations, and the learner's own name (typed to sign)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.cases = {}
		for key, payload in HOSTILE.items():
			course = make_hostile_course(payload, raw=True)
			cls.courses.append(course)
			question = make_question(text=f"<p>Q</p>{payload}")
			store_raw("LMS Question", question, {"question": f"<p>Q</p>{payload}"})
			for row in frappe.get_all("LMS Question Option", {"parent": question}, pluck="name"):
				store_raw(
					"LMS Question Option", row, {"option": f"O {payload}", "explanation": f"E {payload}"}
				)
			quiz = make_quiz(course, [question], lesson=1, title=f"T {payload}")
			store_raw("LMS Quiz", quiz, {"title": f"T {payload}"})
			lesson = set_lesson(course, 2, acknowledgement=f"S {payload}")
			store_raw("LMS Course Lesson", lesson, {"acknowledgement": f"S {payload}"})
			cls.store_course_raw(course, payload)  # saving the course (set_lesson) cleaned its texts
			learner = cls.user("LMS Student")
			name_user(learner, payload)
			assign(learner, course)
			cls.cases[key] = frappe._dict(
				course=course, quiz=quiz, lesson=lesson, learner=learner, payload=payload
			)
		frappe.db.commit()

	@staticmethod
	def store_course_raw(course: str, payload: str) -> None:
		"""The course's texts as make_hostile_course(raw=True) stores them, typed, never cleaned."""
		doc = frappe.get_doc("LMS Course", course)
		prefix = doc.title.split(" ", 1)[0]
		store_raw(
			"LMS Course",
			course,
			{"title": f"{prefix} {payload}", "short_introduction": payload, "description": payload},
		)
		for number, row in enumerate(doc.lessons, start=1):
			store_raw(
				"LMS Course Lesson",
				row.name,
				{"title": f"{number}. {payload}", "content": f"<p>{number}</p>{payload}"},
			)

	def test_the_lesson_pages_and_the_course_page_print_every_text_as_text(self):
		for key, case in self.cases.items():
			with self.subTest(payload=key):
				first = course_lessons(case.course)[0].name
				self.page(case.learner, lesson_url(case.course, first))
				self.assertPrintedAsText(self.html, f"T {case.payload}", f"2. {case.payload}", where=key)
				self.assertNotIn(f"O {case.payload}", self.html)  # options never reach the page
				self.assertNotIn(f"E {case.payload}", self.html)

				self.call(
					case.learner,
					"quiz.acknowledge",
					course=case.course,
					lesson=case.lesson,
					typed_name=case.payload,
				)
				# The name as the record keeps it (Frappe's save escapes a complete tag in a Data field).
				typed = frappe.db.get_value("LMS Acknowledgement", {"member": case.learner}, "typed_name")
				self.page(case.learner, lesson_url(case.course, case.lesson))
				self.assertPrintedAsText(self.html, f"S {case.payload}", f"as {typed}", where=key)
				self.assertIn("<p>2</p>", self.html)  # the lesson's content, cleaned, still formatted

				self.page(case.learner, course_url(case.course))
				self.assertPrintedAsText(self.html, "Acknowledged", where=key)

	def test_what_start_and_submit_send_is_cleaned_or_plain_text(self):
		"""The question comes as cleaned HTML (the page puts it in as HTML); options and explanations as
		plain text (the page puts them in with textContent)."""
		for key, case in self.cases.items():
			with self.subTest(payload=key):
				started = self.call(case.learner, "quiz.start_quiz", quiz=case.quiz)
				(question,) = started["questions"]
				self.assertEqual(Markup(question["text"]).injected, [])
				self.assertNotIn("onerror", question["text"])
				self.assertEqual({o["text"] for o in question["options"]}, {f"O {case.payload}"})
				result = self.call(
					case.learner, "quiz.submit_quiz", attempt=started["attempt"], answers=json.dumps({})
				)
				explanations = {o["explanation"] for row in result["results"] for o in row["options"]}
				self.assertEqual(explanations, {f"E {case.payload}"})
