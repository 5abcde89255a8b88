"""The learner who looks for the right answer, over real HTTP: which option is correct, and why, reaches
a learner only inside their scored submission (SPEC.md "Proof of comprehension: quizzes").

A learner enrolled in a course, with an attempt at its quiz open (and a learner with desk access, the
same), asks every generic endpoint of Frappe about the quiz's questions, options, quiz rows and attempts:
frappe.client, reportview and listview, search, the form loader, /api/resource and /api/v2, the report
runner on every report of the app, the print views and PDFs, the lesson page. No answer may carry the
name of a correct option of the quiz's pool (beyond those the request itself sent) nor an explanation;
where a request names an option (a filter on `is_correct`, a count), the answer for a correct option and
for a wrong one of the same question must be the same: no oracle. Then the learner submits, and reads
their own submission.
"""

import json
import re
from urllib.parse import quote, unquote_plus

import frappe
import requests
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctypes import (
	COURSE,
	ENROLLMENT,
	LESSON,
	QUESTION,
	QUESTION_OPTION,
	QUIZ,
	QUIZ_ATTEMPT,
	QUIZ_QUESTION,
	QUIZ_SUBMISSION,
	SUBMISSION_ANSWER,
	USER,
)
from smooth_lms.lms.quiz import start_quiz
from smooth_lms.tests.factories import as_user, make_quiz, right_answers, unique
from smooth_lms.tests.http import RestCase, base_url, login

METHOD = "/api/method/"
PARENTS = {QUESTION_OPTION: QUESTION, QUIZ_QUESTION: QUIZ, SUBMISSION_ANSWER: QUIZ_SUBMISSION}
SECRET_DOCTYPES = (QUESTION, QUESTION_OPTION, QUIZ, QUIZ_QUESTION, QUIZ_ATTEMPT)
PRINT_PDF = "/api/method/frappe.utils.print_format.download_pdf"


def question(correct: int, options: int = 4) -> tuple[str, list[str], list[str]]:
	"""A Single Choice question whose option `correct` is right, each option with its own explanation.
	Returns its name, its options' names and their explanations."""
	marker = unique("Secret")
	doc = frappe.get_doc(
		{
			"doctype": QUESTION,
			"question": f"<p>Which one, {marker}?</p>",
			"type": "Single Choice",
			"options": [
				{
					"option": f"Choice {index + 1}",
					"is_correct": int(index == correct),
					"explanation": f"{marker}/{index}",
				}
				for index in range(options)
			],
		}
	).insert(ignore_permissions=True)  # test data, made as Administrator
	return doc.name, [row.name for row in doc.options], [row.explanation for row in doc.options]


