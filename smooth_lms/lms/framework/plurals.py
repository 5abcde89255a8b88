"""Counts as people write them: "1 day left" and "30 days left", never "day(s) left".

Frappe v15 has no ngettext for Python or Jinja: every count is written as two whole translatable
sentences, one for exactly one thing and one for any other number, and `plural` picks between them
(English's rule; a language with more forms translates the second sentence for all of them). Jinja
templates call the same function (hooks.py `jinja`), and the portal's JavaScript has a helper of the
same name (smooth_lms/www/lms/portal.js).

	plural(days, _("{0} day left"), _("{0} days left")).format(days)
	plural(total, _("{0} of {1} lesson completed"), _("{0} of {1} lessons completed")).format(done, total)
"""


def plural(count, one: str, other: str) -> str:
	"""`one` when `count` (a number) is 1, else `other`: both sentences already translated, formatted by
	the caller (so the count may be any of the sentence's placeholders)."""
	return one if count == 1 else other
