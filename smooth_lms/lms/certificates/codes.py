"""Certificate codes: the certificate's name, its address on /lms/verify/<code>, unguessable.

20 characters of Crockford's base-32 alphabet (digits and capitals without I, L, O and U, which people
misread when they type a code from paper): 100 random bits from the operating system's generator.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
SHAPE = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
	return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def looks_like_a_code(text: str | None) -> bool:
	"""Whether `text` could be a code (checked before any query: guesses of another shape cost nothing)."""
	return bool(text) and bool(SHAPE.match(text))


def normalised(text: str | None) -> str:
	"""A code as people type it: spaces and dashes dropped, upper case, O read as 0 and I / L as 1."""
	text = re.sub(r"[\s-]", "", text or "").upper()
	return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
