"""Dotted paths the app has moved, kept working.

A dotted path is an address other software keeps: Scheduled Job Types and queued jobs name their
method, Number Cards and desk pages call whitelisted methods by path, other apps and HRMS call the REST
API, hooks cached in Redis outlive a deploy until the next migrate. When a function moves, its old path
stays here, `old: new`, and resolves to the very same function (so Frappe's whitelist, which checks the
function itself, accepts it under either name).

Old modules that no longer exist are made on import by a finder (`install`, run by smooth_lms.lms); an
old module name that is a package now looks its moved names up from its `__init__` (`getter`).
"""

import importlib
import importlib.abc
import importlib.machinery
import sys
import types

MOVED: dict[str, str] = {
	# Scheduler events and document hooks (hooks.py).
	"smooth_lms.lms.onboarding.on_onboarding_cancelled": "smooth_lms.lms.obligations.onboarding.on_onboarding_cancelled",
	"smooth_lms.lms.onboarding.on_employee_changed": "smooth_lms.lms.obligations.onboarding.on_employee_changed",
	"smooth_lms.lms.onboarding.catch_up": "smooth_lms.lms.obligations.onboarding.catch_up",
	"smooth_lms.lms.obligations.on_employee_changed": "smooth_lms.lms.obligations.sweeps.on_employee_changed",
	"smooth_lms.lms.reminders.send_training_reminders": "smooth_lms.lms.notifications.learner_emails.send_training_reminders",
	"smooth_lms.lms.managers.send_overdue_digests": "smooth_lms.lms.notifications.manager_digest.send_overdue_digests",
	"smooth_lms.lms.renewals.open_renewals": "smooth_lms.lms.validity.renewals.open_renewals",
	"smooth_lms.lms.guards.before_request": "smooth_lms.lms.framework.guards.before_request",
	"smooth_lms.lms.permissions.assignment_query_conditions": "smooth_lms.lms.framework.permissions.assignment_query_conditions",
	"smooth_lms.lms.permissions.enrollment_query_conditions": "smooth_lms.lms.framework.permissions.enrollment_query_conditions",
	"smooth_lms.lms.permissions.course_progress_query_conditions": "smooth_lms.lms.framework.permissions.course_progress_query_conditions",
	"smooth_lms.lms.permissions.course_query_conditions": "smooth_lms.lms.framework.permissions.course_query_conditions",
	"smooth_lms.lms.permissions.has_learner_record_permission": "smooth_lms.lms.framework.permissions.has_learner_record_permission",
	"smooth_lms.lms.permissions.has_course_permission": "smooth_lms.lms.framework.permissions.has_course_permission",
	# Background jobs (frappe.enqueue by dotted path).
	"smooth_lms.lms.sweeps.sweep_course": "smooth_lms.lms.obligations.sweeps.sweep_course",
	"smooth_lms.lms.sweeps.run_group_assignment": "smooth_lms.lms.assignments.groups.run_group_assignment",
	"smooth_lms.lms.reminders.send_assignment_emails": "smooth_lms.lms.notifications.learner_emails.send_assignment_emails",
	"smooth_lms.lms.document_trail.replay_document_events": "smooth_lms.lms.framework.document_trail.replay_document_events",
	# Whitelisted methods (desk scripts, portal pages, number cards, REST callers).
	"smooth_lms.lms.sweeps.assign_training_to_group": "smooth_lms.lms.assignments.groups.assign_training_to_group",
	"smooth_lms.lms.sweeps.get_group_assignment": "smooth_lms.lms.assignments.groups.get_group_assignment",
	"smooth_lms.lms.sweeps.get_group_values": "smooth_lms.lms.assignments.groups.get_group_values",
	"smooth_lms.lms.hr_records.record_external_completion": "smooth_lms.lms.assignments.hr_records.record_external_completion",
	"smooth_lms.lms.hr_records.extend_due_date": "smooth_lms.lms.assignments.hr_records.extend_due_date",
	"smooth_lms.lms.lesson_progress.mark_lesson_complete": "smooth_lms.lms.learning.progress.mark_lesson_complete",
	"smooth_lms.lms.portal.enrol_self": "smooth_lms.lms.portal.catalogue.enrol_self",
	"smooth_lms.lms.managers.get_my_team_training": "smooth_lms.lms.portal.team.get_my_team_training",
	"smooth_lms.lms.managers.set_overdue_digest": "smooth_lms.lms.notifications.manager_digest.set_overdue_digest",
	"smooth_lms.lms.compliance.get_compliance_counts": "smooth_lms.lms.reporting.counts.get_compliance_counts",
	"smooth_lms.lms.compliance.assigned_trainings": "smooth_lms.lms.reporting.cards.assigned_trainings",
	"smooth_lms.lms.compliance.completed_trainings": "smooth_lms.lms.reporting.cards.completed_trainings",
	"smooth_lms.lms.compliance.overdue_trainings": "smooth_lms.lms.reporting.cards.overdue_trainings",
	"smooth_lms.lms.validity.expiring_soon_trainings": "smooth_lms.lms.reporting.cards.expiring_soon_trainings",
	"smooth_lms.lms.validity.expired_trainings": "smooth_lms.lms.reporting.cards.expired_trainings",
}  # fmt: skip


def resolve(path: str):
	"""The object a dotted path (old or current) names."""
	module, _dot, attribute = MOVED.get(path, path).rpartition(".")
	return getattr(importlib.import_module(module), attribute)


def getter(module_name: str):
	"""A module-level `__getattr__` (PEP 562) for a package that carries an old module's name."""

	def __getattr__(attribute: str):
		path = f"{module_name}.{attribute}"
		if path not in MOVED:
			raise AttributeError(f"module {module_name!r} has no attribute {attribute!r}")
		return resolve(path)

	return __getattr__


def old_modules() -> set[str]:
	return {path.rpartition(".")[0] for path in MOVED}


class _OldModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
	"""Makes an old module that no longer exists: an empty module whose names are looked up in MOVED.
	Consulted after Python's own finders, so it never stands in for a module that exists."""

	def find_spec(self, fullname, path, target=None):
		if fullname in old_modules():
			return importlib.machinery.ModuleSpec(fullname, self)
		return None

	def create_module(self, spec):
		module = types.ModuleType(spec.name, f"Moved: see {__name__}.MOVED.")
		module.__getattr__ = getter(spec.name)
		return module

	def exec_module(self, module):
		pass


def install() -> None:
	if not any(isinstance(finder, _OldModuleFinder) for finder in sys.meta_path):
		sys.meta_path.append(_OldModuleFinder())
