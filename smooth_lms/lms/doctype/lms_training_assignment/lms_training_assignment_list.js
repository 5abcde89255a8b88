// Training assignments: coloured by status, a completion by its validity — Completed (green), Expiring Soon
// (orange: valid, inside its course's renewal window) or Expired (grey: past its valid-until day) — with
// one-click Overdue, Expiring and Expired filters.
//
// The validity rule is smooth_lms.lms.training_rules.validity_state, read from the row's valid_until and
// its course's validity and renewal window (the courses are read once per page; a course the user cannot
// read is taken to expire with the default window).

const DOCTYPE = "LMS Training Assignment";
const STATUS_COLOURS = {
	Overdue: "red",
	Completed: "green",
	"In Progress": "blue",
	Pending: "orange",
};
const COMPLETED = "Completed";
const EXPIRING_SOON = "Expiring Soon";
const EXPIRED = "Expired";
const VALIDITY_COLOURS = { [COMPLETED]: "green", [EXPIRING_SOON]: "orange", [EXPIRED]: "gray" };
const DEFAULT_WINDOW_DAYS = 30; // LMS Course.renewal_window_days' default

let course_validity = {}; // course -> { expires, window }
let course_validity_loaded = null; // the promise of reading them

frappe.listview_settings[DOCTYPE] = {
	add_fields: ["status", "due_date", "progress", "employee_name", "valid_until", "course"],

	get_indicator(doc) {
		if (doc.status === COMPLETED) {
			const state = validity_state(doc);
			return [__(state), VALIDITY_COLOURS[state], filter_string(validity_filters(state))];
		}
		const colour = STATUS_COLOURS[doc.status];
		if (colour) {
			return [__(doc.status), colour, "status,=," + doc.status];
		}
	},

	formatters: {
		progress(value) {
			return `${flt(value, 1)}%`;
		},
		// Frappe's list prints a Data column's value as HTML: the learner's name is shown as text, in
		// the same filterable link the list gives other columns.
		employee_name(value) {
			const name = frappe.utils.escape_html(value || "");
			return `<span class="ellipsis" title="${__("Employee Name")}: ${name}">
				<a class="filterable ellipsis" data-filter="employee_name,=,${name}">${name}</a>
			</span>`;
		},
	},

	// The form's header takes its colour from get_indicator too: it reads the courses through this.
	load_course_validity,

	onload(listview) {
		listview.page.add_inner_button(__("Show Overdue"), () => show_status(listview, "Overdue"));
		listview.page.add_inner_button(__("Expiring"), () => show_validity(listview, EXPIRING_SOON));
		listview.page.add_inner_button(__("Expired"), () => show_validity(listview, EXPIRED));
		// Rows drawn before the courses were read are drawn again with their windows.
		load_course_validity().then(() => listview.render_list());
	},
};

function load_course_validity() {
	if (!course_validity_loaded) {
		course_validity_loaded = frappe.db
			.get_list("LMS Course", { fields: ["name", "validity_days", "renewal_window_days"], limit: 0 })
			.then((courses) => {
				for (const course of courses) {
					course_validity[course.name] = {
						expires: cint(course.validity_days) > 0,
						window: Math.max(cint(course.renewal_window_days), 0),
					};
				}
			});
	}
	return course_validity_loaded;
}

function validity_state(doc) {
	const course = course_validity[doc.course] || { expires: true, window: DEFAULT_WINDOW_DAYS };
	if (!doc.valid_until || !course.expires) return COMPLETED;
	const today = frappe.datetime.get_today();
	if (doc.valid_until < today) return EXPIRED;
	if (doc.valid_until <= frappe.datetime.add_days(today, course.window)) return EXPIRING_SOON;
	return COMPLETED;
}

function validity_filters(state) {
	// [fieldname, condition, value] of the completions in `state`. A list filter has one date for every
	// course: Expiring takes the longest renewal window, and each row's colour says where it stands.
	const today = frappe.datetime.get_today();
	const completed = ["status", "=", COMPLETED];
	if (state === EXPIRED) {
		return [completed, ["valid_until", "<", today]];
	}
	if (state === EXPIRING_SOON) {
		return [
			completed,
			["valid_until", ">=", today],
			["valid_until", "<=", frappe.datetime.add_days(today, longest_window())],
		];
	}
	return [completed];
}

function longest_window() {
	const windows = Object.values(course_validity)
		.filter((course) => course.expires)
		.map((course) => course.window);
	return windows.length ? Math.max(...windows) : DEFAULT_WINDOW_DAYS;
}

function filter_string(filters) {
	// What a click on the indicator filters by (Frappe's "field,condition,value|..." form).
	return filters.map((filter) => filter.join(",")).join("|");
}

function show_status(listview, status) {
	// Status is a standard filter: set it there, replacing any other status or validity filter, so the
	// filter bar says what the list shows (and its empty choice shows every status again).
	clear_filters(listview, ["status", "valid_until"]);
	listview.page.fields_dict.status.set_value(status);
}

function show_validity(listview, state) {
	load_course_validity().then(() => {
		clear_filters(listview, ["status", "valid_until"]);
		listview.filter_area.add(validity_filters(state).map((filter) => [DOCTYPE, ...filter]));
	});
}

function clear_filters(listview, fieldnames) {
	const filter_list = listview.filter_area.filter_list;
	let removed = false;
	for (const fieldname of fieldnames) {
		let filter;
		while ((filter = filter_list.get_filter(fieldname))) {
			filter.remove();
			removed = true;
		}
	}
	if (removed) filter_list.apply(); // forgets them (and counts the rest on the Filter button)
	for (const fieldname of fieldnames) {
		const field = listview.page.fields_dict[fieldname];
		if (field && field.get_value()) field.set_value("");
	}
}
