// Training History: every completion on record, with its course version, its validity today, how it was
// completed and its proof (quiz attempts, acknowledgements, SCORM attempts);
// "Proof Pack" downloads one employee's or one course's evidence (reporting/proof_pack.js).
// In a block: Frappe runs a report's script in the page's global scope, once per report name.
{% include "smooth_lms/lms/reporting/proof_pack.js" %}

{
	const HISTORY_COLOURS = {
		Compliant: "green",
		"Expiring Soon": "orange",
		Expired: "red",
		Renewed: "gray",
	};

	// Each quiz attempt, acknowledgement or SCORM attempt (the server's `label`, as text) linked to its
	// record, whose print is the auditor's PDF; quiz attempts grouped under their quiz's title, as the
	// exported text is.
	// A user who cannot read the records sees the text.
	function proof_links(records, doctype, text, group_field) {
		if (!records.length || !frappe.model.can_read(doctype)) return text;
		const slug = frappe.router.slug(doctype);
		const groups = [];
		for (const record of records) {
			const href = `/app/${slug}/${encodeURIComponent(record.name)}`;
			const link = `<a href="${href}">${frappe.utils.escape_html(record.label)}</a>`;
			const group = group_field ? record[group_field] || record.quiz : null;
			const last = groups[groups.length - 1];
			if (last && group_field && last.group === group) {
				last.links.push(link);
			} else {
				groups.push({ group, links: [link] });
			}
		}
		return groups
			.map(({ group, links }) =>
				group_field ? `${frappe.utils.escape_html(group)}: ${links.join(", ")}` : links.join(", ")
			)
			.join("; ");
	}

	frappe.query_reports["Training History"] = {
		filters: [
			{
				fieldname: "employee",
				label: __("Employee"),
				fieldtype: "Link",
				options: "User",
			},
			{
				fieldname: "course",
				label: __("Course"),
				fieldtype: "Link",
				options: "LMS Course",
			},
			{
				fieldname: "from_date",
				label: __("Completed From"),
				fieldtype: "Date",
			},
			{
				fieldname: "to_date",
				label: __("Completed To"),
				fieldtype: "Date",
			},
			{
				fieldname: "source",
				label: __("Completed Through"),
				fieldtype: "Select",
				options: [
					{ value: "", label: "" },
					{ value: "LMS", label: __("LMS") },
					{ value: "Classroom Session", label: __("Classroom Session") },
					{ value: "External Provider", label: __("External Provider") },
					{ value: "Other", label: __("Other") },
				],
			},
		],

		onload(report) {
			// The people and courses of the rows shown; the filters' picks first.
			smooth_lms.proof_pack.add_button(report, () => ({
				people: (report.data || []).map((row) => ({
					value: row.employee,
					label: row.employee_name ? `${row.employee_name} (${row.employee})` : row.employee,
				})),
				courses: (report.data || []).map((row) => ({
					value: row.course,
					label: row.course_title || row.course,
				})),
				employee: report.get_filter_value("employee"),
				course: report.get_filter_value("course"),
			}));
		},

		formatter(value, row, column, data, default_formatter) {
			if (value == null || value === "") {
				return default_formatter(value, row, column, data);
			}
			const text = frappe.utils.escape_html(String(value));
			if (column.fieldname === "quiz_attempts" && data && data.quiz_submissions) {
				return proof_links(data.quiz_submissions, "LMS Quiz Submission", text, "quiz_title");
			}
			if (column.fieldname === "acknowledged" && data && data.acknowledgement_records) {
				return proof_links(data.acknowledgement_records, "LMS Acknowledgement", text);
			}
			if (column.fieldname === "scorm_attempts" && data && data.scorm_records) {
				return proof_links(data.scorm_records, "LMS SCORM Attempt", text);
			}
			if (column.fieldname === "validity") {
				const colour = HISTORY_COLOURS[value] || "gray";
				return `<span class="indicator-pill no-indicator-dot ellipsis ${colour}">${__(text)}</span>`;
			}
			if (column.fieldname === "completion_evidence") {
				// An uploaded file of the site (the server accepts nothing else): linked by its URL, named
				// by its file name.
				if (!/^\/(private\/)?files\//.test(value)) return text;
				const file_name = frappe.utils.escape_html(String(value).split("/").pop());
				const href = frappe.utils.escape_html(encodeURI(value));
				return `<a href="${href}" target="_blank" rel="noopener">${file_name}</a>`;
			}
			if (column.fieldtype === "Data") {
				// Names, titles and notes are text; Frappe's formatter would print them as HTML.
				return default_formatter(text, row, column, data);
			}
			if (column.fieldtype === "Link" && !frappe.model.can_read(column.options)) {
				return text; // printed as its value, not as a link the user could not open
			}
			return default_formatter(value, row, column, data);
		},
	};
}
