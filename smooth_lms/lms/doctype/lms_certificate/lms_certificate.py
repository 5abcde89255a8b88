"""A certificate: issued by itself for a completed assignment (certificates.issuing), named by an
unguessable code anyone can check on /lms/verify/<code>. Nobody edits one; HR revokes it with a reason
(certificates.revoke_certificate), the one change it accepts."""

import frappe
from frappe import _
from frappe.model.document import Document

from smooth_lms.lms.certificates.codes import new_code

REVOCATION_FIELDS = ("revoked", "revoked_reason", "revoked_on", "revoked_by")


class LMSCertificate(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assignment: DF.Link | None
		course: DF.Link
		course_title: DF.Data | None
		course_version: DF.Data | None
		issue_date: DF.Date | None
		member: DF.Link
		member_name: DF.Data | None
		revoked: DF.Check
		revoked_by: DF.Link | None
		revoked_on: DF.Datetime | None
		revoked_reason: DF.SmallText | None
		valid_until: DF.Date | None
	# end: auto-generated types

	def autoname(self):
		self.name = new_code()

	def validate(self):
		if self.is_new():
			if not self.flags.issuing:
				frappe.throw(
					_("Certificates are issued by the app when training is completed."),
					frappe.PermissionError,
					title=_("Not Permitted"),
				)
			return
		before = self.get_doc_before_save()
		changed = [
			field.fieldname
			for field in self.meta.fields
			if field.fieldname not in REVOCATION_FIELDS
			and self.get(field.fieldname) != before.get(field.fieldname)
		]
		if changed or not self.flags.revoking or before.revoked:
			frappe.throw(
				_("Certificate {0} is proof of a completion: nobody edits it (HR may revoke it).").format(
					self.name
				),
				frappe.PermissionError,
				title=_("Not Editable"),
			)

	def on_trash(self):
		frappe.throw(
			_("Certificate {0} is proof of a completion: nobody deletes it (HR may revoke it).").format(
				self.name
			),
			frappe.PermissionError,
			title=_("Not Deletable"),
		)
