// Training assignments: coloured by status, with a one-click Overdue filter.

const STATUS_COLOURS = {
	Overdue: "red",
	Completed: "green",
	"In Progress": "blue",
	Pending: "orange",
};

frappe.listview_settings["LMS Training Assignment"] = {
	add_fields: ["status", "due_date", "progress", "employee_name"],

	get_indicator(doc) {
		const colour = STATUS_COLOURS[doc.status];
		if (colour) {
			return [__(doc.status), colour, "status,=," + doc.status];
		}
	},

	formatters: {
		progress(value) {
			return `${flt(value, 1)}%`;
		},
		// Frappe's list prints a Data column's value as HTML: the learner's name is shown as text, in
		// the same filterable link the list gives other columns.
		employee_name(value) {
			const name = frappe.utils.escape_html(value || "");
			return `<span class="ellipsis" title="${__("Employee Name")}: ${name}">
				<a class="filterable ellipsis" data-filter="employee_name,=,${name}">${name}</a>
			</span>`;
		},
	},

	onload(listview) {
		listview.page.add_inner_button(__("Show Overdue"), () => show_status(listview, "Overdue"));
	},
};

function show_status(listview, status) {
	// Status is a standard filter: set it there, replacing any other status filter, so the
	// filter bar says what the list shows (and its empty choice shows every status again).
	const other = listview.filter_area.filter_list.get_filter("status");
	if (other) {
		other.remove();
	}
	listview.page.fields_dict.status.set_value(status);
}
