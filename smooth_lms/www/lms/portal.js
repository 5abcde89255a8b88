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

	// POST a whitelisted method without Frappe's message dialog, for a page that shows the server's
	// refusal itself (portal.server_message). Resolves with `message`; rejects with { status,
	// responseJSON } on a refusal, like the jqXHR of `call`.
	call_quietly(method, args) {
		return fetch("/api/method/" + method, {
			method: "POST",
			credentials: "same-origin",
			headers: {
				Accept: "application/json",
				"Content-Type": "application/json",
				"X-Frappe-CSRF-Token": frappe.csrf_token,
			},
			body: JSON.stringify(args || {}),
		}).then((response) =>
			response
				.json()
				.catch(() => ({}))
				.then((body) =>
					response.ok ? body.message : Promise.reject({ status: response.status, responseJSON: body })
				)
		);
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

	// What the server said when it refused a call (Frappe's _server_messages), as plain text: the messages
	// are HTML with the values escaped; DOMParser reads them without running or loading anything.
	server_message(xhr) {
		let messages = [];
		try {
			messages = JSON.parse((xhr && xhr.responseJSON && xhr.responseJSON._server_messages) || "[]");
		} catch (error) {
			return "";
		}
		return messages
			.map((raw) => {
				let message = raw;
				try {
					message = JSON.parse(raw);
				} catch (error) {
					// a plain string
				}
				const html = String((message && message.message) || message || "");
				return new DOMParser().parseFromString(html, "text/html").body.textContent.trim();
			})
			.filter(Boolean)
			.join(" ");
	},

	// A function that fetches this page again and swaps in the elements with the given ids as the server
	// renders them from the new state (same template, so the same wording and escaping). Only the answer
	// to the latest call is used, should several follow in quick succession; on a failure the page keeps
	// what it shows (a reload shows the rest).
	refresher(ids) {
		let asked = 0;
		return () => {
			const request = ++asked;
			return fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
				.then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
				.then((html) => {
					if (request !== asked) return;
					const fresh = new DOMParser().parseFromString(html, "text/html");
					ids.forEach((id) => {
						const now = document.getElementById(id);
						const next = fresh.getElementById(id);
						if (now && next) now.replaceWith(document.importNode(next, true));
					});
				})
				.catch(() => {});
		};
	},

	format_percent(progress) {
		const value = Math.round((Number(progress) || 0) * 10) / 10;
		return value + "%";
	},
};
