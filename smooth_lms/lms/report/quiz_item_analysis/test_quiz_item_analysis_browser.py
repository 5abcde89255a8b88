"""Quiz Item Analysis as its author opens it on the desk (headless Chromium), on a laptop and a phone:
without a quiz, an empty table saying to pick one (no "Filter missing" error); with one, a row per
question and the chart of the share answered right; a question whose text carries markup shows it as
text. Data is committed (the web server reads it on its own connection) and removed in tearDownClass."""

from urllib.parse import quote

import frappe
import pytest
from playwright.sync_api import Page, expect

from smooth_lms.lms.quiz import start_quiz, submit_quiz
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import assign, make_question, make_quiz, right_answers, wrong_answers
from smooth_lms.tests.hostile import FIND_INJECTED, HOSTILE, XSS_MARK

pytestmark = pytest.mark.browser

TIMEOUT = 30_000  # desk pages load slowly the first time (assets, boot)
ROUTE = "/app/query-report/" + quote("Quiz Item Analysis")


class TestQuizItemAnalysisOnTheDesk(BrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.author = cls.user("Course Creator")
		cls.course_name = cls.course(lessons=1)
		cls.questions = [
			make_question(text="<p>Who may you tell?</p>"),
			make_question(text="<p>" + HOSTILE["tag"] + HOSTILE["quote"] + "</p>"),
			make_question(text="<p>Which are harassment?</p>", correct=(0, 2)),
		]
		cls.quiz = make_quiz(cls.course_name, questions=cls.questions, lesson=1)
		for answers in (right_answers, wrong_answers, wrong_answers):
			learner = cls.user("LMS Student")
			assign(learner, cls.course_name)
			frappe.set_user(learner)
			attempt = start_quiz(quiz=cls.quiz)["attempt"]
			submit_quiz(attempt=attempt, answers=answers(attempt))
			frappe.set_user("Administrator")
		frappe.db.commit()

	def open(self, route: str, **size) -> Page:
		page = self.page_as(self.author, **size)
		page.set_default_timeout(TIMEOUT)
		page.goto(route)
		return page

	def test_without_a_quiz_the_page_says_to_pick_one(self):
		page = self.open(ROUTE)
		message = page.get_by_text("Pick a quiz to see how each of its questions was answered.")
		expect(message).to_be_visible(timeout=TIMEOUT)
		self.assertEqual(page.js_errors, [])

	def test_a_row_per_question_and_the_chart_on_a_laptop_and_a_phone(self):
		for size in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
			with self.subTest(**size):
				page = self.open(f"{ROUTE}?quiz={quote(self.quiz)}", **size)
				rows = page.locator(".dt-scrollable .dt-row")
				expect(rows).to_have_count(len(self.questions), timeout=TIMEOUT)
				expect(page.locator(".chart-container svg").first).to_be_visible()
				# The question's image was made "[image]" on save; the quote's handler stays, as text.
				expect(page.locator(".dt-scrollable")).to_contain_text('x" onmouseover="window.__xss=1')
				found = page.evaluate(FIND_INJECTED, XSS_MARK)
				self.assertEqual(found["injected"], [])
				self.assertIsNone(found["ran"], "a payload ran")
				self.assertEqual(page.js_errors, [])
