"""Committed test data and a real web server: the base of the HTTP and browser tests.

The server (started by the README's test command, URL in SMOOTH_LMS_TEST_URL) reads the site on its
own connection, so data made here is committed, and each class removes what it made."""

import os

import frappe
import requests
from frappe.tests.utils import FrappeTestCase

from smooth_lms.tests.factories import PASSWORD, make_course, make_user


def base_url() -> str:
	url = os.environ.get("SMOOTH_LMS_TEST_URL")
	if not url:
		raise RuntimeError("SMOOTH_LMS_TEST_URL is not set: run the README's test command")
	return url.rstrip("/")


def login(user: str | None) -> requests.Session:
	session = requests.Session()
	# Names the site for a server that serves several (the test server is pinned to one anyway).
	session.headers["X-Frappe-Site-Name"] = os.environ.get("SMOOTH_LMS_TEST_SITE", "test_site")
	if user:
		response = session.post(
			base_url() + "/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=30
		)
		response.raise_for_status()
	return session


class RestCase(FrappeTestCase):
	users: list[str]
	courses: list[str]

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users, cls.courses = [], []

	@classmethod
	def user(cls, *roles: str) -> str:
		name = make_user(*roles, password=PASSWORD)
		cls.users.append(name)
		return name

	@classmethod
	def course(cls, **kwargs) -> str:
		name = make_course(**kwargs)
		cls.courses.append(name)
		return name

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for doctype, field in (
			("LMS Training Assignment", "course"),
			("LMS Course Progress", "course"),
			("LMS Enrollment", "course"),
		):
			frappe.db.delete(doctype, {field: ("in", cls.courses or ["-"])})
		frappe.db.delete("Employee", {"user_id": ("in", cls.users or ["-"])})
		for course in cls.courses:
			frappe.delete_doc("LMS Course", course, force=True, ignore_permissions=True)
		for user in cls.users:
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()
