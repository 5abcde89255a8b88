"""scripts/demo waits for the seed's background jobs with `wait_for_jobs`: it returns once a worker has run
every job of the site, fails with a message naming what is left when nothing runs them in time, and
fails with the error of a job that failed. Run as scripts/demo runs it (`bench --site SITE execute`), on
a Redis database of the test's own, with Frappe's worker process (smooth_lms.tests.private_queue)."""

import time

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.demo.jobs import ErrorsLogged, check_error_log
from smooth_lms.tests.private_queue import PrivateQueue

MARK = "smooth_lms:test_jobs:{0}"
LEAVE_MARK = "smooth_lms.demo.test_jobs.leave_mark"
FAIL = "smooth_lms.demo.test_jobs.fail"
NAP = "smooth_lms.demo.test_jobs.nap"
NAP_SECONDS = 2.5


def leave_mark(key: str) -> None:
	"""A job that leaves a trace in the site's cache."""
	frappe.cache.set_value(MARK.format(key), "ran", expires_in_sec=600)


def fail(key: str) -> None:
	raise ValueError(f"the job {key} broke")


def nap(key: str) -> None:
	"""A job that takes a while."""
	time.sleep(NAP_SECONDS)


def queue_job(method: str, key: str, count: int = 1) -> str:
	"""frappe.enqueue, as a request of the site queues a job (`count` times). Returns the last job's id."""
	return [frappe.enqueue(method, queue="short", key=key) for _i in range(count)][-1].id


class TestWaitForJobs(FrappeTestCase):
	def setUp(self):
		self.queue = PrivateQueue()
		self.queue.clear()
		self.addCleanup(self.queue.clear)
		self.key = frappe.generate_hash(length=10)

	def enqueue(self, method: str, count: int = 1) -> None:
		"""Jobs of the site queued by another process, on the test's database."""
		run = self.queue.frappe(
			"--site",
			frappe.local.site,
			"execute",
			"smooth_lms.demo.test_jobs.queue_job",
			"--kwargs",
			repr({"method": method, "key": self.key, "count": count}),
		)
		self.assertEqual(run.returncode, 0, run.stdout[-2000:])

	def wait(self, timeout: float, wait: bool = True):
		kwargs = {"timeout": timeout, "poll": 0.2, "since": time.time() - 60}
		return self.queue.frappe(
			"--site",
			frappe.local.site,
			"execute",
			"smooth_lms.demo.jobs.wait_for_jobs",
			"--kwargs",
			repr(kwargs),
			wait=wait,
		)

	def mark(self):
		return frappe.cache.get_value(MARK.format(self.key), expires=True)

	def test_it_waits_until_a_worker_has_run_the_job(self):
		self.enqueue(LEAVE_MARK)
		waiter = self.wait(timeout=90, wait=False)
		self.addCleanup(lambda: waiter.poll() is None and waiter.kill())
		time.sleep(3)
		self.assertIsNone(waiter.poll(), "it returned while the job was still queued")
		self.assertIsNone(self.mark())

		worker = self.queue.burst_worker()
		self.assertEqual(worker.returncode, 0, worker.stdout[-2000:])
		output, _ = waiter.communicate(timeout=60)

		self.assertEqual(waiter.returncode, 0, output[-2000:])
		self.assertIn(f"Waiting for 1 background job(s) of {frappe.local.site} (1 x {LEAVE_MARK})", output)
		self.assertIn(f"Every background job of {frappe.local.site} has run.", output)
		self.assertEqual(self.mark(), "ran")

	def test_it_times_out_with_a_message_when_nothing_runs_the_job(self):
		self.enqueue(LEAVE_MARK)
		started = time.monotonic()
		run = self.wait(timeout=2)
		self.assertGreaterEqual(time.monotonic() - started, 2)

		self.assertNotEqual(run.returncode, 0, run.stdout[-2000:])
		self.assertIn(
			f"JobsNotDone: 1 background job(s) of {frappe.local.site} still queued or running, none "
			f"finished in 2 s (1 x {LEAVE_MARK}). Is a worker running on {self.queue.url}?",
			run.stdout,
		)
		self.assertIsNone(self.mark())

	def test_it_waits_longer_than_its_timeout_while_jobs_keep_finishing(self):
		self.enqueue(NAP, count=5)  # 5 x 2.5 s and more: far over the timeout, each well within it
		waiter = self.wait(timeout=8, wait=False)
		self.addCleanup(lambda: waiter.poll() is None and waiter.kill())
		started = time.monotonic()
		worker = self.queue.burst_worker()
		self.assertEqual(worker.returncode, 0, worker.stdout[-2000:])
		output, _ = waiter.communicate(timeout=60)
		self.assertGreater(time.monotonic() - started, 8)
		self.assertEqual(waiter.returncode, 0, output[-2000:])
		self.assertIn(f"Every background job of {frappe.local.site} has run.", output)

	def test_a_job_that_failed_fails_the_wait_with_its_error(self):
		self.enqueue(FAIL)
		worker = self.queue.burst_worker()
		self.assertEqual(worker.returncode, 0, worker.stdout[-2000:])

		run = self.wait(timeout=10)

		self.assertNotEqual(run.returncode, 0, run.stdout[-2000:])
		self.assertIn(
			f"1 background job(s) of {frappe.local.site} failed: {FAIL}: "
			f"ValueError: the job {self.key} broke",
			run.stdout,
		)

	def test_other_sites_jobs_are_not_waited_for(self):
		self.queue.queue("short").enqueue_call("frappe.ping", job_id=f"another-site::{self.key}")
		self.addCleanup(self.queue.clear, "another-site")

		run = self.wait(timeout=10)

		self.assertEqual(run.returncode, 0, run.stdout[-2000:])
		self.assertIn(f"Every background job of {frappe.local.site} has run.", run.stdout)
		self.assertNotIn("Waiting for", run.stdout)


class TestCheckErrorLog(FrappeTestCase):
	def test_an_error_logged_since_fails_the_check_with_its_title_and_an_earlier_one_does_not(self):
		since = time.time() - 1
		title = f"smooth_lms test_jobs {frappe.generate_hash(length=10)}"
		frappe.log_error(title=title, message="a job went on after this")
		with self.assertRaises(ErrorsLogged) as raised:
			check_error_log(since)
		self.assertIn(f"1 x {title}", str(raised.exception))
		check_error_log(time.time() + 2)  # nothing logged after: no error
