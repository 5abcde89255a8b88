# shellcheck shell=bash
# Shared helpers for the Frappe v15 bench that runs smooth_lms.
# Source it:  . scripts/lib.sh
# Every function is idempotent: it only does what is missing.

BENCH="${BENCH:-${SMOOTH_LMS_BENCH:-$HOME/frappe-bench}}"
TEST_SITE="${TEST_SITE:-test_site}"
DEMO_SITE="${DEMO_SITE:-smooth.localhost}"
DB_ROOT_PASSWORD="${DB_ROOT_PASSWORD:-${SMOOTH_LMS_DB_ROOT_PASSWORD:-root}}"
ADMIN_PASSWORD="${ADMIN_PASSWORD:-admin}"
APP_NAME=smooth_lms
MARIADB_CNF=/etc/mysql/mariadb.conf.d/99-smooth-lms.cnf
# The bench CLI lives in a venv of its own (a PEP 668 system Python refuses `pip install` outside
# one); the scripts call it by this path, never through PATH.
BENCH_CLI="${SMOOTH_LMS_BENCH_CLI:-${XDG_DATA_HOME:-$HOME/.local/share}/smooth-lms/bench-cli}"
BENCH_CLI_REQUIREMENT="frappe-bench==5.31.1"
SYS_PYTHON=""

log() {
	printf '\033[1;34m==>\033[0m %s\n' "$*" >&2
}

die() {
	printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2
	exit 1
}

# Run a command as root (directly when we are root, else via sudo).
as_root() {
	if [[ $(id -u) -eq 0 ]]; then
		"$@"
	else
		sudo "$@"
	fi
}

bench_exists() {
	[[ -x $BENCH/env/bin/python && -d $BENCH/apps/frappe ]]
}

# The Python that makes the venvs (bench CLI, tools) and, through `bench init --python`, the bench's
# env: $SMOOTH_LMS_PYTHON, else the first python3 on PATH. An externally managed (PEP 668) system
# Python is fine: nothing is ever installed into it, only into venvs made from it. Sets SYS_PYTHON.
resolve_python() {
	[[ -n ${SYS_PYTHON:-} ]] && return
	local py="${SMOOTH_LMS_PYTHON:-python3}"
	command -v "$py" >/dev/null || die "no $py on PATH: install python3 or set SMOOTH_LMS_PYTHON"
	# the interpreter itself, not a pyenv shim or a venv's copy
	SYS_PYTHON=$("$py" -c 'import sys; print(getattr(sys, "_base_executable", "") or sys.executable)')
	[[ -x $SYS_PYTHON ]] || die "cannot locate the interpreter of $py"
}

# Frappe v15 (and this app) run on Python 3.10 to 3.12.
check_bench_python() {
	resolve_python
	"$SYS_PYTHON" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' ||
		die "$SYS_PYTHON is Python $("$SYS_PYTHON" -V 2>&1): Frappe v15 needs 3.10 to 3.12 (set SMOOTH_LMS_PYTHON)"
}

# apt_install PKG...: install the Debian packages of the list that are not installed yet.
apt_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	command -v apt-get >/dev/null || die "missing packages ${missing[*]}, and no apt-get to install them"
	log "apt-get install ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Debian splits `venv` (ensurepip) out of its Python: python3-venv brings it back.
