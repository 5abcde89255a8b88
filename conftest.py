"""pytest entry for Smooth LMS.

With SMOOTH_LMS_TEST_SITE set (the README's test command sets it, running from the bench's sites
folder with the bench's Python), the integration tests run against that real site. Without it, only
the no-site checks are collected: the test command names them explicitly.
"""

import os

SITE = os.environ.get("SMOOTH_LMS_TEST_SITE")


def pytest_configure(config):
	if not SITE:
		return
	import frappe
	from frappe.utils.install import complete_setup_wizard

	frappe.init(site=SITE, sites_path=os.environ.get("SMOOTH_LMS_SITES_PATH", "."))
	frappe.connect()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")
	if not frappe.get_conf().get("allow_tests"):
		raise RuntimeError(f"Site {SITE} does not allow tests: set allow_tests in its site_config.json")
	if not frappe.db.get_single_value("System Settings", "setup_complete"):
		complete_setup_wizard()

	from smooth_lms.demo.hr_doctypes import ensure_hr_doctypes

	ensure_hr_doctypes()
	frappe.db.commit()


def pytest_unconfigure(config):
	if SITE:
		import frappe

		if getattr(frappe.local, "db", None):
			frappe.db.rollback()
		frappe.destroy()
