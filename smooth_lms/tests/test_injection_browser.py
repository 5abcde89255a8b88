"""Hostile text in a real browser (headless Chromium): the learner portal, the course pages and their
lessons, /lms/statistics, the portal's refusal dialog, and the desk (Assign Training with its user
picker and summary, the assignment list and form, the compliance report and its chart).

On every page the text reads as itself, nothing it carries became an element or a handler,
window.__xss was never set and no JavaScript error was raised. The payloads: factories.HOSTILE. The
same pages parsed on the server side: test_injection.py.

Data is committed (the web server reads it on its own connection) and removed by RestCase.tearDownClass
through the users and courses registered here."""

import frappe
import pytest
from frappe.utils import add_days, today
from playwright.sync_api import Page, expect

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctypes import ACKNOWLEDGEMENT, QUESTION, QUIZ
from smooth_lms.lms.quiz import acknowledge, start_quiz, submit_quiz
from smooth_lms.lms.quiz.acknowledgements import full_name
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import (
	as_user,
	make_employee,
	make_question,
	make_quiz,
	right_answers,
	set_lesson,
	store_raw,
	wrong_answers,
)
from smooth_lms.tests.hostile import FIND_INJECTED, HOSTILE, XSS_MARK, make_hostile_course, name_user

pytestmark = pytest.mark.browser

ASSIGNMENT = "LMS Training Assignment"
REPORT = "Mandatory Training Compliance"
TIMEOUT = 30_000  # desk pages load slowly the first time (assets, boot)


class InjectionCase(BrowserCase):
	def open(self, user: str | None, route: str) -> Page:
		page = self.page_as(user)
		page.set_default_timeout(TIMEOUT)
		expect.set_options(timeout=TIMEOUT)
		page.goto(route)
		return page

	def assertShownAsText(self, page: Page):
		found = page.evaluate(FIND_INJECTED, XSS_MARK)
		self.assertEqual(found["injected"], [])
		self.assertIsNone(found["ran"], "a payload ran")
		self.assertEqual(page.js_errors, [])

	def hover_all(self, page: Page, selector: str):
		"""Point at each match, as a reader does (a handler smuggled into an attribute would run)."""
		items = page.locator(selector)
		for index in range(items.count()):
			item = items.nth(index)
			if item.is_visible():
				item.hover()

	def title(self, course: str) -> str:
		return frappe.db.get_value("LMS Course", course, "title")

	def copied_title(self, course: str) -> str:
		"""The title as the course's assignments copied it: what the statistics and the report show."""
		return frappe.db.get_value(ASSIGNMENT, {"course": course}, "course_title")


# --- Learner portal ------------------------------------------------------------------------------


