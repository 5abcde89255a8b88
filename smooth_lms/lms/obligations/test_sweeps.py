"""Assigning a course to a department, designation or branch (the Assign Training dialog's group sweeps):
who is in a group, the answer given at once, the background job with its progress and status, and who
may call what. Real site; the job's status, its progress events and its queue are the bench's Redis."""

import json
from unittest.mock import patch

import frappe
from frappe.utils import add_days, getdate, today
from frappe.utils.background_jobs import get_redis_connection_without_auth

from smooth_lms.lms.assignments import groups
from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.groups import (
	get_group_values,
	group_members,
	run_group_assignment,
)
from smooth_lms.tests.factories import (
	ASSIGNMENT,
	make_course,
	make_employee,
	make_staff,
	make_user,
	member,
	unique,
)
from smooth_lms.tests.group_case import GroupCase, new_process_cache

NOTHING_SKIPPED = {"unknown_users": 0, "disabled_users": 0, "left_users": 0}
REFUSALS = {403: frappe.PermissionError, 404: frappe.DoesNotExistError, 417: frappe.ValidationError}


def without_done(status: dict) -> dict:
	return {key: value for key, value in status.items() if key != "done"}


class RealtimeEvents:
	"""The realtime events this site publishes while the block runs, read where Frappe's socketio server
	reads them: the "events" channel of the bench's Redis."""

	def __enter__(self):
		self.events = []
		self.pubsub = get_redis_connection_without_auth().pubsub()
		self.pubsub.subscribe("events")
		self.pubsub.get_message(timeout=5)  # the subscription's confirmation: listening from here on
		return self

	def __exit__(self, *exc):
		while message := self.pubsub.get_message(timeout=0.5):
			if message["type"] == "message":
				event = json.loads(message["data"])
				if event.get("namespace") == frappe.local.site:
					self.events.append(event)
		self.pubsub.close()

	def progress_of(self, user: str) -> list[dict]:
		"""The "progress" events sent to a user (Frappe's progress bar on their desk)."""
		return [e["message"] for e in self.events if e["event"] == "progress" and e["room"] == f"user:{user}"]


