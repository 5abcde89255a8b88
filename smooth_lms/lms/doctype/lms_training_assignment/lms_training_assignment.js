// Training assignment form: only enabled users and published courses can be picked, due today or later.
// HR's actions on a saved assignment:
// - whoever may write assignments (the DocType's permissions: HR Manager, Moderator, System Manager), on
//   an unfinished one: "Record Completion" (a completion done outside
//   the LMS, with its date, source and evidence: smooth_lms.lms.assignments.hr_records.record_external_completion) and
//   "Extend Due Date" (a later date and the reason: smooth_lms.lms.assignments.hr_records.extend_due_date);
// - whoever may print assignments (HR Manager, Moderator, System Manager), on a completed one:
//   "Certificate", the PDF (smooth_lms.lms.certificates.download_certificate);
// - whoever may write assignments, on an unfinished one: "Grant Quiz Attempts" (a quiz of the course, how
//   many more attempts, the reason: smooth_lms.lms.quiz.grant_attempts, kept in Attempt Grants). The quiz is
//   picked among the course's quiz lessons, by the lesson's title: the name the learner knows it by (and
//   only the course's quizzes are offered).
// When the learner has used every attempt at a quiz without a pass (attempts_exhausted), the form says so
// in its headline, and the list colours the row "Attempts Exhausted".

const EXTERNAL_SOURCES = ["Classroom Session", "External Provider", "Other"]; // hr_records.EXTERNAL_SOURCES
const CERTIFICATE_METHOD = "/api/method/smooth_lms.lms.certificates.download_certificate";
const MAX_GRANT = 100; // quiz.attempts.MAX_GRANT

frappe.ui.form.on("LMS Training Assignment", {
	setup(frm) {
		frm.set_query("employee", () => ({ filters: { enabled: 1 } }));
		frm.set_query("course", () => ({ filters: { published: 1 } }));
	},

	onload_post_render(frm) {
		const datepicker = frm.fields_dict.due_date.datepicker;
		if (datepicker) {
			datepicker.update({ minDate: frappe.datetime.str_to_obj(frappe.datetime.get_today()) });
		}
	},

	refresh(frm) {
		if (frm.doc.enrollment) {
			frm.add_custom_button(__("Enrollment"), () =>
				frappe.set_route("Form", "LMS Enrollment", frm.doc.enrollment)
			);
		}
		if (!frm.is_new() && current_status(frm) === "Overdue") {
			frm.dashboard.set_headline(
				// The headline is HTML, and so is what __() puts into it.
				__("This training is overdue: it was due on {0}.", [
					frappe.utils.escape_html(frappe.datetime.str_to_user(frm.doc.due_date)),
				]),
				"red"
			);
		}
		if (!frm.is_new() && frm.doc.attempts_exhausted && frm.doc.status !== "Completed") {
			frm.dashboard.set_headline(
				frappe.model.can_write(frm.doctype)
					? __("Quiz attempts exhausted: the learner used every attempt without a pass. Grant more attempts to let them try again.")
					: __("Quiz attempts exhausted: the learner used every attempt without a pass. HR may grant more."),
				"red"
			);
		}
		if (frm.is_new()) return;
		if (frm.doc.status === "Completed" && frm.doc.valid_until) {
			// The header says Completed / Expiring Soon / Expired (the list settings' get_indicator),
			// which needs the course's renewal window: read it, then colour the header again.
			const list_settings = frappe.listview_settings[frm.doctype];
			if (list_settings && list_settings.load_course_validity) {
				list_settings.load_course_validity().then(() => frm.toolbar.set_indicator());
			}
		}
		if (frm.doc.status === "Completed") {
			if (frappe.model.can_print(frm.doctype, frm)) {
				frm.add_custom_button(__("Certificate"), () => download_certificate(frm));
			}
		} else if (frappe.model.can_write(frm.doctype)) {
			frm.add_custom_button(__("Record Completion"), () => record_completion_dialog(frm));
			frm.add_custom_button(__("Extend Due Date"), () => extend_due_date_dialog(frm));
			frm.add_custom_button(__("Grant Quiz Attempts"), () => grant_attempts_dialog(frm));
		}
	},
});

function current_status(frm) {
	// The status every reader shows (the list settings' current_status): past its due date an unfinished
	// assignment is Overdue, whether or not the daily job has stored it yet.
	const list_settings = frappe.listview_settings[frm.doctype];
	return list_settings && list_settings.current_status
		? list_settings.current_status(frm.doc)
		: frm.doc.status;
}

function download_certificate(frm) {
	window.open(`${CERTIFICATE_METHOD}?assignment=${encodeURIComponent(frm.doc.name)}`);
}

