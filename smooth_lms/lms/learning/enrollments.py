"""Enrolments: every learner taking a course has one LMS Enrollment per course (the database holds it:
unique member and course), made set-wise for any number of learners, and started over when a new
attempt of a finished course is assigned."""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import now_datetime

from smooth_lms.lms.doctypes import COURSE_PROGRESS, ENROLLMENT
from smooth_lms.lms.framework.batches import chunked, insert_rows
from smooth_lms.lms.framework.document_trail import Via, record_changes, record_inserts

ENROLLMENT_INSERT_FIELDS = (
	"name", "creation", "modified", "modified_by", "owner", "docstatus", "idx",
	"member", "member_name", "course", "course_title", "progress",
)  # fmt: skip


def enrollment_for(member: str, course: str) -> str | None:
	return frappe.db.get_value(ENROLLMENT, {"member": member, "course": course})


def ensure_enrollments(
	pairs: list[tuple[str, str]],
	full_names: dict[str, str],
	course_titles: dict[str, str],
	restart_completed: bool = False,
) -> tuple[dict[tuple[str, str], tuple[str, float]], list[tuple[str, str]]]:
	"""Make sure each (member, course) has an enrollment; with `restart_completed`, a finished one
	starts over (progress 0, lesson completions cleared) because a new assignment asks for a new
	completion. Returns {pair: (enrollment name, progress)} and the pairs enrolled now."""
	existing = _enrollments(pairs)
	missing = [pair for pair in pairs if pair not in existing]
	enrolled = []
	if missing:
		now = now_datetime()
		user = frappe.session.user
		rows = [
			(frappe.generate_hash(length=10), now, now, user, user, 0, 0,
			 member, full_names.get(member) or member, course, course_titles.get(course), 0)
			for member, course in missing
		]  # fmt: skip
		# IGNORE: the unique (member, course) index settles a race with another request. The re-read
		# is a locking read: it sees the row the other request committed, which this transaction's
		# snapshot may predate.
		insert_rows(ENROLLMENT, ENROLLMENT_INSERT_FIELDS, rows, ignore_duplicates=True)
		existing.update(_enrollments(missing, for_update=True))
		ours = {row[0] for row in rows}
		enrolled = [pair for pair in missing if existing[pair][0] in ours]
		record_inserts(ENROLLMENT, [existing[pair][0] for pair in enrolled])

	if restart_completed:
		finished = [pair for pair in pairs if existing[pair][1] >= 100]
		if finished:
			restart_enrollments([existing[pair][0] for pair in finished], finished)
			for pair in finished:
				existing[pair] = (existing[pair][0], 0.0)
	return existing, enrolled


def restart_enrollments(enrollment_names: list[str], pairs: list[tuple[str, str]]) -> None:
	"""Reset finished enrollments for a new attempt. Their Completed assignments keep their record."""
	enrollment = DocType(ENROLLMENT)
	before = dict(
		frappe.qb.from_(enrollment)
		.select(enrollment.name, enrollment.completed_on)
		.where(enrollment.name.isin(enrollment_names))
		.for_update()
		.run()
	)
	frappe.qb.update(enrollment).set(enrollment.progress, 0).set(enrollment.completed_on, None).set(
		enrollment.modified, now_datetime()
	).where(enrollment.name.isin(enrollment_names)).run()
	# Lesson completions of exactly these pairs, found by the indexed columns and deleted by name: a
	# row-constructor IN ((member, course), ...) is not served by the (member, course) index.
	progress = DocType(COURSE_PROGRESS)
	wanted = set(pairs)
	done = [
		name
		for name, member, course in frappe.qb.from_(progress)
		.select(progress.name, progress.member, progress.course)
		.where(progress.member.isin(list({m for m, _c in pairs})))
		.where(progress.course.isin(list({c for _m, c in pairs})))
		.run()
		if (member, course) in wanted
	]
	for batch in chunked(done):
		frappe.qb.from_(progress).delete().where(progress.name.isin(list(batch))).run()
	record_changes(
		ENROLLMENT,
		{
			name: {
				"progress": (100.0, 0.0),
				"completed_on": (str(completed_on) if completed_on else None, None),
			}
			for name, completed_on in before.items()
		},
		Via(_("for a new attempt")),
	)


def _enrollments(
	pairs: list[tuple[str, str]], for_update: bool = False
) -> dict[tuple[str, str], tuple[str, float]]:
	enrollment = DocType(ENROLLMENT)
	query = (
		frappe.qb.from_(enrollment)
		.select(enrollment.name, enrollment.member, enrollment.course, enrollment.progress)
		.where(enrollment.member.isin(list({m for m, _c in pairs})))
		.where(enrollment.course.isin(list({c for _m, c in pairs})))
	)
	if for_update:
		query = query.for_update()
	wanted = set(pairs)
	return {
		(member, course): (name, float(progress or 0))
		for name, member, course, progress in query.run()
		if (member, course) in wanted
	}
