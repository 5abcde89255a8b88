"""HR's desk for exhausted quiz attempts in a real browser: the assignment list colours a learner who used
every attempt without a pass "Attempts Exhausted" and filters by it, the form says so in its headline, and
"Grant Quiz Attempts" (for those who may write assignments) grants more with a reason kept on the record.

Data is committed (the web server reads it on its own connection) and removed by RestCase.tearDownClass."""

import re

import frappe
import pytest
from playwright.sync_api import Page, expect

from smooth_lms.lms.doctypes import ASSIGNMENT
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.quiz import start_quiz, submit_quiz
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import assign, make_quiz, store_raw, wrong_answers
from smooth_lms.tests.hostile import HOSTILE, XSS_MARK

pytestmark = pytest.mark.browser

TIMEOUT = 30_000  # desk pages load slowly the first time (assets, boot)
INJECTED = f"""() => ({{
	images: document.querySelectorAll('img[src="x"]').length,
	handlers: [...document.querySelectorAll("*")].filter((element) =>
		[...element.attributes].some((a) => a.name.startsWith("on") && a.value.includes("{XSS_MARK}"))
	).length,
	ran: window.{XSS_MARK} === undefined ? null : String(window.{XSS_MARK}),
}})"""


class TestExhaustedAttemptsOnTheDesk(BrowserCase):
	"""A course whose second lesson (its title hostile) is a quiz of one attempt: Ada and Cat failed it
	(attempts exhausted; HR grants Cat more), Bob has not started."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		cls.ada, cls.bob, cls.cat = (cls.user("LMS Student") for _ in range(3))
		cls.course_name = cls.course(lessons=2)
		cls.quiz = make_quiz(cls.course_name, questions=2, lesson=2, max_attempts=1)
		cls.quiz_lesson = course_lessons(cls.course_name)[1].name
		cls.lesson_title = "Speak up " + HOSTILE["tag"]
		cls.ada_assignment = assign(cls.ada, cls.course_name)
		cls.bob_assignment = assign(cls.bob, cls.course_name)
		cls.cat_assignment = assign(cls.cat, cls.course_name)
		for learner in (cls.ada, cls.cat):
			frappe.set_user(learner)
			attempt = start_quiz(quiz=cls.quiz)["attempt"]
			submit_quiz(attempt=attempt, answers=wrong_answers(attempt))
		frappe.set_user("Administrator")
		store_raw("LMS Course Lesson", cls.quiz_lesson, {"title": cls.lesson_title})
		frappe.db.commit()
		assert frappe.db.get_value(ASSIGNMENT, cls.ada_assignment, "attempts_exhausted")
		assert frappe.db.get_value(ASSIGNMENT, cls.cat_assignment, "attempts_exhausted")

	def open(self, route: str) -> Page:
		page = self.page_as(self.hr)
		page.set_default_timeout(TIMEOUT)
		expect.set_options(timeout=TIMEOUT)
		page.goto(route)
		return page

	def test_the_list_shows_and_filters_exhausted_attempts(self):
		page = self.open(f"/app/lms-training-assignment?course={self.course_name}")
		ada_row = page.locator(".list-row-container", has_text=self.ada_assignment)
		bob_row = page.locator(".list-row-container", has_text=self.bob_assignment)
		expect(ada_row.locator(".indicator-pill").first).to_have_text("Attempts Exhausted")
		expect(ada_row.locator(".indicator-pill").first).to_have_class(re.compile(r"\bred\b"))
		expect(bob_row.locator(".indicator-pill").first).not_to_have_text("Attempts Exhausted")
		# Attempts Exhausted is a box of the filter bar; a click on the pill filters by it.
		box = page.locator(".standard-filter-section").get_by_role("checkbox", name="Attempts Exhausted")
		expect(box).to_be_visible()
		ada_row.locator(".indicator-pill").first.click()
		expect(page).to_have_url(re.compile(r"attempts_exhausted=1"))
		expect(bob_row).to_have_count(0)
		expect(ada_row).to_have_count(1)
		expect(box).to_be_checked()
		self.assertEqual(page.js_errors, [])

	def test_hr_grants_more_attempts_with_a_reason(self):
		page = self.open(f"/app/lms-training-assignment/{self.cat_assignment}")
		headline = page.locator(".form-message", has_text="Quiz attempts exhausted")
		expect(headline).to_be_visible()
		expect(page.locator(".indicator-pill", has_text="Attempts Exhausted").first).to_be_visible()
		page.get_by_role("button", name="Grant Quiz Attempts").click()
		dialog = page.locator(".modal.show", has_text="Grant Quiz Attempts")
		expect(dialog).to_be_visible()
		select = dialog.locator('[data-fieldname="quiz"] select')
		expect(select.locator("option")).to_have_text([self.lesson_title])  # the title as text
		self.assertEqual(page.evaluate(INJECTED), {"images": 0, "handlers": 0, "ran": None})
		# A reason is required: nothing is granted without one.
		dialog.locator('[data-fieldname="extra_attempts"] input').fill("2")
		dialog.get_by_role("button", name="Grant", exact=True).click()
		# Frappe says which field is missing in a message of its own, over the dialog: closed as a reader does.
		missing = page.locator(".modal.show", has_text="Missing Values Required")
		expect(missing).to_contain_text("Reason")
		missing.locator(".btn-modal-close").click()
		expect(missing).to_have_count(0)
		expect(dialog).to_be_visible()
		dialog.locator('[data-fieldname="reason"] textarea').fill("Was on sick leave during the course")
		dialog.get_by_role("button", name="Grant", exact=True).click()

		expect(page.locator(".alert-message", has_text="Attempts granted: 2 left.")).to_be_visible()
		expect(page.locator('[data-fieldname="attempt_grants"]')).to_contain_text(
			"Was on sick leave during the course"
		)
		expect(headline).to_have_count(0)
		frappe.db.rollback()
		doc = frappe.get_doc(ASSIGNMENT, self.cat_assignment)
		self.assertFalse(doc.attempts_exhausted)
		(grant,) = doc.attempt_grants
		self.assertEqual(
			(grant.quiz, grant.extra_attempts, grant.reason, grant.granted_by),
			(self.quiz, 2, "Was on sick leave during the course", self.hr),
		)
		self.assertEqual(page.js_errors, [])
