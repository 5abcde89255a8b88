"""WSGI entry of the test web server: scripts/test runs it under gunicorn, several worker processes.

    SMOOTH_LMS_TEST_SITE=test_site gunicorn -w 4 --threads 4 smooth_lms.tests.wsgi:application

from the bench's sites folder (or with SMOOTH_LMS_SITES_PATH naming it). It is Frappe's own
application pinned to one site the way `bench --site SITE serve` pins it (frappe.app._site), so
requests without an X-Frappe-Site-Name header (the headless browser's) reach the test site, and it
serves /assets/ and the site's public /files/ as frappe.app.serve does, which gunicorn alone does not
(in production nginx serves them): the desk's JS and CSS load from it."""

import os

import frappe.app
from werkzeug.middleware.shared_data import SharedDataMiddleware

SITE = os.environ.get("SMOOTH_LMS_TEST_SITE")
if not SITE:
	raise RuntimeError("SMOOTH_LMS_TEST_SITE is not set: the test server serves one site, name it")
SITES_PATH = os.path.abspath(os.environ.get("SMOOTH_LMS_SITES_PATH", "."))
if not os.path.isfile(os.path.join(SITES_PATH, SITE, "site_config.json")):
	raise RuntimeError(f"no site {SITE} in {SITES_PATH}")

# frappe.app.init_request reads these module globals on every request.
frappe.app._site = SITE
frappe.app._sites_path = SITES_PATH

application = SharedDataMiddleware(
	frappe.app.application,
	{
		"/assets": os.path.join(SITES_PATH, "assets"),
		"/files": os.path.join(SITES_PATH, SITE, "public", "files"),
	},
)
