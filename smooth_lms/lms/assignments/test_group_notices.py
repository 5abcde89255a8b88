"""A group assignment queued from the Assign Training dialog tells whoever asked what it did when it has
run: a line on the course's timeline and a notification in their bell, every value escaped. Real site;
the job is performed as the worker performs it (its requester, its queued arguments)."""

from unittest.mock import patch

import frappe

from smooth_lms.lms.assignments import groups
from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.tests.factories import make_course, make_user, member, unique
from smooth_lms.tests.group_case import GroupCase
from smooth_lms.tests.hostile import HOSTILE

COURSE = "LMS Course"


class TestGroupAssignmentNotice(GroupCase):
	def setUp(self):
		super().setUp()
		self.title = f"{HOSTILE['open_tag']} {unique('Forklift')}"
		self.course = make_course(title=self.title)
		self.department = f"{HOSTILE['tag']} {unique('Dept')}"

	def queue(self) -> str:
		"""Assign Training to the department as the Moderator, queued whatever its size."""
		with patch.object(groups, "INLINE_LIMIT", 0):
			answer = self.assign(department=self.department)
		self.assertTrue(answer["queued"], answer)
		self.forget_job(answer["job"])
		return answer["job"]

	def test_the_requester_is_told_what_the_job_did(self):
		had_it, leaver, *given = [member(self.department) for _ in range(4)]
		create_assignments([self.course], [had_it], self.due)
		self.queue()
		frappe.db.set_value("Employee", {"user_id": leaver}, "status", "Left")

		self.run_queued_job()

		group, title = frappe.utils.escape_html(self.department), frappe.utils.escape_html(self.title)
		counts = "given to 2 people; 1 had it open already; skipped: 1 leaver."
		self.assertEqual(
			self.timeline(),
			[{"comment_type": "Info", "content": f"assigned this course to {group}: {counts}"}],
		)
		self.assertEqual(
			self.bell(self.moderator),
			[
				{
					"subject": f'<b class="subject-title">{title}</b> assigned to {group}: {counts}',
					"type": "Alert",
					"document_type": COURSE,
					"document_name": self.course,
				}
			],
		)
		self.assertNotIn("<img", self.bell(self.moderator)[0]["subject"])

	def test_only_the_requester_is_told(self):
		member(self.department)
		colleague = make_user("Moderator")
		self.queue()

		self.run_queued_job()

		self.assertEqual(len(self.bell(self.moderator)), 1)
		self.assertEqual(self.bell(colleague), [])
		self.assertEqual(self.bell("Administrator"), [])

	def test_one_person_is_one_person(self):
		member(self.department)
		member(unique("Dept"))  # not of the group
		self.queue()
		self.run_queued_job()
		self.assertEqual(len(self.bell(self.moderator)), 1)
		self.assertIn(
			"given to 1 person; 0 had it open already; skipped: none.",
			self.bell(self.moderator)[0]["subject"],
		)

	def timeline(self) -> list[dict]:
		return frappe.get_all(
			"Comment",
			filters={"reference_doctype": COURSE, "reference_name": self.course},
			fields=["comment_type", "content"],
		)

	def bell(self, user: str) -> list[dict]:
		return frappe.get_all(
			"Notification Log",
			filters={"for_user": user, "document_name": self.course},
			fields=["subject", "type", "document_type", "document_name"],
		)
