"""Mandatory training for new hires: what each Employee Onboarding owes, and when it is assigned.

In Frappe HRMS the onboarding usually comes first (made from a Job Applicant), the Employee later (HRMS
links it to the onboarding by db_set, no onboarding hook firing) and the Employee's user later still.
So each onboarding has an LMS Onboarding Training record that remembers where it stands, and moves on
whenever what it waits for may have happened:

- the onboarding is created (after_insert: the spec's hook, hrms_integration.on_onboarding_created);
- an Employee is inserted or changed, by save or db_set (on_change: user set, onboarding linked);
- daily (`catch_up`), for changes made without any hook;
- the onboarding is cancelled (on_cancel): what it still waited for is owed no more.

What an onboarding still owes is decided in one place, `advance`: a record not yet Assigned nor
Cancelled, whose onboarding is not cancelled and whose Employee (the onboarding's `employee`, else the
Employee of its Job Applicant) is current staff (an active employee with an enabled user), is owed every
course obligations.owed gives that employee. What they do not have yet is assigned through the sweeps'
own `assign_missing` (so an onboarding skips what every sweep skips: any assignment of the course, open,
overdue or completed), due LMS Settings' onboarding due days from that day, and the record becomes Assigned
— once: a second run, a second save, a second or amended onboarding never makes a duplicate. Every
change of state is written on the onboarding's timeline.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import escape_html, today
from pypika.terms import Case

from smooth_lms.lms.doctypes import EMPLOYEE, ONBOARDING
from smooth_lms.lms.doctypes import ONBOARDING_TRAINING as TRACKER
from smooth_lms.lms.framework.document_trail import Via
from smooth_lms.lms.framework.plurals import plural
from smooth_lms.lms.framework.settings import onboarding_due_date
from smooth_lms.lms.obligations.owed import owed_courses
from smooth_lms.lms.obligations.sweeps import assign_missing
from smooth_lms.lms.people.employees import LEFT, has_employees, is_current_staff, left_every_record

WAITING_FOR_EMPLOYEE, WAITING_FOR_USER = "Waiting for Employee", "Waiting for User"
ASSIGNED, CANCELLED = "Assigned", "Cancelled"
WAITING = (WAITING_FOR_EMPLOYEE, WAITING_FOR_USER)
SAVEPOINT = "smooth_lms_onboarding"


def on_onboarding_created(doc) -> None:
	"""A new onboarding: remember it, and assign its training if its new hire can take it already."""
	tracker = _track(doc.name)
	advance([tracker], new={tracker})


def on_onboarding_cancelled(doc, method=None) -> None:
	"""A cancelled onboarding owes nothing: if it was still waiting, it waits no more. Training already
	assigned stays assigned (the learner's history)."""
	name = frappe.db.get_value(TRACKER, {"onboarding": doc.name, "state": ("in", WAITING)})
	if name:
		_settle(frappe.get_doc(TRACKER, name, for_update=True), CANCELLED, _("the onboarding was cancelled"))


def on_employee_changed(doc, method=None) -> None:
	"""Employee on_change (inserted, saved or changed by db_set): onboardings waiting for this employee
	(linked to it, or of its Job Applicant) move on."""
	if not frappe.db.table_exists(ONBOARDING):
		return
	onboarding, tracker = DocType(ONBOARDING), DocType(TRACKER)
	mine = onboarding.employee == doc.name
	if doc.get("job_applicant"):
		mine = mine | (onboarding.job_applicant == doc.job_applicant)
	names = [
		row[0]
		for row in frappe.qb.from_(tracker)
		.join(onboarding)
		.on(onboarding.name == tracker.onboarding)
		.select(tracker.name)
		.where(tracker.state.isin(WAITING))
		.where(mine)
		.run()
	]
	advance(names)


def catch_up() -> int:
	"""Daily safety net: onboardings that no hook has told about their Employee or user (changes made
	by db_set or SQL, onboardings older than the app) get their training. Returns how many moved on."""
	if not frappe.db.table_exists(ONBOARDING):
		return 0
	onboarding, tracker = DocType(ONBOARDING), DocType(TRACKER)
	untracked = (
		frappe.qb.from_(onboarding)
		.left_join(tracker)
		.on(tracker.onboarding == onboarding.name)
		.select(onboarding.name)
		.where(tracker.name.isnull())
		.where(onboarding.docstatus < 2)
		.where(onboarding.boarding_status != "Completed")
		.run(pluck=True)
	)
	new = [_track(name) for name in untracked]
	waiting = frappe.get_all(TRACKER, filters={"state": ("in", WAITING)}, pluck="name", order_by="creation")
	return sum(1 for state in advance(new + waiting, new=set(new)).values() if state not in WAITING)


def advance(trackers: list[str], new: set[str] | frozenset = frozenset()) -> dict[str, str]:
	"""Move these records on as far as their onboarding, Employee and user allow (`new`: records made just
	now, whose first state the timeline hears of in any case). Returns {record: state}.

	Never raises: a failure is rolled back to a savepoint (the onboarding and the Employee are never
	lost because of the LMS part), logged with the onboarding's name and written on its timeline."""
	states = {}
	for tracker in trackers:
		doc = frappe.get_doc(TRACKER, tracker, for_update=True)  # a racing save of the Employee waits here
		doc.flags.first_state = tracker in new
		doc.flags.loaded_as = _facts(doc)
		if doc.state not in WAITING:
			states[tracker] = doc.state
			continue
		frappe.db.savepoint(SAVEPOINT)
		try:
			states[tracker] = _advance(doc)
		except Exception:
			frappe.db.rollback(save_point=SAVEPOINT)
			frappe.log_error(
				title=_("Smooth LMS: mandatory training for onboarding {0} failed").format(doc.onboarding),
				reference_doctype=ONBOARDING,
				reference_name=doc.onboarding,
			)
			_note(
				doc.onboarding,
				_("Smooth LMS could not assign mandatory training; the Error Log has the details."),
			)
			states[tracker] = doc.state
	return states


def new_hire(onboarding) -> frappe._dict | None:
	"""The onboarding's Employee, else the (current first) Employee of its Job Applicant, with
	`current_staff` (people.employees.is_current_staff) and `has_left`: every record of the person is Left
	(their user's, or this one when it has no user yet). A disabled user has not left for an onboarding:
	a new hire's user is often enabled on their first day, and the onboarding waits for it."""
	if not has_employees():
		return None
	employee = DocType(EMPLOYEE)
	has_user = employee.user_id.notnull() & (employee.user_id != "")
	left = (has_user & left_every_record(employee.user_id)) | (~has_user & (employee.status == LEFT))
	query = frappe.qb.from_(employee).select(
		employee.name,
		employee.employee_name,
		employee.user_id,
		Case().when(is_current_staff(employee), 1).else_(0).as_("current_staff"),
		Case().when(left, 1).else_(0).as_("has_left"),
	)
	if onboarding.employee:
		query = query.where(employee.name == onboarding.employee)
	elif onboarding.job_applicant:
		query = query.where(employee.job_applicant == onboarding.job_applicant)
	else:
		return None
	rows = query.orderby(employee.creation, order=frappe.qb.desc).run(as_dict=True)
	return next((row for row in rows if row.current_staff), rows[0] if rows else None)


def _wait(doc, state: str, reason: str) -> str:
	"""Still waiting. The timeline hears of it when the wait begins or changes, not at every check."""
	changed = doc.state != state or doc.flags.first_state
	doc.state = state
	if changed or _facts(doc) != doc.flags.loaded_as:  # the daily check of an unchanged wait writes nothing
		doc.save(ignore_permissions=True)  # the app's own record, kept by its hooks and daily job
	if changed:
		_note(doc.onboarding, _("Smooth LMS will assign mandatory training when it can: {0}.").format(reason))
	return state


def _facts(doc) -> tuple:
	return (doc.state, doc.employee, doc.employee_name, doc.user)


def _settle(doc, state: str, reason: str, assigned: bool = True) -> str:
	doc.state = state
	doc.save(ignore_permissions=True)  # the app's own record, kept by its hooks and daily job
	if state == CANCELLED:
		_note(doc.onboarding, _("Smooth LMS assigns no mandatory training: {0}.").format(reason))
	elif not assigned:
		_note(doc.onboarding, _("Smooth LMS did not assign mandatory training: {0}.").format(reason))
	else:
		given, already = doc.courses_assigned, doc.courses_already_open
		_note(
			doc.onboarding,
			_("{0}; {1}").format(
				plural(
					given,
					_("Smooth LMS assigned {0} mandatory course to {1}, due {2}"),
					_("Smooth LMS assigned {0} mandatory courses to {1}, due {2}"),
				).format(given, doc.user, frappe.format(doc.due_date, "Date")),
				plural(already, _("{0} was assigned already."), _("{0} were assigned already.")).format(
					already
				),
			),
		)
	return state


def _note(onboarding: str, text: str) -> None:
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Comment",
			"reference_doctype": ONBOARDING,
			"reference_name": onboarding,
			"content": escape_html(text),
		}
	).insert(ignore_permissions=True)  # the app's note on HR's document, whoever's save triggered it


