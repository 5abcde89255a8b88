"""What LMS Settings say, read as the app applies them: a setting never saved takes its default.

The desk form is LMS Settings' own DocType (doctype/lms_settings); everything the app does reads the
settings here.
"""

import datetime

import frappe
from frappe.utils import add_days, cint, getdate, today

from smooth_lms.lms.doctypes import SETTINGS

# What a site that never saved LMS Settings (or saved it before a field existed) gets.
DEFAULTS = {
	"onboarding_due_days": 30,
	"send_assignment_emails": 1,
	"reminder_days_before_due": 3,
	"send_overdue_emails": 1,
	"send_expiry_notices": 1,
	"expiry_notice_days_before": 14,
	# HR decides whether manager digests exist at all; each manager then opts in (manager_digest.py).
	"allow_manager_digests": 0,
	"manager_digest_frequency": "Daily",
}


def lms_settings() -> frappe._dict:
	"""The settings (numbers and checks as ints), a field never saved taking its default. Read from what
	is stored: Frappe's document fills a Check added after the settings were last saved with 0, so a new
	setting that defaults to on would read as off on every upgraded site."""
	stored = frappe.db.get_singles_dict(SETTINGS, cast=False)
	return frappe._dict({field: _value(stored.get(field), default) for field, default in DEFAULTS.items()})


def onboarding_due_date() -> datetime.date:
	"""When training given for what someone now owes is due — a new hire's, or a sweep's after a course
	or an employee changed: LMS Settings' onboarding due days from today (30 unless set)."""
	days = lms_settings().onboarding_due_days
	if days < 1:
		days = DEFAULTS["onboarding_due_days"]
	return getdate(add_days(today(), days))


def store_missing_defaults() -> None:
	"""after_migrate: store the default of every setting never saved. Frappe's form shows a Check it has
	no stored value for as off, and saving the form would store that: storing the defaults keeps what HR
	sees (and saves) the same as what the app applies."""
	stored = frappe.db.get_singles_dict(SETTINGS, cast=False)
	missing = {field: default for field, default in DEFAULTS.items() if _unset(stored.get(field))}
	if missing:
		frappe.db.set_single_value(SETTINGS, missing, update_modified=False)


def _value(value, default):
	if _unset(value):
		return default
	return cint(value) if isinstance(default, int) else value


def _unset(value) -> bool:
	"""A setting never saved (or saved empty): its default applies."""
	return value in (None, "")
