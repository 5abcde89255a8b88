"""A SCORM lesson's commits over real HTTP, as the lesson page posts them: the attempt the server keeps,
when the lesson finishes (1.2 and 2004), time and score, a renewal's fresh attempt, malformed data
refused with nothing written, racing commits leaving one attempt."""

import json
import threading

import frappe
import requests

from smooth_lms.lms.doctypes import ASSIGNMENT, COURSE_PROGRESS, SCORM_ATTEMPT
from smooth_lms.lms.validity.renewals import open_renewals
from smooth_lms.tests.factories import assign, backdate_completion
from smooth_lms.tests.http import RestCase, base_url, changed_marks, login, write_marks
from smooth_lms.tests.scorm_packages import attach_package, build_package

METHOD = "/api/method/smooth_lms.lms."


def cmi_12(status: str = "incomplete", raw=None, session_time: str | None = None, **core) -> str:
	score = {"raw": "" if raw is None else str(raw), "max": "100" if raw is not None else "", "min": ""}
	core = {"lesson_status": status, "score": score, **core}
	if session_time:
		core["session_time"] = session_time
	return json.dumps({"core": core, "suspend_data": core.pop("suspend_data", "")})


def cmi_2004(completion: str = "incomplete", success: str = "unknown", raw=None, **values) -> str:
	score = {"raw": "" if raw is None else str(raw), "max": "100" if raw is not None else ""}
	return json.dumps({"completion_status": completion, "success_status": success, "score": score, **values})


