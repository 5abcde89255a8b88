"""Training History on HR's desk in a real browser (headless Chromium): a completion's SCORM attempt reads
as its lesson, status, score and time spent, linked to its LMS SCORM Attempt — and a lesson title that
carries payloads stays text: nothing of it becomes a tag or runs."""

import json
from urllib.parse import quote

import frappe
import pytest
from playwright.sync_api import Page, expect

from smooth_lms.lms.doctypes import SCORM_ATTEMPT
from smooth_lms.tests.browser import BrowserCase
from smooth_lms.tests.factories import assign, store_raw, unique
from smooth_lms.tests.hostile import FIND_INJECTED, HOSTILE, XSS_MARK
from smooth_lms.tests.http import base_url, login
from smooth_lms.tests.scorm_packages import attach_package, build_package

pytestmark = pytest.mark.browser

TIMEOUT = 30_000  # desk pages load slowly the first time (assets, boot)
TITLE = f"Security {HOSTILE['quote']} {HOSTILE['tag']} {HOSTILE['script']}"


class TestScormAttemptsOnTheDesk(BrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.hr = cls.user("HR Manager")
		cls.learner = cls.user("LMS Student")
		cls.course_name = cls.course(title=unique("Security Awareness"), lessons=1)
		cls.lesson = attach_package(cls.course_name, 1, build_package("1.2"))
		cls.assignment = assign(cls.learner, cls.course_name)
		frappe.db.commit()
		session = login(cls.learner)
		for status, raw, time, session_id in (
			("failed", 40, "00:05:00", "one"),
			("passed", 85, "00:07:05", "two"),
		):
			cmi = {
				"core": {
					"lesson_status": status,
					"score": {"raw": str(raw), "max": "100"},
					"session_time": time,
				}
			}
			response = session.post(
				base_url() + "/api/method/smooth_lms.lms.scorm.commit",
				json={
					"course": cls.course_name,
					"lesson": cls.lesson,
					"cmi": json.dumps(cmi),
					"session": session_id,
				},
				timeout=60,
			)
			assert response.status_code == 200, response.text[:500]
		frappe.db.commit()
		cls.attempt = frappe.db.get_value(SCORM_ATTEMPT, {"assignment": cls.assignment})
		store_raw(SCORM_ATTEMPT, cls.attempt, {"lesson_title": TITLE})  # as a set-wise write leaves it
		frappe.db.commit()

	def open(self, user: str, route: str, width: int = 1366) -> Page:
		page = self.page_as(user, width=width)
		page.set_default_timeout(TIMEOUT)
		expect.set_options(timeout=TIMEOUT)
		page.goto(route)
		return page

	def test_the_attempt_reads_as_text_and_links_to_its_record(self):
		page = self.open(self.hr, f"/app/query-report/Training History?course={quote(self.course_name)}")
		table = page.locator(".report-wrapper .dt-scrollable")
		cell = table.locator(".dt-cell__content", has_text="passed, score 85/100, time 0:12:05").first
		expect(cell).to_contain_text(TITLE)  # the whole title, as text
		link = cell.locator("a")
		expect(link).to_have_count(1)
		self.assertEqual(link.get_attribute("href"), f"/app/lms-scorm-attempt/{self.attempt}")
		for element in page.locator(".dt-cell__content a").all():
			element.hover()
		self.assertEqual(page.evaluate(FIND_INJECTED, XSS_MARK), {"injected": [], "ran": None})
		self.assertEqual(page.locator('.dt-scrollable img[src="x"]').count(), 0)
		self.assertEqual(page.js_errors, [])

	def test_hrs_list_of_attempts_says_the_status_and_the_time(self):
		# 1500 px: the list's columns past the status are the member, the course and the time spent.
		page = self.open(self.hr, f"/app/lms-scorm-attempt?course={quote(self.course_name)}", width=1500)
		row = page.locator(".list-row-container")
		expect(row).to_have_count(1)
		expect(row.locator(".indicator-pill").first).to_have_text("Passed")
		expect(row).to_contain_text("0:12:05")
		page.goto(f"/app/lms-scorm-attempt/view/report?course={quote(self.course_name)}")
		cells = page.locator(".dt-scrollable")
		expect(cells).to_contain_text("Passed")
		expect(cells).to_contain_text("0:12:05")
		self.assertEqual(page.js_errors, [])
