"""A lesson's SCORM package on the course's save: what is unpacked where, what the manifest says, and
every hostile package refused (417) with nothing of it kept."""

import io
import os
import stat
import zipfile
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from smooth_lms.lms.doctypes import COURSE, LESSON
from smooth_lms.lms.scorm import storage
from smooth_lms.lms.scorm.manifest import ManifestError, parse_manifest
from smooth_lms.lms.scorm.packages import PackageRefused
from smooth_lms.tests.factories import make_course
from smooth_lms.tests.scorm_packages import (
	attach_package,
	build_package,
	launch_page,
	manifest_xml,
	zip_of,
)

GOOD = {"imsmanifest.xml": manifest_xml("1.2", "index.html"), "index.html": launch_page("1.2"), "sco.js": ""}
ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<manifest><metadata><schemaversion>&d;</schemaversion></metadata></manifest>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<manifest><metadata><schemaversion>1.2</schemaversion></metadata>
<organizations default="o"><organization identifier="o"><title>&secret;</title>
<item identifier="i" identifierref="r"><title>x</title></item></organization></organizations>
<resources><resource identifier="r" type="webcontent" href="index.html"/></resources></manifest>"""


def with_link(files: dict, name: str, target: str) -> bytes:
	"""`files` zipped with `name` a symbolic link to `target` (as zip -y stores one)."""
	buffer = io.BytesIO(zip_of(files))
	with zipfile.ZipFile(buffer, "a") as archive:
		info = zipfile.ZipInfo(name)
		info.create_system = 3
		info.external_attr = (stat.S_IFLNK | 0o777) << 16
		archive.writestr(info, target)
	return buffer.getvalue()


def lying_sizes(files: dict, big: str) -> bytes:
	"""`files` zipped, the member `big`'s sizes in both headers rewritten to 10 bytes: a zip bomb whose
	header lies about what it inflates to."""
	data = bytearray(zip_of(files))
	with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
		info = archive.getinfo(big)
		local, size = info.header_offset, info.file_size
	data[local + 22 : local + 26] = (10).to_bytes(4, "little")  # local header: uncompressed size
	at = 0
	while (at := data.find(b"PK\x01\x02", at)) >= 0:
		name_length = int.from_bytes(data[at + 28 : at + 30], "little")
		if data[at + 46 : at + 46 + name_length].decode() == big:
			assert int.from_bytes(data[at + 24 : at + 28], "little") == size
			data[at + 24 : at + 28] = (10).to_bytes(4, "little")  # central directory: uncompressed size
		at += 4
	return bytes(data)


class TestPackages(FrappeTestCase):
	def setUp(self):
		# Committed: a refused save rolls the whole transaction back, as the request that saved it would.
		self.course = make_course(lessons=2)
		frappe.db.commit()

	def tearDown(self):
		frappe.db.rollback()
		frappe.delete_doc(COURSE, self.course, force=True, ignore_permissions=True)
		frappe.db.commit()

	def lesson_row(self, number: int = 1) -> frappe._dict:
		return frappe.db.get_value(
			LESSON,
			{"parent": self.course, "idx": number},
			["name", "scorm_package", "scorm_version", "scorm_launch", "scorm_package_id"],
			as_dict=True,
		)

	def assert_refused(self, data: bytes, words: str) -> None:
		lesson = self.lesson_row().name
		before = set(os.listdir(storage.scorm_root())) if os.path.isdir(storage.scorm_root()) else set()
		with self.assertRaises(PackageRefused) as caught:
			attach_package(self.course, 1, data)
		self.assertEqual(caught.exception.http_status_code, 417)
		self.assertIn(words, str(caught.exception))
		frappe.db.rollback()  # what a refused request does
		self.assertFalse(os.path.exists(os.path.join(storage.scorm_root(), lesson)), "something was kept")
		after = set(os.listdir(storage.scorm_root())) if os.path.isdir(storage.scorm_root()) else set()
		self.assertEqual(after - before, set(), "a temporary folder was left")

	# --- what a good package gives -----------------------------------------------------------------

	def test_a_12_package_is_unpacked_with_its_version_and_launch_file(self):
		data = build_package("1.2", extra_files={"media/a b.txt": "text"})
		lesson = attach_package(self.course, 1, data)
		row = self.lesson_row()
		self.assertEqual((row.scorm_version, row.scorm_launch), ("1.2", "index.html"))
		self.assertEqual(len(row.scorm_package_id), 16)
		folder = storage.package_folder(lesson, row.scorm_package_id)
		self.assertTrue(os.path.isfile(os.path.join(folder, "media", "a b.txt")))
		self.assertEqual(sorted(os.listdir(folder)), ["imsmanifest.xml", "index.html", "media", "sco.js"])
		self.assertFalse(frappe.db.exists("File", {"file_url": ("like", f"%{row.scorm_package_id}%")}))

	def test_a_2004_package_launches_with_its_items_parameters(self):
		attach_package(self.course, 2, build_package("2004", launch="start/page.html", parameters="?mode=x"))
		row = self.lesson_row(2)
		self.assertEqual((row.scorm_version, row.scorm_launch), ("2004", "start/page.html?mode=x"))

	def test_a_saved_course_does_not_unpack_its_package_again(self):
		lesson = attach_package(self.course, 1, build_package("1.2"))
		folder = storage.package_folder(lesson, self.lesson_row().scorm_package_id)
		marker = os.path.join(folder, "marker")
		open(marker, "w").close()
		doc = frappe.get_doc(COURSE, self.course)
		doc.short_introduction = "Changed"
		doc.save()
		self.assertTrue(os.path.exists(marker))

	def test_a_rolled_back_save_keeps_nothing(self):
		lesson = attach_package(self.course, 1, build_package("2004"))
		self.assertTrue(os.path.isdir(storage.lesson_folder(lesson)))
		frappe.db.rollback()
		self.assertFalse(os.path.exists(storage.lesson_folder(lesson)))

	def test_packages_committed_with_their_course_stay_and_go_with_it(self):
		course = make_course(lessons=1)  # inserted and given its package in one transaction
		lesson = attach_package(course, 1, build_package("1.2"))
		frappe.db.commit()
		self.assertTrue(os.path.isdir(storage.lesson_folder(lesson)))
		frappe.delete_doc(COURSE, course, force=True, ignore_permissions=True)
		self.assertTrue(os.path.isdir(storage.lesson_folder(lesson)))  # until the deletion is committed
		frappe.db.commit()
		self.assertFalse(os.path.exists(storage.lesson_folder(lesson)))

	def test_a_public_file_is_refused(self):
		file = frappe.get_doc(
			{"doctype": "File", "file_name": "public.zip", "content": build_package("1.2"), "is_private": 0}
		).insert(ignore_permissions=True)
		doc = frappe.get_doc(COURSE, self.course)
		doc.lessons[0].scorm_package = file.file_url
		with self.assertRaises(PackageRefused) as caught:
			doc.save()
		self.assertIn("public file", str(caught.exception))

	def test_a_lesson_finished_another_way_cannot_have_a_package(self):
		doc = frappe.get_doc(COURSE, self.course)
		doc.lessons[0].acknowledgement = "I have read it."
		doc.lessons[0].scorm_package = "/private/files/whatever.zip"
		with self.assertRaises(frappe.ValidationError) as caught:
			doc.save()
		self.assertIn("one way only", str(caught.exception))

	# --- hostile packages: refused, nothing kept ---------------------------------------------------

	def test_zip_slip_is_refused(self):
		self.assert_refused(zip_of({**GOOD, "../evil.html": "x"}), "leaves its folder")
		self.assert_refused(zip_of({**GOOD, "media/../../evil.html": "x"}), "leaves its folder")

	def test_absolute_and_drive_paths_are_refused(self):
		self.assert_refused(zip_of({**GOOD, "/tmp/evil.html": "x"}), "leaves its folder")
		self.assert_refused(zip_of({**GOOD, "C:/evil.html": "x"}), "leaves its folder")

	def test_backslash_paths_are_refused(self):
		self.assert_refused(zip_of({**GOOD, "..\\evil.html": "x"}), "leaves its folder")

	def test_links_are_refused(self):
		self.assert_refused(with_link(GOOD, "passwd", "/etc/passwd"), "link")

	def test_a_package_without_manifest_is_refused(self):
		files = dict(GOOD)
		del files["imsmanifest.xml"]
		self.assert_refused(zip_of(files), "no imsmanifest.xml")
		self.assert_refused(zip_of({"course/imsmanifest.xml": GOOD["imsmanifest.xml"]}), "no imsmanifest.xml")

	def test_a_manifest_without_launch_is_refused(self):
		manifest = manifest_xml("1.2", "index.html").replace(' identifierref="res-1"', "")
		self.assert_refused(zip_of({**GOOD, "imsmanifest.xml": manifest}), "no item to launch")
		manifest = manifest_xml("2004", "index.html").replace(' href="index.html"', "", 1)
		self.assert_refused(zip_of({**GOOD, "imsmanifest.xml": manifest}), "no href")

	def test_a_launch_file_missing_from_the_package_is_refused(self):
		files = dict(GOOD)
		del files["index.html"]
		self.assert_refused(zip_of(files), "is not in the package")
		manifest = manifest_xml("1.2", "http://example.com/index.html")
		self.assert_refused(zip_of({**GOOD, "imsmanifest.xml": manifest}), "not in the package")

	def test_entity_tricks_in_the_manifest_are_refused(self):
		self.assert_refused(zip_of({**GOOD, "imsmanifest.xml": ENTITY_BOMB}), "DTD or entities")
		self.assert_refused(zip_of({**GOOD, "imsmanifest.xml": EXTERNAL_ENTITY}), "DTD or entities")

	def test_a_package_too_large_as_declared_is_refused(self):
		with patch.dict(frappe.local.conf, {"smooth_lms_scorm_max_mb": 1}):
			self.assert_refused(zip_of({**GOOD, "video.mp4": b"\0" * (2 * 1024 * 1024)}), "larger than 1 MB")

	def test_a_zip_bomb_whose_header_lies_is_refused(self):
		bomb = lying_sizes({**GOOD, "bomb.bin": b"\0" * (5 * 1024 * 1024)}, "bomb.bin")
		with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
			self.assertEqual(archive.getinfo("bomb.bin").file_size, 10)  # what it declares
		with patch.dict(frappe.local.conf, {"smooth_lms_scorm_max_mb": 1}):
			self.assert_refused(bomb, "damaged")

	def test_too_many_files_are_refused(self):
		files = {**GOOD, **{f"page{i}.html": "x" for i in range(20)}}
		with patch.dict(frappe.local.conf, {"smooth_lms_scorm_max_files": 10}):
			self.assert_refused(zip_of(files), "more than 10 files")

	def test_what_is_not_a_zip_is_refused(self):
		self.assert_refused(b"%PDF-1.4 not a zip at all", "not a zip file")
		self.assert_refused(zip_of(GOOD)[:200], "not a zip file")

	def test_a_file_listed_twice_is_refused(self):
		buffer = io.BytesIO(zip_of(GOOD))
		with zipfile.ZipFile(buffer, "a") as archive, self.assertWarns(UserWarning):
			archive.writestr("sco.js", "again")
		self.assert_refused(buffer.getvalue(), "twice")

	# --- leaving -----------------------------------------------------------------------------------

	def test_uninstalling_removes_every_unpacked_package(self):
		lesson = attach_package(self.course, 1, build_package("1.2"))
		self.assertIn("smooth_lms.lms.scorm.storage.remove_all", frappe.get_hooks("after_uninstall"))
		storage.remove_all()  # a dry run: the app is still installed
		self.assertTrue(os.path.isdir(storage.lesson_folder(lesson)))
		with patch.object(frappe, "get_installed_apps", return_value=["frappe"]):
			storage.remove_all()
		self.assertFalse(os.path.exists(storage.scorm_root()))


class TestManifest(FrappeTestCase):
	def test_the_version_comes_from_schemaversion_or_the_namespaces(self):
		self.assertEqual(parse_manifest(manifest_xml("1.2", "a.html").encode()).version, "1.2")
		self.assertEqual(parse_manifest(manifest_xml("2004", "a.html").encode()).version, "2004")
		for version in ("1.2", "2004"):
			text = (
				manifest_xml(version, "a.html")
				.replace("<schemaversion>", "<x>")
				.replace("</schemaversion>", "</x>")
			)
			self.assertEqual(parse_manifest(text.encode()).version, version)

	def test_the_launch_file_follows_xml_base_and_parameters(self):
		text = manifest_xml("2004", "a%20b.html?x=1", parameters="?y=2", base="content/")
		manifest = parse_manifest(text.encode())
		self.assertEqual((manifest.launch, manifest.parameters), ("content/a b.html", "?x=1&y=2"))

	def test_the_default_organization_is_launched(self):
		text = manifest_xml("1.2", "first.html").replace('default="org-1"', 'default="org-2"')
		text = text.replace(
			"</organizations>",
			'<organization identifier="org-2"><item identifier="i2" identifierref="res-2"/></organization>'
			"</organizations>",
		).replace("</resources>", '<resource identifier="res-2" href="second.html"/></resources>')
		self.assertEqual(parse_manifest(text.encode()).launch, "second.html")

	def test_what_is_not_a_manifest_says_why(self):
		for text, words in (
			(b"<not-closed", "not well-formed"),
			(b"<other/>", "no <manifest>"),
			(b"<manifest/>", "neither SCORM 1.2 nor SCORM 2004"),
			(ENTITY_BOMB.encode(), "DTD"),
		):
			with self.assertRaises(ManifestError) as caught:
				parse_manifest(text)
			self.assertIn(words, str(caught.exception))