class TestPortalShowsHostileTextAsText(InjectionCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.learner = cls.user()
		name_user(cls.learner, HOSTILE["tag"])
		cls.hr = cls.user("HR Manager")
		cls.hostile = {}
		for key, payload in HOSTILE.items():
			cls.hostile[key] = make_hostile_course(payload, raw=key == "tag")
			cls.courses.append(cls.hostile[key])
		create_assignments(list(cls.hostile.values()), [cls.learner], add_days(today(), 10))
		cls.closing = make_hostile_course(HOSTILE["tag"], raw=True)  # open to self-enrolment, for now
		cls.courses.append(cls.closing)
		frappe.db.commit()

	def test_courses_page(self):
		page = self.open(self.learner, "/lms/courses")
		for course in self.hostile.values():
			row = page.locator(f'#mandatory-training .lms-training-row[data-course="{course}"]')
			expect(row.locator(".lms-training-title")).to_have_text(self.title(course))
			card = page.locator(f'#course-catalogue .lms-course-card[data-course="{course}"]')
			expect(card.locator(".lms-course-title")).to_have_text(self.title(course))
		self.hover_all(page, ".lms-progress-bar")
		self.assertShownAsText(page)

	def test_course_pages_and_lessons(self):
		for key, course in self.hostile.items():
			with self.subTest(payload=key):
				page = self.open(self.learner, f"/lms/courses/{course}")
				expect(page.locator("h1.lms-page-title")).to_have_text(self.title(course))
				expect(page.locator(".breadcrumb-item.active")).to_have_text(self.title(course))
				lessons = frappe.get_all(
					"LMS Course Lesson", filters={"parent": course}, pluck="title", order_by="idx"
				)
				expect(page.locator(".lms-lesson-item .lms-lesson-title")).to_have_text(lessons)

				page.locator(".lms-lesson-link").first.click()
				lesson = page.locator("article.lms-lesson:not([hidden])")
				expect(lesson.locator("h2")).to_have_text(lessons[0])
				lesson.locator(".lms-mark-complete").click()
				expect(page.locator(".lms-assignment-card .lms-status")).to_have_text("In Progress")
				self.hover_all(page, ".lms-progress-bar")
				self.assertShownAsText(page)

	def test_course_page_for_a_visitor(self):
		page = self.open(None, f"/lms/courses/{self.hostile['quote']}")
		expect(page.locator("h1.lms-page-title")).to_have_text(self.title(self.hostile["quote"]))
		self.assertShownAsText(page)

	def test_statistics_page(self):
		page = self.open(self.hr, "/lms/statistics")
		for course in self.hostile.values():
			cell = page.locator(f'#compliance-by-course tr[data-course="{course}"] td').first
			expect(cell).to_have_text(self.copied_title(course))
		self.hover_all(page, ".lms-progress-bar")
		self.assertShownAsText(page)

	def test_self_enrolment_refusal_names_the_course_as_text(self):
		page = self.open(self.learner, "/lms/courses")
		enrol = page.locator(f'.lms-enrol[data-course="{self.closing}"]')
		expect(enrol).to_be_visible()
		# HR closes the course to self-enrolment while the page is open: the server refuses, naming it.
		store_raw("LMS Course", self.closing, {"disable_self_learning": 1})
		frappe.db.commit()

		enrol.click()

		dialog = page.locator(".modal.show", has_text="Self-enrolment is disabled")
		expect(dialog).to_contain_text(self.title(self.closing))
		expect(enrol).to_be_enabled()
		self.assertShownAsText(page)


# --- HR desk -------------------------------------------------------------------------------------


class TestDeskShowsHostileTextAsText(InjectionCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.moderator = cls.user("Moderator")
		cls.hr = cls.user("HR Manager")
		# Learners named, and in departments named, with the payloads that survive a save or a set-wise write.
		cls.learners = {}
		for key in ("tag", "open_tag", "quote"):
			learner = cls.user()
			name_user(learner, HOSTILE[key])
			employee = make_employee(learner, department=HOSTILE[key], name=HOSTILE[key])
			store_raw("Employee", employee, {"department": HOSTILE[key], "employee_name": HOSTILE[key]})
			cls.learners[key] = learner
		cls.newcomer = cls.user()  # nothing assigned yet: picked in the Assign Training dialog
		name_user(cls.newcomer, HOSTILE["tag"])

		# Courses titled with the payloads (descriptions plain: see test_course_form_shows_its_description).
		cls.tag_course = cls.course(title=HOSTILE["tag"], description="<p>Plain.</p>")
		store_raw("LMS Course", cls.tag_course, {"title": HOSTILE["tag"]})
		cls.quote_course = cls.course(title=HOSTILE["quote"], description="<p>Plain.</p>")
		cls.script_course = cls.course(title=HOSTILE["script"], description="<p>Plain.</p>")
		courses = [cls.tag_course, cls.quote_course, cls.script_course]
		create_assignments(courses, list(cls.learners.values()), add_days(today(), 10))
		cls.late = frappe.db.get_value(
			ASSIGNMENT, {"course": cls.tag_course, "employee": cls.learners["tag"]}, "name"
		)
		store_raw(ASSIGNMENT, cls.late, {"due_date": add_days(today(), -3), "status": "Overdue"})
		frappe.db.commit()

	def test_assign_training_dialog_picker_and_summary(self):
		page = self.open(self.moderator, f"/app/lms-course/{self.tag_course}")
		page.get_by_role("button", name="Assign Training").click()
		dialog = page.locator(".modal.show", has_text="Assign Training")
		expect(dialog.locator(".modal-title")).to_have_text(f"Assign Training: {HOSTILE['tag']}")

		picker = dialog.locator('[data-fieldname="employees"] input')
		expect(picker).to_be_focused()
		picker.press_sequentially(self.newcomer)
		suggestion = dialog.locator(".awesomplete ul:not([hidden]) li", has_text=self.newcomer)
		expect(suggestion).to_contain_text(HOSTILE["tag"])
		self.assertShownAsText(page)
		picker.press("Enter")
		pill = dialog.locator('[data-fieldname="employees"] .tb-selected-value')
		expect(pill).to_have_text(HOSTILE["tag"])
		self.assertShownAsText(page)

		dialog.locator(".modal-title").click()  # closes the suggestion list, which covers the button
		dialog.locator(".btn-primary").click()
		summary = page.locator(".modal.show", has_text="Training Assigned")
		expect(summary).to_contain_text("1 assignment created.")
		self.assertShownAsText(page)

	def test_assignment_list_and_overdue_form(self):
		page = self.open(self.hr, f"/app/lms-training-assignment?course={self.tag_course}")
		for key in ("tag", "open_tag", "quote"):
			row = page.locator(".list-row-container", has_text=HOSTILE[key])
			expect(row.locator(".list-row-col", has_text=HOSTILE[key]).first).to_have_text(HOSTILE[key])
		self.assertShownAsText(page)

		page.goto(f"/app/lms-training-assignment/{self.late}")
		expect(page.locator(".form-message")).to_contain_text("This training is overdue")
		self.assertShownAsText(page)

	def test_compliance_report_table_and_chart(self):
		titles = [self.copied_title(c) for c in (self.tag_course, self.quote_course, self.script_course)]
		departments = [HOSTILE[key] for key in ("tag", "open_tag", "quote")]
		for group_by, labels in (("Course", titles), ("Department", departments)):
			with self.subTest(group_by=group_by):
				page = self.open(self.hr, f"/app/query-report/{REPORT}?group_by={group_by}")
				table = page.locator(".report-wrapper .dt-scrollable")
				for label in labels:
					expect(table.locator(".dt-cell__content", has_text=label).first).to_have_text(label)
				expect(page.locator(".chart-wrapper .x.axis text", has_text=labels[-1][:8])).to_be_visible()
				self.assertEqual(self.chart_tooltips(page) & set(labels), set(labels))
				self.assertShownAsText(page)

	def chart_tooltips(self, page: Page) -> set[str]:
		"""Sweep the pointer across the chart; the titles its tooltip showed."""
		chart = page.locator(".chart-wrapper svg").first
		expect(chart).to_be_visible()
		box = chart.bounding_box()
		seen = set()
		for step in range(1, 40):
			page.mouse.move(box["x"] + box["width"] * step / 40, box["y"] + box["height"] / 2)
			page.wait_for_timeout(50)
			title = page.locator(".graph-svg-tip .title")
			if title.count():
				seen.add(title.first.text_content().strip())  # as printed (CSS capitalises it)
		return seen

	# Frappe's save-time check keeps "<img src=x onerror=...//" (its parser finds no complete tag) and the
	# desk form prints a Text Editor's value as HTML: LMSCourse.validate should clean description and
	# lesson content with sanitize_html(..., always_sanitize=True), as the portal does (portal.rich_text).
	def test_course_form_shows_its_description_as_text(self):
		course = self.course(title="Description check", description=HOSTILE["open_tag"])
		frappe.db.commit()
		page = self.open(self.moderator, f"/app/lms-course/{course}")
		expect(page.get_by_role("button", name="Assign Training")).to_be_visible()
		self.assertShownAsText(page)


# --- Quizzes and acknowledgements on the desk ----------------------------------------------------


class TestQuizProofShowsHostileTextAsText(InjectionCase):
	"""A learner named with a payload fails, then passes, a quiz whose title, options and explanations
	carry the payloads, and signs a statement that carries them — each text written as its author writes
	it (the desk's save, Frappe's sanitising included): HR's forms and lists of the submissions and the
	acknowledgement, Training History, and the author's question and quiz forms."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		cls.moderator = cls.user("Moderator")
		cls.learner = cls.user("LMS Student")
		name_user(cls.learner, "Ada " + HOSTILE["tag"])
		cls.course_name = cls.course(lessons=2)
		cls.question = make_question(text=f"<p>Which {HOSTILE['open_tag']}</p>")
		question = frappe.get_doc(QUESTION, cls.question)
		for index, (row, key) in enumerate(
			zip(question.options, ("tag", "quote", "script", "jinja"), strict=True)
		):
			row.option, row.explanation = f"{index} {HOSTILE[key]}", f"Because {HOSTILE[key]}"
		question.save(ignore_permissions=True)  # as the author saves it
		cls.option_texts = [row.option for row in question.options]  # as Frappe stored them
		cls.quiz = make_quiz(cls.course_name, [cls.question], lesson=1, title=f"Quiz {HOSTILE['tag']}")
		cls.quiz_title = frappe.db.get_value(QUIZ, cls.quiz, "title")
		lesson = set_lesson(
			cls.course_name, 2, acknowledgement=f"I agree {HOSTILE['tag']} {HOSTILE['script']}"
		)
		create_assignments([cls.course_name], [cls.learner], add_days(today(), 10))
		cls.submissions = []
		for answers in (wrong_answers, right_answers):
			attempt = as_user(cls.learner, start_quiz, cls.quiz)["attempt"]
			cls.submissions.append(as_user(cls.learner, submit_quiz, attempt, answers(attempt))["submission"])
		typed = full_name(cls.learner)
		cls.acknowledgement = as_user(cls.learner, acknowledge, cls.course_name, lesson, typed)[
			"acknowledgement"
		]
		cls.typed_name = frappe.db.get_value(ACKNOWLEDGEMENT, cls.acknowledgement, "typed_name")
		frappe.db.commit()

	def assertNothingRuns(self, page: Page):
		"""No handler or script came of a payload, none ran, no JavaScript error (markup without either
		aside: see test_plain_texts_render_no_markup_on_the_desk)."""
		found = page.evaluate(FIND_INJECTED, XSS_MARK)
		self.assertEqual([html for html in found["injected"] if " on" in html or "<script" in html], [])
		self.assertIsNone(found["ran"], "a payload ran")
		self.assertEqual(page.js_errors, [])

	def test_submission_forms_and_list(self):
		# By course (by quiz: test_hr_filters_the_submissions_by_quiz).
		page = self.open(self.hr, f"/app/lms-quiz-submission?course={self.course_name}")
		expect(page.locator(".list-row-container")).to_have_count(2)
		expect(page.locator(".list-row-container").first).to_contain_text("Quiz '")
		self.hover_all(page, ".list-row-col")
		self.assertNothingRuns(page)
		for submission in self.submissions:
			with self.subTest(submission=submission):
				page.goto(f"/app/lms-quiz-submission/{submission}")
				expect(page.locator('[data-fieldname="quiz_title"]').first).to_contain_text(self.quiz_title)
				grid = page.locator('[data-fieldname="answers"] .grid-body')
				expect(grid).to_contain_text("Which")
				grid.locator(".grid-row .btn-open-row").first.click()  # the row's full form
				expect(page.locator(".grid-row-open")).to_contain_text("Which")
				self.hover_all(page, ".grid-row-open .frappe-control")
				self.assertNothingRuns(page)

	def test_hr_filters_the_submissions_by_quiz(self):
		# HR Manager reads LMS Quiz: the list filters on the quiz link and shows its title, the form too.
		page = self.open(self.hr, f"/app/lms-quiz-submission?quiz={self.quiz}")
		expect(page.locator(".list-row-container")).to_have_count(2)
		expect(page.locator(".filter-x-button")).to_have_count(1)
		page.goto(f"/app/lms-quiz-submission/{self.submissions[0]}")
		link = page.locator('[data-fieldname="quiz"] .control-value a, [data-fieldname="quiz"] a').first
		expect(link).to_contain_text("Quiz '")
		self.hover_all(page, '[data-fieldname="quiz"] a')
		self.assertEqual(page.locator(".modal.show", has_text="Insufficient Permission").count(), 0)
		self.assertEqual(page.locator(".modal.show", has_text="Not permitted").count(), 0)
		self.assertShownAsText(page)

	def test_acknowledgement_form_and_list(self):
		page = self.open(self.hr, f"/app/lms-acknowledgement?course={self.course_name}")
		expect(page.locator(".list-row-container")).to_have_count(1)
		self.hover_all(page, ".list-row-col")
		self.assertShownAsText(page)
		page.goto(f"/app/lms-acknowledgement/{self.acknowledgement}")
		expect(page.locator('[data-fieldname="statement"]').first).to_contain_text("I agree")
		expect(page.locator('[data-fieldname="typed_name"]').first).to_contain_text(self.typed_name)
		self.hover_all(page, ".frappe-control")
		self.assertNothingRuns(page)

	def test_training_history(self):
		page = self.open(self.hr, f"/app/query-report/Training History?course={self.course_name}")
		table = page.locator(".report-wrapper .dt-scrollable")
		attempts = table.locator(".dt-cell__content", has_text=self.quiz_title).first
		expect(attempts).to_contain_text("#1 0 % failed")
		expect(attempts.locator("a")).to_have_count(2)
		signed = table.locator(".dt-cell__content", has_text=self.typed_name).last
		expect(signed.locator("a")).to_have_count(1)
		self.hover_all(page, ".dt-cell__content a")
		self.assertShownAsText(page)

	def test_the_authors_question_and_quiz_forms(self):
		page = self.open(self.moderator, f"/app/lms-question/{self.question}")
		grid = page.locator('[data-fieldname="options"] .grid-body')
		expect(grid.locator(".grid-row")).to_have_count(4)
		expect(grid).to_contain_text("Because")
		self.hover_all(page, '[data-fieldname="options"] .grid-static-col')
		self.assertNothingRuns(page)
		page.goto(f"/app/lms-quiz/{self.quiz}")
		expect(page.locator(".title-text")).to_contain_text("Quiz '")  # the desk strips tags from titles
		self.assertShownAsText(page)

	# Frappe keeps `<img src="x">` of "'><img src=x onerror=...>" typed into a Data or Small Text field
	# (its save-time sanitize_html drops the handler, not the tag), and the desk prints some plain texts
	# as HTML: a Link's title (the submission's quiz), the submissions' list column of the quiz's title,
	# the static cells of a grid (a question's options and explanations) and a read-only Small Text (the
	# acknowledgement's statement). The controllers keep those texts plain (framework.plain_text).
	def test_plain_texts_render_no_markup_on_the_desk(self):
		for user, route in (
			(self.moderator, f"/app/lms-question/{self.question}"),
			(self.hr, f"/app/lms-quiz-submission/{self.submissions[0]}"),
			(self.hr, f"/app/lms-acknowledgement/{self.acknowledgement}"),
			(self.hr, f"/app/lms-quiz-submission?course={self.course_name}"),
		):
			page = self.open(user, route)
			expect(page.locator(".page-title")).to_be_visible()
			page.wait_for_timeout(1000)
			self.assertShownAsText(page)
