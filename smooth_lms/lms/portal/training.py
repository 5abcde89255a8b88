"""A learner's Mandatory Training as the portal shows it: one line per course, and every attempt.

Everything is the session user's own data, read set-wise (a fixed number of queries per page, whatever
the number of courses or assignments). One line per course: its current attempt (the first still to do,
else the completion that counts), with what that completion is worth today — "Valid until", "Expires in
N days", "Expired", from validity.states.completion_state — and "Renew by" on an open renewal. Every
attempt, renewed ones included, is on the course page's "Your history", each completion with its
certificate: the PDF, and the page where anyone checks it (`verify_url`, where the course issues
certificates).
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import date_diff, formatdate, getdate, today

from smooth_lms.lms.doctypes import ASSIGNMENT, CERTIFICATE, COURSE
from smooth_lms.lms.framework.plurals import plural
from smooth_lms.lms.portal.display import is_guest, placeholder, progress_value, status_slug
from smooth_lms.lms.reporting.rows import learner_rows
from smooth_lms.lms.routes import certificate_url, course_url, verify_url
from smooth_lms.lms.training_rules import COMPLETED, EXPIRED, EXPIRING_SOON, OVERDUE
from smooth_lms.lms.validity.states import completion_state, renewed_column

RENEWED = "Renewed"  # a completion superseded by a later one of the same person and course
# What attempt_facts gives a row it did not read (an assignment created between the page's two reads).
NO_FACTS = {
	"renewed": 0,
	"validity_days": 0,
	"renewal_window_days": 0,
	"completion_source": None,
	"creation": None,
	"certificate": None,
}


def my_training() -> list[dict]:
	"""The session user's Mandatory Training, one line per course (training_line), in the order of
	`get_my_training_assignments` (due date first) of each course's current attempt. Two queries."""
	if is_guest():
		return []
	attempts = my_attempts()
	by_course: dict[str, list[dict]] = {}
	for row in attempts:
		by_course.setdefault(row["course"], []).append(row)
	day = getdate(today())
	place = {row["name"]: index for index, row in enumerate(attempts)}
	return sorted(
		(training_line(rows, day) for rows in by_course.values()), key=lambda line: place[line["name"]]
	)


def training_row(row: dict) -> dict:
	due = getdate(row["due_date"])
	days_left = date_diff(due, today())
	return {
		**row,
		"url": course_url(row["course"]),
		"placeholder": placeholder(row["course_title"], row["course"]),
		"progress": progress_value(row["progress"]),
		"due_date": str(due),
		"due_date_label": formatdate(due),
		"due_hint": due_hint(row["status"], days_left, row.get("completed_on")),
		"status_label": _(row["status"]),
		"status_slug": status_slug(row["status"]),
		"is_overdue": row["status"] == OVERDUE,
	}


def due_hint(status: str, days_left: int, completed_on) -> str:
	if status == COMPLETED:
		return _("Completed on {0}").format(formatdate(completed_on)) if completed_on else _("Completed")
	if days_left < 0:
		return plural(-days_left, _("{0} day late"), _("{0} days late")).format(-days_left)
	if days_left == 0:
		return _("Due today")
	return plural(days_left, _("{0} day left"), _("{0} days left")).format(days_left)


def training_line(rows: list[dict], day) -> dict:
	"""One course's line, from the learner's attempts of it (my_attempts, due date first): the current
	attempt as training_row shows it, plus
	- `validity` of the completion that counts (validity()), also beside an open renewal;
	- `due_caption` "Renew by" for an open renewal (due on the expiry date), else "Due";
	- `certificate_url` when the current attempt is completed, and `verify_url` when it has a certificate
	  record (a course that issues certificates);
	- `earlier_attempts`, the number of other attempts (listed on the course page);
	- `is_expired` when the completion that counts has expired."""
	counted = counted_completion(rows)
	current = next((row for row in rows if row["status"] != COMPLETED), counted or rows[-1])
	done = current["status"] == COMPLETED
	renewing = bool(current.get("renewal_of")) and not done
	line = training_row(current)
	line.update(
		validity=validity(counted, day) if counted else None,
		due_caption=_("Renew by") if renewing else _("Due"),
		certificate_url=certificate_url(current["name"]) if done else None,
		verify_url=verification_page(current) if done else None,
		earlier_attempts=len(rows) - 1,
	)
	line["is_expired"] = bool(line["validity"]) and line["validity"]["state"] == EXPIRED
	return line


def verification_page(row: dict) -> str | None:
	"""Where anyone checks the attempt's certificate, when it has one (attempt_facts' `certificate`)."""
	return verify_url(row["certificate"]) if row.get("certificate") else None


