// Training Assignment Status: one row per assignment as the compliance counts count it, its status coloured.
// In a block: Frappe runs a report's script in the page's global scope, once per report name.
{
	const ASSIGNMENT_STATUSES = ["Pending", "In Progress", "Overdue", "Completed"];
	const ASSIGNMENT_COLOURS = {
		Pending: "orange",
		"In Progress": "blue",
		Overdue: "red",
		Completed: "green",
	};

	frappe.query_reports["Training Assignment Status"] = {
		filters: [
			{
				fieldname: "status",
				label: __("Status"),
				fieldtype: "Select",
				options: [{ value: "", label: "" }].concat(
					ASSIGNMENT_STATUSES.map((status) => ({ value: status, label: __(status) }))
				),
			},
			{
				fieldname: "course",
				label: __("Course"),
				fieldtype: "Link",
				options: "LMS Course",
			},
			{
				fieldname: "department",
				label: __("Department"),
				fieldtype: "Data",
			},
			{
				fieldname: "include_leavers",
				label: __("Include Leavers"),
				fieldtype: "Check",
				default: 0,
			},
		],

		formatter(value, row, column, data, default_formatter) {
			if (value == null || value === "") {
				return default_formatter(value, row, column, data);
			}
			const text = frappe.utils.escape_html(String(value));
			if (column.fieldname === "status") {
				const colour = ASSIGNMENT_COLOURS[value] || "gray";
				return `<span class="indicator-pill no-indicator-dot ellipsis ${colour}" data-status="${text}">${__(
					text
				)}</span>`;
			}
			if (column.fieldtype === "Data") {
				// Names, titles and departments are text; Frappe's formatter would print them as HTML.
				return default_formatter(text, row, column, data);
			}
			if (column.fieldtype === "Link" && !frappe.model.can_read(column.options)) {
				return text; // printed as its value, not as a link the user could not open
			}
			return default_formatter(value, row, column, data);
		},
	};
}
