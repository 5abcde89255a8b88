"""Benchmark: Quiz Item Analysis over many submissions, beside a baseline measured in the same run.
Nothing is kept: the data is committed (a report reads committed rows), then deleted.

    scripts/benchmark items [SUBMISSIONS]      (default 100000)

A quiz of 10 Single Choice questions (four options each, the first right) of which 5 are drawn per
attempt, and SUBMISSIONS scored submissions of it with their 5 answers each, made set-wise in SQL
(MariaDB's sequence tables), each answer with its chosen set's key and its submission's quiz and course
as submit_quiz writes them: answers chosen so that each question is answered right about a quarter of
the time, its wrong options unevenly. Then, median of RUNS runs and the SQL statements of one:
- the report's rows (`item_analysis`: per question attempts, share right, the wrong option chosen most);
- baseline: a plain COUNT(*) of the same answers (the report's filter and index, nothing grouped);
- for scale, once each: the submissions joined to their answers and the wrong ones grouped by their
  `chosen` JSON (what the report did before it read one index), and the answer rows read into Python and
  counted there, what a per-row report would do;
- the plan of the report's grouped query (EXPLAIN: one table, its index alone, "Using index", no
  temporary table), and the patch (patches.answers_for_item_analysis) over the benchmark's answers, once,
  its quiz, course and keys removed first, checked against what submit_quiz wrote.
Target: the report within 1 s for 100,000 submissions, in a fixed number of statements. Before measuring
it waits (`settle`) until no transaction older than the data keeps InnoDB checking each index entry
against its row (another test run's on a shared bench: then even the COUNT takes 30 s).

Figures (this bench: 2 cores, MariaDB 10.11 with its default 128 MB buffer pool, unchanged; the report's
index over 500,000 answers is about 85 MB and is read from disk each run): 100,000 submissions (500,000
answers) 0.455 s and 3 statements beside the COUNT's 0.42 s, two runs alike — the submissions joined to
their answers and grouped by chosen JSON, as before, 2.6-3.1 s; 20,000 submissions 0.025 s beside 0.018 s
(0.42 s before). The patch over 500,000 older answers: 30 s, 4 statements.
"""

import statistics
import time

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import now_datetime
from pypika.terms import Function

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
from smooth_lms.lms.report.quiz_item_analysis.quiz_item_analysis import (
	CHOSEN_LENGTH,
	answers_query,
	item_analysis,
)
from smooth_lms.patches import answers_for_item_analysis

