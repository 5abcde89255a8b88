"""Where the learner portal lives (smooth_lms/www/lms/), for every page, email and print that links to it."""

from urllib.parse import quote

HOME_ROUTE = "/lms"
COURSES_ROUTE = "/lms/courses"  # the catalogue; a course's page is COURSES_ROUTE/<course>
MY_TEAM_ROUTE = "/lms/my-team"
STATISTICS_ROUTE = "/lms/statistics"
CERTIFICATE_METHOD = "/api/method/smooth_lms.lms.certificates.download_certificate"
VERIFY_ROUTE = "/lms/verify"  # a certificate's page for anyone holding its code: VERIFY_ROUTE/<code>


def course_url(course: str) -> str:
	return f"{COURSES_ROUTE}/{quote(course, safe='')}"


def lesson_url(course: str, lesson: str) -> str:
	"""A lesson's own page: <course page>/lessons/<LMS Course Lesson row name>."""
	return f"{course_url(course)}/lessons/{quote(lesson, safe='')}"


def certificate_url(assignment: str) -> str:
	return f"{CERTIFICATE_METHOD}?assignment={quote(assignment, safe='')}"


def verify_url(code: str) -> str:
	"""The page where anyone checks a certificate (relative; certificates.verification_url is absolute)."""
	return f"{VERIFY_ROUTE}/{quote(code, safe='')}"