def _advance(doc) -> str:
	onboarding = frappe.db.get_value(
		ONBOARDING, doc.onboarding, ["name", "docstatus", "employee", "job_applicant"], as_dict=True
	)
	if not onboarding or onboarding.docstatus == 2:
		return _settle(doc, CANCELLED, _("the onboarding was cancelled"))
	employee = new_hire(onboarding)
	if not employee:
		return _wait(doc, WAITING_FOR_EMPLOYEE, _("the onboarding has no Employee yet"))
	doc.employee, doc.employee_name = employee.name, employee.employee_name
	if employee.has_left:
		return _settle(doc, CANCELLED, _("Employee {0} has left").format(employee.name))
	if not employee.user_id:
		reason = _("Employee {0} has no User ID yet").format(employee.name)
		return _wait(doc, WAITING_FOR_USER, reason)
	doc.user = employee.user_id
	if not employee.current_staff:
		reason = _(
			"user {0} of Employee {1} cannot take training yet (disabled, or the employee is not active)"
		)
		return _wait(doc, WAITING_FOR_USER, reason.format(employee.user_id, employee.name))
	return _assign(doc, employee.user_id)


def _assign(doc, user: str) -> str:
	"""What the new hire owes and does not have yet, through the sweeps' own path (obligations.sweeps)."""
	owed = owed_courses([user]).get(user, [])
	via = Via(_("via Employee Onboarding {0}").format(doc.onboarding), ONBOARDING, doc.onboarding)
	result = assign_missing([user], owed, via=via) if owed else None
	created = len(result.created) if result else 0
	doc.update(
		{
			"courses_assigned": created,
			"courses_already_open": len(owed) - created,
			"assigned_on": today(),
			"due_date": onboarding_due_date(),
		}
	)
	if not owed:
		reason = _("{0} owes no published course marked Mandatory Training").format(user)
		return _settle(doc, ASSIGNED, reason, assigned=False)
	return _settle(doc, ASSIGNED, "")


def _track(onboarding: str) -> str:
	"""A new record for an onboarding; `advance` decides its first state."""
	doc = frappe.get_doc({"doctype": TRACKER, "onboarding_doctype": ONBOARDING, "onboarding": onboarding})
	doc.insert(ignore_permissions=True)  # the app's own record of HR's onboarding, made by its hook / job
	return doc.name
