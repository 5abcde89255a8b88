# Frappe v15 apps build with flit (pyproject.toml); this keeps setuptools-only tooling working.
from setuptools import find_packages, setup

from smooth_lms import __version__

setup(
	name="smooth_lms",
	version=__version__,
	packages=find_packages(),
	include_package_data=True,
	zip_safe=False,
)
