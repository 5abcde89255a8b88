// LMS SCORM Attempt on the desk (list and report views): each attempt's state as a coloured status —
// Finished (the lesson is finished), Failed (the package reported failed), In Progress otherwise.
// Every row gets one: Frappe's report view misaligns its columns when only some rows have a status.
frappe.listview_settings["LMS SCORM Attempt"] = {
	add_fields: ["finished", "lesson_status"],
	get_indicator(doc) {
		if (doc.finished) return [__("Finished"), "green", "finished,=,1"];
		if (doc.lesson_status === "failed") return [__("Failed"), "red", "lesson_status,=,failed"];
		return [__("In Progress"), "orange", "finished,=,0"];
	},
};
