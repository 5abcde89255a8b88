"""What a learner does in a course: its lessons, their enrolment, and the progress that finishes it."""
