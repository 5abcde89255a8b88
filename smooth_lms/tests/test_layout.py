"""The layout a newcomer reads (no site needed): no import cycle between the app's modules — background
jobs named by dotted path count as imports — no module over 400 lines, public functions before private
ones, each DocType's name written once (smooth_lms.lms.doctypes), and no module importing from a test
module (shared test helpers live in smooth_lms/tests/: factories, emails, hostile, browser, ...)."""

import ast
import pathlib
import re

import pytest

APP = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = APP.name  # smooth_lms
MAX_LINES = 400
DOTTED = re.compile(rf"^{PACKAGE}(\.\w+)+$")


def app_modules() -> dict[str, pathlib.Path]:
	"""Every module of the app but tests, by dotted name."""
	modules = {}
	for path in sorted(APP.rglob("*.py")):
		if path.name.startswith("test_") or "tests" in path.relative_to(APP).parts:
			continue
		parts = path.relative_to(APP.parent).with_suffix("").parts
		name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
		modules[name] = path
	return modules


MODULES = app_modules()


def owner_module(dotted: str) -> str | None:
	"""The app module a dotted name (module, or module.attribute) lives in."""
	while dotted:
		if dotted in MODULES:
			return dotted
		dotted = dotted.rpartition(".")[0]
	return None


def arrows(name: str, path: pathlib.Path) -> set[str]:
	"""The app modules `name` depends on: its imports, and dotted paths it names in string literals (a
	job it enqueues, a method it calls by name). The old paths kept by moved.py are not arrows."""
	tree = ast.parse(path.read_text())
	targets = set()
	for node in ast.walk(tree):
		if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE):
			for alias in node.names:
				targets.add(owner_module(f"{node.module}.{alias.name}"))
		elif isinstance(node, ast.Import):
			targets.update(owner_module(alias.name) for alias in node.names)
		elif isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTTED.match(node.value):
			if not name.endswith(".moved"):
				targets.add(owner_module(node.value))
	targets.discard(None)
	targets.discard(name)
	# A package's __init__ is imported with any module in it: not an arrow of its own.
	return {target for target in targets if not name.startswith(f"{target}.")}


GRAPH = {name: arrows(name, path) for name, path in MODULES.items()}


def test_no_import_cycle_even_through_jobs_named_by_path():
	visiting, done, cycles = [], set(), []

	def visit(node):
		if node in visiting:
			cycles.append(visiting[visiting.index(node) :] + [node])
			return
		if node in done:
			return
		visiting.append(node)
		for target in sorted(GRAPH.get(node, ())):
			visit(target)
		visiting.pop()
		done.add(node)

	for node in sorted(GRAPH):
		visit(node)
	assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_the_cycle_check_sees_a_job_named_by_path():
	# The check would fail if a module enqueued, by name, a module that imports it.
	creation = f"{PACKAGE}.lms.assignments.creation"
	emails = f"{PACKAGE}.lms.notifications.learner_emails"
	assert emails in GRAPH[creation], "assignments.creation enqueues the learner emails by path"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size_and_order(name):
	path = MODULES[name]
	source = path.read_text()
	assert len(source.splitlines()) <= MAX_LINES, f"{path} is over {MAX_LINES} lines"
	functions = [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
	first_private = next((i for i, fn in enumerate(functions) if fn.startswith("_")), len(functions))
	late_public = [fn for fn in functions[first_private:] if not fn.startswith("_")]
	assert not late_public, f"{path}: public {late_public} after private {functions[first_private]}"


def test_each_doctype_name_is_written_once():
	doctypes = APP / "lms" / "doctypes.py"
	names = re.findall(r'^[A-Z_]+ = "([^"]+)"', doctypes.read_text(), re.M)
	assert "LMS Training Assignment" in names
	for path in MODULES.values():
		if path == doctypes:
			continue
		for line in path.read_text().splitlines():
			match = re.match(r'^[A-Z_, ]+ = (?:\(?"[^"]+",? ?)+', line)
			if match:
				assert not any(f'"{doctype}"' in line for doctype in names), f"{path}: {line}"


def imported_test_modules(path: pathlib.Path) -> list[str]:
	"""The test modules (test_*) the module at `path` imports, or imports names from, by dotted name."""
	imported = set()
	for node in ast.walk(ast.parse(path.read_text())):
		if isinstance(node, ast.ImportFrom) and node.module:
			names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
		elif isinstance(node, ast.Import):
			names = [alias.name for alias in node.names]
		else:
			continue
		imported.update(name for name in names if name.rpartition(".")[2].startswith("test_"))
	return sorted(imported)


def test_no_module_imports_from_a_test_module():
	# Shared test helpers live in smooth_lms/tests/ (factories.py, emails.py, hostile.py, browser.py, ...),
	# where a newcomer looks for them; a test case imported into another test module runs there again.
	offenders = {
		str(path.relative_to(APP.parent)): found
		for path in sorted(APP.rglob("*.py"))
		if (found := imported_test_modules(path))
	}
	assert not offenders, "\n".join(f"{path} imports {', '.join(found)}" for path, found in offenders.items())
