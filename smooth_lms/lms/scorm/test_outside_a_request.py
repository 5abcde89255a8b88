"""The SCORM page renderer is asked about every page Frappe renders, also outside a request: in a job or
`bench execute`, frappe.get_print renders the print view (certificate PDFs for HR's ledger, proof packs).
There it declines, and the print renders."""

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.scorm.serving import SCORMPackagePage


class TestOutsideARequest(FrappeTestCase):
	def test_the_renderer_declines_without_a_request_and_a_print_renders(self):
		self.assertIsNone(getattr(frappe.local, "request", None))  # as in a worker
		self.assertFalse(SCORMPackagePage("printview").can_render())
		todo = frappe.get_doc({"doctype": "ToDo", "description": "Printed outside a request"}).insert()
		self.assertIn("Printed outside a request", frappe.get_print("ToDo", todo.name))
