// The SCORM runtime of a lesson's package (SPEC.md "SCORM packages"). It runs INSIDE the package's
// sandboxed frame: the server (smooth_lms/lms/scorm/serving.py) puts
//   <script>window.SMOOTH_LMS_SCORM = {version, cmi, commit_interval, session, attempt}</script>
// and this bundle at the top of every HTML page of the package. Here scorm-again provides the standard
// API in the frame's own window — window.API (SCORM 1.2) or window.API_1484_11 (2004) — where a SCO's
// API discovery starts, loaded with the learner's saved CMI so that the package resumes (suspend data,
// location, status, score, time so far).
//
// The frame is an opaque origin (sandbox without allow-same-origin): it has no session and never talks
// to the network. Every commit goes to the lesson page with postMessage, and the page (lesson.js) posts
// it to smooth_lms.lms.scorm.commit with the learner's CSRF token:
//   {type: "smooth-lms-scorm", event, session, elapsed, cmi}
// event: "loaded" (this script ran), "initialize" (LMSInitialize / Initialize), "change" (a value was
// set: the page keeps the newest CMI to send when it closes), "commit" (LMSCommit / Commit, every
// commit_interval seconds when something changed, and when this page goes away) and "finish"
// (LMSFinish / Terminate). `elapsed` is the seconds since Initialize; `cmi` is scorm-again's CMI JSON.
// The target origin is "*": an opaque origin cannot name its parent's, and the data is the learner's own
// progress in this package. A package whose launch page frames its SCO (a common vendor layout) has the
// runtime in both pages: the SCO uses the one in its own window, and each page passes on what its child
// frames post, so the messages reach the lesson page from the frame it embeds, whatever the depth.
import { Scorm12API, Scorm2004API } from "scorm-again";

const MESSAGE_TYPE = "smooth-lms-scorm";
const COMMIT_URL = "smooth-lms:postmessage"; // never fetched: scorm-again hands commits to PostMessageService

(function start() {
	const config = window.SMOOTH_LMS_SCORM;
	if (!config || window.API || window.API_1484_11) return; // not our page, or a second copy
	const v12 = config.version === "1.2";
	const interval = Math.max(Number(config.commit_interval) || 30, 5) * 1000;
	let started_at = null;
	let initialized = false;
	let terminated = false;
	let changed = false;

	function elapsed() {
		return started_at === null ? 0 : Math.round((Date.now() - started_at) / 100) / 10;
	}

	function post(event, cmi) {
		if (window.parent === window) return; // opened on its own: nobody to tell
		const message = { type: MESSAGE_TYPE, event, session: config.session, elapsed: elapsed() };
		if (cmi !== undefined) message.cmi = plain(cmi);
		try {
			window.parent.postMessage(message, "*");
		} catch (error) {
			// a parent that is going away
		}
	}

	// scorm-again's HTTP service, replaced: a commit is a message to the lesson page, answered at once.
	const service = {
		reportsRequestCompletion: false,
		processHttpRequest(url, params, immediate) {
			changed = false;
			post(immediate ? "finish" : "commit", params);
			return { result: "true", errorCode: 0 };
		},
		updateSettings() {},
	};

	const settings = {
		lmsCommitUrl: COMMIT_URL,
		httpService: service,
		autocommit: false, // the interval below commits what changed
		dataCommitFormat: "json",
		sendFullCommit: true,
		logLevel: 5, // none: a package's mistakes are its own
		// SCORM 2004: a SCO that reads suspend_data / location before setting them is not an error worth a log
		uninitializedGetLogLevel: 5,
	};
	const api = v12 ? new Scorm12API(settings) : new Scorm2004API(settings);
	if (config.cmi && typeof config.cmi === "object") {
		try {
			api.loadFromJSON(config.cmi, "");
		} catch (error) {
			// a value the runtime refuses: start from the package's defaults rather than not at all
		}
	}

	const names = v12
		? { initialize: "LMSInitialize", set: "LMSSetValue", finish: "LMSFinish" }
		: { initialize: "Initialize", set: "SetValue", finish: "Terminate" };
	api.on(names.initialize, () => {
		if (started_at === null) started_at = Date.now();
		initialized = true;
		post("initialize");
	});
	api.on(names.set, () => {
		changed = true;
		post("change", api.renderCommitCMI(false));
	});
	api.on(names.finish, () => {
		terminated = true;
	});

	if (v12) window.API = api;
	else window.API_1484_11 = api;

	// What a SCO framed by this page posts, passed on up: the lesson page reads only its own frame.
	window.addEventListener("message", (event) => {
		const data = event.data;
		if (!data || typeof data !== "object" || data.type !== MESSAGE_TYPE) return;
		if (!is_child_frame(event.source) || window.parent === window) return;
		try {
			window.parent.postMessage(data, "*");
		} catch (error) {
			// a parent that is going away
		}
	});

	function is_child_frame(source) {
		for (let index = 0; index < window.frames.length; index++) {
			if (window.frames[index] === source) return true;
		}
		return false;
	}

	function commit_if_changed() {
		if (initialized && !terminated && changed) {
			changed = false;
			post("commit", api.renderCommitCMI(false));
		}
	}
	window.setInterval(commit_if_changed, interval);
	// The package's page goes away (the lesson page closes, the frame navigates): what changed is sent.
	window.addEventListener("pagehide", commit_if_changed);
	post("loaded");

	// The CMI as plain JSON (scorm-again's objects render through their toJSON).
	function plain(value) {
		return JSON.parse(JSON.stringify(value));
	}
})();