def counted_completion(rows: list[dict]) -> dict | None:
	"""Of one person's attempts of a course, the completion that counts: the one no later completion
	renewed (validity.later_completion); the latest, should dates leave several."""
	live = [row for row in rows if row["status"] == COMPLETED and not row.get("renewed")]
	return max(live, key=lambda row: (str(row.get("completed_on") or ""), row["name"]), default=None)


def validity(row: dict, day) -> dict:
	"""What a learner is told of one completion: `text` "Valid until <date>" or "Does not expire", and a
	`badge`: "Expires in N days" inside the course's renewal window, "Expired" after its valid-until day
	(`state` from validity.completion_state), or "Renewed" once a later completion replaced it."""
	state = completion_state(row, day) or RENEWED
	# As completion_state reads it: a course whose validity is 0 (now) never expires.
	until = getdate(row["valid_until"]) if row.get("valid_until") and row.get("validity_days") else None
	badges = {
		RENEWED: _("Renewed"),
		EXPIRED: _("Expired"),
		EXPIRING_SOON: expires_in(date_diff(until, day) if until else 0),
	}
	return {
		"state": state,
		"slug": status_slug(state),
		"valid_until": str(until) if until else None,
		"valid_until_label": formatdate(until) if until else _("Does not expire"),
		"text": _("Valid until {0}").format(formatdate(until)) if until else _("Does not expire"),
		"badge": badges.get(state, ""),
	}


def expires_in(days: int) -> str:
	if days <= 0:
		return _("Expires today")
	return _("Expires in 1 day") if days == 1 else _("Expires in {0} days").format(days)


def training_summary(rows: list[dict]) -> dict:
	return {
		"total": len(rows),
		"completed": sum(1 for row in rows if row["status"] == COMPLETED),
		"overdue": sum(1 for row in rows if row["is_overdue"]),
	}


def my_attempts(course: str | None = None) -> list[dict]:
	"""The session user's assignments (of one course, or all) as `get_my_training_assignments` gives
	them, with attempt_facts. Two queries, whatever the number of rows."""
	rows = learner_rows(frappe.session.user)
	if course is not None:
		rows = [row for row in rows if row["course"] == course]
	facts = attempt_facts(frappe.session.user, course) if rows else {}
	return [{**NO_FACTS, **row, **facts.get(row["name"], {})} for row in rows]


def attempt_facts(user: str, course: str | None = None) -> dict[str, dict]:
	"""{assignment: what the page needs beyond the API's row} for the user's assignments (of a course):
	`renewed` (validity.renewed_column), the course's `validity_days` and `renewal_window_days`, the
	`completion_source`, `creation` (when it was assigned) and its `certificate` (the code, if issued).
	One query."""
	assignment, course_table, certificate = DocType(ASSIGNMENT), DocType(COURSE), DocType(CERTIFICATE)
	query = (
		frappe.qb.from_(assignment)
		.left_join(course_table)
		.on(course_table.name == assignment.course)
		.left_join(certificate)
		.on(certificate.assignment == assignment.name)
		.select(
			assignment.name,
			renewed_column(assignment).as_("renewed"),
			course_table.validity_days,
			course_table.renewal_window_days,
			assignment.completion_source,
			assignment.creation,
			certificate.name.as_("certificate"),
		)
		.where(assignment.employee == user)
	)
	if course is not None:
		query = query.where(assignment.course == course)
	return {row.pop("name"): row for row in query.run(as_dict=True)}


def course_history(rows: list[dict], day) -> list[dict]:
	"""The course page's "Your history": every attempt of one course by the session user (`rows` from
	my_attempts), newest first — assigned, due, completed on, validity, how it was completed, what it
	renews, its certificate."""
	completed_on = {row["name"]: row.get("completed_on") for row in rows}
	history = []
	for row in sorted(rows, key=lambda row: (str(row.get("creation") or ""), row["name"]), reverse=True):
		done = row["status"] == COMPLETED
		line = training_row(row)
		line.update(
			assigned_on_label=formatdate(row["creation"]) if row.get("creation") else "",
			completed_on_label=formatdate(row["completed_on"]) if done and row.get("completed_on") else "",
			validity=validity(row, day) if done else None,
			source_label=_(row.get("completion_source") or "LMS") if done else "",
			renewal_label=renewal_label(row, completed_on),
			certificate_url=certificate_url(row["name"]) if done else None,
			verify_url=verification_page(row) if done else None,
		)
		history.append(line)
	return history


def renewal_label(row: dict, completed_on: dict) -> str:
	"""What a renewal renews, by the date of that completion ({assignment: completed_on})."""
	if not row.get("renewal_of"):
		return ""
	renews = completed_on.get(row["renewal_of"])
	return _("Renews the completion of {0}").format(formatdate(renews)) if renews else _("Renewal")
