"""Benchmark: taking a quiz, beside a baseline measured in the same run. Nothing is kept: rolled back.

    scripts/benchmark quiz [POOL]          (default 1000)

A learner with an assignment to a published course whose lessons carry three quizzes, their question
pools made set-wise (four options each): POOL questions of which 20 are drawn, 20 of which all 20 are
drawn, and 50 all drawn. As the learner (frappe.set_user), each call runs RUNS times after a warm-up, in a
savepoint rolled back after it (every run is the learner's first attempt), and the median wall time and
the SQL statements of a run are printed:
- start_quiz drawing 20 of POOL questions, beside the same call with a 20-question pool: the statements
  must be the same whatever the pool's size;
- submit_quiz scoring 50 questions (all right: the lesson is finished), beside mark_lesson_complete of a
  plain lesson of the same course (the cheapest way to finish a lesson).
Target: each at most 30 ms, in a fixed number of statements.
"""

import statistics

import frappe
from frappe.utils import add_days, now_datetime, today

from smooth_lms.benchmarks.common import Meter, make_course, make_employees, make_users
from smooth_lms.demo.hr_doctypes import ensure_hr_doctypes
from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.doctypes import LESSON, QUESTION, QUESTION_OPTION, QUIZ, QUIZ_ATTEMPT, QUIZ_QUESTION
from smooth_lms.lms.framework.batches import insert_rows
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.progress import mark_lesson_complete
from smooth_lms.lms.quiz import start_quiz, submit_quiz

RUNS = 30
DRAWN = 20
SCORED = 50
TARGET_MS = 30
SAVEPOINT = "smooth_lms_quiz_benchmark"
ROW_FIELDS = ("name", "creation", "modified", "modified_by", "owner", "docstatus", "idx")
CHILD_FIELDS = (*ROW_FIELDS, "parent", "parenttype", "parentfield")


def run(pool: int = 1000) -> None:
	pool = int(pool)
	frappe.flags.in_test = True  # no mail goes out from a benchmark
	print(
		f"Smooth LMS quiz benchmark on site {frappe.local.site}: start_quiz drawing {DRAWN} of {pool} "
		f"questions, submit_quiz scoring {SCORED}; median of {RUNS} runs, each rolled back"
	)
	ensure_hr_doctypes()
	learner = make_users(1, prefix="bench-quiz")[0]
	make_employees([learner])
	course = make_course("Benchmark Quiz Course", lessons=[{"title": t} for t in ("Read", "A", "B", "C")])
	plain, *quiz_lessons = [lesson.name for lesson in course_lessons(course)]
	large = make_pool(course, quiz_lessons[0], pool, DRAWN)
	small = make_pool(course, quiz_lessons[1], DRAWN, DRAWN)
	scored = make_pool(course, quiz_lessons[2], SCORED, 0)
	create_assignments([course], [learner], add_days(today(), 30))
	frappe.set_user(learner)
	try:
		start_large = measure(lambda _: start_quiz(quiz=large))
		start_small = measure(lambda _: start_quiz(quiz=small))
		submit = measure(
			lambda answers: submit_quiz(**answers), prepare=lambda: _started_with_right_answers(scored)
		)
		mark = measure(lambda _: mark_lesson_complete(course=course, lesson=plain))
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.db.after_commit.reset()
	_line(f"start_quiz, {DRAWN} drawn of {pool} questions", start_large)
	_line(f"  baseline, start_quiz, {DRAWN} of {DRAWN} questions", start_small)
	same = "the same" if start_large[1] == start_small[1] else "NOT the same"
	print(f"  statements {same} whatever the pool's size ({start_large[1]} and {start_small[1]})")
	_line(f"submit_quiz, {SCORED} questions scored (passed: lesson finished)", submit)
	_line("  baseline, mark_lesson_complete (a plain lesson)", mark)
	slow = [
		label for label, (ms, _n) in (("start_quiz", start_large), ("submit_quiz", submit)) if ms > TARGET_MS
	]
	print(f"Target {TARGET_MS} ms each: {'missed by ' + ', '.join(slow) if slow else 'met'}.")
	print("Rolled back: nothing is kept.")


def make_pool(course: str, lesson: str, questions: int, per_attempt: int, options: int = 4) -> str:
	"""A quiz of `course` finishing `lesson`, with `questions` new Single Choice questions of `options`
	options (the first correct), `per_attempt` drawn (0: all), unlimited attempts: made set-wise."""
	now, tag = now_datetime(), frappe.generate_hash(length=8)
	audit = (now, now, "Administrator", "Administrator", 0)
	quiz = f"bench-quiz-{tag}"
	names = [f"bench-q-{tag}-{i}" for i in range(questions)]
	insert_rows(
		QUESTION,
		(*ROW_FIELDS, "question", "type"),
		[
			(name, *audit, 0, f"<p>Benchmark question {i}?</p>", "Single Choice")
			for i, name in enumerate(names)
		],
	)
	insert_rows(
		QUESTION_OPTION,
		(*CHILD_FIELDS, "option", "is_correct", "explanation"),
		[
			(f"{name}-{o}", *audit, o + 1, name, QUESTION, "options", f"Option {o}", int(o == 0), f"Why {o}.")
			for name in names
			for o in range(options)
		],
	)
	insert_rows(
		QUIZ,
		(*ROW_FIELDS, "title", "course", "passing_percentage", "max_attempts", "questions_per_attempt",
		 "shuffle", "show_answers", "time_limit_minutes"),
		[(quiz, *audit, 0, f"Benchmark quiz {tag}", course, 80, 0, per_attempt, 1, "After Each Attempt", 0)],
	)  # fmt: skip
	insert_rows(
		QUIZ_QUESTION,
		(*CHILD_FIELDS, "question", "marks"),
		[(f"{quiz}-{i}", *audit, i + 1, quiz, QUIZ, "questions", name, 1) for i, name in enumerate(names)],
	)
	frappe.db.set_value(LESSON, lesson, "quiz", quiz)
	return quiz


def measure(call, prepare=None) -> tuple[float, int]:
	"""Median milliseconds of `call(prepare())` over RUNS runs after a warm-up, and its statements (the
	most a run issued). Each run (prepare included) is rolled back to a savepoint."""
	times, counts = [], []
	for index in range(RUNS + 1):
		frappe.db.savepoint(SAVEPOINT)
		prepared = prepare() if prepare else None
		with Meter("", quiet=True) as meter:
			call(prepared)
		frappe.db.rollback(save_point=SAVEPOINT)
		if index:  # the first run warms caches (meta, roles)
			times.append(meter.seconds * 1000)
			counts.append(meter.count)
	if len(set(counts)) > 1:
		print(f"  (statements varied between runs: {min(counts)} to {max(counts)})")
	return statistics.median(times), max(counts)


def _started_with_right_answers(quiz: str) -> dict:
	attempt = start_quiz(quiz=quiz)["attempt"]
	drawn = frappe.parse_json(frappe.db.get_value(QUIZ_ATTEMPT, attempt, "questions"))
	answers = {q["question"]: [o["option"] for o in q["options"] if o["is_correct"]] for q in drawn}
	return {"attempt": attempt, "answers": answers}


def _line(label: str, figures: tuple[float, int]) -> None:
	print(f"{label:<62} {figures[0]:8.1f} ms {figures[1]:6d} SQL statements")
