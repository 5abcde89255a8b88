from smooth_lms.lms.roles import ensure_roles


def before_install():
	# DocPerms of the app's DocTypes name these roles: create them before the DocTypes sync.
	ensure_roles()


def after_install():
	ensure_roles()


def after_migrate():
	ensure_roles()
