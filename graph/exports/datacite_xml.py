"""Write a gathered DataCite record (:mod:`graph.exports.datacite`) as metadata kernel-4.7 XML.

Elements go in the order of the schema's examples (the XSD's top level is an ``xs:all``, but the nested
sequences are ordered: creatorName, givenName, familyName, nameIdentifier, affiliation). Empty optional
elements and attributes are left out rather than written empty, because several of them (``language``,
``schemeURI``) have types an empty string breaks.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

NAMESPACE = "http://datacite.org/schema/kernel-4"
SCHEMA_LOCATION = "http://datacite.org/schema/kernel-4 https://schema.datacite.org/meta/kernel-4.7/metadata.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _el(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    """A child element with its text and non-empty attributes (``lang`` is ``xml:lang``)."""
    child = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if text:
        child.text = text
    for key, value in attrs.items():
        if value:
            child.set(_XML_LANG if key == "lang" else key, value)
    return child


def _attrs(values: dict[str, Any], *names: str) -> dict[str, str]:
    return {n: values.get(n) or "" for n in names}


def _list(root: etree._Element, wrapper: str, tag: str, items: list[dict[str, Any]], *names: str) -> None:
    """``<wrapper><tag attrs>text</tag>...</wrapper>`` for items given as ``{"text": ..., attribute: ...}``."""
    if items:
        parent = _el(root, wrapper)
        for item in items:
            _el(parent, tag, item.get("text", ""), **_attrs(item, *names))


def _agent(parent: etree._Element, tag: str, agent: dict[str, Any], full: bool = True) -> None:
    """A creator or contributor; related items' agents (``full=False``) have no identifiers or affiliations."""
    extra = {"contributorType": agent["contributorType"]} if tag == "contributor" else {}
    node = _el(parent, tag, **extra)
    _el(node, f"{tag}Name", agent["name"], nameType=agent.get("nameType", ""))
    for name in ("givenName", "familyName"):
        if agent.get(name):
            _el(node, name, agent[name])
    if not full:
        return
    for ident in agent.get("nameIdentifiers", []):
        _el(node, "nameIdentifier", ident["text"], **_attrs(ident, "nameIdentifierScheme", "schemeURI"))
    for aff in agent.get("affiliations", []):
        _el(node, "affiliation", aff["text"],
            **_attrs(aff, "affiliationIdentifier", "affiliationIdentifierScheme", "schemeURI"))


def _point(parent: etree._Element, tag: str, point: tuple[str, str]) -> None:
    node = _el(parent, tag)
    _el(node, "pointLongitude", point[0])
    _el(node, "pointLatitude", point[1])


def _geo(root: etree._Element, places: list[dict[str, Any]]) -> None:
    if not places:
        return
    parent = _el(root, "geoLocations")
    for g in places:
        node = _el(parent, "geoLocation")
        if g.get("place"):
            _el(node, "geoLocationPlace", g["place"])
        if g.get("point"):
            _point(node, "geoLocationPoint", g["point"])
        if g.get("box"):
            box = _el(node, "geoLocationBox")
            sides = ("westBoundLongitude", "eastBoundLongitude", "southBoundLatitude", "northBoundLatitude")
            for name, value in zip(sides, g["box"], strict=True):  # the exporter's box is (west, east, south, north)
                _el(box, name, value)
        for points, inside in g.get("polygons", []):
            polygon = _el(node, "geoLocationPolygon")
            for p in points:
                _point(polygon, "polygonPoint", p)
            if inside:
                _point(polygon, "inPolygonPoint", inside)


def _funding(root: etree._Element, grants: list[dict[str, str]]) -> None:
    if not grants:
        return
    parent = _el(root, "fundingReferences")
    for g in grants:
        node = _el(parent, "fundingReference")
        _el(node, "funderName", g["funderName"])
        if g.get("funderIdentifier"):
            _el(node, "funderIdentifier", g["funderIdentifier"], funderIdentifierType=g["funderIdentifierType"])
        if g.get("awardNumber") or g.get("awardURI"):
            _el(node, "awardNumber", g.get("awardNumber", ""), awardURI=g.get("awardURI", ""))
        if g.get("awardTitle"):
            _el(node, "awardTitle", g["awardTitle"])


