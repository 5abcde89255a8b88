"""Malformed calls to every endpoint of the app, over real HTTP, from Guest and signed-in callers of
several roles: thousands of them, generated from a fixed seed so a failure can be replayed.

Every answer, whatever was sent: below 500; no traceback (nothing of one in the body, nor Frappe's
`exc` / `exception` keys); a 4xx says what is wrong (a refused argument is named); and a refusal writes
nothing (write_marks before and after each call: the app's tables, their Versions and Comments, Has
Role, Email Queue, User, DefaultValue). The guards of the whitelisted methods add: a caller without the
role gets 403 whatever the body and the verb; a missing argument, or one of a type the method does not
take, is a 417 naming it.

Each test is a family of calls and prints its count by status. The families the app answers are plain
tests. Five families still fail inside Frappe 15.44 itself, before any code of the app runs on the
request (its request-body parsing, list queries, link checks before permissions, unknown names and
verbs, the report runner's own reading of `filters`): they are marked expectedFailure with a comment
saying where Frappe fails, so that a Frappe upgrade that fixes one shows here (an unexpected success
fails the run). No endpoint is left out.
"""

import inspect
import json
import random
import typing
import unittest
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

import frappe
import requests
from frappe.model import table_fields
from frappe.utils import add_days, today
from frappe.utils.typing_validations import TypeAdapter

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctypes import (
	ACKNOWLEDGEMENT,
	CERTIFICATE,
	QUESTION,
	QUESTION_OPTION,
	QUIZ,
	QUIZ_ATTEMPT,
	QUIZ_SUBMISSION,
	SCORM_ATTEMPT,
)
from smooth_lms.lms.framework.guards import is_app_doctype
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.quiz import acknowledge, start_quiz, submit_quiz
from smooth_lms.lms.quiz.acknowledgements import full_name
from smooth_lms.lms.scorm import commit as scorm_commit
from smooth_lms.tests.factories import (
	as_user,
	complete_lessons,
	make_question,
	make_quiz,
	right_answers,
	set_lesson,
	stored_settings,
	unique,
	wrong_answers,
)
from smooth_lms.tests.http import (
	RestCase,
	answer,
	app_doctypes,
	base_url,
	changed_marks,
	leaked_traceback,
	login,
	server_messages,
	whitelisted_methods,
	write_marks,
)
from smooth_lms.tests.scorm_packages import attach_package, build_package

SEED = 20261123
CALLERS = {
	"Guest": None,
	"Website User": (),
	"LMS Student": ("LMS Student",),
	"HR Manager": ("HR Manager",),
	"Moderator": ("Moderator",),
	"System Manager": ("System Manager",),
}
SIGNED_IN = tuple(caller for caller in CALLERS if caller != "Guest")
# Who the DocTypes' permissions let do what (the test's own expectation, not the app's derivation).
ASSIGNERS = ("Moderator", "System Manager")  # create LMS Training Assignment
RECORD_KEEPERS = ("HR Manager", "Moderator", "System Manager")  # write LMS Training Assignment
TRAINING_VIEWERS = ("HR Manager", "Moderator", "System Manager")  # read every LMS Training Assignment
ANY_VERB, POST_ONLY, GET_ONLY = ("GET", "POST", "PUT", "DELETE"), ("POST",), ("GET",)

# The app's whitelisted methods (under /api/method/smooth_lms.lms.): the verbs Frappe lets through and
# who the guard lets in; everyone else gets 403 whatever they send.
METHODS = {
	"hrms_integration.assign_mandatory_training": (POST_ONLY, ASSIGNERS),
	"hrms_integration.get_my_training_assignments": (ANY_VERB, SIGNED_IN),
	"hrms_integration.get_team_training_status": (ANY_VERB, TRAINING_VIEWERS),
	"reporting.counts.get_compliance_counts": (ANY_VERB, TRAINING_VIEWERS),
	"learning.progress.mark_lesson_complete": (POST_ONLY, SIGNED_IN),
	"portal.catalogue.enrol_self": (POST_ONLY, SIGNED_IN),
	"assignments.groups.assign_training_to_group": (POST_ONLY, ASSIGNERS),
	"assignments.groups.get_group_assignment": (ANY_VERB, ASSIGNERS),
	"assignments.groups.get_group_values": (ANY_VERB, ASSIGNERS),
	"portal.team.get_my_team_training": (ANY_VERB, SIGNED_IN),
	"notifications.manager_digest.set_overdue_digest": (POST_ONLY, SIGNED_IN),
	"assignments.hr_records.record_external_completion": (POST_ONLY, RECORD_KEEPERS),
	"assignments.hr_records.extend_due_date": (POST_ONLY, RECORD_KEEPERS),
	"reporting.cards.expiring_soon_trainings": (ANY_VERB, TRAINING_VIEWERS),
	"reporting.cards.expired_trainings": (ANY_VERB, TRAINING_VIEWERS),
	"reporting.cards.assigned_trainings": (ANY_VERB, TRAINING_VIEWERS),
	"reporting.cards.completed_trainings": (ANY_VERB, TRAINING_VIEWERS),
	"reporting.cards.overdue_trainings": (ANY_VERB, TRAINING_VIEWERS),
	"certificates.download_certificate": (GET_ONLY, SIGNED_IN),
	"quiz.start_quiz": (POST_ONLY, SIGNED_IN),
	"quiz.submit_quiz": (POST_ONLY, SIGNED_IN),
	"quiz.acknowledge": (POST_ONLY, SIGNED_IN),
	"scorm.commit": (POST_ONLY, SIGNED_IN),
	"quiz.grant_attempts": (POST_ONLY, RECORD_KEEPERS),
	"certificates.verify_certificate": (GET_ONLY, tuple(CALLERS)),
	"certificates.revoke_certificate": (POST_ONLY, ("HR Manager", "System Manager")),
	"versions.publish_new_version": (POST_ONLY, ASSIGNERS),
	"versions.preview_new_version": (GET_ONLY, ASSIGNERS),
	"reporting.proof_pack.request_proof_pack": (POST_ONLY, TRAINING_VIEWERS),
	"reporting.proof_pack.get_proof_pack": (GET_ONLY, TRAINING_VIEWERS),
}

