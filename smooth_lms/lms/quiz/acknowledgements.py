"""Signed acknowledgements: the learner types their full name under a lesson's statement, and the app
keeps who, the text as shown and its SHA-256 with the lesson's content, when, the address and browser."""

import hashlib
import re

import frappe
from frappe.query_builder import DocType
from frappe.utils import cstr, now_datetime

from smooth_lms.lms.doctypes import ACKNOWLEDGEMENT, USER
from smooth_lms.lms.framework.plain_text import plain_text


def normalised_name(text: str | None) -> str:
	"""A name compared case and spacing aside."""
	return re.sub(r"\s+", " ", cstr(text)).strip().casefold()


def full_name(user: str) -> str:
	row = frappe.db.get_value(USER, user, ["full_name", "first_name", "last_name"], as_dict=True) or {}
	return cstr(row.get("full_name")) or " ".join(
		part for part in (row.get("first_name"), row.get("last_name")) if part
	)


def content_hash(content: str | None, statement: str | None) -> str:
	"""SHA-256 of the lesson's content (as stored) and its statement, one line apart."""
	return hashlib.sha256(f"{cstr(content)}\n{cstr(statement)}".encode()).hexdigest()


def existing(member: str, lesson: str, assignment: str | None) -> str | None:
	filters = {"member": member, "lesson": lesson, "assignment": assignment or ("is", "not set")}
	return frappe.db.get_value(ACKNOWLEDGEMENT, filters)


def signed(member: str, course: str, assignment: str | None) -> dict[str, frappe._dict]:
	"""The learner's acknowledgements in a course for the assignment, by lesson (name, typed_name,
	acknowledged_at), in one query."""
	table = DocType(ACKNOWLEDGEMENT)
	rows = (
		frappe.qb.from_(table)
		.select(table.name, table.lesson, table.typed_name, table.acknowledged_at)
		.where(
			(table.member == member)
			& (table.course == course)
			& (table.assignment == assignment if assignment else table.assignment.isnull())
		)
		.orderby(table.acknowledged_at)
		.run(as_dict=True)
	)
	return {row.lesson: row for row in rows}  # the newest of a lesson, should there be two


def record(enrollment, lesson, assignment: str | None, typed_name: str, member_name: str) -> str:
	"""Insert the acknowledgement of `lesson` (a course lesson row with content and acknowledgement)."""
	request = getattr(frappe.local, "request", None)
	statement = plain_text(lesson.acknowledgement)  # as a lesson saved now keeps it: stored as hashed
	doc = frappe.get_doc(
		{
			"doctype": ACKNOWLEDGEMENT,
			"member": enrollment.member,
			"member_name": member_name,
			"course": enrollment.course,
			"lesson": lesson.name,
			"lesson_title": lesson.title,
			"assignment": assignment,
			"typed_name": cstr(typed_name).strip()[:140],
			"statement": statement,
			"content_hash": content_hash(lesson.content, statement),
			"ip_address": cstr(getattr(frappe.local, "request_ip", None))[:140],
			"user_agent": cstr(request.headers.get("User-Agent") if request else "")[:1000],
			"acknowledged_at": now_datetime(),
		}
	)
	doc.insert(ignore_permissions=True)  # nobody may create one by hand; quiz.acknowledge checked the learner
	return doc.name
