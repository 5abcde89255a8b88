"""A course made mandatory over HTTP by a Moderator is swept by a real Frappe worker process: everyone who
owes it gets it, and the Moderator is told what was done — on the course's timeline and in their bell
(a Notification Log) — with every value escaped.

Data is committed (the web server and the worker read it on their own connections) and removed after."""

import frappe
from frappe.utils import add_days, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.tests.factories import make_staff, remove_staff, unique
from smooth_lms.tests.hostile import HOSTILE
from smooth_lms.tests.http import RestCase, base_url, login
from smooth_lms.tests.private_queue import PrivateQueue

ASSIGNMENT = "LMS Training Assignment"
SWEEP = "smooth_lms.lms.obligations.sweeps.sweep_course"


class TestSweepRunByAWorker(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.queue = PrivateQueue()
		cls.department = unique("Dept")
		cls.staff = make_staff(3, department=cls.department)
		cls.other = make_staff(1, department=unique("Dept"))  # owes nothing of the course
		# A title as typed, markup and all: the notices must show it as text.
		cls.title = f"{HOSTILE['open_tag']} {unique('Forklift')}"
		cls.course_name = cls.course(title=cls.title, mandatory_for=[{"department": cls.department}])
		create_assignments([cls.course_name], cls.staff[:1], add_days(today(), 10))  # had it already
		cls.moderator = cls.user("Moderator")
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		cls.queue.clear()
		frappe.db.delete("Comment", {"reference_name": ("in", cls.courses)})
		frappe.db.delete("Notification Log", {"document_name": ("in", cls.courses)})
		remove_staff(cls.staff + cls.other)
		super().tearDownClass()

	def test_a_worker_assigns_and_the_moderator_is_told(self):
		session = login(self.moderator)
		response = session.put(
			f"{base_url()}/api/resource/LMS Course/{self.course_name}", json={"is_mandatory": 1}, timeout=60
		)
		self.assertEqual(response.status_code, 200, response.text[:500])

		job = self.queue.take(SWEEP, course=self.course_name)
		frappe.db.rollback()  # a fresh snapshot: nothing is assigned until the worker runs the job
		self.assertEqual(self.assigned(), self.staff[:1])

		worker = self.queue.burst_worker()
		self.assertEqual(worker.returncode, 0, worker.stdout[-3000:])
		self.assertIn(f"Job OK ({job})", worker.stdout)

		frappe.db.rollback()
		self.assertEqual(self.assigned(), sorted(self.staff))
		timeline = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "LMS Course", "reference_name": self.course_name},
			fields=["comment_type", "content", "owner"],
		)
		self.assertEqual(
			timeline,
			[
				{
					"comment_type": "Info",
					"content": "changed who must take this course. Mandatory training given to 2 people; "
					"1 had it already; skipped: none.",
					"owner": self.moderator,
				}
			],
		)
		bell = frappe.get_all(
			"Notification Log",
			filters={"for_user": self.moderator},
			fields=["subject", "type", "document_type", "document_name", "read"],
		)
		escaped = frappe.utils.escape_html(self.title)
		self.assertEqual(
			bell,
			[
				{
					"subject": f'<b class="subject-title">{escaped}</b> is mandatory training: given to '
					"2 people; 1 had it already; skipped: none.",
					"type": "Alert",
					"document_type": "LMS Course",
					"document_name": self.course_name,
					"read": 0,
				}
			],
		)
		self.assertNotIn("<img", bell[0]["subject"])

	def assigned(self) -> list[str]:
		return sorted(
			frappe.get_all(ASSIGNMENT, filters={"course": self.course_name}, pluck="employee", distinct=True)
		)
