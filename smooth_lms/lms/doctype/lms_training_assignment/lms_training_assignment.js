// Training assignment form: only enabled users and published courses can be picked, due today or later.

frappe.ui.form.on("LMS Training Assignment", {
	setup(frm) {
		frm.set_query("employee", () => ({ filters: { enabled: 1 } }));
		frm.set_query("course", () => ({ filters: { published: 1 } }));
	},

	onload_post_render(frm) {
		const datepicker = frm.fields_dict.due_date.datepicker;
		if (datepicker) {
			datepicker.update({ minDate: frappe.datetime.str_to_obj(frappe.datetime.get_today()) });
		}
	},

	refresh(frm) {
		if (frm.doc.enrollment) {
			frm.add_custom_button(__("Enrollment"), () =>
				frappe.set_route("Form", "LMS Enrollment", frm.doc.enrollment)
			);
		}
		if (!frm.is_new() && frm.doc.status === "Overdue") {
			frm.dashboard.set_headline(
				// The headline is HTML, and so is what __() puts into it.
				__("This training is overdue: it was due on {0}.", [
					frappe.utils.escape_html(frappe.datetime.str_to_user(frm.doc.due_date)),
				]),
				"red"
			);
		}
	},
});
