// LMS Course: "Assign Training" on a published course, and "Publish New Version" on a saved one, for
// whoever may create training assignments.
// The dialog assigns the course to picked users (smooth_lms.lms.hrms_integration.assign_mandatory_training)
// or to every active employee with a user of a department, designation or branch
// (smooth_lms.lms.assignments.groups.assign_training_to_group). A large group is assigned by a background job: a
// progress bar follows it, moved by Frappe's realtime "progress" events where a socketio server runs and
// by asking the server every second, until the summary.

const ASSIGNMENT = "LMS Training Assignment";
const DEFAULT_DUE_IN_DAYS = 30;
const PICKED_USERS = "users";
const GROUP_FIELDS = ["department", "designation", "branch"]; // smooth_lms.lms.assignments.groups.GROUP_FIELDS
const POLL_EVERY_MS = 1000;

frappe.ui.form.on("LMS Course", {
	refresh(frm) {
		// What the database holds: the server assigns only courses saved as published.
		frm.__saved_published = !frm.is_new() && Boolean(frm.doc.published);
		toggle_assign_button(frm);
		if (!frm.is_new() && frappe.model.can_create(ASSIGNMENT)) {
			frm.add_custom_button(__("Publish New Version"), () => publish_version_dialog(frm));
		}
	},

	published(frm) {
		toggle_assign_button(frm);
	},
});

function toggle_assign_button(frm) {
	frm.remove_custom_button(__("Assign Training"));
	// Who may assign is who may create assignments: the DocType's permissions, from Frappe's boot.
	const can_assign = frappe.model.can_create(ASSIGNMENT);
	if (can_assign && frm.__saved_published && frm.doc.published) {
		frm.add_custom_button(__("Assign Training"), () => assign_training_dialog(frm));
	}
}

function group_label(field) {
	const labels = {
		department: __("Department"),
		designation: __("Designation"),
		branch: __("Branch"),
	};
	return labels[field];
}

function assign_training_dialog(frm) {
	const today = frappe.datetime.get_today();
	const known_users = new Map(); // user ID -> suggestion, so that every pill keeps its name
	const for_users = `eval:doc.assign_to === "${PICKED_USERS}"`;
	const for_group = `eval:doc.assign_to !== "${PICKED_USERS}"`;
	let dialog = null; // the pickers ask for suggestions while the dialog is being built
	dialog = new frappe.ui.Dialog({
		// Frappe prints a dialog's title (and __()'s arguments) as HTML: the course title goes in as text.
		title: __("Assign Training: {0}", [frappe.utils.escape_html(frm.doc.title)]),
		fields: [
			{
				fieldname: "assign_to",
				fieldtype: "Select",
				label: __("Assign To"),
				options: [
					{ value: PICKED_USERS, label: __("Picked Users") },
					...GROUP_FIELDS.map((field) => ({ value: field, label: group_label(field) })),
				],
				default: PICKED_USERS,
				reqd: 1,
				change: () => dialog && show_group_picker(dialog),
			},
			{
				fieldname: "employees",
				fieldtype: "MultiSelectPills",
				label: __("Employees"),
				description: __("Enabled users to assign this course to."),
				depends_on: for_users,
				mandatory_depends_on: for_users,
				get_data: (txt) => search_users(txt, () => dialog, known_users),
			},
			{
				fieldname: "group_value",
				fieldtype: "Autocomplete",
				label: group_label(GROUP_FIELDS[0]),
				description: __("Every active employee with a user in it."),
				depends_on: for_group,
				mandatory_depends_on: for_group,
				get_query: () => ({
					query: "smooth_lms.lms.assignments.groups.get_group_values",
					params: { field: dialog.get_value("assign_to") },
				}),
				on_make: print_as_text,
			},
			{
				fieldname: "due_date",
				fieldtype: "Date",
				label: __("Due Date"),
				reqd: 1,
				default: frappe.datetime.add_days(today, DEFAULT_DUE_IN_DAYS),
				min_date: frappe.datetime.str_to_obj(today),
			},
		],
		primary_action_label: __("Assign"),
		primary_action(values) {
			const to_users = values.assign_to === PICKED_USERS;
			if (to_users && (!values.employees || !values.employees.length)) {
				frappe.msgprint(__("Pick at least one employee to assign."), __("No Employees"));
				return;
			}
			if (values.due_date < frappe.datetime.get_today()) {
				frappe.msgprint(
					__("Due Date {0} is in the past: pick today or a later date.", [
						frappe.utils.escape_html(frappe.datetime.str_to_user(values.due_date)),
					]),
					__("Invalid Due Date")
				);
				return;
			}
			if (to_users) {
				assign(frm, dialog, values);
			} else {
				assign_group(frm, dialog, { field: values.assign_to, value: values.group_value }, values);
			}
		},
	});
	// Shown, the dialog focuses the picker of the chosen way (Frappe would focus "Assign To").
	dialog.focus_on_first_input = () => {
		const picker = dialog.get_value("assign_to") === PICKED_USERS ? "employees" : "group_value";
		dialog.get_field(picker).set_focus();
	};
	dialog.show();
}

