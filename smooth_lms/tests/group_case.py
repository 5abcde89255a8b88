"""GroupCase: the test case of Assign Training to a group (a department, designation or branch) — the
Moderator's call, the job's status as the desk polls it, the queued job run as the worker runs it and
what it assigned. Every test starts afresh: tearDown rolls back what it made and queued."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from smooth_lms.lms.assignments import groups
from smooth_lms.lms.assignments.groups import assign_training_to_group, get_group_assignment
from smooth_lms.tests.factories import (
	ASSIGNMENT,
	make_course,
	make_user,
	run_jobs_enqueued_after_commit,
	unique,
)

JOB = "smooth_lms.lms.assignments.groups.run_group_assignment"


def new_process_cache() -> None:
	"""Frappe keeps what it reads of its Redis cache for the rest of a request or job (frappe.local.cache,
	emptied by frappe.init): start afresh, as the next request or the worker's job does."""
	frappe.local.cache = {}


class GroupCase(FrappeTestCase):
	def setUp(self):
		self.moderator = make_user("Moderator")
		self.course = make_course()
		self.department = unique("Department")
		self.due = add_days(today(), 20)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # every test starts afresh: nothing it made, nor any job it queued, is kept

	def assign(self, user: str | None = None, due_date=None, **group) -> dict:
		frappe.set_user(user or self.moderator)
		try:
			return assign_training_to_group(self.course, due_date or self.due, **group)
		finally:
			frappe.set_user("Administrator")

	def job_status(self, job: str, user: str | None = None) -> dict:
		"""get_group_assignment as the desk's poll calls it, from a new request."""
		new_process_cache()
		frappe.set_user(user or self.moderator)
		try:
			return get_group_assignment(job)
		finally:
			frappe.set_user("Administrator")

	def run_queued_job(self) -> dict:
		"""The queued group assignment, performed as the worker does: as its requester, with the keyword
		arguments it was queued with on the "long" queue."""
		new_process_cache()
		frappe.set_user(self.moderator)
		try:
			performed = run_jobs_enqueued_after_commit(JOB)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(len(performed), 1, performed)
		return performed[0]

	def assigned(self, users: list[str] | None = None) -> dict[str, dict]:
		filters = {"course": self.course}
		if users is not None:
			filters["employee"] = ("in", users or ["-"])
		rows = frappe.get_all(
			ASSIGNMENT, filters=filters, fields=["employee", "status", "due_date", "assigned_by"]
		)
		return {row.pop("employee"): row for row in rows}

	def forget_job(self, job: str) -> None:
		self.addCleanup(frappe.cache.delete_value, groups._status_key(job))
