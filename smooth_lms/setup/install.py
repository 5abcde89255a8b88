from smooth_lms.lms.framework.desk_setup import ensure_list_view_settings
from smooth_lms.lms.framework.roles import ensure_roles
from smooth_lms.lms.framework.settings import store_missing_defaults
from smooth_lms.lms.people.employees import ensure_user_index


def before_install():
	# DocPerms of the app's DocTypes name these roles: create them before the DocTypes sync.
	ensure_roles()


def after_install():
	after_migrate()


def after_migrate():
	ensure_roles()
	ensure_list_view_settings()
	ensure_user_index()
	store_missing_defaults()
