"""Who must take what: the courses an employee owes, the sweeps that give them what they lack, and new
hires' onboarding."""

# The name of a module this package replaced: its old dotted paths resolve through moved.MOVED.
from smooth_lms.lms.moved import getter

__getattr__ = getter(__name__)
