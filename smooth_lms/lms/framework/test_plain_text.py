"""plain_text: what an author typed stays as typed, but for a `<` that would open a tag."""

from html.parser import HTMLParser

from smooth_lms.lms.framework.plain_text import plain_text
from smooth_lms.tests.hostile import HOSTILE


class Tags(HTMLParser):
	def __init__(self, text: str):
		super().__init__()
		self.found = []
		self.feed(text)
		self.close()

	def handle_starttag(self, tag, attrs):
		self.found.append(tag)

	def handle_endtag(self, tag):
		self.found.append("/" + tag)

	def handle_comment(self, data):
		self.found.append("!--")

	def handle_decl(self, decl):
		self.found.append("!")

	def handle_pi(self, data):
		self.found.append("?")


def test_texts_without_markup_stay_as_typed():
	for text in ("a < b", "5<6 and 7 > 3", 'R&D\'s "best" option', "<= 10", "< b", "", "x <-- y"):
		assert plain_text(text) == text


def test_no_tag_is_left():
	for text in (*HOSTILE.values(), "<b>Yes</b>", "x<y and y>z", "<!-- hidden -->", "<?php ?>", "</p>"):
		cleaned = plain_text(text)
		assert Tags(cleaned).found == [], cleaned
		assert cleaned.replace("< ", "<") == text.replace("< ", "<")  # nothing else changed
		assert plain_text(cleaned) == cleaned


def test_none_is_empty():
	assert plain_text(None) == ""
