// Onboarding training: who is still waiting for an Employee record or a user.

const STATE_COLOURS = {
	"Waiting for Employee": "orange",
	"Waiting for User": "orange",
	Assigned: "green",
	Cancelled: "gray",
};

frappe.listview_settings["LMS Onboarding Training"] = {
	add_fields: ["state"],

	get_indicator(doc) {
		const colour = STATE_COLOURS[doc.state];
		if (colour) {
			return [__(doc.state), colour, "state,=," + doc.state];
		}
	},
};
