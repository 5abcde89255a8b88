"""Background jobs run by a real Frappe worker process, on a Redis database of the test site's own.

The bench's queues are shared by every site of the bench: a worker started there would run other sites'
jobs, and take from under another test the jobs it reads off the queue. So a test moves its site's job
from the bench's queue to a database of its own on the same Redis server (the queue keeps its name), and
runs Frappe's commands there — `bench worker --burst` (every queue, until they are empty), `bench
execute` — with FRAPPE_REDIS_QUEUE naming that database, as scripts/demo runs the demo's processes. A
job these processes queue (an email after a sweep) lands there too.
"""

import os
import re
import subprocess
import sys
import time
import zlib

import frappe
import redis
from frappe.utils.background_jobs import generate_qname, get_queue, get_queues_timeout
from rq import Queue
from rq.job import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry


class PrivateQueue:
	def __init__(self, site: str | None = None):
		self.site = site or frappe.local.site
		# Databases 2 to 15, one per site (0 is the bench's, 1 the demo's): concurrent runs on other
		# sites do not meet here.
		database = 2 + zlib.crc32(self.site.encode()) % 14
		base = re.match(r"^(rediss?://[^/?]+)", frappe.conf.redis_queue)
		self.url = f"{base.group(1)}/{database}"
		self.connection = redis.Redis.from_url(self.url)
		self.sites_path = os.environ.get("SMOOTH_LMS_SITES_PATH", ".")

	def queue(self, queue_type: str = "long") -> Queue:
		return Queue(generate_qname(queue_type), connection=self.connection)

	def take(self, method: str, timeout: float = 15, **kwargs) -> str:
		"""Move this site's job of `method` (whose keyword arguments include `kwargs`) from the bench's
		queues to this database; it must reach them within `timeout` seconds. Returns its id."""
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			for queue_type in get_queues_timeout():
				bench_queue = get_queue(queue_type)
				for job in Job.fetch_many(bench_queue.job_ids, connection=bench_queue.connection):
					if job and self.is_ours(job, method, kwargs) and bench_queue.remove(job.id):
						self.queue(queue_type).enqueue_call(
							job.func_name, kwargs=job.kwargs, timeout=job.timeout, job_id=job.id
						)
						job.delete(remove_from_queue=False)
						return job.id
			time.sleep(0.2)
		raise AssertionError(f"no job of {method} {kwargs} reached the bench's queues in {timeout} s")

	def is_ours(self, job: Job, method: str, kwargs: dict) -> bool:
		job_kwargs = job.kwargs or {}
		return (
			job_kwargs.get("site") == self.site
			and job_kwargs.get("method") == method
			and all((job_kwargs.get("kwargs") or {}).get(key) == value for key, value in kwargs.items())
		)

	def frappe(self, *args: str, timeout: float = 120, wait: bool = True):
		"""`bench ARGS` (Frappe's command line, as the bench CLI runs it) on this database. Returns the
		finished process (output in .stdout), or the running one when not `wait`."""
		command = [sys.executable, "-m", "frappe.utils.bench_helper", "frappe", *args]
		env = {**os.environ, "FRAPPE_REDIS_QUEUE": self.url}
		if not wait:
			return subprocess.Popen(
				command,
				cwd=self.sites_path,
				env=env,
				stdout=subprocess.PIPE,
				stderr=subprocess.STDOUT,
				text=True,
			)
		return subprocess.run(
			command,
			cwd=self.sites_path,
			env=env,
			stdout=subprocess.PIPE,
			stderr=subprocess.STDOUT,
			text=True,
			timeout=timeout,
		)

	def burst_worker(self, timeout: float = 120) -> subprocess.CompletedProcess:
		"""Frappe's worker on every queue of this database, until they are empty (`bench worker --burst`)."""
		return self.frappe("worker", "--burst", timeout=timeout)

	def clear(self, site: str | None = None) -> None:
		"""Remove this site's (or `site`'s) jobs from this database's queues and registries."""
		prefix = f"{site or self.site}::"
		for queue_type in get_queues_timeout():
			queue = self.queue(queue_type)
			for registry in (StartedJobRegistry, FinishedJobRegistry, FailedJobRegistry):
				for job_id in registry(queue=queue).get_job_ids():
					if job_id.startswith(prefix):
						registry(queue=queue).remove(job_id, delete_job=True)
			for job_id in queue.job_ids:
				if job_id.startswith(prefix):
					queue.remove(job_id)
					Job(job_id, connection=self.connection).delete(remove_from_queue=False)
