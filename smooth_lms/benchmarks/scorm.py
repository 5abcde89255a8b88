"""Benchmark: SCORM packages — unpacking a large one, and a commit — each beside a baseline measured in
the same run. Nothing is kept: the package folders are removed and the database rolled back.

    scripts/benchmark scorm [MEGABYTES]          (default 50)

- Unpacking: a generated package of MEGABYTES of incompressible media (1 MB files) plus its manifest and
  launch page, as the course's save unpacks it (scorm.storage.package_id: its SHA-256; then
  scorm.packages.check_and_unpack: every check, the bytes counted while written, the rename into place),
  beside Python's zipfile.extractall of the same zip (no check at all). Median of UNPACK_RUNS.
- commit: as a learner with an assignment, RUNS runs after a warm-up, each in a savepoint rolled back: a
  commit to an existing attempt (the package's every 30 s), the first commit (the attempt made) and a
  finishing commit (passed: the lesson finished), beside mark_lesson_complete of a plain lesson of the
  same course. Target: at most 30 ms, in a fixed number of statements.
"""

import os
import shutil
import statistics
import tempfile
import time
import zipfile

import frappe
from frappe.utils import add_days, today

from smooth_lms.benchmarks.common import make_course, make_employees, make_users
from smooth_lms.benchmarks.quiz import measure
from smooth_lms.demo.hr_doctypes import ensure_hr_doctypes
from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.progress import mark_lesson_complete
from smooth_lms.lms.scorm import commit, storage
from smooth_lms.lms.scorm.packages import check_and_unpack
from smooth_lms.tests.scorm_packages import attach_package, build_package, launch_page, manifest_xml

UNPACK_RUNS = 6
TARGET_MS = 30
INCOMPLETE = '{"core": {"lesson_status": "incomplete", "lesson_location": "page-4", "session_time": "00:00:30"}, "suspend_data": "slide=4;answers=1,0,1"}'
PASSED = '{"core": {"lesson_status": "passed", "score": {"raw": "85", "max": "100", "min": "0"}, "session_time": "00:05:00"}}'


def run(megabytes: int = 50) -> None:
	megabytes = int(megabytes)
	frappe.flags.in_test = True  # no mail goes out from a benchmark
	print(f"Smooth LMS SCORM benchmark on site {frappe.local.site}")
	unpacking(megabytes)
	commits()


def unpacking(megabytes: int) -> None:
	work = tempfile.mkdtemp(prefix="smooth-lms-scorm-bench-")
	root = os.path.join(storage.scorm_root(), f"bench{frappe.generate_hash(length=8)}")
	try:
		package = os.path.join(work, "package.zip")
		_write_package(package, megabytes)
		size = os.path.getsize(package) / 1024 / 1024
		ours, theirs = [], []
		for index in range(UNPACK_RUNS):
			# Alternately first: the disk's write-back of one run weighs on the next.
			order = (_ours, _extractall) if index % 2 else (_extractall, _ours)
			for measure_one in order:
				os.sync()
				seconds = measure_one(package, os.path.join(root, f"{index:016x}"))
				(ours if measure_one is _ours else theirs).append(seconds)
		print(
			f"{'unpacking a ' + f'{megabytes} MB package ({size:.0f} MB zip, {megabytes + 3} files)':<62} "
			f"{statistics.median(ours):8.3f} s  (hash, checks, counted writes, rename)"
		)
		print(f"{'  baseline, zipfile.extractall of the same zip':<62} {statistics.median(theirs):8.3f} s")
	finally:
		shutil.rmtree(work, ignore_errors=True)
		shutil.rmtree(root, ignore_errors=True)


def commits() -> None:
	ensure_hr_doctypes()
	learner = make_users(1, prefix="bench-scorm")[0]
	make_employees([learner])
	course = make_course("Benchmark SCORM Course", lessons=[{"title": "Read"}, {"title": "Package"}])
	plain = course_lessons(course)[0].name
	lesson = attach_package(course, 2, build_package("1.2"))
	create_assignments([course], [learner], add_days(today(), 30))
	body = {"course": course, "lesson": lesson, "session": "bench", "elapsed": 30}
	frappe.set_user(learner)
	try:
		steady = measure(
			lambda _: commit(**body, cmi=INCOMPLETE), prepare=lambda: commit(**body, cmi=INCOMPLETE)
		)
		first = measure(lambda _: commit(**body, cmi=INCOMPLETE))
		finishing = measure(
			lambda _: commit(**body, cmi=PASSED), prepare=lambda: commit(**body, cmi=INCOMPLETE)
		)
		mark = measure(lambda _: mark_lesson_complete(course=course, lesson=plain))
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.db.after_commit.reset()
	_line("commit, to the learner's attempt (every 30 s of play)", steady)
	_line("commit, the first (the attempt made)", first)
	_line("commit, passed (the lesson finished)", finishing)
	_line("  baseline, mark_lesson_complete (a plain lesson)", mark)
	slow = [
		label for label, (ms, _n) in (("commit", steady), ("finishing commit", finishing)) if ms > TARGET_MS
	]
	print(f"Target {TARGET_MS} ms: {'missed by ' + ', '.join(slow) if slow else 'met'}.")
	print("Rolled back and removed: nothing is kept.")


def _ours(package: str, folder: str) -> float:
	start = time.perf_counter()
	storage.package_id(package)
	check_and_unpack(package, folder)
	return time.perf_counter() - start


def _extractall(package: str, folder: str) -> float:
	start = time.perf_counter()
	with zipfile.ZipFile(package) as archive:
		archive.extractall(folder + "-extractall")  # the same disk as ours
	return time.perf_counter() - start


def _write_package(path: str, megabytes: int) -> None:
	"""A SCORM 1.2 package of `megabytes` 1 MB files of random bytes (stored as they are: they do not
	compress), its manifest and launch page."""
	with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
		archive.writestr("imsmanifest.xml", manifest_xml("1.2", "index.html"))
		archive.writestr("index.html", launch_page("1.2"))
		archive.writestr("sco.js", "")
		for index in range(megabytes):
			archive.writestr(f"media/clip-{index:03d}.bin", os.urandom(1024 * 1024), zipfile.ZIP_STORED)


def _line(label: str, figures: tuple[float, int]) -> None:
	print(f"{label:<62} {figures[0]:8.1f} ms {figures[1]:6d} SQL statements")
