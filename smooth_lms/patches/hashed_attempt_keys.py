"""Attempt keys written before framework.keys (the parts joined by "|", which a long email could make too
long for the field) become the parts' SHA-1, as new attempts write them: one UPDATE per table."""

import frappe

from smooth_lms.lms.doctypes import QUIZ_ATTEMPT, SCORM_ATTEMPT


def execute():
	for doctype in (QUIZ_ATTEMPT, SCORM_ATTEMPT):
		if frappe.db.table_exists(doctype):
			frappe.db.sql(
				f"update `tab{doctype}` set attempt_key = sha1(attempt_key) where attempt_key like %s",
				("%|%",),
			)
