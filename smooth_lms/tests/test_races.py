"""Requests that race each other over real HTTP, against the test command's multi-worker server: every
request succeeds or gets a clear 4xx, what they return is true, and nothing is lost or doubled."""

import os
import threading

import frappe
from frappe.utils import add_days, today

from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.tests.factories import make_staff, remove_staff
from smooth_lms.tests.http import RestCase, base_url, login

RACERS = 20
METHOD = "/api/method/smooth_lms.lms."


def race(calls) -> list:
	"""Start every call at the same moment (one thread each) and return their results in order."""
	barrier = threading.Barrier(len(calls))
	results: list = [None] * len(calls)

	def run(index, call):
		barrier.wait()
		try:
			results[index] = call()
		except Exception as e:  # a failed request is a result too: the test reports it
			results[index] = e

	threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(120)
	return results


def student_roles(user: str) -> int:
	return frappe.db.count("Has Role", {"parenttype": "User", "parent": user, "role": "LMS Student"})


def summary(responses) -> list[tuple]:
	return [
		(r.status_code, r.json().get("message"), r.json().get("exc_type"))
		if hasattr(r, "status_code")
		else ("no answer", repr(r), None)
		for r in responses
	]


class TestRaces(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.moderator = cls.user("Moderator")
		frappe.db.commit()

	def test_the_server_has_several_worker_processes(self):
		# The races below are only races if requests can run at the same time in different processes.
		self.assertGreaterEqual(int(os.environ.get("SMOOTH_LMS_TEST_WORKERS", "1")), 2)

	def test_racing_assignments_open_one_row_and_count_it_once(self):
		course = self.course()
		learner = self.user()  # not enrolled yet: every request tries to enrol them too
		frappe.db.commit()
		sessions = [login(self.moderator) for _ in range(RACERS)]
		due = add_days(today(), 5)

		def assign(session):
			return lambda: session.post(
				base_url() + METHOD + "hrms_integration.assign_mandatory_training",
				json={"course": course, "employees": [learner], "due_date": due},
				timeout=120,
			)

		answers = summary(race([assign(s) for s in sessions]))

		self.assertTrue(all(code == 200 for code, *_ in answers), answers)
		self.assertEqual(sum(message for _code, message, _exc in answers), 1, answers)
		frappe.db.rollback()  # read what the server committed
		self.assertEqual(
			frappe.db.count(
				"LMS Training Assignment", {"course": course, "status": ("in", ["Pending", "In Progress"])}
			),
			1,
		)
		self.assertEqual(frappe.db.count("LMS Enrollment", {"member": learner, "course": course}), 1)
		self.assertEqual(student_roles(learner), 1, "the learner's first role is granted once")

	def test_racing_self_enrolments_make_one_enrollment(self):
		course = self.course()
		learner = self.user()  # no role yet: every request tries to make them an LMS Student
		frappe.db.commit()
		sessions = [login(learner) for _ in range(RACERS)]

		def enrol(session):
			return lambda: session.post(
				base_url() + METHOD + "portal.catalogue.enrol_self", json={"course": course}, timeout=120
			)

		answers = summary(race([enrol(s) for s in sessions]))

		self.assertTrue(all(code == 200 for code, *_ in answers), answers)
		enrollments = {message["enrollment"] for _code, message, _exc in answers}
		self.assertEqual(len(enrollments), 1, answers)
		self.assertEqual(sum(1 for _code, message, _exc in answers if message["created"]), 1, answers)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("LMS Enrollment", {"member": learner, "course": course}), 1)
		self.assertEqual(student_roles(learner), 1, "the learner's first role is granted once")

	def test_a_first_assignment_racing_a_self_enrolment_grants_the_role_once(self):
		assigned, open_course = self.course(), self.course()
		learner = self.user()
		frappe.db.commit()
		due = add_days(today(), 5)
		moderators = [login(self.moderator) for _ in range(RACERS // 2)]
		learners = [login(learner) for _ in range(RACERS // 2)]
		calls = [
			(lambda s=s: s.post(
				base_url() + METHOD + "hrms_integration.assign_mandatory_training",
				json={"course": assigned, "employees": [learner], "due_date": due},
				timeout=120,
			))
			for s in moderators
		] + [
			(lambda s=s: s.post(
				base_url() + METHOD + "portal.catalogue.enrol_self", json={"course": open_course}, timeout=120
			))
			for s in learners
		]  # fmt: skip
		answers = summary(race(calls))
		self.assertTrue(all(code == 200 for code, *_ in answers), answers)
		frappe.db.rollback()
		self.assertEqual(student_roles(learner), 1)

	def test_every_lesson_marked_at_once_counts(self):
		course = self.course(lessons=10)
		learner = self.user("LMS Student")
		from smooth_lms.lms.assignments.creation import create_assignments

		create_assignments([course], [learner], add_days(today(), 10))
		frappe.db.commit()
		lessons = [lesson.name for lesson in course_lessons(course)]
		# Two tabs and a retrying connection: each lesson sent twice, all twenty requests at once.
		sessions = [login(learner) for _ in range(2)]

		def complete(session, lesson):
			return lambda: session.post(
				base_url() + METHOD + "learning.progress.mark_lesson_complete",
				json={"course": course, "lesson": lesson},
				timeout=120,
			)

		answers = summary(race([complete(s, lesson) for lesson in lessons for s in sessions]))

		self.assertTrue(all(code == 200 for code, *_ in answers), answers)
		self.assertEqual(max(message["progress"] for _code, message, _exc in answers), 100, answers)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("LMS Course Progress", {"member": learner, "course": course}), 10)
		enrollment = frappe.db.get_value(
			"LMS Enrollment",
			{"member": learner, "course": course},
			["progress", "completed_on"],
			as_dict=True,
		)
		self.assertEqual(enrollment.progress, 100)
		self.assertTrue(enrollment.completed_on)
		assignment = frappe.db.get_value(
			"LMS Training Assignment",
			{"employee": learner, "course": course},
			["status", "progress"],
			as_dict=True,
		)
		self.assertEqual((assignment.status, assignment.progress), ("Completed", 100))

	def test_the_desk_form_racing_bulk_assignment_waits_instead_of_deadlocking(self):
		course = self.course()
		# None enrolled yet (both paths enrol), and more than one batch of 1,000: the desk saves are for
		# learners of the bulk call's first batch and of its second.
		staff = make_staff(1_002)
		self.addCleanup(forget_staff, staff)
		frappe.db.commit()
		at_the_desk = [staff[0], staff[-2], staff[-1]]
		due = add_days(today(), 5)

		def bulk(session):
			return lambda: session.post(
				base_url() + METHOD + "hrms_integration.assign_mandatory_training",
				json={"course": course, "employees": staff, "due_date": due},
				timeout=120,
			)

		def form(session, learner):
			return lambda: session.post(
				base_url() + "/api/resource/LMS Training Assignment",
				json={"employee": learner, "course": course, "due_date": due},
				timeout=120,
			)

		bulk_calls, form_calls = [], []
		for _round in range(3):
			bulk_calls.append(bulk(login(self.moderator)))
			form_calls += [form(login(self.moderator), learner) for learner in at_the_desk]
		responses = race(bulk_calls + form_calls)

		codes = [getattr(r, "status_code", repr(r)) for r in responses]
		bulk_answers, form_answers = responses[: len(bulk_calls)], responses[len(bulk_calls) :]
		self.assertEqual([r.status_code for r in bulk_answers], [200] * len(bulk_calls), codes)
		for response in form_answers:  # the desk save that loses is told the row exists, nothing else
			if response.status_code != 200:
				self.assertEqual(response.status_code, 417, (codes, response.text[:300]))
				self.assertIn("already has an open assignment", response.text)
				self.assertNotIn("Traceback", response.text)
		created = sum(r.json()["message"] for r in bulk_answers)
		created += sum(1 for r in form_answers if r.status_code == 200)
		self.assertEqual(created, len(staff), "the counts returned are true")
		frappe.db.rollback()
		open_rows = frappe.db.sql(
			"""select employee, count(*) from `tabLMS Training Assignment`
			where course = %s and status in ('Pending', 'In Progress') group by employee""",
			course,
		)
		self.assertEqual(len(open_rows), len(staff))
		self.assertEqual({count for _employee, count in open_rows}, {1})


def forget_staff(users: list[str]) -> None:
	frappe.db.rollback()
	remove_staff(users)
	frappe.db.commit()
