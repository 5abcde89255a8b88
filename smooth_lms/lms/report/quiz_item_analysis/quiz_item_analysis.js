// Quiz Item Analysis: per question of a quiz, how often it was shown, the share answered right and the
// wrong option chosen most, with a bar chart of the share right (labels Q1, Q2… as the first column).
// In a block: Frappe runs a report's script in the page's global scope, once per report name.
{
	frappe.query_reports["Quiz Item Analysis"] = {
		filters: [
			{
				fieldname: "quiz",
				label: __("Quiz"),
				fieldtype: "Link",
				options: "LMS Quiz",
				// Not `reqd`: Frappe's report page throws "Filter missing" on its first refresh when a required
				// filter is empty. Without a quiz the server answers an empty table saying to pick one.
				get_query() {
					const course = frappe.query_report.get_filter_value("course");
					return course ? { filters: { course } } : {};
				},
			},
			{
				fieldname: "course",
				label: __("Course"),
				fieldtype: "Link",
				options: "LMS Course",
			},
			{
				fieldname: "from_date",
				label: __("Submitted From"),
				fieldtype: "Date",
			},
			{
				fieldname: "to_date",
				label: __("Submitted To"),
				fieldtype: "Date",
			},
		],

		formatter(value, row, column, data, default_formatter) {
			if (value == null || value === "") {
				return default_formatter(value, row, column, data);
			}
			if (column.fieldtype === "Data") {
				// Question and option texts are the author's text; Frappe's formatter would print them as HTML.
				return default_formatter(frappe.utils.escape_html(String(value)), row, column, data);
			}
			return default_formatter(value, row, column, data);
		},
	};
}
