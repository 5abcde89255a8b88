"""A lesson's SCORM package, checked and unpacked when its course is saved.

A package is refused (417, PackageRefused) and nothing of it is kept when it is not a zip, holds a path
that leaves its folder (`..`, an absolute or drive path, a backslash), a link or another special file,
has no imsmanifest.xml or no launch file, or is larger than the site allows — counted from the sizes
the zip declares and again from the bytes actually written (a zip bomb's header lies; Python's zipfile
stops at the declared size and the CRC check then fails: refused as damaged). Site config:
`smooth_lms_scorm_max_mb` (total uncompressed, default 200) and `smooth_lms_scorm_max_files` (5000).

It is unpacked into a temporary folder beside its final place and renamed into place in one step, so no
reader ever sees half a package; a save rolled back removes what it unpacked, a save committed removes the
lesson's earlier packages (learners' attempts stay: they are rows, not files)."""

import os
import posixpath
import re
import shutil
import stat
import tempfile
import zipfile
import zlib

import frappe
from frappe import _
from frappe.utils import cint, escape_html

from smooth_lms.lms.doctypes import LESSON
from smooth_lms.lms.scorm import storage
from smooth_lms.lms.scorm.manifest import Manifest, ManifestError, parse_manifest

MANIFEST = "imsmanifest.xml"
MAX_MANIFEST_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_MB = 200
DEFAULT_MAX_FILES = 5000
CHUNK = 64 * 1024  # as shutil.copyfileobj (zipfile.extractall)


class PackageRefused(frappe.ValidationError):
	"""The SCORM package cannot be used as it is: nothing of it was kept."""


def unpack_course_packages(course) -> None:
	"""LMS Course validate: each lesson with a package gets it checked and unpacked (once per package),
	and its version, launch file and package id set; a lesson without one has them cleared."""
	before = course.get_doc_before_save()
	earlier = {row.name: row.get("scorm_package") for row in (before.lessons if before else [])}
	for lesson in course.lessons:
		if not lesson.get("scorm_package"):
			lesson.scorm_version = lesson.scorm_launch = lesson.scorm_package_id = None
			continue
		unchanged = earlier.get(lesson.name) == lesson.scorm_package and lesson.get("scorm_package_id")
		if not (unchanged and _unpacked(lesson.name, lesson.scorm_package_id)):
			lesson.scorm_package_id = unpack_lesson_package(lesson)
		manifest = read_unpacked_manifest(lesson.name, lesson.scorm_package_id)
		lesson.scorm_version = manifest.version
		lesson.scorm_launch = manifest.launch + manifest.parameters
	# Earlier packages go once this save is committed (a rolled back save still needs them).
	_after_commit_keep_current({row.name for row in course.lessons} | set(earlier))


def remove_course_packages(course) -> None:
	"""LMS Course on_trash: the lessons' packages go with the course, once the deletion is committed."""
	_after_commit_keep_current({row.name for row in course.lessons})


def unpack_lesson_package(lesson) -> str:
	"""Check and unpack the lesson's attached zip; returns its package id."""
	path = _attached_zip(lesson)
	package_id = storage.package_id(path)
	try:
		storage.lesson_folder(lesson.name)
	except ValueError:
		_refuse(_("Lesson {0} cannot hold a SCORM package under its name.").format(lesson.idx))
	if not _unpacked(lesson.name, package_id):
		check_and_unpack(path, storage.package_folder(lesson.name, package_id))
		# This save may yet fail (another lesson's package, the course's rules): then nothing stays.
		frappe.db.after_rollback.add(lambda: storage.remove_package(lesson.name, package_id))
	return package_id


def check_and_unpack(zip_path: str, target: str) -> Manifest:
	"""Check the zip at `zip_path` and unpack it into the folder `target` (which must not exist), all or
	nothing. Returns its manifest; raises PackageRefused."""
	max_bytes, max_files = limits()
	archive = _open(zip_path)
	with archive:
		entries = _checked_entries(archive, max_bytes, max_files)
		names = {entry.filename for entry in entries}
		if MANIFEST not in names:
			_refuse(_("The package has no imsmanifest.xml at its top level: it is not a SCORM package."))
		manifest = _manifest(_read_manifest(archive))
		if manifest.launch not in names:
			_refuse(
				_("The launch file {0} that imsmanifest.xml names is not in the package.").format(
					escape_html(manifest.launch)
				)
			)
		os.makedirs(storage.scorm_root(), exist_ok=True)
		unpacking = tempfile.mkdtemp(prefix=".unpacking-", dir=storage.scorm_root())
		try:
			_extract(archive, entries, unpacking, max_bytes)
			os.makedirs(os.path.dirname(target), exist_ok=True)
			try:
				os.rename(unpacking, target)
			except OSError:
				if not os.path.isdir(target):  # not another save of the same package winning the race
					raise
		finally:
			shutil.rmtree(unpacking, ignore_errors=True)
	return manifest


def read_unpacked_manifest(lesson: str, package_id: str) -> Manifest:
	path = os.path.join(storage.package_folder(lesson, package_id), MANIFEST)
	with open(path, "rb") as file:
		return _manifest(file.read(MAX_MANIFEST_BYTES + 1))


def limits() -> tuple[int, int]:
	"""The site's limits: total uncompressed bytes and number of files."""
	max_mb = cint(frappe.conf.get("smooth_lms_scorm_max_mb")) or DEFAULT_MAX_MB
	return max_mb * 1024 * 1024, cint(frappe.conf.get("smooth_lms_scorm_max_files")) or DEFAULT_MAX_FILES


