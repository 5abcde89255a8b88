// Compliance Matrix: employees × the mandatory courses they owe, each cell coloured by its state;
// "Proof Pack" downloads one employee's or one course's evidence (reporting/proof_pack.js).
// In a block: Frappe runs a report's script in the page's global scope, once per report name.
{% include "smooth_lms/lms/reporting/proof_pack.js" %}

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

		onload(report) {
			// The people of the rows shown (by their user) and the courses of the columns; the course filter's
			// pick first.
			smooth_lms.proof_pack.add_button(report, () => ({
				people: (report.data || []).map((row) => ({
					value: row.user_id,
					label: row.employee_name ? `${row.employee_name} (${row.user_id})` : row.user_id,
				})),
				courses: (report.columns || [])
					.filter((column) => column.course)
					.map((column) => ({ value: column.course, label: column.course_title })),
				course: report.get_filter_value("course"),
			}));
		},

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
