"""The demo's SCORM package, made by code: "Spot the Phish", a SCORM 2004 (4th edition) module of six short
screens and a three-question check. Written for Smooth LMS and licensed with it (MIT): nothing in it comes
from a vendor. It behaves as bought packages do — it finds the API with ADL's discovery algorithm (its
window, its parents, its opener), resumes at the screen it was left on (cmi.location) with the answers
given so far (cmi.suspend_data), commits at each screen, and on submitting sets the score, completed /
passed or failed (2 of 3 right to pass) and its session time, then terminates.

`build_demo_package()` gives the .zip's bytes. The right answers are q1-b, q2-a and q3-c."""

import io
import json
import zipfile

TITLE = "Spot the Phish"
PASS_MARK = 2  # right answers out of 3

SCREENS = [
	(
		"Why phishing matters",
		"<p>Nine in ten attacks on companies start with an email. A phishing message pretends to come "
		"from someone you trust so that you click, open or pay.</p><p>This module takes about five "
		"minutes: five tips, then three questions.</p>",
	),
	(
		"Check the sender",
		"<p>The name shown is not the address. <b>IT Service Desk</b> can hide "
		"<code>it-desk@northwind-support.co</code>.</p><ul><li>Look for lookalike domains: "
		"<code>northw1nd.example</code>, <code>northwind.example.co</code>.</li><li>A colleague writing "
		"from a private address is a warning sign.</li></ul>",
	),
	(
		"Hover before you click",
		"<p>Rest the pointer on a link (or press and hold on a phone) to see where it really goes.</p>"
		"<ul><li>The address must belong to the company it claims to be.</li><li>Shortened links and "
		"long strings of letters hide the destination.</li></ul>",
	),
	(
		"Urgency is a tactic",
		"<p>\u201cYour account will be closed in 2 hours\u201d, \u201cthe CEO needs gift cards now\u201d: "
		"pressure is there to stop you from thinking.</p><p>Slow down, and check through a channel you "
		"already know: call the person, open the site yourself.</p>",
	),
	(
		"Attachments and passwords",
		"<p>Unexpected invoices, voicemails and shared documents are favourite baits.</p><ul><li>Never "
		"enable macros in a document that arrived by email.</li><li>Nobody at Northwind will ask for "
		"your password or an MFA code.</li></ul>",
	),
	(
		"Report it",
		"<p>Use <b>Report phishing</b> in your mail app, or forward the message to "
		"<code>security@northwind.example</code>. Reporting a false alarm is always fine.</p><p>Clicked "
		"already? Report it at once: minutes matter.</p>",
	),
]

QUESTIONS = [
	(
		"q1",
		"An email from \u201cIT Service Desk\u201d <it-desk@northwind-support.co> asks you to re-enter your password. What is the first warning sign?",
		[
			("a", "It was sent on a Monday"),
			("b", "The sender's domain is not northwind.example"),
			("c", "It addresses you by name"),
		],
	),
	(
		"q2",
		"A message from the CEO asks you to buy gift cards urgently and keep it quiet. What do you do?",
		[
			("a", "Check with the CEO's office by phone and report the message"),
			("b", "Buy them: the CEO asked"),
			("c", "Reply to ask for the budget code"),
		],
	),
	(
		"q3",
		"You clicked a link and typed your password before noticing the address was wrong. What now?",
		[
			("a", "Nothing, if nothing happened yet"),
			("b", "Wait and see whether your account is used"),
			("c", "Report it to security at once and change your password"),
		],
	),
]
ANSWERS = {"q1": "b", "q2": "a", "q3": "c"}

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="smooth.demo.spot-the-phish" version="1"
	xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
	xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
	xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
	xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
	xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
	<metadata>
		<schema>ADL SCORM</schema>
		<schemaversion>2004 4th Edition</schemaversion>
	</metadata>
	<organizations default="northwind">
		<organization identifier="northwind">
			<title>Spot the Phish</title>
			<item identifier="spot-the-phish" identifierref="module">
				<title>Spot the Phish</title>
			</item>
		</organization>
	</organizations>
	<resources>
		<resource identifier="module" type="webcontent" adlcp:scormType="sco" href="index.html">
			<file href="index.html"/>
			<file href="module.css"/>
			<file href="module.js"/>
		</resource>
	</resources>
