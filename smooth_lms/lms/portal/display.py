"""How the portal shows things: guests, placeholders for missing course images, progress and the button
it leads to, status classes, and the only HTML it prints raw (rich_text).

Frappe's Jinja does not autoescape: the templates print every stored or caller text with `| e`, and the
only HTML they print raw (a course's description, a lesson's content) comes from `rich_text`.
"""

import zlib

import frappe
from bs4 import BeautifulSoup
from frappe import _
from frappe.utils import flt
from frappe.utils.html_utils import sanitize_html

# The site's own uploads (Frappe inlines private ones in a PDF).
SITE_IMAGES = ("/files/", "/private/files/")


def is_guest(user: str | None = None) -> bool:
	return (user or frappe.session.user) == "Guest"


def placeholder(title: str | None, key: str) -> dict:
	"""What stands in for a missing course image: the title's initial on one of six tints."""
	return {
		"initial": (title or key or "?").strip()[:1].upper(),
		"tint": zlib.crc32((key or "").encode()) % 6,
	}


def progress_value(progress) -> float:
	"""Progress as shown: 0 to 100, whole numbers without a trailing .0."""
	value = min(max(flt(progress, 1), 0), 100)
	return int(value) if value == int(value) else value


def progress_action(progress) -> str:
	"""What the button to a course says, by the learner's progress in it, on the catalogue and on the
	course page alike: Start (not started), Continue (part-way), Review (finished)."""
	value = progress_value(progress)
	if value >= 100:
		return _("Review")
	return _("Continue") if value > 0 else _("Start")


def status_slug(status: str | None) -> str:
	return (status or "none").lower().replace(" ", "-")


def rich_text(html: str | None) -> str:
	"""Text Editor content (a course's description, a lesson's body) made safe to print as HTML: Frappe's
	own allow-list (formatting, links, images, tables), without scripts, event handlers or javascript:
	URLs. Always cleaned, even text that looks tag-free: Frappe's save-time check skips a value in which
	its parser finds no complete tag, such as `<img src=x onerror=alert(1)//`, which a browser still
	reads as an element once the template closes it; set-wise writes skip that check altogether."""
	return sanitize_html(html or "", always_sanitize=True)


def site_images_only(html: str, keep: tuple[str, ...] = SITE_IMAGES) -> str:
	"""Cleaned rich text with every image not from the site's own uploads (or another `keep` prefix of its
	address) replaced by "[image: its alt text]": no image from any address (a tracking pixel, a broken
	`src=x`) shows where the text is shown, nor breaks a PDF (wkhtmltopdf fails on one it cannot load)."""
	if "<img" not in html:
		return html
	soup = BeautifulSoup(html, "html.parser")
	for image in soup.find_all("img"):
		if not (image.get("src") or "").startswith(keep):
			alt = (image.get("alt") or "").strip()
			image.replace_with(f"[{_('image')}: {alt}]" if alt else f"[{_('image')}]")
	return str(soup)