RUNS = 5
QUESTIONS = 10
DRAWN = 5
TARGET_SECONDS = 1.0
SETTLE_SECONDS = 600


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
		settle(quiz, submissions * DRAWN)

		report = measure(lambda: item_analysis(quiz))
		plain = measure(lambda: _count_answers(quiz))
		before = measure(lambda: _group_chosen_json(quiz), runs=1)
		python = measure(lambda: _count_in_python(quiz), runs=1)
		_line(f"Quiz Item Analysis, {submissions} submissions", report)
		_line("  baseline, COUNT(*) of the same answers (its index)", plain)
		_line("  for scale, joined and grouped by chosen JSON (before)", before)
		_line("  for scale, the answer rows read into Python and counted", python)
		print(f"  plan of the answers in the report's query: {_answers_plan(quiz)}")
		rows = item_analysis(quiz)
		first = rows[0]
		print(
			f"  {len(rows)} questions; Q1: {first['attempts']} attempts, {first['right_share']} % right, "
			f"wrong option chosen most {first['most_chosen_wrong']!r} ({first['most_chosen_wrong_count']})"
		)
		verdict = "met" if report[0] <= TARGET_SECONDS else "MISSED"
		print(f"Target {TARGET_SECONDS:g} s: {verdict} ({report[0]:.3f} s, {report[1]} statements).")
		_time_the_patch(quiz, submissions)
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
			`chosen`, `chosen_key`, `is_correct`, `marks`, `marks_out_of`, `quiz`, `course`)
		select concat(%(tag)s, '-', s.seq, '-', k.seq), %(now)s, %(now)s, 'Administrator', 'Administrator', 0,
			k.seq + 1, concat(%(submission)s, '-', s.seq), %(parenttype)s, 'answers', p.question,
			'<p>Benchmark question</p>', p.shown,
			json_array(json_value(p.names, concat('$[', {picked}, ']'))),
			json_value(p.names, concat('$[', {picked}, ']')), {picked} = 0, {picked} = 0, 1, %(quiz)s, %(course)s
		from seq_1_to_{count} s
		join seq_0_to_{DRAWN - 1} k
		join ({pool}) p on p.pos = (s.seq + k.seq * 2) mod {QUESTIONS}""",
		{
			"tag": f"bench-ans-{tag}",
			"submission": f"bench-sub-{tag}",
			"now": now,
			"parenttype": QUIZ_SUBMISSION,
			"quiz": quiz,
			"course": course,
		},
	)


def settle(quiz: str, answers: int) -> None:
	"""Wait until InnoDB reads the new answers from their index alone. While a transaction that began
	before they were committed is still open (on a shared bench, another test run's), InnoDB checks every
	index entry of theirs against its row, and an index-only COUNT reads the 300 MB table through the
	buffer pool (30 s instead of 0.3 s). Seen in the buffer pool's page requests: more than one per answer
	counted. Waits up to SETTLE_SECONDS, then measures anyway, saying so."""
	waited, started = False, time.perf_counter()
	while True:
		before = _page_requests()
		_count_answers(quiz)
		requests = _page_requests() - before
		if requests <= answers or time.perf_counter() - started > SETTLE_SECONDS:
			break
		if not waited:
			print(f"  waiting: {requests} page requests for {answers} answers (an older transaction is open)")
			waited = True
		time.sleep(10)
	if waited:
		settled = "settled" if requests <= answers else "NOT settled, measured anyway"
		print(f"  {settled} after {time.perf_counter() - started:.0f} s ({requests} page requests)")


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


def _page_requests() -> int:
	return int(frappe.db.sql("show global status like 'Innodb_buffer_pool_read_requests'")[0][1])


def _count_answers(quiz: str) -> int:
	query, _answer = answers_query(quiz)
	return query.select(Count("*")).run()[0][0]


def _joined(quiz: str):
	"""The quiz's submissions joined to their answers, as the report read them before."""
	answer, submission = DocType(SUBMISSION_ANSWER), DocType(QUIZ_SUBMISSION)
	return (
		frappe.qb.from_(submission)
		.join(answer)
		.on(answer.parent == submission.name)
		.where(submission.quiz == quiz)
	), answer


def _group_chosen_json(quiz: str) -> list:
	"""The wrong answers grouped by their chosen JSON, as the report grouped them before."""
	query, answer = _joined(quiz)
	chosen = Function("LEFT", answer.chosen, CHOSEN_LENGTH)
	return (
		query.select(answer.question, chosen, Count("*"))
		.where(answer.is_correct == 0)
		.groupby(answer.question, chosen)
		.run()
	)


def _count_in_python(quiz: str) -> dict:
	query, answer = _joined(quiz)
	counts: dict = {}
	for question, chosen, correct in query.select(answer.question, answer.chosen, answer.is_correct).run():
		key = (question, chosen, correct)
		counts[key] = counts.get(key, 0) + 1
	return counts


def _answers_plan(quiz: str) -> str:
	"""EXPLAIN of the report's grouped query: its tables, each with the index used and its Extra."""
	query, answer = answers_query(quiz)
	query = query.select(answer.question, answer.is_correct, answer.chosen_key, Count("*")).groupby(
		answer.question, answer.is_correct, answer.chosen_key
	)
	plan = frappe.db.sql(f"explain {query.get_sql()}", as_dict=True)
	return "; ".join(f"{row.table}: index {row.key}, {row.Extra}" for row in plan)


def _time_the_patch(quiz: str, submissions: int) -> None:
	"""The patch, timed once over the benchmark's answers made as if older (quiz, course and key unset);
	what it writes is compared with what submit_quiz wrote."""
	answer = f"`tab{SUBMISSION_ANSWER}`"
	where = f"parent like %(prefix)s and parenttype = '{QUIZ_SUBMISSION}'"
	checksum = f"""select count(*), sum(crc32(concat_ws('|', quiz, course, chosen_key))) from {answer}
		where {where}"""
	prefix = {"prefix": frappe.db.get_value(QUIZ_SUBMISSION, {"quiz": quiz}, "name").rsplit("-", 1)[0] + "-%"}
	written = frappe.db.sql(checksum, prefix)
	frappe.db.sql(f"update {answer} set quiz = null, course = null, chosen_key = null where {where}", prefix)
	frappe.db.commit()  # older answers, committed
	with Meter("", quiet=True) as meter:
		answers_for_item_analysis.execute()
	frappe.db.commit()
	same = frappe.db.sql(checksum, prefix) == written
	_line(f"  the patch over {submissions * DRAWN} older answers, once", (meter.seconds, meter.count))
	print(f"  what it wrote {'matches' if same else 'DIFFERS FROM'} what submit_quiz wrote")


def _line(label: str, figures: tuple[float, int]) -> None:
	print(f"{label:<62} {figures[0]:8.3f} s {figures[1]:6d} SQL statements")
