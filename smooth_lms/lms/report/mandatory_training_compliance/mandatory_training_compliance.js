// Mandatory Training Compliance: counts per course or department, completed vs overdue chart.

frappe.query_reports["Mandatory Training Compliance"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Course", label: __("Course") },
				{ value: "Department", label: __("Department") },
			],
			default: "Course",
			reqd: 1,
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
	],

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "overdue" && data && data.overdue > 0) {
			value = `<span class="text-danger bold">${value}</span>`;
		}
		return value;
	},
};
