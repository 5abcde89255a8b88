"""Requests that race each other over real HTTP, against the test command's multi-worker server: every
request succeeds or gets a clear 4xx, what they return is true, and nothing is lost or doubled."""

import os
import threading

import frappe
import pytest
from frappe.utils import add_days, today

from smooth_lms.lms.lesson_progress import course_lessons
from smooth_lms.tests.http import RestCase, base_url, login

pytestmark = pytest.mark.site
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

	def test_racing_self_enrolments_make_one_enrollment(self):
		course = self.course()
		learner = self.user("LMS Student")
		frappe.db.commit()
		sessions = [login(learner) for _ in range(RACERS)]

		def enrol(session):
			return lambda: session.post(
				base_url() + METHOD + "portal.enrol_self", json={"course": course}, timeout=120
			)

		answers = summary(race([enrol(s) for s in sessions]))

		self.assertTrue(all(code == 200 for code, *_ in answers), answers)
		enrollments = {message["enrollment"] for _code, message, _exc in answers}
		self.assertEqual(len(enrollments), 1, answers)
		self.assertEqual(sum(1 for _code, message, _exc in answers if message["created"]), 1, answers)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("LMS Enrollment", {"member": learner, "course": course}), 1)

	def test_every_lesson_marked_at_once_counts(self):
		course = self.course(lessons=10)
		learner = self.user("LMS Student")
		from smooth_lms.lms.assignments import create_assignments

		create_assignments([course], [learner], add_days(today(), 10))
		frappe.db.commit()
		lessons = [lesson.name for lesson in course_lessons(course)]
		# Two tabs and a retrying connection: each lesson sent twice, all twenty requests at once.
		sessions = [login(learner) for _ in range(2)]

		def complete(session, lesson):
			return lambda: session.post(
				base_url() + METHOD + "lesson_progress.mark_lesson_complete",
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
		learners = [self.user() for _ in range(3)]  # none enrolled yet: both paths enrol
		frappe.db.commit()
		due = add_days(today(), 5)

		def bulk(session):
			return lambda: session.post(
				base_url() + METHOD + "hrms_integration.assign_mandatory_training",
				json={"course": course, "employees": learners, "due_date": due},
				timeout=120,
			)

		def form(session, learner):
			return lambda: session.post(
				base_url() + "/api/resource/LMS Training Assignment",
				json={"employee": learner, "course": course, "due_date": due},
				timeout=120,
			)

		calls = []
		for _round in range(4):
			calls.append(bulk(login(self.moderator)))
			calls += [form(login(self.moderator), learner) for learner in learners]
		responses = race(calls)

		codes = [getattr(r, "status_code", repr(r)) for r in responses]
		refused = [r for r in responses if getattr(r, "status_code", 0) != 200]
		for response in refused:  # losing a race is a clear refusal, never a server error
			self.assertIn(response.status_code, (409, 417), (codes, response.text[:300]))
			self.assertNotIn("Traceback", response.text)
		frappe.db.rollback()
		for learner in learners:
			self.assertEqual(
				frappe.db.count(
					"LMS Training Assignment",
					{"employee": learner, "course": course, "status": ("in", ["Pending", "In Progress"])},
				),
				1,
				codes,
			)
