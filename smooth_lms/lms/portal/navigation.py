"""How a learner reaches the portal: where they land after signing in, and the links back to it from
Frappe's own pages (hooks.py names these functions).

A learner is a Website User (LMS Student has no desk access). Frappe v15 sends a Website User, after
login and from `/` or `/login`, to `frappe.website.utils.get_home_page()`: a Role's Home Page, else
Portal Settings' Default Portal Home, else the `get_website_user_home_page` hook (this module), else
`/me`. Desk users (System Users: HR Manager, Moderator) go to the desk whatever it says
(`frappe.auth.LoginManager.set_user_info`), and only they are offered "Switch To Desk" (shown by
Frappe's website.js when the `system_user` cookie, set from the User Type at login, is "yes")."""

import frappe
from frappe import _

from smooth_lms.lms.routes import HOME_ROUTE


def website_user_home_page(user: str | None = None) -> str | None:
	"""The `get_website_user_home_page` hook: the portal's home for a signed-in user; None for Guest (the
	site's own home page or the login page, as before)."""
	if (user or frappe.session.user) == "Guest":
		return None
	return HOME_ROUTE.strip("/")


def add_portal_links(context) -> None:
	"""The `update_website_context` hook: the navbar's account menu (Frappe's `post_login` items: My
	Account, Log out) starts with My Learning for every signed-in user, on every website page."""
	if frappe.session.user == "Guest":
		return
	items = list(context.get("post_login") or [])
	if not any(item.get("url") == HOME_ROUTE for item in items):
		items.insert(0, {"label": _("My Learning"), "url": HOME_ROUTE})
	context.post_login = items
