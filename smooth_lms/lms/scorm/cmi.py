"""What a SCORM package reports, read from its CMI data: pure rules, no database.

The runtime in the package's frame (scorm-again) posts its CMI as JSON: SCORM 1.2's `{"core":
{"lesson_status", "score": {"raw", "max"}, "session_time", "lesson_location"}, "suspend_data"}` or
2004's `{"completion_status", "success_status", "score", "session_time", "location", "suspend_data"}`
(also accepted wrapped as `{"cmi": {...}}` or flattened as `{"cmi.core.lesson_status": ...}`). Values are
checked against SCORM's vocabularies and formats, which the runtime enforces on the package's every
SetValue: anything else was not sent by the runtime, and is refused (MalformedCMI), not stored.

When a lesson is finished (SPEC.md): 1.2 — lesson_status completed or passed; 2004 — completion_status
completed and success_status not failed. A failed attempt finishes nothing.
"""

import dataclasses
import json
import math
import re

from smooth_lms.lms.scorm.manifest import V12

MAX_CMI_BYTES = 512 * 1024
MAX_SUSPEND_DATA = 64000
MAX_LOCATION = 1000
MAX_SESSION_SECONDS = 24 * 3600
STATUS_12 = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
COMPLETION_2004 = {"completed", "incomplete", "not attempted", "unknown"}
SUCCESS_2004 = {"passed", "failed", "unknown"}
DURATION_12 = re.compile(r"(\d{2,4}):([0-5]?\d):([0-5]?\d(?:\.\d{1,2})?)")
DURATION_2004 = re.compile(
	r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?"
)


class MalformedCMI(ValueError):
	"""The CMI data was not sent by a SCORM runtime: the message says what is wrong."""


@dataclasses.dataclass(frozen=True)
class Report:
	lesson_status: str  # 1.2's words for both versions: passed / failed / completed / incomplete / ...
	completion_status: str
	success_status: str
	score_raw: float | None
	score_max: float | None
	session_seconds: float | None  # None: the package set no session time
	suspend_data: str
	location: str


def parse(version: str, cmi) -> tuple[dict, Report]:
	"""The CMI (a JSON text or an object) as a plain object, and what it reports. Raises MalformedCMI."""
	if isinstance(cmi, str):
		if len(cmi.encode()) > MAX_CMI_BYTES:
			raise MalformedCMI(f"the CMI data is larger than {MAX_CMI_BYTES // 1024} KB")
		try:
			cmi = json.loads(cmi, parse_constant=_no_constant)
		except (ValueError, RecursionError):
			raise MalformedCMI("the CMI data is not JSON") from None
	if not isinstance(cmi, dict):
		raise MalformedCMI("the CMI data must be a JSON object")
	try:
		size = len(json.dumps(cmi, allow_nan=False))
	except (ValueError, TypeError, RecursionError):
		raise MalformedCMI("the CMI data is not plain JSON") from None
	if size > MAX_CMI_BYTES:
		raise MalformedCMI(f"the CMI data is larger than {MAX_CMI_BYTES // 1024} KB")
	cmi = _normalised(cmi)
	return cmi, (_report_12(cmi) if version == V12 else _report_2004(cmi))


def finishes(version: str, report: Report) -> bool:
	if version == V12:
		return report.lesson_status in ("completed", "passed")
	return report.completion_status == "completed" and report.success_status != "failed"


def resume_data(version: str, saved: dict, learner_id: str, learner_name: str) -> dict:
	"""What the runtime loads (scorm-again's loadFromJSON) before the package starts: who the learner is,
	and where they stopped — status, score, location, suspend data, time so far. `saved` holds the
	attempt's fields (empty for a fresh attempt)."""
	resuming = bool(saved.get("suspend_data") or saved.get("location"))
	score = {
		key: _number_text(saved.get(field))
		for key, field in (("raw", "score_raw"), ("max", "score_max"))
		if saved.get(field) is not None and saved.get("score_max")
	}
	seconds = int(saved.get("total_time") or 0)
	if version == V12:
		core = {
			"student_id": learner_id,
			"student_name": learner_name,
			"entry": "resume" if resuming else "ab-initio",
			"lesson_location": saved.get("location") or "",
			"lesson_status": saved.get("lesson_status") or "not attempted",
			"total_time": f"{seconds // 3600:04d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}",
		}
		if score:
			core["score"] = score
		return {"core": core, "suspend_data": saved.get("suspend_data") or ""}
	data = {
		"learner_id": learner_id,
		"learner_name": learner_name,
		"entry": "resume" if resuming else "ab-initio",
		"location": saved.get("location") or "",
		"completion_status": saved.get("completion_status") or "unknown",
		"success_status": saved.get("success_status") or "unknown",
		"suspend_data": saved.get("suspend_data") or "",
		"total_time": f"PT{seconds}S",
	}
	if score:
		data["score"] = score
	return data


