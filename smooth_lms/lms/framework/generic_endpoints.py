"""Frappe's generic endpoints that answer past the row rules (framework.permissions), replaced through
`override_whitelisted_methods` (hooks.py) by the same endpoint with the rules applied. Each keeps
Frappe's signature and answer; only what the caller may not read is left out.

- `frappe.client.get` by `filters` loads the first match before asking for permission, and the refusal
  names it ("does not have access to this document: LMS Training Assignment - TA-0042"): a filter on a
  colleague's email answers with their assignment's name (403, where no match is 404). Here the match
  is looked up among the rows the caller lists, so a row they may not read is "not found" like none.
- `frappe.client.get_count` counts with `frappe.db.count`, which applies no permission at all: anyone
  signed in counts any DocType's rows by any filter (how many assignments a colleague has, and — a
  `like` filter at a time — their email). Here it counts what `frappe.get_list` lists.
- `frappe.desk.search.search_link` / `search_widget` with `ignore_user_permissions=1` list the DocType
  with `ignore_permissions`: every row, whatever the DocType's row rules, and any column through
  `filter_fields` (every assignment, draft courses, private evidence files, other people's ToDos and
  emails). The flag is meant to skip User Permission records only; here it is kept only where there is
  nothing else to skip (`_user_permissions_only`).
- `frappe.desk.listview.get_group_by_count` by `assigned_to` counts ToDos for the rows matching the
  filters read with no permission (a colleague's assignment shows who follows it up). Here the rows are
  those `frappe.get_list` lists; other fields were already counted that way.
- `frappe.desk.form.utils.get_next` reads the sort field of the record it starts from with no
  permission, and answers whether one of the caller's rows comes before or after it (a colleague's
  assignment, compared field by field). Here it starts only from a record the caller reads.
"""

import frappe
from frappe import _, client
from frappe.desk import listview, search
from frappe.desk.form import utils as form_utils
from frappe.model.db_query import DatabaseQuery, requires_owner_constraint
from frappe.permissions import get_role_permissions
from frappe.utils import cint, get_safe_filters


@frappe.whitelist()
def get_count(doctype, filters=None, debug=False, cache=False) -> int:
	"""frappe.client.get_count, counting only the rows the caller may list (403 without read)."""
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=[f"count(distinct `tab{doctype}`.`name`) as total_count"],
		order_by=None,
	)
	return rows[0].total_count if rows else 0


@frappe.whitelist()
def get(doctype, name=None, filters=None, parent=None):
	"""frappe.client.get; by `filters`, the first match among the rows the caller lists (else 404)."""
	if not name and (filters or filters == {}):
		filters = frappe.parse_json(filters)
		found = frappe.get_list(doctype, filters=filters, parent_doctype=parent, limit=1, pluck="name")
		if not found:
			frappe.throw(
				_("{0} {1} not found").format(_(doctype), frappe.as_json(filters, indent=None)),
				frappe.DoesNotExistError,
				title=_("Not found"),
			)
		name = found[0]
	return client.get(doctype, name=name, filters=filters, parent=parent)


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
) -> list[dict]:
	"""frappe.desk.search.search_link; `ignore_user_permissions` never lifts a row rule."""
	return search.search_link(
		doctype,
		txt,
		query=query,
		filters=filters,
		page_length=page_length,
		searchfield=searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=_user_permissions_only(doctype, ignore_user_permissions),
	)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | None | dict | list = None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	"""frappe.desk.search.search_widget; `ignore_user_permissions` never lifts a row rule."""
	return search.search_widget(
		doctype,
		txt,
		query=query,
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=_user_permissions_only(doctype, ignore_user_permissions),
	)


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""frappe.desk.listview.get_group_by_count; by `assigned_to`, the ToDos of the rows the caller lists."""
	if field != "assigned_to":
		return listview.get_group_by_count(doctype, current_filters, field)
	# The query frappe.get_list would run (row rules, user permissions, shares), as SQL to select from,
	# as frappe.desk.reportview.get_count does; run without values, as DatabaseQuery runs it.
	listed = DatabaseQuery(doctype).execute(
		filters=frappe.parse_json(current_filters),
		fields=[f"`tab{doctype}`.`name`"],
		order_by=None,
		run=False,
	)
	return frappe.db.sql(
		f"""select `tabToDo`.`allocated_to` as `name`, count(*) as `count`
		from `tabToDo` join `tabUser` on `tabUser`.`name` = `tabToDo`.`allocated_to`
		where `tabToDo`.`status` != 'Cancelled' and `tabUser`.`user_type` = 'System User'
			and `tabToDo`.`reference_type` = {frappe.db.escape(doctype)}
			and `tabToDo`.`reference_name` in (select `name` from ({listed}) listed)
		group by `tabToDo`.`allocated_to`
		order by `count` desc
		limit 50""",
		as_dict=True,
	)


@frappe.whitelist()
def get_next(doctype, value, prev, filters=None, sort_order="desc", sort_field="modified"):
	"""frappe.desk.form.utils.get_next, from a record the caller reads (403 otherwise)."""
	if not frappe.has_permission(doctype, "read", doc=value):
		frappe.throw(
			_("You do not have permission to read {0} {1}.").format(_(doctype), frappe.bold(value)),
			frappe.PermissionError,
			title=_("Not permitted"),
		)
	return form_utils.get_next(doctype, value, prev, filters, sort_order, sort_field)


def _user_permissions_only(doctype: str, ignore_user_permissions) -> bool:
	"""Whether `ignore_user_permissions` may stand: only when, for this caller, the DocType has nothing to
	hide but User Permission records. Never for a child table (its rows are read through their parent,
	which the flag would skip), a DocType the caller reads only through shares or only their own rows
	of (if_owner), or one with a row rule for them (permission_query_conditions, any app's or a server
	script's)."""
	if not cint(ignore_user_permissions):
		return False
	meta = frappe.get_meta(doctype)
	if meta.istable:
		return False
	role_permissions = get_role_permissions(meta)
	if not (role_permissions.get("read") or role_permissions.get("select")):
		return False
	if requires_owner_constraint(role_permissions):
		return False
	return not DatabaseQuery(doctype).get_permission_query_conditions()
