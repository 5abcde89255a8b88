"""Where an Employee Onboarding's mandatory training stands: one record per onboarding, kept by
smooth_lms.lms.obligations.onboarding (HR reads it; nobody types in it)."""

from frappe.model.document import Document


class LMSOnboardingTraining(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assigned_on: DF.Date | None
		courses_already_open: DF.Int
		courses_assigned: DF.Int
		due_date: DF.Date | None
		employee: DF.Data | None
		employee_name: DF.Data | None
		onboarding: DF.DynamicLink
		onboarding_doctype: DF.Link | None
		state: DF.Literal["Waiting for Employee", "Waiting for User", "Assigned", "Cancelled"]
		user: DF.Link | None
	# end: auto-generated types

	pass
