"""SCORM packages the tests build themselves: a 1.2 or 2004 manifest, a launch page and a SCO script that
calls the runtime as real packages do (find the API up the frame chain, Initialize, set values, Commit,
Finish). Shared by the server's tests (smooth_lms/lms/scorm) and the player's browser tests.

`build_package(...)` returns the .zip's bytes; `zip_of(files)` zips any {name: bytes} as given (hostile
packages are built from it); `attach_package(course, number, data)` puts a package on a lesson the way
the desk does (a private File on the course) and saves the course, which unpacks it."""

import io
import zipfile

import frappe

NAMESPACES = {
	"1.2": (
		'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"'
		' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
		' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
	),
	"2004": (
		'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"'
		' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"'
		' xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"'
		' xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
		' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
	),
}
SCHEMA_VERSIONS = {"1.2": "1.2", "2004": "2004 4th Edition"}
SCORM_TYPE_ATTRIBUTE = {"1.2": "adlcp:scormtype", "2004": "adlcp:scormType"}

# The SCO: finds the API as SCORM's API discovery algorithm does (its own window, then its parents), starts
# the session on load and leaves the rest to the page (window.sco.* for tests that drive it).
DEFAULT_SCO_JS = """
(function () {
	function findAPI(win, name) {
		for (var i = 0; win && i < 10; i++) {
			if (win[name]) return win[name];
			if (win.parent === win) break;
			win = win.parent;
		}
		return null;
	}
	var v12 = document.documentElement.getAttribute("data-scorm") === "1.2";
	var api = findAPI(window, v12 ? "API" : "API_1484_11");
	function call(name12, name2004) {
		var args = Array.prototype.slice.call(arguments, 2);
		if (!api) return "false";
		return String(api[v12 ? name12 : name2004].apply(api, args));
	}
	window.sco = {
		found: !!api,
		initialize: function () { return call("LMSInitialize", "Initialize", ""); },
		get: function (element) { return call("LMSGetValue", "GetValue", element); },
		set: function (element, value) { return call("LMSSetValue", "SetValue", element, String(value)); },
		commit: function () { return call("LMSCommit", "Commit", ""); },
		finish: function () { return call("LMSFinish", "Terminate", ""); },
		lastError: function () { return call("LMSGetLastError", "GetLastError"); },
	};
	var state = document.getElementById("sco-state");
	if (state) state.textContent = api ? "API found" : "No API";
	if (api) window.sco.initialize();
})();
"""


def build_package(
	version: str = "1.2",
	sco_js: str | None = None,
	extra_files: dict[str, bytes | str] | None = None,
	manifest: str | bytes | None = None,
	launch: str = "index.html",
	title: str = "Smooth LMS test package",
	parameters: str = "",
) -> bytes:
	"""A SCORM `version` ("1.2" or "2004") package: imsmanifest.xml (or `manifest` as given), the launch
	page `launch` loading sco.js (`sco_js`, else DEFAULT_SCO_JS), and `extra_files` (path: content)."""
	if version not in NAMESPACES:
		raise ValueError(f"version must be 1.2 or 2004, not {version!r}")
	files: dict[str, bytes | str] = {
		"imsmanifest.xml": manifest
		if manifest is not None
		else manifest_xml(version, launch, title=title, parameters=parameters),
		launch: launch_page(version, title),
		"sco.js": sco_js if sco_js is not None else DEFAULT_SCO_JS,
	}
	files.update(extra_files or {})
	return zip_of(files)


def manifest_xml(
	version: str, launch: str, title: str = "Smooth LMS test package", parameters: str = "", base: str = ""
) -> str:
	"""A one-SCO manifest of the version's namespaces: its default organisation's item launches `launch`."""
	parameters_attribute = f' parameters="{parameters}"' if parameters else ""
	base_attribute = f' xml:base="{base}"' if base else ""
	return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="smooth.test.{version}" version="1" {NAMESPACES[version]}>
	<metadata>
		<schema>ADL SCORM</schema>
		<schemaversion>{SCHEMA_VERSIONS[version]}</schemaversion>
	</metadata>
	<organizations default="org-1">
		<organization identifier="org-1">
			<title>{title}</title>
			<item identifier="item-1" identifierref="res-1"{parameters_attribute}>
				<title>{title}</title>
			</item>
		</organization>
	</organizations>
	<resources{base_attribute}>
		<resource identifier="res-1" type="webcontent" {SCORM_TYPE_ATTRIBUTE[version]}="sco" href="{launch}">
			<file href="{launch}"/>
			<file href="sco.js"/>
		</resource>
	</resources>
