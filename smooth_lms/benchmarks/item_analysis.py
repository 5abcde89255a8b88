"""Benchmark: Quiz Item Analysis over many submissions, beside a baseline measured in the same run.
Nothing is kept: the data is committed (a report reads committed rows), then deleted.

    scripts/benchmark items [SUBMISSIONS]      (default 100000)

A quiz of 10 Single Choice questions (four options each, the first right) of which 5 are drawn per
attempt, and SUBMISSIONS scored submissions of it with their 5 answers each, made set-wise in SQL
(MariaDB's sequence tables): answers chosen so that each question is answered right about a quarter of
the time, its wrong options unevenly. Then, median of RUNS runs and the SQL statements of one:
- the report's rows (`item_analysis`: per question attempts, share right, the wrong option chosen most);
- baseline: a plain COUNT(*) of the same answer rows (the same join and filter, nothing grouped);
- for scale: reading those answer rows into Python and counting there, what a per-row report would do.
Target: the report within 1 s for 100,000 submissions, in a fixed number of statements.
"""

import statistics
import time

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import now_datetime

from smooth_lms.benchmarks.common import Meter, make_course
from smooth_lms.benchmarks.quiz import make_pool
from smooth_lms.lms.doctypes import (
	COURSE,
	LESSON,
	QUESTION,
	QUESTION_OPTION,
	QUIZ,
	QUIZ_QUESTION,
	QUIZ_SUBMISSION,
	SUBMISSION_ANSWER,
)
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.report.quiz_item_analysis.quiz_item_analysis import item_analysis

RUNS = 5
QUESTIONS = 10
DRAWN = 5
TARGET_SECONDS = 1.0


def run(submissions: int = 100000) -> None:
	submissions = int(submissions)
	frappe.flags.in_test = True  # no mail goes out from a benchmark
	print(
		f"Smooth LMS Quiz Item Analysis benchmark on site {frappe.local.site}: {submissions} submissions of "
		f"{DRAWN} answers ({submissions * DRAWN} answer rows), {QUESTIONS} questions; median of {RUNS} runs"
	)
	course = quiz = None
	try:
		course = make_course("Benchmark Item Analysis Course")
		lesson = course_lessons(course)[0].name
		quiz = make_pool(course, lesson, QUESTIONS, DRAWN)
		started = time.perf_counter()
		make_submissions(quiz, course, submissions)
		# A report reads committed rows: InnoDB answers a transaction's reads of its own uncommitted rows
		# (500,000 of them) far more slowly, visiting every row to check it, index or not. So the data is
		# committed, and removed in the end.
		frappe.db.commit()
		print(f"  made set-wise and committed in {time.perf_counter() - started:.1f} s")

		report = measure(lambda: item_analysis(quiz))
		plain = measure(lambda: _count_answers(quiz))
		python = measure(lambda: _count_in_python(quiz), runs=1)
		_line(f"Quiz Item Analysis, {submissions} submissions", report)
		_line("  baseline, COUNT(*) of the same answer rows", plain)
		_line("  for scale, the answer rows read into Python and counted", python)
		rows = item_analysis(quiz)
		first = rows[0]
		print(
			f"  {len(rows)} questions; Q1: {first['attempts']} attempts, {first['right_share']} % right, "
			f"wrong option chosen most {first['most_chosen_wrong']!r} ({first['most_chosen_wrong_count']})"
		)
		verdict = "met" if report[0] <= TARGET_SECONDS else "MISSED"
		print(f"Target {TARGET_SECONDS:g} s: {verdict} ({report[0]:.3f} s, {report[1]} statements).")
	finally:
		frappe.db.rollback()
		frappe.db.after_commit.reset()
		remove(quiz, course)
		frappe.db.commit()
		print("Removed: nothing is kept.")


def remove(quiz: str | None, course: str | None) -> None:
	"""Delete what the benchmark made: the quiz's submissions and answers, its questions, the course."""
	if quiz:
		frappe.db.sql(
			f"""delete answer from `tab{SUBMISSION_ANSWER}` answer
			join `tab{QUIZ_SUBMISSION}` submission on submission.name = answer.parent
			where submission.quiz = %(quiz)s""",
			{"quiz": quiz},
		)
		frappe.db.delete(QUIZ_SUBMISSION, {"quiz": quiz})
		questions = frappe.get_all(QUIZ_QUESTION, {"parent": quiz}, pluck="question")
		frappe.db.delete(QUESTION_OPTION, {"parent": ("in", questions or ["-"])})
		frappe.db.delete(QUESTION, {"name": ("in", questions or ["-"])})
		frappe.db.delete(QUIZ_QUESTION, {"parent": quiz})
		frappe.db.delete(QUIZ, quiz)
	if course:
		frappe.db.delete(LESSON, {"parent": course})
		frappe.db.delete(COURSE, course)


