"""No-site checks of the DocType JSON: the contract's names and types, and the desk's own shape."""

import json
from pathlib import Path

import pytest

DOCTYPES = Path(__file__).resolve().parent.parent / "lms" / "doctype"

CONTRACT = {
	"LMS Course": {
		"title": ("Data", None),
		"short_introduction": ("Small Text", None),
		"description": ("Text Editor", None),
		"image": ("Attach Image", None),
		"published": ("Check", None),
		"is_mandatory": ("Check", None),
		"validity_days": ("Int", None),
		"disable_self_learning": ("Check", None),
	},
	"LMS Enrollment": {
		"member": ("Link", "User"),
		"member_name": ("Data", None),
		"course": ("Link", "LMS Course"),
		"progress": ("Float", None),
		"completed_on": ("Date", None),
	},
	"LMS Training Assignment": {
		"employee": ("Link", "User"),
		"employee_name": ("Data", None),
		"course": ("Link", "LMS Course"),
		"course_title": ("Data", None),
		"due_date": ("Date", None),
		"status": ("Select", "Pending\nIn Progress\nCompleted\nOverdue"),
		"assigned_by": ("Link", "User"),
		"completed_on": ("Date", None),
		"enrollment": ("Link", "LMS Enrollment"),
		"progress": ("Float", None),
	},
}


def load(doctype: str) -> dict:
	folder = doctype.lower().replace(" ", "_")
	return json.loads((DOCTYPES / folder / f"{folder}.json").read_text())


def fields(doctype: str) -> dict[str, dict]:
	return {f["fieldname"]: f for f in load(doctype)["fields"]}


ALL = sorted(p.name for p in DOCTYPES.iterdir() if p.is_dir() and not p.name.startswith("__"))


@pytest.mark.parametrize("folder", ALL)
def test_desk_export_shape(folder):
	path = DOCTYPES / folder / f"{folder}.json"
	text = path.read_text()
	doc = json.loads(text)
	assert doc["doctype"] == "DocType"
	assert doc["name"].lower().replace(" ", "_") == folder
	assert doc["module"] == "LMS"
	assert (
		text == json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
	), "not as the desk exports"
	names = [f["fieldname"] for f in doc["fields"]]
	assert len(names) == len(set(names)), "duplicate fieldname"
	assert doc["field_order"] == names
	assert (DOCTYPES / folder / f"{folder}.py").exists(), "controller beside the JSON"
	assert (DOCTYPES / folder / "__init__.py").exists()


@pytest.mark.parametrize("doctype", sorted(CONTRACT))
def test_contract_fields(doctype):
	have = fields(doctype)
	for fieldname, (fieldtype, options) in CONTRACT[doctype].items():
		assert fieldname in have, f"{doctype}.{fieldname} missing"
		assert have[fieldname]["fieldtype"] == fieldtype, fieldname
		if options:
			assert have[fieldname]["options"] == options, fieldname


def test_required_fields_and_labels():
	course, enrollment, assignment = (
		fields(d) for d in ("LMS Course", "LMS Enrollment", "LMS Training Assignment")
	)
	assert course["title"].get("reqd") == 1
	assert course["is_mandatory"]["label"] == "Mandatory Training"
	assert course["validity_days"]["label"] == "Validity Period (Days)"
	assert course["validity_days"]["description"] == "After expiry, employees must recertify."
	assert course["validity_days"]["depends_on"] == "eval:doc.is_mandatory"
	assert course["disable_self_learning"]["label"] == "Disable Self Learning"
	assert enrollment["member"].get("reqd") == enrollment["course"].get("reqd") == 1
	for fieldname in ("employee", "course", "due_date"):
		assert assignment[fieldname].get("reqd") == 1, fieldname
	assert assignment["employee"]["label"] == "Employee"
	assert assignment["status"]["default"] == "Pending"
	assert assignment["assigned_by"]["default"] == "__user"
	for fieldname in ("completed_on", "enrollment", "progress"):
		assert assignment[fieldname].get("read_only") == 1, fieldname
	assert assignment["open_key"].get("unique") == 1
	assert load("LMS Training Assignment")["autoname"] == "TA-.####"


def test_permissions():
	def roles(doctype):
		return {p["role"]: p for p in load(doctype)["permissions"]}

	assignment = roles("LMS Training Assignment")
	for role in ("System Manager", "Moderator"):
		for right in ("create", "write", "delete", "export", "read"):
			assert assignment[role].get(right) == 1, (role, right)
	assert assignment["HR Manager"].get("read") == assignment["HR Manager"].get("export") == 1
	# HR keeps the record (records completions done elsewhere, extends due dates) but never assigns or
	# deletes training: write without create or delete.
	assert assignment["HR Manager"].get("write") == 1
	assert not any(assignment["HR Manager"].get(r) for r in ("create", "delete"))
	assert assignment["LMS Student"] == {"role": "LMS Student", "read": 1}
	assert set(assignment) == {"System Manager", "Moderator", "HR Manager", "LMS Student"}
	course = roles("LMS Course")
	for role in ("System Manager", "Moderator", "Course Creator"):
		assert course[role].get("write") == 1
