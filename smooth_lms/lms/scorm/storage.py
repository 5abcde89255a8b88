"""Where unpacked SCORM packages live: `<site>/private/scorm/<lesson>/<package id>/`, outside /files and
/private/files and never a File document, so Frappe serves none of it; only smooth_lms.lms.scorm.serving
does, under a learner's token. A package id is the first 16 hex digits of the zip's SHA-256: a replaced
package gets a new folder, and an unchanged one is not unpacked twice."""

import hashlib
import os
import re
import shutil

import frappe

APP = "smooth_lms"
FOLDER = "scorm"
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,139}")
CHUNK = 1024 * 1024


def scorm_root() -> str:
	return os.path.abspath(frappe.get_site_path("private", FOLDER))


def lesson_folder(lesson: str) -> str:
	if not SAFE_NAME.fullmatch(lesson or ""):
		raise ValueError(f"not a lesson row name: {lesson!r}")
	return os.path.join(scorm_root(), lesson)


def package_folder(lesson: str, package_id: str) -> str:
	if not re.fullmatch(r"[0-9a-f]{16}", package_id or ""):
		raise ValueError(f"not a package id: {package_id!r}")
	return os.path.join(lesson_folder(lesson), package_id)


def package_id(path: str) -> str:
	"""The first 16 hex digits of the file's SHA-256."""
	digest = hashlib.sha256()
	with open(path, "rb") as file:
		while chunk := file.read(CHUNK):
			digest.update(chunk)
	return digest.hexdigest()[:16]


def keep_only(lessons: dict[str, str | None]) -> None:
	"""For each lesson (row name -> its current package id, None for none), remove the other packages'
	folders. Learners' attempts are records in the database: they outlive the files."""
	for lesson, current in lessons.items():
		if not SAFE_NAME.fullmatch(lesson or ""):
			continue
		folder = lesson_folder(lesson)
		if not os.path.isdir(folder):
			continue
		for entry in os.listdir(folder):
			if entry != current:
				shutil.rmtree(os.path.join(folder, entry), ignore_errors=True)
		if not os.listdir(folder):
			os.rmdir(folder)


def remove_package(lesson: str, package_id: str) -> None:
	"""Remove one unpacked package (and its lesson's folder, left empty)."""
	shutil.rmtree(package_folder(lesson, package_id), ignore_errors=True)
	folder = lesson_folder(lesson)
	if os.path.isdir(folder) and not os.listdir(folder):
		os.rmdir(folder)


def remove_all() -> None:
	"""after_uninstall (hooks.py): the app leaves no unpacked package behind. Frappe runs the hook on a
	dry run too: nothing is removed while the app is still installed."""
	if APP in frappe.get_installed_apps():
		return
	shutil.rmtree(scorm_root(), ignore_errors=True)