def _items(root: etree._Element, items: list[dict[str, Any]]) -> None:
    if not items:
        return
    parent = _el(root, "relatedItems")
    for item in items:
        node = _el(parent, "relatedItem", **_attrs(item, "relatedItemType", "relationType", "relationTypeInformation"))
        ident = item["identifier"]
        if ident.get("text"):
            _el(node, "relatedItemIdentifier", ident["text"], **_attrs(
                ident, "relatedItemIdentifierType", "relatedMetadataScheme", "schemeURI", "schemeType"))
        if item["creators"]:
            creators = _el(node, "creators")
            for agent in item["creators"]:
                _agent(creators, "creator", agent, full=False)
        _list(node, "titles", "title", item["titles"], "titleType", "lang")
        for name in ("publicationYear", "volume", "issue"):
            if item.get(name):
                _el(node, name, item[name])
        if item.get("number"):
            _el(node, "number", item["number"], numberType=item.get("numberType", ""))
        for name in ("firstPage", "lastPage", "publisher", "edition"):
            if item.get(name):
                _el(node, name, item[name])
        if item["contributors"]:
            contributors = _el(node, "contributors")
            for agent in item["contributors"]:
                _agent(contributors, "contributor", agent, full=False)


def _descriptions(root: etree._Element, descriptions: list[dict[str, str]]) -> None:
    """Descriptions, their line breaks as ``<br/>`` (how the loader read them)."""
    if not descriptions:
        return
    parent = _el(root, "descriptions")
    for d in descriptions:
        node = _el(parent, "description", **_attrs(d, "descriptionType", "lang"))
        lines = d["text"].split("\n")
        node.text = lines[0]
        for line in lines[1:]:
            br = etree.SubElement(node, f"{{{NAMESPACE}}}br")
            br.tail = line


def to_xml(values: dict[str, Any]) -> etree._Element:
    """The ``<resource>`` element of a gathered record."""
    root = etree.Element(f"{{{NAMESPACE}}}resource", nsmap={None: NAMESPACE, "xsi": _XSI})
    root.set(f"{{{_XSI}}}schemaLocation", SCHEMA_LOCATION)
    _el(root, "identifier", values["identifier"], identifierType="DOI")
    creators = _el(root, "creators")
    for agent in values["creators"]:
        _agent(creators, "creator", agent)
    _list(root, "titles", "title", values["titles"], "titleType", "lang")
    publisher = values["publisher"]
    _el(root, "publisher", publisher["text"],
        **_attrs(publisher, "publisherIdentifier", "publisherIdentifierScheme", "schemeURI"))
    _el(root, "publicationYear", values["publicationYear"])
    kind = values["resourceType"]
    _el(root, "resourceType", kind["text"], resourceTypeGeneral=kind["resourceTypeGeneral"])
    _list(root, "subjects", "subject", values["subjects"],
          "subjectScheme", "schemeURI", "valueURI", "classificationCode", "lang")
    if values["contributors"]:
        contributors = _el(root, "contributors")
        for agent in values["contributors"]:
            _agent(contributors, "contributor", agent)
    _list(root, "dates", "date", values["dates"], "dateType", "dateInformation")
    if values.get("language"):
        _el(root, "language", values["language"])
    _list(root, "alternateIdentifiers", "alternateIdentifier", values["alternateIdentifiers"],
          "alternateIdentifierType")
    _list(root, "relatedIdentifiers", "relatedIdentifier", values["relatedIdentifiers"],
          "relatedIdentifierType", "relationType", "resourceTypeGeneral", "relatedMetadataScheme", "schemeURI",
          "schemeType", "relationTypeInformation")
    _list(root, "sizes", "size", [{"text": s} for s in values["sizes"]])
    _list(root, "formats", "format", [{"text": f} for f in values["formats"]])
    if values.get("version"):
        _el(root, "version", values["version"])
    _list(root, "rightsList", "rights", values["rightsList"],
          "rightsURI", "rightsIdentifier", "rightsIdentifierScheme", "schemeURI", "lang")
    _descriptions(root, values["descriptions"])
    _geo(root, values["geoLocations"])
    _funding(root, values["fundingReferences"])
    _items(root, values["relatedItems"])
    return root


def to_bytes(values: dict[str, Any]) -> bytes:
    """The record as an indented UTF-8 XML document with its declaration."""
    return etree.tostring(to_xml(values), xml_declaration=True, encoding="UTF-8", pretty_print=True)
