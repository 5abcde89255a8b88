"""SCORM lessons played in headless Chromium as the learner, with packages the suite builds
(scorm_packages.player_package: a SCO that finds the API as ADL's FindAPI does and acts on buttons).

SCORM 1.2 and 2004 alike: finishing (passed) finishes the lesson and moves the assignment's progress,
the next lesson opens from the page; failing finishes nothing; a learner who leaves and comes back finds
the location and suspend data they left, including values set and never committed when the page
closed; score and time land on LMS SCORM Attempt. The package cannot reach the lesson page, the
learner's cookies or storage, nor call the site as the learner; a message that is not from the
package's frame is ignored. The server's refusal and a package that never loads are said on the page.
On a phone the frame fills the width. Screenshots for the README: scorm-lesson.png (the demo's package
playing) and scorm-attempts.png (HR's list of attempts)."""

import json
import time
from urllib.parse import quote

import frappe
import pytest
from frappe.model.utils.user_settings import update_user_settings
from playwright.sync_api import expect

from smooth_lms.demo.scorm_package import build_demo_package
from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE, COURSE_PROGRESS, ENROLLMENT, SCORM_ATTEMPT
from smooth_lms.lms.routes import course_url, lesson_url
from smooth_lms.tests.browser import PortalCase
from smooth_lms.tests.factories import assign
from smooth_lms.tests.http import base_url, login
from smooth_lms.tests.scorm_packages import attach_package, framed_player_package, player_package

pytestmark = pytest.mark.browser

VERSIONS = ("1.2", "2004")
SANDBOX = "allow-scripts allow-forms allow-popups allow-downloads"
PHONE = {"width": 390, "height": 844}
HR_COLUMNS = ["name", "member_name", "lesson_status", "score_raw", "score_max", "total_time",
	"finished", "lesson_title"]  # fmt: skip
LESSONS = [
	("Before You Start", "<p>The package that follows takes about ten minutes.</p>"),
	("The Package", "<p>Work through the package; it records your progress as you go.</p>"),
	("Afterwards", "<p>Where to find the policy and whom to ask.</p>"),
]


