"""A lesson's package over real HTTP, fetched as the sandboxed frame fetches it (no session cookie, the
token in the address): to its learner with the right types and headers and the runtime injected; to
nobody else — no token, forged, expired, a disabled user, a course they cannot read, a replaced package,
a path leaving the package."""

import json
import os
import re
import time

import frappe
import requests

from smooth_lms.lms.doctypes import COURSE
from smooth_lms.lms.portal.lesson_page import lesson_page
from smooth_lms.lms.scorm import player, storage, tokens
from smooth_lms.tests.factories import as_user, assign
from smooth_lms.tests.http import RestCase, base_url, login
from smooth_lms.tests.scorm_packages import attach_package, build_package

EXTRA = {
	"media/style.css": "body { color: #333 }",
	"media/data.json": "{}",
	"media/icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
	"media/font.woff2": b"wOF2",
	"media/clip.mp4": b"\0\0\0\x18ftypmp42",
	"notes.txt": "plain",
	"pages/two.htm": "<html><body>Page two</body></html>",
	"pages/bare.html": "<p>No head nor html</p>",
}
CONFIG = re.compile(r"<script>window\.SMOOTH_LMS_SCORM = (.*?);</script>")


def frame() -> requests.Session:
	"""A session like the sandboxed frame's: no cookie, no login."""
	return requests.Session()