function show_group_picker(dialog) {
	const field = dialog.get_value("assign_to");
	if (GROUP_FIELDS.includes(field)) {
		dialog.set_df_property("group_value", "label", group_label(field));
		dialog.set_value("group_value", "");
	}
}

// Frappe's Autocomplete prints its suggestions, and the copy of its value it keeps for read-only display,
// as HTML (it escapes only a Data field's): department, designation and branch names go in as text.
function print_as_text(control) {
	control.awesomplete.item = suggestion_item;
	control.set_disp_area = (value) => {
		if (control.disp_area) {
			control.disp_area.textContent = control.value || value || "";
		}
	};
}

function suggestion_item(item) {
	const li = document.createElement("li");
	const link = document.createElement("a");
	const text = document.createElement("p");
	const name = document.createElement("strong");
	name.textContent = item.value;
	text.append(name);
	link.append(text);
	li.append(link);
	li.setAttribute("aria-selected", "false");
	return li;
}

function search_users(txt, get_dialog, known_users) {
	// Frappe's user search (user_query) lists enabled users only, without Guest and Administrator;
	// learners who hold only LMS Student are Website Users: include them.
	return frappe.db.get_link_options("User", txt, { ignore_user_type: 1 }).then((users) => {
		const found = (users || []).map((user) => {
			// Frappe's suggestion list and pills print label and description as HTML.
			const item = {
				value: user.value,
				label: as_html_text(user.description || user.value),
				description: as_html_text(user.value),
			};
			known_users.set(user.value, item);
			return item;
		});
		// The pills are labelled from the latest suggestions: keep the picked users among them.
		const dialog = get_dialog();
		const picked = ((dialog && dialog.get_value("employees")) || [])
			.filter((user) => known_users.has(user) && !found.some((item) => item.value === user))
			.map((user) => known_users.get(user));
		return found.concat(picked);
	});
}

// Text as HTML element content: only &, < and > are escaped, so that the picker's own matching of what
// is typed against the label still finds names such as O'Brien.
function as_html_text(text) {
	const node = document.createElement("span");
	node.textContent = text;
	return node.innerHTML;
}

function assign(frm, dialog, values) {
	let created = null;
	frappe.call({
		method: "smooth_lms.lms.hrms_integration.assign_mandatory_training",
		type: "POST",
		args: {
			course: frm.doc.name,
			employees: values.employees,
			due_date: values.due_date,
		},
		freeze: true,
		freeze_message: __("Assigning training..."),
		callback(r) {
			// A refusal (e.g. a due date in the past) keeps the dialog open for a correction.
			created = cint(r.message);
			dialog.hide();
			frappe.show_alert({
				message:
					created === 1
						? __("{0} assignment created", [created])
						: __("{0} assignments created", [created]),
				indicator: created ? "green" : "orange",
			});
		},
		always() {
			// By now the server's summary (how many were created, who was skipped and why) is on
			// screen in frappe.msg_dialog: give it a way to the rows.
			if (created !== null && frappe.msg_dialog && frappe.msg_dialog.is_visible) {
				frappe.msg_dialog.set_primary_action(__("View Assignments"), () => {
					frappe.msg_dialog.hide();
					view_assignments(frm);
				});
			}
		},
	});
}

