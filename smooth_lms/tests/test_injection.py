"""Stored and caller text reaches people as text, never as markup: the portal pages, the learner emails
and the messages the server answers with. Frappe's Jinja does not autoescape and its messages are HTML,
so each page is read over HTTP as its user and parsed as a browser's tokenizer reads it; each email is
read from the real Email Queue. The same data in a real browser: test_injection_browser.py.

The payloads (factories.HOSTILE) carry a mark, window.__xss, that only turns into a handler or a script
where something printed them as markup."""

import json
from urllib.parse import quote

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctypes import QUESTION, QUIZ_ATTEMPT
from smooth_lms.lms.notifications.learner_emails import send_assignment_emails, send_training_reminders
from smooth_lms.lms.quiz import acknowledge, start_quiz, submit_quiz
from smooth_lms.lms.quiz.acknowledgements import full_name
from smooth_lms.tests.emails import forget_email_accounts, queued_emails, use_outgoing_email_account
from smooth_lms.tests.factories import (
	as_user,
	make_question,
	make_quiz,
	make_user,
	run_jobs_enqueued_after_commit,
	set_lesson,
)
from smooth_lms.tests.hostile import HOSTILE, Markup, TextNotMarkup, make_hostile_course, name_user
from smooth_lms.tests.http import RestCase, base_url, login

ASSIGNMENT = "LMS Training Assignment"
# Typed into a title as text: entities, not tags, so Frappe stores it as typed.
TITLE_BREAKER = "&lt;/title&gt;&lt;img src=x onerror=window.__xss=5&gt;"


# --- Portal pages --------------------------------------------------------------------------------


class TestPortalPagesPrintTextAsText(RestCase, TextNotMarkup):
	"""/lms/courses, every course page and /lms/statistics with every payload in every text."""

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
		frappe.db.commit()

	def get(self, user: str | None, path: str, status: int = 200) -> str:
		response = login(user).get(base_url() + path, timeout=60)
		self.assertEqual(response.status_code, status, path)
		return response.text

	def texts_of(self, course: str) -> list[str]:
		"""The course's texts as stored: what the page must show, character for character."""
		doc = frappe.get_doc("LMS Course", course)
		return [doc.title, doc.short_introduction, *(lesson.title for lesson in doc.lessons)]

	def test_courses_page_shows_every_title_as_text(self):
		titles = [frappe.db.get_value("LMS Course", name, "title") for name in self.hostile.values()]
		for user in (self.learner, None):
			html = self.get(user, "/lms/courses")
			self.assertPrintedAsText(html, *titles, where=f"/lms/courses as {user}")
		self.assertIn("{{ 7*7 }} {% raw %}", Markup(html).text)  # Jinja never evaluates what it prints

	def test_course_pages_show_titles_introductions_and_lessons_as_text(self):
		for key, course in self.hostile.items():
			for user in (self.learner, None):
				html = self.get(user, f"/lms/courses/{quote(course)}")
				self.assertPrintedAsText(html, *self.texts_of(course), where=f"{key} as {user}")

	def test_statistics_page_shows_course_titles_as_text(self):
		# The page shows the title the assignments copied.
		titles = [
			frappe.db.get_value(ASSIGNMENT, {"course": c}, "course_title") for c in self.hostile.values()
		]
		self.assertPrintedAsText(self.get(self.hr, "/lms/statistics"), *titles)

	def test_an_address_naming_no_course_is_not_echoed_as_markup(self):
		for payload in HOSTILE.values():
			html = self.get(self.learner, "/lms/courses/" + quote(payload, safe=""), status=404)
			self.assertPrintedAsText(html, where=payload)


# --- The server's messages -----------------------------------------------------------------------