</manifest>
"""


def launch_page(version: str, title: str = "Smooth LMS test package") -> str:
	return f"""<!DOCTYPE html>
<html lang="en" data-scorm="{version}">
<head>
<meta charset="utf-8">
<title>{title}</title>
</head>
<body>
<h1>{title}</h1>
<p id="sco-state">Loading</p>
<script src="sco.js"></script>
</body>
</html>
"""


def zip_of(files: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
	"""The .zip of `files` ({name in the archive: content}), names written exactly as given."""
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", compression) as archive:
		for name, content in files.items():
			archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content)
	return buffer.getvalue()


def attach_package(course: str, number: int, data: bytes, file_name: str = "package.zip") -> str:
	"""Upload `data` as a private File of the course and set it as lesson `number`'s package; saving the
	course checks and unpacks it (a refused package raises). Returns the lesson row's name."""
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"content": data,
			"is_private": 1,
			"attached_to_doctype": "LMS Course",
			"attached_to_name": course,
			"attached_to_field": "scorm_package",
		}
	).insert(ignore_permissions=True)
	doc = frappe.get_doc("LMS Course", course)
	lesson = doc.lessons[number - 1]
	lesson.scorm_package = file.file_url
	doc.save(ignore_permissions=True)
	return lesson.name


# The player's SCO: what a vendor's package does, on buttons (or ?do=<action> in its launch address) so a
# test chooses the outcome. It finds the API as ADL's FindAPI does (its own window, then up the parents,
# then the opener's), initializes on load and shows what it read back (location, suspend data, entry,
# learner) — a resumed session shows what the last one saved. Actions:
#   pass   score 85 / 100, passed (2004: completed + passed), session time 1 min 30 s, commit, finish
#   fail   score 40 / 100, failed (2004: completed + failed), session time 1 min 30 s, commit, finish
#   save   location "page-3", suspend data "visit=<n>;answers=a,b", incomplete, commit (no finish)
#   stash  the same values set without a commit (the page is then closed: what it set must still arrive)
#   probe  reach for the lesson page and the learner's session: parent.document, the parent's address,
#          cookies, localStorage and a fetch of /api/method/frappe.auth.get_logged_user; each outcome shown
PLAYER_SCO_JS = """
(function () {
	var v12 = document.documentElement.getAttribute("data-scorm") === "1.2";
	var name = v12 ? "API" : "API_1484_11";
	function findAPIIn(win) {
		var tries = 0;
		try {
			while (!win[name] && win.parent && win.parent !== win) {
				if (++tries > 7) return null;
				win = win.parent;
			}
			return win[name] || null;
		} catch (error) {
			return null; // a window of another origin
		}
	}
	var api = findAPIIn(window) || (window.opener ? findAPIIn(window.opener) : null);
	var E = v12
		? { location: "cmi.core.lesson_location", status: "cmi.core.lesson_status", raw: "cmi.core.score.raw",
			max: "cmi.core.score.max", min: "cmi.core.score.min", time: "cmi.core.session_time",
			entry: "cmi.core.entry", learner: "cmi.core.student_name", exit: "cmi.core.exit" }
		: { location: "cmi.location", status: "cmi.completion_status", raw: "cmi.score.raw",
			max: "cmi.score.max", min: "cmi.score.min", time: "cmi.session_time", entry: "cmi.entry",
			learner: "cmi.learner_name", exit: "cmi.exit" };
	function call(name12, name2004) {
		if (!api) return "no API";
		var args = Array.prototype.slice.call(arguments, 2);
		return String(api[v12 ? name12 : name2004].apply(api, args));
	}
	function get(element) { return call("LMSGetValue", "GetValue", element); }
	function set(element, value) { return call("LMSSetValue", "SetValue", element, String(value)); }
	function show(id, text) { document.getElementById(id).textContent = text; }
	function log(text) { var item = document.createElement("li"); item.textContent = text; document.getElementById("sco-log").appendChild(item); }
	function score(raw) {
		set(E.min, 0); set(E.max, 100); set(E.raw, raw);
		if (!v12) set("cmi.score.scaled", raw / 100);
	}
	function end(passed) {
		score(passed ? 85 : 40);
		if (v12) set(E.status, passed ? "passed" : "failed");
		else { set(E.status, "completed"); set("cmi.success_status", passed ? "passed" : "failed"); }
		set(E.time, v12 ? "00:01:30" : "PT1M30S");
		set(E.location, "end");
		log("commit " + call("LMSCommit", "Commit", ""));
		log("finish " + call("LMSFinish", "Terminate", ""));
		show("sco-state", passed ? "Passed" : "Failed");
	}
	function progress() {
		var visit = (parseInt((get("cmi.suspend_data").match(/visit=(\\d+)/) || [0, "0"])[1], 10) || 0) + 1;
		set(E.location, "page-3");
		set("cmi.suspend_data", "visit=" + visit + ";answers=a,b");
		set(E.status, "incomplete");
		set(E.exit, "suspend");
		return visit;
	}
	function attempt(label, fn) {
		try { return label + ": " + fn(); } catch (error) { return label + ": blocked (" + error.name + ")"; }
	}
	var actions = {
		pass: function () { end(true); },
		fail: function () { end(false); },
		save: function () {
			var visit = progress();
			log("commit " + call("LMSCommit", "Commit", ""));
			show("sco-state", "Saved visit " + visit);
		},
		stash: function () { show("sco-state", "Stashed visit " + progress()); },
		probe: function () {
			show("probe-parent", attempt("parent.document", function () { return parent.document.title; }));
			show("probe-location", attempt("parent.location", function () { return String(parent.location.href); }));
			show("probe-cookie", attempt("document.cookie", function () { return JSON.stringify(document.cookie); }));
			show("probe-storage", attempt("localStorage", function () { return String(window.localStorage.length); }));
			fetch("/api/method/frappe.auth.get_logged_user", { credentials: "include" })
				.then(function (response) { return response.text().then(function (text) {
					show("probe-fetch", "fetch: " + response.status + " " + text);
				}); })
				.catch(function (error) { show("probe-fetch", "fetch: failed (" + error.name + ")"); });
		},
	};
	window.sco = { api: api, get: get, set: set, actions: actions };
	if (!api) { show("sco-state", "No API"); return; }
	log("initialize " + call("LMSInitialize", "Initialize", ""));
	show("sco-entry", get(E.entry));
	show("sco-learner", get(E.learner));
	show("sco-location", get(E.location));
	show("sco-suspend", get("cmi.suspend_data"));
	show("sco-state", "Started");
	Object.keys(actions).forEach(function (action) {
		document.getElementById("sco-" + action).addEventListener("click", actions[action]);
	});
	var wanted = (window.location.search.match(/[?&]do=(\\w+)/) || [])[1];
	if (wanted && actions[wanted]) actions[wanted]();
})();
"""


