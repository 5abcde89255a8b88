"""/lms/scorm/<token>/<path>: a lesson's unpacked package, file by file, to the learner its token names
(hooks.py page_renderer; Frappe asks it before its own pages).

Each request checks again that the token is ours and unexpired, that its learner's user is enabled and
may still read the course, and that the package is still the lesson's; the path is confined to the
package's folder. Anything else is a plain 404 that says nothing about why. Answers carry:
- the file's content type (never sniffed: `X-Content-Type-Options: nosniff`);
- `Content-Security-Policy: sandbox ...` without allow-same-origin, so a package file opened on its own
  (not in the lesson page's sandboxed frame) is still an opaque origin that cannot reach the desk;
- `Cache-Control: private` (HTML: no-store — it carries the learner's saved progress) and
  `Referrer-Policy: no-referrer`, so the token does not travel to the sites a package links to.
An HTML file gets the runtime: its config (version, the attempt's saved CMI to resume from, the commit
interval, a session id) and the scorm-again bundle, at the top of its <head>.
"""

import json
import mimetypes
import os
import posixpath
import re

import frappe
from frappe.utils import get_fullname
from frappe.utils.jinja_globals import bundled_asset
from frappe.website.page_renderers.base_renderer import BaseRenderer
from werkzeug.utils import send_file
from werkzeug.wrappers import Response

from smooth_lms.lms.doctypes import COURSE, LESSON, USER
from smooth_lms.lms.learning.progress import current_assignment
from smooth_lms.lms.scorm import attempts, cmi, storage, tokens

PREFIX = "/lms/scorm/"
RUNTIME_BUNDLE = "scorm_runtime.bundle.js"
COMMIT_INTERVAL = 30
SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-downloads"
HTML = (".html", ".htm")
ASSET_MAX_AGE = 3600
# Content types of web files that Python's table lacks or names differently between versions.
TYPES = {
	".js": "text/javascript",
	".mjs": "text/javascript",
	".css": "text/css",
	".json": "application/json",
	".svg": "image/svg+xml",
	".woff": "font/woff",
	".woff2": "font/woff2",
	".ttf": "font/ttf",
	".otf": "font/otf",
	".mp4": "video/mp4",
	".webm": "video/webm",
	".mp3": "audio/mpeg",
	".vtt": "text/vtt",
	".xml": "application/xml",
	".xsd": "application/xml",
	".swf": "application/octet-stream",
}
HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)
HTML_TAG = re.compile(rb"<html(?:\s[^>]*)?>", re.IGNORECASE)
DOCTYPE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<!doctype[^>]*>", re.IGNORECASE)


class SCORMPackagePage(BaseRenderer):
	"""Frappe's page renderer for /lms/scorm/...; reads the request's own path (Frappe's endpoint has
	`.html` cut off)."""

	def can_render(self) -> bool:
		# No request in a job or `bench execute`, where frappe.get_print renders pages too (PDFs).
		request = getattr(frappe.local, "request", None)
		return bool(request) and request.path.startswith(PREFIX)

	def render(self) -> Response:
		return serve(frappe.local.request.path.removeprefix(PREFIX))


def serve(rest: str) -> Response:
	"""The answer for /lms/scorm/<rest>."""
	token, _slash, inner = rest.partition("/")
	claims = tokens.read(token)
	lesson = _readable_lesson(claims) if claims else None
	path = _package_file(claims, inner) if lesson else None
	if not path:
		return _not_found()
	if path.lower().endswith(HTML):
		with open(path, "rb") as file:
			body = inject_runtime(file.read(), runtime_config(claims, lesson))
		response = Response(body, mimetype="text/html")
		response.headers["Cache-Control"] = "private, no-store"
	else:
		response = send_file(
			path, frappe.local.request.environ, mimetype=content_type(path), conditional=True
		)
		response.headers["Cache-Control"] = f"private, max-age={ASSET_MAX_AGE}"
	return _secured(response)


def runtime_config(claims: tokens.Claims, lesson: frappe._dict) -> dict:
	"""window.SMOOTH_LMS_SCORM for the package's page: what the runtime needs to resume and commit."""
	attempt = attempts.current(claims.user, claims.lesson, current_assignment(claims.user, claims.course))
	return {
		"version": lesson.scorm_version,
		"cmi": cmi.resume_data(lesson.scorm_version, attempt or {}, claims.user, get_fullname(claims.user)),
		"commit_interval": COMMIT_INTERVAL,
		"session": frappe.generate_hash(length=20),
		"attempt": attempt.name if attempt else None,
	}


def inject_runtime(html: bytes, config: dict) -> bytes:
	"""The page with the runtime's config and script at the top of its <head> (after <html> or the
	doctype when it has none). The config cannot end the script: <, > and & are escaped in the JSON."""
	data = json.dumps(config).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
	url = frappe.utils.escape_html(bundled_asset(RUNTIME_BUNDLE))
	tags = f'<script>window.SMOOTH_LMS_SCORM = {data};</script><script src="{url}"></script>'.encode()
	for pattern in (HEAD, HTML_TAG, DOCTYPE):
		if match := pattern.search(html):
			return html[: match.end()] + tags + html[match.end() :]
	return tags + html


def content_type(path: str) -> str:
	extension = os.path.splitext(path)[1].lower()
	return TYPES.get(extension) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def _readable_lesson(claims: tokens.Claims) -> frappe._dict | None:
	"""The token's lesson when its learner is enabled, may read the course and the lesson still plays
	the token's package."""
	if not frappe.db.get_value(USER, claims.user, "enabled"):
		return None
	lesson = frappe.db.get_value(
		LESSON,
		{"name": claims.lesson, "parent": claims.course, "parenttype": COURSE, "parentfield": "lessons"},
		["name", "scorm_version", "scorm_package_id"],
		as_dict=True,
	)
	if not lesson or lesson.scorm_package_id != claims.package:
		return None
	if not frappe.has_permission(COURSE, "read", doc=claims.course, user=claims.user):
		return None
	return lesson


def _package_file(claims: tokens.Claims, inner: str) -> str | None:
	"""The file `inner` names inside the token's package folder, or None: no way out of the folder."""
	if not inner or "\\" in inner or "\x00" in inner:
		return None
	normal = posixpath.normpath(inner)
	if normal.startswith(("/", "../")) or normal in (".", ".."):
		return None
	try:
		folder = os.path.realpath(storage.package_folder(claims.lesson, claims.package))
	except ValueError:
		return None
	path = os.path.realpath(os.path.join(folder, *normal.split("/")))
	if os.path.commonpath([folder, path]) != folder or not os.path.isfile(path):
		return None
	return path


def _not_found() -> Response:
	response = Response("Not found", status=404, mimetype="text/plain")
	response.headers["Cache-Control"] = "no-store"
	return _secured(response)


def _secured(response: Response) -> Response:
	response.headers["X-Content-Type-Options"] = "nosniff"
	response.headers["Content-Security-Policy"] = SANDBOX
	response.headers["Referrer-Policy"] = "no-referrer"
	return response