class TestWhoIsInAGroup(GroupCase):
	def test_a_group_is_its_active_employees_with_an_enabled_user(self):
		ava, ben = member(self.department), member(self.department, designation="Lead")
		member(self.department, enabled=0)  # disabled user
		member(self.department, status="Left")
		member(self.department, status="Suspended")
		member(self.department, status="Inactive")
		make_employee(None, department=self.department)  # no user
		member(unique("Elsewhere"))

		self.assertEqual(group_members({"department": self.department}), sorted([ava, ben]))
		self.assertEqual(self.assign(department=self.department)["total"], 2)

	def test_department_designation_and_branch_combine(self):
		designation, branch, other_branch = unique("Designation"), unique("Branch"), unique("Branch")
		everything = member(self.department, designation=designation, branch=branch)
		other_branch_user = member(self.department, designation=designation, branch=other_branch)
		other_designation = member(self.department, designation=unique("Designation"), branch=branch)
		elsewhere = member(unique("Department"), designation=designation, branch=branch)

		self.assertEqual(
			group_members({"department": self.department, "designation": designation, "branch": branch}),
			[everything],
		)
		self.assertEqual(
			group_members({"designation": designation, "branch": branch}), sorted([everything, elsewhere])
		)
		self.assertEqual(
			group_members({"department": self.department, "designation": designation}),
			sorted([everything, other_branch_user]),
		)
		self.assertEqual(
			group_members({"branch": branch}), sorted([everything, other_designation, elsewhere])
		)
		answer = self.assign(department=self.department, designation=designation, branch=branch)
		self.assertEqual((answer["total"], answer["created"]), (1, 1))
		self.assertEqual(list(self.assigned()), [everything])

	def test_a_mover_counts_where_their_active_record_is(self):
		mover = member(self.department, status="Left")
		new_department = unique("Department")
		make_employee(mover, department=new_department)

		self.assertEqual(group_members({"department": self.department}), [])
		self.assertEqual(group_members({"department": new_department}), [mover])

	def test_suggestions_are_the_groups_a_sweep_reaches(self):
		prefix = unique("Suggest")
		reached, with_lead = f"{prefix} Sales", f"{prefix} Support"
		member(reached, designation=f"{prefix} Associate", branch=f"{prefix} North")
		member(reached, designation=f"{prefix} Associate", branch=f"{prefix} North")  # counted once
		member(with_lead, designation=f"{prefix} Lead", branch="")
		member(f"{prefix} Leavers", status="Left")
		member(f"{prefix} Disabled", enabled=0)
		make_employee(None, department=f"{prefix} No Users")

		frappe.set_user(self.moderator)
		self.assertEqual(get_group_values("department", prefix), [reached, with_lead])
		self.assertEqual(get_group_values("department", f"{prefix} sup"), [with_lead])  # case-insensitive
		self.assertEqual(get_group_values("designation", prefix), [f"{prefix} Associate", f"{prefix} Lead"])
		self.assertEqual(get_group_values("branch", prefix), [f"{prefix} North"])  # never an empty one
		self.assertLessEqual(len(get_group_values("department")), groups.SUGGESTIONS)

	def test_suggestions_match_what_is_typed_literally(self):
		prefix = unique("Literal")
		percent, digits = f"{prefix} 100% Sales", f"{prefix} 1000 Sales"
		member(percent)
		member(digits)
		member(f"{prefix} A_B")
		member(f"{prefix} AxB")

		frappe.set_user(self.moderator)
		self.assertEqual(get_group_values("department", f"{prefix} 100%"), [percent])
		self.assertEqual(get_group_values("department", f"{prefix} A_"), [f"{prefix} A_B"])


class TestAssignAtOnce(GroupCase):
	def test_a_small_group_is_assigned_at_once_with_its_summary(self):
		ava, ben, chloe = (member(self.department) for _ in range(3))
		leaver, disabled = member(self.department, status="Left"), member(self.department, enabled=0)
		create_assignments([self.course], [chloe], add_days(today(), 5))  # already open: skipped

		answer = self.assign(department=self.department)

		self.assertEqual(
			answer, {"queued": False, "total": 3, "created": 2, "already_open": 1, **NOTHING_SKIPPED}
		)
		rows = self.assigned()
		self.assertEqual(sorted(rows), sorted([ava, ben, chloe]))
		for user in (ava, ben):
			self.assertEqual(
				rows[user],
				{"status": "Pending", "due_date": getdate(self.due), "assigned_by": self.moderator},
			)
		self.assertEqual(rows[chloe]["due_date"], getdate(add_days(today(), 5)))  # left as it was
		self.assertNotIn(leaver, rows)
		self.assertNotIn(disabled, rows)
		self.assertIn("LMS Student", frappe.get_roles(ava))

	def test_assigning_the_same_group_again_creates_nothing(self):
		users = [member(self.department) for _ in range(3)]
		self.assign(department=self.department)

		again = self.assign(department=self.department)

		self.assertEqual(
			again, {"queued": False, "total": 3, "created": 0, "already_open": 3, **NOTHING_SKIPPED}
		)
		self.assertEqual(frappe.db.count(ASSIGNMENT, {"course": self.course}), 3)
		self.assertEqual(sorted(self.assigned()), sorted(users))

	def test_an_empty_group_assigns_nobody(self):
		member(self.department, status="Left")
		answer = self.assign(department=self.department)
		self.assertEqual(
			answer, {"queued": False, "total": 0, "created": 0, "already_open": 0, **NOTHING_SKIPPED}
		)


