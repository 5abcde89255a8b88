"""LMS Settings: the due date onboarding gives, which emails learners get, and whether managers may
opt in to an overdue digest about their reports. The app reads them through
smooth_lms.lms.framework.settings."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from smooth_lms.lms.framework.validation import validate_value_types


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