class ScormCase(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.course_12 = cls.course(lessons=2, validity_days=365, renewal_window_days=30)
		cls.lesson_12 = attach_package(cls.course_12, 2, build_package("1.2"))
		cls.course_2004 = cls.course(lessons=1)
		cls.lesson_2004 = attach_package(cls.course_2004, 1, build_package("2004"))
		frappe.db.commit()

	def call(self, user_or_session, method: str, **body) -> requests.Response:
		session = user_or_session if isinstance(user_or_session, requests.Session) else login(user_or_session)
		response = session.post(base_url() + METHOD + method, json=body, timeout=60)
		frappe.db.commit()
		return response

	def commit(self, who, course: str, lesson: str, cmi: str, session: str = "s1", **body):
		return self.call(who, "scorm.commit", course=course, lesson=lesson, cmi=cmi, session=session, **body)

	def ok(self, response) -> dict:
		self.assertEqual(response.status_code, 200, response.text[:500])
		return response.json()["message"]

	def learner_on(self, course: str) -> tuple[str, str]:
		learner = self.user("LMS Student")
		assignment = assign(learner, course)
		frappe.db.commit()
		return learner, assignment

	def lesson_done(self, learner: str, lesson: str) -> bool:
		return bool(frappe.db.exists(COURSE_PROGRESS, {"member": learner, "lesson": lesson}))


class TestCommit(ScormCase):
	def test_a_12_package_reporting_completed_or_passed_finishes_the_lesson(self):
		for status in ("completed", "passed"):
			learner, assignment = self.learner_on(self.course_12)
			answer = self.ok(self.commit(learner, self.course_12, self.lesson_12, cmi_12(status, raw=85)))
			self.assertTrue(answer["finished"], status)
			self.assertEqual(
				(answer["lesson_status"], answer["score_raw"], answer["score_max"]), (status, 85, 100)
			)
			self.assertTrue(self.lesson_done(learner, self.lesson_12))
			self.assertEqual(answer["progress"], 50)
			row = frappe.db.get_value(
				SCORM_ATTEMPT, answer["attempt"], ["member", "assignment", "finished"], as_dict=True
			)
			self.assertEqual((row.member, row.assignment, row.finished), (learner, assignment, 1))

	def test_a_12_package_failed_or_incomplete_finishes_nothing_until_it_passes(self):
		learner, _assignment = self.learner_on(self.course_12)
		for status in ("incomplete", "failed", "browsed"):
			answer = self.ok(self.commit(learner, self.course_12, self.lesson_12, cmi_12(status, raw=40)))
			self.assertFalse(answer["finished"], status)
			self.assertFalse(self.lesson_done(learner, self.lesson_12), status)
		passed = self.ok(self.commit(learner, self.course_12, self.lesson_12, cmi_12("passed", raw=90)))
		self.assertTrue(passed["finished"])
		self.assertEqual(passed["attempt"], answer["attempt"])  # one attempt all along
		self.assertTrue(self.lesson_done(learner, self.lesson_12))

	def test_2004_finishes_when_completed_and_not_failed(self):
		cases = (
			("completed", "passed", True),
			("completed", "unknown", True),
			("completed", "failed", False),
			("incomplete", "passed", False),
			("incomplete", "unknown", False),
		)
		for completion, success, finishes in cases:
			learner, _assignment = self.learner_on(self.course_2004)
			answer = self.ok(
				self.commit(
					learner, self.course_2004, self.lesson_2004, cmi_2004(completion, success, raw=70)
				)
			)
			self.assertEqual(answer["finished"], finishes, (completion, success))
			self.assertEqual(self.lesson_done(learner, self.lesson_2004), finishes, (completion, success))
			self.assertEqual((answer["completion_status"], answer["success_status"]), (completion, success))
			if finishes:
				self.assertEqual(answer["status"], "Completed")

	def test_time_spent_adds_up_the_sessions_and_where_the_learner_stopped_is_kept(self):
		learner, _assignment = self.learner_on(self.course_12)
		first = cmi_12("incomplete", session_time="00:01:30", lesson_location="page-3", suspend_data="s=3")
		self.ok(self.commit(learner, self.course_12, self.lesson_12, first, session="one", elapsed=95))
		again = self.ok(
			self.commit(learner, self.course_12, self.lesson_12, first, session="one", elapsed=99)
		)
		self.assertEqual(again["total_time"], 90)  # the package's own session time, counted once
		second = self.ok(
			self.commit(learner, self.course_12, self.lesson_12, cmi_12(), session="two", elapsed=30.4)
		)
		self.assertEqual(second["total_time"], 120)  # no session time from the package: the runtime's count
		row = frappe.db.get_value(
			SCORM_ATTEMPT, second["attempt"], ["location", "suspend_data", "cmi_data"], as_dict=True
		)
		self.assertEqual((row.location, row.suspend_data), ("", ""))  # the latest report's
		self.ok(self.commit(learner, self.course_12, self.lesson_12, first, session="three"))
		row = frappe.db.get_value(
			SCORM_ATTEMPT,
			second["attempt"],
			["location", "suspend_data", "cmi_data", "total_time"],
			as_dict=True,
		)
		self.assertEqual((row.location, row.suspend_data, row.total_time), ("page-3", "s=3", 210))
		self.assertEqual(json.loads(row.cmi_data)["core"]["lesson_location"], "page-3")  # the raw CMI kept

	def test_a_2004_session_time_counts_and_a_scaled_score_is_a_percentage(self):
		learner, _assignment = self.learner_on(self.course_2004)
		cmi = cmi_2004("incomplete", session_time="PT2M5.5S", score={"scaled": "0.75"}, location="p2")
		answer = self.ok(self.commit(learner, self.course_2004, self.lesson_2004, cmi, elapsed=3))
		self.assertEqual((answer["total_time"], answer["score_raw"], answer["score_max"]), (126, 75, 100))

	def test_a_finished_attempt_keeps_the_result_that_finished_it(self):
		learner, _assignment = self.learner_on(self.course_12)
		self.ok(self.commit(learner, self.course_12, self.lesson_12, cmi_12("passed", raw=95)))
		review = self.ok(
			self.commit(
				learner, self.course_12, self.lesson_12, cmi_12("incomplete", raw=10, lesson_location="p1")
			)
		)
		self.assertEqual(
			(review["lesson_status"], review["score_raw"], review["finished"]), ("passed", 95, True)
		)
		self.assertEqual(frappe.db.get_value(SCORM_ATTEMPT, review["attempt"], "location"), "p1")

	def test_a_renewal_starts_a_fresh_attempt_and_keeps_the_old_one(self):
		learner, assignment = self.learner_on(self.course_12)
		self.ok(
			self.call(
				learner,
				"learning.progress.mark_lesson_complete",
				course=self.course_12,
				lesson=frappe.db.get_value("LMS Course Lesson", {"parent": self.course_12, "idx": 1}),
			)
		)
		first = self.ok(self.commit(learner, self.course_12, self.lesson_12, cmi_12("passed", raw=80)))
		self.assertEqual(frappe.db.get_value(ASSIGNMENT, assignment, "status"), "Completed")
		backdate_completion(assignment, days_ago=350, validity=365)
		open_renewals([self.course_12])
		frappe.db.commit()
		renewal = frappe.db.get_value(ASSIGNMENT, {"renewal_of": assignment}, "name")
		self.assertTrue(renewal, "no renewal opened")
		fresh = self.ok(self.commit(learner, self.course_12, self.lesson_12, cmi_12("incomplete")))
		self.assertNotEqual(fresh["attempt"], first["attempt"])
		self.assertFalse(fresh["finished"])
		self.assertEqual(frappe.db.get_value(SCORM_ATTEMPT, fresh["attempt"], "assignment"), renewal)
		old = frappe.db.get_value(
			SCORM_ATTEMPT, first["attempt"], ["assignment", "lesson_status", "finished"], as_dict=True
		)
		self.assertEqual((old.assignment, old.lesson_status, old.finished), (assignment, "passed", 1))

	def test_who_may_commit(self):
		learner, _assignment = self.learner_on(self.course_12)
		stranger = self.user("LMS Student")
		frappe.db.commit()
		cmi = cmi_12("passed")
		guest = self.commit(None, self.course_12, self.lesson_12, cmi)
		self.assertEqual(guest.status_code, 403, guest.text[:300])
		refused = self.commit(stranger, self.course_12, self.lesson_12, cmi)
		self.assertEqual(refused.status_code, 403, refused.text[:300])
		self.assertFalse(frappe.db.exists(SCORM_ATTEMPT, {"member": stranger}))
		unknown = self.commit(learner, self.course_12, "no-such-lesson", cmi)
		self.assertEqual(unknown.status_code, 404, unknown.text[:300])
		plain = frappe.db.get_value("LMS Course Lesson", {"parent": self.course_12, "idx": 1})
		no_package = self.commit(learner, self.course_12, plain, cmi)
		self.assertEqual(no_package.status_code, 417, no_package.text[:300])
		self.assertIn("has no SCORM package", no_package.text)
		by_mark = self.call(
			learner, "learning.progress.mark_lesson_complete", course=self.course_12, lesson=self.lesson_12
		)
		self.assertEqual(by_mark.status_code, 417, by_mark.text[:300])
		self.assertFalse(self.lesson_done(learner, self.lesson_12))
		wrong_verb = login(learner).get(
			base_url() + METHOD + "scorm.commit", params={"course": self.course_12}, timeout=30
		)
		self.assertIn(wrong_verb.status_code, (403, 405))

	def test_malformed_commits_are_refused_and_write_nothing(self):
		learner, _assignment = self.learner_on(self.course_12)
		session = login(learner)
		self.ok(self.commit(session, self.course_12, self.lesson_12, cmi_12("incomplete")))
		core = lambda **values: json.dumps({"core": values})  # noqa: E731
		bad_cmi = [
			"", "not json", "[]", "1", "null", '"text"', "{", '{"core": "x"}', '{"core": []}',
			core(lesson_status="hacked"), core(lesson_status=["passed"]), core(lesson_status=1),
			core(score={"raw": "lots"}), core(score={"raw": "NaN"}), core(score={"raw": "Infinity"}),
			core(score={"raw": True}), core(score="90"), core(session_time="one hour"), core(session_time=3600),
			core(lesson_location="x" * 1001), json.dumps({"suspend_data": "x" * 64001}),
			json.dumps({"suspend_data": {"a": 1}}), '{"core": {"score": {"raw": NaN}}}',
			"[" * 100000 + "]" * 100000, json.dumps({"padding": "x" * (600 * 1024)}),
			json.dumps({"cmi.core.lesson_status": "passed", "cmi.core.lesson_status.x": "y"}),
		]  # fmt: skip
		bad_arguments = [
			{"session": ""}, {"session": "x" * 65}, {"session": "a b"}, {"session": "<script>"},
			{"elapsed": -1}, {"elapsed": 10**9}, {"elapsed": "NaN"}, {"elapsed": "Infinity"}, {"elapsed": "soon"},
			{"finish": 2}, {"finish": "yes"}, {"cmi": ["passed"]}, {"cmi": 5}, {"course": ["x"]},
		]  # fmt: skip
		before = write_marks()
		for cmi in bad_cmi:
			response = self.commit(session, self.course_12, self.lesson_12, cmi)
			self.assertEqual(response.status_code, 417, (cmi[:80], response.text[:300]))
			self.assertNotIn("Traceback", response.text)
		for arguments in bad_arguments:
			body = {
				"course": self.course_12,
				"lesson": self.lesson_12,
				"cmi": cmi_12("passed"),
				"session": "s1",
			}
			response = session.post(
				base_url() + METHOD + "scorm.commit", json={**body, **arguments}, timeout=60
			)
			self.assertEqual(response.status_code, 417, (arguments, response.text[:300]))
			self.assertNotIn("Traceback", response.text)
		self.assertEqual(changed_marks(before, write_marks()), {})
		self.assertFalse(self.lesson_done(learner, self.lesson_12))

	def test_racing_first_commits_leave_one_attempt(self):
		learner, _assignment = self.learner_on(self.course_2004)
		sessions = [login(learner) for _ in range(8)]
		barrier, statuses = threading.Barrier(len(sessions)), []

		def post(mine, index):
			barrier.wait()
			body = {
				"course": self.course_2004,
				"lesson": self.lesson_2004,
				"session": f"tab{index}",
				"elapsed": 5,
			}
			body["cmi"] = cmi_2004("completed" if index % 2 else "incomplete", "passed")
			statuses.append(
				mine.post(base_url() + METHOD + "scorm.commit", json=body, timeout=60).status_code
			)

		threads = [threading.Thread(target=post, args=(mine, i)) for i, mine in enumerate(sessions)]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join()
		frappe.db.commit()
		self.assertEqual(statuses, [200] * len(sessions))
		attempts = frappe.get_all(SCORM_ATTEMPT, {"member": learner}, ["total_time", "finished"])
		self.assertEqual(len(attempts), 1)
		self.assertEqual((attempts[0].total_time, attempts[0].finished), (40, 1))  # 8 sessions of 5 s
		self.assertEqual(frappe.db.count(COURSE_PROGRESS, {"member": learner, "lesson": self.lesson_2004}), 1)
