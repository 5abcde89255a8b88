"""Frappe's generic endpoints reveal nothing of another learner's records, over real HTTP.

A learner (LMS Student, a Website User without desk) signs in and asks every generic endpoint of Frappe
about a colleague's data: their assignments (one extended with a reason, one completed with evidence
files), enrollments and lesson progress, the ToDo, email, comment and Version rows HR left on them, their
roles and defaults — and about a draft course. No answer may carry any of the colleague's identifying
values (`secrets`) beyond what the request itself sent: a name the caller types may come back in a
refusal, nothing else may. The learner's own rows must come back where an endpoint lists rows, so that
an answer is empty because of the rule, not because the call failed.

Course Creator, HR Manager, Moderator and a learner with desk access are checked against SPEC.md: HR
reads every assignment and its rows but no one's lesson progress, Course Creator no assignment at all,
and one learner's lesson progress is read by that learner, Moderator and System Manager only.

What was closed for this test (framework.permissions, framework.generic_endpoints, hooks.py) is said
there; the one leak the app cannot close without patching Frappe is marked expectedFailure below.
"""

import json
import unittest
from urllib.parse import unquote_plus

import frappe
import requests
from frappe.desk.form.assign_to import add as assign_to
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.hr_records import extend_due_date, record_external_completion
from smooth_lms.lms.doctypes import (
	ASSIGNMENT,
	AUDIENCE,
	COURSE,
	COURSE_PROGRESS,
	EMPLOYEE,
	ENROLLMENT,
	EXTENSION,
	LESSON,
	ONBOARDING_TRAINING,
	SETTINGS,
	USER,
)
from smooth_lms.lms.notifications.manager_digest import DIGEST_OPT_IN
from smooth_lms.tests.factories import complete_lessons, make_employee, unique
from smooth_lms.tests.http import RestCase, base_url, login

METHOD = "/api/method/"
REPORTS = ("Mandatory Training Compliance", "Compliance Matrix", "Training History")