class TestQueuedGroup(GroupCase):
	def queue_group(self, size: int, limit: int = 2) -> tuple[list[str], dict]:
		users = [member(self.department) for _ in range(size)]
		with patch.object(groups, "INLINE_LIMIT", limit):
			answer = self.assign(department=self.department)
		self.forget_job(answer["job"])
		return users, answer

	def test_a_large_group_is_queued_and_followed_until_its_summary(self):
		users, answer = self.queue_group(3)

		self.assertEqual(set(answer), {"queued", "job", "total"})
		self.assertEqual((answer["queued"], answer["total"]), (True, 3))
		self.assertEqual(self.assigned(), {})  # nothing before the job runs
		self.assertEqual(self.job_status(answer["job"]), {"total": 3, "done": 0, "finished": False})

		with RealtimeEvents() as realtime:
			performed = self.run_queued_job()

		self.assertEqual(performed["job"], answer["job"])
		self.assertEqual(performed["due_date"], str(getdate(self.due)))
		self.assertEqual(
			realtime.progress_of(self.moderator),
			[{"percent": 100.0, "title": "Assigning training", "description": "3 of 3"}],
		)
		self.assertEqual(
			without_done(self.job_status(answer["job"])),  # "done": see the known gap below
			{"total": 3, "finished": True, "created": 3, "already_open": 0, **NOTHING_SKIPPED},
		)
		rows = self.assigned()
		self.assertEqual(sorted(rows), sorted(users))
		for row in rows.values():
			self.assertEqual(
				row, {"status": "Pending", "due_date": getdate(self.due), "assigned_by": self.moderator}
			)

	def test_running_the_job_again_creates_nothing(self):
		users, answer = self.queue_group(3)
		kwargs = self.run_queued_job()
		del kwargs["method"]

		new_process_cache()
		frappe.set_user(self.moderator)
		run_group_assignment(**kwargs)  # a rerun, e.g. after a worker died before its last commit

		self.assertEqual(
			without_done(self.job_status(answer["job"])),
			{"total": 3, "finished": True, "created": 0, "already_open": 3, **NOTHING_SKIPPED},
		)
		self.assertEqual(frappe.db.count(ASSIGNMENT, {"course": self.course}), 3)
		self.assertEqual(sorted(self.assigned()), sorted(users))

	def test_people_who_leave_before_the_job_runs_are_skipped_and_counted(self):
		(stays, disabled, leaver, deleted), answer = self.queue_group(4)
		frappe.db.set_value("User", disabled, "enabled", 0)
		frappe.db.set_value("Employee", {"user_id": leaver}, "status", "Left")
		frappe.db.delete("User", {"name": deleted})

		self.run_queued_job()

		self.assertEqual(
			without_done(self.job_status(answer["job"])),
			{
				"total": 4,
				"finished": True,
				"created": 1,
				"already_open": 0,
				"unknown_users": 1,
				"disabled_users": 1,
				"left_users": 1,
			},
		)
		self.assertEqual(list(self.assigned()), [stays])

	def test_the_job_reports_its_progress_after_each_chunk_of_1000(self):
		users = make_staff(1001, department=self.department)  # above INLINE_LIMIT as it stands

		answer = self.assign(department=self.department)
		self.forget_job(answer["job"])
		self.assertEqual((answer["queued"], answer["total"]), (True, 1001))
		with RealtimeEvents() as realtime:
			self.run_queued_job()

		self.assertEqual(
			[
				(event["description"], round(event["percent"], 1))
				for event in realtime.progress_of(self.moderator)
			],
			[("1000 of 1001", 99.9), ("1001 of 1001", 100.0)],
		)
		status = self.job_status(answer["job"])
		self.assertEqual((status["finished"], status["created"]), (True, 1001))
		self.assertEqual(
			frappe.db.count(ASSIGNMENT, {"course": self.course, "employee": ("in", users)}), 1001
		)

	def test_a_job_is_seen_by_its_requester_only(self):
		# Made first: creating a user clears the site's whole cache (see the test below).
		other_moderator = make_user("Moderator")
		others = ("Guest", make_user("HR Manager"), make_user("LMS Student"))
		_users, answer = self.queue_group(3)

		with self.assertRaises(frappe.DoesNotExistError) as refused:
			self.job_status(answer["job"], user=other_moderator)
		self.assertEqual(refused.exception.http_status_code, 404)
		with self.assertRaises(frappe.DoesNotExistError):
			self.job_status("no-such-job")
		for user in others:
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError):
				self.job_status(answer["job"], user=user)
		self.assertEqual(self.job_status(answer["job"])["total"], 3)

	# The job reads its status from Redis every time (not a per-process copy).
	def test_the_final_status_counts_everyone_done(self):
		_users, answer = self.queue_group(3)
		self.run_queued_job()
		self.assertEqual(self.job_status(answer["job"])["done"], 3)

	# Frappe empties a site's cache on user creation, migrate, clear-cache: the status is kept (hooks.py).
	def test_the_status_outlives_a_full_cache_clear(self):
		_users, answer = self.queue_group(3)

		frappe.clear_cache()

		self.assertEqual(self.job_status(answer["job"]), {"total": 3, "done": 0, "finished": False})
		self.run_queued_job()
		self.assertTrue(self.job_status(answer["job"])["finished"])