function record_completion_dialog(frm) {
	const today = frappe.datetime.get_today();
	const dialog = new frappe.ui.Dialog({
		// Frappe prints a dialog's title (and __()'s arguments) as HTML: the names go in as text.
		title: __("Record Completion: {0}", [frappe.utils.escape_html(learner_and_course(frm))]),
		fields: [
			{
				fieldname: "completed_on",
				fieldtype: "Date",
				label: __("Completed On"),
				reqd: 1,
				default: today,
				max_date: frappe.datetime.str_to_obj(today),
			},
			{
				fieldname: "source",
				fieldtype: "Select",
				label: __("Completed Through"),
				options: EXTERNAL_SOURCES.map((source) => ({ value: source, label: __(source) })),
				default: EXTERNAL_SOURCES[0],
				reqd: 1,
			},
			{
				fieldname: "evidence",
				fieldtype: "Attach",
				label: __("Evidence"),
				description: __("The attendance sheet or the provider's certificate."),
				reqd: 1,
			},
			{
				fieldname: "note",
				fieldtype: "Small Text",
				label: __("Note"),
			},
		],
		primary_action_label: __("Record"),
		primary_action(values) {
			if (values.completed_on > frappe.datetime.get_today()) {
				frappe.msgprint(__("Completed On cannot be in the future."), __("Invalid Date"));
				return;
			}
			frappe
				.call({
					method: "smooth_lms.lms.assignments.hr_records.record_external_completion",
					args: {
						assignment: frm.doc.name,
						completed_on: values.completed_on,
						source: values.source,
						evidence: values.evidence, // the uploaded File's URL
						note: values.note,
					},
					freeze: true,
					freeze_message: __("Recording the completion..."),
				})
				.then(() => {
					dialog.hide();
					frappe.show_alert({ message: __("Completion recorded."), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}

function extend_due_date_dialog(frm) {
	// The new date must be after the current one, and not in the past: two weeks more by default.
	const today = frappe.datetime.get_today();
	const current = frm.doc.due_date;
	const after_current = frappe.datetime.add_days(current, 1);
	const earliest = after_current > today ? after_current : today;
	const dialog = new frappe.ui.Dialog({
		title: __("Extend Due Date: {0}", [frappe.utils.escape_html(learner_and_course(frm))]),
		fields: [
			{
				fieldname: "current_due_date",
				fieldtype: "Date",
				label: __("Current Due Date"),
				default: current,
				read_only: 1,
			},
			{
				fieldname: "due_date",
				fieldtype: "Date",
				label: __("New Due Date"),
				reqd: 1,
				default: frappe.datetime.add_days(current > today ? current : today, 14),
				min_date: frappe.datetime.str_to_obj(earliest),
			},
			{
				fieldname: "reason",
				fieldtype: "Small Text",
				label: __("Reason"),
				description: __("Kept on the assignment with every other extension."),
				reqd: 1,
			},
		],
		primary_action_label: __("Extend"),
		primary_action(values) {
			if (values.due_date <= current) {
				frappe.msgprint(
					__("The new due date must be after the current one ({0}).", [
						frappe.utils.escape_html(frappe.datetime.str_to_user(current)),
					]),
					__("Invalid Due Date")
				);
				return;
			}
			frappe
				.call({
					method: "smooth_lms.lms.assignments.hr_records.extend_due_date",
					args: { assignment: frm.doc.name, due_date: values.due_date, reason: values.reason },
					freeze: true,
				})
				.then(() => {
					dialog.hide();
					frappe.show_alert({ message: __("Due date extended."), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}

function grant_attempts_dialog(frm) {
	// The course's quizzes, by their lessons' titles (the course and its lessons are readable by all).
	frappe.db.get_doc("LMS Course", frm.doc.course).then((course) => {
		const quizzes = (course.lessons || []).filter((lesson) => lesson.quiz);
		if (!quizzes.length) {
			frappe.msgprint(__("This course has no quiz."), __("No Quiz"));
			return;
		}
		const dialog = new frappe.ui.Dialog({
			title: __("Grant Quiz Attempts: {0}", [frappe.utils.escape_html(learner_and_course(frm))]),
			fields: [
				{
					fieldname: "quiz",
					fieldtype: "Select",
					label: __("Quiz"),
					// A Select prints its labels as HTML: the lesson's title goes in as text.
					options: quizzes.map((lesson) => ({
						value: lesson.quiz,
						label: frappe.utils.escape_html(lesson.title || lesson.quiz),
					})),
					default: quizzes[0].quiz,
					reqd: 1,
				},
				{
					fieldname: "extra_attempts",
					fieldtype: "Int",
					label: __("Extra Attempts"),
					default: 1,
					reqd: 1,
				},
				{
					fieldname: "reason",
					fieldtype: "Small Text",
					label: __("Reason"),
					description: __("Kept on the assignment with every other grant."),
					reqd: 1,
				},
			],
			primary_action_label: __("Grant"),
			primary_action(values) {
				const extra = cint(values.extra_attempts);
				if (extra < 1 || extra > MAX_GRANT) {
					frappe.msgprint(
						__("Extra attempts must be between 1 and {0}.", [MAX_GRANT]),
						__("Invalid Extra Attempts")
					);
					return;
				}
				frappe
					.call({
						method: "smooth_lms.lms.quiz.grant_attempts",
						args: {
							assignment: frm.doc.name,
							quiz: values.quiz,
							extra_attempts: extra,
							reason: values.reason,
						},
						freeze: true,
					})
					.then((r) => {
						dialog.hide();
						const left = r.message && r.message.attempts_left;
						frappe.show_alert({
							message: __("Attempts granted: {0} left.", [cint(left)]),
							indicator: "green",
						});
						frm.reload_doc();
					});
			},
		});
		dialog.show();
	});
}

function learner_and_course(frm) {
	return `${frm.doc.employee_name || frm.doc.employee} · ${frm.doc.course_title || frm.doc.course}`;
}
