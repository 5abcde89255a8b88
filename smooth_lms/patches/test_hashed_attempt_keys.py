"""Attempt keys are the SHA-1 of their parts (framework.keys), 40 characters whatever the length of the
learner's email; the patch turns a key written the older way into the same hash, in SQL."""

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.doctypes import QUIZ_ATTEMPT
from smooth_lms.lms.framework.keys import unique_key
from smooth_lms.lms.quiz import start_quiz
from smooth_lms.patches.hashed_attempt_keys import execute
from smooth_lms.tests.factories import assign, make_course, make_quiz, make_user


def long_email_learner() -> str:
	"""A learner whose email is 120 characters long (the key's old form was longer than its field)."""
	email = "l" * 100 + frappe.generate_hash(length=8) + "@example.com"
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Long",
			"send_welcome_email": 0,
			"user_type": "Website User",
		}
	).insert(ignore_permissions=True)  # a test's user, made as Administrator
	user.add_roles("LMS Student")
	return user.name


class TestHashedAttemptKeys(FrappeTestCase):
	def test_a_long_email_starts_a_quiz_and_the_patch_hashes_older_keys(self):
		frappe.set_user("Administrator")
		learner = long_email_learner()
		course = make_course(lessons=1)
		quiz = make_quiz(course, questions=2)
		assignment = assign(learner, course)
		frappe.set_user(learner)
		try:
			attempt = start_quiz(quiz=quiz)["attempt"]
		finally:
			frappe.set_user("Administrator")
		key = frappe.db.get_value(QUIZ_ATTEMPT, attempt, "attempt_key")
		self.assertEqual(key, unique_key(quiz, learner, assignment, 1))
		self.assertEqual(len(key), 40)

		# A key written the older way (a shorter email's fits the field) becomes the hash new ones get.
		short = make_user("LMS Student")
		frappe.db.set_value(QUIZ_ATTEMPT, attempt, "member", short)
		older = f"{quiz}|{short}|{assignment}|1"
		frappe.db.set_value(QUIZ_ATTEMPT, attempt, "attempt_key", older)
		execute()
		self.assertEqual(
			frappe.db.get_value(QUIZ_ATTEMPT, attempt, "attempt_key"), unique_key(quiz, short, assignment, 1)
		)
		self.assertEqual(unique_key("a", None, 3), frappe.db.sql("select sha1('a||3')")[0][0])
