// Compliance Matrix: employees × the mandatory courses they owe, each cell coloured by its state.
// In a block: Frappe runs a report's script in the page's global scope, once per report name.
{
	const MATRIX_STATES = [
		"Compliant",
		"Expiring Soon",
		"Expired",
		"Pending",
		"In Progress",
		"Overdue",
		"Not Assigned",
	];
	const MATRIX_COLOURS = {
		Compliant: "green",
		"Expiring Soon": "orange",
		Expired: "red",
		Overdue: "red",
		"In Progress": "blue",
		Pending: "yellow",
		"Not Assigned": "gray",
	};

	frappe.query_reports["Compliance Matrix"] = {
		filters: [
			{ fieldname: "company", label: __("Company"), fieldtype: "Data" },
			{ fieldname: "department", label: __("Department"), fieldtype: "Data" },
			{
				fieldname: "manager",
				label: __("Manager"),
				fieldtype: "Link",
				options: "Employee",
				description: __("Their direct reports"),
			},
			{
				fieldname: "course",
				label: __("Course"),
				fieldtype: "Link",
				options: "LMS Course",
				get_query: () => ({ filters: { published: 1, is_mandatory: 1 } }),
			},
			{
				fieldname: "state",
				label: __("State"),
				fieldtype: "Select",
				options: [{ value: "", label: "" }].concat(
					MATRIX_STATES.map((state) => ({ value: state, label: __(state) }))
				),
			},
		],

		formatter(value, row, column, data, default_formatter) {
			const state = data && data.states && data.states[column.fieldname];
			if (state) {
				// A course's cell: its text (state and date) as text, coloured by the state, linked to the
				// assignment that decides it.
				const text = frappe.utils.escape_html(value == null ? "" : String(value));
				const pill = `<span class="indicator-pill no-indicator-dot ellipsis ${
					MATRIX_COLOURS[state] || "gray"
				}" data-state="${frappe.utils.escape_html(state)}">${text}</span>`;
				const assignment = data.assignments && data.assignments[column.fieldname];
				if (!assignment) return pill;
				const href = `/app/lms-training-assignment/${encodeURIComponent(assignment)}`;
				return `<a href="${frappe.utils.escape_html(href)}">${pill}</a>`;
			}
			if (value != null && value !== "") {
				// Names and departments are text; a Link the user may not open is printed as its value.
				if (column.fieldtype === "Data") {
					value = frappe.utils.escape_html(String(value));
				} else if (column.fieldtype === "Link" && !frappe.model.can_read(column.options)) {
					return frappe.utils.escape_html(String(value));
				}
			}
			return default_formatter(value, row, column, data);
		},

		after_datatable_render() {
			// The table's header printed each course column's `content` (its title, escaped by the server);
			// the report's print and its column pickers print the label: give them the escaped title too.
			for (const column of frappe.query_report.columns || []) {
				if (column.content) {
					column.label = column.name = column.content;
				}
			}
		},
	};
}
