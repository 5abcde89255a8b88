"""Module LMS: mandatory training. The folders are the parts of the design (README, "Architecture").

Old dotted paths of functions that have moved keep working (moved.py)."""

from smooth_lms.lms.moved import install

install()
