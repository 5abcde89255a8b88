"""Validity on the learner portal, read over HTTP as the learner: "Valid until", "Expires in N days",
"Expired", "Does not expire" and "Renew by" on the Mandatory Training list (one line per course: its
current attempt), the course page's "Your history" (every attempt of the session user, nobody else's),
the certificate links and what they download, and titles printed as text.

Completions are written as a set-wise completion leaves them (status, progress, completed_on,
valid_until, open_key), so every date is known; the data is committed for the web server and removed by
RestCase.tearDownClass."""

from urllib.parse import quote

import frappe
from bs4 import BeautifulSoup
from frappe.utils import formatdate, today

from smooth_lms.lms.portal.course_page import course_page
from smooth_lms.lms.portal.training import my_training
from smooth_lms.lms.validity.renewals import open_renewals
from smooth_lms.tests.factories import QueryCounter, assign, d, store_completion, unique
from smooth_lms.tests.hostile import HOSTILE, Markup, TextNotMarkup, make_hostile_course
from smooth_lms.tests.http import RestCase, base_url, login

ASSIGNMENT = "LMS Training Assignment"
CERTIFICATE = "/api/method/smooth_lms.lms.certificates.download_certificate?assignment="


def words(tag) -> str:
	return " ".join(tag.get_text(" ").split()) if tag else ""


