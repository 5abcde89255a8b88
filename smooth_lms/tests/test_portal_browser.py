"""The learner portal in a real browser: /lms/courses, a course page, /lms/statistics.

Data is committed (the web server reads it on its own connection) and removed by RestCase.tearDownClass
through the users and courses registered here."""

import re

import frappe
import pytest
from frappe.utils import add_days, formatdate, today
from playwright.sync_api import expect

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.reporting.counts import compliance_counts
from smooth_lms.tests.browser import RED_500, PortalCase
from smooth_lms.tests.factories import complete_lessons, make_overdue

pytestmark = pytest.mark.browser

SAFETY_LESSONS = [
	(
		"Spotting Hazards",
		"<p>Most accidents start with something everyone walked past. Look out for:</p>"
		"<ul><li>trailing cables and wet floors,</li><li>blocked fire exits and corridors,</li>"
		"<li>damaged ladders, tools or guards.</li></ul>",
	),
	(
		"Reporting an Incident",
		"<p>Every incident and near miss is reported, the same day, even when nobody was hurt.</p>"
		"<ol><li>Make the area safe and help anyone injured.</li>"
		"<li>Tell your supervisor.</li>"
		"<li>Record what happened in the incident log: <strong>where, when, who, what</strong>.</li></ol>"
		"<p>Reports are about learning, not blame: they stop the next accident.</p>",
	),
	(
		"Evacuation",
		"<p>When the alarm sounds, leave by the nearest exit, do not use the lifts, and go to your "
		"assembly point. Fire wardens in yellow vests count everyone out.</p>",
	),
]


def assignment_of(user: str, course: str) -> str:
	return frappe.db.get_value("LMS Training Assignment", {"employee": user, "course": course})


