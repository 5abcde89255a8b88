"""The names of the DocTypes the app reads and writes, defined once.

HRMS's Employee and Employee Onboarding, and Smooth HR's Employee Compliance, are read by name only:
HRMS is not a dependency, and on a site without it the app's stand-ins (smooth_lms.demo.hr_doctypes)
carry the same names.
"""

COURSE = "LMS Course"
LESSON = "LMS Course Lesson"
AUDIENCE = "LMS Course Audience"
ENROLLMENT = "LMS Enrollment"
COURSE_PROGRESS = "LMS Course Progress"
ASSIGNMENT = "LMS Training Assignment"
EXTENSION = "LMS Due Date Extension"
ONBOARDING_TRAINING = "LMS Onboarding Training"
SETTINGS = "LMS Settings"
QUESTION = "LMS Question"
QUESTION_OPTION = "LMS Question Option"
QUIZ = "LMS Quiz"
QUIZ_QUESTION = "LMS Quiz Question"
QUIZ_ATTEMPT = "LMS Quiz Attempt"
QUIZ_SUBMISSION = "LMS Quiz Submission"
SUBMISSION_ANSWER = "LMS Quiz Submission Answer"
ACKNOWLEDGEMENT = "LMS Acknowledgement"
ATTEMPT_GRANT = "LMS Quiz Attempt Grant"
CERTIFICATE = "LMS Certificate"
SCORM_ATTEMPT = "LMS SCORM Attempt"

USER = "User"
EMPLOYEE = "Employee"
ONBOARDING = "Employee Onboarding"
EMPLOYEE_COMPLIANCE = "Employee Compliance"  # Smooth HR's regulatory ledger (SPEC.md "HR compliance records")
