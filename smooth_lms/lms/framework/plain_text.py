"""Plain texts — a quiz's title, an option, an explanation, a lesson's statement — kept as their authors
typed them and inert wherever they are printed: the desk prints some plain texts as HTML (a Link's title,
a grid's static cells, a read-only Small Text, a list column), and Frappe's save-time cleaning keeps
`<img src="x">` of "'><img src=x onerror=...>" (it drops the handler, not the tag) and all of
"<img src=x onerror=...//" (no whole tag: it cleans nothing).

`plain_text` neither strips tags (a regular expression would take "x<y and y>z" for one and lose the text
between) nor escapes them (`&lt;` would then show as typed in the desk's inputs, and twice escaped on the
portal and in prints, which escape what they print): it only keeps a `<` from opening a tag, a comment or a
declaration — a `<` before a letter, `/`, `!` or `?` gets a space after it, the one thing an HTML parser
reads differently. Everything else stays character for character ("a < b", "5<6", "R&D", quotes); the
result has no tag, so Frappe's own cleaning on save leaves it as it is, and what is stored is what was
checked (an acknowledgement hashes the statement it stores).
"""

import re

from frappe.utils import cstr

TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def plain_text(value) -> str:
	"""`value` as text no HTML parser reads a tag in: "<img src=x>" -> "< img src=x>"; "a < b" as is."""
	return TAG_START.sub("< ", cstr(value))