HUGE = "x" * 100_000  # 100 kB
TEXTS = [  # the right type (text), the wrong content
	"",
	" ",
	"\t\n",
	HUGE,
	"😀💥 ünïcødé ™ 中文 עברית",
	"\u202e\u0000nul",
	"'; DROP TABLE `tabLMS Course`; --",
	"' OR '1'='1",
	'" OR 1=1 -- ',
	"1; SELECT SLEEP(5)",
	"%",
	"_",
	"\\",
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"{{ 7*7 }}",
	"{% raw %}",
	"../../../etc/passwd",
	"null",
	"None",
	"[]",
	"{}",
	'["a@example.com"',
	"NaN",
	"-1",
	"2026-13-45",
	"0000-00-00",
	"9999-12-31",
	"`name`",
]
NOT_TEXTS = [  # everything else JSON can carry
	None,
	0,
	-1,
	1.5,
	10**30,
	True,
	False,
	[],
	[1, 2],
	["a@example.com", None],
	[[[]]],
	{},
	{"a": {"b": [1, {"c": None}]}},
	{"$gt": ""},
]
JUNK_KEYS = {  # arguments nobody asked for (`cmd` has a test of its own)
	"doctype": "User",
	"ignore_permissions": 1,
	"flags": {"ignore_permissions": True},
	"__proto__": {"admin": True},
	"args": ["x"],
	"run_method": "delete",
}
HTML_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;"}


def short(value, limit: int = 80) -> str:
	text = repr(value)
	return text if len(text) <= limit else f"{text[:limit]}…({len(text)} chars)"


def as_form(value) -> str | None:
	"""How a form or a query string carries a value: text as is, the rest as JSON; null is left out."""
	if value is None:
		return None
	return value if isinstance(value, str) else json.dumps(value)


@dataclass
class Fuzz:
	"""One malformed call and what its answer must show besides the rules every answer keeps."""

	caller: str
	verb: str
	path: str
	params: dict | None = None
	json: object = None
	data: object = None
	headers: dict | None = None
	shape: str = ""
	expect: Callable[[requests.Response, str], str | None] | None = None

	def send(self, session: requests.Session) -> requests.Response:
		kwargs = {"params": self.params, "headers": self.headers, "timeout": 120}
		if self.json is not None:
			kwargs["json"] = self.json
		elif self.data is not None:
			kwargs["data"] = self.data
		return session.request(self.verb, base_url() + self.path, **kwargs)

	def __str__(self) -> str:
		body = self.json if self.json is not None else self.data
		return (
			f"{self.caller}: {self.verb} {short(self.path, 120)} [{self.shape}]"
			+ (f" params={short(self.params, 200)}" if self.params else "")
			+ (f" body={short(body, 200)}" if body is not None else "")
			+ (f" headers={self.headers}" if self.headers else "")
		)


def message_text(response: requests.Response) -> str:
	said = " ".join(server_messages(response))
	if not said and not response.headers.get("Content-Type", "").startswith("application/json"):
		said = response.text  # a page, or the web server's own answer
	for char, entity in HTML_ESCAPES.items():
		said = said.replace(entity, char)
	return said.lower()


def names(argument: str) -> tuple[str, ...]:
	"""How a message may name an argument: due_date, "Due Date", employees or "employee"."""
	spaced = argument.replace("_", " ")
	return (argument, spaced, spaced.rstrip("s"))


def refused_with_403(response, said):
	return None if response.status_code == 403 else f"a caller without the role got {response.status_code}"


def refused_with(status: int):
	def expect(response, said):
		return None if response.status_code == status else f"answered {response.status_code}, not {status}"

	return expect


def well_formed_answers(answers, shown: dict[str, set[str]]) -> bool:
	"""What a learner may submit for an attempt (SPEC.md): nothing, or a map (or its JSON text) of drawn
	questions to the option, or list of options, chosen among those shown with it."""
	if isinstance(answers, str):
		try:
			answers = json.loads(answers) if answers.strip() else None
		except ValueError:
			return False
	if answers is None:
		return True
	if not isinstance(answers, dict):
		return False
	for question, chosen in answers.items():
		chosen = [] if chosen is None else [chosen] if isinstance(chosen, str) else chosen
		if question not in shown or not isinstance(chosen, list):
			return False
		if not all(isinstance(option, str) and option in shown[question] for option in chosen):
			return False
	return True


def requires(missing: tuple[str, ...]):
	"""A required argument left out: a 417 naming it."""

	def expect(response, said):
		if response.status_code != 417:
			return f"missing {missing} answered {response.status_code}, not 417"
		if not any(name in said for argument in missing for name in names(argument)):
			return f"missing {missing}, but the message does not name it: {said[:200]!r}"
		return None

	return expect


def refuses(wrong_type: tuple[str, ...]):
	"""An argument whose type the method does not take: a 417 naming it."""

	def expect(response, said):
		if response.status_code != 417:
			return f"{wrong_type} of a type the method does not take answered {response.status_code}, not 417"
		if not any(name in said for argument in wrong_type for name in names(argument)):
			return f"417 for {wrong_type}, but the message names none of them: {said[:200]!r}"
		return None

	return expect


def names_one_of(malformed: tuple[str, ...]):
	"""Text that is not what a text argument wants: refused or not, a 417 about it names it."""

	def expect(response, said):
		if response.status_code == 417 and not any(
			name in said for argument in malformed for name in names(argument)
		):
			return f"417 for {malformed}, but the message names none of them: {said[:200]!r}"
		return None

	return expect


