import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.assignments.hr_records import extend_due_date
from smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment import mark_overdue_assignments
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.learning.enrollments import enrollment_for
from smooth_lms.lms.learning.progress import mark_lesson_complete
from smooth_lms.lms.training_rules import open_key
from smooth_lms.tests.factories import (
	QueryCounter,
	assignments_of,
	make_course,
	make_overdue,
	make_user,
	set_progress,
)


def new_assignment(user: str, course: str, due_date=None, **fields):
	return frappe.get_doc(
		{
			"doctype": "LMS Training Assignment",
			"employee": user,
			"course": course,
			"due_date": due_date or add_days(today(), 10),
			**fields,
		}
	).insert()


class TestDeskForm(FrappeTestCase):
	def test_naming_defaults_and_enrollment(self):
		user = make_user()
		course = make_course()
		doc = new_assignment(user, course)

		self.assertRegex(doc.name, r"^TA-\d{4,}$")
		self.assertEqual(doc.status, "Pending")
		self.assertEqual(doc.assigned_by, "Administrator")
		self.assertEqual(doc.employee_name, frappe.db.get_value("User", user, "full_name"))
		self.assertEqual(doc.course_title, frappe.db.get_value("LMS Course", course, "title"))
		self.assertEqual(doc.enrollment, enrollment_for(user, course))
		self.assertEqual(doc.open_key, open_key(user, course))
		self.assertIn("LMS Student", frappe.get_roles(user))

	def test_names_continue_one_series_across_bulk_and_form(self):
		course = make_course()
		first = new_assignment(make_user(), course).name
		bulk = create_assignments([course], [make_user(), make_user()], add_days(today(), 5)).created
		last = new_assignment(make_user(), course).name
		numbers = [int(name.split("-")[1]) for name in (first, *bulk, last)]
		self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 4)))

	def test_second_open_assignment_is_refused(self):
		user, course = make_user(), make_course()
		first = new_assignment(user, course)
		with self.assertRaisesRegex(frappe.ValidationError, first.name):
			new_assignment(user, course)
		self.assertEqual(len(assignments_of(user, course)), 1)

	def test_database_refuses_second_open_row_even_without_validation(self):
		user, course = make_user(), make_course()
		first = new_assignment(user, course)
		twin = frappe.copy_doc(first)
		twin.name = "TA-RACE-1"
		twin.open_key = first.open_key
		frappe.db.savepoint("race")
		with self.assertRaises(frappe.UniqueValidationError):
			twin.db_insert()
		frappe.db.rollback(save_point="race")

	def test_due_date_in_the_past_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "in the past"):
			new_assignment(make_user(), make_course(), due_date=add_days(today(), -1))

	def test_unpublished_course_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "not published"):
			new_assignment(make_user(), make_course(published=0))

	def test_disabled_and_guest_users_are_refused_like_the_bulk_path_skips_them(self):
		course = make_course()
		disabled = make_user(enabled=0)
		self.assertEqual(create_assignments([course], [disabled, "Guest"], add_days(today(), 5)).created, [])
		with self.assertRaisesRegex(frappe.ValidationError, "is disabled"):
			new_assignment(disabled, course)
		with self.assertRaisesRegex(frappe.ValidationError, "Guest"):
			new_assignment("Guest", course)
		with self.assertRaisesRegex(frappe.ValidationError, "does not exist"):
			new_assignment("nobody-at-all@example.com", course)
		self.assertEqual(frappe.db.count("LMS Training Assignment", {"course": course}), 0)
		self.assertEqual(frappe.db.count("LMS Enrollment", {"course": course}), 0, "nothing half-made")

	def test_employee_and_course_are_fixed_once_saved(self):
		user, course = make_user(), make_course()
		doc = new_assignment(user, course)
		for field, value in (("course", make_course()), ("employee", make_user())):
			with self.subTest(field=field):
				changed = frappe.get_doc("LMS Training Assignment", doc.name)
				changed.set(field, value)
				with self.assertRaises(frappe.CannotChangeConstantError):
					changed.save()
		row = frappe.db.get_value("LMS Training Assignment", doc.name, ["employee", "course"], as_dict=True)
		self.assertEqual((row.employee, row.course), (user, course))
		self.assertEqual(
			frappe.db.get_value("LMS Enrollment", doc.enrollment, "course"), course, "enrollment matches"
		)

	def test_status_is_owned_by_the_rules_not_the_form(self):
		doc = new_assignment(make_user(), make_course(), status="Completed")
		self.assertEqual(doc.status, "Pending")
		self.assertIsNone(doc.completed_on)