class TestScormPlayer(PortalCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.courses_by_version, cls.lessons = {}, {}
		for version in VERSIONS:
			course = cls.course_with_lessons(f"Security Basics (SCORM {version})", LESSONS)
			cls.lessons[version] = attach_package(
				course, 2, player_package(version, title=f"Security Basics {version}")
			)
			cls.courses_by_version[version] = course
		frappe.db.commit()

	# --- helpers ---------------------------------------------------------------------------------

	def learner(self, version: str) -> tuple[str, str]:
		learner = self.named_user(f"Scorm Learner{len(self.users)}", "LMS Student")
		assignment = assign(learner, self.courses_by_version[version])
		frappe.db.commit()
		return learner, assignment

	def open_lesson(self, page, version: str):
		course = self.courses_by_version[version]
		page.goto(lesson_url(course, self.lessons[version]))
		status = page.locator(".lms-scorm-status")
		expect(status).to_have_attribute("data-state", "started", timeout=20000)
		sco = page.frame_locator("iframe.lms-scorm-frame")
		expect(sco.locator("#sco-state")).to_have_text("Started")
		return sco, status

	def attempt(self, learner: str, version: str) -> frappe._dict | None:
		frappe.db.commit()
		return frappe.db.get_value(
			SCORM_ATTEMPT,
			{"member": learner, "lesson": self.lessons[version]},
			[
				"name",
				"scorm_version",
				"lesson_status",
				"completion_status",
				"success_status",
				"score_raw",
				"score_max",
				"total_time",
				"suspend_data",
				"location",
				"assignment",
			],
			as_dict=True,
		)

	def wait_for(self, read, what: str, timeout: float = 15):
		"""Poll `read` (the database, as the server wrote it) until it gives something true."""
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			value = read()
			if value:
				return value
			time.sleep(0.25)
		self.fail(f"no {what} after {timeout} s")

	def lesson_done(self, learner: str, version: str) -> bool:
		frappe.db.commit()
		return bool(frappe.db.exists(COURSE_PROGRESS, {"member": learner, "lesson": self.lessons[version]}))

	def progress(self, learner: str, version: str) -> float:
		frappe.db.commit()
		return frappe.db.get_value(
			ENROLLMENT, {"member": learner, "course": self.courses_by_version[version]}, "progress"
		)

	# --- tests -----------------------------------------------------------------------------------

	def test_finishing_the_package_finishes_the_lesson_and_moves_the_assignment(self):
		for version in VERSIONS:
			with self.subTest(version=version):
				learner, assignment = self.learner(version)
				page = self.page_as(learner)
				sco, status = self.open_lesson(page, version)
				frame = page.locator("iframe.lms-scorm-frame")
				self.assertEqual(frame.get_attribute("sandbox"), SANDBOX)
				self.assertTrue(frame.get_attribute("src").startswith("/lms/scorm/"))
				self.assertNotIn("allow-same-origin", frame.get_attribute("sandbox"))
				expect(sco.locator("#sco-entry")).to_have_text("ab-initio")
				expect(sco.locator("#sco-learner")).to_contain_text("Scorm Learner")
				expect(page.locator(".lms-scorm-lesson-status")).to_have_text("Not started")

				sco.locator("#sco-pass").click()
				expect(status).to_have_attribute("data-state", "finished")
				expect(status).to_contain_text("Finished · saved at")
				expect(page.locator(".lms-scorm-lesson-status")).to_have_text("Finished")
				expect(page.locator(".lms-scorm-score")).to_have_text("85 / 100")
				expect(page.locator(".lms-scorm-time")).to_have_text("1 min 30 s")
				expect(page.locator("#lms-lesson-state-slot .lms-lesson-state")).to_have_attribute(
					"data-state", "Done"
				)

				row = self.attempt(learner, version)
				self.assertEqual((row.scorm_version, row.assignment), (version, assignment))
				self.assertEqual((row.lesson_status, row.score_raw, row.score_max), ("passed", 85, 100))
				if version == "2004":
					self.assertEqual((row.completion_status, row.success_status), ("completed", "passed"))
				self.assertEqual(row.total_time, 90)  # the SCO's session_time, 1 min 30 s
				self.assertEqual(row.location, "end")
				self.assertTrue(self.lesson_done(learner, version))
				self.assertAlmostEqual(self.progress(learner, version), 100 / 3, places=1)
				self.assertNotEqual(frappe.db.get_value(ASSIGNMENT, assignment, "status"), "Completed")

				# the page says so after a reload too, and the next lesson opens like any other
				page.reload()
				expect(page.locator(".lms-scorm-lesson-status")).to_have_text("Finished")
				expect(page.locator(".lms-scorm-status")).to_have_attribute("data-state", "started")
				expect(page.locator(".lms-scorm-status")).to_contain_text("Finished")
				page.locator(".lms-lesson-next").click()
				expect(page.locator("h1.lms-lesson-title")).to_have_text("Afterwards")
				self.assertNoJsErrors(page)

	def test_failing_finishes_nothing(self):
		for version in VERSIONS:
			with self.subTest(version=version):
				learner, _assignment = self.learner(version)
				page = self.page_as(learner)
				sco, status = self.open_lesson(page, version)
				sco.locator("#sco-fail").click()
				expect(status).to_have_attribute("data-state", "failed")
				expect(status).to_contain_text("Not passed · saved at")
				expect(page.locator(".lms-scorm-lesson-status")).to_have_text("Not passed")
				expect(page.locator(".lms-scorm-score")).to_have_text("40 / 100")
				row = self.attempt(learner, version)
				self.assertEqual((row.lesson_status, row.score_raw, row.total_time), ("failed", 40, 90))
				if version == "2004":
					self.assertEqual((row.completion_status, row.success_status), ("completed", "failed"))
				self.assertFalse(self.lesson_done(learner, version))
				self.assertEqual(self.progress(learner, version), 0)
				expect(page.locator("#lms-lesson-state-slot .lms-lesson-state")).to_have_attribute(
					"data-state", "To do"
				)
				self.assertNoJsErrors(page)

	def test_the_package_resumes_where_the_learner_left_it(self):
		for version in VERSIONS:
			with self.subTest(version=version):
				learner, _assignment = self.learner(version)
				page = self.page_as(learner)
				sco, status = self.open_lesson(page, version)
				sco.locator("#sco-save").click()
				expect(status).to_have_attribute("data-state", "saved")
				expect(status).to_contain_text("Saved at")
				page.close()

				page = self.page_as(learner)
				sco, status = self.open_lesson(page, version)
				page.wait_for_timeout(1500)  # time in the package, counted by the page (no session_time)
				expect(sco.locator("#sco-entry")).to_have_text("resume")
				expect(sco.locator("#sco-location")).to_have_text("page-3")
				expect(sco.locator("#sco-suspend")).to_have_text("visit=1;answers=a,b")
				sco.locator("#sco-save").click()
				expect(sco.locator("#sco-state")).to_have_text("Saved visit 2")
				expect(status).to_have_attribute("data-state", "saved")
				row = self.attempt(learner, version)
				self.assertEqual((row.location, row.suspend_data), ("page-3", "visit=2;answers=a,b"))
				self.assertGreaterEqual(row.total_time, 1)  # no session_time from the SCO: the page's count
				self.assertFalse(self.lesson_done(learner, version))
				self.assertNoJsErrors(page)

	def test_what_the_package_set_arrives_when_the_page_closes_without_a_commit(self):
		for version in VERSIONS:
			with self.subTest(version=version):
				learner, _assignment = self.learner(version)
				page = self.page_as(learner)
				sco, status = self.open_lesson(page, version)
				sco.locator("#sco-stash").click()
				expect(sco.locator("#sco-state")).to_have_text("Stashed visit 1")
				self.assertIsNone(self.attempt(learner, version))  # nothing committed yet
				page.goto(course_url(self.courses_by_version[version]))  # the lesson page goes away
				row = self.wait_for(
					lambda learner=learner, version=version: (
						(r := self.attempt(learner, version)) and r.suspend_data and r
					),
					"attempt saved on leaving",
				)
				self.assertEqual((row.location, row.suspend_data), ("page-3", "visit=1;answers=a,b"))

				sco, _status = self.open_lesson(page, version)
				expect(sco.locator("#sco-suspend")).to_have_text("visit=1;answers=a,b")

	def test_the_package_cannot_reach_the_page_or_the_learners_session(self):
		for version in VERSIONS:
			with self.subTest(version=version):
				learner, _assignment = self.learner(version)
				page = self.page_as(learner)
				sco, _status = self.open_lesson(page, version)
				page.evaluate("localStorage.setItem('smooth-lms-secret', 'the learner')")  # the page may
				sco.locator("#sco-probe").click()
				expect(sco.locator("#probe-fetch")).not_to_be_empty()
				expect(sco.locator("#probe-parent")).to_contain_text("parent.document: blocked")
				expect(sco.locator("#probe-location")).to_contain_text("parent.location: blocked")
				expect(sco.locator("#probe-cookie")).to_contain_text("document.cookie: blocked")
				expect(sco.locator("#probe-storage")).to_contain_text("localStorage: blocked")
				fetched = sco.locator("#probe-fetch").text_content()
				self.assertNotIn(learner, fetched)
				self.assertTrue("Guest" in fetched or "failed" in fetched, fetched)

				# A message posted by anything but the package's frame is ignored: nothing is committed.
				page.evaluate(
					"""() => window.postMessage({type: "smooth-lms-scorm", event: "finish", session: "forged",
					elapsed: 5, cmi: {core: {lesson_status: "passed"}}}, "*")"""
				)
				page.wait_for_timeout(1000)
				self.assertIsNone(self.attempt(learner, version))
				self.assertFalse(self.lesson_done(learner, version))
				self.assertNoJsErrors(page)

	def test_the_page_says_what_went_wrong(self):
		version = "1.2"
		learner, _assignment = self.learner(version)
		course = self.courses_by_version[version]
		page = self.page_as(learner)
		sco, status = self.open_lesson(page, version)
		frappe.db.set_value(COURSE, course, "published", 0)  # the server now refuses the commit
		frappe.db.commit()
		try:
			sco.locator("#sco-save").click()
			expect(status).to_have_attribute("data-state", "error")
			expect(status).to_contain_text(f"Not saved: Course {course} was not found.")
		finally:
			frappe.db.set_value(COURSE, course, "published", 1)
			frappe.db.commit()

		# a package whose files never arrive
		page = self.page_as(learner)
		page.route("**/lms/scorm/**", lambda route: route.abort())
		page.clock.install()
		page.goto(lesson_url(course, self.lessons[version]))
		expect(page.locator(".lms-scorm-status")).to_have_attribute("data-state", "loading")
		page.clock.fast_forward(25000)
		expect(page.locator(".lms-scorm-status")).to_have_text(
			"The package could not be loaded. Reload the page or ask HR."
		)

	def test_a_sco_framed_by_its_launch_page_is_tracked(self):
		course = self.course_with_lessons("Security Basics (framed SCO)", LESSONS)
		lesson = attach_package(course, 2, framed_player_package("2004"))
		learner = self.named_user(f"Scorm Learner{len(self.users)}", "LMS Student")
		assign(learner, course)
		frappe.db.commit()
		page = self.page_as(learner)
		page.goto(lesson_url(course, lesson))
		status = page.locator(".lms-scorm-status")
		sco = page.frame_locator("iframe.lms-scorm-frame").frame_locator("#sco-frame")
		expect(sco.locator("#sco-state")).to_have_text("Started", timeout=20000)
		expect(status).to_have_attribute("data-state", "started")
		sco.locator("#sco-pass").click()
		expect(status).to_have_attribute("data-state", "finished")
		frappe.db.commit()
		self.assertTrue(frappe.db.exists(COURSE_PROGRESS, {"member": learner, "lesson": lesson}))
		row = frappe.db.get_value(
			SCORM_ATTEMPT, {"member": learner, "lesson": lesson}, ["lesson_status", "score_raw"]
		)
		self.assertEqual(row, ("passed", 85))
		self.assertNoJsErrors(page)

	def test_on_a_phone_the_frame_fills_the_width(self):
		version = "2004"
		learner, _assignment = self.learner(version)
		page = self.page_as(learner, **PHONE)
		sco, status = self.open_lesson(page, version)
		box = page.locator("iframe.lms-scorm-frame").bounding_box()
		panel = page.locator(".lms-lesson-panel").bounding_box()
		self.assertGreater(box["width"], panel["width"] - 60)
		self.assertGreaterEqual(box["height"], 360)
		scroll = page.evaluate(
			"[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
		)
		self.assertLessEqual(scroll[0], scroll[1])
		sco.locator("#sco-pass").click()
		expect(status).to_have_attribute("data-state", "finished")
		self.assertTrue(self.lesson_done(learner, version))
		self.assertNoJsErrors(page)

	def test_screenshots_of_the_demo_package_and_hrs_attempts(self):
		course = self.course_with_lessons(
			"Phishing Awareness",
			[
				(
					"Spot the Phish",
					"<p>An interactive module: six short screens and a three-question check.</p>",
				)
			],
		)
		lesson = attach_package(course, 1, build_demo_package(), file_name="phishing-awareness.zip")
		learner = self.named_user("Amara Okafor", "LMS Student")
		assign(learner, course)
		hr = self.named_user("Helen Ross", "HR Manager")
		frappe.db.commit()

		page = self.page_as(learner, width=1280, height=1160)
		page.goto(lesson_url(course, lesson))
		status = page.locator(".lms-scorm-status")
		expect(status).to_have_attribute("data-state", "started", timeout=20000)
		module = page.frame_locator("iframe.lms-scorm-frame")
		module.locator("#next").click()
		module.locator("#next").click()
		expect(status).to_have_attribute("data-state", "saved", timeout=20000)
		page.evaluate(
			"window.scrollTo(0, document.querySelector('.lms-lesson-panel').getBoundingClientRect().top"
			" + window.scrollY - 16)"
		)
		self.screenshot(page, "scorm-lesson")

		# finish it: every answer right
		for _screen in range(4):
			module.locator("#next").click()
		for answer in ("q1-b", "q2-a", "q3-c"):
			module.locator(f"#{answer}").check()
		module.locator("#submit").click()
		expect(status).to_have_attribute("data-state", "finished", timeout=20000)
		frappe.db.commit()  # read what the web request wrote
		self.assertTrue(frappe.db.exists(COURSE_PROGRESS, {"member": learner, "lesson": lesson}))

		# two colleagues further behind: one failed the check, one is half-way (their runtime's commits)
		for full_name, cmi in (
			("Kenji Sato", {"completion_status": "completed", "success_status": "failed",
				"score": {"raw": "1", "max": "3", "min": "0"}, "session_time": "PT7M12S", "location": "0"}),
			("Lucas Silva", {"completion_status": "incomplete", "success_status": "unknown",
				"session_time": "PT3M5S", "location": "3", "suspend_data": '{"answers": {}}'}),
		):  # fmt: skip
			colleague = self.named_user(full_name, "LMS Student")
			assign(colleague, course)
			frappe.db.commit()
			response = login(colleague).post(
				base_url() + "/api/method/smooth_lms.lms.scorm.commit",
				json={
					"course": course,
					"lesson": lesson,
					"cmi": json.dumps(cmi),
					"session": "demo",
					"elapsed": 1,
				},
				timeout=60,
			)
			self.assertEqual(response.status_code, 200, response.text[:300])

		# HR's report view of the attempts: who, status, score, time spent
		frappe.set_user(hr)
		update_user_settings(
			SCORM_ATTEMPT,
			{
				"Report": {
					"fields": [[field, SCORM_ATTEMPT] for field in HR_COLUMNS],
					"order_by": "modified desc",
				}
			},
		)
		frappe.set_user("Administrator")
		desk = self.page_as(hr, width=1500, height=480)
		desk.goto(f"/app/lms-scorm-attempt/view/report?course={quote(course)}")
		expect(desk.locator(".dt-row:not(.dt-row-header):not(.dt-row-filter)")).to_have_count(
			3, timeout=30000
		)
		expect(desk.locator(".dt-scrollable")).to_contain_text("Amara Okafor")
		expect(desk.get_by_text("3 of 3")).to_be_visible()  # the count, not "Refreshing..."
		self.screenshot(desk, "scorm-attempts")
		self.assertNoJsErrors(page)
