// LMS SCORM Attempt on the desk (list and report views): each attempt's state as a coloured status, in
// the words Training History and the proof pack use (smooth_lms/lms/scorm/history.py `status`, from the
// completion and success status, either SCORM version): Passed and Completed (they finished the lesson),
// Failed, Incomplete, Not Attempted. Each filters the list on what it means when clicked.
// Every row gets one: Frappe's report view misaligns its columns when only some rows have a status.
// Time Spent (kept in seconds) reads h:mm:ss, as in Training History: the list's column through
// `formatters`, the report view and the form through the field's own formatter.
{
	const time_spent = (value) => {
		const seconds = Math.max(Math.round(Number(value) || 0), 0);
		const pad = (number) => String(number).padStart(2, "0");
		const minutes = Math.floor((seconds % 3600) / 60);
		return `${Math.floor(seconds / 3600)}:${pad(minutes)}:${pad(seconds % 60)}`;
	};

	frappe.listview_settings["LMS SCORM Attempt"] = {
		add_fields: ["completion_status", "success_status", "total_time"],
		onload() {
			const field = frappe.meta.get_docfield("LMS SCORM Attempt", "total_time");
			if (field) field.formatter = time_spent;
		},
		get_indicator(doc) {
			if (doc.success_status === "failed") {
				return [__("Failed"), "red", "success_status,=,failed"];
			}
			if (doc.completion_status === "completed") {
				return doc.success_status === "passed"
					? [__("Passed"), "green", "completion_status,=,completed|success_status,=,passed"]
					: [__("Completed"), "green", "completion_status,=,completed|success_status,=,unknown"];
			}
			if (doc.completion_status === "incomplete") {
				return [
					__("Incomplete"),
					"orange",
					"completion_status,=,incomplete|success_status,!=,failed",
				];
			}
			return [
				__("Not Attempted"),
				"gray",
				"completion_status,not in,completed,incomplete|success_status,!=,failed",
			];
		},
		formatters: {
			total_time: time_spent,
		},
	};
}
