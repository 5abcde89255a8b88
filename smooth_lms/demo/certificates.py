"""The demo's certificates, through the paths a real site takes: every completion of a course that issues
certificates got its LMS Certificate by itself (certificates.issuing, from the assignment's controller);
the stories below add what an auditor or a stranger holding a code should be able to see.

- valid, expiring soon and expired: the completions of demo.seed's validity stories at Harassment
  Prevention (done 30, 350 and 400 days ago), their certificates dated as the completions;
- revoked: Kenji Sato's Code of Conduct certificate, revoked by HR through `revoke_certificate` with
  REVOKE_REASON;
- two versions: Priya Nair completed Security Awareness at version 1 (200 days ago); the Moderator
  published version 2 with a retraining (`publish_new_version`), and she completed it again: she holds a
  certificate of each version, and every other holder of version 1 has a renewal open.

Harassment Prevention hands its completions to HR's Employee Compliance ledger (COMPLIANCE_TYPES, set on
the course when the seed makes it).
"""

import frappe
from frappe.query_builder import DocType
from frappe.utils import add_days, getdate, today

from smooth_lms.demo.learners import as_user, finish_lessons
from smooth_lms.lms.certificates import revoke_certificate
from smooth_lms.lms.doctypes import ASSIGNMENT, CERTIFICATE
from smooth_lms.lms.versions import publish_new_version

# By course title: the Employee Compliance type its completions are handed to HR under.
COMPLIANCE_TYPES = {"Harassment Prevention": "Harassment Prevention Training"}

REVOKED = ("Kenji Sato", "Code of Conduct")
REVOKE_REASON = (
	"Completed by a colleague at a shared workstation signed in as Kenji, as he told HR on his return "
	"from leave: this certificate does not count."
)
RETRAINED = ("Priya Nair", "Security Awareness")
FIRST_COMPLETED_DAYS_AGO = 200
NEW_VERSION = "2"


def certificate_stories(users: dict[str, str], courses: dict[str, str], hr_user: str, moderator: str) -> None:
	"""Play the stories (`users`: full name -> user, `courses`: title -> course), after demo.seed's
	validity stories: the certificates of the completions it backdated are dated as them at the end."""
	two_versions(users[RETRAINED[0]], courses[RETRAINED[1]], moderator)
	revoke(users[REVOKED[0]], courses[REVOKED[1]], hr_user)
	date_certificates_as_completions(list(courses.values()))


def two_versions(user: str, course: str, moderator: str) -> None:
	"""The learner completes the course at its version 1, some months ago; the Moderator publishes
	version 2 asking everyone who holds version 1 to retrain; the learner completes the retraining."""
	finish_lessons(user, course, 99)
	first = frappe.db.get_value(ASSIGNMENT, {"employee": user, "course": course, "status": "Completed"})
	validity = frappe.db.get_value("LMS Course", course, "validity_days")
	frappe.db.set_value(
		ASSIGNMENT,
		first,
		{
			"completed_on": add_days(today(), -FIRST_COMPLETED_DAYS_AGO),
			"valid_until": add_days(today(), validity - FIRST_COMPLETED_DAYS_AGO) if validity else None,
		},
	)  # done months ago, as the seed's other past completions (its certificate follows, below)
	date_certificates_as_completions([course])
	with as_user(moderator):
		publish_new_version(course=course, version=NEW_VERSION, retrain=1)
	finish_lessons(user, course, 99)  # the retraining: lessons and quiz again, for version 2


def revoke(user: str, course: str, hr_user: str) -> None:
	"""The learner completes the course; HR revokes its certificate with REVOKE_REASON."""
	finish_lessons(user, course, 99)
	assignment = frappe.db.get_value(ASSIGNMENT, {"employee": user, "course": course, "status": "Completed"})
	certificate = frappe.db.get_value(CERTIFICATE, {"assignment": assignment})
	with as_user(hr_user):
		revoke_certificate(certificate=certificate, reason=REVOKE_REASON)


def date_certificates_as_completions(courses: list[str]) -> int:
	"""The seed backdates some completions of `courses` set-wise (their completed_on and valid_until):
	their certificates, issued on the day the seed ran, take the same dates. Returns how many changed."""
	certificate, assignment = DocType(CERTIFICATE), DocType(ASSIGNMENT)
	rows = (
		frappe.qb.from_(certificate)
		.join(assignment)
		.on(assignment.name == certificate.assignment)
		.select(
			certificate.name,
			certificate.issue_date,
			certificate.valid_until,
			assignment.completed_on,
			assignment.valid_until.as_("completion_valid_until"),
		)
		.where(certificate.course.isin(courses))
		.run(as_dict=True)
	)
	changed = 0
	for row in rows:
		issued, until = getdate(row.completed_on), row.completion_valid_until
		if getdate(row.issue_date) != issued or _date(row.valid_until) != _date(until):
			frappe.db.set_value(
				CERTIFICATE, row.name, {"issue_date": issued, "valid_until": until}, update_modified=False
			)  # the demo's history, written as the seed writes its past completions
			changed += 1
	return changed


def _date(value):
	return getdate(value) if value else None