class TestGenericEndpoints(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.learner = cls.user("LMS Student")
		cls.colleague = cls.user("LMS Student")
		cls.desk_learner = cls.user("LMS Student")
		frappe.db.set_value(USER, cls.desk_learner, "user_type", "System User")
		frappe.clear_cache(user=cls.desk_learner)
		cls.creator = cls.user("Course Creator")
		cls.hr = cls.user("HR Manager")
		cls.moderator = cls.user("Moderator")
		cls.department = unique("Secret Dept")
		make_employee(cls.colleague, department=cls.department)

		cls.published = cls.course(lessons=2)
		cls.completed_course = cls.course(lessons=1)
		cls.draft_lesson = unique("Draft lesson")
		cls.draft = cls._draft_course()
		create_assignments(
			[cls.published], [cls.learner, cls.colleague, cls.desk_learner], add_days(today(), 20)
		)
		cls.own = frappe.db.get_value(ASSIGNMENT, {"employee": cls.learner, "course": cls.published})
		cls.other = frappe.db.get_value(ASSIGNMENT, {"employee": cls.colleague, "course": cls.published})
		cls.other_enrollment = frappe.db.get_value(
			ENROLLMENT, {"member": cls.colleague, "course": cls.published}
		)
		complete_lessons(cls.colleague, cls.published, 1)
		complete_lessons(cls.learner, cls.published, 1)
		cls.other_progress = frappe.db.get_value(COURSE_PROGRESS, {"member": cls.colleague})
		cls.own_progress = frappe.db.get_value(COURSE_PROGRESS, {"member": cls.learner})
		cls.extension_reason = unique("Extended for sick leave")
		cls.evidence_name = f"{unique('colleague-evidence')}.txt"
		cls.public_evidence_name = f"{unique('colleague-public-evidence')}.txt"
		cls.todo_text = unique("Chase the colleague")
		cls.comment_text = unique("The colleague asked for time")
		cls.email_subject = unique("Your overdue training")
		cls.files, cls.hr_rows = [], []
		cls.hr_records()
		frappe.db.commit()
		cls.secrets = {
			"colleague's email": cls.colleague,
			"colleague's name": cls.colleague.split("@")[0],
			"colleague's assignment": cls.other,
			"colleague's completed assignment": cls.completed,
			"colleague's enrollment": cls.other_enrollment,
			"colleague's lesson progress": cls.other_progress,
			"extension reason": cls.extension_reason,
			"private evidence file": cls.evidence_name,
			"public evidence file": cls.public_evidence_name,
			"private evidence File": cls.evidence,
			"public evidence File": cls.public_evidence,
			"ToDo on their assignment": cls.todo_text,
			"comment on their assignment": cls.comment_text,
			"email about their assignment": cls.email_subject,
			"their department": cls.department,
			"draft course": cls.draft,
			"draft course title": frappe.db.get_value(COURSE, cls.draft, "title"),
			"draft lesson": cls.draft_lesson,
		}
		cls.sessions = {
			user: login(user) for user in (cls.learner, cls.desk_learner, cls.creator, cls.hr, cls.moderator)
		}

	@classmethod
	def _draft_course(cls) -> str:
		name = (
			frappe.get_doc(
				{
					"doctype": COURSE,
					"title": unique("Draft course"),
					"published": 0,
					"lessons": [{"title": cls.draft_lesson, "content": "<p>Not yet</p>"}],
					"mandatory_for": [{"department": cls.department}],
				}
			)
			.insert(ignore_permissions=True)  # test data, made as Administrator
			.name
		)
		cls.courses.append(name)
		return name

	@classmethod
	def hr_records(cls):
		"""What HR leaves on the colleague's assignments, as HR does it: a due date extended with a reason,
		a completion recorded with a private evidence file (and a public one attached beside it), a ToDo
		to follow it up, an email and a comment; and the colleague's own digest choice (a DefaultValue)."""
		frappe.set_user(cls.hr)
		try:
			extend_due_date(cls.other, add_days(today(), 40), cls.extension_reason)
			cls.completed = create_assignments(
				[cls.completed_course], [cls.colleague], add_days(today(), 20)
			).created[0]
			evidence = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": cls.evidence_name,
					"content": b"signed sheet",
					"is_private": 1,
				}
			).insert()
			cls.evidence = evidence.name
			record_external_completion(
				today(), "Classroom Session", evidence.file_url, assignment=cls.completed
			)
			cls.public_evidence = (
				frappe.get_doc(
					{
						"doctype": "File",
						"file_name": cls.public_evidence_name,
						"content": b"signed sheet, public",
						"is_private": 0,
						"attached_to_doctype": ASSIGNMENT,
						"attached_to_name": cls.completed,
					}
				)
				.insert()
				.name
			)
			cls.files += [cls.evidence, cls.public_evidence]
			assign_to(
				{
					"assign_to": [cls.hr],
					"doctype": ASSIGNMENT,
					"name": cls.other,
					"description": cls.todo_text,
				}
			)
			for doctype, fields in (
				(
					"Communication",
					{
						"communication_type": "Communication",
						"communication_medium": "Email",
						"sent_or_received": "Sent",
						"subject": cls.email_subject,
						"content": cls.email_subject,
						"sender": cls.hr,
						"recipients": cls.colleague,
					},
				),
				("Comment", {"comment_type": "Comment", "content": cls.comment_text}),
				(
					"Email Queue",
					{
						"message": cls.email_subject,
						"sender": cls.hr,
						"recipients": [{"recipient": cls.colleague}],
					},
				),
			):
				# HR's email, comment and queued message, stored as the desk and the mailer store them (HR
				# may not insert an Email Queue row itself).
				doc = frappe.get_doc(
					{
						"doctype": doctype,
						"reference_doctype": ASSIGNMENT,
						"reference_name": cls.other,
						**fields,
					}
				).insert(ignore_permissions=True)
				cls.hr_rows.append((doctype, doc.name))
		finally:
			frappe.set_user("Administrator")
		frappe.defaults.set_user_default(DIGEST_OPT_IN, "0", cls.colleague)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		assignments = [cls.own, cls.other, cls.completed]
		for doctype, name in cls.hr_rows:
			frappe.db.delete(doctype, {"name": name})
		frappe.db.delete(
			"Email Queue Recipient", {"parent": ("in", [n for d, n in cls.hr_rows if d == "Email Queue"])}
		)
		frappe.db.delete("ToDo", {"reference_type": ASSIGNMENT, "reference_name": ("in", assignments)})
		frappe.db.delete(
			"Notification Log", {"document_type": ASSIGNMENT, "document_name": ("in", assignments)}
		)
		frappe.db.delete("Version", {"ref_doctype": ASSIGNMENT, "docname": ("in", assignments)})
		frappe.db.delete("Comment", {"reference_doctype": ASSIGNMENT, "reference_name": ("in", assignments)})
		frappe.db.delete(EXTENSION, {"parent": ("in", assignments)})
		frappe.db.delete("DefaultValue", {"parent": cls.colleague})
		for file in cls.files:
			frappe.delete_doc("File", file, force=True, ignore_permissions=True)  # clean-up as Administrator
		frappe.db.commit()
		super().tearDownClass()

	# --- helpers ---------------------------------------------------------------------------------

	def call(self, user: str, path: str, verb: str = "GET", **params) -> requests.Response:
		"""A request of `user`'s login session; list and dict parameters go as JSON, as the desk sends them."""
		params = {
			key: json.dumps(value) if isinstance(value, list | dict) else value
			for key, value in params.items()
		}
		return self.sessions[user].request(verb, base_url() + path, params=params, timeout=120)

	def method(self, user: str, method: str, **params) -> requests.Response:
		return self.call(user, METHOD + method, **params)

	def resource(self, user: str, doctype: str, name: str | None = None, **params) -> requests.Response:
		path = f"/api/resource/{doctype}" + (f"/{name}" if name else "")
		return self.call(user, path, **params)

	def assertRevealsNothing(self, response: requests.Response, *keep: str):
		"""None of the colleague's identifying values is in the answer, but those the request sent itself
		(a name the caller typed may come back in a refusal) and the keys named in `keep`."""
		sent = unquote_plus(response.request.url) + unquote_plus(str(response.request.body or ""))
		shown = [
			label
			for label, value in self.secrets.items()
			if label not in keep and value and value not in sent and value in response.text
		]
		self.assertEqual(
			shown,
			[],
			f"{response.request.method} {response.request.url} answered {response.status_code}: "
			f"{response.text[:600]}",
		)

	def frappe_lists(self, user: str, doctype: str) -> tuple[str, ...]:
		"""What Frappe lists that the app cannot hide: the public evidence file, to desk users (see
		test_public_evidence_files_are_not_listed_to_other_desk_users)."""
		return PUBLIC_EVIDENCE if doctype == "File" and user != self.learner else ()

	def assertRefused(self, response: requests.Response):
		self.assertEqual(response.status_code, 403, response.text[:400])
		self.assertRevealsNothing(response)

	def message(self, response: requests.Response):
		self.assertEqual(response.status_code, 200, response.text[:400])
		return response.json().get("message")

	def data(self, response: requests.Response):
		self.assertEqual(response.status_code, 200, response.text[:400])
		return response.json().get("data")

	def test_every_override_of_a_frappe_method_is_called_here(self):
		# The permission matrix and the fuzz leave these out (tests/http.py whitelisted_methods): this
		# module is where they are tested, each by the path Frappe answers it under.
		import pathlib

		from smooth_lms import hooks

		source = pathlib.Path(__file__).read_text()
		for frappe_path in hooks.override_whitelisted_methods:
			self.assertIn(f'"{frappe_path}"', source, f"{frappe_path} is overridden but never called here")

	# --- frappe.client ---------------------------------------------------------------------------

	def test_client_get_list_lists_only_own_rows_whatever_the_fields_and_filters(self):
		for params in list_queries(self):
			for user in (self.learner, self.desk_learner):
				with self.subTest(params=params, user=user):
					response = self.method(
						user, "frappe.client.get_list", doctype=ASSIGNMENT, limit_page_length=0, **params
					)
					self.assertRevealsNothing(response)
		listed = self.message(self.method(self.learner, "frappe.client.get_list", doctype=ASSIGNMENT))
		self.assertEqual([row["name"] for row in listed], [self.own])

	def test_client_get_count_counts_only_what_the_caller_lists(self):
		# Frappe counts with frappe.db.count, without any permission: the override counts get_list's rows.
		counts = [
			(ASSIGNMENT, None, 1),
			(ASSIGNMENT, {"employee": self.colleague}, 0),
			(ASSIGNMENT, [["employee", "like", f"{self.colleague[:12]}%"]], 0),
			(ASSIGNMENT, {"name": self.other}, 0),
			(ENROLLMENT, {"member": self.colleague}, 0),
			(COURSE_PROGRESS, {"member": self.colleague}, 0),
			(COURSE_PROGRESS, None, 1),
			(COURSE, {"name": self.draft}, 0),
			("ToDo", {"reference_name": self.other}, 0),
			("File", {"attached_to_name": self.completed}, 0),
			("Communication", {"reference_name": self.other}, 0),
			("Notification Log", {"document_name": self.other}, 0),
		]
		for path in (METHOD, "/api/v2/method/"):
			for doctype, filters, expected in counts:
				with self.subTest(path=path, doctype=doctype, filters=filters):
					params = {"doctype": doctype, **({"filters": filters} if filters else {})}
					response = self.call(self.learner, path + "frappe.client.get_count", **params)
					body = response.json()
					self.assertEqual(response.status_code, 200, response.text[:300])
					self.assertEqual(body.get("message", body.get("data")), expected)
		# DocTypes the learner does not read: refused, not counted.
		for doctype in (EXTENSION, "Comment", "Version", "Email Queue", EMPLOYEE, ONBOARDING_TRAINING):
			with self.subTest(doctype=doctype):
				response = self.method(
					self.learner, "frappe.client.get_count", doctype=doctype, filters={"name": ("is", "set")}
				)
				self.assertRefused(response)

	def test_client_get_by_filters_finds_nothing_of_a_colleague(self):
		# Frappe loads the first match, then refuses naming it ("... : LMS Training Assignment - TA-0042").
		for filters in (
			{"employee": self.colleague},
			[["employee", "like", f"{self.colleague[:12]}%"]],
			{"course": self.completed_course},
		):
			for path in (METHOD, "/api/v2/method/"):
				with self.subTest(filters=filters, path=path):
					response = self.call(
						self.learner, path + "frappe.client.get", doctype=ASSIGNMENT, filters=filters
					)
					self.assertEqual(response.status_code, 404, response.text[:300])
					self.assertRevealsNothing(response)
		own = self.message(
			self.method(
				self.learner, "frappe.client.get", doctype=ASSIGNMENT, filters={"course": self.published}
			)
		)
		self.assertEqual(own["name"], self.own)

	def test_client_get_and_get_value_of_a_colleagues_rows(self):
		self.assertRefused(
			self.method(self.learner, "frappe.client.get", doctype=ASSIGNMENT, name=self.other)
		)
		self.assertRefused(
			self.method(self.learner, "frappe.client.get", doctype=ENROLLMENT, name=self.other_enrollment)
		)
		self.assertRefused(
			self.method(self.learner, "frappe.client.get", doctype=COURSE_PROGRESS, name=self.other_progress)
		)
		self.assertRefused(self.method(self.learner, "frappe.client.get", doctype=COURSE, name=self.draft))
		for doctype, fieldname, filters, parent in (
			(ASSIGNMENT, "employee", self.other, None),
			(ASSIGNMENT, ["name", "employee", "due_date"], {"employee": self.colleague}, None),
			(ASSIGNMENT, ["name", "employee"], [["employee", "!=", self.learner]], None),
			(ENROLLMENT, ["name", "member"], {"member": self.colleague}, None),
			(COURSE, ["name", "title"], {"published": 0}, None),
			(EXTENSION, ["parent", "reason"], {"parent": self.other}, ASSIGNMENT),
			(EXTENSION, ["parent", "reason"], {"parent": ("is", "set")}, ASSIGNMENT),
			(LESSON, ["parent", "title"], {"parent": self.draft}, COURSE),
			(AUDIENCE, ["parent", "department"], {"department": ("is", "set")}, COURSE),
		):
			with self.subTest(doctype=doctype, filters=filters):
				params = {"doctype": doctype, "fieldname": fieldname, "filters": filters}
				response = self.method(
					self.learner,
					"frappe.client.get_value",
					**params,
					**({"parent": parent} if parent else {}),
				)
				self.assertEqual(self.message(response), {})
		self.assertRefused(
			self.method(
				self.learner, "frappe.client.get_single_value", doctype=SETTINGS, field="onboarding_due_days"
			)
		)

	def test_child_rows_by_name_are_read_as_their_parent_document(self):
		# Frappe checks a child row loaded on its own against the parent DocType, not the parent document
		# (framework.child_rows): the extension of anyone's assignment, the lessons of any draft.
		rows = {
			(EXTENSION, ASSIGNMENT): frappe.db.get_value(EXTENSION, {"parent": self.other}),
			(LESSON, COURSE): frappe.db.get_value(LESSON, {"parent": self.draft}),
			(AUDIENCE, COURSE): frappe.db.get_value(AUDIENCE, {"parent": self.draft}),
			("Has Role", USER): frappe.db.get_value("Has Role", {"parent": self.colleague}),
			("DefaultValue", USER): frappe.db.get_value("DefaultValue", {"parent": self.colleague}),
		}
		for (doctype, parent), row in rows.items():
			self.assertTrue(row, doctype)
			for user in (self.learner, self.desk_learner):
				for response in (
					self.resource(user, doctype, row),
					self.call(user, f"/api/v2/document/{doctype}/{row}/"),
					self.method(user, "frappe.client.get", doctype=doctype, name=row, parent=parent),
					self.call(
						user, "/api/v2/method/frappe.client.get", doctype=doctype, name=row, parent=parent
					),
					self.method(user, "frappe.desk.form.load.getdoc", doctype=doctype, name=row),
				):
					with self.subTest(doctype=doctype, user=user, url=response.request.url):
						self.assertIn(response.status_code, (403, 404), response.text[:300])
						self.assertRevealsNothing(response)
		# Those who read the parent read the row.
		extension = self.data(self.resource(self.hr, EXTENSION, rows[EXTENSION, ASSIGNMENT]))
		self.assertEqual(extension["reason"], self.extension_reason)
		lesson = self.data(self.resource(self.creator, LESSON, rows[LESSON, COURSE]))
		self.assertEqual(lesson["title"], self.draft_lesson)
		published = frappe.db.get_value(LESSON, {"parent": self.published})
		self.assertEqual(self.data(self.resource(self.learner, LESSON, published))["parent"], self.published)

	def test_validate_link_answers_no_value_of_a_colleagues_record(self):
		# Frappe answers {"name": ...} for any existing name of a DocType the caller reads: the name they
		# typed, as /api/resource answers 403 rather than 404 for it (the permission matrix). No value of
		# the record comes back.
		for doctype, name, fields in (
			(ASSIGNMENT, self.other, ["employee", "employee_name", "status", "due_date"]),
			(ENROLLMENT, self.other_enrollment, ["member", "member_name"]),
			(COURSE, self.draft, ["title", "short_introduction"]),
			(USER, self.colleague, ["full_name", "user_type"]),
		):
			with self.subTest(doctype=doctype):
				response = self.method(
					self.learner, "frappe.client.validate_link", doctype=doctype, docname=name, fields=fields
				)
				self.assertLessEqual(set(self.message(response)), {"name"})
				self.assertRevealsNothing(response)
		own = self.message(
			self.method(
				self.learner,
				"frappe.client.validate_link",
				doctype=ASSIGNMENT,
				docname=self.own,
				fields=["employee"],
			)
		)
		self.assertEqual(own["employee"], self.learner)

	# --- frappe.desk.reportview and listview -----------------------------------------------------

	def test_reportview_lists_counts_and_groups_only_own_rows(self):
		for method in ("frappe.desk.reportview.get", "frappe.desk.reportview.get_list"):
			for params in list_queries(self):
				with self.subTest(method=method, params=params):
					response = self.method(self.learner, method, doctype=ASSIGNMENT, **params)
					self.assertRevealsNothing(response)
		self.assertIn(
			self.own,
			self.method(self.learner, "frappe.desk.reportview.get", doctype=ASSIGNMENT, fields=["name"]).text,
		)
		for params in (
			{"filters": {"employee": self.colleague}},
			{"filters": {"employee": self.colleague}, "distinct": 1, "limit": 10},
			{},
		):
			with self.subTest(params=params):
				count = self.message(
					self.method(
						self.learner, "frappe.desk.reportview.get_count", doctype=ASSIGNMENT, **params
					)
				)
				self.assertEqual(count, 0 if params else 1)
		self.assertEqual(
			self.data(
				self.call(
					self.learner, f"/api/v2/doctype/{ASSIGNMENT}/count", filters={"employee": self.colleague}
				)
			),
			0,
		)
		stats = ["employee", "employee_name", "status", "course", "_user_tags", "_assign"]
		for method, params in (
			("frappe.desk.reportview.get_sidebar_stats", {"stats": stats}),
			("frappe.desk.reportview.get_stats", {"stats": stats}),
			(
				"frappe.desk.reportview.get_filter_dashboard_data",
				{
					"stats": [
						{"name": "employee", "type": "Link"},
						{"name": "employee_name", "type": "Data"},
					],
					"filters": [],
				},
			),
		):
			with self.subTest(method=method):
				response = self.method(self.learner, method, doctype=ASSIGNMENT, **params)
				self.assertIn(self.learner, response.text)
				self.assertRevealsNothing(response)
		# Exporting needs the export right, which a learner has not.
		exported = self.method(
			self.learner,
			"frappe.desk.reportview.export_query",
			doctype=ASSIGNMENT,
			file_format_type="CSV",
			fields=["name", "employee"],
		)
		self.assertRefused(exported)

	def test_group_by_counts_only_own_rows(self):
		# v15 has it in listview only: the reportview path is not a method at all.
		self.assertRevealsNothing(
			self.method(
				self.learner,
				"frappe.desk.reportview.get_group_by_count",
				doctype=ASSIGNMENT,
				current_filters=[],
				field="employee",
			)
		)
		by_employee = self.message(
			self.method(
				self.learner,
				"frappe.desk.listview.get_group_by_count",
				doctype=ASSIGNMENT,
				current_filters=[],
				field="employee",
			)
		)
		self.assertEqual(by_employee, [{"count": 1, "name": self.learner}])
		# By assignee Frappe counts the ToDos of every row matching the filters, with no permission: the
		# colleague's assignment showed who follows it up.
		for user in (self.learner, self.desk_learner):
			with self.subTest(user=user):
				response = self.method(
					user,
					"frappe.desk.listview.get_group_by_count",
					doctype=ASSIGNMENT,
					current_filters={"employee": self.colleague},
					field="assigned_to",
				)
				self.assertEqual(self.message(response), [])
		self.assertRefused(
			self.method(
				self.creator,
				"frappe.desk.listview.get_group_by_count",
				doctype=ASSIGNMENT,
				current_filters={"employee": self.colleague},
				field="assigned_to",
			)
		)
		followed = self.method(
			self.hr,
			"frappe.desk.listview.get_group_by_count",
			doctype=ASSIGNMENT,
			current_filters={"employee": self.colleague},
			field="assigned_to",
		)
		self.assertEqual(self.message(followed), [{"name": self.hr, "count": 1}])

	# --- frappe.desk.search ----------------------------------------------------------------------

	def test_link_search_finds_only_what_the_caller_reads(self):
		# With ignore_user_permissions=1 Frappe searched with ignore_permissions: every row of the DocType.
		searched = (
			(ASSIGNMENT, None, ["name", "employee", "due_date"]),
			(ENROLLMENT, None, ["name", "member"]),
			(COURSE_PROGRESS, None, ["name", "member"]),
			(COURSE, None, ["name", "title"]),
			(EMPLOYEE, None, ["name", "user_id"]),
			(USER, None, ["name"]),
			(ONBOARDING_TRAINING, None, ["name", "user"]),
			("File", None, ["name", "file_name", "attached_to_name"]),
			("ToDo", None, ["name", "description", "reference_name"]),
			("Communication", None, ["name", "subject", "reference_name"]),
			(EXTENSION, ASSIGNMENT, ["parent", "reason"]),
			(LESSON, COURSE, ["parent", "title"]),
			(AUDIENCE, COURSE, ["parent", "department"]),
			("Has Role", USER, ["parent", "role"]),
			("DefaultValue", USER, ["parent", "defkey"]),
		)
		for doctype, reference, fields in searched:
			for ignore in (0, 1):
				for user in (self.learner, self.desk_learner):
					with self.subTest(doctype=doctype, ignore_user_permissions=ignore, user=user):
						common = {
							"doctype": doctype,
							"txt": "",
							"page_length": 1000,
							"ignore_user_permissions": ignore,
							"reference_doctype": reference or "",
						}
						keep = self.frappe_lists(user, doctype)
						self.assertRevealsNothing(
							self.method(user, "frappe.desk.search.search_link", **common), *keep
						)
						self.assertRevealsNothing(
							self.method(
								user, "frappe.desk.search.search_widget", filter_fields=fields, **common
							),
							*keep,
						)
		for ignore in (0, 1):
			found = self.message(
				self.method(
					self.learner,
					"frappe.desk.search.search_link",
					doctype=ASSIGNMENT,
					txt="",
					ignore_user_permissions=ignore,
				)
			)
			self.assertEqual([row["value"] for row in found], [self.own])

	# --- frappe.desk.form ------------------------------------------------------------------------

	def test_a_colleagues_assignment_and_its_timeline_are_refused(self):
		for user in (self.learner, self.desk_learner):
			for method, params in (
				("frappe.desk.form.load.getdoc", {"doctype": ASSIGNMENT, "name": self.other}),
				("frappe.desk.form.load.getdoc", {"doctype": ASSIGNMENT, "name": self.completed}),
				("frappe.desk.form.load.get_docinfo", {"doctype": ASSIGNMENT, "name": self.other}),
				("frappe.desk.form.load.get_docinfo", {"doctype": ASSIGNMENT, "name": self.completed}),
				("frappe.desk.form.load.get_communications", {"doctype": ASSIGNMENT, "name": self.other}),
				("frappe.desk.form.load.getdoc", {"doctype": COURSE_PROGRESS, "name": self.other_progress}),
				("frappe.desk.form.load.getdoc", {"doctype": COURSE, "name": self.draft}),
			):
				with self.subTest(user=user, method=method, params=params):
					self.assertRefused(self.method(user, method, **params))
		own = self.method(self.learner, "frappe.desk.form.load.getdoc", doctype=ASSIGNMENT, name=self.own)
		self.assertEqual(own.json()["docs"][0]["name"], self.own)
		self.assertRevealsNothing(own)
		self.assertRevealsNothing(
			self.method(self.learner, "frappe.desk.form.load.get_docinfo", doctype=ASSIGNMENT, name=self.own)
		)

	def test_links_from_a_course_or_a_user_list_only_own_rows(self):
		from_course = self.method(
			self.learner, "frappe.desk.form.linked_with.get", doctype=COURSE, docname=self.published
		)
		# Frappe refuses the whole answer once one DocType linking to courses is unreadable to the caller
		# (Comment, as soon as a comment refers to a course); when it answers, the rows are the learner's.
		if from_course.status_code == 200:
			self.assertEqual([row["name"] for row in from_course.json()["message"][ASSIGNMENT]], [self.own])
		self.assertRevealsNothing(from_course)
		for doctype, name in (
			(USER, self.colleague),
			(USER, self.learner),
			(COURSE, self.draft),
			(COURSE, self.completed_course),
			(ASSIGNMENT, self.other),
		):
			with self.subTest(doctype=doctype, name=name):
				self.assertRevealsNothing(
					self.method(
						self.learner, "frappe.desk.form.linked_with.get", doctype=doctype, docname=name
					)
				)
		linkinfo = {
			ASSIGNMENT: {"fieldname": ["course"]},
			ENROLLMENT: {"filters": {"member": self.colleague}},
		}
		self.assertRefused(
			self.method(
				self.learner,
				"frappe.desk.form.linked_with.get_linked_docs",
				doctype=COURSE,
				name=self.published,
				linkinfo=linkinfo,
			)
		)

	def test_previous_and_next_never_start_from_a_colleagues_record(self):
		# Frappe read the colleague's sort field without permission and answered with the learner's row
		# before or after it: an oracle on their email, dates and names, a comparison at a time.
		for user in (self.learner, self.creator):
			for field in ("employee", "name", "modified", "due_date", "course"):
				for order in ("asc", "desc"):
					for prev in (0, 1):
						with self.subTest(user=user, field=field, order=order, prev=prev):
							response = self.method(
								user,
								"frappe.desk.form.utils.get_next",
								doctype=ASSIGNMENT,
								value=self.other,
								prev=prev,
								sort_order=order,
								sort_field=field,
							)
							self.assertRefused(response)
							self.assertNotIn(self.own, response.text)
		own = self.method(
			self.learner, "frappe.desk.form.utils.get_next", doctype=ASSIGNMENT, value=self.own, prev=0
		)
		self.assertEqual(own.status_code, 200, own.text[:300])

	def test_the_apps_reports_are_refused(self):
		for report in REPORTS:
			for method in ("frappe.desk.query_report.run", "frappe.desk.query_report.export_query"):
				with self.subTest(report=report, method=method):
					params = {
						"report_name": report,
						"filters": {},
						"file_format_type": "CSV",
						"visible_idx": [],
					}
					self.assertRefused(self.method(self.learner, method, **params))
					self.assertRefused(self.method(self.creator, method, **params))
		self.assertIn(
			self.colleague,
			self.method(
				self.hr, "frappe.desk.query_report.run", report_name="Training History", filters={}
			).text,
		)

	# --- /api/resource ---------------------------------------------------------------------------

	def test_frappes_records_about_a_colleague_are_not_listed(self):
		for doctype in (*FRAPPE_DOCTYPES, EMPLOYEE, ONBOARDING_TRAINING, EXTENSION, LESSON, AUDIENCE):
			for user in (self.learner, self.desk_learner):
				with self.subTest(doctype=doctype, user=user):
					response = self.resource(user, doctype, fields=["*"], limit_page_length=0)
					self.assertRevealsNothing(response, *self.frappe_lists(user, doctype))
		self.assertIn(
			self.learner,
			self.resource(self.learner, "Has Role", fields=["*"], parent=USER, limit_page_length=0).text,
		)

	def test_child_rows_are_listed_only_with_their_parent(self):
		# Frappe lists a child table's rows of every parent to anyone who reads the parent DocType (the
		# User's: every user reads their own User document, shared with them).
		children = (
			(EXTENSION, ASSIGNMENT),
			(LESSON, COURSE),
			(AUDIENCE, COURSE),
			("Has Role", USER),
			("DefaultValue", USER),
		)
		for doctype, parent in children:
			for user in (self.learner, self.desk_learner):
				with self.subTest(doctype=doctype, user=user):
					params = {"fields": ["*"], "parent": parent, "limit_page_length": 0}
					self.assertRevealsNothing(self.resource(user, doctype, **params))
					self.assertRevealsNothing(
						self.method(user, "frappe.client.get_list", doctype=doctype, **params)
					)
					self.assertRevealsNothing(self.call(user, f"/api/v2/document/{doctype}", **params))
		lessons = self.data(
			self.resource(
				self.learner, LESSON, fields=["parent", "title"], parent=COURSE, limit_page_length=0
			)
		)
		self.assertIn(self.published, {row["parent"] for row in lessons})
		roles = self.data(
			self.resource(
				self.learner, "Has Role", fields=["parent", "role"], parent=USER, limit_page_length=0
			)
		)
		self.assertIn({"parent": self.learner, "role": "LMS Student"}, roles)

	def test_evidence_files_are_refused_private_or_public(self):
		for user in (self.learner, self.desk_learner, self.creator):
			for file in (self.evidence, self.public_evidence):
				with self.subTest(user=user, file=file):
					self.assertRefused(self.resource(user, "File", file))
					self.assertRefused(self.method(user, "frappe.client.get", doctype="File", name=file))
			url = frappe.db.get_value("File", self.evidence, "file_url")
			download = self.call(user, url)
			self.assertNotIn(b"signed sheet", download.content)

	def test_evidence_files_are_not_listed_to_other_desk_users(self):
		# The private one: Frappe lists to a desk user every file attached to a DocType they may read
		# (a learner reads LMS Training Assignment: their own rows).
		for user in (self.desk_learner, self.creator):
			with self.subTest(user=user):
				response = self.resource(
					user, "File", fields=["name", "file_name", "attached_to_name"], limit_page_length=0
				)
				self.assertRevealsNothing(response, *PUBLIC_EVIDENCE)
		listed = self.resource(
			self.hr,
			"File",
			fields=["name", "file_name"],
			filters={"attached_to_name": self.completed},
			limit_page_length=0,
		)
		self.assertEqual({row["name"] for row in self.data(listed)}, {self.evidence, self.public_evidence})

	@unittest.expectedFailure
	def test_public_evidence_files_are_not_listed_to_other_desk_users(self):
		# Frappe's File rule (frappe/core/doctype/file/file.py, get_permission_query_conditions) for a desk
		# user is `(is_private = 0) OR (...) OR (attached_to_doctype IN (...))` without enclosing brackets,
		# and DatabaseQuery.get_permission_query_conditions joins every app's condition with " and ": the
		# app's condition binds to the last OR term only, so a public file matches whatever the app adds.
		# has_file_permission refuses the File document itself (test above); only the list shows it. Keep
		# evidence private (the desk's default for an assignment's Attach field), or patch Frappe's rule.
		for user in (self.desk_learner, self.creator):
			response = self.resource(
				user, "File", fields=["name", "file_name", "attached_to_name"], limit_page_length=0
			)
			self.assertRevealsNothing(response)

	def test_fields_and_filters_that_reach_other_tables_reveal_nothing(self):
		reaching = (
			(ENROLLMENT, {"fields": ["name", f"`tab{ASSIGNMENT}`.`employee`"]}),
			(COURSE, {"fields": ["name", f"`tab{ASSIGNMENT}`.`employee`"]}),
			(COURSE, {"fields": ["name"], "filters": [[ASSIGNMENT, "employee", "=", self.colleague]]}),
			(COURSE, {"fields": ["name", f"`tab{LESSON}`.`title`", f"`tab{AUDIENCE}`.`department`"]}),
			(COURSE, {"fields": ["name"], "filters": [[LESSON, "title", "=", self.draft_lesson]]}),
			(
				COURSE,
				{
					"fields": ["name"],
					"or_filters": [[AUDIENCE, "department", "=", self.department], ["published", "=", 0]],
				},
			),
			(
				ENROLLMENT,
				{"fields": ["name", "member", "course.title", "count(name) as total"], "group_by": "member"},
			),
			(
				ASSIGNMENT,
				{
					"fields": [
						"name",
						"renewal_of.employee",
						"enrollment.member",
						"course.title",
						"assigned_by.email",
					]
				},
			),
			(
				COURSE_PROGRESS,
				{
					"fields": ["name", "member", "lesson_title"],
					"or_filters": [["member", "=", self.colleague], ["name", "like", "%"]],
				},
			),
			(
				EXTENSION,
				{"fields": ["parent", "reason", f"`tab{ASSIGNMENT}`.`employee`"], "parent": ASSIGNMENT},
			),
		)
		for doctype, params in reaching:
			for method in ("frappe.client.get_list", "frappe.desk.reportview.get"):
				with self.subTest(doctype=doctype, params=params, method=method):
					self.assertRevealsNothing(self.method(self.learner, method, doctype=doctype, **params))

	# --- the other roles, by SPEC ----------------------------------------------------------------

	def test_course_creator_reads_no_assignment_and_no_ones_lesson_progress(self):
		for doctype in (ASSIGNMENT, COURSE_PROGRESS):
			for method, params in (
				("frappe.client.get_list", {"fields": ["name"]}),
				("frappe.client.get_count", {}),
				("frappe.desk.reportview.get_count", {}),
				("frappe.desk.reportview.get", {"fields": ["name"]}),
				("frappe.desk.search.search_link", {"txt": "", "ignore_user_permissions": 1}),
				(
					"frappe.desk.search.search_widget",
					{"txt": "", "ignore_user_permissions": 1, "filter_fields": ["name"]},
				),
				("frappe.desk.listview.get_group_by_count", {"current_filters": [], "field": "assigned_to"}),
			):
				with self.subTest(doctype=doctype, method=method):
					self.assertRefused(self.method(self.creator, method, doctype=doctype, **params))
		self.assertRefused(
			self.method(
				self.creator,
				"frappe.client.get_list",
				doctype=EXTENSION,
				parent=ASSIGNMENT,
				fields=["parent", "reason"],
			)
		)
		self.assertRefused(
			self.method(self.creator, "frappe.desk.form.load.getdoc", doctype=ASSIGNMENT, name=self.other)
		)
		# Course Creators build courses: drafts and their lessons are theirs to read.
		lessons = self.message(
			self.method(
				self.creator,
				"frappe.client.get_list",
				doctype=LESSON,
				parent=COURSE,
				fields=["parent", "title"],
				limit_page_length=0,
			)
		)
		self.assertIn({"parent": self.draft, "title": self.draft_lesson}, lessons)

	def test_hr_reads_every_assignment_and_its_rows_but_no_ones_lesson_progress(self):
		theirs = self.message(
			self.method(
				self.hr, "frappe.client.get_list", doctype=ASSIGNMENT, filters={"employee": self.colleague}
			)
		)
		self.assertEqual({row["name"] for row in theirs}, {self.other, self.completed})
		self.assertEqual(
			self.message(
				self.method(
					self.hr,
					"frappe.client.get_count",
					doctype=ASSIGNMENT,
					filters={"employee": self.colleague},
				)
			),
			2,
		)
		found = self.message(
			self.method(
				self.hr,
				"frappe.desk.search.search_link",
				doctype=ASSIGNMENT,
				txt=self.other,
				ignore_user_permissions=1,
			)
		)
		self.assertIn(self.other, [row["value"] for row in found])
		extensions = self.message(
			self.method(
				self.hr,
				"frappe.client.get_list",
				doctype=EXTENSION,
				parent=ASSIGNMENT,
				fields=["parent", "reason"],
				filters={"parent": self.other},
			)
		)
		self.assertEqual(extensions, [{"parent": self.other, "reason": self.extension_reason}])
		self.assertIn(
			self.comment_text,
			self.method(
				self.hr, "frappe.desk.form.load.get_docinfo", doctype=ASSIGNMENT, name=self.other
			).text,
		)
		for method, params in (
			("frappe.client.get_list", {"fields": ["name", "member"]}),
			("frappe.client.get_count", {}),
			("frappe.desk.search.search_link", {"txt": "", "ignore_user_permissions": 1}),
		):
			with self.subTest(method=method):
				self.assertRefused(self.method(self.hr, method, doctype=COURSE_PROGRESS, **params))
		self.assertRefused(
			self.method(self.hr, "frappe.client.get", doctype=COURSE_PROGRESS, name=self.other_progress)
		)

	def test_lesson_progress_is_read_by_its_learner_and_moderators_only(self):
		own = self.message(
			self.method(
				self.learner, "frappe.client.get_list", doctype=COURSE_PROGRESS, fields=["name", "member"]
			)
		)
		self.assertEqual(own, [{"name": self.own_progress, "member": self.learner}])
		theirs = self.message(
			self.method(
				self.moderator,
				"frappe.client.get_list",
				doctype=COURSE_PROGRESS,
				filters={"member": self.colleague},
				fields=["name"],
			)
		)
		self.assertEqual(theirs, [{"name": self.other_progress}])