class TestRefusals(GroupCase):
	def setUp(self):
		super().setUp()
		self.users = [member(self.department) for _ in range(2)]

	def tearDown(self):
		self.assertEqual(self.assigned(self.users), {})  # nothing written by any refusal
		super().tearDown()

	def assertRefused(self, status: int, call, *args, **kwargs) -> str:
		"""`call` refused with `status` (the HTTP status Frappe answers it with); returns the message."""
		with self.assertRaises(REFUSALS[status]) as refused:
			call(*args, **kwargs)
		self.assertEqual(refused.exception.http_status_code, status, refused.exception)
		return str(refused.exception)

	def test_a_group_is_required(self):
		for group in ({}, {"department": ""}, {"department": None, "designation": "", "branch": ""}):
			with self.subTest(group=group):
				message = self.assertRefused(417, self.assign, **group)
				self.assertIn("Pick a department, designation or branch", message)

	def test_only_moderators_and_system_managers_may_assign_to_a_group(self):
		for user in ("Guest", make_user("LMS Student"), make_user("HR Manager"), make_user()):
			with self.subTest(user=user):
				message = self.assertRefused(403, self.assign, user=user, department=self.department)
				self.assertIn("Moderator", message)
				frappe.set_user(user)
				try:
					self.assertRefused(403, get_group_values, "department")
				finally:
					frappe.set_user("Administrator")
		admin = make_user("System Manager")
		self.assertEqual(self.assign(user=admin, department=self.department)["created"], 2)
		frappe.db.delete(ASSIGNMENT, {"course": self.course})  # for tearDown's "nothing written" check

	def test_the_due_date_must_be_a_date_not_in_the_past(self):
		for due_date, words in (
			(add_days(today(), -1), "in the past"),
			("next tuesday", "not a valid date"),
			("2026-13-45", "not a valid date"),
		):
			with self.subTest(due_date=due_date):
				message = self.assertRefused(417, self.assign, due_date=due_date, department=self.department)
				self.assertIn(words, message)

	def test_the_course_must_exist_and_be_published(self):
		self.course = make_course(published=0)
		self.assertIn("not published", self.assertRefused(417, self.assign, department=self.department))
		self.course = "No Such Course"
		self.assertRefused(404, self.assign, department=self.department)

	def test_suggestions_only_for_group_fields(self):
		frappe.set_user(self.moderator)
		for field in ("user_id", "status", "name", "department`", ""):
			with self.subTest(field=field):
				message = self.assertRefused(417, get_group_values, field)
				self.assertIn("department, designation, branch", message)