ensure_venv_module() {
	resolve_python
	"$SYS_PYTHON" -c 'import ensurepip, venv' 2>/dev/null && return
	local ver
	ver=$("$SYS_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	apt_install python3-venv "python$ver-venv"
	"$SYS_PYTHON" -c 'import ensurepip, venv' 2>/dev/null || die "$SYS_PYTHON cannot make venvs (no ensurepip)"
}

# ensure_venv DIR REQUIREMENT...: a venv at DIR, made from SYS_PYTHON, with the REQUIREMENTs installed.
# A stamp file in the venv remembers them, so a venv that is up to date costs no pip run; one whose
# Python is gone (e.g. upgraded) is made again. A lock file beside it serialises concurrent runs.
ensure_venv() {
	local dir="${1:?ensure_venv DIR REQUIREMENT...}"
	shift
	local want="$*" stamp="$dir/.smooth-lms-requirements"
	[[ -x $dir/bin/python && -f $stamp && $(<"$stamp") == "$want" ]] && return
	ensure_venv_module
	mkdir -p "$(dirname "$dir")"
	if ! (
		flock 9
		[[ -x $dir/bin/python && -f $stamp && $(<"$stamp") == "$want" ]] && exit 0
		if ! "$dir/bin/python" -m pip --version >/dev/null 2>&1; then
			log "Creating the venv $dir (from $SYS_PYTHON)"
			"$SYS_PYTHON" -m venv --clear "$dir" || exit 1
		fi
		log "pip install $want (into $dir)"
		"$dir/bin/python" -m pip install -q --disable-pip-version-check "$@" || exit 1
		printf '%s\n' "$want" >"$stamp"
	) 9>"$dir.lock"; then
		die "could not make the venv $dir"
	fi
}

# The bench CLI in its own venv.
ensure_bench_cli() {
	[[ ${_BENCH_CLI_READY:-} == 1 ]] && return
	ensure_venv "$BENCH_CLI" "$BENCH_CLI_REQUIREMENT"
	_BENCH_CLI_READY=1
}

# bench_cli ARGS...: the bench CLI, with its venv's bin/ first on PATH (bench runs the uv it installs
# there).
bench_cli() {
	ensure_bench_cli
	PATH="$BENCH_CLI/bin:$PATH" "$BENCH_CLI/bin/bench" "$@"
}

# Run `bench ARGS...` inside the bench directory.
in_bench() {
	ensure_bench_cli
	(cd "$BENCH" && bench_cli "$@")
}

# What a stock Debian 12 / Ubuntu 24.04 lacks for a Frappe v15 bench: MariaDB, Redis, the headers and
# compilers Python packages build with (mysqlclient against the system Python needs python3-dev),
# python3-venv (venvs on Debian), Node.js where there is none, Debian's Chromium for the browser
# tests, wkhtmltopdf for Frappe's PDFs (certificates, quiz submissions), poppler-utils and zbar-tools for
# the tests to read them and their QR codes back; then classic yarn and the bench CLI.
ensure_system_packages() {
	local pkgs=(mariadb-server mariadb-client redis-server libmariadb-dev pkg-config
		git curl cron build-essential python3 python3-dev python3-venv chromium wkhtmltopdf poppler-utils zbar-tools)
	command -v node >/dev/null || pkgs+=(nodejs npm)
	apt_install "${pkgs[@]}"
	local node_major
	node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	((node_major >= 18)) || die "Node.js >= 18 is required (found $(node --version 2>/dev/null || echo none))"
	# The registry's "latest" yarn is 2.x (berry); Frappe v15 needs classic yarn 1.
	if ! command -v yarn >/dev/null || [[ $(yarn --version 2>/dev/null) != 1.* ]]; then
		command -v npm >/dev/null || apt_install npm
		log "npm install -g yarn@1"
		as_root npm install -g --silent yarn@1.22.22
	fi
	ensure_bench_cli
}

mariadb_up() {
	mysqladmin --protocol=socket -uroot ping >/dev/null 2>&1 ||
		mysqladmin -h127.0.0.1 -uroot -p"$DB_ROOT_PASSWORD" ping >/dev/null 2>&1
}

# Root over TCP with the password, the way Frappe connects.
mariadb_root_tcp() {
	mysql -h127.0.0.1 -uroot -p"$DB_ROOT_PASSWORD" "$@"
}

start_mariadb() {
	if [[ ! -f $MARIADB_CNF ]]; then
		log "Configuring MariaDB ($MARIADB_CNF)"
		as_root tee "$MARIADB_CNF" >/dev/null <<-'EOF'
			# Written by smooth_lms scripts/lib.sh for Frappe.
			[mysqld]
			bind-address = 127.0.0.1
			character-set-client-handshake = FALSE
			character-set-server = utf8mb4
			collation-server = utf8mb4_unicode_ci

			[mysql]
			default-character-set = utf8mb4
		EOF
		if mariadb_up; then
			log "Restarting MariaDB for the new configuration"
			as_root service mariadb restart >/dev/null 2>&1 || true
		fi
	fi
	if ! mariadb_up; then
		log "Starting MariaDB"
		as_root service mariadb start >/dev/null 2>&1 || true
		if ! mariadb_up; then
			as_root mkdir -p /run/mysqld
			as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
			as_root sh -c 'nohup mysqld_safe >/tmp/mysqld_safe.log 2>&1 &'
		fi
	fi
	local i
	for ((i = 0; i < 60; i++)); do
		mariadb_up && break
		sleep 1
	done
	mariadb_up || die "MariaDB does not answer (see /var/log/mysql or /tmp/mysqld_safe.log)"

	if ! mariadb_root_tcp -e 'SELECT 1' >/dev/null 2>&1; then
		log "Setting the MariaDB root password (mysql_native_password, TCP 127.0.0.1)"
		as_root mysql --protocol=socket -uroot <<-EOF || die "cannot set the MariaDB root password: root has another password? Set SMOOTH_LMS_DB_ROOT_PASSWORD."
			ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('$DB_ROOT_PASSWORD') OR unix_socket;
			CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '$DB_ROOT_PASSWORD';
			GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
			FLUSH PRIVILEGES;
		EOF
		mariadb_root_tcp -e 'SELECT 1' >/dev/null || die "MariaDB root login over TCP still fails"
	fi
}

# Port of a bench redis config: redis_port cache|queue
redis_port() {
	awk '$1 == "port" { print $2 }' "$BENCH/config/redis_$1.conf"
}

start_redis() {
	local name port i
	for name in cache queue; do
		[[ -f $BENCH/config/redis_$name.conf ]] || die "$BENCH/config/redis_$name.conf missing: no bench?"
		port=$(redis_port "$name")
		if ! redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
			log "Starting redis_$name on 127.0.0.1:$port"
			(cd "$BENCH/config" && redis-server "$BENCH/config/redis_$name.conf" \
				--bind 127.0.0.1 --daemonize yes --logfile "$BENCH/logs/redis_$name.log")
		fi
		for ((i = 0; i < 30; i++)); do
			redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
			sleep 0.5
		done
		redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 || die "redis_$name does not answer on $port"
	done
}

# link_app SRC_DIR: run the bench's smooth_lms from this checkout.
link_app() {
	local src
	src=$(cd "${1:?link_app SRC_DIR}" && pwd -P)
	[[ -f $src/$APP_NAME/hooks.py ]] || die "$src is not a $APP_NAME checkout"
	bench_exists || die "no bench at $BENCH: run scripts/setup-bench"
	local link="$BENCH/apps/$APP_NAME"
	if [[ -L $link ]]; then
		[[ $(readlink "$link") == "$src" ]] || ln -sfn "$src" "$link"
	elif [[ -e $link ]]; then
		die "$link exists and is not a symlink"
	else
		ln -s "$src" "$link"
	fi
	log "apps/$APP_NAME -> $src"
	local apps_txt="$BENCH/sites/apps.txt"
	if ! grep -qx "$APP_NAME" "$apps_txt"; then
		# apps.txt may lack its final newline
		[[ -s $apps_txt && $(tail -c1 "$apps_txt") != "" ]] && echo >>"$apps_txt"
		echo "$APP_NAME" >>"$apps_txt"
	fi
	ensure_bench_python_deps
	# With the app's own Python dependencies (pyproject.toml: defusedxml); frappe's are the bench's.
	(cd "$BENCH" && "$BENCH/env/bin/python" -m pip install -q --disable-pip-version-check \
		--no-build-isolation -e "apps/$APP_NAME")
	ensure_app_assets "$src"
}

# ensure_app_assets SRC_DIR: the app's JavaScript built in this checkout (SRC_DIR/smooth_lms/public/dist,
# served as /assets/smooth_lms/dist, named in sites/assets/assets.json), with its yarn packages
# (package.json, yarn.lock: scorm-again) installed in SRC_DIR/node_modules. Only what is missing or stale
# runs: yarn when package.json / yarn.lock changed since the last install, `bench build --app` when the
# sources under public/ (or the packages) changed since the last build, when assets.json names a bundle
# that is not on disk, or when sites/assets/smooth_lms links another checkout (a fresh clone re-linked).
ensure_app_assets() {
	local src
	src=$(cd "${1:?ensure_app_assets SRC_DIR}" && pwd -P)
	[[ -f $src/package.json ]] || return 0
	(
		flock 9
		local packages sources stamp="$src/$APP_NAME/public/dist/.smooth-lms-build"
		packages=$(cat "$src/package.json" "$src/yarn.lock" | sha256sum | cut -d' ' -f1)
		if [[ ! -f $src/node_modules/.smooth-lms-packages || $(<"$src/node_modules/.smooth-lms-packages") != "$packages" ]]; then
			command -v yarn >/dev/null || die "no yarn on PATH: scripts/setup-bench installs it"
			log "yarn install (the app's JavaScript packages, in $src/node_modules)"
			(cd "$src" && yarn install --frozen-lockfile --non-interactive --silent --no-progress) ||
				die "yarn install failed in $src"
			printf '%s\n' "$packages" >"$src/node_modules/.smooth-lms-packages"
		fi
		sources=$( (
			echo "$packages"
			cd "$src/$APP_NAME/public" &&
				find . \( -path ./dist -o -path ./node_modules \) -prune -o -type f -print0 | sort -z |
				xargs -0 -r sha256sum
		) | sha256sum | cut -d' ' -f1)
		if [[ -f $stamp && $(<"$stamp") == "$sources" ]] && app_assets_linked "$src"; then
			exit 0
		fi
		log "bench build --app $APP_NAME (its bundles are missing or stale)"
		in_bench build --app "$APP_NAME" >"$BENCH/logs/smooth-lms-build.log" 2>&1 ||
			{ tail -n 40 "$BENCH/logs/smooth-lms-build.log" >&2; die "bench build --app $APP_NAME failed"; }
		app_assets_linked "$src" || die "bench build left no $APP_NAME bundles in $BENCH/sites/assets for $src"
		printf '%s\n' "$sources" >"$stamp"
	) 9>"$BENCH/sites/.smooth-lms-assets.lock" || exit 1
}

# app_assets_linked SRC_DIR: sites/assets/smooth_lms is SRC_DIR's public/, and every bundle of the app that
# assets.json names is there.
app_assets_linked() {
	local public="$1/$APP_NAME/public"
	[[ -L $BENCH/sites/assets/$APP_NAME && $(readlink -f "$BENCH/sites/assets/$APP_NAME") == "$public" ]] || return 1
	"$BENCH/env/bin/python" - "$BENCH/sites" "$public" "$APP_NAME" <<-'PY'
		import glob, json, os, sys
		sites, public, app = sys.argv[1:]
		built = json.load(open(os.path.join(sites, "assets", "assets.json")))
		sources = glob.glob(os.path.join(public, "**", "*.bundle.js"), recursive=True)
		bundles = [os.path.basename(p) for p in sources if "/dist/" not in p and "/node_modules/" not in p]
		ok = all((built.get(b) or "").startswith(f"/assets/{app}/") and os.path.isfile(sites + built[b]) for b in bundles)
		sys.exit(0 if ok else 1)
	PY
}

# Extra Python packages the bench env needs: setuptools < 81 because frappe v15's
# Google integrations import pkg_resources (gone from newer setuptools), flit_core
# to install the app without build isolation, pytest, requests and playwright (driving
# Debian's chromium, never a browser of its own) for its tests.
ensure_bench_python_deps() {
	"$BENCH/env/bin/python" -c 'import pkg_resources, flit_core, pytest, requests, playwright' 2>/dev/null && return
	log "Installing setuptools<81 flit_core pytest requests playwright into the bench env"
	"$BENCH/env/bin/python" -m pip install -q --disable-pip-version-check \
		'setuptools<81' 'flit_core>=3.4,<4' pytest requests 'playwright>=1.49,<2'
}

# site_py SITE CODE: run Python CODE with frappe connected to SITE (cint imported).
site_py() {
	(cd "$BENCH/sites" && ../env/bin/python -c "
import sys, frappe
from frappe.utils import cint
frappe.init(site=sys.argv[1], sites_path='.')
frappe.connect()
try:
	exec(sys.argv[2])
	frappe.db.commit()
finally:
	frappe.destroy()
" "$1" "$2")
}

site_exists() {
	[[ -f $BENCH/sites/$1/site_config.json ]]
}

# Site state as "FRAPPE_INSTALLED APP_INSTALLED SETUP_COMPLETE", e.g. "True True 1".
site_state() {
	site_py "$1" "
try:
	apps = frappe.get_installed_apps()
	done = cint(frappe.db.get_single_value('System Settings', 'setup_complete'))
except Exception:
	apps, done = [], 0
print('frappe' in apps, '$APP_NAME' in apps, done)" | tail -n1
}

ensure_site() {
	local site="${1:?ensure_site SITE}" state
	if site_exists "$site"; then
		state=$(site_state "$site")
	else
		state="missing"
	fi
	if [[ $state != True* ]]; then
		# missing, or a `new-site` that died half way: (re)create it
		log "Creating site $site"
		in_bench new-site "$site" --force --db-root-username root \
			--db-root-password "$DB_ROOT_PASSWORD" --admin-password "$ADMIN_PASSWORD"
		state=$(site_state "$site")
	fi
	if [[ $site == "$TEST_SITE" ]] && ! grep -q '"allow_tests": 1' "$BENCH/sites/$site/site_config.json"; then
		log "Setting allow_tests on $site"
		in_bench --site "$site" set-config allow_tests 1 --parse >/dev/null
	fi
	# Tests create far more than Frappe's default 60 users a minute.
	if [[ $site == "$TEST_SITE" ]] && ! grep -q '"throttle_user_limit"' "$BENCH/sites/$site/site_config.json"; then
		in_bench --site "$site" set-config throttle_user_limit 100000 --parse >/dev/null
	fi
	if [[ $state == "True False "* ]]; then
		log "Installing $APP_NAME on $site"
		in_bench --site "$site" install-app "$APP_NAME"
	fi
	if [[ $state == *" 0" ]]; then
		log "Completing the setup wizard on $site"
		in_bench --site "$site" execute frappe.utils.install.complete_setup_wizard >/dev/null
	fi
	state=$(site_state "$site")
	[[ $state == "True True 1" ]] || die "site $site is not ready: $state"
	log "Site $site ready ($APP_NAME installed, setup complete)"
}

start_services() {
	start_mariadb
	start_redis
}

migrate_site() {
	log "Migrating ${1:?migrate_site SITE}"
	in_bench --site "$1" migrate
}
