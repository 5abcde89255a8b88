"""Hostile text for the injection tests: the payloads, the courses and names that carry them, and how a
test tells text from markup — on the server (`Markup`, `TextNotMarkup`) and in a browser
(`FIND_INJECTED`)."""

from html.parser import HTMLParser

import frappe

from smooth_lms.tests.factories import store_raw

# What people can type into course and lesson titles, introductions, lesson content, their own names and
# department names. Each payload sets window.__xss, or carries it in a handler, only where a page or an
# email printed it as markup, so a test can tell text from markup.
XSS_MARK = "__xss"
HOSTILE = {
	"quote": 'x" onmouseover="window.__xss=1',  # leaves an attribute; Frappe keeps it as typed
	"tag": "'><img src=x onerror=window.__xss=2>",  # Frappe escapes it on save, set-wise writes do not
	"open_tag": "<img src=x onerror=window.__xss=3//",  # no '>': Frappe's save-time check keeps it as typed
	"script": "</script><script>window.__xss=4</script>",
	"jinja": "{{ 7*7 }} {% raw %}",
}

# In a browser (page.evaluate(FIND_INJECTED, XSS_MARK)): what a payload could have turned into —
# handlers carrying the mark, images from titles (a lesson's content may hold real images), scripts — and
# whether any of it ran.
FIND_INJECTED = """(mark) => {
	const injected = [];
	for (const element of document.querySelectorAll("*")) {
		for (const attribute of element.attributes) {
			if (attribute.name.startsWith("on") && attribute.value.includes(mark)) {
				injected.push(`<${element.localName} ${attribute.name}="${attribute.value}">`);
			}
		}
	}
	for (const image of document.querySelectorAll('img[src="x"]')) {
		if (!image.closest(".lms-lesson-content")) injected.push(image.outerHTML);
	}
	for (const script of document.scripts) {
		if (script.text.trim().startsWith(`window.${mark}`)) injected.push(script.outerHTML);
	}
	return { injected, ran: window[mark] === undefined ? null : String(window[mark]) };
}"""


def make_hostile_course(payload: str, raw: bool = False, **fields) -> str:
	"""A published course whose every text carries `payload`: title, introduction, description, two
	lessons (titles and content). With `raw`, all of it is stored as typed, as a set-wise write leaves it
	(Frappe's save would escape a complete tag)."""
	title = f"{frappe.generate_hash(length=4)} {payload}"
	lessons = [(f"{number}. {payload}", f"<p>{number}</p>{payload}") for number in (1, 2)]
	doc = frappe.get_doc(
		{
			"doctype": "LMS Course",
			"title": title,
			"published": 1,
			"short_introduction": payload,
			"description": payload,
			"lessons": [{"title": t, "content": content} for t, content in lessons],
			**fields,
		}
	).insert(ignore_permissions=True)
	if raw:
		store_raw(
			"LMS Course", doc.name, {"title": title, "short_introduction": payload, "description": payload}
		)
		for row, (lesson_title, content) in zip(doc.lessons, lessons, strict=True):
			store_raw("LMS Course Lesson", row.name, {"title": lesson_title, "content": content})
	return doc.name


def name_user(user: str, full_name: str) -> None:
	"""Rename a user as stored, without Frappe's save-time cleaning: all of it in the first name."""
	store_raw("User", user, {"first_name": full_name, "last_name": "", "full_name": full_name})


class Markup(HTMLParser):
	"""HTML as a browser's tokenizer reads it: the handlers and scripts a payload turned into, and the
	text a reader sees."""

	def __init__(self, html: str):
		super().__init__(convert_charrefs=True)
		self.injected: list[str] = []
		self.chunks: list[str] = []
		self.in_script = False
		self.feed(html)
		self.close()

	def handle_starttag(self, tag, attrs):
		self.in_script = tag == "script"
		self.injected += [
			f"<{tag} {name}={value!r}>"
			for name, value in attrs
			if name.startswith("on") and XSS_MARK in (value or "")
		]

	def handle_endtag(self, tag):
		if tag == "script":
			self.in_script = False

	def handle_data(self, data):
		if not self.in_script:
			self.chunks.append(data)
		elif data.strip().startswith(f"window.{XSS_MARK}"):
			self.injected.append(f"<script>{data}</script>")

	@property
	def text(self) -> str:
		return " ".join(" ".join(self.chunks).split())


class TextNotMarkup:
	"""A mixin for test cases: `assertPrintedAsText`."""

	def assertPrintedAsText(self, html: str, *texts: str, where: str = ""):
		"""Nothing in `html` became a handler or a script, and each of `texts` reads as itself."""
		page = Markup(html)
		self.assertEqual(page.injected, [], where)
		for text in texts:
			self.assertIn(" ".join(text.split()), page.text, where)