class ValidityCase(RestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.learner, cls.other = cls.user(), cls.user()
		course = cls.mandatory
		cls.compliant, cls.expiring, cls.expired = course("Compliant"), course("Expiring"), course("Expired")
		cls.forever = course("Forever", validity=0)
		cls.renewing, cls.renewed, cls.pending = course("Renewing"), course("Renewed"), course("Pending")

		cls.done = {}
		cls.done[cls.compliant] = assign(cls.learner, cls.compliant)
		store_completion(cls.done[cls.compliant], 10, 365, completion_source="Classroom Session")
		cls.done[cls.expiring] = assign(cls.learner, cls.expiring)
		store_completion(cls.done[cls.expiring], 353, 365)  # valid until today + 12, inside the 30-day window
		cls.done[cls.expired] = assign(cls.learner, cls.expired)
		store_completion(cls.done[cls.expired], 370, 365)  # valid until 5 days ago
		cls.done[cls.forever] = assign(cls.learner, cls.forever)
		store_completion(cls.done[cls.forever], 100, None)

		# A completion valid 20 more days, its renewal opened by the daily job (due on the expiry date).
		cls.done[cls.renewing] = assign(cls.learner, cls.renewing)
		store_completion(cls.done[cls.renewing], 345, 365)
		cls.first_renewed = assign(cls.learner, cls.renewed)
		store_completion(cls.first_renewed, 400, 365)  # expired 35 days ago, then renewed:
		cls.done[cls.renewed] = assign(cls.learner, cls.renewed)
		store_completion(cls.done[cls.renewed], 30, 365, renewal_of=cls.first_renewed)
		cls.open = assign(cls.learner, cls.pending)

		# Someone else's attempts of the same courses.
		cls.others = [assign(cls.other, cls.renewed), assign(cls.other, cls.compliant)]
		for name in cls.others:
			store_completion(name, 5, 365)

		cls.hostile = {}
		for key in ("quote", "tag"):
			name = make_hostile_course(
				HOSTILE[key], raw=key == "tag", is_mandatory=1, validity_days=365, renewal_window_days=30
			)
			cls.courses.append(name)
			cls.hostile[name] = assign(cls.learner, name)
			store_completion(cls.hostile[name], 1, 365)

		open_renewals([cls.renewing])
		cls.renewal = frappe.db.get_value(ASSIGNMENT, {"renewal_of": cls.done[cls.renewing]})
		frappe.db.commit()

	@classmethod
	def mandatory(cls, title: str, validity: int = 365, window: int = 30) -> str:
		return cls.course(
			title=unique(title), is_mandatory=1, validity_days=validity, renewal_window_days=window, lessons=2
		)

	def html(self, user: str | None, path: str) -> str:
		response = login(user).get(base_url() + path, timeout=60)
		self.assertEqual(response.status_code, 200, path)
		return response.text

	def rows(self, user: str | None = None, path: str = "/lms/courses") -> dict:
		soup = BeautifulSoup(self.html(user or self.learner, path), "html.parser")
		rows = soup.select("#mandatory-training .lms-training-row")
		by_course = {row["data-course"]: row for row in rows}
		self.assertEqual(len(by_course), len(rows), "one line per course")
		return by_course

	def history(self, course: str, user: str | None = None) -> list:
		soup = BeautifulSoup(self.html(user or self.learner, f"/lms/courses/{course}"), "html.parser")
		return soup.select("#lms-history .lms-history-row")

	def validity(self, row) -> tuple[str, str]:
		"""(text, badge) of a row's validity note."""
		note = row.select_one(".lms-validity")
		return words(note.select_one(".lms-validity-text")), words(note.select_one(".lms-validity-badge"))


class TestTheListSaysHowLongEachCompletionCounts(ValidityCase):
	def test_compliant_expiring_expired_and_never_expiring(self):
		for path in ("/lms/courses", "/lms"):
			with self.subTest(path=path):
				rows = self.rows(path=path)
				expected = {
					self.compliant: ("Compliant", f"Valid until {formatdate(d(355))}", ""),
					self.expiring: (
						"Expiring Soon",
						f"Valid until {formatdate(d(12))}",
						"Expires in 12 days",
					),
					self.expired: ("Expired", f"Valid until {formatdate(d(-5))}", "Expired"),
					self.forever: ("Compliant", "Does not expire", ""),
				}
				for course, (state, text, badge) in expected.items():
					row = rows[course]
					self.assertEqual(row["data-status"], "Completed")
					self.assertEqual(row["data-validity"], state)
					self.assertEqual(self.validity(row), (text, badge))
					self.assertEqual("is-expired" in row["class"], state == "Expired")
				self.assertIn(
					"lms-validity--expired", rows[self.expired].select_one(".lms-validity")["class"]
				)
				for course in (self.compliant, self.expiring, self.forever):
					self.assertNotIn("Expired", words(rows[course]))

	def test_an_open_renewal_says_renew_by_beside_the_completion_still_valid(self):
		self.assertTrue(self.renewal, "the daily job opened the renewal")
		row = self.rows()[self.renewing]
		self.assertEqual((row["data-assignment"], row["data-status"]), (self.renewal, "Pending"))
		self.assertEqual(words(row.select_one(".lms-due-caption")), "Renew by")
		self.assertEqual(words(row.select_one(".lms-due-date")), formatdate(d(20)))
		self.assertEqual(self.validity(row), (f"Valid until {formatdate(d(20))}", "Expires in 20 days"))
		self.assertEqual(words(row.select_one(".lms-earlier-attempts")), "1 earlier attempt")

	def test_a_renewed_completion_does_not_shout_expired(self):
		row = self.rows()[self.renewed]
		self.assertEqual(row["data-assignment"], self.done[self.renewed])  # the latest attempt, not the first
		self.assertEqual(self.validity(row), (f"Valid until {formatdate(d(335))}", ""))
		self.assertNotIn("Expired", words(row))
		self.assertNotIn("is-expired", row["class"])
		self.assertEqual(words(row.select_one(".lms-earlier-attempts")), "1 earlier attempt")

	def test_an_open_assignment_has_a_due_date_and_no_validity(self):
		row = self.rows()[self.pending]
		self.assertEqual(words(row.select_one(".lms-due-caption")), "Due")
		self.assertIsNone(row.select_one(".lms-validity"))
		self.assertIsNone(row.select_one(".lms-earlier-attempts"))

	def test_one_line_per_course_with_the_learners_courses_only(self):
		mine = {self.compliant, self.expiring, self.expired, self.forever, self.renewing, self.renewed}
		self.assertEqual(set(self.rows()), mine | {self.pending} | set(self.hostile))
		self.assertEqual(set(self.rows(self.other)), {self.renewed, self.compliant})


class TestCertificates(ValidityCase):
	def test_a_certificate_link_on_completed_rows_only(self):
		rows = self.rows()
		for course, row in rows.items():
			with self.subTest(course=course):
				links = row.select("a.lms-certificate")
				if row["data-status"] == "Completed":
					self.assertEqual(
						[link["href"] for link in links], [CERTIFICATE + quote(row["data-assignment"])]
					)
				else:
					self.assertEqual(links, [])
		self.assertEqual(rows[self.renewing].select("a.lms-certificate"), [])  # the renewal is still open

	def test_the_learner_downloads_their_certificate_and_nobody_else_does(self):
		href = self.rows()[self.compliant].select_one("a.lms-certificate")["href"]
		response = login(self.learner).get(base_url() + href, timeout=120)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertTrue(response.content.startswith(b"%PDF"))
		for user in (self.other, None):
			with self.subTest(user=user):
				refused = login(user).get(base_url() + href, timeout=60)
				self.assertEqual(refused.status_code, 403)
				self.assertFalse(refused.content.startswith(b"%PDF"))


class TestHistory(ValidityCase):
	def test_every_attempt_newest_first_with_how_and_until_when(self):
		first, second = self.history(self.renewed)
		self.assertEqual(
			(first["data-assignment"], second["data-assignment"]),
			(self.done[self.renewed], self.first_renewed),
		)
		self.assertEqual(words(first.select_one(".lms-history-completed")), formatdate(d(-30)))
		self.assertEqual(words(first.select_one(".lms-history-validity")), formatdate(d(335)))
		self.assertEqual(words(first.select_one(".lms-history-source")), "LMS")
		self.assertEqual(
			words(first.select_one(".lms-history-renewal")), f"Renews the completion of {formatdate(d(-400))}"
		)
		# The first completion ran out, but it was renewed: it says so, not "Expired".
		self.assertEqual(words(second.select_one(".lms-history-validity")), f"{formatdate(d(-35))} Renewed")
		self.assertEqual(words(second.select_one(".lms-history-completed")), formatdate(d(-400)))
		self.assertIsNone(second.select_one(".lms-history-renewal"))
		for row in (first, second):
			self.assertEqual(words(row.select_one(".lms-status")), "Completed")
			self.assertEqual(words(row.select_one(".lms-history-due")), formatdate(d(20)))
			self.assertEqual(words(row.select_one(".lms-history-assigned")), formatdate(today()))
			self.assertEqual(
				row.select_one("a.lms-certificate")["href"], CERTIFICATE + quote(row["data-assignment"])
			)

	def test_an_open_renewal_and_the_completion_it_renews(self):
		renewal, completion = self.history(self.renewing)
		self.assertEqual(renewal["data-assignment"], self.renewal)
		self.assertEqual(words(renewal.select_one(".lms-status")), "Pending")
		self.assertEqual(words(renewal.select_one(".lms-history-due")), formatdate(d(20)))
		self.assertEqual(
			words(renewal.select_one(".lms-history-renewal")),
			f"Renews the completion of {formatdate(d(-345))}",
		)
		self.assertEqual(
			[
				words(renewal.select_one(f".lms-history-{cell}"))
				for cell in ("completed", "validity", "source")
			],
			["—", "—", "—"],
		)
		self.assertIsNone(renewal.select_one("a.lms-certificate"))
		self.assertEqual(completion["data-assignment"], self.done[self.renewing])
		self.assertEqual(
			words(completion.select_one(".lms-history-validity")), f"{formatdate(d(20))} Expires in 20 days"
		)
		self.assertIsNotNone(completion.select_one("a.lms-certificate"))

	def test_how_each_attempt_was_completed(self):
		(row,) = self.history(self.compliant)
		self.assertEqual(words(row.select_one(".lms-history-source")), "Classroom Session")
		(row,) = self.history(self.forever)
		self.assertEqual(words(row.select_one(".lms-history-validity")), "Does not expire")
		(row,) = self.history(self.expired)
		self.assertEqual(words(row.select_one(".lms-history-validity")), f"{formatdate(d(-5))} Expired")

	def test_only_the_session_users_own_attempts(self):
		mine = [row["data-assignment"] for row in self.history(self.renewed)]
		self.assertEqual(mine, [self.done[self.renewed], self.first_renewed])
		theirs = [row["data-assignment"] for row in self.history(self.renewed, self.other)]
		self.assertEqual(theirs, [self.others[0]])
		page = self.html(self.learner, f"/lms/courses/{self.renewed}")
		for name in self.others:
			self.assertNotIn(name, page)
		guest = BeautifulSoup(self.html(None, f"/lms/courses/{self.renewed}"), "html.parser")
		self.assertIsNone(guest.select_one("#lms-history"))
		self.assertNotIn(self.first_renewed, str(guest))


class TestTextStaysText(ValidityCase, TextNotMarkup):
	def test_hostile_titles_print_as_text_in_the_list_the_history_and_the_links(self):
		rows = self.rows()
		for course, assignment in self.hostile.items():
			title = frappe.db.get_value("LMS Course", course, "title")
			with self.subTest(title=title):
				row = rows[course]
				self.assertEqual(words(row.select_one(".lms-training-title")), " ".join(title.split()))
				link = row.select_one("a.lms-certificate")
				self.assertEqual(link["aria-label"], f"Certificate of {title} (PDF)")  # an attribute, whole
				self.assertEqual(link["href"], CERTIFICATE + quote(assignment))
				page = self.html(self.learner, f"/lms/courses/{course}")
				self.assertPrintedAsText(page, title, where=course)
				history = BeautifulSoup(page, "html.parser").select("#lms-history .lms-history-row")
				self.assertEqual([row["data-assignment"] for row in history], [assignment])
		self.assertPrintedAsText(self.html(self.learner, "/lms/courses"), where="/lms/courses")
		self.assertEqual(Markup(self.html(self.learner, "/lms")).injected, [])


class TestReadsAreSetWise(ValidityCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_fixed_number_of_queries_whatever_the_attempts(self):
		counts = {}
		for user in (self.learner, self.other):
			frappe.set_user(user)
			with QueryCounter() as counter:
				lines = my_training()
			counts[user] = counter.count
			self.assertTrue(lines)
		self.assertEqual(counts[self.learner], counts[self.other])
		self.assertLessEqual(counts[self.learner], 2)

		frappe.set_user(self.learner)
		pages = {}
		for course in (self.renewed, self.pending):  # two attempts, one
			with QueryCounter() as counter:
				page = course_page(course)
			pages[course] = (counter.count, len(page["history"]))
		self.assertEqual(pages[self.renewed][1], 2)
		self.assertEqual(pages[self.renewed][0], pages[self.pending][0])