class TestMessagesPrintTextAsText(RestCase, TextNotMarkup):
	"""Refusals and summaries are HTML on the desk and the portal: what the caller sent, and what is
	stored, goes into them as text."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.learner = cls.user()
		cls.moderator = cls.user("Moderator")
		cls.hr = cls.user("HR Manager")
		cls.closed = make_hostile_course(HOSTILE["tag"], raw=True, disable_self_learning=1)
		cls.draft = make_hostile_course(HOSTILE["tag"], raw=True, published=0)
		cls.open = cls.course()
		cls.courses += [cls.closed, cls.draft]
		create_assignments([cls.open], [cls.learner], add_days(today(), 10))
		frappe.db.commit()

	def call(self, user: str, method: str, **data) -> list[str]:
		"""POST a method as `user`; the messages of the answer (it must have some)."""
		response = login(user).post(f"{base_url()}/api/method/{method}", json=data, timeout=60)
		messages = [
			json.loads(m).get("message", "")
			for m in json.loads(response.json().get("_server_messages", "[]"))
		]
		self.assertTrue(messages, response.text)
		return messages

	def assertMessagesPrint(self, messages: list[str], text: str):
		for message in messages:
			self.assertPrintedAsText(message, where=message)
		self.assertIn(text, " ".join(Markup(message).text for message in messages))

	def title(self, course: str) -> str:
		return frappe.db.get_value("LMS Course", course, "title")

	def test_self_enrolment_refusal_names_the_course_as_text(self):
		messages = self.call(self.learner, "smooth_lms.lms.portal.catalogue.enrol_self", course=self.closed)
		self.assertMessagesPrint(messages, self.title(self.closed))

	def test_an_unknown_course_is_named_as_text(self):
		for user, method, extra in (
			(self.learner, "smooth_lms.lms.portal.catalogue.enrol_self", {}),
			(
				self.moderator,
				"smooth_lms.lms.hrms_integration.assign_mandatory_training",
				{"employees": [self.learner], "due_date": add_days(today(), 5)},
			),
		):
			with self.subTest(method=method):
				messages = self.call(user, method, course=HOSTILE["tag"], **extra)
				self.assertMessagesPrint(messages, HOSTILE["tag"])

	def test_a_draft_is_named_by_its_title_as_text(self):
		messages = self.call(
			self.moderator,
			"smooth_lms.lms.hrms_integration.assign_mandatory_training",
			course=self.draft,
			employees=[self.learner],
			due_date=add_days(today(), 5),
		)
		self.assertMessagesPrint(messages, self.title(self.draft))

	def test_an_invalid_due_date_is_quoted_as_text(self):
		messages = self.call(
			self.moderator,
			"smooth_lms.lms.hrms_integration.assign_mandatory_training",
			course=self.open,
			employees=[self.learner],
			due_date=HOSTILE["tag"],
		)
		self.assertMessagesPrint(messages, HOSTILE["tag"])

	def test_the_assignment_summary_lists_unknown_users_as_text(self):
		messages = self.call(
			self.moderator,
			"smooth_lms.lms.hrms_integration.assign_mandatory_training",
			course=self.open,
			employees=[HOSTILE["tag"], HOSTILE["quote"]],
			due_date=add_days(today(), 5),
		)
		self.assertMessagesPrint(messages, HOSTILE["tag"])
		self.assertMessagesPrint(messages, HOSTILE["quote"])

	def test_lesson_refusals_quote_course_and_lesson_as_text(self):
		for course, lesson in ((HOSTILE["tag"], "x"), (self.open, HOSTILE["tag"])):
			with self.subTest(course=course, lesson=lesson):
				messages = self.call(
					self.learner,
					"smooth_lms.lms.learning.progress.mark_lesson_complete",
					course=course,
					lesson=lesson,
				)
				self.assertMessagesPrint(messages, HOSTILE["tag"])

	def test_an_invalid_status_filter_is_quoted_as_text(self):
		messages = self.call(
			self.hr, "smooth_lms.lms.hrms_integration.get_team_training_status", status=HOSTILE["tag"]
		)
		self.assertMessagesPrint(messages, HOSTILE["tag"])

	def test_an_invalid_report_grouping_is_quoted_as_text(self):
		messages = self.call(
			self.hr,
			"frappe.desk.query_report.run",
			report_name="Mandatory Training Compliance",
			filters=json.dumps({"group_by": HOSTILE["tag"]}),
		)
		self.assertMessagesPrint(messages, HOSTILE["tag"])


# --- Learner emails ------------------------------------------------------------------------------


class TestEmailsPrintTextAsText(FrappeTestCase, TextNotMarkup):
	"""The new-assignment email and the daily reminder, with every payload in the course titles and the
	learner's name, read back from the Email Queue."""

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("injection_emails")
		use_outgoing_email_account()

		def restore():
			frappe.db.rollback(save_point="injection_emails")
			forget_email_accounts()

		self.addCleanup(restore)
		self.learner = make_user()
		name_user(self.learner, HOSTILE["tag"])

	def hostile_courses(self) -> list[str]:
		return [make_hostile_course(payload, raw=key == "tag") for key, payload in HOSTILE.items()]

	def assertEmailPrintsTitlesAsText(self, body: str):
		# Titles read as text; the email shows a title's text without its tags (the `tag` and `open_tag`
		# payloads lose theirs), so the payloads without tags are the ones read back whole.
		self.assertPrintedAsText(body, HOSTILE["quote"], HOSTILE["script"], HOSTILE["jinja"])

	def test_new_assignment_email_prints_titles_and_name_as_text(self):
		created = create_assignments(self.hostile_courses(), [self.learner], add_days(today(), 10)).created
		self.assertEqual(send_assignment_emails(created), 1)
		((_subject, body),) = queued_emails(self.learner)
		self.assertEmailPrintsTitlesAsText(body)
		self.assertIn("Hello '>,", Markup(body).text)  # the name's text, its tag dropped

	def test_reminder_email_prints_titles_and_name_as_text(self):
		courses = self.hostile_courses()
		created = create_assignments(courses, [self.learner], add_days(today(), 2)).created
		for name in created[:2]:  # two of them are late, the others due soon
			frappe.db.set_value(ASSIGNMENT, name, "due_date", add_days(today(), -3))
		send_training_reminders()
		((_subject, body),) = queued_emails(self.learner)
		self.assertEmailPrintsTitlesAsText(body)

	# reminders.plain() unescapes the title into the subject; Frappe prints the subject raw into the
	# email's <title>, so "&lt;/title&gt;..." typed into a title closes it and adds an element.
	def test_a_title_cannot_close_the_emails_html_title(self):
		course = make_hostile_course(TITLE_BREAKER)
		(name,) = create_assignments([course], [self.learner], add_days(today(), 10)).created
		send_assignment_emails([name])
		frappe.db.set_value(ASSIGNMENT, name, "due_date", add_days(today(), -1))
		send_training_reminders()  # "Training overdue: <title>"
		emails = queued_emails(self.learner)
		self.assertEqual(len(emails), 2)
		for _subject, body in emails:
			self.assertPrintedAsText(body)


