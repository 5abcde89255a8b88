// Training assignments: coloured by the status every reader shows, a completion by its validity, with
// one-click Overdue, Expiring and Expired filters.
//
// - Status: smooth_lms.lms.training_rules.STATUS_RULES, as assignments.status.current_status reads them: a
//   row that is not completed and whose due date has passed is Overdue (red) whether or not the daily job
//   has stored it yet. "Show Overdue" (and Overdue chosen in the Status box, and a click on a red pill)
//   filters the same way — Status is not Completed, Due Date before today — never by the stored status.
// - Validity of a completion: smooth_lms.lms.training_rules.validity_state, from the row's valid_until and
//   its course's validity and renewal window (the courses are read once per page; a course the user
//   cannot read is taken to expire with the default window): Completed (green), Expiring Soon (orange:
//   valid, inside the renewal window) or Expired (grey: past its valid-until day). A completion without a
//   valid-until day never expires, and no validity filter lists it.
//
// - Quiz attempts exhausted (attempts_exhausted, set by start_quiz / submit_quiz, cleared by HR's grant):
//   an unfinished row whose learner used every attempt at a quiz without a pass is "Attempts Exhausted"
//   (red) whatever its status, since only HR can move it on; a click on the pill lists those rows, as the
//   Attempts Exhausted box of the filter bar does.
//
// Each filter is one per field ("Between" for a range of valid-until days), so the list's URL — Frappe
// keeps one value per field in it — opens the same rows again.

const DOCTYPE = "LMS Training Assignment";
const COMPLETED = "Completed";
const OVERDUE = "Overdue";
const IN_PROGRESS = "In Progress";
const PENDING = "Pending";
const STATUS_COLOURS = { [OVERDUE]: "red", [COMPLETED]: "green", [IN_PROGRESS]: "blue", [PENDING]: "orange" };
const EXPIRING_SOON = "Expiring Soon";
const EXPIRED = "Expired";
const VALIDITY_COLOURS = { [COMPLETED]: "green", [EXPIRING_SOON]: "orange", [EXPIRED]: "gray" };
const DEFAULT_WINDOW_DAYS = 30; // LMS Course.renewal_window_days' default
// The lower end of "valid until before today": MariaDB's earliest DATE. "<" would list completions that
// never expire too (Frappe compares an empty date as 0001-01-01); "Between" never matches an empty one.
const EARLIEST_DAY = "1000-01-01";
const FILTERED_FIELDS = ["status", "due_date", "valid_until"]; // what the status / validity filters set

let course_validity = {}; // course -> { expires, window }
let course_validity_loaded = null; // the promise of reading them