</manifest>
"""

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c2430;
	background: #f3f6fa; }
header { display: flex; align-items: center; gap: 12px; padding: 12px 20px; background: #12324f; color: #fff; }
header .logo { width: 32px; height: 32px; border-radius: 8px; background: #f5b400; color: #12324f;
	display: grid; place-items: center; font-weight: 800; }
header h1 { font-size: 18px; margin: 0; flex: 1; }
header .step { font-size: 13px; opacity: .85; white-space: nowrap; }
.bar { height: 6px; background: #d6e0ea; }
.bar span { display: block; height: 100%; background: #f5b400; transition: width .3s; }
main { max-width: 760px; margin: 0 auto; padding: 24px 20px 96px; }
.card { background: #fff; border-radius: 14px; padding: 24px 28px; box-shadow: 0 2px 10px rgba(18,50,79,.08); }
.card h2 { margin: 0 0 12px; font-size: 24px; color: #12324f; }
code { background: #eef2f7; padding: 1px 5px; border-radius: 4px; font-size: 14px; }
.question { margin: 0 0 20px; }
.question p { font-weight: 600; margin: 0 0 8px; }
.question label { display: flex; gap: 10px; align-items: flex-start; padding: 10px 12px; margin: 0 0 6px;
	border: 1px solid #d6e0ea; border-radius: 10px; cursor: pointer; }
.question label:has(input:checked) { border-color: #1f6fb2; background: #eaf3fb; }
.result { font-size: 20px; font-weight: 700; }
.result.passed { color: #1e7b34; }
.result.failed { color: #b3261e; }
nav { position: fixed; left: 0; right: 0; bottom: 0; display: flex; justify-content: space-between; gap: 12px;
	padding: 12px 20px; background: #fff; border-top: 1px solid #d6e0ea; }
button { font: inherit; font-weight: 600; padding: 10px 22px; border-radius: 10px; border: 0; cursor: pointer;
	background: #1f6fb2; color: #fff; }
button.secondary { background: #e4ebf2; color: #12324f; }
button[hidden] { display: none; }
"""

