"""One learner's record of one SCORM lesson for one assignment: what the package last reported (status,
score, where it stopped, its raw CMI data) and the time spent, session by session. A renewal starts a new
one; the old one stays.

Written by the server only (`smooth_lms.lms.scorm.commit`): inserted through the document once, then
updated by commit's single UPDATE (smooth_lms/lms/scorm/attempts.py says why). Through documents nobody
edits or deletes it — not the learner, not HR, not Administrator (framework.proof)."""

from frappe.model.document import Document

from smooth_lms.lms.framework.proof import Proof


class LMSSCORMAttempt(Proof, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assignment: DF.Link | None
		attempt_key: DF.Data | None
		cmi_data: DF.Code | None
		completion_status: DF.Data | None
		course: DF.Link
		finished: DF.Check
		finished_on: DF.Datetime | None
		last_commit: DF.Datetime | None
		lesson: DF.Data | None
		lesson_status: DF.Data | None
		lesson_title: DF.Data | None
		location: DF.Data | None
		member: DF.Link
		member_name: DF.Data | None
		package: DF.Data | None
		score_max: DF.Float
		score_raw: DF.Float
		scorm_version: DF.Data | None
		sessions: DF.Code | None
		success_status: DF.Data | None
		suspend_data: DF.LongText | None
		total_time: DF.Int
	# end: auto-generated types

	pass