def type_check(function, malformed: tuple[str, ...], args: dict) -> tuple[tuple, tuple]:
	"""Of the malformed arguments as they arrive: those whose type the method's annotations refuse, and
	those that are text given to a text argument. A value of the right type for an argument that is not
	text (enabled=0 for a bool) is an answer, not a malformed call."""
	parameters = inspect.signature(function).parameters
	hints = typing.get_type_hints(inspect.unwrap(function))
	wrong_type, odd_text = [], []
	for name in malformed:
		if name not in args or name not in hints:
			continue
		expected = hints[name] | None if parameters[name].default is None else hints[name]
		try:
			TypeAdapter(expected).validate_python(args[name])
		except Exception:
			wrong_type.append(name)
			continue
		if isinstance(args[name], str) and str in (typing.get_args(expected) or (expected,)):
			odd_text.append(name)
	return tuple(wrong_type), tuple(odd_text)


class TestFuzz(RestCase):
	@classmethod
	def setUpClass(cls):
		from frappe.installer import update_site_config

		# Certificate checks are rate-limited per address (30 a minute): the fuzz is not guessing codes.
		update_site_config("smooth_lms_verify_limit", 1_000_000)
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.restore_settings = stored_settings()
		# Email Queue is a mark: nothing here emails anybody. Digests are not allowed (the baseline of
		# set_overdue_digest is refused).
		frappe.db.set_single_value("LMS Settings", {"send_assignment_emails": 0, "allow_manager_digests": 0})
		cls.callers = {name: cls.user(*roles) for name, roles in CALLERS.items() if roles is not None}
		cls.callers["Guest"] = None
		cls.learner = cls.user("LMS Student")
		cls.published = cls.course(lessons=2)
		cls.closed = cls.course(disable_self_learning=1)
		cls.draft = cls.course(published=0)
		cls.lesson = course_lessons(cls.published)[0].name
		users = [user for user in cls.callers.values() if user]
		create_assignments([cls.published], [*users, cls.learner], add_days(today(), 20))
		cls.targets = cls.resource_targets()
		frappe.db.commit()
		cls.pin_roles()
		cls.sessions = {name: login(user) for name, user in cls.callers.items()}

	@classmethod
	def tearDownClass(cls):
		from frappe.installer import update_site_config

		update_site_config("smooth_lms_verify_limit", None)
		frappe.cache.delete_keys("rl:")
		frappe.db.rollback()
		fuzzers = [user for user in cls.callers.values() if user] or ["-"]
		cls.courses += frappe.get_all("LMS Course", {"owner": ("in", fuzzers)}, pluck="name")
		for doctype in ("LMS Training Assignment", "LMS Enrollment", "LMS Course Progress"):
			frappe.db.delete(doctype, {"owner": ("in", fuzzers)})
		if frappe.db.table_exists("LMS Onboarding Training"):
			frappe.db.delete("LMS Onboarding Training", {"onboarding": ("like", "fuzz-%")})
			frappe.db.delete("LMS Onboarding Training", {"owner": ("in", fuzzers)})
		cls.restore_settings()
		frappe.db.delete("DefaultValue", {"parent": ("in", fuzzers)})
		questions = cls.questions + frappe.get_all(QUESTION, {"owner": ("in", fuzzers)}, pluck="name")
		frappe.db.delete(QUESTION_OPTION, {"parent": ("in", questions)})
		frappe.db.delete(QUESTION, {"name": ("in", questions or ["-"])})
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def pin_roles(cls):
		"""Each caller holds exactly their roles (enrolling someone grants LMS Student)."""
		for name, user in cls.callers.items():
			if user:
				keep = list(CALLERS[name]) or ["-"]
				frappe.db.delete("Has Role", {"parenttype": "User", "parent": user, "role": ("not in", keep)})
		frappe.db.commit()
		for user in cls.callers.values():
			if user:
				frappe.cache.hdel("roles", user)

	@classmethod
	def resource_targets(cls) -> dict[str, str]:
		"""One existing document per app DocType, for the calls that name one."""
		course = cls.course(lessons=1)
		enrollment = frappe.db.get_value("LMS Enrollment", {"member": cls.learner, "course": cls.published})
		progress = frappe.get_doc(
			{
				"doctype": "LMS Course Progress",
				"member": cls.learner,
				"course": cls.published,
				"lesson": cls.lesson,
				"lesson_title": "Lesson 1",
			}
		).insert(ignore_permissions=True)
		targets = {
			"LMS Course": course,
			"LMS Enrollment": enrollment,
			"LMS Course Progress": progress.name,
			"LMS Training Assignment": frappe.db.get_value(
				"LMS Training Assignment", {"employee": cls.learner, "course": cls.published}
			),
			"LMS Settings": "LMS Settings",
		}
		targets.update(cls.quiz_targets())
		if frappe.db.table_exists("LMS Onboarding Training"):
			tracker = frappe.get_doc(
				{
					"doctype": "LMS Onboarding Training",
					"onboarding_doctype": "User",
					"onboarding": unique("fuzz"),
					"state": "Assigned",
					"user": cls.learner,
				}
			)
			tracker.db_insert()
			targets["LMS Onboarding Training"] = tracker.name
		return targets

	@classmethod
	def quiz_targets(cls) -> dict[str, str]:
		"""A course whose lesson 1 is a quiz and lesson 2 a statement, every caller enrolled; the learner
		failed the quiz once and signed the statement (their attempt, submission, acknowledgement are the
		targets), then completed a course of theirs (its certificate); a quiz and a question of their own
		for the REST calls to change."""
		cls.quiz_course = cls.course(lessons=3)
		users = [user for user in cls.callers.values() if user]
		create_assignments([cls.quiz_course], [*users, cls.learner], add_days(today(), 20))
		cls.quiz = make_quiz(cls.quiz_course, 3, lesson=1, max_attempts=0)
		cls.statement = set_lesson(cls.quiz_course, 2, acknowledgement="I have read the policy.")
		cls.questions = [make_question()]
		target_quiz = make_quiz(cls.quiz_course, cls.questions, lesson=None)
		attempt = as_user(cls.learner, start_quiz, cls.quiz)["attempt"]
		submission = as_user(cls.learner, submit_quiz, attempt, wrong_answers(attempt))["submission"]
		signed = as_user(cls.learner, acknowledge, cls.quiz_course, cls.statement, full_name(cls.learner))
		cls.scorm_lesson = attach_package(cls.quiz_course, 3, build_package("2004"))
		played = as_user(cls.learner, scorm_commit, cls.quiz_course, cls.scorm_lesson, "{}", "fuzz")
		certified = cls.course(lessons=1)
		create_assignments([certified], [cls.learner], add_days(today(), 20))
		complete_lessons(cls.learner, certified)
		return {
			QUESTION: cls.questions[0],
			QUIZ: target_quiz,
			QUIZ_ATTEMPT: attempt,
			QUIZ_SUBMISSION: submission,
			ACKNOWLEDGEMENT: signed["acknowledgement"],
			SCORM_ATTEMPT: played["attempt"],
			CERTIFICATE: frappe.db.get_value(CERTIFICATE, {"member": cls.learner, "course": certified}),
		}

	# --- running calls -----------------------------------------------------------------------------

	def run_fuzz(self, family: str, calls: list[Fuzz]) -> None:
		counts, accepted_writes, problems = Counter(), [], []
		after = write_marks()
		for call in calls:
			before = after
			response = call.send(self.sessions[call.caller])
			after = write_marks()
			counts[response.status_code] += 1
			written = changed_marks(before, after)
			if written and response.status_code < 400:
				accepted_writes.append(f"{response.status_code} wrote {sorted(written)}: {call}")
			problems += [f"{problem}\n      {call}" for problem in self.check(call, response, written)]
			if written:
				self.pin_roles()
				after = write_marks()
		print(
			f"\nfuzz {family}: {len(calls)} calls; by status {dict(sorted(counts.items()))}; "
			f"{len(accepted_writes)} accepted calls wrote something; {len(problems)} problems"
		)
		for write in accepted_writes:
			print(f"  accepted: {write}")
		for problem in problems:
			print(f"  - {problem}")
		self.assertEqual(problems, [], f"{family}: {len(problems)} problems, first: {problems[:3]}")

	def check(self, call: Fuzz, response: requests.Response, written: dict) -> Iterator[str]:
		status = response.status_code
		said = message_text(response)
		if status >= 500:
			yield f"{status} ({answer(response).get('exc_type') or response.text[:80]!r})"
		leaked = leaked_traceback(response)
		if leaked:
			yield f"traceback in the answer ({status}): {leaked[:200]!r}"
		if 400 <= status < 500 and not said.strip():
			yield f"{status} without a message: {response.text[:200]!r}"
		if status >= 400 and written:
			yield f"refused ({status}) yet wrote {written}"
		if call.expect and status < 500:
			problem = call.expect(response, said)
			if problem:
				yield problem

	# --- the whitelisted methods -------------------------------------------------------------------

	def baseline(self, method: str) -> dict:
		"""Arguments of the right type and shape: with one of them malformed, the answer is about that one.
		None of them writes, and none is refused with a 417 (which a malformed argument's 417 must name):
		unknown people, a course closed to self-enrolment, a department of nobody, no such assignment."""
		due = str(add_days(today(), 10))
		return {
			"hrms_integration.assign_mandatory_training": {
				"course": self.published,
				"employees": ["fuzz-nobody@example.com"],
				"due_date": due,
			},
			"hrms_integration.get_my_training_assignments": {},
			"hrms_integration.get_team_training_status": {
				"department": "Fuzz Nobody",
				"course": self.published,
			},
			"reporting.counts.get_compliance_counts": {"course": self.published},
			"learning.progress.mark_lesson_complete": {"course": self.published, "lesson": "fuzz-no-lesson"},
			"portal.catalogue.enrol_self": {"course": self.closed},
			"assignments.groups.assign_training_to_group": {
				"course": self.published,
				"due_date": due,
				"department": "Fuzz Nobody",
			},
			"assignments.groups.get_group_assignment": {"job": "fuzz0000nojob000"},
			"assignments.groups.get_group_values": {"field": "department", "txt": "Fuzz"},
			"portal.team.get_my_team_training": {},
			"notifications.manager_digest.set_overdue_digest": {
				"enabled": True
			},  # refused: HR does not allow digests here
			"assignments.hr_records.record_external_completion": {  # refused: no such assignment (404)
				"completed_on": today(),
				"source": "Other",
				"evidence": "/private/files/fuzz-no-such-file.txt",
				"assignment": "TA-fuzz-none",
			},
			"certificates.download_certificate": {"assignment": "TA-fuzz-none"},
			# 404s: no such certificate, course, employee with completions or job
			"certificates.verify_certificate": {"certificate": "0" * 20},
			"certificates.revoke_certificate": {"certificate": "0" * 20, "reason": "Fuzz"},
			"versions.publish_new_version": {"course": "fuzz-no-course", "version": "9"},
			"versions.preview_new_version": {"course": "fuzz-no-course"},
			"reporting.proof_pack.request_proof_pack": {"employee": "fuzz-nobody@example.com"},
			"reporting.proof_pack.get_proof_pack": {"job": "fuzz0000nojob000"},
			# 404s: no such quiz, attempt or lesson (the callers are enrolled in the published course)
			"quiz.start_quiz": {"quiz": "fuzz-no-quiz"},
			"quiz.submit_quiz": {"attempt": "fuzz-no-attempt", "answers": {}},
			"quiz.acknowledge": {"course": self.published, "lesson": "fuzz-no-lesson", "typed_name": "Fuzz"},
			"scorm.commit": {
				"course": self.published,
				"lesson": "fuzz-no-lesson",
				"cmi": "{}",
				"session": "f",
			},
			"quiz.grant_attempts": {
				"assignment": "TA-fuzz-none",
				"quiz": self.targets[QUIZ],
				"extra_attempts": 1,
				"reason": "Fuzz",
			},
			"reporting.cards.expiring_soon_trainings": {},
			"reporting.cards.expired_trainings": {},
			"reporting.cards.assigned_trainings": {},
			"reporting.cards.completed_trainings": {},
			"reporting.cards.overdue_trainings": {},
			"assignments.hr_records.extend_due_date": {
				"assignment": "TA-fuzz-none",
				"due_date": str(add_days(today(), 40)),
				"reason": "Fuzz",
			},
		}[method]

	def method_call(self, rng: random.Random, method: str, caller: str, shape: str) -> Fuzz:
		verbs, roles = METHODS[method]
		function = frappe.get_attr(f"smooth_lms.lms.{method}")
		parameters = inspect.signature(function).parameters
		required = [name for name, p in parameters.items() if p.default is inspect.Parameter.empty]
		args = dict(self.baseline(method))
		malformed: tuple[str, ...] = ()
		if shape == "missing" and required:
			dropped = rng.sample(required, rng.randint(1, len(required)))
			args = {k: v for k, v in args.items() if k not in dropped}
		elif shape in ("bad text", "bad type") and parameters:
			name = rng.choice(list(parameters))
			args[name] = rng.choice(TEXTS if shape == "bad text" else NOT_TEXTS)
			malformed = (name,)
		elif shape == "all bad" and parameters:
			args = {name: rng.choice(TEXTS + NOT_TEXTS) for name in parameters}
			malformed = tuple(parameters)
		else:  # "extra": the right arguments and others nobody asked for
			shape = "extra"
			args.update(dict(rng.sample(sorted(JUNK_KEYS.items()), rng.randint(1, 3))))

		encoding = rng.choice(("json", "json", "form", "query"))
		if encoding == "query" and any(isinstance(v, str) and len(v) > 2000 for v in args.values()):
			encoding = "form"  # 100 kB does not fit in a request line (the web server answers 400)
		verb = "GET" if verbs == GET_ONLY or (encoding == "query" and verbs != POST_ONLY) else "POST"
		call = Fuzz(caller, verb, f"/api/method/smooth_lms.lms.{method}", shape=f"{shape}, {encoding}")
		if encoding == "json":
			call.json = args
		else:
			carried = {k: as_form(v) for k, v in args.items() if as_form(v) is not None}
			if encoding == "form":
				call.data = carried
			else:
				call.params = carried
			args = carried

		missing = tuple(name for name in required if name not in args)
		wrong_type, odd_text = type_check(function, malformed, args)
		if caller not in roles:
			call.expect = refused_with_403
		elif missing:
			call.expect = requires(missing)
		elif wrong_type:
			call.expect = refuses(wrong_type)
		elif odd_text:
			# Odd text, or a value of the right type and the wrong content (answers={"q": {}}): a 417
			# names one of the arguments sent malformed.
			call.expect = names_one_of(malformed)
		return call

	def method_calls(self, count: int) -> list[Fuzz]:
		rng = random.Random(SEED)
		shapes = ("missing", "bad text", "bad type", "bad type", "all bad", "extra")
		return [
			self.method_call(rng, rng.choice(sorted(METHODS)), rng.choice(list(CALLERS)), rng.choice(shapes))
			for _ in range(count)
		]

	def test_the_fuzz_knows_every_whitelisted_method_and_app_doctype(self):
		self.assertEqual(sorted(f"smooth_lms.lms.{m}" for m in METHODS), sorted(whitelisted_methods()))
		self.assertEqual(sorted(self.targets), app_doctypes())

	def test_whitelisted_methods_refuse_malformed_arguments_cleanly(self):
		self.run_fuzz("whitelisted methods, malformed arguments", self.method_calls(1100))

	def test_whitelisted_methods_refuse_wrong_verbs(self):
		calls = []
		for method, (verbs, _roles) in sorted(METHODS.items()):
			for verb in ("GET", "POST", "PUT", "DELETE", "PATCH"):
				if verb in verbs:
					continue
				for caller in CALLERS:
					params = {k: as_form(v) for k, v in self.baseline(method).items()}
					path = f"/api/method/smooth_lms.lms.{method}"
					calls.append(
						Fuzz(caller, verb, path, params=params, shape="wrong verb", expect=refused_with_403)
					)
		self.run_fuzz("whitelisted methods, wrong verbs", calls)

	# --- quizzes: what a learner sends of their own attempt and statement ------------------------------

	def test_malformed_answers_to_an_open_attempt_are_refused_and_it_stays_open(self):
		"""Every shape JSON can carry, as `answers` and inside it (a question's choice, an option), sent as
		JSON and as form text by the attempt's own learner: each one that is not a map of drawn question to
		options shown with it (a name, a list of names, or nothing) is a 417 that writes nothing; then the
		attempt is still open and a well-formed submission of it is scored."""
		learner = self.callers["LMS Student"]
		started = as_user(learner, start_quiz, self.quiz)
		frappe.db.commit()
		question = started["questions"][0]["question"]
		shown = {q["question"]: {o["option"] for o in q["options"]} for q in started["questions"]}
		other = started["questions"][1]["options"][0]["option"]  # shown, but with another question
		values = [*TEXTS, *NOT_TEXTS, ["x"], [other], [None], [1.5], [["o"]], [{"o": 1}], "fuzz-no-option"]
		shapes = list(values)
		shapes += [{question: value} for value in values]
		shapes += [{question: [value]} for value in values]
		shapes += [{"fuzz-no-question": []}, {other: [other]}, {"__proto__": {question: []}}]
		shapes += [json.dumps(shape) for shape in shapes if not isinstance(shape, str)]
		calls = []
		for shape in shapes:
			for encoding in ("json", "form"):
				body = {"attempt": started["attempt"], "answers": shape}
				sent = body["answers"] if encoding == "json" else as_form(shape)
				if sent is None or well_formed_answers(sent, shown):
					continue
				call = Fuzz("LMS Student", "POST", "/api/method/smooth_lms.lms.quiz.submit_quiz")
				call.shape, call.expect = f"answers, {encoding}", refused_with(417)
				call.json, call.data = encoded(body, encoding)
				calls.append(call)
		self.assertGreater(len(calls), 150)
		self.run_fuzz("submit_quiz, malformed answers", calls)
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value(QUIZ_ATTEMPT, started["attempt"], "status"), "Open")
		self.assertFalse(frappe.db.exists(QUIZ_SUBMISSION, {"quiz_attempt": started["attempt"]}))
		scored = self.sessions["LMS Student"].post(
			base_url() + "/api/method/smooth_lms.lms.quiz.submit_quiz",
			json={"attempt": started["attempt"], "answers": right_answers(started["attempt"])},
			timeout=60,
		)
		self.assertEqual(scored.status_code, 200, scored.text[:300])
		self.assertTrue(scored.json()["message"]["passed"])

	def test_a_name_that_is_not_the_learners_signs_nothing(self):
		calls = []
		for caller in SIGNED_IN:
			for typed in [*TEXTS, *NOT_TEXTS]:
				body = {"course": self.quiz_course, "lesson": self.statement, "typed_name": typed}
				call = Fuzz(caller, "POST", "/api/method/smooth_lms.lms.quiz.acknowledge", shape="typed name")
				call.json, call.expect = body, refused_with(417)
				calls.append(call)
		self.run_fuzz("acknowledge, names that are not the learner's", calls)

	# Frappe runs the legacy RPC named by a `cmd` key of any request's arguments, whatever its path
	# (frappe/app.py: `elif frappe.form_dict.cmd`), before the app's method and its guard: a call to the
	# app's method carrying cmd=frappe.client.delete runs frappe.client.delete instead, and its missing
	# arguments make a 500 TypeError (no traceback: the path is still the app's).
	def test_a_cmd_argument_does_not_reroute_the_call(self):
		rng = random.Random(SEED + 1)
		commands = [
			"frappe.client.delete",
			"frappe.client.get_list",
			"frappe.client.get_value",
			"frappe.ping",
		]
		commands += ["smooth_lms.lms.portal.course_page", "no.such.method", "", HUGE]
		calls = []
		for _ in range(60):
			method, caller, command = (
				rng.choice(sorted(METHODS)),
				rng.choice(list(CALLERS)),
				rng.choice(commands),
			)
			body = {**self.baseline(method), "cmd": command}
			path = f"/api/method/smooth_lms.lms.{method}"
			call = Fuzz(caller, "POST", path, shape="cmd")
			call.json, call.data = (body, None) if rng.random() < 0.5 else (None, body)
			calls.append(call)
		self.run_fuzz("cmd argument", calls)

	# --- request bodies that are not a JSON object ---------------------------------------------------

	# Frappe parses a JSON body before any `before_request` hook runs (frappe/app.py: init_request ->
	# make_form_dict), so the app's hook has not yet turned tracebacks off: a body that is not JSON is a
	# 500 JSONDecodeError with the traceback in `exc`, a JSON scalar (null, 1, "x") a 417 "Invalid request
	# arguments" with the traceback; a JSON list sent to /api/resource is a 500 TypeError (POST) or
	# AttributeError (PUT).
	@unittest.expectedFailure
	def test_bodies_that_are_not_json_objects_are_refused_cleanly(self):
		bodies = ["{bad", "{'course': 1}", '{"course": ', "[", "null", "1", '"text"', "true", "[]", "[1, 2]"]
		bodies += ['[{"course": "x"}]', "\ufeff{}", "\u0000", HUGE, "{" * 5000, ""]
		paths = [f"/api/method/smooth_lms.lms.{method}" for method in sorted(METHODS)]
		paths += [resource(doctype) for doctype in self.targets]
		paths += [resource(doctype, name) for doctype, name in self.targets.items()]
		rng = random.Random(SEED + 2)
		calls = []
		for path in paths:
			for body in rng.sample(bodies, 5):
				verb = "PUT" if path.count("/") > 3 and path.startswith("/api/resource") else "POST"
				caller = rng.choice(list(CALLERS))
				headers = {
					"Content-Type": rng.choice(["application/json", "application/json; charset=utf-8"])
				}
				calls.append(Fuzz(caller, verb, path, data=body.encode(), headers=headers, shape="raw body"))
		self.run_fuzz("bodies that are not JSON objects", calls)

	# --- /api/resource of the app's DocTypes ---------------------------------------------------------

	def creation(self, doctype: str) -> dict:
		"""A body of the right shape for a new document (refused or not, it is the fuzz's starting point)."""
		return {
			"LMS Course": {"title": "Fuzz course", "published": 0},
			"LMS Enrollment": {"member": self.learner, "course": self.published},
			"LMS Course Progress": {"member": self.learner, "course": self.published, "lesson": self.lesson},
			"LMS Training Assignment": {
				"employee": self.learner,
				"course": self.published,
				"due_date": str(add_days(today(), 10)),
			},
			"LMS Settings": {"onboarding_due_days": 30},
			"LMS Onboarding Training": {"onboarding_doctype": "User", "onboarding": self.learner},
			# Without their tables: Frappe fails on a table sent as form text (a 500 TypeError, see
			# test_resources_refuse_lists_and_objects_in_fields_cleanly).
			QUESTION: {"question": "<p>Fuzz?</p>", "type": "Single Choice"},
			QUIZ: {"title": "Fuzz quiz", "course": self.quiz_course, "show_answers": "Never"},
			QUIZ_ATTEMPT: {
				"quiz": self.quiz,
				"member": self.learner,
				"course": self.quiz_course,
				"attempt": 9,
			},
			QUIZ_SUBMISSION: {
				"quiz": self.quiz,
				"member": self.learner,
				"course": self.quiz_course,
				"passed": 1,
			},
			ACKNOWLEDGEMENT: {"member": self.learner, "course": self.quiz_course, "lesson": self.statement},
			SCORM_ATTEMPT: {"member": self.learner, "course": self.quiz_course, "lesson": self.scorm_lesson},
		}.get(doctype, {})

	def may(self, caller: str, doctype: str, ptype: str) -> bool:
		user = self.callers[caller] or "Guest"
		return frappe.has_permission(doctype, ptype, doc=self.targets[doctype], user=user)

	def resource_calls(
		self, rng: random.Random, count: int, doctypes, values: list, fields_of: Callable, writers: bool
	) -> list[Fuzz]:
		"""Calls on the app's DocTypes from callers who may write them (`writers`) or from those who may
		not: GET and PUT of odd names; GET, PUT and (by those who may not) DELETE of an existing
		document; POST of a new one; the fields `fields_of(meta)` carrying `values`. Someone who may not
		write gets 403 for a PUT or DELETE of an existing document, whatever they send."""
		calls = []
		callers = {
			doctype: [c for c in CALLERS if self.may(c, doctype, "write") == writers]
			for doctype in sorted(doctypes)
			if fields_of(frappe.get_meta(doctype))
		}
		callers = {doctype: who for doctype, who in callers.items() if who}
		for _ in range(count if callers else 0):
			doctype = rng.choice(sorted(callers))
			caller = rng.choice(callers[doctype])
			fields = fields_of(frappe.get_meta(doctype))
			body = {
				key: rng.choice(values) for key in rng.sample(fields, rng.randint(1, min(3, len(fields))))
			}
			encoding = rng.choice(("json", "json", "form"))
			kind = rng.choice(("odd name", "existing", "existing", "existing", "new", "new"))
			if kind == "odd name":
				name = rng.choice([text for text in TEXTS if text.strip()] + ["x" * 3000])
				call = Fuzz(caller, rng.choice(("GET", "PUT")), resource(doctype, name), shape="odd name")
			elif kind == "existing":
				verb = rng.choice(("GET", "PUT", "PUT", "DELETE"))
				if verb == "DELETE" and self.may(caller, doctype, "delete"):
					verb = "PUT"  # deleting the fixture would only be a success
				path = resource(doctype, self.targets[doctype])
				call = Fuzz(caller, verb, path, shape=f"existing, {encoding}")
				if verb == "DELETE" or (verb == "PUT" and not writers):
					call.expect = refused_with_403
			else:
				body = {**self.creation(doctype), **body}
				call = Fuzz(caller, "POST", resource(doctype), shape=f"new, {encoding}")
			if call.verb in ("PUT", "POST"):
				call.json, call.data = encoded(body, encoding)
			calls.append(call)
		return calls

	def test_resources_refuse_callers_without_permission_whatever_they_send(self):
		rng = random.Random(SEED + 3)
		calls = self.resource_calls(rng, 500, hooked(self.targets), SCALARS, any_plain_field, writers=False)
		self.run_fuzz("/api/resource, callers who may not write", calls)

	# Writers (Moderator, System Manager) sending values a field cannot hold: a number or true in text, text
	# that is not a date in a Date field, 100 kB in a TEXT column. validation.validate_value_types, first in
	# every app DocType's validate, answers 417 naming the field before MariaDB or Frappe's post-save code
	# (Version diff, attachments) could fail on them.
	def test_resources_refuse_malformed_values_from_writers_cleanly(self):
		rng = random.Random(SEED + 8)
		calls = self.resource_calls(rng, 300, hooked(self.targets), SCALARS, any_plain_field, writers=True)
		self.run_fuzz("/api/resource, malformed values from writers", calls)

	# The app's before_request hook turns tracebacks off for the REST resources of guards.is_app_doctype
	# only; a DocType of the app missing from that list (today LMS Onboarding Training) answers every
	# refusal, 403s included, with the traceback in `exc` and `exception`.
	def test_resources_of_every_app_doctype_answer_without_traceback(self):
		unhooked = [doctype for doctype in self.targets if not is_app_doctype(doctype)]
		rng = random.Random(SEED + 7)
		calls = []
		for writers in (False, True):
			calls += self.resource_calls(rng, 30 * len(unhooked), unhooked, SCALARS, any_plain_field, writers)
		self.run_fuzz("/api/resource of app DocTypes outside the hook", calls)

	# Frappe's document layer takes a list or an object in a field for a value and fails on it, before
	# any permission check for a new document (links are checked first): a Link field given a list is a
	# 500 TypeError (unhashable type), an object a 500 OperationalError or ProgrammingError; a Data
	# field given [1] or {"a": 1} a 500 AttributeError; a child table (lessons, mandatory_for) given
	# text, true or [1] a 500 TypeError or ValueError. The hook keeps the traceback out; the answer is
	# still a 5xx, not a 417 naming the field, and callers without any permission reach it too.
	@unittest.expectedFailure
	def test_resources_refuse_lists_and_objects_in_fields_cleanly(self):
		values = [[], [1, 2], ["a@example.com", None], [[[]]], {}, {"a": {"b": [1]}}, ["x"], [{}], "x", True]
		rng = random.Random(SEED + 4)
		calls = []
		for writers in (False, True):
			calls += self.resource_calls(rng, 80, hooked(self.targets), values, any_field, writers)
		self.run_fuzz("/api/resource, lists and objects in fields", calls)

	# Frappe answers a DELETE of a name that does not exist, and a verb the resource routes do not know
	# (PATCH), with a bare 404 that carries no message; a POST to /api/resource/<DocType>/<name> without
	# `run_method` is a 500 KeyError (frappe/api/v1.py: execute_doc_method pops it).
	@unittest.expectedFailure
	def test_resources_refuse_unknown_names_verbs_and_methods_with_a_message(self):
		rng = random.Random(SEED + 9)
		calls = []
		for doctype, name in sorted(hooked(self.targets).items()):
			for caller in CALLERS:
				odd = rng.choice([text for text in TEXTS if text.strip()])
				calls.append(Fuzz(caller, "DELETE", resource(doctype, odd), shape="delete unknown"))
				calls.append(Fuzz(caller, "PATCH", resource(doctype, name), json={}, shape="PATCH"))
				calls.append(Fuzz(caller, "POST", resource(doctype, name), json={}, shape="no run_method"))
				body = {"run_method": rng.choice(["delete", "save", "db_set", "x"])}
				calls.append(Fuzz(caller, "POST", resource(doctype, name), json=body, shape="run_method"))
		self.run_fuzz("/api/resource, unknown names, verbs and methods", calls)

	# Frappe's list query (frappe/api/v1.py: document_list -> frappe.get_list) answers 500 to arguments
	# that are not what it expects: `fields` / `filters` / `or_filters` that are not JSON
	# (JSONDecodeError), fields that are numbers or SQL (TypeError, IndexError, OperationalError), a
	# filter whose value is an object or a negative limit (ProgrammingError, with the SQL in
	# `_debug_messages`), for any caller who may read the DocType.
	@unittest.expectedFailure
	def test_resource_lists_refuse_malformed_queries_cleanly(self):
		rng = random.Random(SEED + 5)
		arguments = ("fields", "filters", "or_filters", "order_by", "group_by", "limit_start")
		arguments += ("limit_page_length", "limit", "as_dict", "debug", "pluck", "parent")
		calls = []
		for _ in range(200):
			doctype, caller = rng.choice(sorted(hooked(self.targets))), rng.choice(list(CALLERS))
			value = rng.choice([text for text in TEXTS if len(text) < 2000] + NOT_TEXTS)
			params = {rng.choice(arguments): as_form(value) or ""}
			if rng.random() < 0.3:
				params[rng.choice(arguments)] = as_form(rng.choice(NOT_TEXTS)) or ""
			calls.append(Fuzz(caller, "GET", resource(doctype), params=params, shape="list query"))
		self.run_fuzz("/api/resource lists, malformed queries", calls)

	# --- the app's reports, through Frappe's report runner ------------------------------------------

	# Frappe's report runner (frappe/desk/query_report.py) reads `filters` itself before the report's
	# execute: text that is not JSON is a 500 JSONDecodeError in run(), and JSON that is not an object (0,
	# null, a list) a 500 TypeError / ValueError in frappe._dict(filters) of Report.execute_module. The
	# app's part holds: the hook keeps tracebacks out of the runner's answers for the app's reports, and each
	# report refuses filters that are not an object of text values with a 417 (guards.scalar_filters).
	@unittest.expectedFailure
	def test_the_reports_refuse_malformed_filters_cleanly(self):
		rng = random.Random(SEED + 6)
		reports = sorted(frappe.get_all("Report", {"module": "LMS"}, pluck="name"))
		calls = []
		for _ in range(120):
			caller = rng.choice(list(CALLERS))
			value = rng.choice(TEXTS[:3] + TEXTS[4:] + NOT_TEXTS)
			filters = rng.choice(
				[
					as_form(value) or "",
					json.dumps({"group_by": value}),
					json.dumps({"group_by": "Course", "course": value}),
					json.dumps({"group_by": "Department", "department": value}),
				]
			)
			params = {"report_name": rng.choice(reports), "filters": filters}
			call = Fuzz(caller, "GET", "/api/method/frappe.desk.query_report.run", shape="report filters")
			call.params, call.json = (params, None) if rng.random() < 0.5 else (None, params)
			call.verb = "GET" if call.params else "POST"
			calls.append(call)
		self.run_fuzz("report runner, malformed filters", calls)


NO_VALUE_TYPES = ("Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading", "Fold")
SCALARS = [*TEXTS, None, 0, -1, 1.5, 10**30, True, False]


def any_field(meta) -> list[str]:
	return [df.fieldname for df in meta.fields if df.fieldtype not in NO_VALUE_TYPES]


def any_plain_field(meta) -> list[str]:
	"""Fields that hold one value (not a child table)."""
	return [df.fieldname for df in meta.fields if df.fieldtype not in (*NO_VALUE_TYPES, *table_fields)]


def hooked(targets: dict) -> dict:
	"""The DocTypes whose REST resources the app's before_request hook covers."""
	return {doctype: name for doctype, name in targets.items() if is_app_doctype(doctype)}


def resource(doctype: str, name: str | None = None) -> str:
	path = f"/api/resource/{quote(doctype)}"
	return f"{path}/{quote(name, safe='')}" if name is not None else path


def encoded(body: dict, encoding: str) -> tuple[object, object]:
	"""(json, data) of a request carrying `body` as a JSON object, or form-encoded."""
	if encoding == "json":
		return body, None
	return None, {key: as_form(value) for key, value in body.items() if as_form(value) is not None}
