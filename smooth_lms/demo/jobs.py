"""The demo site's background jobs: waiting until they have run, and the scheduler of that one site.

The seed leaves work to background jobs, as the app does on any site: each course made mandatory is
swept by a job, the learners' emails and the document events of rows written set-wise go out from
jobs. scripts/demo starts a worker, then waits here until none of the site's jobs is queued or running:

    bench --site smooth.localhost execute smooth_lms.demo.jobs.wait_for_jobs --kwargs "{'timeout': 600}"

A job is the site's when its id starts with "<site>::" (frappe.utils.background_jobs.create_job_id).
Jobs that failed meanwhile fail the wait too, with their error. Then `check_error_log` fails when the
seed or a job logged an error and went on (the HR ledger's handoff logs a failed row and finishes).
"""

import time
from collections import Counter
from datetime import datetime, timezone

import frappe
from frappe.query_builder import DocType, Order
from frappe.query_builder.functions import Count
from frappe.utils import convert_utc_to_system_timezone
from frappe.utils.background_jobs import get_queue, get_queues_timeout, get_redis_conn
from rq.job import Job
from rq.registry import FailedJobRegistry, StartedJobRegistry

# A job is taken off its queue a moment before it is recorded as started: the site's jobs count as done
# once they are seen gone this many times in a row, a poll apart.
QUIET_POLLS = 2


class JobsNotDone(Exception):
	"""The site's background jobs did not all run in time, or some of them failed."""


class ErrorsLogged(Exception):
	"""The seed or its jobs wrote to the site's Error Log."""


def wait_for_jobs(
	site: str | None = None, timeout: float = 600, poll: float = 0.5, since: float | None = None
) -> None:
	"""Wait until none of the site's background jobs is queued or running, as long as one of them
	finishes every `timeout` seconds (on a busy machine the seed's jobs take longer, and that is no
	failure), then check that none of them failed since `since` (a Unix time; default: now). Raises
	JobsNotDone with what is left, or what failed."""
	site = site or frappe.local.site
	since = time.time() if since is None else float(since)
	deadline, quiet, announced, seen = time.monotonic() + float(timeout), 0, False, set()
	while quiet < QUIET_POLLS:
		pending = pending_jobs(site)
		if seen - set(pending):  # some finished: a worker is at it
			deadline = time.monotonic() + float(timeout)
		seen = set(pending)
		quiet = 0 if pending else quiet + 1
		if pending and time.monotonic() >= deadline:
			raise JobsNotDone(
				f"{len(pending)} background job(s) of {site} still queued or running, none finished in "
				f"{timeout:g} s ({_methods(pending)}). Is a worker running on {frappe.conf.redis_queue}? "
				"scripts/demo starts one (log: logs/smooth-lms-demo-worker.log in the bench)."
			)
		if pending and not announced:
			print(f"Waiting for {len(pending)} background job(s) of {site} ({_methods(pending)})", flush=True)
			announced = True
		time.sleep(poll)
	failed = failed_jobs(site, since)
	if failed:
		raise JobsNotDone(
			f"{len(failed)} background job(s) of {site} failed: "
			+ "; ".join(f"{_method(job)}: {_last_line(job)}" for job in failed[:10])
			+ " (the site's Error Log has each traceback)."
		)
	print(f"Every background job of {site} has run.", flush=True)


def pending_jobs(site: str) -> list[str]:
	"""The ids of the site's jobs waiting in the bench's queues or running now."""
	prefix, ids = f"{site}::", []
	for queue_type in get_queues_timeout():
		queue = get_queue(queue_type)
		for job_id in queue.job_ids + StartedJobRegistry(queue=queue).get_job_ids():
			if job_id.startswith(prefix):
				ids.append(job_id)
	return ids


def failed_jobs(site: str, since: float) -> list[Job]:
	"""The site's jobs that failed since `since` (a Unix time)."""
	prefix, after = f"{site}::", datetime.fromtimestamp(since, timezone.utc).replace(tzinfo=None)
	failed = []
	for queue_type in get_queues_timeout():
		registry = FailedJobRegistry(queue=get_queue(queue_type))
		ids = [job_id for job_id in registry.get_job_ids() if job_id.startswith(prefix)]
		for job in Job.fetch_many(ids, connection=get_redis_conn()):
			if job and job.ended_at and job.ended_at >= after:
				failed.append(job)
	return failed


def check_error_log(since: float, site: str | None = None) -> None:
	"""Raise ErrorsLogged with the titles of the site's Error Log entries written since `since` (a Unix
	time), if any; else say there are none."""
	site = site or frappe.local.site
	after = convert_utc_to_system_timezone(datetime.fromtimestamp(float(since), timezone.utc))
	error_log = DocType("Error Log")
	rows = (
		frappe.qb.from_(error_log)
		.select(error_log.method, Count("*"))
		.where(error_log.creation >= after.replace(tzinfo=None))
		.groupby(error_log.method)
		.orderby(Count("*"), order=Order.desc)
		.run()
	)
	if rows:
		raise ErrorsLogged(
			f"{sum(count for _title, count in rows)} error(s) logged on {site} since the seed started: "
			+ "; ".join(f"{count} x {title}" for title, count in rows[:10])
		)
	print(f"No error logged on {site}.", flush=True)


def run_scheduler(site: str) -> None:
	"""Frappe's scheduler (`bench schedule`) for the one site: every tick, the site's scheduled jobs that
	are due are queued, when its scheduler is enabled — Frappe's own enqueue_events_for_site. (`bench
	schedule` queues every site's: on a bench shared with test sites, the demo's worker would run theirs.)
	Runs until stopped. Called from the bench's sites folder."""
	from frappe.utils.scheduler import enqueue_events_for_site, get_scheduler_tick

	with frappe.init_site():
		tick = get_scheduler_tick()
	print(f"Scheduler for {site}: every {tick} s", flush=True)
	while True:
		time.sleep(tick)
		enqueue_events_for_site(site)


def _methods(job_ids: list[str]) -> str:
	jobs = Job.fetch_many(job_ids[:200], connection=get_redis_conn())
	counts = Counter(_method(job) for job in jobs if job)
	return ", ".join(f"{count} x {method}" for method, count in counts.most_common(5)) or "?"


def _method(job: Job) -> str:
	kwargs = job.kwargs or {}
	method = kwargs.get("method")
	if isinstance(method, str):
		return method
	return str(kwargs.get("job_name") or getattr(method, "__qualname__", None) or job.func_name)


def _last_line(job: Job) -> str:
	lines = [line for line in (job.exc_info or "").strip().splitlines() if line.strip()]
	return lines[-1].strip() if lines else "no error recorded"
