"""A lesson's own page in headless Chromium, as the learner uses it: take a quiz (start, answer, submit,
read the result with its answers, fail and try again, run out of attempts), sign a statement by typing
one's name, Mark as Complete, previous / next, and the same on a phone. Takes the README's screenshots
docs/screenshots/quiz-page.png (an attempt in progress) and quiz-result.png (a result with answers).

What the learner answers is read from the attempt's snapshot on the server (factories.right_answers):
the page itself never says which option is correct before the result."""

import re

import frappe
import pytest
from frappe.utils import formatdate, today
from playwright.sync_api import expect

from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.routes import course_url, lesson_url
from smooth_lms.tests.browser import PortalCase
from smooth_lms.tests.factories import assign, right_answers, set_lesson, store_raw, wrong_answers
from smooth_lms.tests.hostile import FIND_INJECTED, HOSTILE, XSS_MARK

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PHONE_TITLE_MIN = 150  # px: a readable title on a phone (one cut to a letter is about 30)
SCROLL = "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"

LESSONS = [
	(
		"What Counts as Harassment",
		"<p>Harassment is unwanted conduct that violates someone's dignity or creates an intimidating, "
		"hostile, degrading or offensive environment. What matters is the <strong>effect</strong> on the "
		"person, not the intention behind it.</p>",
	),
	(
		"Check Your Understanding",
		"<p>Five questions drawn from what you have read. You need <strong>80 %</strong> to pass; "
		"you have two attempts.</p>",
	),
	(
		"Our Commitment",
		"<p>Everyone at the company is entitled to work free from harassment, and everyone shares the "
		"duty to prevent it.</p>",
	),
	("Where to Get Help", "<p>Talk to your manager, HR, or the confidential helpline.</p>"),
]
STATEMENT = (
	"I have read and understood the Harassment Prevention policy.\n"
	"I will treat colleagues with respect and report harassment I see."
)
QUESTIONS = [
	(
		"<p>Which of these can be harassment?</p>",
		"Multiple Choice",
		[
			(
				"Repeated jokes about a colleague's religion",
				1,
				"Unwanted conduct related to a protected trait.",
			),
			("Unwanted comments about someone's appearance", 1, "The effect on the person is what counts."),
			(
				"Feedback on missed deadlines given in private",
				0,
				"Fair performance feedback is not harassment.",
			),
		],
	),
	(
		"<p>What decides whether conduct is harassment?</p>",
		"Single Choice",
		[
			("The intention of the person who did it", 0, "Intent is not a defence."),
			("Its effect on the person who received it", 1, "The policy looks at the effect."),
			("Whether it happened outside office hours", 0, "Work events and chats count too."),
		],
	),
	(
		"<p>You witness a colleague being harassed. What should you do?</p>",
		"Single Choice",
		[
			("Nothing, unless they ask for help", 0, "Bystanders share the duty to act."),
			("Report it to your manager or HR", 1, "Reporting protects everyone."),
			("Post about it on social media", 0, "That exposes the person harassed."),
		],
	),
	(
		"<p>Who can you report harassment to?</p>",
		"Multiple Choice",
		[
			("Your manager", 1, "Managers must pass reports on to HR."),
			("HR", 1, "HR investigates every report."),
			("The confidential helpline", 1, "Anonymous if you wish."),
			("Nobody: keep it to yourself", 0, "Silence lets harassment go on."),
		],
	),
	(
		"<p>Can a single incident be harassment?</p>",
		"Single Choice",
		[
			("Yes, if it is serious enough", 1, "One serious incident is enough."),
			("No, it must be repeated", 0, "Repetition is not required."),
		],
	),
]


def make_question(text: str, kind: str, options: list[tuple[str, int, str]]) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "LMS Question",
				"question": text,
				"type": kind,
				"options": [
					{"option": option, "is_correct": correct, "explanation": why}
					for option, correct, why in options
				],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_quiz(course: str, questions: list[str], lesson: int, **fields) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "LMS Quiz",
			"course": course,
			"questions": [{"question": name, "marks": 1} for name in questions],
			**fields,
		}
	).insert(ignore_permissions=True)
	set_lesson(course, lesson, quiz=doc.name)
	return doc.name


