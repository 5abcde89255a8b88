"""How a SCORM attempt reads for HR (scorm.history): one status word for both versions — exactly
"passed" and "completed" for what finishes the lesson (scorm.cmi.finishes) — the score and the time."""

import itertools
import json

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.scorm import cmi
from smooth_lms.lms.scorm.history import described, score, status, time_spent


class TestHowAnAttemptReads(FrappeTestCase):
	def test_12_status_in_words(self):
		words = {}
		for lesson_status in sorted(cmi.STATUS_12):
			_data, report = cmi.parse("1.2", json.dumps({"core": {"lesson_status": lesson_status}}))
			words[lesson_status] = status(report.completion_status, report.success_status)
			self.assertEqual(
				words[lesson_status] in ("passed", "completed"), cmi.finishes("1.2", report), lesson_status
			)
		self.assertEqual(
			words,
			{
				"passed": "passed",
				"completed": "completed",
				"failed": "failed",
				"incomplete": "incomplete",
				"browsed": "incomplete",
				"not attempted": "not attempted",
			},
		)

	def test_2004_status_in_words(self):
		expected = {
			("completed", "passed"): "passed",
			("completed", "unknown"): "completed",
			("completed", "failed"): "failed",
			("incomplete", "passed"): "incomplete",  # passed, but the package says it is not done
			("incomplete", "failed"): "failed",
			("incomplete", "unknown"): "incomplete",
			("not attempted", "unknown"): "not attempted",
			("unknown", "unknown"): "not attempted",
		}
		for completion, success in itertools.product(sorted(cmi.COMPLETION_2004), sorted(cmi.SUCCESS_2004)):
			_data, report = cmi.parse(
				"2004", json.dumps({"completion_status": completion, "success_status": success})
			)
			word = status(report.completion_status, report.success_status)
			if (completion, success) in expected:
				self.assertEqual(word, expected[(completion, success)], (completion, success))
			self.assertEqual(
				word in ("passed", "completed"), cmi.finishes("2004", report), (completion, success)
			)

	def test_score_and_time(self):
		self.assertEqual(score(85, 100), "85/100")
		self.assertEqual(score(0, 100), "0/100")
		self.assertEqual(score(7.5, 10), "7.5/10")
		self.assertEqual(score(42, 0), "42", "no maximum reported")
		self.assertEqual(score(0, 0), "", "no score reported")
		self.assertEqual(score(None, None), "")
		self.assertEqual(
			[time_spent(s) for s in (None, 0, 59.6, 725, 3723, 26 * 3600)],
			["0:00:00", "0:00:00", "0:01:00", "0:12:05", "1:02:03", "26:00:00"],
		)

	def test_the_label(self):
		row = described(
			frappe._dict(
				{
					"lesson": "abc123",
					"lesson_title": "",
					"completion_status": "completed",
					"success_status": "failed",
					"score_raw": 40,
					"score_max": 100,
					"total_time": 300,
				}
			)
		)
		self.assertEqual(
			row["label"], "abc123: failed, score 40/100, time 0:05:00", "the lesson's name without a title"
		)
