"""Reading DataCite metadata kernel-4 XML (any 4.x) into the intermediate record of :mod:`loaders.datacite_map`.

The intermediate record is the DataCite REST API's JSON ``attributes`` (:mod:`loaders.datacite_json`),
so XML and JSON are mapped by one function. The XML-to-JSON rules are DataCite's own: a wrapper
element becomes a list (``<creators><creator>`` -> ``"creators": [...]``), an element's text becomes the
key its JSON twin uses (``<title>`` -> ``"title"``, ``<creatorName>`` -> ``"name"``), attributes keep
their names with ``URI`` written ``Uri`` (``schemeURI`` -> ``schemeUri``), ``xml:lang`` is ``lang``,
and ``resourceType`` becomes ``types``. Whitespace runs in values are collapsed (pretty-printed XML
breaks lines inside names); descriptions keep their line breaks and ``<br/>`` becomes one.

A file holds one ``<resource>`` (DataCite's own form) or any wrapper around several (an OAI-PMH
``ListRecords`` answer, or a bundle of records): every kernel-4 ``<resource>`` in it is a record.

Parsing goes through :mod:`loaders.safe_xml` (defusedxml): a DTD, and so any entity declaration (billion
laughs, external entities), is refused, as is malformed XML (an unknown encoding included), XML of another
schema (kernel-3) and elements nested too deeply to read; each error names the file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from graph.errors import RecordInvalid
from loaders.safe_xml import local_name as _local
from loaders.safe_xml import namespace as _namespace
from loaders.safe_xml import parse_file

KERNEL4 = "http://datacite.org/schema/kernel-4"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
Record = tuple[str, Any]


def read_xml(path: Path) -> list[Record]:
    """``(record id, record)`` pairs of every ``<resource>`` of a DataCite XML file (the id is the DOI, else ``#n``)."""
    root = parse_file(path, "DataCite XML has no DTD, declares no entities and refers to nothing outside the file")
    resources = [root] if _local(root.tag) == "resource" else [e for e in root.iter() if _local(e.tag) == "resource"]
    if not resources:
        raise RecordInvalid(f"not DataCite XML: no <resource> element (the root is <{_local(root.tag)}>)",
                            file=str(path))
    records: list[Record] = []
    for n, element in enumerate(resources, 1):
        namespace = _namespace(element.tag)
        if namespace not in (KERNEL4, ""):
            raise RecordInvalid(f"not DataCite kernel-4 XML: <resource> is in namespace {namespace!r}, "
                                f"not {KERNEL4!r}", file=str(path))
        try:
            record = resource(element)
        except RecursionError:  # elements nested thousands deep: no DataCite record looks like that
            raise RecordInvalid(f"not DataCite XML: <resource> #{n} is nested too deeply to read",
                                file=str(path)) from None
        records.append((record.get("doi") or f"#{n}", record))
    return records


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _attrs(element: ET.Element) -> dict[str, Any]:
    """Attributes as the JSON names them: ``xml:lang`` is ``lang``, ``...URI`` is ``...Uri``; namespaced ones
    dropped."""
    out: dict[str, Any] = {}
    for key, value in element.attrib.items():
        if key == _LANG:
            out["lang"] = value.strip()
        elif not key.startswith("{"):
            out[key[:-3] + "Uri" if key.endswith("URI") else key] = " ".join(value.split())
    return out


def _valued(element: ET.Element, key: str) -> dict[str, Any]:
    """An element with text and attributes: ``{key: text, **attributes}``."""
    return {key: _text(element), **_attrs(element)}


def _children(element: ET.Element) -> list[ET.Element]:
    return [c for c in element if isinstance(c.tag, str)]


def _agent(element: ET.Element) -> dict[str, Any]:
    """A creator or contributor (or a related item's): name, given and family name, identifiers, affiliations."""
    agent: dict[str, Any] = {**_attrs(element), "nameIdentifiers": [], "affiliation": []}
    for child in _children(element):
        name = _local(child.tag)
        if name in ("creatorName", "contributorName"):
            agent.update({"name": _text(child), **_attrs(child)})
        elif name in ("givenName", "familyName"):
            agent[name] = _text(child)
        elif name == "nameIdentifier":
            agent["nameIdentifiers"].append(_valued(child, "nameIdentifier"))
        elif name == "affiliation":
            agent["affiliation"].append(_valued(child, "name"))
    return agent


def _point(element: ET.Element) -> dict[str, Any]:
    return {_local(c.tag): _text(c) for c in _children(element)}


def _geo(element: ET.Element) -> dict[str, Any]:
    geo: dict[str, Any] = {}
    for child in _children(element):
        name = _local(child.tag)
        if name == "geoLocationPlace":
            geo[name] = _text(child)
        elif name in ("geoLocationPoint", "geoLocationBox"):
            geo[name] = _point(child)
        elif name == "geoLocationPolygon":
            polygon: dict[str, Any] = {"polygonPoints": []}
            for point in _children(child):
                if _local(point.tag) == "inPolygonPoint":
                    polygon["inPolygonPoint"] = _point(point)
                else:
                    polygon["polygonPoints"].append(_point(point))
            geo.setdefault("geoLocationPolygons", []).append(polygon)
    return geo


def _description(element: ET.Element) -> dict[str, Any]:
    """A description's text with ``<br/>`` as a line break; other whitespace kept, the ends stripped."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if _local(child.tag) == "br" else "".join(child.itertext()))
        parts.append(child.tail or "")
    return {"description": "".join(parts).strip(), **_attrs(element)}


def _funding(element: ET.Element) -> dict[str, Any]:
    funding: dict[str, Any] = {}
    for child in _children(element):
        name = _local(child.tag)
        attrs = _attrs(child)
        if name == "funderIdentifier" and "schemeUri" in attrs:
            attrs["funderSchemeUri"] = attrs.pop("schemeUri")
        funding.update({name: _text(child), **attrs})
    return funding


def _related_item(element: ET.Element) -> dict[str, Any]:
    item: dict[str, Any] = _attrs(element)
    for child in _children(element):
        name = _local(child.tag)
        if name == "relatedItemIdentifier":
            item[name] = _valued(child, name)
        elif name in ("creators", "contributors"):
            item[name] = [_agent(a) for a in _children(child)]
        elif name == "titles":
            item[name] = [_valued(t, "title") for t in _children(child)]
        elif name == "number":
            item.update({"number": _text(child), **_attrs(child)})
        else:
            item[name] = _text(child)
    return item


_LISTS = {  # wrapper -> how each item is read
    "creators": _agent, "contributors": _agent, "geoLocations": _geo, "fundingReferences": _funding,
    "relatedItems": _related_item, "descriptions": _description,
    "titles": lambda e: _valued(e, "title"), "subjects": lambda e: _valued(e, "subject"),
    "dates": lambda e: _valued(e, "date"), "alternateIdentifiers": lambda e: _valued(e, "alternateIdentifier"),
    "relatedIdentifiers": lambda e: _valued(e, "relatedIdentifier"), "rightsList": lambda e: _valued(e, "rights"),
    "sizes": _text, "formats": _text,
}


def resource(element: ET.Element) -> dict[str, Any]:
    """The intermediate record of one ``<resource>``."""
    record: dict[str, Any] = {}
    for child in _children(element):
        name = _local(child.tag)
        read = _LISTS.get(name)
        if read is not None:
            record[name] = [read(item) for item in _children(child)]
        elif name == "identifier":
            record["doi"] = _text(child)
            record["identifierType"] = child.get("identifierType", "")
        elif name == "publisher":
            record["publisher"] = _valued(child, "name")
        elif name == "resourceType":
            record["types"] = {"resourceType": _text(child), **_attrs(child)}
        else:  # publicationYear, language, version
            record[name] = _text(child)
    return record
