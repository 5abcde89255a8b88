"""Managers on a real site: who is on a manager's team (their current direct reports, nobody else), what
of it they see, and the overdue digest they may opt in to (real Email Queue rows)."""

import datetime

import frappe
from frappe.defaults import get_user_default
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.doctypes import SETTINGS
from smooth_lms.lms.notifications.manager_digest import (
	DIGEST_OPT_IN,
	DIGEST_SENT_ON,
	digest_preference,
	send_overdue_digests,
	set_overdue_digest,
)
from smooth_lms.lms.people.team import reports_of, team_members, team_rows
from smooth_lms.lms.portal.team import get_my_team_training
from smooth_lms.tests.emails import forget_email_accounts, queued_emails, use_outgoing_email_account
from smooth_lms.tests.factories import (
	QueryCounter,
	complete_lessons,
	make_course,
	make_employee,
	make_user,
	store_raw,
	unpublish_all_mandatory_courses,
)
from smooth_lms.tests.hostile import HOSTILE, Markup

ASSIGNMENT = "LMS Training Assignment"


def set_settings(**values) -> None:
	doc = frappe.get_single(SETTINGS)
	doc.update(values)
	doc.save(ignore_permissions=True)


def assignment_of(user: str, course: str) -> str:
	return frappe.db.get_value(ASSIGNMENT, {"employee": user, "course": course})


def due_in(user: str, course: str, days: int) -> None:
	frappe.db.set_value(ASSIGNMENT, assignment_of(user, course), "due_date", add_days(today(), days))


def as_user(user: str, fn, *args, **kwargs):
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


def next_weekday(weekday: int) -> datetime.date:
	"""The next date (after today) falling on `weekday` (Monday 0)."""
	day = getdate(add_days(today(), 1))
	return getdate(add_days(day, (weekday - day.weekday()) % 7))


class Org:
	"""A small company, inside the test's transaction.

	manager M (Sales) ← A (Sales), B (Sales), C (Operations: a direct report in another department),
	                     L (Left), U (user disabled), I (Inactive)
	colleague N (Sales) ← D (Sales)
	A ← G (A's own report: M's indirect report)
	X (Operations) reports to nobody
	"""

	def __init__(self):
		unpublish_all_mandatory_courses()  # no Employee below starts owing a course of another test
		self.m, self.n, self.x = make_user(), make_user(), make_user()
		self.m_id = make_employee(self.m, "Sales", name="Maria Manager")
		self.n_id = make_employee(self.n, "Sales", name="Nils Colleague")
		make_employee(self.x, "Operations", name="Xavier Elsewhere")
		self.a, self.b, self.c, self.d, self.g = (make_user() for _ in range(5))
		self.a_id = make_employee(self.a, "Sales", name="Ava Report", reports_to=self.m_id)
		self.b_id = make_employee(self.b, "Sales", name="Ben Report", reports_to=self.m_id)
		self.c_id = make_employee(self.c, "Operations", name="Cleo Report", reports_to=self.m_id)
		make_employee(self.d, "Sales", name="Dan Other", reports_to=self.n_id)
		make_employee(self.g, "Sales", name="Gus Indirect", reports_to=self.a_id)
		self.left, self.disabled, self.inactive = make_user(), make_user(), make_user()
		make_employee(self.left, "Sales", name="Leo Left", reports_to=self.m_id, status="Left")
		make_employee(self.disabled, "Sales", name="Uma Disabled", reports_to=self.m_id)
		frappe.db.set_value("User", self.disabled, "enabled", 0)
		make_employee(self.inactive, "Sales", name="Ian Inactive", reports_to=self.m_id, status="Inactive")

		self.safety = make_course(title=f"Safety {frappe.generate_hash(length=4)}", lessons=2)
		self.privacy = make_course(title=f"Privacy {frappe.generate_hash(length=4)}", lessons=2)
		everyone = [self.m, self.n, self.x, self.a, self.b, self.c, self.d, self.g, self.left]
		everyone += [self.disabled, self.inactive]
		create_assignments([self.safety], everyone, add_days(today(), 10))
		create_assignments([self.privacy], [self.a], add_days(today(), 20))

	def make_everyone_late(self) -> None:
		"""Safety past due for everyone: Overdue by the daily job, except B's (open past due: late all
		the same, before the job)."""
		for user in (self.m, self.n, self.x, self.a, self.c, self.d, self.g, self.left, self.disabled):
			due_in(user, self.safety, -3)
		mark_overdue_assignments()
		due_in(self.b, self.safety, -1)


class ManagerCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("managers_test")

		def restore():
			frappe.set_user("Administrator")
			frappe.db.rollback(save_point="managers_test")
			frappe.clear_document_cache(SETTINGS, SETTINGS)
			forget_email_accounts()

		self.addCleanup(restore)
		self.org = Org()


class TestTeam(ManagerCase):
	def test_a_manager_has_their_current_direct_reports_only(self):
		org = self.org
		self.assertEqual(reports_of(org.m), [org.a, org.b, org.c])  # by name
		self.assertEqual(reports_of(org.n), [org.d])
		self.assertEqual(reports_of(org.a), [org.g])  # a report may manage someone too
		for nobody in (org.x, org.g, "Administrator", "Guest", ""):
			with self.subTest(user=nobody):
				self.assertEqual(reports_of(nobody), [])

	def test_the_team_follows_the_reporting_line(self):
		org = self.org
		frappe.db.set_value("Employee", {"user_id": org.d}, "reports_to", org.m_id)
		frappe.db.set_value("Employee", org.c_id, "status", "Left")
		self.assertEqual(set(reports_of(org.m)), {org.a, org.b, org.d})
		self.assertEqual(reports_of(org.n), [])

	def test_a_manager_who_left_manages_nobody(self):
		frappe.db.set_value("Employee", self.org.m_id, "status", "Left")
		self.assertEqual(reports_of(self.org.m), [])

	def test_members_carry_their_employee_record(self):
		members = team_members(self.org.m)
		self.assertEqual(
			[(m["employee"], m["employee_id"], m["employee_name"], m["department"]) for m in members],
			[
				(self.org.a, self.org.a_id, "Ava Report", "Sales"),
				(self.org.b, self.org.b_id, "Ben Report", "Sales"),
				(self.org.c, self.org.c_id, "Cleo Report", "Operations"),
			],
		)

	def test_team_rows_by_person_then_due_date(self):
		org = self.org
		complete_lessons(org.b, org.safety, 1)
		org.make_everyone_late()
		rows = team_rows(org.m)
		self.assertEqual(
			[(row["employee"], row["course"]) for row in rows],
			[(org.a, org.safety), (org.a, org.privacy), (org.b, org.safety), (org.c, org.safety)],
		)
		a_safety, a_privacy, b_safety, _c = rows
		self.assertEqual(
			{key: a_safety[key] for key in ("employee_name", "course_title", "status", "progress")},
			{
				"employee_name": "Ava Report",
				"course_title": frappe.db.get_value("LMS Course", org.safety, "title"),
				"status": "Overdue",
				"progress": 0,
			},
		)
		self.assertEqual(a_safety["due_date"], getdate(add_days(today(), -3)))
		self.assertEqual(a_safety["assignment"], assignment_of(org.a, org.safety))
		self.assertEqual(a_privacy["status"], "Pending")
		# Past its due date, part-way through: Overdue for every reader, before the daily job too.
		self.assertEqual((b_safety["status"], b_safety["progress"]), ("Overdue", 50))

		complete_lessons(org.a, org.privacy, 2)
		a_privacy = team_rows(org.m)[1]
		self.assertEqual(
			(a_privacy["status"], a_privacy["progress"], a_privacy["completed_on"]),
			("Completed", 100, getdate(today())),
		)

	def test_team_rows_cost_the_same_whatever_the_size(self):
		org = self.org
		with QueryCounter() as few:
			team_rows(org.m)
		for _ in range(6):
			user = make_user()
			make_employee(user, "Sales", reports_to=org.m_id)
			create_assignments([org.safety, org.privacy], [user], add_days(today(), 5))
		with QueryCounter() as many:
			rows = team_rows(org.m)
		self.assertEqual(len(rows), 4 + 12)
		self.assertEqual(few.count, many.count)
		self.assertLessEqual(many.count, 2)