class TestLearnerTakesMandatoryTraining(PortalCase):
	"""A learner follows one assignment from Pending to Completed, lesson by lesson."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.learner = cls.named_user("Noah Fischer")
		cls.colleague = cls.named_user("Mia Chen")
		cls.first_aid = cls.course(
			title="First Aid Essentials",
			is_mandatory=1,
			lessons=3,
			short_introduction="What to do in the first minutes of an emergency.",
			description="<p>Three short lessons: <b>assess</b>, <b>alert</b>, <b>assist</b>.</p>",
		)
		cls.due = add_days(today(), 12)
		create_assignments([cls.first_aid], [cls.learner, cls.colleague], cls.due)
		cls.assignment = assignment_of(cls.learner, cls.first_aid)
		complete_lessons(cls.colleague, cls.first_aid, 2)  # someone else's progress never shows
		frappe.db.commit()

	def test_status_and_progress_follow_each_lesson(self):
		page = self.page_as(self.learner)
		page.goto("/lms/courses")
		row = self.training_row(page, self.first_aid)
		expect(row.locator(".lms-training-title")).to_have_text("First Aid Essentials")
		expect(row.locator(".lms-status")).to_have_text("Pending")
		expect(row.locator(".lms-due-date")).to_have_text(formatdate(self.due))
		expect(row).to_have_attribute("data-due-date", str(self.due))
		expect(row.locator(".lms-progress-bar")).to_have_attribute("aria-valuenow", "0")
		expect(row).not_to_have_class(re.compile(r"\bis-late\b"))

		row.click()
		expect(page).to_have_url(re.compile(rf"/lms/courses/{self.first_aid}$"))
		page.evaluate("window.lms_not_reloaded = true")  # gone if the page reloads
		expect(page.locator("#lms-history .lms-history-completed")).to_have_text("—")
		expect(page.locator(".lms-start-lesson")).to_have_text("Start")
		progress = page.locator("#lms-my-progress")
		status = page.locator(".lms-assignment-card .lms-status")
		expect(progress.locator(".lms-progress-bar")).to_have_attribute("aria-valuenow", "0")
		expect(status).to_have_text("Pending")
		expect(page.locator(".lms-assignment-card .lms-due-date")).to_have_text(formatdate(self.due))
		expect(page.locator("#lms-overview")).to_contain_text("assess")

		steps = [
			("33.3", "In Progress", "1 of 3"),
			("66.7", "In Progress", "2 of 3"),
			("100", "Completed", "3 of 3"),
		]
		for number, (percent, expected_status, count) in enumerate(steps, start=1):
			with self.subTest(lesson=number):
				page.locator(".lms-lesson-list .lms-lesson-link").nth(number - 1).click()
				lesson = page.locator(f"#lesson-{number}")
				expect(lesson).to_be_visible()
				expect(lesson.locator(".lms-lesson-content")).to_have_text(f"Part {number}")
				expect(page).to_have_url(re.compile(rf"\?lesson={number}$"))
				lesson.locator(".lms-mark-complete").click()

				expect(lesson.locator(".lms-mark-complete")).to_be_disabled()
				expect(lesson.locator(".lms-mark-complete")).to_contain_text("Completed")
				expect(progress.locator(".lms-progress-bar")).to_have_attribute("aria-valuenow", percent)
				expect(progress.locator(".lms-progress-percent")).to_have_text(f"{percent}%")
				expect(progress.locator(".lms-progress-count")).to_have_text(f"{count} lessons completed")
				expect(status).to_have_text(expected_status)
				expect(page.locator(".lms-lesson-item").nth(number - 1)).to_have_class(
					re.compile(r"\bis-complete\b")
				)

		expect(progress.locator(".lms-progress-bar")).to_have_attribute("style", re.compile(r"width: 100%"))
		expect(status).to_have_class(re.compile(r"\blms-status--completed\b"))
		expect(page.locator(".lms-done-banner")).to_be_visible()

		# "Your history" and the assignment card follow without a reload: completed today, through the
		# LMS, its certificate; the overview's button now says Review.
		attempt = page.locator(f'#lms-history .lms-history-row[data-assignment="{self.assignment}"]')
		expect(attempt.locator(".lms-history-completed")).to_have_text(formatdate(today()))
		expect(attempt.locator(".lms-history-validity")).to_have_text("Does not expire")
		expect(attempt.locator(".lms-history-source")).to_have_text("LMS")
		expect(attempt.locator(".lms-certificate")).to_be_visible()
		expect(page.locator(".lms-assignment-card .lms-validity-text")).to_have_text("Does not expire")
		expect(page.locator(".lms-assignment-card .lms-certificate")).to_be_visible()
		expect(page.locator(".lms-start-lesson")).to_have_text("Review")
		self.assertEqual(page.evaluate("window.lms_not_reloaded"), True)

		# The server holds the same: enrollment at 100, assignment Completed today.
		frappe.db.rollback()
		enrollment = frappe.db.get_value(
			"LMS Enrollment", {"member": self.learner, "course": self.first_aid}, ["progress", "completed_on"]
		)
		self.assertEqual((enrollment[0], str(enrollment[1])), (100, today()))
		self.assertEqual(
			frappe.db.get_value(
				"LMS Training Assignment", assignment_of(self.learner, self.first_aid), "status"
			),
			"Completed",
		)
		# The colleague's own progress is untouched by the learner's and was never shown to them.
		self.assertEqual(
			frappe.db.get_value(
				"LMS Enrollment", {"member": self.colleague, "course": self.first_aid}, "progress"
			),
			66.7,
		)

		page.goto("/lms/courses")
		row = self.training_row(page, self.first_aid)
		expect(row.locator(".lms-status")).to_have_text("Completed")
		expect(row.locator(".lms-progress-bar")).to_have_attribute("aria-valuenow", "100")
		# The same word for a finished course in the catalogue as on its page.
		expect(self.card(page, self.first_aid).locator(".lms-course-action")).to_have_text("Review")
		page.goto(f"/lms/courses/{self.first_aid}")
		expect(page.locator(".lms-start-lesson")).to_have_text("Review")
		self.assertNoJsErrors(page)

	def test_reload_keeps_the_learners_own_progress_only(self):
		page = self.page_as(self.colleague)
		page.goto(f"/lms/courses/{self.first_aid}?lesson=3")
		expect(page.locator("#lesson-3")).to_be_visible()
		expect(page.locator("#lms-overview")).to_be_hidden()
		expect(page.locator("#lms-my-progress .lms-progress-bar")).to_have_attribute("aria-valuenow", "66.7")
		expect(page.locator(".lms-lesson-item.is-complete")).to_have_count(2)
		expect(page.locator(".lms-assignment-card .lms-status")).to_have_text("In Progress")
		expect(page.locator(".lms-start-lesson")).to_have_text("Continue")
		expect(page.locator(".lms-start-lesson")).to_have_attribute("href", "?lesson=3")
		page.goto("/lms/courses")
		expect(self.card(page, self.first_aid).locator(".lms-course-action")).to_have_text("Continue")
		self.assertNoJsErrors(page)


class TestCatalogue(PortalCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.learner = cls.named_user("Liam Novak")
		cls.closed = cls.course(
			title="Anti-Bribery Policy", is_mandatory=1, disable_self_learning=1, lessons=2
		)
		cls.open = cls.course(title="Presentation Skills", lessons=2)
		cls.draft = cls.course(title="Unreleased Draft Course", published=0)
		cls.late = cls.course(title="Fire Safety", is_mandatory=1, lessons=2)
		create_assignments([cls.late], [cls.learner], add_days(today(), 2))
		make_overdue(cls.learner, cls.late, days=4)
		frappe.db.commit()

	def test_overdue_row_is_red_and_says_so(self):
		page = self.page_as(self.learner)
		page.goto("/lms/courses")
		row = self.training_row(page, self.late)
		expect(row.locator(".lms-status")).to_have_text("Overdue")
		expect(row).to_have_class(re.compile(r"\bis-late\b"))
		expect(row).to_have_css("border-left-color", RED_500)
		expect(row.locator(".lms-due-date")).to_have_text(formatdate(add_days(today(), -4)))
		expect(row.locator(".lms-due-hint")).to_have_text("4 days late")
		expect(page.locator("#mandatory-training .lms-section-meta")).to_contain_text("1 overdue")
		self.assertNoJsErrors(page)

	def test_mandatory_only_on_the_learners_own_mandatory_training(self):
		page = self.page_as(self.learner)
		page.goto("/lms/courses")
		# Fire Safety is assigned to them. Anti-Bribery Policy is marked Mandatory Training, but they have
		# no assignment of it (nor an Employee record: they owe only what is assigned to them).
		expect(self.card(page, self.late).locator(".lms-tag")).to_have_text("Mandatory")
		expect(self.card(page, self.closed).locator(".lms-tag")).to_have_count(0)
		expect(self.card(page, self.open).locator(".lms-tag")).to_have_count(0)
		expect(page.locator("#course-catalogue .lms-course-card").first).to_have_attribute(
			"data-course", self.late
		)
		expect(self.card(page, self.late).locator(".lms-course-meta")).to_have_text("2 lessons")
		self.assertNoJsErrors(page)

	def test_drafts_are_never_listed_and_courses_show_their_introduction(self):
		page = self.page_as(self.learner)
		page.goto("/lms/courses")
		expect(self.card(page, self.open)).to_contain_text("What every employee needs to know.")
		expect(self.card(page, self.open).locator(".lms-course-title")).to_have_text("Presentation Skills")
		expect(self.card(page, self.draft)).to_have_count(0)
		expect(page.get_by_text("Unreleased Draft Course")).to_have_count(0)
		response = page.goto(f"/lms/courses/{self.draft}")
		self.assertEqual(response.status, 404)

	def test_self_learning_disabled_shows_a_message_and_no_button(self):
		page = self.page_as(self.learner)
		page.goto("/lms/courses")
		card = self.card(page, self.closed)
		expect(card.locator(".lms-self-learning-off")).to_contain_text("Self-enrolment is disabled")
		expect(card.locator(".lms-enrol")).to_have_count(0)
		page.goto(f"/lms/courses/{self.closed}")
		expect(page.locator(".lms-self-learning-off")).to_be_visible()
		expect(page.locator(".lms-enrol")).to_have_count(0)
		expect(page.locator(".lms-lesson-list .lms-lesson-title")).to_have_text(["Lesson 1", "Lesson 2"])
		self.assertNoJsErrors(page)

	def test_enrolling_in_an_open_course(self):
		page = self.page_as(self.learner)
		page.goto("/lms/courses")
		card = self.card(page, self.open)
		card.locator(".lms-enrol").click()
		expect(card.locator(".lms-enrolled-note")).to_have_text("You are enrolled.")
		expect(card.locator(".lms-enrol")).to_have_count(0)

		frappe.db.rollback()
		self.assertTrue(frappe.db.exists("LMS Enrollment", {"member": self.learner, "course": self.open}))
		self.assertIn("LMS Student", frappe.get_roles(self.learner))

		expect(card.locator(".lms-start")).to_have_text("Start")
		card.locator(".lms-start").click()
		expect(page).to_have_url(re.compile(rf"/lms/courses/{self.open}$"))
		expect(page.locator("#lms-my-progress .lms-progress-bar")).to_have_attribute("aria-valuenow", "0")
		page.locator(".lms-start-lesson").click()
		expect(page.locator("#lesson-1 .lms-lesson-content")).to_have_text("Part 1")
		self.assertNoJsErrors(page)

	def test_enrolling_from_the_course_page(self):
		learner = self.named_user("Emma Rossi")
		frappe.db.commit()
		page = self.page_as(learner)
		page.goto(f"/lms/courses/{self.open}")
		expect(page.locator(".lms-lesson-content")).to_have_count(1)  # the overview only: no lesson bodies
		page.locator(".lms-enrol").click()
		expect(page.locator("#lms-my-progress")).to_be_visible()
		expect(page.locator(".lms-lesson-link[href='?lesson=2']")).to_be_visible()
		self.assertNoJsErrors(page)

	def test_guest_sees_the_outline_and_a_login_prompt(self):
		page = self.page_as(None)
		page.goto("/lms/courses")
		expect(page.locator("#mandatory-training")).to_have_count(0)
		expect(page.locator(".lms-login-prompt")).to_be_visible()
		expect(self.card(page, self.open).locator(".lms-enrol")).to_have_count(0)

		page.goto(f"/lms/courses/{self.open}")
		expect(page.locator(".lms-lesson-list .lms-lesson-title")).to_have_text(["Lesson 1", "Lesson 2"])
		expect(page.locator(".lms-login-prompt")).to_be_visible()
		expect(page.locator("#lms-my-progress")).to_have_count(0)
		expect(page.locator(".lms-lesson")).to_have_count(0)
		self.assertNotIn("Part 1", page.content())
		self.assertNoJsErrors(page)


class TestStatistics(PortalCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.hr = cls.named_user("Grace Okafor", "HR Manager")
		cls.learner = cls.named_user("Oliver Brandt")
		course = cls.course(title="Cyber Hygiene", is_mandatory=1, lessons=2)
		create_assignments([course], [cls.learner], add_days(today(), 9))
		frappe.db.commit()

	def test_hr_manager_sees_the_compliance_widget(self):
		page = self.page_as(self.hr)
		response = page.goto("/lms/statistics")
		self.assertEqual(response.status, 200)
		frappe.db.rollback()
		counts = compliance_counts()
		widget = page.locator("#compliance-widget")
		expect(widget.locator("h2")).to_have_text("Mandatory Training Compliance")
		expect(widget.locator('[data-count="assigned"]')).to_have_text(str(counts["assigned"]))
		expect(widget.locator('[data-count="completed"]')).to_have_text(str(counts["completed"]))
		expect(widget.locator('[data-count="overdue"]')).to_have_text(str(counts["overdue"]))
		expect(widget.locator('[data-count="completion_rate"]')).to_have_text(
			f"{counts['completion_rate']:g}%"
		)
		self.assertNoJsErrors(page)

	def test_learner_and_guest_are_refused(self):
		for user in (self.learner, None):
			with self.subTest(user=user):
				page = self.page_as(user)
				response = page.goto("/lms/statistics")
				self.assertEqual(response.status, 403)
				expect(page.locator("#compliance-widget")).to_have_count(0)
				expect(page.get_by_text("Not Permitted")).to_be_visible()


class TestScreenshots(PortalCase):
	"""The pictures in the README: one learner part-way through a realistic set of assignments."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.ava = cls.named_user("Ava Patel")
		cls.hr = cls.named_user("Harper Lee", "HR Manager")
		peers = [cls.named_user(name) for name in ("Ben Carter", "Chloe Diaz", "Dev Sharma")]
		intro = "Every employee completes this within their first month."
		cls.safety = cls.course_with_lessons(
			"Workplace Safety",
			SAFETY_LESSONS,
			is_mandatory=1,
			short_introduction="Hazards, reporting and evacuation at our sites.",
			description="<p>Learn how to spot hazards, report incidents and leave the building safely.</p>",
		)
		cls.security = cls.course(
			title="Information Security Basics",
			is_mandatory=1,
			lessons=4,
			short_introduction="Passwords, phishing and handling company data.",
		)
		cls.conduct = cls.course(
			title="Code of Conduct",
			is_mandatory=1,
			disable_self_learning=1,
			lessons=2,
			short_introduction=intro,
		)
		cls.privacy = cls.course(
			title="Data Protection", is_mandatory=1, lessons=3, short_introduction="Personal data and GDPR."
		)
		cls.course(
			title="Presenting with Confidence", lessons=4, short_introduction="Clear slides, calm talks."
		)
		cls.course(title="Excel for Analysts", lessons=5, short_introduction="Formulas, pivots and charts.")

		everyone = [cls.ava, *peers]
		create_assignments([cls.conduct], everyone, add_days(today(), 20))
		create_assignments([cls.security], everyone, add_days(today(), 6))
		create_assignments([cls.safety], everyone, add_days(today(), 14))
		create_assignments([cls.privacy], everyone, add_days(today(), 30))
		for user in everyone[:3]:
			make_overdue(user, cls.security, days=3)
		for user in everyone:
			complete_lessons(user, cls.conduct, 2)
		complete_lessons(cls.ava, cls.safety, 1)
		complete_lessons(cls.ava, cls.security, 1)
		complete_lessons(peers[0], cls.safety, 3)
		complete_lessons(peers[2], cls.security, 4)
		frappe.db.commit()

	def test_portal_courses(self):
		page = self.page_as(self.ava)
		page.goto("/lms/courses")
		expect(self.training_row(page, self.security)).to_have_class(re.compile(r"\bis-late\b"))
		expect(self.training_row(page, self.conduct).locator(".lms-status")).to_have_text("Completed")
		expect(self.training_row(page, self.safety).locator(".lms-status")).to_have_text("In Progress")
		expect(self.training_row(page, self.privacy).locator(".lms-status")).to_have_text("Pending")
		page.wait_for_load_state("networkidle")
		self.screenshot(page, "portal-courses")
		self.assertNoJsErrors(page)

	def test_course_page(self):
		page = self.page_as(self.ava)
		page.goto(f"/lms/courses/{self.safety}?lesson=2")
		expect(page.locator("#lesson-2")).to_be_visible()
		expect(page.locator("#lms-my-progress .lms-progress-bar")).to_have_attribute("aria-valuenow", "33.3")
		page.wait_for_load_state("networkidle")
		self.screenshot(page, "course-page")
		self.assertNoJsErrors(page)

	def test_statistics(self):
		page = self.page_as(self.hr)
		page.goto("/lms/statistics")
		expect(page.locator(f'#compliance-by-course tr[data-course="{self.security}"]')).to_be_visible()
		page.wait_for_load_state("networkidle")
		self.screenshot(page, "statistics")
		self.assertNoJsErrors(page)
