"""Headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright against the bench's web
server, signed in as a real user. Screenshots go to docs/screenshots/ in the checkout."""

import os
from pathlib import Path

import frappe
from playwright.sync_api import Browser, Page, sync_playwright

from smooth_lms.tests.factories import PASSWORD, make_user
from smooth_lms.tests.http import RestCase, base_url

CHROMIUM = os.environ.get("SMOOTH_LMS_CHROMIUM", "/usr/bin/chromium")
# Flags for a closed network: without the background-networking ones Chromium keeps dialling out.
CHROMIUM_ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
RED_500 = "rgb(224, 54, 54)"  # Frappe's --red-500: the left border of a late row


class BrowserCase(RestCase):
	"""A RestCase with a browser: `self.page_as(user)` opens a signed-in page."""

	browser: Browser

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls._playwright = sync_playwright().start()
		cls.browser = cls._playwright.chromium.launch(
			executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
		)

	@classmethod
	def tearDownClass(cls):
		cls.browser.close()
		cls._playwright.stop()
		super().tearDownClass()

	def page_as(self, user: str | None, width: int = 1366, height: int = 900) -> Page:
		context = self.browser.new_context(base_url=base_url(), viewport={"width": width, "height": height})
		self.addCleanup(context.close)
		if user:
			response = context.request.post("/api/method/login", form={"usr": user, "pwd": PASSWORD})
			assert response.ok, response.text()
		page = context.new_page()
		errors: list[str] = []
		page.on("pageerror", lambda error: errors.append(str(error)))
		page.js_errors = errors  # tests assert the page ran without JavaScript errors
		return page

	@staticmethod
	def screenshot(page: Page, name: str) -> Path:
		SCREENSHOTS.mkdir(parents=True, exist_ok=True)
		path = SCREENSHOTS / f"{name}.png"
		page.screenshot(path=str(path), full_page=False)
		return path


class PortalCase(BrowserCase):
	"""A BrowserCase for the learner portal: people and courses with real names, and its rows and cards."""

	@classmethod
	def named_user(cls, full_name: str, *roles: str) -> str:
		first, _space, last = full_name.partition(" ")
		name = make_user(*roles, password=PASSWORD, first_name=first)
		frappe.db.set_value("User", name, {"last_name": last, "full_name": full_name})
		cls.users.append(name)
		return name

	@classmethod
	def course_with_lessons(cls, title: str, lessons: list[tuple[str, str]], **fields) -> str:
		"""A published course with real lesson titles and content (the factory numbers its lessons)."""
		doc = frappe.get_doc(
			{
				"doctype": "LMS Course",
				"title": title,
				"published": 1,
				"lessons": [{"title": t, "content": content} for t, content in lessons],
				**fields,
			}
		).insert()
		cls.courses.append(doc.name)
		return doc.name

	def training_row(self, page, course: str):
		return page.locator(f'#mandatory-training .lms-training-row[data-course="{course}"]')

	def card(self, page, course: str):
		return page.locator(f'#course-catalogue .lms-course-card[data-course="{course}"]')

	def assertNoJsErrors(self, page):
		self.assertEqual(page.js_errors, [])