# --- A quiz taken to the end -----------------------------------------------------------------------


class TestAQuizTakenToTheEndEmailsNoQuizText(RestCase, TextNotMarkup):
	"""The app sends no email with a quiz's content: a learner assigned a course of a quiz and a statement,
	each text carrying the payloads, fails, passes and signs; the emails queued for them (the certificate's
	on completion) carry none of the quiz's texts, and print what they carry as text."""

	def test_the_emails_of_a_quiz_flow(self):
		use_outgoing_email_account()
		self.addCleanup(forget_email_accounts)
		learner = self.user("LMS Student")
		name_user(learner, HOSTILE["tag"])
		course = self.course(lessons=2, title=f"Quiz flow {HOSTILE['quote']}")
		marker = frappe.generate_hash(length=10)
		question = frappe.get_doc(QUESTION, make_question(text=f"<p>{marker} question {HOSTILE['tag']}</p>"))
		for row, key in zip(question.options, ("tag", "quote", "script", "jinja"), strict=True):
			row.option, row.explanation = (
				f"{marker} option {HOSTILE[key]}",
				f"{marker} because {HOSTILE[key]}",
			)
		question.save(ignore_permissions=True)
		quiz = make_quiz(course, [question.name], lesson=1, title=f"{marker} quiz {HOSTILE['script']}")
		lesson = set_lesson(course, 2, acknowledgement=f"{marker} statement {HOSTILE['tag']}")
		self.addCleanup(self.forget_emails, learner)
		create_assignments([course], [learner], add_days(today(), 10))
		for correct in (False, True):
			attempt = as_user(learner, start_quiz, quiz)["attempt"]
			drawn = json.loads(frappe.db.get_value(QUIZ_ATTEMPT, attempt, "questions"))
			answers = {
				q["question"]: [o["option"] for o in q["options"] if o["is_correct"] == correct][:1]
				for q in drawn
			}
			self.assertEqual(as_user(learner, submit_quiz, attempt, answers)["passed"], correct)
		as_user(learner, acknowledge, course, lesson, full_name(learner))
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, {"employee": learner}, "status"), "Completed")
		run_jobs_enqueued_after_commit("smooth_lms.lms.framework.document_trail.replay_document_events")
		emails = queued_emails(learner)
		subjects = " | ".join(subject for subject, _body in emails)
		self.assertTrue(any("certificate" in subject.lower() for subject, _body in emails), subjects)
		for subject, body in emails:
			with self.subTest(subject=subject):
				self.assertNotIn(marker, subject + body)
				self.assertPrintedAsText(body, where=subject)

	@staticmethod
	def forget_emails(learner: str) -> None:
		frappe.db.rollback()
		queued = frappe.get_all("Email Queue Recipient", {"recipient": learner}, pluck="parent")
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued or ["-"])})
		frappe.db.delete("Email Queue", {"name": ("in", queued or ["-"])})
		frappe.db.commit()