function view_assignments(frm) {
	frappe.set_route("List", "LMS Training Assignment", { course: frm.doc.name });
}

// --- A department, designation or branch ---------------------------------------------------------

function assign_group(frm, dialog, group, values) {
	frappe.call({
		method: "smooth_lms.lms.assignments.groups.assign_training_to_group",
		type: "POST",
		args: { course: frm.doc.name, due_date: values.due_date, [group.field]: group.value },
		freeze: true,
		freeze_message: __("Assigning training..."),
		callback(r) {
			// Only an answer gets here: a refusal keeps the dialog open with the server's message.
			dialog.hide();
			if (r.message.queued) {
				follow_group_assignment(frm, group, r.message);
			} else {
				show_group_summary(frm, group, r.message);
			}
		},
	});
}

// A queued group assignment: a progress bar until the job's summary. Frappe's own handler of the
// realtime "progress" events the job publishes moves a progress bar of the same title; this one is that
// bar when there is no socketio server, or when it says nothing.
function follow_group_assignment(frm, group, answer) {
	const title = __("Assigning training"); // the job's own title (assignments.creation.assign_in_chunks)
	const total = cint(answer.total);
	let done = 0;
	let finished = false;
	let quiet = false; // the person closed the progress bar: the summary will still come
	let waiting = null;
	let asking = false;

	const show = () => {
		if (finished || quiet) {
			return;
		}
		const progress = frappe.show_progress(title, done, total, __("{0} of {1}", [done, total]));
		if (!progress.__smooth_lms_job) {
			progress.__smooth_lms_job = answer.job;
			progress.onhide = () => {
				if (finished) {
					return;
				}
				quiet = true;
				if (done < total) {
					frappe.show_alert({
						message: __(
							"Training is still being assigned: the summary will show when it is done."
						),
						indicator: "blue",
					});
				}
			};
		}
	};
	const ask = () => {
		clearTimeout(waiting);
		if (finished || asking) {
			return;
		}
		asking = true;
		frappe.call({
			method: "smooth_lms.lms.assignments.groups.get_group_assignment",
			type: "GET",
			args: { job: answer.job },
			callback(r) {
				asking = false;
				const status = r.message;
				if (status.finished) {
					finish(status);
					return;
				}
				done = Math.max(done, cint(status.done));
				show();
				waiting = setTimeout(ask, POLL_EVERY_MS);
			},
			error() {
				// The server's word (e.g. the job is no longer known) is on screen: stop asking.
				asking = false;
				stop();
				frappe.show_alert({
					message: __("The progress of this assignment is no longer known: see the assignments."),
					indicator: "orange",
				});
			},
		});
	};
	const on_progress = (data) => {
		if (finished || !data || data.title !== title) {
			return;
		}
		done = Math.max(done, Math.round((flt(data.percent) * total) / 100));
		show();
		if (done >= total) {
			ask(); // the last chunk is done: the summary is there, or about to be
		}
	};
	const stop = () => {
		finished = true;
		clearTimeout(waiting);
		frappe.realtime.off("progress", on_progress);
		if (frappe.cur_progress && frappe.cur_progress.__smooth_lms_job === answer.job) {
			frappe.hide_progress();
		}
	};
	const finish = (status) => {
		stop();
		show_group_summary(frm, group, status);
	};

	frappe.realtime.on("progress", on_progress);
	show();
	waiting = setTimeout(ask, POLL_EVERY_MS);
}