class TestGetMyTeamTraining(ManagerCase):
	def call_as(self, user: str) -> dict:
		return as_user(user, get_my_team_training)

	def people(self, answer: dict) -> tuple[set, set]:
		return {r["employee"] for r in answer["reports"]}, {r["employee"] for r in answer["rows"]}

	def test_a_manager_sees_only_their_direct_reports(self):
		org = self.org
		org.make_everyone_late()
		answer = self.call_as(org.m)
		reports, rows = self.people(answer)
		self.assertEqual(reports, {org.a, org.b, org.c})
		self.assertEqual(rows, {org.a, org.b, org.c})
		# not a colleague's report, not another department, not a report's own report, not leavers,
		# not themselves
		for other in (org.d, org.x, org.g, org.left, org.disabled, org.inactive, org.m, org.n):
			self.assertNotIn(other, reports | rows)
		self.assertEqual(
			{
				key: answer["summary"][key]
				for key in ("reports", "total", "overdue", "in_progress", "pending")
			},
			{"reports": 3, "total": 4, "overdue": 3, "in_progress": 0, "pending": 1},
		)
		self.assertEqual(set(answer), {"reports", "rows", "summary", "digest"})

	def test_each_manager_their_own_team(self):
		org = self.org
		self.assertEqual(self.people(self.call_as(org.n)), ({org.d}, {org.d}))
		self.assertEqual(self.people(self.call_as(org.a)), ({org.g}, {org.g}))

	def test_someone_who_manages_nobody_gets_empty_lists(self):
		for user in (
			self.org.x,
			self.org.d,
			make_user("HR Manager"),
			make_user("Moderator"),
			"Administrator",
		):
			with self.subTest(user=user):
				answer = self.call_as(user)
				self.assertEqual((answer["reports"], answer["rows"]), ([], []))
				self.assertEqual((answer["summary"]["total"], answer["summary"]["reports"]), (0, 0))

	def test_guest_is_refused(self):
		frappe.set_user("Guest")
		with self.assertRaisesRegex(frappe.PermissionError, "log in"):
			get_my_team_training()

	def test_no_argument_names_another_team(self):
		frappe.set_user(self.org.x)
		with self.assertRaises(frappe.ValidationError):
			get_my_team_training(manager_user=self.org.m)

	def test_is_whitelisted_and_the_toggle_is_post_only(self):
		self.assertIn(get_my_team_training, frappe.whitelisted)
		self.assertEqual(frappe.allowed_http_methods_for_whitelisted_func[set_overdue_digest], ["POST"])


class DigestCase(ManagerCase):
	def setUp(self):
		super().setUp()
		use_outgoing_email_account()
		set_settings(allow_manager_digests=1, manager_digest_frequency="Daily")
		self.org.make_everyone_late()

	def opt_in(self, *users: str, enabled: bool = True) -> None:
		for user in users:
			as_user(user, set_overdue_digest, enabled)

	def title(self, course: str) -> str:
		return frappe.db.get_value("LMS Course", course, "title")

	def bodies(self, user: str) -> list[str]:
		return [body for _subject, body in queued_emails(user)]


class TestDigestOptIn(DigestCase):
	def test_each_user_sets_their_own_preference_only(self):
		org = self.org
		self.assertFalse(digest_preference(org.m)["enabled"])  # off until the manager opts in
		answer = as_user(org.m, set_overdue_digest, True)
		self.assertEqual(answer, {"allowed": True, "enabled": True, "frequency": "Daily"})
		self.assertEqual(get_user_default(DIGEST_OPT_IN, org.m), "1")
		self.assertFalse(digest_preference(org.n)["enabled"])
		self.assertFalse(as_user(org.m, set_overdue_digest, False)["enabled"])

	def test_opting_in_needs_hr_to_allow_digests(self):
		set_settings(allow_manager_digests=0)
		with self.assertRaisesRegex(frappe.ValidationError, "turned off in LMS Settings"):
			as_user(self.org.m, set_overdue_digest, True)
		self.assertFalse(as_user(self.org.m, set_overdue_digest, False)["enabled"])

	def test_guest_is_refused(self):
		frappe.set_user("Guest")
		with self.assertRaisesRegex(frappe.PermissionError, "log in"):
			set_overdue_digest(True)