JS = """
(function () {
	// ADL's API discovery for SCORM 2004: this window, then up the parents, then the opener's.
	function scan(win) {
		var tries = 0;
		try {
			while (!win.API_1484_11 && win.parent && win.parent !== win && tries++ < 500) win = win.parent;
			return win.API_1484_11 || null;
		} catch (error) {
			return null;
		}
	}
	var api = scan(window) || (window.opener ? scan(window.opener) : null);
	var SCREENS = __SCREENS__, QUESTIONS = __QUESTIONS__, ANSWERS = __ANSWERS__, PASS_MARK = __PASS_MARK__;
	var total = SCREENS.length + 1, started = Date.now(), done = false;
	var state = { screen: 0, answers: {} };
	function get(name) { return api ? api.GetValue(name) : ""; }
	function set(name, value) { if (api) api.SetValue(name, String(value)); }
	function $(id) { return document.getElementById(id); }
	if (api) {
		api.Initialize("");
		try {
			var saved = JSON.parse(get("cmi.suspend_data") || "{}");
			if (saved && typeof saved === "object") state.answers = saved.answers || {};
		} catch (error) { /* a fresh start */ }
		var at = parseInt(get("cmi.location"), 10);
		if (at >= 0 && at < total) state.screen = at;
		if (get("cmi.completion_status") === "unknown") set("cmi.completion_status", "incomplete");
	}
	function save() {
		set("cmi.location", state.screen);
		set("cmi.suspend_data", JSON.stringify({ answers: state.answers }));
		set("cmi.exit", "suspend");
		if (api) api.Commit("");
	}
	function seconds() { return Math.round((Date.now() - started) / 1000); }
	function render() {
		var card = $("card"), index = state.screen;
		$("step").textContent = "Screen " + Math.min(index + 1, total) + " of " + total;
		$("progress").style.width = Math.round(100 * Math.min(index + 1, total) / total) + "%";
		$("back").hidden = index === 0 || done;
		$("next").hidden = index >= SCREENS.length || done;
		$("submit").hidden = index !== SCREENS.length || done;
		if (index < SCREENS.length) {
			card.innerHTML = "<h2></h2>" + SCREENS[index][1];
			card.querySelector("h2").textContent = SCREENS[index][0];
			return;
		}
		card.innerHTML = "<h2>Check your understanding</h2>";
		QUESTIONS.forEach(function (question) {
			var block = document.createElement("div");
			block.className = "question";
			var text = document.createElement("p");
			text.textContent = question[1];
			block.appendChild(text);
			question[2].forEach(function (option) {
				var label = document.createElement("label");
				var input = document.createElement("input");
				input.type = "radio"; input.name = question[0]; input.value = option[0];
				input.id = question[0] + "-" + option[0];
				input.checked = state.answers[question[0]] === option[0];
				input.disabled = done;
				input.addEventListener("change", function () { state.answers[question[0]] = option[0]; save(); });
				var span = document.createElement("span");
				span.textContent = option[1];
				label.appendChild(input); label.appendChild(span);
				block.appendChild(label);
			});
			card.appendChild(block);
		});
	}
	function go(step) { state.screen = Math.max(0, Math.min(SCREENS.length, state.screen + step)); save(); render(); }
	function submit() {
		var right = QUESTIONS.filter(function (q) { return state.answers[q[0]] === ANSWERS[q[0]]; }).length;
		var passed = right >= PASS_MARK;
		set("cmi.score.min", 0); set("cmi.score.max", QUESTIONS.length); set("cmi.score.raw", right);
		set("cmi.score.scaled", (right / QUESTIONS.length).toFixed(2));
		set("cmi.completion_status", "completed");
		set("cmi.success_status", passed ? "passed" : "failed");
		set("cmi.session_time", "PT" + seconds() + "S");
		set("cmi.exit", passed ? "normal" : "suspend");
		if (!passed) state.answers = {};
		state.screen = passed ? SCREENS.length : 0;
		save();
		if (api) api.Terminate("");
		done = true;
		render();
		var result = document.createElement("p");
		result.className = "result " + (passed ? "passed" : "failed");
		result.id = "result";
		result.textContent = (passed ? "Passed: " : "Not passed: ") + right + " of " + QUESTIONS.length +
			" right." + (passed ? " Well done." : " Reopen the lesson to try again.");
		$("card").appendChild(result);
	}
	$("back").addEventListener("click", function () { go(-1); });
	$("next").addEventListener("click", function () { go(1); });
	$("submit").addEventListener("click", submit);
	render();
})();
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spot the Phish</title>
<link rel="stylesheet" href="module.css">
</head>
<body>
<header><div class="logo">N</div><h1>Spot the Phish</h1><div class="step" id="step"></div></header>
<div class="bar"><span id="progress"></span></div>
<main><section class="card" id="card"></section></main>
<nav>
<button type="button" class="secondary" id="back">Back</button>
<button type="button" id="next">Next</button>
<button type="button" id="submit" hidden>Submit answers</button>
</nav>
<script src="module.js"></script>
</body>
</html>
"""


def build_demo_package() -> bytes:
	"""The module's .zip: imsmanifest.xml, index.html, module.css, module.js."""
	script = (
		JS.replace("__SCREENS__", json.dumps(SCREENS))
		.replace("__QUESTIONS__", json.dumps(QUESTIONS))
		.replace("__ANSWERS__", json.dumps(ANSWERS))
		.replace("__PASS_MARK__", str(PASS_MARK))
	)
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
		for name, content in (
			("imsmanifest.xml", MANIFEST),
			("index.html", PAGE),
			("module.css", CSS),
			("module.js", script),
		):
			archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content)
	return buffer.getvalue()
