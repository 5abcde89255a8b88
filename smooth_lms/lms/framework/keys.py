"""Keys the database holds unique (one attempt per learner, quiz, assignment and number; one SCORM attempt
per learner, lesson and assignment): the parts joined by "|" and hashed, so that a key is 40 characters
whatever the length of a user's email, and the same in Python and in SQL (`SHA1(CONCAT_WS('|', …))`),
as patches.hashed_attempt_keys turns older keys into these."""

import hashlib


def unique_key(*parts: object) -> str:
	"""SHA-1 (hex) of the parts as text joined by "|" (None as "")."""
	text = "|".join("" if part is None else str(part) for part in parts)
	return hashlib.sha1(text.encode("utf-8")).hexdigest()
