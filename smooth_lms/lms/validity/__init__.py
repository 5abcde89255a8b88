"""Validity: where people stand on the courses they owe (compliance states), and recertification."""

# The name of a module this package replaced: its old dotted paths resolve through moved.MOVED.
from smooth_lms.lms.moved import getter

__getattr__ = getter(__name__)