# Frappe's DocTypes that hold something about a learner's records, listed over /api/resource.
FRAPPE_DOCTYPES = (
	"Version",
	"Comment",
	"File",
	"Communication",
	"Communication Link",
	"Email Queue",
	"Email Queue Recipient",
	"Notification Log",
	"ToDo",
	"DefaultValue",
	"Has Role",
	"DocShare",
	"Tag Link",
	"View Log",
	"Access Log",
	"Activity Log",
	"Deleted Document",
)
# The public evidence file and what its File row shows (test_public_evidence_files_...).
PUBLIC_EVIDENCE = ("public evidence file", "public evidence File", "colleague's completed assignment")


def list_queries(case: TestGenericEndpoints) -> list[dict]:
	"""get_list / reportview arguments a learner might try on LMS Training Assignment: filters, or_filters,
	group_by and aggregates, child-table fields and filters, link fields."""
	colleague = case.colleague
	return [
		{"fields": ["name", "employee", "employee_name", "course", "status"]},
		{"fields": ["*"]},
		{"fields": ["name"], "filters": {"employee": colleague}},
		{"fields": ["name", "employee"], "or_filters": [["employee", "=", colleague], ["name", "like", "%"]]},
		{
			"fields": ["name"],
			"filters": [["employee", "like", "%"]],
			"or_filters": {"employee": colleague, "name": case.other},
		},
		{"fields": ["employee", "count(name) as total"], "group_by": "employee"},
		{"fields": ["status", "max(employee) as last", "min(employee_name) as first"], "group_by": "status"},
		{"fields": ["name", f"`tab{EXTENSION}`.`reason`", f"`tab{EXTENSION}`.`parent`"]},
		{"fields": ["name"], "filters": [[EXTENSION, "reason", "like", "%"]]},
		{"fields": ["name", "renewal_of.employee", "enrollment.member", "course.title"]},
	]
