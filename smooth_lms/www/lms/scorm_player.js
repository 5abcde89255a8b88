// The lesson page's SCORM player (lesson.html includes it; Jinja reads this file: never write a brace
// followed by %, # or a brace). The package runs in a sandboxed frame (an opaque origin: it cannot reach
// this page, the learner's cookies or /api); its runtime (public/js/scorm_runtime.bundle.js) posts
//   {type: "smooth-lms-scorm", event, session, elapsed, cmi}
// and this page, which has the learner's session, posts the CMI to smooth_lms.lms.scorm.commit with the
// CSRF token. Only messages from the frame's own window are read. A "change" is kept (the newest CMI) and
// sent with the next "commit" or "finish", every interval when unsent, and when the page is hidden or
// closed (fetch keepalive: it lands after the page is gone). One request at a time; the newest CMI wins.
// The status line says where things stand: loading, in progress, saving, saved at <time>, finished, or
// what went wrong (the package did not load or did not start, the server's refusal, no connection).
// Every text goes in with textContent.
window.smooth_lms = window.smooth_lms || {};

smooth_lms.scorm_player = (section, options) => {
	const MESSAGE_TYPE = "smooth-lms-scorm";
	const METHOD = "/api/method/smooth_lms.lms.scorm.commit";
	const LOAD_TIMEOUT = options.load_timeout || 20000; // no runtime by then: the package did not load
	const START_TIMEOUT = options.start_timeout || 60000; // no Initialize by then: nothing is recorded
	const RETRY = 15000;
	const KEEPALIVE_LIMIT = 60000; // a keepalive request's body must stay under 64 KB
	const { course, lesson, refresh } = options;
	const frame = section.querySelector(".lms-scorm-frame");
	const status = section.querySelector(".lms-scorm-status");
	const fullscreen = section.querySelector(".lms-scorm-fullscreen");
	let loaded = false;
	let started = false;
	let finished = summary_data().finished;
	let pending = null; // the newest CMI not yet accepted by the server: {body, finish, version}
	let version = 0;
	let sending = false;
	let retry_timer = null;

	function set_status(state, text) {
		status.dataset.state = state;
		status.textContent = text;
	}

	function summary_data() {
		const summary = section.querySelector(".lms-scorm-summary");
		const data = summary ? summary.dataset : {};
		return {
			finished: data.finished === "1",
			lesson_status: data.lessonStatus || "",
			score_raw: data.scoreRaw === "" || data.scoreRaw === undefined ? null : Number(data.scoreRaw),
			score_max: data.scoreMax === "" || data.scoreMax === undefined ? null : Number(data.scoreMax),
			total_time: Number(data.totalTime) || 0,
		};
	}

	function show_summary(data) {
		const summary = section.querySelector(".lms-scorm-summary");
		if (!summary) return;
		summary.dataset.finished = data.finished ? "1" : "0";
		const status_text = data.finished
			? __("Finished")
			: data.lesson_status === "failed"
			? __("Not passed")
			: data.lesson_status
			? __(status_label(data.lesson_status))
			: __("Not started");
		summary.querySelector(".lms-scorm-lesson-status").textContent = status_text;
		summary.querySelector(".lms-scorm-score").textContent =
			data.score_max && data.score_raw !== null && data.score_raw !== undefined
				? `${number(data.score_raw)} / ${number(data.score_max)}`
				: "–";
		summary.querySelector(".lms-scorm-time").textContent = duration(data.total_time);
	}

	function status_label(value) {
		const labels = {
			passed: "Passed",
			completed: "Completed",
			incomplete: "In progress",
			browsed: "Browsed",
			"not attempted": "Not started",
			unknown: "In progress",
		};
		return labels[value] || value;
	}

	function number(value) {
		return String(Math.round(Number(value) * 100) / 100);
	}

	function duration(seconds) {
		const total = Math.round(Number(seconds) || 0);
		const hours = Math.floor(total / 3600);
		const minutes = Math.floor((total % 3600) / 60);
		if (hours) return __("{0} h {1} min", [hours, minutes]);
		if (minutes) return __("{0} min {1} s", [minutes, total % 60]);
		return __("{0} s", [total % 60]);
	}

	function in_progress_text() {
		return finished ? __("Finished: you may go through the package again") : __("In progress");
	}

	function remember(data, finish) {
		const cmi = JSON.stringify(data.cmi);
		const body = JSON.stringify({
			course,
			lesson,
			cmi,
			session: String(data.session || ""),
			elapsed: Math.max(0, Number(data.elapsed) || 0),
			finish: finish || (pending && pending.finish) ? 1 : 0,
		});
		pending = { body, finish: finish || Boolean(pending && pending.finish), version: ++version };
	}

	function post(body, keepalive) {
		return fetch(METHOD, {
			method: "POST",
			credentials: "same-origin",
			keepalive: keepalive && body.length < KEEPALIVE_LIMIT,
			headers: {
				Accept: "application/json",
				"Content-Type": "application/json",
				"X-Frappe-CSRF-Token": frappe.csrf_token,
			},
			body,
		});
	}

	function send() {
		if (!pending || sending) return;
		window.clearTimeout(retry_timer);
		sending = true;
		const sent = pending;
		set_status("saving", __("Saving…"));
		post(sent.body, true)
			.then((response) =>
				response
					.json()
					.catch(() => ({}))
					.then((body) => (response.ok ? body.message : Promise.reject({ status: response.status, body })))
			)
			.then((result) => {
				if (pending && pending.version === sent.version) pending = null;
				saved(result || {});
			})
			.catch((error) => {
				const message = error && error.body ? smooth_lms.portal.server_message({ responseJSON: error.body }) : "";
				if (error && error.status === 417) {
					// refused for good: this CMI will not be accepted; a newer one may
					if (pending && pending.version === sent.version) pending = null;
					set_status("error", __("Not saved: {0}", [message || __("the server refused the package's data.")]));
				} else {
					set_status(
						"error",
						__("Not saved: {0}", [message || __("no connection to the server. Trying again…")])
					);
					retry_timer = window.setTimeout(send, RETRY);
				}
			})
			.finally(() => {
				sending = false;
				if (pending && pending.version !== sent.version) send();
			});
	}

	function saved(result) {
		const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
		const was_finished = finished;
		finished = finished || Boolean(result.finished);
		show_summary(result);
		if (finished) set_status("finished", __("Finished · saved at {0}", [time]));
		else if (result.lesson_status === "failed") set_status("failed", __("Not passed · saved at {0}", [time]));
		else set_status("saved", __("Saved at {0}", [time]));
		if (finished && !was_finished) refresh(); // the lesson's state, as the server now renders it
	}

	window.addEventListener("message", (event) => {
		if (event.source !== frame.contentWindow) return; // the package's frame only
		const data = event.data;
		if (!data || typeof data !== "object" || data.type !== MESSAGE_TYPE) return;
		if (data.event === "loaded") {
			loaded = true;
			if (!started) set_status("loaded", __("Starting…"));
		} else if (data.event === "initialize") {
			loaded = started = true;
			set_status("started", in_progress_text());
		} else if (["change", "commit", "finish"].includes(data.event) && data.cmi && typeof data.cmi === "object") {
			loaded = started = true;
			remember(data, data.event === "finish");
			if (data.event !== "change") send();
		}
	});

	// The page is hidden or closed: what the package set and did not commit is sent all the same.
	function flush() {
		if (pending && !sending) send();
		else if (pending) post(pending.body, true).catch(() => {});
	}
	window.addEventListener("pagehide", flush);
	document.addEventListener("visibilitychange", () => {
		if (document.visibilityState === "hidden") flush();
	});

	window.setTimeout(() => {
		if (!loaded) set_status("error", __("The package could not be loaded. Reload the page or ask HR."));
	}, LOAD_TIMEOUT);
	window.setTimeout(() => {
		if (loaded && !started)
			set_status("error", __("The package has not started: your progress is not being recorded."));
	}, START_TIMEOUT);

	if (fullscreen && section.requestFullscreen) {
		fullscreen.hidden = false;
		fullscreen.addEventListener("click", () => section.querySelector(".lms-scorm-stage").requestFullscreen());
	}
	show_summary(summary_data());
	frame.src = frame.dataset.src; // now that the page listens: the runtime's first messages are not lost
};
