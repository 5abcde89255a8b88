// LMS Course: "Assign Training" for Moderators and System Managers on a published course.
// The dialog calls the one assignment API, smooth_lms.lms.hrms_integration.assign_mandatory_training.

const ASSIGNERS = ["Moderator", "System Manager"];
const DEFAULT_DUE_IN_DAYS = 30;

frappe.ui.form.on("LMS Course", {
	refresh(frm) {
		// What the database holds: the server assigns only courses saved as published.
		frm.__saved_published = !frm.is_new() && Boolean(frm.doc.published);
		toggle_assign_button(frm);
	},

	published(frm) {
		toggle_assign_button(frm);
	},
});

function toggle_assign_button(frm) {
	frm.remove_custom_button(__("Assign Training"));
	const can_assign = frappe.user.has_role(ASSIGNERS);
	if (can_assign && frm.__saved_published && frm.doc.published) {
		frm.add_custom_button(__("Assign Training"), () => assign_training_dialog(frm));
	}
}

function assign_training_dialog(frm) {
	const today = frappe.datetime.get_today();
	const known_users = new Map(); // user ID -> suggestion, so that every pill keeps its name
	let dialog = null; // the picker asks for suggestions while the dialog is being built
	dialog = new frappe.ui.Dialog({
		// Frappe prints a dialog's title (and __()'s arguments) as HTML: the course title goes in as text.
		title: __("Assign Training: {0}", [frappe.utils.escape_html(frm.doc.title)]),
		fields: [
			{
				fieldname: "employees",
				fieldtype: "MultiSelectPills",
				label: __("Employees"),
				description: __("Enabled users to assign this course to."),
				reqd: 1,
				get_data: (txt) => search_users(txt, () => dialog, known_users),
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
			if (!values.employees || !values.employees.length) {
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
			assign(frm, dialog, values);
		},
	});
	dialog.show();
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
				message: __("{0} assignment(s) created", [created]),
				indicator: created ? "green" : "orange",
			});
		},
		always() {
			// By now the server's summary (how many were created, who was skipped and why) is on
			// screen in frappe.msg_dialog: give it a way to the rows.
			if (created !== null && frappe.msg_dialog && frappe.msg_dialog.is_visible) {
				frappe.msg_dialog.set_primary_action(__("View Assignments"), () => {
					frappe.msg_dialog.hide();
					frappe.set_route("List", "LMS Training Assignment", { course: frm.doc.name });
				});
			}
		},
	});
}