class TestOverdueDigest(DigestCase):
	def test_one_email_per_opted_in_manager_listing_their_reports_overdue_training(self):
		org = self.org
		self.opt_in(org.m, org.n)  # A (G's manager) does not opt in

		self.assertEqual(send_overdue_digests(), {"emails": 2, "rows": 4})

		((subject, body),) = queued_emails(org.m)
		self.assertEqual(subject, "Overdue training in your team: 3 trainings, 3 people")
		for text in ("Ava Report", "Ben Report", "Cleo Report", self.title(org.safety), "/lms/my-team"):
			self.assertIn(text, body)
		self.assertNotIn(self.title(org.privacy), body)  # A's other training is not late
		for name in ("Leo Left", "Uma Disabled", "Ian Inactive", "Gus Indirect", "Dan Other"):
			self.assertNotIn(name, body)  # not M's current direct reports
		((_subject, body),) = queued_emails(org.n)
		self.assertIn("Dan Other", body)
		self.assertNotIn("Ava Report", body)
		for user in (org.a, org.b, org.g, org.x):
			self.assertEqual(queued_emails(user), [])

	def test_never_twice_the_same_day(self):
		self.opt_in(self.org.m)
		self.assertEqual(send_overdue_digests()["emails"], 1)
		self.assertEqual(send_overdue_digests()["emails"], 0)
		self.assertEqual(len(queued_emails(self.org.m)), 1)
		self.assertEqual(get_user_default(DIGEST_SENT_ON, self.org.m), today())

		self.assertEqual(send_overdue_digests(add_days(today(), 1))["emails"], 1)  # the next day
		self.assertEqual(len(queued_emails(self.org.m)), 2)

	def test_weekly_digests_go_out_on_mondays(self):
		set_settings(manager_digest_frequency="Weekly (Monday)")
		self.opt_in(self.org.m)
		self.assertEqual(send_overdue_digests(next_weekday(1))["emails"], 0)  # Tuesday
		self.assertEqual(send_overdue_digests(next_weekday(0))["emails"], 1)  # Monday
		self.assertEqual(send_overdue_digests(next_weekday(0))["emails"], 0)

	def test_nothing_unless_hr_allows_digests(self):
		self.opt_in(self.org.m)
		set_settings(allow_manager_digests=0)
		self.assertEqual(send_overdue_digests(), {"emails": 0, "rows": 0})
		self.assertEqual(queued_emails(self.org.m), [])

	def test_nothing_to_managers_who_did_not_opt_in_or_opted_out(self):
		self.opt_in(self.org.m)
		self.opt_in(self.org.m, enabled=False)
		self.assertEqual(send_overdue_digests()["emails"], 0)
		self.assertEqual(queued_emails(self.org.m), [])

	def test_nothing_to_a_disabled_manager_or_one_who_left(self):
		self.opt_in(self.org.m, self.org.n)
		frappe.db.set_value("User", self.org.m, "enabled", 0)
		frappe.db.set_value("Employee", self.org.n_id, "status", "Left")
		self.assertEqual(send_overdue_digests()["emails"], 0)
		self.assertEqual((queued_emails(self.org.m), queued_emails(self.org.n)), ([], []))

	def test_nothing_when_no_report_is_late(self):
		self.opt_in(self.org.n)
		complete_lessons(self.org.d, self.org.safety, 2)
		self.assertEqual(send_overdue_digests()["emails"], 0)
		self.assertIsNone(get_user_default(DIGEST_SENT_ON, self.org.n))

	def test_without_an_email_account_nothing_is_queued_nor_recorded(self):
		self.opt_in(self.org.m)
		frappe.db.set_value("Email Account", {"enable_outgoing": 1}, "enable_outgoing", 0)
		forget_email_accounts()
		self.assertEqual(send_overdue_digests()["emails"], 0)
		self.assertIsNone(get_user_default(DIGEST_SENT_ON, self.org.m))

	def test_hostile_names_and_titles_are_text(self):
		org = self.org
		store_raw("Employee", org.a_id, {"employee_name": HOSTILE["tag"]})
		store_raw("Employee", org.b_id, {"employee_name": HOSTILE["quote"]})
		store_raw(
			"LMS Training Assignment", assignment_of(org.a, org.safety), {"course_title": HOSTILE["script"]}
		)
		store_raw("User", org.m, {"full_name": HOSTILE["open_tag"]})
		self.opt_in(org.m)
		send_overdue_digests()
		(body,) = self.bodies(org.m)
		page = Markup(body)
		self.assertEqual(page.injected, [])
		for markup in ("<img", "<script>window"):
			self.assertNotIn(markup, body)
		self.assertIn(HOSTILE["quote"], page.text)  # whole, as text
		self.assertIn("window.__xss=4", page.text)  # the script payload's text, its tags dropped