class TestTheRightAnswerStaysSecret(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.learner = cls.user("LMS Student")
		cls.desk_learner = cls.user("LMS Student")
		cls.author = cls.user("Moderator")
		frappe.db.set_value(USER, cls.desk_learner, "user_type", "System User")
		frappe.clear_cache(user=cls.desk_learner)
		cls.course_name = cls.course(lessons=2)
		pool = [question(correct=index % 4) for index in range(6)]
		cls.questions = [name for name, _options, _explanations in pool]
		cls.quiz = make_quiz(
			cls.course_name,
			cls.questions,
			lesson=1,
			questions_per_attempt=3,
			show_answers="After Each Attempt",
		)
		cls.lesson = frappe.db.get_value(LESSON, {"parent": cls.course_name, "quiz": cls.quiz})
		cls.correct = {name: options[index % 4] for index, (name, options, _e) in enumerate(pool)}
		cls.wrong = {name: options[(index + 1) % 4] for index, (name, options, _e) in enumerate(pool)}
		cls.secrets = {f"correct option of {name}": option for name, option in cls.correct.items()}
		for _name, _options, explanations in pool:
			cls.secrets.update({f"explanation {text}": text for text in explanations})
		create_assignments([cls.course_name], [cls.learner, cls.desk_learner], add_days(today(), 20))
		cls.attempts = {user: as_user(user, start_quiz, cls.quiz)["attempt"] for user in cls.learners()}
		cls.quiz_question = frappe.db.get_value(QUIZ_QUESTION, {"parent": cls.quiz})
		frappe.db.commit()
		cls.sessions = {user: login(user) for user in (*cls.learners(), cls.author)}

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.delete(QUESTION_OPTION, {"parent": ("in", cls.questions)})
		frappe.db.delete(QUESTION, {"name": ("in", cls.questions)})
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def learners(cls) -> tuple[str, str]:
		return (cls.learner, cls.desk_learner)

	# --- helpers ---------------------------------------------------------------------------------

	def call(self, user: str, path: str, verb: str = "GET", **params) -> requests.Response:
		"""A request of `user`'s session; list and dict parameters go as JSON, as the desk sends them."""
		params = {
			key: json.dumps(value) if isinstance(value, list | dict) else value
			for key, value in params.items()
		}
		return self.sessions[user].request(verb, base_url() + path, params=params, timeout=120)

	def assertRevealsNothing(self, response: requests.Response):
		"""No correct option's name (but those the request sent) and no explanation is in the answer."""
		sent = unquote_plus(response.request.url) + unquote_plus(str(response.request.body or ""))
		shown = [
			label for label, value in self.secrets.items() if value not in sent and value in response.text
		]
		self.assertEqual(
			shown,
			[],
			f"{response.request.method} {unquote_plus(response.request.url)} answered {response.status_code}: "
			f"{response.text[:600]}",
		)

	def assertNoOracle(self, ask):
		"""`ask(option)` answers alike for a correct option and a wrong one of each question (the option's
		own name aside), and reveals nothing."""
		for name in self.questions:
			right, wrong = ask(self.correct[name]), ask(self.wrong[name])
			for response in (right, wrong):
				self.assertRevealsNothing(response)
			self.assertEqual(
				said(right, self.correct[name]),
				said(wrong, self.wrong[name]),
				f"{unquote_plus(right.request.url)} tells a correct option from a wrong one",
			)

	def each(self, check):
		"""`check(user)` for both learners, as subtests."""
		for user in self.learners():
			with self.subTest(user=user):
				check(user)

	# --- frappe.client ---------------------------------------------------------------------------

	def test_lists_counts_and_values_of_questions_options_quizzes_and_attempts(self):
		def check(user):
			for doctype in SECRET_DOCTYPES:
				for params in list_queries(doctype):
					for path in (METHOD, "/api/v2/method/"):
						counted = {k: v for k, v in params.items() if k in ("filters", "parent")}
						for method, sent in (("get_list", params), ("get_count", counted)):
							self.assertRevealsNothing(
								self.call(user, f"{path}frappe.client.{method}", doctype=doctype, **sent)
							)
				for fieldname in ("is_correct", ["name", "is_correct", "explanation"], "questions", "parent"):
					response = self.call(
						user,
						METHOD + "frappe.client.get_value",
						doctype=doctype,
						fieldname=fieldname,
						filters={"name": ("is", "set")},
						parent=PARENTS.get(doctype, ""),
					)
					self.assertRevealsNothing(response)

		self.each(check)

	def test_filters_on_is_correct_are_no_oracle(self):
		def check(user):
			queries = (
				("frappe.client.get_count", lambda o: {"filters": {"name": o, "is_correct": 1}}),
				(
					"frappe.client.get_list",
					lambda o: {"filters": {"name": o, "is_correct": 1}, "parent": QUESTION},
				),
				(
					"frappe.client.get_value",
					lambda o: {"filters": {"name": o, "is_correct": 1}, "fieldname": "name"},
				),
				(
					"frappe.client.get",
					lambda o: {"filters": {"name": o, "is_correct": 1}, "parent": QUESTION},
				),
				(
					"frappe.desk.reportview.get_count",
					lambda o: {"filters": [["name", "=", o], ["is_correct", "=", 1]]},
				),
				(
					"frappe.desk.reportview.get",
					lambda o: {"filters": {"name": o, "is_correct": 1}, "fields": ["name"]},
				),
				(
					"frappe.desk.search.search_link",
					lambda o: {"txt": o, "filters": {"is_correct": 1}, "ignore_user_permissions": 1},
				),
				(
					"frappe.desk.listview.get_group_by_count",
					lambda o: {"current_filters": [["name", "=", o]], "field": "is_correct"},
				),
				(
					"frappe.client.validate_link",
					lambda o: {"docname": o, "fields": ["is_correct", "explanation"]},
				),
			)
			for method, params in queries:
				self.assertNoOracle(
					lambda option, method=method, params=params: self.call(
						user, METHOD + method, doctype=QUESTION_OPTION, **params(option)
					)
				)
			# Through a question: the questions (or quizzes) whose correct option is this one.
			for doctype in (QUESTION, QUIZ):
				self.assertNoOracle(
					lambda option, doctype=doctype: self.call(
						user,
						METHOD + "frappe.client.get_list",
						doctype=doctype,
						filters=[
							[QUESTION_OPTION, "name", "=", option],
							[QUESTION_OPTION, "is_correct", "=", 1],
						],
					)
				)
			self.assertNoOracle(
				lambda option: self.call(
					user,
					f"/api/v2/doctype/{quote(QUESTION_OPTION)}/count",
					filters={"name": option, "is_correct": 1},
				)
			)

		self.each(check)

	# --- reportview, listview, search ------------------------------------------------------------

	def test_reportview_listview_and_search(self):
		def check(user):
			for doctype in SECRET_DOCTYPES:
				for params in list_queries(doctype):
					for method in ("frappe.desk.reportview.get", "frappe.desk.reportview.get_list"):
						self.assertRevealsNothing(self.call(user, METHOD + method, doctype=doctype, **params))
				for method, params in (
					("frappe.desk.reportview.get_sidebar_stats", {"stats": ["is_correct", "name", "parent"]}),
					("frappe.desk.reportview.get_stats", {"stats": ["is_correct", "name", "parent"]}),
					(
						"frappe.desk.listview.get_group_by_count",
						{"current_filters": [], "field": "is_correct"},
					),
					("frappe.desk.listview.get_group_by_count", {"current_filters": [], "field": "name"}),
					(
						"frappe.desk.listview.get_group_by_count",
						{"current_filters": [], "field": "assigned_to"},
					),
					("frappe.desk.search.search_link", {"txt": "", "ignore_user_permissions": 1}),
					("frappe.desk.search.search_link", {"txt": "", "filters": {"is_correct": 1}}),
					(
						"frappe.desk.search.search_widget",
						{
							"txt": "",
							"ignore_user_permissions": 1,
							"filter_fields": ["is_correct", "explanation", "questions", "parent"],
							"as_dict": 1,
						},
					),
					("frappe.desk.reportview.export_query", {"file_format_type": "CSV", "fields": ["*"]}),
				):
					self.assertRevealsNothing(self.call(user, METHOD + method, doctype=doctype, **params))

		self.each(check)

	# --- one document --------------------------------------------------------------------------------

	def test_documents_by_name(self):
		def check(user):
			attempt = self.attempts[user]
			names = [(QUESTION, name, None) for name in self.questions]
			names += [(QUESTION_OPTION, option, QUESTION) for option in self.correct.values()]
			names += [(QUIZ, self.quiz, None), (QUIZ_QUESTION, self.quiz_question, QUIZ)]
			names += [(QUIZ_ATTEMPT, attempt, None)]
			for doctype, name, parent in names:
				for response in (
					self.call(user, f"/api/resource/{quote(doctype)}/{quote(name)}"),
					self.call(user, f"/api/v2/document/{quote(doctype)}/{quote(name)}"),
					self.call(user, METHOD + "frappe.client.get", doctype=doctype, name=name, parent=parent),
					self.call(user, "/api/v2/method/frappe.client.get", doctype=doctype, name=name),
					self.call(user, METHOD + "frappe.desk.form.load.getdoc", doctype=doctype, name=name),
					self.call(user, METHOD + "frappe.desk.form.load.get_docinfo", doctype=doctype, name=name),
					self.call(
						user, METHOD + "frappe.desk.form.linked_with.get", doctype=doctype, docname=name
					),
					self.call(
						user,
						METHOD + "frappe.client.validate_link",
						doctype=doctype,
						docname=name,
						fields=["is_correct", "explanation", "questions", "question"],
					),
				):
					with self.subTest(url=unquote_plus(response.request.url)):
						self.assertRevealsNothing(response)
			for doctype in ("Version", "Comment", "Deleted Document", "Activity Log"):
				for ref in (QUESTION, QUIZ, QUIZ_ATTEMPT):
					field = "ref_doctype" if doctype == "Version" else "reference_doctype"
					if doctype == "Deleted Document":
						field = "deleted_doctype"
					self.assertRevealsNothing(
						self.call(
							user,
							METHOD + "frappe.client.get_list",
							doctype=doctype,
							fields=["*"],
							filters={field: ref},
							limit_page_length=0,
						)
					)

		self.each(check)

	def test_child_rows_listed_with_their_parents(self):
		def check(user):
			for doctype, parent in PARENTS.items():
				params = {"fields": ["*"], "parent": parent, "limit_page_length": 0}
				for response in (
					self.call(user, f"/api/resource/{quote(doctype)}", **params),
					self.call(user, f"/api/v2/document/{quote(doctype)}", **params),
					self.call(user, METHOD + "frappe.client.get_list", doctype=doctype, **params),
					self.call(
						user,
						METHOD + "frappe.client.get_list",
						doctype=doctype,
						parent=parent,
						fields=["is_correct", "count(name) as total"],
						group_by="is_correct",
					),
				):
					self.assertRevealsNothing(response)
			# Reaching the quiz tables from documents the learner reads: their course, enrollment, lesson.
			for doctype, fields in (
				(COURSE, ["name", f"`tab{QUESTION_OPTION}`.`name`", f"`tab{QUESTION_OPTION}`.`explanation`"]),
				(COURSE, ["name", f"`tab{QUIZ_QUESTION}`.`question`", f"`tab{QUIZ_ATTEMPT}`.`questions`"]),
				(ENROLLMENT, ["name", f"`tab{QUESTION_OPTION}`.`name`", "course.title"]),
				(
					QUIZ_SUBMISSION,
					["name", f"`tab{QUESTION_OPTION}`.`name`", f"`tab{SUBMISSION_ANSWER}`.`options`"],
				),
				(LESSON, ["name", "quiz", "quiz.title"]),
			):
				for method in ("frappe.client.get_list", "frappe.desk.reportview.get"):
					self.assertRevealsNothing(
						self.call(
							user,
							METHOD + method,
							doctype=doctype,
							fields=fields,
							parent=COURSE if doctype == LESSON else None,
						)
					)
			self.assertRevealsNothing(
				self.call(
					user,
					METHOD + "frappe.client.get_list",
					doctype=COURSE,
					filters=[[QUESTION_OPTION, "is_correct", "=", 1]],
					fields=["name"],
				)
			)

		self.each(check)

	# --- reports, prints, the page ---------------------------------------------------------------------

	def test_reports_of_the_app(self):
		reports = frappe.get_all("Report", {"module": "LMS"}, pluck="name")
		self.assertGreaterEqual(len(reports), 4)

		def check(user):
			for report in reports:
				for filters in ({}, {"quiz": self.quiz}, {"course": self.course_name}):
					for method in ("frappe.desk.query_report.run", "frappe.desk.query_report.export_query"):
						response = self.call(
							user,
							METHOD + method,
							report_name=report,
							filters=filters,
							file_format_type="CSV",
							visible_idx=[],
						)
						with self.subTest(report=report, method=method, filters=filters):
							self.assertRevealsNothing(response)

		self.each(check)

	def test_prints_of_quizzes_questions_and_attempts(self):
		def check(user):
			names = [(QUESTION, name) for name in self.questions]
			names += [(QUIZ, self.quiz), (QUIZ_ATTEMPT, self.attempts[user])]
			for doctype, name in names:
				for response in (
					self.call(user, "/printview", doctype=doctype, name=name),
					self.call(user, "/printview", doctype=doctype, name=name, format="Standard"),
					self.call(user, PRINT_PDF, doctype=doctype, name=name),
					self.call(
						user,
						METHOD + "frappe.www.printview.get_html_and_style",
						doc=doctype,
						name=name,
						print_format="Standard",
					),
				):
					with self.subTest(url=unquote_plus(response.request.url)):
						self.assertRevealsNothing(response)
						self.assertNotIn(b"%PDF", response.content[:8])

		self.each(check)

	def test_the_lesson_page_and_the_attempt_shown(self):
		def check(user):
			page = self.call(user, f"/lms/courses/{quote(self.course_name)}/lessons/{quote(self.lesson)}")
			self.assertEqual(page.status_code, 200, page.text[:300])
			self.assertRevealsNothing(page)
			resumed = self.call(user, METHOD + "smooth_lms.lms.quiz.start_quiz", verb="POST", quiz=self.quiz)
			self.assertEqual(resumed.json()["message"]["attempt"], self.attempts[user])
			# It shows every option of the drawn questions, right and wrong alike, and nothing else.
			self.assertNotIn("is_correct", resumed.text)
			self.assertNotIn("explanation", resumed.text)
			for label, value in self.secrets.items():
				if label.startswith("explanation"):
					self.assertNotIn(value, resumed.text)

		self.each(check)

	def test_the_same_questions_show_an_author_every_answer(self):
		# What the learners were refused is there to find: the checks above would see it.
		ours = {"parent": ("in", self.questions)}
		for doctype, params in (
			(QUESTION_OPTION, {**list_queries(QUESTION_OPTION)[1], "filters": ours}),
			(QUESTION, {**list_queries(QUESTION)[-2], "filters": {"name": ("in", self.questions)}}),
		):
			response = self.call(self.author, METHOD + "frappe.client.get_list", doctype=doctype, **params)
			with self.assertRaises(AssertionError):
				self.assertRevealsNothing(response)
		options = self.call(
			self.author,
			METHOD + "frappe.client.get_list",
			doctype=QUESTION_OPTION,
			parent=QUESTION,
			fields=["name"],
			filters={**ours, "is_correct": 1},
			limit_page_length=0,
		)
		self.assertEqual({row["name"] for row in options.json()["message"]}, set(self.correct.values()))

	# --- after scoring ---------------------------------------------------------------------------------

	def test_yet_after_scoring_the_learner_reads_their_own_submission(self):
		# Last of the class by name (unittest sorts): the attempt is submitted here.
		attempt = self.attempts[self.learner]
		scored = self.call(
			self.learner,
			METHOD + "smooth_lms.lms.quiz.submit_quiz",
			verb="POST",
			attempt=attempt,
			answers=right_answers(attempt),
		)
		self.assertEqual(scored.status_code, 200, scored.text[:300])
		result = scored.json()["message"]
		self.assertTrue(result["passed"])
		drawn = {row["question"] for row in result["results"]}
		shown = {
			option["option"] for row in result["results"] for option in row["options"] if option["is_correct"]
		}
		self.assertEqual(shown, {self.correct[name] for name in drawn})
		own = self.call(self.learner, f"/api/resource/{quote(QUIZ_SUBMISSION)}/{result['submission']}")
		self.assertEqual(own.status_code, 200, own.text[:300])
		answers = own.json()["data"]["answers"]
		self.assertEqual({row["question"] for row in answers}, drawn)
		for row in answers:
			correct = [o["option"] for o in json.loads(row["options"]) if o["is_correct"]]
			self.assertEqual(correct, [self.correct[row["question"]]])
		listed = self.call(self.learner, f"/api/resource/{quote(QUIZ_SUBMISSION)}", fields=["name", "member"])
		self.assertEqual(listed.json()["data"], [{"name": result["submission"], "member": self.learner}])
		# The other learner, still in their attempt, reads none of it.
		self.assertEqual(
			self.call(
				self.desk_learner, f"/api/resource/{quote(QUIZ_SUBMISSION)}/{result['submission']}"
			).status_code,
			403,
		)
		for doctype, parent in ((QUIZ_SUBMISSION, None), (SUBMISSION_ANSWER, QUIZ_SUBMISSION)):
			response = self.call(
				self.desk_learner,
				METHOD + "frappe.client.get_list",
				doctype=doctype,
				parent=parent,
				fields=["*"],
				limit_page_length=0,
			)
			self.assertRevealsNothing(response)


def said(response: requests.Response, option: str) -> tuple[int, str]:
	"""An answer's status and body, the option it was asked about written <option>, without Frappe's
	traceback and the id of its exception (each one names its own)."""
	try:
		body = response.json()
	except ValueError:
		body = response.text
	if isinstance(body, dict):
		body = {
			key: value for key, value in body.items() if key not in ("exc", "exception", "_debug_messages")
		}
	text = re.sub(r"__frappe_exc_id[^a-f0-9]*[a-f0-9]+", "", json.dumps(body, sort_keys=True))
	return response.status_code, text.replace(option, "<option>")


def list_queries(doctype: str) -> list[dict]:
	"""get_list / reportview arguments a learner might try: every field, the secret ones, aggregates and
	groups on is_correct, filters on it, and the parent a child table is listed with."""
	parent = {"parent": PARENTS[doctype]} if doctype in PARENTS else {}
	secret = ["name", "is_correct", "explanation", "parent"] if doctype == QUESTION_OPTION else ["name"]
	queries = [
		{"fields": ["*"], "limit_page_length": 0},
		{"fields": secret, "limit_page_length": 0},
		{"fields": ["name"], "filters": {"name": ("is", "set")}},
	]
	if doctype == QUESTION_OPTION:
		queries += [
			{"fields": ["is_correct", "count(name) as total"], "group_by": "is_correct"},
			{"fields": ["max(name) as last", "min(name) as first"], "filters": {"is_correct": 1}},
			{"fields": ["name"], "filters": [["is_correct", "=", 1]]},
			{"fields": ["name"], "or_filters": [["is_correct", "=", 1], ["explanation", "like", "%"]]},
		]
	if doctype == QUESTION:
		queries += [
			{"fields": ["name", f"`tab{QUESTION_OPTION}`.`name`", f"`tab{QUESTION_OPTION}`.`is_correct`"]},
			{"fields": ["name"], "filters": [[QUESTION_OPTION, "is_correct", "=", 1]]},
		]
	if doctype == QUIZ_ATTEMPT:
		queries += [{"fields": ["name", "questions", "member"]}]
	return [{"limit_page_length": 0, **query, **parent} for query in queries]
