"""LMS Settings: the due date onboarding gives, which emails learners get, and whether managers may
opt in to an overdue digest about their reports."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from smooth_lms.lms.validation import validate_value_types

SETTINGS = "LMS Settings"

# What a site that never saved LMS Settings (or saved it before a field existed) gets.
DEFAULTS = {
	"onboarding_due_days": 30,
	"send_assignment_emails": 1,
	"reminder_days_before_due": 3,
	"send_overdue_emails": 1,
	"send_expiry_notices": 1,
	"expiry_notice_days_before": 14,
	# HR decides whether manager digests exist at all; each manager then opts in (managers.py).
	"allow_manager_digests": 0,
	"manager_digest_frequency": "Daily",
}


class LMSSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		allow_manager_digests: DF.Check
		expiry_notice_days_before: DF.Int
		manager_digest_frequency: DF.Literal["Daily", "Weekly (Monday)"]
		onboarding_due_days: DF.Int
		reminder_days_before_due: DF.Int
		send_assignment_emails: DF.Check
		send_expiry_notices: DF.Check
		send_overdue_emails: DF.Check
	# end: auto-generated types

	def validate(self):
		validate_value_types(self)  # what REST callers send, before anything reads it
		if cint(self.onboarding_due_days) < 1:
			frappe.throw(
				_("Onboarding Training Due In (Days) must be at least 1, not {0}.").format(
					cint(self.onboarding_due_days)
				),
				frappe.ValidationError,
				title=_("Invalid Due Days"),
			)
		if cint(self.reminder_days_before_due) < 0:
			frappe.throw(
				_("Reminder Days Before Due Date cannot be negative: use 0 to turn the reminder off."),
				frappe.ValidationError,
				title=_("Invalid Reminder Days"),
			)


def lms_settings() -> frappe._dict:
	"""The settings (numbers and checks as ints), a field never saved taking its default. Read from what
	is stored: Frappe's document fills a Check added after the settings were last saved with 0, so a new
	setting that defaults to on would read as off on every upgraded site."""
	stored = frappe.db.get_singles_dict(SETTINGS, cast=False)
	return frappe._dict({field: _value(stored.get(field), default) for field, default in DEFAULTS.items()})


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


def onboarding_due_days() -> int:
	"""Days until the assignments an onboarding makes are due: LMS Settings, else 30."""
	days = lms_settings().onboarding_due_days
	return days if days >= 1 else DEFAULTS["onboarding_due_days"]
