"""Records that are proof (quiz submissions, acknowledgements, quiz attempts): written once by the app,
then edited and deleted by nobody — not a learner, not HR, not System Manager or Administrator, over the
desk, REST or code that loads the document. Their DocTypes grant nobody write or delete; the controller
holds it for those whom Frappe's permissions do not stop (Administrator, ignore_permissions)."""

import frappe
from frappe import _


class Proof:
	"""Mixed into a controller before Document: inserts pass, saves and deletes are refused."""

	def validate(self):
		if not self.is_new():
			frappe.throw(
				_("{0} {1} is proof of what happened: nobody edits it.").format(_(self.doctype), self.name),
				frappe.PermissionError,
				title=_("Not Editable"),
			)
		super_validate = getattr(super(), "validate", None)
		if super_validate:
			super_validate()

	def on_trash(self):
		frappe.throw(
			_("{0} {1} is proof of what happened: nobody deletes it.").format(_(self.doctype), self.name),
			frappe.PermissionError,
			title=_("Not Deletable"),
		)