def make_submissions(quiz: str, course: str, count: int) -> None:
	"""`count` scored submissions of `quiz` and DRAWN answers each, in two INSERT ... SELECT statements over
	MariaDB's sequence tables. Submission n draws questions n, n+2, … (mod QUESTIONS); its answer to the
	k-th picks option (n·7 + k·3) mod 4 mostly, option 0 (the right one) about a quarter of the time."""
	now, tag = now_datetime(), frappe.generate_hash(length=6)
	frappe.db.sql(
		f"""insert into `tab{QUIZ_SUBMISSION}` (`name`, `creation`, `modified`, `modified_by`, `owner`,
			`docstatus`, `idx`, `quiz`, `quiz_title`, `member`, `member_name`, `course`, `attempt`, `score`,
			`score_out_of`, `percentage`, `passing_percentage`, `passed`)
		select concat(%(tag)s, '-', s.seq), %(now)s, %(now)s, 'Administrator', 'Administrator', 0, 0,
			%(quiz)s, 'Benchmark quiz', concat('bench-learner-', s.seq mod 20000, '@example.com'),
			'Benchmark learner', %(course)s, 1, 0, {DRAWN}, 0, 80, 0
		from seq_1_to_{count} s""",
		{"tag": f"bench-sub-{tag}", "now": now, "quiz": quiz, "course": course},
	)
	# The quiz's questions and their options as a small derived table: position, question, option names,
	# the options as shown (JSON).
	questions = frappe.get_all(
		QUIZ_QUESTION, {"parent": quiz}, pluck="question", order_by="idx asc", limit=QUESTIONS
	)
	options = {q: [] for q in questions}
	for row in frappe.get_all(
		QUESTION_OPTION,
		{"parent": ("in", questions)},
		["parent", "name", "option", "is_correct"],
		order_by="parent asc, idx asc",
	):
		options[row.parent].append(row)
	pool = " union all ".join(
		"select {pos} pos, {question} question, {names} names, {shown} shown".format(
			pos=position,
			question=frappe.db.escape(question),
			names=frappe.db.escape(frappe.as_json([o.name for o in options[question]], indent=None)),
			shown=frappe.db.escape(
				frappe.as_json(
					[
						{"option": o.name, "text": o.option, "is_correct": o.is_correct}
						for o in options[question]
					],
					indent=None,
				)
			),
		)
		for position, question in enumerate(questions)
	)
	# The option picked by submission n's k-th answer: the right one (0) for 2 in 8, else one of the wrong.
	picked = "if((s.seq * 7 + k.seq * 3) mod 8 < 2, 0, (s.seq * 7 + k.seq * 3 + p.pos) mod 3 + 1)"
	frappe.db.sql(
		f"""insert into `tab{SUBMISSION_ANSWER}` (`name`, `creation`, `modified`, `modified_by`, `owner`,
			`docstatus`, `idx`, `parent`, `parenttype`, `parentfield`, `question`, `question_text`, `options`,
			`chosen`, `is_correct`, `marks`, `marks_out_of`)
		select concat(%(tag)s, '-', s.seq, '-', k.seq), %(now)s, %(now)s, 'Administrator', 'Administrator', 0,
			k.seq + 1, concat(%(submission)s, '-', s.seq), %(parenttype)s, 'answers', p.question,
			'<p>Benchmark question</p>', p.shown,
			json_array(json_value(p.names, concat('$[', {picked}, ']'))), {picked} = 0, {picked} = 0, 1
		from seq_1_to_{count} s
		join seq_0_to_{DRAWN - 1} k
		join ({pool}) p on p.pos = (s.seq + k.seq * 2) mod {QUESTIONS}""",
		{
			"tag": f"bench-ans-{tag}",
			"submission": f"bench-sub-{tag}",
			"now": now,
			"parenttype": QUIZ_SUBMISSION,
		},
	)


def measure(call, runs: int = RUNS) -> tuple[float, int]:
	"""Median seconds of `call()` over `runs` runs after a warm-up, and the statements of one run."""
	call()
	times, counts = [], []
	for _ in range(runs):
		with Meter("", quiet=True) as meter:
			call()
		times.append(meter.seconds)
		counts.append(meter.count)
	return statistics.median(times), max(counts)


def _answers_of(quiz: str):
	answer, submission = DocType(SUBMISSION_ANSWER), DocType(QUIZ_SUBMISSION)
	return (
		frappe.qb.from_(submission)
		.join(answer)
		.on(answer.parent == submission.name)  # as the report joins them
		.where(submission.quiz == quiz)
	), answer


def _count_answers(quiz: str) -> int:
	query, _answer = _answers_of(quiz)
	return query.select(Count("*")).run()[0][0]


def _count_in_python(quiz: str) -> dict:
	query, answer = _answers_of(quiz)
	counts: dict = {}
	for question, chosen, correct in query.select(answer.question, answer.chosen, answer.is_correct).run():
		key = (question, chosen, correct)
		counts[key] = counts.get(key, 0) + 1
	return counts


def _line(label: str, figures: tuple[float, int]) -> None:
	print(f"{label:<62} {figures[0]:8.3f} s {figures[1]:6d} SQL statements")
