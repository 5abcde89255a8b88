"""A learner's signed acknowledgement of a lesson's statement, written once by
`smooth_lms.lms.quiz.acknowledge`: who, the text as shown and its hash with the lesson's content, when,
from which address and browser. Nobody edits it."""

from frappe.model.document import Document

from smooth_lms.lms.framework.proof import Proof


class LMSAcknowledgement(Proof, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		acknowledged_at: DF.Datetime | None
		assignment: DF.Link | None
		content_hash: DF.Data | None
		course: DF.Link
		ip_address: DF.Data | None
		lesson: DF.Data | None
		lesson_title: DF.Data | None
		member: DF.Link
		member_name: DF.Data | None
		statement: DF.SmallText | None
		typed_name: DF.Data | None
		user_agent: DF.SmallText | None
	# end: auto-generated types

	pass
