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
		{
			fieldname: "include_leavers",
			label: __("Include Leavers"),
			fieldtype: "Check",
			default: 0,
		},
	],

	formatter(value, row, column, data, default_formatter) {
		// Course titles and department names are text, but Frappe's formatter returns a Data value as
		// HTML for the table to print.
		if (column.fieldtype === "Data" && value != null) {
			value = frappe.utils.escape_html(String(value));
		}
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "overdue" && data && data.overdue > 0) {
			value = `<span class="text-danger bold">${value}</span>`;
		}
		return value;
	},

	after_datatable_render() {
		// The chart's tooltip prints the hovered bar's label (a course title or a department) as HTML,
		// and only a function can tell it otherwise: redraw the server's chart with one that escapes.
		const report = frappe.query_report;
		const options = report.chart_options;
		if (!options || (options.tooltipOptions && options.tooltipOptions.formatTooltipX)) return;
		options.tooltipOptions = {
			...options.tooltipOptions,
			formatTooltipX: (label) => frappe.utils.escape_html(label),
		};
		report.render_chart(options);
	},
};
