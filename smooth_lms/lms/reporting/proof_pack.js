// "Proof Pack" on the Compliance Matrix and Training History: one employee's (or one course's) evidence
// for an auditor in one ZIP (smooth_lms.lms.reporting.proof_pack.request_proof_pack). A small pack is
// answered at once and downloaded; a large one is built by a background job, followed by a progress bar
// (Frappe's realtime "progress" events where a socketio server runs, and get_proof_pack asked every
// second), then offered for download.
// The button is for whoever may ask for one: the server's roles.require_training_viewer, read as
// roles.sees_every_row reads it, from the permissions of LMS Training Assignment (a role other than the
// learner's that reads it). The reports' scripts include this file (Frappe's include directive, which
// get_script renders): it defines its one function once, whichever report loads it first.
frappe.provide("smooth_lms.proof_pack");

if (!smooth_lms.proof_pack.add_button) {
	(function () {
		const ASSIGNMENT = "LMS Training Assignment";
		// roles.LEARNER_ROLES (they read their own rows only) and Frappe's automatic roles.
		const NOT_A_VIEWER_ROLE = ["LMS Student", "Guest", "All", "Desk User"];
		const REQUEST = "smooth_lms.lms.reporting.proof_pack.request_proof_pack";
		const STATUS = "smooth_lms.lms.reporting.proof_pack.get_proof_pack";
		const POLL_EVERY_MS = 1000;

		function may_pack() {
			if (frappe.session.user === "Administrator") return true;
			const meta = frappe.get_meta(ASSIGNMENT);
			return Boolean(
				meta &&
					(meta.permissions || []).some(
						(perm) =>
							perm.read &&
							!perm.permlevel &&
							!perm.if_owner &&
							!NOT_A_VIEWER_ROLE.includes(perm.role) &&
							frappe.user.has_role(perm.role)
					)
			);
		}

		// `choices(report)` -> {people: [{value, label}], courses: [{value, label}], employee, course}: who
		// and what the report shows (labels as text: they are escaped here), and what its filters picked.
		smooth_lms.proof_pack.add_button = function (report, choices) {
			if (!may_pack()) return;
			report.page.add_inner_button(__("Proof Pack"), () => pack_dialog(choices(report)));
		};

		function options(rows) {
			const seen = new Set();
			const picked = [{ value: "", label: "" }];
			for (const row of rows) {
				if (!row.value || seen.has(row.value)) continue;
				seen.add(row.value);
				// A Select prints its labels as HTML.
				picked.push({ value: row.value, label: frappe.utils.escape_html(row.label || row.value) });
			}
			return picked;
		}

		function pack_dialog(choices) {
			const people = options(choices.people || []);
			const courses = options(choices.courses || []);
			const dialog = new frappe.ui.Dialog({
				title: __("Proof Pack"),
				fields: [
					{
						fieldname: "employee",
						fieldtype: "Select",
						label: __("Employee"),
						options: people,
					},
					{
						fieldname: "course",
						fieldtype: "Select",
						label: __("Course"),
						options: courses,
						description: __(
							"An employee's evidence, a course's, or one employee's of one course: completions with their versions, certificates with their verification codes, quiz attempts and acknowledgements, in one ZIP."
						),
					},
				],
				primary_action_label: __("Download"),
				primary_action(values) {
					frappe
						.call({
							method: REQUEST,
							args: { employee: values.employee || null, course: values.course || null },
							freeze: true,
							freeze_message: __("Building proof pack"),
						})
						.then((r) => {
							dialog.hide();
							const answer = r.message;
							if (answer.queued) {
								follow(answer);
							} else {
								download(answer.file_url);
							}
						});
				},
			});
			dialog.show();
			// The report's picks, when it lists them (a Select's `default` may be lost when it draws its
			// options again).
			const listed = (choices_of, value) => (choices_of.some((o) => o.value === value) ? value : "");
			dialog.set_values({
				employee: listed(people, choices.employee),
				course: listed(courses, choices.course),
			});
			return dialog;
		}

		function download(file_url) {
			// The server's private file of the person who asked, and nothing else.
			if (!/^\/private\/files\/[^/]+$/.test(file_url || "")) return;
			const link = document.createElement("a");
			link.href = file_url;
			link.download = decodeURIComponent(file_url.split("/").pop());
			link.className = "hidden";
			document.body.appendChild(link);
			link.click();
			link.remove();
		}

		// A queued pack: a progress bar until the job is done, then a Download button (a click of the
		// person's own, which a browser lets download). Frappe's handler of the realtime "progress" events
		// moves a bar of the same title; this one is that bar when there is no socketio server.
		function follow(answer) {
			const title = __("Building proof pack"); // proof_pack.run_proof_pack's progress title
			let total = cint(answer.documents);
			let done = 0;
			let finished = false;
			let waiting = null;
			let asking = false;

			const show = () => {
				if (finished) return;
				frappe.show_progress(
					title,
					done,
					total,
					__("{0} of {1} documents", [done, total])
				).__smooth_lms_job = answer.job;
			};
			const ask = () => {
				clearTimeout(waiting);
				if (finished || asking) return;
				asking = true;
				frappe.call({
					method: STATUS,
					type: "GET",
					args: { job: answer.job },
					callback(r) {
						asking = false;
						const status = r.message;
						if (status.finished) {
							finish(status.file_url);
							return;
						}
						total = cint(status.total) || total;
						done = Math.max(done, cint(status.done));
						show();
						waiting = setTimeout(ask, POLL_EVERY_MS);
					},
					error() {
						asking = false; // the server's word is on screen
						stop();
					},
				});
			};
			const on_progress = (data) => {
				if (finished || !data || data.title !== title) return;
				done = Math.max(done, Math.round((flt(data.percent) * total) / 100));
				show();
			};
			const on_ready = (data) => {
				if (data && data.job === answer.job) ask();
			};
			const stop = () => {
				finished = true;
				clearTimeout(waiting);
				frappe.realtime.off("progress", on_progress);
				frappe.realtime.off("smooth_lms_proof_pack", on_ready);
				if (frappe.cur_progress && frappe.cur_progress.__smooth_lms_job === answer.job) {
					frappe.hide_progress();
				}
			};
			const finish = (file_url) => {
				stop();
				const ready = new frappe.ui.Dialog({
					title: __("Proof Pack Ready"),
					fields: [{ fieldname: "message", fieldtype: "HTML" }],
					primary_action_label: __("Download"),
					primary_action() {
						download(file_url);
						ready.hide();
					},
				});
				ready
					.get_field("message")
					.$wrapper.text(
						__("{0} documents in one ZIP. It is also in your notifications.", [total])
					);
				ready.show();
			};

			frappe.realtime.on("progress", on_progress);
			frappe.realtime.on("smooth_lms_proof_pack", on_ready);
			show();
			waiting = setTimeout(ask, POLL_EVERY_MS);
		}
	})();
}