frappe.listview_settings[DOCTYPE] = {
	add_fields: [
		"status",
		"due_date",
		"progress",
		"employee_name",
		"valid_until",
		"course",
		"attempts_exhausted",
	],

	get_indicator(doc) {
		const status = current_status(doc);
		if (cint(doc.attempts_exhausted) && status !== COMPLETED) {
			return [__("Attempts Exhausted"), "red", "attempts_exhausted,=,1"];
		}
		if (status === COMPLETED) {
			const state = validity_state(doc);
			return [__(state), VALIDITY_COLOURS[state], filter_string(validity_filters(state))];
		}
		if (!STATUS_COLOURS[status]) return; // no status (yet)
		return [__(status), STATUS_COLOURS[status], filter_string(status_filters(status))];
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

	// The form reads these too: its header's colour (get_indicator) and its overdue headline.
	load_course_validity,
	current_status,

	onload(listview) {
		listview.page.add_inner_button(__("Show Overdue"), () => show_overdue(listview));
		listview.page.add_inner_button(__("Expiring"), () => show_validity(listview, EXPIRING_SOON));
		listview.page.add_inner_button(__("Expired"), () => show_validity(listview, EXPIRED));
		overdue_from_status_box(listview);
		validity_pills_filter_as_buttons(listview);
		// Rows drawn before the courses were read are drawn again with their windows.
		load_course_validity().then(() => listview.render_list());
	},
};

function current_status(doc) {
	// assignments.status.current_status: the stored status, unless the due date has passed since it was
	// stored. Every save decides the status by training_rules.STATUS_RULES (100 % is stored Completed; a
	// due date extended stores Pending or In Progress again): only the calendar moves on without a save.
	if (doc.status === COMPLETED) return COMPLETED;
	if (doc.due_date && doc.due_date < frappe.datetime.get_today()) return OVERDUE;
	if (doc.status === OVERDUE) return flt(doc.progress) > 0 ? IN_PROGRESS : PENDING;
	return doc.status;
}

function status_filters(status) {
	// [fieldname, condition, value] of the rows showing `status` (an assignment's status is stored by
	// every save and by the daily job; only "past due" can be newer than the stored value).
	const today = frappe.datetime.get_today();
	if (status === OVERDUE) {
		return [
			["status", "!=", COMPLETED],
			["due_date", "<", today],
		];
	}
	if (status === COMPLETED) return [["status", "=", COMPLETED]];
	return [
		["status", "=", status],
		["due_date", ">=", today],
	];
}

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
	// [fieldname, condition, value] of the completions in `state`, each with a valid-until day. A list
	// filter has one date for every course: Expiring takes the longest renewal window, and each row's
	// colour says where it stands.
	const today = frappe.datetime.get_today();
	const completed = ["status", "=", COMPLETED];
	if (state === EXPIRED) {
		return [completed, ["valid_until", "Between", [EARLIEST_DAY, frappe.datetime.add_days(today, -1)]]];
	}
	if (state === EXPIRING_SOON) {
		const last = frappe.datetime.add_days(today, longest_window());
		return [completed, ["valid_until", "Between", [today, last]]];
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
	// What a click on the indicator filters by (Frappe's "field,condition,value|..." form; a validity
	// pill's click is validity_pills_filter_as_buttons').
	return filters.map(([fieldname, condition, value]) => [fieldname, condition, value].join(",")).join("|");
}

function show_overdue(listview) {
	replace_filters(listview, status_filters(OVERDUE));
}

function show_validity(listview, state) {
	load_course_validity().then(() => replace_filters(listview, validity_filters(state)));
}

function validity_pills_filter_as_buttons(listview) {
	// A click on an Expiring Soon / Expired pill filters as its button does. Frappe's own handler (on the
	// same list, in the bubbling phase) would pass the date range as text, which its date range box does
	// not read: this one, in the capturing phase, goes first and keeps the click.
	listview.$result[0].addEventListener(
		"click",
		(event) => {
			const pill = event.target.closest && event.target.closest(".indicator-pill[data-filter]");
			if (!pill || event.metaKey || event.ctrlKey) return;
			const state = [EXPIRING_SOON, EXPIRED].find(
				(candidate) => pill.getAttribute("data-filter") === filter_string(validity_filters(candidate))
			);
			if (!state) return;
			event.stopPropagation();
			event.preventDefault();
			show_validity(listview, state);
		},
		true
	);
}

function overdue_from_status_box(listview) {
	// The Status box in the filter bar compares the stored status: Overdue chosen there (or arriving as
	// ?status=Overdue) becomes the Overdue filters, so it lists what the red pills say.
	const field = listview.page.fields_dict.status;
	if (!field) return;
	const refresh = field.df.onchange;
	field.df.onchange = () => {
		if (field.get_value() === OVERDUE) {
			show_overdue(listview);
		} else if (refresh) {
			refresh();
		}
	};
}

function replace_filters(listview, filters) {
	// Replaces any status, due date or validity filter (set in the filter bar or in its Status box), so
	// the filter bar says what the list shows.
	return clear_filters(listview, FILTERED_FIELDS).then(() =>
		listview.filter_area.add(filters.map((filter) => [DOCTYPE, ...filter]))
	);
}

function clear_filters(listview, fieldnames) {
	// Resolves once the boxes are empty: the filter area skips a filter its box still holds.
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
	const emptied = fieldnames.map((fieldname) => {
		const field = listview.page.fields_dict[fieldname];
		return field && field.get_value() ? field.set_value("") : null;
	});
	return Promise.all(emptied);
}
