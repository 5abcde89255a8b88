"""LMS Settings: the due date onboarding gives, and which emails learners get."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

SETTINGS = "LMS Settings"

# What a site that never saved LMS Settings (or saved it before a field existed) gets.
DEFAULTS = {
	"onboarding_due_days": 30,
	"send_assignment_emails": 1,
	"reminder_days_before_due": 3,
	"send_overdue_emails": 1,
}


class LMSSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		onboarding_due_days: DF.Int
		reminder_days_before_due: DF.Int
		send_assignment_emails: DF.Check
		send_overdue_emails: DF.Check
	# end: auto-generated types

	def validate(self):
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
	"""The settings as ints, a field never saved taking its default."""
	doc = frappe.get_cached_doc(SETTINGS)
	return frappe._dict(
		{
			field: default if doc.get(field) in (None, "") else cint(doc.get(field))
			for field, default in DEFAULTS.items()
		}
	)


def onboarding_due_days() -> int:
	"""Days until the assignments an onboarding makes are due: LMS Settings, else 30."""
	days = lms_settings().onboarding_due_days
	return days if days >= 1 else DEFAULTS["onboarding_due_days"]
