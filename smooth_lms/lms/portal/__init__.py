"""The learner portal's data (smooth_lms/www/lms/): Mandatory Training, the catalogue, course pages, My Team."""

# The name of a module this package replaced: its old dotted paths resolve through moved.MOVED.
from smooth_lms.lms.moved import getter

__getattr__ = getter(__name__)