function show_group_summary(frm, group, summary) {
	const who = `<strong>${frappe.utils.escape_html(group.value)}</strong>`;
	const total = cint(summary.total);
	const created = cint(summary.created);
	const lines = [];
	if (!total) {
		lines.push(
			__("Nobody to assign: {0} {1} has no active employee with a user.", [
				group_label(group.field),
				who,
			])
		);
	} else {
		lines.push(
			total === 1
				? __("{0} {1}: {2} employee.", [group_label(group.field), who, total])
				: __("{0} {1}: {2} employees.", [group_label(group.field), who, total])
		);
		lines.push(
			created === 1
				? __("{0} assignment created.", [created])
				: __("{0} assignments created.", [created])
		);
	}
	// Skipped and why; the last three happen to people who change while a large group is assigned.
	const skipped = {
		already_open: (count) => __("{0} skipped: an open assignment already exists.", [count]),
		unknown_users: (count) => __("{0} skipped: the user no longer exists.", [count]),
		disabled_users: (count) => __("{0} skipped: the user has been disabled.", [count]),
		left_users: (count) => __("{0} skipped: the employee has left.", [count]),
	};
	for (const [key, reason] of Object.entries(skipped)) {
		if (cint(summary[key])) {
			lines.push(reason(cint(summary[key])));
		}
	}
	frappe.msgprint({
		title: __("Training Assigned"),
		message: lines.join("<br>"),
		indicator: created ? "green" : "orange",
		primary_action: {
			label: __("View Assignments"),
			action() {
				frappe.hide_msgprint();
				view_assignments(frm);
			},
		},
	});
	frappe.show_alert({
		message:
			created === 1
				? __("{0} assignment created", [created])
				: __("{0} assignments created", [created]),
		indicator: created ? "green" : "orange",
	});
}

// "Publish New Version" (smooth_lms.lms.versions): the new version and, when asked, renewals for the learners
// whose latest completion is of an older version. The dialog says how many first (preview_new_version);
// a large retraining runs in a background job whose progress bar Frappe shows from its realtime events.
function publish_version_dialog(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Publish New Version"),
		fields: [
			{
				fieldname: "current",
				fieldtype: "HTML",
			},
			{
				fieldname: "version",
				fieldtype: "Data",
				label: __("New Version"),
				reqd: 1,
			},
			{
				fieldname: "retrain",
				fieldtype: "Check",
				label: __("Ask holders of an older version to retrain"),
			},
			{
				fieldname: "due_date",
				fieldtype: "Date",
				label: __("Retraining Due Date"),
				depends_on: "eval:doc.retrain",
				default: frappe.datetime.add_days(
					frappe.datetime.get_today(),
					cint(frm.doc.renewal_window_days) || DEFAULT_DUE_IN_DAYS
				),
			},
		],
		primary_action_label: __("Publish"),
		primary_action(values) {
			frappe
				.call({
					method: "smooth_lms.lms.versions.publish_new_version",
					args: {
						course: frm.doc.name,
						version: values.version,
						retrain: values.retrain ? 1 : 0,
						due_date: values.retrain ? values.due_date : null,
					},
					freeze: true,
				})
				.then((r) => {
					dialog.hide();
					frappe.show_alert({
						message: values.retrain
							? __("Version {0} published: {1} learners asked to retrain.", [
									frappe.utils.escape_html(values.version),
									r.message,
							  ])
							: __("Version {0} published.", [frappe.utils.escape_html(values.version)]),
						indicator: "green",
					});
					frm.reload_doc();
				});
		},
	});
	const current = dialog.get_field("current").$wrapper;
	current.text(__("Current version: {0}", [frm.doc.version || "1"]));
	frappe
		.call({ method: "smooth_lms.lms.versions.preview_new_version", args: { course: frm.doc.name }, type: "GET" })
		.then((r) => {
			current.text(
				__("Current version: {0}. Retraining would now reach {1} learners.", [
					frm.doc.version || "1",
					r.message.to_retrain,
				])
			);
		});
	dialog.show();
}
