"""A SCORM package's imsmanifest.xml: its version (1.2 or 2004) and the file that launches it.

Parsed with defusedxml, which refuses what a hostile manifest may carry: any DTD, hence entity expansion
("billion laughs") and external entities (a manifest that would read the server's files or fetch a URL).
Namespace-aware: the elements are matched by local name whatever the IMS content packaging namespace
(imscp_rootv1p1p2 for 1.2, imscp_v1p1 for 2004), and the version comes from `schemaversion` or, where a
package leaves it out, from the ADL namespaces it uses (adlcp_rootv1p2 / adlcp_v1p3, imsss, adlseq).

The launch file is the href of the resource of the default organization's first item (with the item's
`parameters`), under the manifest's, the resources' and the resource's xml:base; a package without
organizations launches its first SCO resource.
"""

import dataclasses
import posixpath
import re
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from frappe import _

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
V12, V2004 = "1.2", "2004"


class ManifestError(ValueError):
	"""The manifest cannot launch the package: the message says why, for the course's author."""


@dataclasses.dataclass(frozen=True)
class Manifest:
	version: str  # "1.2" or "2004"
	launch: str  # a path inside the package, no query or fragment
	parameters: str  # what follows the path ("?a=1", "#start"), "" if nothing
	title: str


def parse_manifest(data: bytes) -> Manifest:
	"""The version and launch file of a package from its manifest's bytes; ManifestError if it has none."""
	try:
		root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
	except DefusedXmlException:
		raise ManifestError(
			_("imsmanifest.xml declares a DTD or entities, which a package never needs: it was refused.")
		) from None
	except (ParseError, ValueError) as error:
		raise ManifestError(_("imsmanifest.xml is not well-formed XML ({0}).").format(error)) from None
	if _local(root.tag) != "manifest":
		raise ManifestError(_("imsmanifest.xml has no <manifest> element at its root."))
	version = _version(root)
	resource, parameters, title = _launched_resource(root)
	launch, query = _launch_path(root, resource)
	return Manifest(
		version=version, launch=launch, parameters=_join_parameters(query, parameters), title=title
	)


def _version(root: Element) -> str:
	for element in root.iter():
		if _local(element.tag) == "schemaversion" and element.text:
			text = element.text.strip().lower()
			if text == "1.2":
				return V12
			if "2004" in text or "1.3" in text:
				return V2004
	namespaces = set()
	for element in root.iter():
		namespaces.add(_namespace(element.tag))
		namespaces.update(_namespace(key) for key in element.attrib)
	if any("adlcp_rootv1p2" in ns for ns in namespaces):
		return V12
	if any(re.search(r"adlcp_v1p3|imsss|adlseq|adlnav", ns) for ns in namespaces):
		return V2004
	if any("imscp_rootv1p1p2" in ns for ns in namespaces):
		return V12
	raise ManifestError(_("imsmanifest.xml says neither SCORM 1.2 nor SCORM 2004 (no schemaversion)."))


def _launched_resource(root: Element) -> tuple[Element, str, str]:
	"""The resource the default organization's first item points to, the item's parameters and title."""
	resources = {
		element.get("identifier"): element for element in root.iter() if _local(element.tag) == "resource"
	}
	organizations = [element for element in root.iter() if _local(element.tag) == "organization"]
	if organizations:
		wrapper = next((element for element in root.iter() if _local(element.tag) == "organizations"), None)
		default = wrapper.get("default") if wrapper is not None else None
		organization = next((o for o in organizations if o.get("identifier") == default), organizations[0])
		for item in organization.iter():
			if _local(item.tag) == "item" and item.get("identifierref"):
				resource = resources.get(item.get("identifierref"))
				if resource is None:
					raise ManifestError(
						_(
							"The first item of imsmanifest.xml points to resource {0}, which it does not list."
						).format(item.get("identifierref"))
					)
				return resource, item.get("parameters") or "", _title(item) or _title(organization)
		raise ManifestError(_("The default organization of imsmanifest.xml has no item to launch."))
	for resource in resources.values():
		if _scorm_type(resource) == "sco" and resource.get("href"):
			return resource, "", ""
	raise ManifestError(_("imsmanifest.xml has no organization and no SCO to launch."))


def _launch_path(root: Element, resource: Element) -> tuple[str, str]:
	href = (resource.get("href") or "").strip()
	if not href:
		raise ManifestError(_("The resource imsmanifest.xml launches has no href (no launch file)."))
	bases = [root.get(XML_BASE)]
	bases += [element.get(XML_BASE) for element in root.iter() if _local(element.tag) == "resources"][:1]
	bases.append(resource.get(XML_BASE))
	url = "".join(base.strip() for base in bases if base) + href
	parts = urlsplit(url)
	if parts.scheme or parts.netloc:
		raise ManifestError(_("The launch file of imsmanifest.xml is not in the package: {0}.").format(url))
	path = unquote(parts.path)
	normal = posixpath.normpath(path) if path else ""
	if not normal or normal.startswith(("../", "/")) or normal in (".", "..") or "\\" in normal:
		raise ManifestError(_("The launch file of imsmanifest.xml is not in the package: {0}.").format(url))
	query = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
	return normal, query


def _join_parameters(query: str, parameters: str) -> str:
	"""The item's parameters after the href's own query (IMS CP: a leading '?' becomes '&' after one)."""
	parameters = parameters.strip()
	if not parameters:
		return query
	if parameters.startswith("#"):
		return query.split("#")[0] + parameters
	if parameters.startswith("?"):
		parameters = parameters[1:]
	return (query + "&" if "?" in query else "?") + parameters


def _scorm_type(resource: Element) -> str:
	for key, value in resource.attrib.items():
		if _local(key).lower() == "scormtype":
			return value.strip().lower()
	return ""


def _title(element: Element) -> str:
	title = next((child for child in element if _local(child.tag) == "title"), None)
	return (title.text or "").strip() if title is not None else ""


def _local(tag) -> str:
	return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag) -> str:
	return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""