def duration_seconds(text: str) -> float | None:
	"""Seconds of a SCORM 1.2 (HHHH:MM:SS.SS) or 2004 (ISO 8601, PT1H2M3.5S) duration; None if neither."""
	text = (text or "").strip()
	if match := DURATION_12.fullmatch(text):
		hours, minutes, seconds = match.groups()
		return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
	if (match := DURATION_2004.fullmatch(text)) and text not in ("P", "PT") and not text.endswith("T"):
		years, months, days, hours, minutes, seconds = (float(g or 0) for g in match.groups())
		return ((years * 365 + months * 30 + days) * 24 + hours) * 3600 + minutes * 60 + seconds
	return None


def _report_12(cmi: dict) -> Report:
	core = _object(cmi, "core")
	status = _word(core, "lesson_status", STATUS_12) or "not attempted"
	raw, max_ = _score(_object(core, "score"))
	return Report(
		lesson_status=status,
		completion_status={"passed": "completed", "failed": "completed", "browsed": "incomplete"}.get(
			status, status
		),
		success_status=status if status in ("passed", "failed") else "unknown",
		score_raw=raw,
		score_max=max_,
		session_seconds=_session(core),
		suspend_data=_text(cmi, "suspend_data", MAX_SUSPEND_DATA),
		location=_text(core, "lesson_location", MAX_LOCATION),
	)


def _report_2004(cmi: dict) -> Report:
	completion = _word(cmi, "completion_status", COMPLETION_2004) or "unknown"
	success = _word(cmi, "success_status", SUCCESS_2004) or "unknown"
	score = _object(cmi, "score")
	raw, max_ = _score(score)
	scaled = _decimal(score, "scaled")
	if raw is None and scaled is not None:
		if not -1 <= scaled <= 1:
			raise MalformedCMI("score.scaled must be between -1 and 1")
		raw, max_ = round(scaled * 100, 2), 100.0
	return Report(
		lesson_status=success if success in ("passed", "failed") else completion,
		completion_status=completion,
		success_status=success,
		score_raw=raw,
		score_max=max_,
		session_seconds=_session(cmi),
		suspend_data=_text(cmi, "suspend_data", MAX_SUSPEND_DATA),
		location=_text(cmi, "location", MAX_LOCATION),
	)


def _normalised(cmi: dict) -> dict:
	if set(cmi) == {"cmi"} and isinstance(cmi["cmi"], dict):
		return cmi["cmi"]
	if any(isinstance(key, str) and key.startswith("cmi.") for key in cmi):
		nested: dict = {}
		for key, value in cmi.items():
			parts = str(key).removeprefix("cmi.").split(".")
			node = nested
			for part in parts[:-1]:
				child = node.setdefault(part, {})
				if not isinstance(child, dict):
					raise MalformedCMI(f"{key} is both a value and a group")
				node = child
			node[parts[-1]] = value
		return nested
	return cmi


def _object(data: dict, key: str) -> dict:
	value = data.get(key)
	if value in (None, ""):
		return {}
	if not isinstance(value, dict):
		raise MalformedCMI(f"{key} must be an object")
	return value


def _text(data: dict, key: str, limit: int) -> str:
	value = data.get(key)
	if value is None:
		return ""
	if not isinstance(value, str):
		raise MalformedCMI(f"{key} must be text")
	if len(value) > limit:
		raise MalformedCMI(f"{key} is longer than {limit} characters")
	return value


def _word(data: dict, key: str, allowed: set[str]) -> str:
	value = _text(data, key, 100).strip().lower()
	if value and value not in allowed:
		raise MalformedCMI(f"{key} must be one of {', '.join(sorted(allowed))}")
	return value


def _decimal(data: dict, key: str) -> float | None:
	value = data.get(key)
	if value is None or value == "":
		return None
	if isinstance(value, bool) or not isinstance(value, str | int | float):
		raise MalformedCMI(f"score.{key} must be a number")
	try:
		number = float(value)
	except ValueError:
		raise MalformedCMI(f"score.{key} must be a number") from None
	if not math.isfinite(number) or abs(number) > 1e9:
		raise MalformedCMI(f"score.{key} must be a number")
	return number


def _score(score: dict) -> tuple[float | None, float | None]:
	raw, max_ = _decimal(score, "raw"), _decimal(score, "max")
	_decimal(score, "min")  # checked, not kept
	return raw, max_


def _session(data: dict) -> float | None:
	text = _text(data, "session_time", 100)
	if not text:
		return None
	seconds = duration_seconds(text)
	if seconds is None:
		raise MalformedCMI("session_time is not a SCORM duration")
	return min(seconds, MAX_SESSION_SECONDS) if seconds > 0 else None


def _number_text(value) -> str:
	return f"{float(value):g}"


def _no_constant(name: str):
	raise ValueError(f"{name} is not JSON")