class TestStatusRules(FrappeTestCase):
	def setUp(self):
		self.user = make_user()
		self.course = make_course(lessons=4)
		self.assignment = new_assignment(self.user, self.course)

	def status(self, name=None):
		return frappe.db.get_value(
			"LMS Training Assignment",
			name or self.assignment.name,
			["status", "completed_on", "progress", "open_key"],
			as_dict=True,
		)

	def test_lessons_drive_pending_in_progress_completed(self):
		frappe.set_user(self.user)
		lessons = [row.name for row in course_lessons(self.course)]
		out = mark_lesson_complete(self.course, lessons[0])
		self.assertEqual(out, {"progress": 25.0, "status": "In Progress"})
		for lesson in lessons[1:]:
			out = mark_lesson_complete(self.course, lesson)
		frappe.set_user("Administrator")

		self.assertEqual(out, {"progress": 100.0, "status": "Completed"})
		row = self.status()
		self.assertEqual(row.status, "Completed")
		self.assertEqual(getdate(row.completed_on), getdate(today()))
		self.assertEqual(row.progress, 100)
		self.assertIsNone(row.open_key)
		enrollment = frappe.get_doc("LMS Enrollment", enrollment_for(self.user, self.course))
		self.assertEqual(getdate(enrollment.completed_on), getdate(today()))

	def test_marking_the_same_lesson_twice_counts_once(self):
		frappe.set_user(self.user)
		lesson = course_lessons(self.course)[0].name
		mark_lesson_complete(self.course, lesson)
		out = mark_lesson_complete(self.course, lesson)
		frappe.set_user("Administrator")
		self.assertEqual(out["progress"], 25.0)

	def test_lesson_of_another_course_or_unenrolled_learner_is_refused(self):
		other = make_course()
		frappe.set_user(self.user)
		with self.assertRaises(frappe.DoesNotExistError):
			mark_lesson_complete(self.course, course_lessons(other)[0].name)
		with self.assertRaises(frappe.PermissionError):
			mark_lesson_complete(other, course_lessons(other)[0].name)
		frappe.set_user("Administrator")

	def test_moderator_progress_moves_pending_to_in_progress(self):
		set_progress(self.user, self.course, 40)
		row = self.status()
		self.assertEqual((row.status, row.progress), ("In Progress", 40))

	def test_overdue_stays_overdue_while_in_progress(self):
		make_overdue(assignment=self.assignment.name, days=3)
		set_progress(self.user, self.course, 50)
		self.assertEqual(self.status().status, "Overdue")

	def test_finishing_completes_an_overdue_row(self):
		make_overdue(assignment=self.assignment.name, days=3)
		set_progress(self.user, self.course, 100)
		row = self.status()
		self.assertEqual(row.status, "Completed")
		self.assertEqual(getdate(row.completed_on), getdate(today()))

	def test_moving_the_due_date_forward_reopens_an_overdue_row(self):
		make_overdue(assignment=self.assignment.name, days=3)
		extend_due_date(self.assignment.name, today(), "Back from leave")
		self.assertEqual(self.status().status, "Pending")

		set_progress(self.user, self.course, 30)
		make_overdue(assignment=self.assignment.name, days=3)
		extend_due_date(self.assignment.name, add_days(today(), 7), "Back from leave again")
		row = self.status()
		self.assertEqual((row.status, row.open_key), ("In Progress", open_key(self.user, self.course)))

	def test_a_saved_due_date_moves_only_with_its_reason(self):
		doc = frappe.get_doc("LMS Training Assignment", self.assignment.name)
		doc.due_date = add_days(today(), 40)
		with self.assertRaisesRegex(frappe.ValidationError, "Extend Due Date"):
			doc.save()
		self.assertEqual(frappe.db.count("LMS Due Date Extension", {"parent": doc.name}), 0)
		extend_due_date(doc.name, add_days(today(), 40), "Waiting for the trainer")
		doc.reload()
		self.assertEqual((str(doc.due_date), len(doc.extensions)), (add_days(today(), 40), 1))
		self.assertEqual(doc.extensions[0].reason, "Waiting for the trainer")

	def test_reopening_an_overdue_row_beside_a_newer_open_one_is_refused(self):
		make_overdue(assignment=self.assignment.name, days=3)
		newer = new_assignment(self.user, self.course)
		with self.assertRaisesRegex(frappe.ValidationError, newer.name):
			extend_due_date(self.assignment.name, add_days(today(), 3), "Extended by mistake")

	def test_reassigning_a_finished_course_starts_a_new_attempt(self):
		set_progress(self.user, self.course, 100)
		first = self.status()
		renewal = new_assignment(self.user, self.course, due_date=add_days(today(), 60))

		self.assertEqual(renewal.status, "Pending")
		self.assertEqual(renewal.progress, 0)
		enrollment = frappe.get_doc("LMS Enrollment", enrollment_for(self.user, self.course))
		self.assertEqual((enrollment.progress, enrollment.completed_on), (0, None))
		self.assertEqual(frappe.db.count("LMS Enrollment", {"member": self.user, "course": self.course}), 1)
		kept = self.status()
		self.assertEqual(
			(kept.status, kept.completed_on, kept.progress), ("Completed", first.completed_on, 100)
		)


