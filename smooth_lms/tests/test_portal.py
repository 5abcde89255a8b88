"""The learner portal's server side on a real site: self-enrolment, what each page is given (the session
user's data only, drafts never), the compliance counts, and that every read is set-wise."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, formatdate, today

from smooth_lms.lms.assignments.creation import create_assignments
from smooth_lms.lms.learning.courses import course_lessons
from smooth_lms.lms.portal.catalogue import catalogue, enrol_self, published_courses
from smooth_lms.lms.portal.course_page import course_page
from smooth_lms.lms.portal.training import my_training, training_summary
from smooth_lms.lms.reporting.counts import compliance_by_course, compliance_counts, get_compliance_counts
from smooth_lms.lms.reporting.rows import summarise, team_rows
from smooth_lms.tests.factories import QueryCounter, complete_lessons, make_course, make_overdue, make_user


def enrollment(user: str, course: str) -> dict | None:
	return frappe.db.get_value(
		"LMS Enrollment", {"member": user, "course": course}, ["name", "progress"], as_dict=True
	)


class PortalTestCase(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")


class TestEnrolSelf(PortalTestCase):
	def test_enrols_the_session_user_once_and_grants_the_student_role(self):
		learner, course = make_user(), make_course()
		frappe.set_user(learner)
		first = enrol_self(course)
		second = enrol_self(course)
		frappe.set_user("Administrator")

		self.assertEqual(first["enrollment"], enrollment(learner, course).name)
		self.assertEqual((first["created"], second["created"]), (True, False))
		self.assertEqual(second["enrollment"], first["enrollment"])
		self.assertEqual(first["url"], f"/lms/courses/{course}")
		self.assertEqual(frappe.db.count("LMS Enrollment", {"member": learner, "course": course}), 1)
		self.assertIn("LMS Student", frappe.get_roles(learner))

	def test_enrolling_again_keeps_a_finished_enrollment(self):
		learner, course = make_user(), make_course(lessons=1)
		frappe.set_user(learner)
		enrol_self(course)
		complete_lessons(learner, course, 1)
		frappe.set_user(learner)
		self.assertEqual(enrol_self(course)["progress"], 100)

	def test_refusals_name_the_problem_and_write_nothing(self):
		learner = make_user()
		closed = make_course(disable_self_learning=1)
		draft = make_course(published=0)
		cases = [
			("Guest", make_course(), frappe.PermissionError, "log in"),
			(learner, "no-such-course", frappe.DoesNotExistError, "does not exist"),
			(learner, draft, frappe.DoesNotExistError, "does not exist"),  # drafts do not exist for learners
			(make_user("Course Creator"), draft, frappe.ValidationError, "not published"),
			(learner, closed, frappe.PermissionError, "Self-enrolment is disabled"),
			(learner, "", frappe.MandatoryError, "Course is required"),
		]
		for user, course, exception, message in cases:
			with self.subTest(user=user, course=course):
				frappe.set_user(user)
				frappe.local.flags.disable_traceback = False
				with self.assertRaisesRegex(exception, message):
					enrol_self(course)
				frappe.set_user("Administrator")
				self.assertFalse(frappe.db.exists("LMS Enrollment", {"member": user, "course": course}))
				self.assertTrue(frappe.local.flags.disable_traceback)  # the refusal is an answer, not a crash

	def test_is_a_post_method_open_to_guest_only_to_refuse_them(self):
		self.assertIn(enrol_self, frappe.guest_methods)
		self.assertEqual(frappe.allowed_http_methods_for_whitelisted_func[enrol_self], ["POST"])


class TestCatalogue(PortalTestCase):
	def setUp(self):
		self.learner = make_user()
		self.assigned = make_course(is_mandatory=1, lessons=4)
		self.closed = make_course(disable_self_learning=1, lessons=2)
		self.open = make_course(lessons=1)
		self.draft = make_course(published=0)
		create_assignments([self.assigned], [self.learner], add_days(today(), 10))
		complete_lessons(self.learner, self.assigned, 1)

	def by_name(self, rows):
		return {row.name: row for row in rows}

	def test_published_courses_only_with_lesson_counts(self):
		courses = self.by_name(published_courses())
		self.assertNotIn(self.draft, courses)
		self.assertEqual(
			{name: courses[name].lesson_count for name in (self.assigned, self.closed, self.open)},
			{self.assigned: 4, self.closed: 2, self.open: 1},
		)

	def test_what_the_learner_may_do_with_each_course(self):
		courses = self.by_name(catalogue(self.learner))
		assigned, closed, open_ = courses[self.assigned], courses[self.closed], courses[self.open]
		self.assertEqual((assigned.enrolled, assigned.progress, assigned.can_enrol), (True, 25, False))
		self.assertEqual((closed.enrolled, closed.can_enrol), (False, False))
		self.assertEqual((open_.enrolled, open_.can_enrol), (False, True))
		self.assertEqual(open_.url, f"/lms/courses/{self.open}")

	def test_guest_sees_the_catalogue_without_enrollments(self):
		courses = self.by_name(catalogue("Guest"))
		self.assertFalse(courses[self.assigned].enrolled)
		self.assertNotIn(self.draft, courses)
		self.assertFalse(any(course.mandatory for course in courses.values()))

	def test_mandatory_only_where_the_learner_has_mandatory_training(self):
		# Marked Mandatory Training, but for someone else (another department, not assigned to them).
		others = make_course(is_mandatory=1, lessons=1)
		create_assignments([others], [make_user()], add_days(today(), 10))
		# Not marked mandatory, but assigned to the learner: mandatory training for them.
		assigned_plain = make_course(lessons=1)
		create_assignments([assigned_plain], [self.learner], add_days(today(), 10))
		courses = self.by_name(catalogue(self.learner))
		self.assertEqual(
			{name: courses[name].mandatory for name in (self.assigned, others, assigned_plain, self.open)},
			{self.assigned: True, others: False, assigned_plain: True, self.open: False},
		)
		# Theirs first, in the catalogue's order; then the rest.
		order = [course.name for course in catalogue(self.learner)]
		self.assertEqual(set(order[:2]), {self.assigned, assigned_plain})
		# /lms/courses passes the courses of the Mandatory Training it already read: the same answer.
		frappe.set_user(self.learner)
		given = {row["course"] for row in my_training()}
		self.assertEqual(
			{course.name: course.mandatory for course in catalogue(self.learner, assigned=given)},
			{course.name: course.mandatory for course in catalogue(self.learner)},
		)

	def test_the_button_says_start_continue_or_review_here_and_on_the_course_page(self):
		not_started, part_way, finished = (make_course(lessons=4) for _ in range(3))
		create_assignments([not_started, part_way, finished], [self.learner], add_days(today(), 10))
		complete_lessons(self.learner, part_way, 2)
		complete_lessons(self.learner, finished, 4)
		courses = self.by_name(catalogue(self.learner))
		frappe.set_user(self.learner)
		for course, word in ((not_started, "Start"), (part_way, "Continue"), (finished, "Review")):
			with self.subTest(word=word):
				self.assertEqual(courses[course].action, word)
				self.assertEqual(course_page(course)["action"], word)
		self.assertIsNone(courses[self.open].action)  # not enrolled: Enrol, not a way in

	def test_reads_are_set_wise(self):
		with QueryCounter() as few:
			catalogue(self.learner)
		for _ in range(5):
			course = make_course(lessons=3)
			create_assignments([course], [self.learner], add_days(today(), 3))
		with QueryCounter() as many:
			catalogue(self.learner)
		self.assertEqual(few.count, many.count)
		self.assertLessEqual(many.count, 3)
		with QueryCounter() as given:
			catalogue(self.learner, assigned={self.assigned})
		self.assertLessEqual(given.count, 2)  # /lms/courses: the assignments come from its Mandatory Training

		frappe.set_user(self.learner)
		with QueryCounter() as training:
			rows = my_training()
		self.assertEqual(len(rows), 6)
		self.assertLessEqual(training.count, 2)


class TestMandatoryTraining(PortalTestCase):
	def setUp(self):
		self.learner, self.colleague = make_user(), make_user()
		self.pending, self.late, self.done = (make_course(is_mandatory=1, lessons=2) for _ in range(3))
		self.due = add_days(today(), 9)
		create_assignments([self.pending], [self.learner, self.colleague], self.due)
		create_assignments([self.late, self.done], [self.learner], add_days(today(), 1))
		make_overdue(self.learner, self.late, days=2)
		complete_lessons(self.learner, self.done, 2)
		complete_lessons(self.colleague, self.pending, 1)

	def rows(self):
		frappe.set_user(self.learner)
		return {row["course"]: row for row in my_training()}

	def test_rows_show_the_date_as_a_date_status_and_progress(self):
		rows = self.rows()
		pending = rows[self.pending]
		self.assertEqual(pending["due_date"], str(self.due))
		self.assertEqual(pending["due_date_label"], formatdate(self.due))
		self.assertEqual((pending["status"], pending["status_slug"]), ("Pending", "pending"))
		self.assertEqual(pending["progress"], 0)  # the colleague's progress is theirs alone
		self.assertEqual(pending["due_hint"], "9 days left")
		self.assertFalse(pending["is_overdue"])
		self.assertEqual(pending["url"], f"/lms/courses/{self.pending}")

	def test_overdue_stands_out_until_completed(self):
		rows = self.rows()
		late, done = rows[self.late], rows[self.done]
		self.assertEqual(
			(late["status"], late["is_overdue"], late["due_hint"]), ("Overdue", True, "2 days late")
		)
		self.assertEqual((done["status"], done["is_overdue"], done["progress"]), ("Completed", False, 100))
		self.assertEqual(done["due_hint"], f"Completed on {formatdate(today())}")

		complete_lessons(self.learner, self.late, 2)
		late = self.rows()[self.late]
		self.assertEqual((late["status"], late["is_overdue"]), ("Completed", False))

	def test_an_open_row_past_due_is_overdue_before_the_daily_job(self):
		name = frappe.db.get_value(
			"LMS Training Assignment", {"employee": self.learner, "course": self.pending}
		)
		frappe.db.set_value("LMS Training Assignment", name, "due_date", add_days(today(), -1))
		row = self.rows()[self.pending]
		self.assertEqual((row["status"], row["is_overdue"]), ("Overdue", True))

	def test_only_the_session_users_rows(self):
		self.assertEqual(set(self.rows()), {self.pending, self.late, self.done})
		frappe.set_user("Guest")
		self.assertEqual(my_training(), [])

	def test_summary(self):
		self.assertEqual(
			training_summary(list(self.rows().values())), {"total": 3, "completed": 1, "overdue": 1}
		)


class TestCoursePage(PortalTestCase):
	def setUp(self):
		self.learner, self.colleague = make_user(), make_user()
		self.course = make_course(
			lessons=3, description='<p>About <b>this</b></p><script>alert("x")</script>', is_mandatory=1
		)
		create_assignments([self.course], [self.learner, self.colleague], add_days(today(), 5))
		complete_lessons(self.colleague, self.course, 2)
		complete_lessons(self.learner, self.course, 1)

	def page_for(self, user: str, course: str | None = None) -> dict:
		frappe.set_user(user)
		return course_page(course or self.course)

	def test_unpublished_or_missing_course_is_not_found(self):
		draft = make_course(published=0)
		for user, course in (
			(self.learner, draft),
			("Administrator", draft),
			(self.learner, "nope"),
			("Guest", None),
		):
			with self.subTest(user=user, course=course):
				frappe.set_user(user)
				with self.assertRaises(frappe.PageDoesNotExistError):
					course_page(course)

	def test_learner_sees_lessons_in_order_and_only_their_own_progress(self):
		page = self.page_for(self.learner)
		self.assertEqual([lesson.title for lesson in page["lessons"]], ["Lesson 1", "Lesson 2", "Lesson 3"])
		self.assertEqual([lesson.completed for lesson in page["lessons"]], [True, False, False])
		self.assertEqual((page["progress"], page["completed_count"], page["resume"]), (33.3, 1, 2))
		self.assertEqual(page["assignment"]["status"], "In Progress")
		self.assertEqual(page["lessons"][1].content, "<p>Part 2</p>")
		self.assertFalse(page["can_enrol"])

	def test_guest_gets_the_outline_without_content_or_progress(self):
		page = self.page_for("Guest")
		self.assertEqual(len(page["lessons"]), 3)
		self.assertEqual({lesson.content for lesson in page["lessons"]}, {""})
		self.assertEqual(
			(page["enrollment"], page["assignment"], page["progress"], page["can_enrol"]),
			(None, None, 0, False),
		)

	def test_a_learner_not_enrolled_gets_no_lesson_content(self):
		page = self.page_for(make_user())
		self.assertEqual({lesson.content for lesson in page["lessons"]}, {""})
		self.assertEqual({lesson.completed for lesson in page["lessons"]}, {False})
		self.assertTrue(page["can_enrol"])
		closed = make_course(disable_self_learning=1)
		self.assertFalse(self.page_for(self.learner, closed)["can_enrol"])

	def test_html_is_sanitized_when_shown(self):
		lesson = course_lessons(self.course)[0].name
		# Written behind the form's back, so the page itself must not trust it.
		frappe.db.set_value(
			"LMS Course Lesson", lesson, "content", '<p onclick="steal()">Hi</p><script>x()</script>'
		)
		frappe.db.set_value("LMS Course", self.course, "description", "<b>Bold</b><script>y()</script>")
		page = self.page_for(self.learner)
		self.assertIn("<p>Hi</p>", page["lessons"][0].content)
		self.assertIn("<b>Bold</b>", page["course"].description)
		for html in (page["lessons"][0].content, page["course"].description):
			self.assertNotIn("<script", html)
			self.assertNotIn("onclick", html)

	def test_reads_are_set_wise(self):
		frappe.set_user(self.learner)
		with QueryCounter() as few:
			course_page(self.course)
		many = make_course(lessons=30)
		create_assignments([many], [self.learner], add_days(today(), 5))
		complete_lessons(self.learner, many, 10)
		frappe.set_user(self.learner)
		with QueryCounter() as more:
			course_page(many)
		self.assertEqual(few.count, more.count)


class TestCompliance(PortalTestCase):
	def setUp(self):
		self.course = make_course(lessons=2)
		self.users = [make_user() for _ in range(5)]
		create_assignments([self.course], self.users, add_days(today(), 4))
		complete_lessons(self.users[0], self.course, 2)
		complete_lessons(self.users[1], self.course, 2)
		complete_lessons(self.users[2], self.course, 1)
		make_overdue(self.users[3], self.course)

	def test_counts_of_one_course(self):
		self.assertEqual(
			compliance_counts(self.course),
			{
				"assigned": 5,
				"completed": 2,
				"overdue": 1,
				"in_progress": 1,
				"pending": 1,
				"completion_rate": 40.0,
			},
		)

	def test_totals_match_the_team_status_summary_and_the_per_course_rows(self):
		totals = compliance_counts()
		summary = summarise(team_rows())
		self.assertEqual(
			{
				key: totals[key]
				for key in ("completed", "overdue", "in_progress", "pending", "completion_rate")
			},
			{
				key: summary[key]
				for key in ("completed", "overdue", "in_progress", "pending", "completion_rate")
			},
		)
		self.assertEqual(totals["assigned"], summary["total"])
		per_course = {row["course"]: row for row in compliance_by_course()}
		self.assertEqual(sum(row["assigned"] for row in per_course.values()), totals["assigned"])
		mine = per_course[self.course]
		self.assertEqual(mine["course_title"], frappe.db.get_value("LMS Course", self.course, "title"))
		self.assertEqual(
			{k: v for k, v in mine.items() if k not in ("course", "course_title")},
			compliance_counts(self.course),
		)

	def test_one_query_whatever_the_number_of_assignments(self):
		with QueryCounter() as counter:
			compliance_counts()
		self.assertEqual(counter.count, 1)
		with QueryCounter() as counter:
			compliance_by_course()
		self.assertEqual(counter.count, 1)

	def test_empty_is_zero_not_none(self):
		self.assertEqual(
			compliance_counts("no-such-course"),
			{
				"assigned": 0,
				"completed": 0,
				"overdue": 0,
				"in_progress": 0,
				"pending": 0,
				"completion_rate": 0.0,
			},
		)

	def test_only_training_viewers(self):
		for role in ("HR Manager", "Moderator", "System Manager"):
			with self.subTest(role=role):
				frappe.set_user(make_user(role))
				self.assertEqual(get_compliance_counts(self.course)["assigned"], 5)
		for user in (make_user("LMS Student"), make_user("Course Creator"), "Guest"):
			with self.subTest(user=user):
				frappe.set_user(user)
				with self.assertRaisesRegex(frappe.PermissionError, "HR Manager"):
					get_compliance_counts()


class TestPageContexts(PortalTestCase):
	"""The www controllers: what each page refuses and the cache setting of user-specific pages."""

	def test_statistics_page_for_viewers_only(self):
		from smooth_lms.www.lms import statistics

		frappe.set_user(make_user("HR Manager"))
		context = statistics.get_context(frappe._dict())
		self.assertEqual(context.counts, compliance_counts())
		self.assertEqual(context.no_cache, 1)
		for user in (make_user("LMS Student"), "Guest"):
			with self.subTest(user=user):
				frappe.set_user(user)
				with self.assertRaises(frappe.PermissionError):
					statistics.get_context(frappe._dict())

	def test_user_pages_are_never_cached(self):
		from smooth_lms.www.lms import course, courses, statistics

		for module in (courses, course, statistics):
			self.assertEqual(module.no_cache, 1, module.__name__)

	def test_course_route(self):
		self.assertIn(
			{"from_route": "/lms/courses/<course>", "to_route": "lms/course"},
			frappe.get_hooks("website_route_rules"),
		)