class QuizPageCase(PortalCase):
	def open_attempt(self, user: str) -> str:
		frappe.db.rollback()  # a fresh snapshot: the web server wrote the attempt
		(attempt,) = frappe.get_all("LMS Quiz Attempt", {"member": user, "status": "Open"}, pluck="name")
		return attempt

	def answer(self, page, answers: dict[str, list[str]]) -> None:
		for question, options in answers.items():
			for option in options:
				page.locator(
					f'.lms-quiz-question[data-question="{question}"] input[value="{option}"]'
				).check()

	def assertNoSidewaysScroll(self, page, where: str):
		scroll_width, client_width = page.evaluate(SCROLL)
		self.assertLessEqual(scroll_width, client_width, where)


class TestTakingAQuiz(QuizPageCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.course_name = cls.course_with_lessons("Harassment Prevention", LESSONS, is_mandatory=1)
		cls.questions = [make_question(*question) for question in QUESTIONS]
		cls.quiz = make_quiz(
			cls.course_name,
			cls.questions,
			lesson=2,
			title="Harassment Prevention Quiz",
			passing_percentage=80,
			max_attempts=2,
			time_limit_minutes=10,
			show_answers="After Each Attempt",
		)
		set_lesson(cls.course_name, 3, acknowledgement=STATEMENT)
		cls.lessons = [row.name for row in course_lessons(cls.course_name)]
		frappe.db.commit()

	def learner(self, full_name: str) -> str:
		user = self.named_user(full_name)
		assign(user, self.course_name)
		frappe.db.commit()
		return user

	def url(self, number: int) -> str:
		return lesson_url(self.course_name, self.lessons[number - 1])

	def start(self, page):
		page.locator(".lms-quiz-start").click()
		expect(page.locator(".lms-quiz-question")).to_have_count(len(QUESTIONS))

	def test_a_quiz_taken_failed_retried_and_out_of_attempts(self):
		learner = self.learner("Lena Vogel")
		page = self.page_as(learner)
		page.goto(self.url(2))
		quiz = page.locator("#lms-quiz")
		expect(quiz.locator(".lms-quiz-title")).to_have_text("Harassment Prevention Quiz")
		expect(quiz.locator(".lms-quiz-attempts")).to_have_text("0 of 2 used · 2 left")
		expect(quiz.locator(".lms-quiz-time-limit")).to_have_text("10 minutes")
		page.evaluate("window.lms_not_reloaded = true")

		self.start(page)
		expect(quiz.locator(".lms-quiz-attempt-number")).to_have_text("Attempt 1 of 2")
		expect(quiz.locator(".lms-quiz-attempts")).to_have_text("1 of 2 used · 1 left")
		expect(quiz.locator(".lms-quiz-timer")).to_have_text(re.compile(r"^Time left: (10:00|9:[0-5]\d)$"))
		first = quiz.locator(".lms-quiz-question").nth(0)
		expect(first.locator(".lms-quiz-question-text")).to_have_text("Which of these can be harassment?")
		expect(first.locator("input[type=checkbox]")).to_have_count(3)
		expect(quiz.locator(".lms-quiz-question").nth(1).locator("input[type=radio]")).to_have_count(3)
		expect(page.locator(".is-correct, .lms-quiz-explanation")).to_have_count(0)  # nothing said yet

		attempt = self.open_attempt(learner)
		self.answer(page, wrong_answers(attempt))
		expect(quiz.locator(".lms-quiz-answered")).to_have_text("5 of 5 answered")
		quiz.locator(".lms-quiz-submit").click()

		result = quiz.locator(".lms-quiz-result")
		expect(result.locator(".lms-quiz-verdict")).to_have_text("Not passed")
		expect(result.locator(".lms-quiz-result-score")).to_have_text("0 / 5")
		expect(result.locator(".lms-quiz-result-percentage")).to_have_text("0%")
		expect(result.locator(".lms-quiz-result-left")).to_have_text("1")
		expect(result.locator(".lms-quiz-answer.is-wrong")).to_have_count(5)
		# Each question with its correct options marked, the learner's choice and every explanation.
		first_answer = result.locator(".lms-quiz-answer").nth(0)
		expect(first_answer.locator(".lms-quiz-question-text")).to_have_text(
			"Which of these can be harassment?"
		)
		expect(first_answer.locator(".lms-quiz-answer-option.is-correct .lms-quiz-option-text")).to_have_text(
			["Repeated jokes about a colleague's religion", "Unwanted comments about someone's appearance"]
		)
		expect(first_answer.locator(".lms-quiz-answer-option.is-chosen")).to_have_count(1)
		expect(first_answer.locator(".lms-quiz-explanation")).to_have_count(3)
		expect(page.locator("#lms-lesson-state-slot .lms-lesson-state")).to_have_text("Quiz failed")

		retry = result.locator(".lms-quiz-retry")
		expect(retry).to_be_visible()
		retry.click()
		expect(quiz.locator(".lms-quiz-attempt-number")).to_have_text("Attempt 2 of 2")
		expect(result).to_be_hidden()
		self.answer(page, wrong_answers(self.open_attempt(learner)))
		quiz.locator(".lms-quiz-submit").click()
		expect(result.locator(".lms-quiz-verdict")).to_have_text("Not passed")
		expect(result.locator(".lms-quiz-result-left")).to_have_text("0")
		expect(retry).to_be_hidden()
		exhausted = quiz.locator(".lms-quiz-exhausted")
		expect(exhausted).to_contain_text("You have used all 2 attempts at quiz Harassment Prevention Quiz")
		expect(exhausted).to_contain_text("Ask HR for more attempts.")
		self.assertEqual(page.evaluate("window.lms_not_reloaded"), True)

		page.reload()
		expect(page.locator(".lms-quiz-exhausted")).to_contain_text("Ask HR for more attempts.")
		expect(page.locator(".lms-quiz-start")).to_be_hidden()
		self.assertNoJsErrors(page)

	def test_a_pass_with_its_answers_and_the_screenshots(self):
		learner = self.learner("Amara Okoye")
		page = self.page_as(learner)
		page.goto(self.url(2))
		self.start(page)
		attempt = self.open_attempt(learner)
		right, wrong = right_answers(attempt), wrong_answers(attempt)
		answers = {**right, self.questions[2]: wrong[self.questions[2]]}  # four of five: 80 %, a pass
		self.answer(page, {name: answers[name] for name in self.questions[:2]})
		page.locator("#lms-quiz").scroll_into_view_if_needed()
		page.evaluate("document.getElementById('lms-quiz').scrollIntoView()")
		page.wait_for_timeout(400)
		self.screenshot(page, "quiz-page")

		self.answer(page, {name: answers[name] for name in self.questions[2:]})
		page.locator(".lms-quiz-submit").click()
		result = page.locator(".lms-quiz-result")
		expect(result.locator(".lms-quiz-verdict")).to_have_text("Passed")
		expect(result.locator(".lms-quiz-result-score")).to_have_text("4 / 5")
		expect(result.locator(".lms-quiz-result-percentage")).to_have_text("80%")
		expect(result.locator(".lms-quiz-answer.is-right")).to_have_count(4)
		expect(result.locator(".lms-quiz-answer-verdict").nth(2)).to_have_text("Wrong · 0 of 1 mark")
		wrong_choice = result.locator(".lms-quiz-answer").nth(2).locator(".lms-quiz-answer-option.is-chosen")
		expect(wrong_choice).not_to_have_class(re.compile(r"\bis-correct\b"))
		expect(wrong_choice.locator(".lms-quiz-explanation")).to_have_text(
			"Bystanders share the duty to act."
		)
		expect(result.locator(".lms-quiz-retry")).to_be_hidden()
		expect(page.locator(".lms-quiz-passed")).to_have_text(f"Passed on {formatdate(today())} with 80%")
		expect(page.locator("#lms-lesson-state-slot .lms-lesson-state")).to_have_text("Quiz passed")
		page.evaluate("document.getElementById('lms-quiz-status-slot').scrollIntoView()")
		page.evaluate("window.scrollBy(0, -16)")
		page.wait_for_timeout(400)
		self.screenshot(page, "quiz-result")

		page.goto(course_url(self.course_name))
		item = page.locator(f'.lms-lesson-item[data-lesson="{self.lessons[1]}"]')
		expect(item.locator(".lms-lesson-state")).to_have_text("Quiz passed")
		self.assertNoJsErrors(page)

	def test_acknowledging_by_typing_ones_name(self):
		learner = self.learner("Jonas Berg")
		page = self.page_as(learner)
		page.goto(self.url(3))
		expect(page.locator(".lms-ack-statement")).to_have_text(STATEMENT)
		page.locator(".lms-ack-sign").click()
		expect(page.locator(".lms-ack-error")).to_have_text("Type your full name to sign.")
		page.locator(".lms-ack-name").fill("Jonas")
		page.locator(".lms-ack-sign").click()
		expect(page.locator(".lms-ack-error")).to_contain_text(
			"Type your full name exactly as your account has it"
		)
		page.locator(".lms-ack-name").fill("  jonas   BERG ")  # case and spacing aside
		page.locator(".lms-ack-sign").click()
		expect(page.locator(".lms-ack-done")).to_have_text(
			f"Acknowledged on {formatdate(today())} as jonas BERG"
		)
		expect(page.locator(".lms-ack-form")).to_have_count(0)
		expect(page.locator("#lms-lesson-state-slot .lms-lesson-state")).to_have_text("Acknowledged")
		frappe.db.rollback()
		self.assertTrue(
			frappe.db.exists("LMS Acknowledgement", {"member": learner, "lesson": self.lessons[2]})
		)
		self.assertNoJsErrors(page)

	def test_mark_as_complete_and_previous_next(self):
		learner = self.learner("Pedro Santos")
		page = self.page_as(learner)
		page.goto(course_url(self.course_name))
		states = page.locator(".lms-lesson-list .lms-lesson-state")
		expect(states).to_have_text(["To do", "To do", "To do", "To do"])
		states.nth(0).click()
		expect(page).to_have_url(re.compile(re.escape(self.url(1)) + "$"))
		expect(page.locator(".lms-lesson-title")).to_have_text("What Counts as Harassment")
		expect(page.locator(".lms-lesson-content")).to_contain_text("violates someone's dignity")
		expect(page.locator(".lms-lesson-prev")).to_have_count(0)

		button = page.locator(".lms-mark-complete")
		button.click()
		expect(button).to_be_disabled()
		expect(button).to_have_text("Completed ✓")
		expect(page.locator("#lms-lesson-state-slot .lms-lesson-state")).to_have_text("Done")

		page.locator(".lms-lesson-next").click()
		expect(page).to_have_url(re.compile(re.escape(self.url(2)) + "$"))
		expect(page.locator(".lms-mark-complete")).to_have_count(0)
		expect(page.locator(".lms-quiz-start")).to_be_visible()
		page.locator(".lms-lesson-next").click()
		expect(page).to_have_url(re.compile(re.escape(self.url(3)) + "$"))
		page.locator(".lms-lesson-prev").click()
		expect(page).to_have_url(re.compile(re.escape(self.url(2)) + "$"))
		page.locator(".lms-back-to-course").click()
		expect(page).to_have_url(re.compile(re.escape(course_url(self.course_name)) + "$"))
		expect(states).to_have_text(["Done", "To do", "To do", "To do"])
		# On the course page, the quiz and the statement are a link to their lesson's page.
		page.locator(".lms-lesson-list .lms-lesson-link").nth(1).click()
		page.locator("#lesson-2 .lms-finish-link").click()
		expect(page).to_have_url(re.compile(re.escape(self.url(2)) + "$"))
		self.assertNoJsErrors(page)

	def test_on_a_phone_nothing_scrolls_sideways_and_titles_read(self):
		learner = self.learner("Mateo Alvarez-Fernández")
		page = self.page_as(learner, **PHONE)
		for number in (1, 3, 4):
			page.goto(self.url(number))
			self.assertNoSidewaysScroll(page, f"lesson {number}")
		page.goto(self.url(2))
		title = page.locator(".lms-lesson-title").bounding_box()
		self.assertGreater(title["width"], PHONE_TITLE_MIN)
		self.start(page)
		self.assertNoSidewaysScroll(page, "an attempt")
		self.assertGreater(page.locator(".lms-quiz-title").bounding_box()["width"], PHONE_TITLE_MIN)
		self.answer(page, right_answers(self.open_attempt(learner)))
		page.locator(".lms-quiz-submit").click()
		expect(page.locator(".lms-quiz-verdict")).to_have_text("Passed")
		self.assertNoSidewaysScroll(page, "a result with its answers")
		page.goto(course_url(self.course_name))
		self.assertNoSidewaysScroll(page, "the course page")
		self.assertNoJsErrors(page)


class TestHostileQuizTextInTheBrowser(QuizPageCase):
	"""Every payload in a question, its options and explanations, the quiz's title and the statement:
	shown, nothing runs, whether before the answers or in the result."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.course_name = cls.course(lessons=2)
		cls.questions = []
		for payload in HOSTILE.values():
			name = make_question(f"<p>Q</p>{payload}", "Single Choice", [("a", 1, "b"), ("c", 0, "d")])
			store_raw("LMS Question", name, {"question": f"<p>Q</p>{payload}"})
			for row in frappe.get_all("LMS Question Option", {"parent": name}, pluck="name"):
				store_raw(
					"LMS Question Option", row, {"option": f"O {payload}", "explanation": f"E {payload}"}
				)
			cls.questions.append(name)
		cls.quiz = make_quiz(
			cls.course_name, cls.questions, lesson=1, title="Hostile", show_answers="After Each Attempt"
		)
		store_raw("LMS Quiz", cls.quiz, {"title": f"T {HOSTILE['tag']}"})
		lesson = set_lesson(cls.course_name, 2, acknowledgement="S")
		store_raw("LMS Course Lesson", lesson, {"acknowledgement": f"S {HOSTILE['tag']} {HOSTILE['script']}"})
		cls.lessons = [row.name for row in course_lessons(cls.course_name)]
		cls.learner = cls.named_user("Ada Quinn")
		assign(cls.learner, cls.course_name)
		frappe.db.commit()

	def assertInert(self, page, where: str):
		found = page.evaluate(FIND_INJECTED, XSS_MARK)
		# A question is rich text: its cleaned <img src=x> stays an image, without a handler.
		handlers = [item for item in found["injected"] if not item.startswith('<img src="x"')]
		self.assertEqual((handlers, found["ran"]), ([], None), where)
		stray = page.evaluate(
			"""() => Array.from(document.querySelectorAll('img[src="x"]'))
				.filter((img) => !img.closest(".lms-lesson-content, .lms-quiz-question-text")).length"""
		)
		self.assertEqual(stray, 0, where)

	def test_questions_options_and_explanations_are_shown_inert(self):
		page = self.page_as(self.learner)
		page.goto(lesson_url(self.course_name, self.lessons[0]))
		expect(page.locator(".lms-quiz-title")).to_have_text(f"T {HOSTILE['tag']}")
		page.locator(".lms-quiz-start").click()
		expect(page.locator(".lms-quiz-question")).to_have_count(len(HOSTILE))
		for payload in HOSTILE.values():
			expect(page.locator(".lms-quiz-option-text", has_text=f"O {payload}")).to_have_count(2)
		self.assertInert(page, "an attempt")
		page.locator(".lms-quiz-submit").click()
		expect(page.locator(".lms-quiz-verdict")).to_have_text("Not passed")
		for payload in HOSTILE.values():
			expect(page.locator(".lms-quiz-explanation", has_text=f"E {payload}")).to_have_count(2)
		self.assertInert(page, "a result")

		page.goto(lesson_url(self.course_name, self.lessons[1]))
		expect(page.locator(".lms-ack-statement")).to_have_text(f"S {HOSTILE['tag']} {HOSTILE['script']}")
		self.assertInert(page, "a statement")
		self.assertNoJsErrors(page)