class TestOverdueJob(FrappeTestCase):
	def test_marks_open_rows_past_due_once(self):
		course = make_course()
		late_pending = new_assignment(make_user(), course).name
		late_started = new_assignment(make_user(), course).name
		on_time = new_assignment(make_user(), course).name
		due_today = new_assignment(make_user(), course, due_date=today()).name
		finished = new_assignment(make_user(), course).name
		set_progress(frappe.db.get_value("LMS Training Assignment", late_started, "employee"), course, 20)
		set_progress(frappe.db.get_value("LMS Training Assignment", finished, "employee"), course, 100)
		for name in (late_pending, late_started, finished):
			frappe.db.set_value("LMS Training Assignment", name, "due_date", add_days(today(), -1))

		self.assertEqual(mark_overdue_assignments(), 2)
		self.assertEqual(mark_overdue_assignments(), 0)

		status = dict(
			frappe.get_all(
				"LMS Training Assignment",
				filters={"name": ("in", [late_pending, late_started, on_time, due_today, finished])},
				fields=["name", "status"],
				as_list=True,
			)
		)
		self.assertEqual(
			status,
			{
				late_pending: "Overdue",
				late_started: "Overdue",
				on_time: "Pending",
				due_today: "Pending",
				finished: "Completed",
			},
		)
		self.assertIsNone(frappe.db.get_value("LMS Training Assignment", late_pending, "open_key"))

	def test_statements_do_not_grow_with_the_rows(self):
		def statements_for(rows: int) -> int:
			course = make_course()
			users = [make_user() for _ in range(rows)]
			names = create_assignments([course], users, add_days(today(), 1)).created
			frappe.db.set_value(
				"LMS Training Assignment", {"name": ("in", names)}, "due_date", add_days(today(), -2)
			)
			frappe.get_meta("LMS Training Assignment")  # cached once (making users clears it), not per run
			with QueryCounter() as counter:
				self.assertEqual(mark_overdue_assignments(), rows)
			return counter.count

		# A locked read, the courses' validity, one UPDATE, one INSERT of the Versions: the same for 3 rows
		# as for 40.
		self.assertEqual(statements_for(3), 4)
		self.assertEqual(statements_for(40), 4)

	def test_is_the_daily_scheduled_job(self):
		self.assertIn(
			"smooth_lms.lms.doctype.lms_training_assignment.lms_training_assignment.mark_overdue_assignments",
			frappe.get_hooks("scheduler_events")["daily"],
		)


class TestPermissions(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.course = make_course()
		cls.student = make_user("LMS Student")
		cls.colleague = make_user("LMS Student")
		cls.mine = new_assignment(cls.student, cls.course).name
		cls.theirs = new_assignment(cls.colleague, cls.course).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def visible(self, doctype="LMS Training Assignment"):
		return set(frappe.get_list(doctype, pluck="name", limit_page_length=0))

	def test_student_sees_only_own_rows(self):
		frappe.set_user(self.student)
		visible = self.visible()
		self.assertIn(self.mine, visible)
		self.assertNotIn(self.theirs, visible)
		self.assertTrue(frappe.get_doc("LMS Training Assignment", self.mine).has_permission("read"))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("LMS Training Assignment", self.theirs).check_permission("read")
		self.assertEqual(self.visible("LMS Enrollment"), {enrollment_for(self.student, self.course)})

	def test_student_cannot_write_or_create(self):
		frappe.set_user(self.student)
		doc = frappe.get_doc("LMS Training Assignment", self.mine)
		self.assertFalse(doc.has_permission("write"))
		self.assertFalse(frappe.has_permission("LMS Training Assignment", "create"))

	def test_hr_manager_reads_and_exports_everything_but_cannot_create(self):
		frappe.set_user(make_user("HR Manager"))
		self.assertTrue({self.mine, self.theirs} <= self.visible())
		self.assertTrue(frappe.has_permission("LMS Training Assignment", "export"))
		self.assertFalse(frappe.has_permission("LMS Training Assignment", "create"))
		self.assertFalse(frappe.has_permission("LMS Training Assignment", "delete"))

	def test_moderator_manages(self):
		frappe.set_user(make_user("Moderator"))
		for ptype in ("read", "create", "write", "delete", "export"):
			self.assertTrue(frappe.has_permission("LMS Training Assignment", ptype), ptype)
		self.assertTrue({self.mine, self.theirs} <= self.visible())

	def test_user_without_an_lms_role_sees_nothing(self):
		frappe.set_user(make_user())
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list("LMS Training Assignment")
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("LMS Training Assignment", self.mine).check_permission("read")
