// Smooth LMS learner portal: helpers shared by the portal pages (included by Jinja, no asset build).
// Note for editors: Jinja reads this file, so never write a brace directly followed by %, # or a brace.
window.smooth_lms = window.smooth_lms || {};

smooth_lms.portal = {
	// POST a whitelisted method with Frappe's web `frappe.call` (CSRF token included). Resolves with
	// `message`; on a refusal Frappe shows the server's message and the promise rejects.
	call(method, args) {
		return new Promise((resolve, reject) => {
			frappe
				.call({
					method: method,
					args: args,
					type: "POST",
					url: "/api/method/" + method,
					statusCode: { 200: (r) => resolve(r.message) },
				})
				.fail((xhr) => reject(xhr));
		});
	},

	status_slug(status) {
		return (status || "none").toLowerCase().replace(/ /g, "-");
	},

	// A status pill element shows `status` (translated) with its colour.
	set_status(pill, status) {
		if (!pill || !status) return;
		pill.className = pill.className.replace(/\blms-status--[\w-]+/g, "").trim();
		pill.classList.add("lms-status--" + this.status_slug(status));
		pill.dataset.status = status;
		pill.textContent = __(status);
	},

	// A .lms-progress element shows `progress` percent.
	set_progress(progress_el, progress) {
		if (!progress_el) return;
		const value = Math.max(0, Math.min(100, Number(progress) || 0));
		const bar = progress_el.querySelector(".lms-progress-bar");
		bar.style.width = value + "%";
		bar.setAttribute("aria-valuenow", String(value));
		bar.classList.toggle("is-complete", value >= 100);
	},

	// A count as people write it: `one` (already translated and formatted) when `count` is 1, else
	// `other`, as smooth_lms.lms.framework.plurals.plural does on the server.
	//   portal.plural(n, __("{0} lesson", [n]), __("{0} lessons", [n]))
	plural(count, one, other) {
		return Number(count) === 1 ? one : other;
	},

	format_percent(progress) {
		const value = Math.round((Number(progress) || 0) * 10) / 10;
		return value + "%";
	},
};
