"""Completions made before course versions and certificates existed: each records its course's version
(every course starts at "1") and gets its certificate, set-wise (certificates.issuing)."""

import frappe

from smooth_lms.lms.certificates.issuing import issue_certificates


def execute():
	frappe.db.sql(
		"""update `tabLMS Training Assignment` a join `tabLMS Course` c on c.name = a.course
		set a.course_version = coalesce(c.version, '1')
		where a.status = 'Completed' and a.course_version is null"""
	)
	issue_certificates()