def _attached_zip(lesson) -> str:
	url = lesson.scorm_package
	file = frappe.db.get_value(
		"File",
		{"file_url": url, "is_folder": 0},
		["name", "is_private"],
		as_dict=True,
		order_by="is_private desc",
	)
	if not file:
		_refuse(_("The SCORM package {0} of lesson {1} was not found.").format(escape_html(url), lesson.idx))
	if not file.is_private:
		_refuse(
			_(
				"The SCORM package of lesson {0} is a public file: anyone could download it. Upload it as a private file."
			).format(lesson.idx)
		)
	doc = frappe.get_doc("File", file.name)
	# The author gives learners a package they may read themselves, not someone else's private file.
	if not doc.has_permission("read"):
		frappe.throw(_("You cannot read the file {0}.").format(escape_html(url)), frappe.PermissionError)
	return doc.get_full_path()


def _open(zip_path: str) -> zipfile.ZipFile:
	try:
		if zipfile.is_zipfile(zip_path):
			return zipfile.ZipFile(zip_path)
	except (OSError, zipfile.BadZipFile, ValueError):
		pass
	_refuse(_("The SCORM package is not a zip file."))


def _checked_entries(archive: zipfile.ZipFile, max_bytes: int, max_files: int) -> list[zipfile.ZipInfo]:
	"""The zip's files (folders left out), each with a name that stays inside the package and of a
	regular file; the declared sizes and the number of files within the limits."""
	entries, declared = [], 0
	for info in archive.infolist():
		_check_name(info.filename)
		kind = stat.S_IFMT(info.external_attr >> 16)
		if kind == stat.S_IFLNK:
			_refuse(
				_("The package holds a link ({0}): links are not allowed.").format(escape_html(info.filename))
			)
		if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
			_refuse(_("The package holds {0}, which is not a file.").format(escape_html(info.filename)))
		if info.is_dir():
			continue
		entries.append(info)
		declared += info.file_size
		if len(entries) > max_files:
			_refuse(_("The package holds more than {0} files.").format(max_files))
		if declared > max_bytes:
			_refuse(_("The package is larger than {0} MB once unpacked.").format(max_bytes // (1024 * 1024)))
	return entries


def _check_name(name: str) -> None:
	parts = name.split("/")
	if (
		not name
		or "\\" in name
		or "\x00" in name
		or name.startswith("/")
		or re.match(r"[A-Za-z]:", name)
		or ".." in parts
		or posixpath.normpath(name).startswith("..")
	):
		_refuse(_("The package holds a path that leaves its folder: {0}.").format(escape_html(name[:200])))


def _extract(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], folder: str, max_bytes: int) -> None:
	"""Write each file, counting the bytes actually read: never more than declared nor the limit."""
	written = 0
	for info in entries:
		target = os.path.join(folder, *posixpath.normpath(info.filename).split("/"))
		if os.path.commonpath([folder, target]) != folder or target == folder:
			_refuse(
				_("The package holds a path that leaves its folder: {0}.").format(escape_html(info.filename))
			)
		try:
			os.makedirs(os.path.dirname(target), exist_ok=True)
			with archive.open(info) as source, open(target, "xb") as out:
				size = 0
				while chunk := source.read(CHUNK):
					size += len(chunk)
					written += len(chunk)
					if size > info.file_size or written > max_bytes:
						_refuse(
							_("The package is larger than {0} MB once unpacked.").format(
								max_bytes // (1024 * 1024)
							)
						)
					out.write(chunk)
		except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
			_refuse(
				_("The package is damaged or uses what cannot be unpacked ({0}: {1}).").format(
					escape_html(info.filename), escape_html(str(error)[:200])
				)
			)
		except FileExistsError:
			_refuse(_("The package lists {0} twice.").format(escape_html(info.filename)))
		except (NotADirectoryError, IsADirectoryError):
			_refuse(
				_("The package holds {0} both as a file and a folder.").format(escape_html(info.filename))
			)


def _read_manifest(archive: zipfile.ZipFile) -> bytes:
	info = archive.getinfo(MANIFEST)
	if info.file_size > MAX_MANIFEST_BYTES:
		_refuse(_("imsmanifest.xml is larger than {0} MB.").format(MAX_MANIFEST_BYTES // (1024 * 1024)))
	try:
		with archive.open(info) as source:
			return source.read(MAX_MANIFEST_BYTES + 1)
	except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
		_refuse(_("The package is damaged ({0}: {1}).").format(MANIFEST, escape_html(str(error)[:200])))


def _manifest(data: bytes) -> Manifest:
	if len(data) > MAX_MANIFEST_BYTES:
		_refuse(_("imsmanifest.xml is larger than {0} MB.").format(MAX_MANIFEST_BYTES // (1024 * 1024)))
	try:
		return parse_manifest(data)
	except ManifestError as error:
		_refuse(str(error))


def _after_commit_keep_current(lessons: set[str]) -> None:
	"""Once the transaction is committed, each of these lessons keeps only the package it has then (a
	lesson deleted: none). Read at that moment: saves of one transaction each add this, in any order."""

	def keep_current():
		rows = frappe.get_all(LESSON, {"name": ("in", list(lessons))}, ["name", "scorm_package_id"])
		current = {row.name: row.scorm_package_id for row in rows}
		storage.keep_only({lesson: current.get(lesson) for lesson in lessons})

	if lessons:
		frappe.db.after_commit.add(keep_current)


def _unpacked(lesson: str, package_id: str | None) -> bool:
	try:
		return bool(package_id) and os.path.isfile(
			os.path.join(storage.package_folder(lesson, package_id), MANIFEST)
		)
	except ValueError:
		return False


def _refuse(message: str):
	frappe.throw(message, PackageRefused, title=_("SCORM Package Refused"))