class TestServing(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.course_name = cls.course(lessons=2)
		cls.lesson = attach_package(cls.course_name, 1, build_package("1.2", extra_files=EXTRA))
		cls.learner = cls.user("LMS Student")
		assign(cls.learner, cls.course_name)
		cls.stranger = cls.user("LMS Student")
		frappe.db.commit()

	def launch_url(self, user: str | None = None) -> str:
		context = as_user(user or self.learner, player.player_context, self.course_name, self.lesson)
		return context["launch_url"]

	def package_url(self, path: str, user: str | None = None) -> str:
		return self.launch_url(user).rsplit("/", 1)[0] + "/" + path

	def get(self, url: str, session: requests.Session | None = None) -> requests.Response:
		return (session or frame()).get(base_url() + url, timeout=30, allow_redirects=False)

	def assert_refused(self, url: str, session: requests.Session | None = None) -> None:
		response = self.get(url, session)
		self.assertEqual(response.status_code, 404, (url, response.text[:200]))
		self.assertNotIn("SMOOTH_LMS_SCORM", response.text)
		self.assertNotIn("imsmanifest", response.text)

	def test_the_learner_gets_the_launch_page_with_the_runtime_and_safe_headers(self):
		url = self.launch_url()
		self.assertRegex(url, r"^/lms/scorm/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/index\.html$")
		response = self.get(url)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(response.headers["Content-Type"], "text/html; charset=utf-8")
		self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
		policy = response.headers["Content-Security-Policy"]
		self.assertTrue(policy.startswith("sandbox allow-scripts"), policy)
		self.assertNotIn("allow-same-origin", policy)
		self.assertEqual(response.headers["Cache-Control"], "private, no-store")
		self.assertEqual(response.headers["Referrer-Policy"], "no-referrer")
		head = response.text.index("<head>") + len("<head>")
		self.assertTrue(response.text[head:].startswith("<script>window.SMOOTH_LMS_SCORM = "))
		config = json.loads(CONFIG.search(response.text).group(1))
		self.assertEqual((config["version"], config["commit_interval"], config["attempt"]), ("1.2", 30, None))
		self.assertRegex(config["session"], r"^[a-z0-9]{20}$")
		self.assertEqual(config["cmi"]["core"]["student_id"], self.learner)
		self.assertEqual(config["cmi"]["core"]["entry"], "ab-initio")
		self.assertIn('src="/assets/smooth_lms/dist/js/scorm_runtime', response.text)
		self.assertIn('<script src="sco.js"></script>', response.text)  # the package's own page follows

	def test_each_file_has_its_content_type(self):
		expected = {
			"sco.js": "text/javascript",
			"media/style.css": "text/css",
			"media/data.json": "application/json",
			"media/icon.svg": "image/svg+xml",
			"media/font.woff2": "font/woff2",
			"media/clip.mp4": "video/mp4",
			"notes.txt": "text/plain",
			"imsmanifest.xml": "application/xml",
		}
		for path, content_type in expected.items():
			response = self.get(self.package_url(path))
			self.assertEqual(response.status_code, 200, path)
			self.assertEqual(response.headers["Content-Type"].split(";")[0], content_type, path)
			self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff", path)
			self.assertEqual(response.headers["Cache-Control"], "private, max-age=3600", path)
			self.assertIn("sandbox", response.headers["Content-Security-Policy"], path)
			self.assertNotIn("SMOOTH_LMS_SCORM", response.text, path)
		self.assertEqual(self.get(self.package_url("media/font.woff2")).content, b"wOF2")

	def test_every_html_page_gets_the_runtime_even_without_a_head(self):
		two = self.get(self.package_url("pages/two.htm")).text
		self.assertTrue(two.startswith("<html><script>window.SMOOTH_LMS_SCORM = "), two[:100])
		bare = self.get(self.package_url("pages/bare.html")).text
		self.assertTrue(bare.startswith("<script>window.SMOOTH_LMS_SCORM = "), bare[:100])
		self.assertTrue(bare.endswith("<p>No head nor html</p>"))

	def test_the_config_resumes_the_attempt_and_cannot_close_its_script(self):
		learner = self.user("LMS Student")
		assign(learner, self.course_name)
		frappe.db.commit()
		suspend = "</script><script>alert(1)</script>&amp;"
		cmi = {"core": {"lesson_status": "incomplete", "lesson_location": "p<3>"}, "suspend_data": suspend}
		answer = login(learner).post(
			base_url() + "/api/method/smooth_lms.lms.scorm.commit",
			json={"course": self.course_name, "lesson": self.lesson, "cmi": json.dumps(cmi), "session": "a"},
			timeout=30,
		)
		self.assertEqual(answer.status_code, 200, answer.text[:300])
		page = self.get(self.launch_url(learner)).text
		self.assertEqual(page.count("</script>"), 3, page[:600])  # the config's, the runtime's, sco.js's
		config = json.loads(CONFIG.search(page).group(1))
		core = config["cmi"]["core"]
		self.assertEqual((core["entry"], core["lesson_location"]), ("resume", "p<3>"))
		self.assertEqual(
			(config["cmi"]["suspend_data"], config["attempt"]), (suspend, answer.json()["message"]["attempt"])
		)

	def test_a_signed_in_session_without_the_token_gets_nothing(self):
		learner = login(self.learner)
		folder = storage.package_folder(
			self.lesson, frappe.db.get_value("LMS Course Lesson", self.lesson, "scorm_package_id")
		)
		relative = folder.split("/private/")[-1]
		for url in (
			"/lms/scorm/",
			"/lms/scorm/index.html",
			f"/private/{relative}/index.html",
			f"/files/{relative}/index.html",
		):
			self.assertIn(self.get(url, learner).status_code, (403, 404), url)

	def test_forged_and_expired_tokens_are_refused(self):
		url = self.launch_url()
		token = url.split("/")[3]
		payload, signature = token.split(".")
		forged_payload = tokens._encode(
			json.dumps(
				[
					self.stranger,
					self.course_name,
					self.lesson,
					tokens.read(token).package,
					int(time.time()) + 999,
				]
			).encode()
		)
		package_id = tokens.read(token).package
		expired = as_user(
			self.learner,
			lambda: tokens.issue(self.learner, self.course_name, self.lesson, package_id, hours=-1),
		)
		for bad in (
			f"{forged_payload}.{signature}",
			f"{payload}.{signature[:-2]}AA",
			f"{payload}.",
			payload,
			"x.y",
			expired,
			token + "x",
			f"{payload}.{signature[:-1]}%C3%A9",  # not ASCII: hmac.compare_digest would raise (a 500)
			"%C3%A9.%C3%A9",
		):
			self.assert_refused(f"/lms/scorm/{bad}/index.html")

	def test_paths_out_of_the_package_are_refused(self):
		base = self.launch_url().rsplit("/", 1)[0]
		for path in (
			"%2e%2e/%2e%2e/%2e%2e/site_config.json",
			"..%2f..%2f..%2fsite_config.json",
			"..%5c..%5csite_config.json",
			"%2fetc%2fpasswd",
			"/etc/passwd",
			"media/../../" + "x",
			"media",
			"",
			"missing.html",
			"index.html%00.js",
		):
			self.assert_refused(f"{base}/{path}")

	def test_a_disabled_user_or_a_course_they_cannot_read_ends_the_token(self):
		url = self.launch_url()
		self.assertEqual(self.get(url).status_code, 200)
		frappe.db.set_value("User", self.learner, "enabled", 0)
		frappe.db.commit()
		try:
			self.assert_refused(url)
		finally:
			frappe.db.set_value("User", self.learner, "enabled", 1)
			frappe.db.commit()
		frappe.db.set_value(COURSE, self.course_name, "published", 0)
		frappe.db.commit()
		try:
			self.assert_refused(url)
		finally:
			frappe.db.set_value(COURSE, self.course_name, "published", 1)
			frappe.db.commit()
		self.assertEqual(self.get(url).status_code, 200)

	def test_other_users_and_guests_get_no_token(self):
		context = as_user(self.stranger, lesson_page, self.course_name, self.lesson)
		self.assertIsNone(context["scorm"])  # not enrolled: the lesson's body is not theirs
		self.assertIsNone(as_user("Guest", player.player_context, self.course_name, self.lesson))
		mine = as_user(self.learner, lesson_page, self.course_name, self.lesson)
		self.assertTrue(mine["scorm"]["launch_url"].startswith("/lms/scorm/"))
		page = login(self.stranger).get(
			base_url() + f"/lms/courses/{self.course_name}/lessons/{self.lesson}", timeout=30
		)
		self.assertNotIn("/lms/scorm/", page.text)

	def test_a_replaced_package_ends_the_old_tokens_and_keeps_the_attempts(self):
		course = self.course(lessons=1)
		lesson = attach_package(course, 1, build_package("1.2"))
		learner = self.user("LMS Student")
		assign(learner, course)
		frappe.db.commit()
		old_url = as_user(learner, player.player_context, course, lesson)["launch_url"]
		commit = login(learner).post(
			base_url() + "/api/method/smooth_lms.lms.scorm.commit",
			json={
				"course": course,
				"lesson": lesson,
				"cmi": '{"core": {"lesson_status": "failed"}}',
				"session": "a",
			},
			timeout=30,
		)
		self.assertEqual(commit.status_code, 200, commit.text[:300])
		old_id = frappe.db.get_value("LMS Course Lesson", lesson, "scorm_package_id")
		attach_package(course, 1, build_package("2004", title="Version two"))
		frappe.db.commit()
		new_id = frappe.db.get_value("LMS Course Lesson", lesson, "scorm_package_id")
		self.assertNotEqual(old_id, new_id)
		self.assertEqual(sorted(os.listdir(storage.lesson_folder(lesson))), [new_id])
		self.assert_refused(old_url)
		new_page = self.get(as_user(learner, player.player_context, course, lesson)["launch_url"])
		self.assertIn("Version two", new_page.text)
		attempt = frappe.db.get_value(
			"LMS SCORM Attempt",
			commit.json()["message"]["attempt"],
			["package", "lesson_status"],
			as_dict=True,
		)
		self.assertEqual((attempt.package, attempt.lesson_status), (old_id, "failed"))
