"""The scoring rules, without a site."""

import unittest

from smooth_lms.lms.quiz.scoring import MalformedAnswers, parse_answers, problems, score


def question(name, correct, options=("a", "b", "c"), marks=1):
	return {
		"question": name,
		"marks": marks,
		"options": [{"option": f"{name}-{o}", "is_correct": int(o in correct)} for o in options],
	}


DRAWN = [question("q1", {"a"}), question("q2", {"a", "c"}, marks=3), question("q3", {"b"}, marks=2)]


class TestScoring(unittest.TestCase):
	def test_exact_sets_earn_marks_and_partial_ones_none(self):
		result = score(DRAWN, {"q1": ["q1-a"], "q2": ["q2-a"], "q3": ["q3-b"]}, 80)
		self.assertEqual((result.score, result.score_out_of, result.percentage), (3.0, 6.0, 50.0))
		self.assertEqual([r.is_correct for r in result.questions], [True, False, True])
		self.assertFalse(result.passed)

	def test_a_superset_earns_nothing(self):
		result = score(DRAWN, {"q2": ["q2-a", "q2-b", "q2-c"]}, 50)
		self.assertEqual(result.score, 0.0)

	def test_unanswered_earns_nothing_and_all_right_passes(self):
		self.assertEqual(score(DRAWN, {}, 1).score, 0.0)
		full = score(DRAWN, {"q1": ["q1-a"], "q2": ["q2-c", "q2-a"], "q3": ["q3-b"]}, 100)
		self.assertEqual((full.percentage, full.passed), (100.0, True))

	def test_percentage_has_two_decimals_and_the_pass_mark_is_inclusive(self):
		drawn = [question(f"q{i}", {"a"}) for i in range(3)]
		result = score(drawn, {"q0": ["q0-a"]}, 33)
		self.assertEqual(result.percentage, 33.33)
		self.assertTrue(result.passed)
		self.assertFalse(score(drawn, {"q0": ["q0-a"]}, 34).passed)

	def test_answers_as_json_text_single_names_and_repeats(self):
		self.assertEqual(
			parse_answers('{"q1": "q1-a", "q2": ["q2-a", "q2-a"], "q3": null}'),
			{"q1": ["q1-a"], "q2": ["q2-a"], "q3": []},
		)
		self.assertEqual(parse_answers(""), {})
		for bad in ("[1]", "{", 5, [["x"]], {"q1": 5}, {"q1": [1]}, {"q1": {"a": 1}}):
			with self.subTest(bad=bad), self.assertRaises(MalformedAnswers):
				parse_answers(bad)

	def test_questions_not_drawn_and_options_not_shown_are_named(self):
		not_drawn, not_shown = problems(DRAWN, {"q9": ["x"], "q1": ["q2-a", "q1-b"]})
		self.assertEqual((not_drawn, not_shown), (["q9"], ["q2-a"]))
		self.assertEqual(problems(DRAWN, {"q1": ["q1-a"]}), ([], []))
