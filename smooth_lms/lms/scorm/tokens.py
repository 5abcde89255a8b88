"""The signed, expiring, per-learner token in a package's address (/lms/scorm/<token>/<path>).

The package runs in a sandboxed frame (an opaque origin): the browser sends that frame's requests
without the learner's session cookie, so the address itself must say who may read the files. A token
names the learner, course, lesson and package and when it expires, signed with HMAC-SHA256 under a key
derived from the site's encryption key; it is issued only by the lesson page to a signed-in learner and
is checked again on every file (smooth_lms.lms.scorm.serving). It reveals the learner's user ID to
whoever sees the address (the learner's own browser and the site's access logs), nothing else.
"""

import base64
import binascii
import dataclasses
import hashlib
import hmac
import json
import time

import frappe
from frappe.utils import cint
from frappe.utils.password import get_encryption_key

TOKEN_HOURS = 8
PURPOSE = b"smooth-lms: scorm package token v1"


@dataclasses.dataclass(frozen=True)
class Claims:
	user: str
	course: str
	lesson: str
	package: str
	expires: int


def issue(user: str, course: str, lesson: str, package: str, hours: float | None = None) -> str:
	"""A token for `user` to read `package` of `lesson` in `course`, valid for TOKEN_HOURS (site config
	`smooth_lms_scorm_token_hours`). Each call gives a new token (its expiry is to the second)."""
	hours = (
		hours if hours is not None else cint(frappe.conf.get("smooth_lms_scorm_token_hours")) or TOKEN_HOURS
	)
	expires = int(time.time() + hours * 3600)
	payload = _encode(json.dumps([user, course, lesson, package, expires], separators=(",", ":")).encode())
	return f"{payload}.{_signature(payload)}"


def read(token: str) -> Claims | None:
	"""The token's claims when its signature is ours and it has not expired; None otherwise."""
	if not isinstance(token, str) or not token.isascii() or token.count(".") != 1 or len(token) > 2000:
		return None
	payload, signature = token.split(".")
	if not hmac.compare_digest(signature, _signature(payload)):
		return None
	try:
		user, course, lesson, package, expires = json.loads(_decode(payload))
	except (ValueError, TypeError, binascii.Error):
		return None
	if not all(isinstance(value, str) for value in (user, course, lesson, package)):
		return None
	if not isinstance(expires, int) or expires < time.time():
		return None
	return Claims(user, course, lesson, package, expires)


def _signature(payload: str) -> str:
	key = hmac.new(get_encryption_key().encode(), PURPOSE, hashlib.sha256).digest()
	return _encode(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def _encode(data: bytes) -> str:
	return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _decode(text: str) -> bytes:
	return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