def player_package(
	version: str = "1.2", title: str = "Smooth LMS test package", parameters: str = ""
) -> bytes:
	"""A package whose SCO plays like a vendor's (PLAYER_SCO_JS): buttons for pass, fail, save, stash and
	probe, and what it read back from the runtime shown by id (sco-entry, sco-learner, sco-location,
	sco-suspend, sco-state; the probe's outcomes in probe-*)."""
	return build_package(
		version,
		sco_js=PLAYER_SCO_JS,
		extra_files={"index.html": player_page(version, title)},
		title=title,
		parameters=parameters,
	)


def framed_player_package(version: str = "2004", title: str = "Smooth LMS framed package") -> bytes:
	"""A player_package whose launch page frames the SCO (player.html), as many vendors' packages do."""
	frame_page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><iframe id="sco-frame" src="player.html" style="width:100%;height:560px;border:0"></iframe></body>
</html>
"""
	return build_package(
		version,
		sco_js=PLAYER_SCO_JS,
		extra_files={"index.html": frame_page, "player.html": player_page(version, title)},
		title=title,
	)


def player_page(version: str, title: str) -> str:
	buttons = "".join(
		f'<button type="button" id="sco-{action}">{label}</button>\n'
		for action, label in (
			("pass", "Finish (pass)"),
			("fail", "Finish (fail)"),
			("save", "Save and leave"),
			("stash", "Set without saving"),
			("probe", "Reach for the LMS"),
		)
	)
	read_back = "".join(
		f"<dt>{label}</dt><dd id='sco-{key}'></dd>\n"
		for key, label in (
			("entry", "Entry"),
			("learner", "Learner"),
			("location", "Location"),
			("suspend", "Suspend data"),
		)
	)
	probes = "".join(
		f"<li id='probe-{key}'></li>" for key in ("parent", "location", "cookie", "storage", "fetch")
	)
	return f"""<!DOCTYPE html>
<html lang="en" data-scorm="{version}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 1rem; color: #1f272e; }}
button {{ margin: 0 .5rem .5rem 0; padding: .5rem .75rem; }}
dl {{ display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }}
dd {{ margin: 0; font-family: monospace; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>SCORM {version} · <strong id="sco-state">Loading</strong></p>
<div>{buttons}</div>
<dl>{read_back}</dl>
<ul id="probes">{probes}</ul>
<ol id="sco-log"></ol>
<script src="sco.js"></script>
</body>
</html>
"""
