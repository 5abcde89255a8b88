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
