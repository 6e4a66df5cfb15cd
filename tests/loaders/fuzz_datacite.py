"""Hypothesis strategies for DataCite records: the REST API's JSON and kernel-4 XML.

A record is built once as the REST API's attributes (the intermediate record both of the loader's readers
give), from the fields and controlled lists of docs/mapping-datacite.md and loaders/datacite_map.py and the
shapes of the reference records (../shared/reference/datacite), and written as JSON (bare attributes, a list,
a ``{"data": ...}`` answer or a list page) or as XML (one ``<resource>`` or a bundle of them, by the writer
below, the inverse of :func:`loaders.datacite_xml.resource`). XML has only text, so an XML case holds text
that XML 1.0 can carry, and its breaks are dropped fields and values outside DataCite's lists.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import cache
from typing import Any

from hypothesis import strategies as st

from graph.model.relations import RELATION_TYPES
from loaders.datacite_map import CONTRIBUTOR_TYPES, DATE_TYPES, DESCRIPTION_TYPES, RESOURCE_TYPES, TITLE_TYPES
from tests.loaders.fuzz_cases import Broken, Case, Named, breaking, dumps, xml_clean
from tests.loaders.fuzz_values import datetimes, day, doi, number, optional, orcid, text, url, words


@cache
def lang(odd: bool) -> st.SearchStrategy[str]:
    return st.sampled_from(("en", "de-DE", "fr", "x-klingon")) | (text(odd) if odd else st.nothing())


@cache
def coordinate(limit: int, odd: bool) -> st.SearchStrategy[Any]:
    """A latitude or longitude: a JSON number or its text, as the REST API and the XML give it."""
    value = st.floats(-limit, limit, allow_nan=False)
    found = value | value.map(lambda v: f"{v:.5f}") | value.map(repr)
    return found | number(True) | text(True) if odd else found


@st.composite
def agent(draw: st.DrawFn, odd: bool, contributor: bool) -> dict[str, Any]:
    t, name = text(odd), (text(odd) if odd else words())
    a: dict[str, Any] = {"name": draw(name)} if draw(st.booleans()) else {"givenName": draw(name),
                                                                          "familyName": draw(name)}
    if contributor:
        a["contributorType"] = draw(st.sampled_from(sorted(CONTRIBUTOR_TYPES)) | (t if odd else st.nothing()))
    optional(draw, a, "nameType", st.sampled_from(("Personal", "Organizational")))
    optional(draw, a, "lang", lang(odd))
    optional(draw, a, "nameIdentifiers", st.lists(st.one_of(
        st.fixed_dictionaries({"nameIdentifier": orcid(), "nameIdentifierScheme": st.just("ORCID")},
                              optional={"schemeUri": st.just("https://orcid.org")}),
        st.fixed_dictionaries({"nameIdentifier": st.just("https://ror.org/02550n020"),
                               "nameIdentifierScheme": st.just("ROR")}),
        st.fixed_dictionaries({"nameIdentifier": words(), "nameIdentifierScheme": t, "schemeUri": url()})), max_size=2))
    optional(draw, a, "affiliation", st.lists(st.fixed_dictionaries({"name": name}, optional={
        "affiliationIdentifier": st.just("https://ror.org/01wv9cn34") | words(),
        "affiliationIdentifierScheme": st.just("ROR"), "schemeUri": url()}), max_size=2))
    return a


@st.composite
def datacite_record(draw: st.DrawFn, odd: bool, xml: bool) -> dict[str, Any]:
    """One record as the REST API's attributes (the intermediate record both readers give)."""
    t, name = text(odd), (text(odd) if odd else words())
    r: dict[str, Any] = {"doi": draw(doi(odd)), "titles": [{"title": draw(name)}]}
    optional(draw, r, "identifierType", st.just("DOI"))
    r["titles"] += draw(st.lists(st.fixed_dictionaries({"title": name, "titleType": st.sampled_from(sorted(TITLE_TYPES))},
                                                       optional={"lang": lang(odd)}), max_size=2))
    for key, contributor in (("creators", False), ("contributors", True)):
        optional(draw, r, key, st.lists(agent(odd, contributor), max_size=3))
    optional(draw, r, "publisher", st.fixed_dictionaries({"name": t}, optional={
        "publisherIdentifier": st.just("https://ror.org/02550n020"), "publisherIdentifierScheme": st.just("ROR")}))
    optional(draw, r, "publicationYear", st.integers(1000, 9999).map(str) | (st.integers(1000, 9999) if not xml
                                                                            else st.nothing()))
    optional(draw, r, "types", st.fixed_dictionaries({"resourceTypeGeneral": st.sampled_from(sorted(RESOURCE_TYPES))},
                                                     optional={"resourceType": t}))
    optional(draw, r, "subjects", st.lists(st.fixed_dictionaries({"subject": t}, optional={
        "subjectScheme": t, "schemeUri": url(), "valueUri": url(), "classificationCode": t, "lang": lang(odd)}),
        max_size=2))
    optional(draw, r, "dates", st.lists(st.fixed_dictionaries({"date": day(odd).filter(str.strip), "dateType":
                                                               st.sampled_from(sorted(DATE_TYPES))},
                                                              optional={"dateInformation": t}), max_size=2))
    optional(draw, r, "language", lang(odd))
    optional(draw, r, "alternateIdentifiers", st.lists(st.fixed_dictionaries(
        {"alternateIdentifier": t, "alternateIdentifierType": t}), max_size=2))
    related = st.one_of(
        st.fixed_dictionaries({"relatedIdentifier": doi(odd), "relatedIdentifierType": st.just("DOI")}),
        st.fixed_dictionaries({"relatedIdentifier": url(), "relatedIdentifierType": st.just("URL")}))
    optional(draw, r, "relatedIdentifiers", st.lists(st.builds(
        lambda x, rel: {**x, "relationType": rel}, related, st.sampled_from(RELATION_TYPES)), max_size=3))
    for key in ("sizes", "formats"):
        optional(draw, r, key, st.lists(t, max_size=2))
    optional(draw, r, "version", t)
    optional(draw, r, "rightsList", st.lists(st.fixed_dictionaries({"rights": t}, optional={
        "rightsUri": url(), "rightsIdentifier": st.sampled_from(("CC-BY-4.0", "MIT", "cc by 4.0")),
        "rightsIdentifierScheme": st.just("SPDX"), "lang": lang(odd)}), max_size=2))
    optional(draw, r, "descriptions", st.lists(st.fixed_dictionaries(
        {"description": t, "descriptionType": st.sampled_from(sorted(DESCRIPTION_TYPES))}, optional={"lang": lang(odd)}),
        max_size=2))
    point = st.fixed_dictionaries({"pointLatitude": coordinate(90, odd), "pointLongitude": coordinate(180, odd)})
    box = st.fixed_dictionaries({"westBoundLongitude": coordinate(180, odd), "eastBoundLongitude": coordinate(180, odd),
                                 "southBoundLatitude": coordinate(90, odd), "northBoundLatitude": coordinate(90, odd)})
    optional(draw, r, "geoLocations", st.lists(st.fixed_dictionaries({}, optional={
        "geoLocationPlace": t, "geoLocationPoint": point, "geoLocationBox": box}), max_size=2))
    optional(draw, r, "fundingReferences", st.lists(st.fixed_dictionaries({"funderName": name}, optional={
        "funderIdentifier": st.just("https://ror.org/02550n020") | doi(odd) | words(),
        "funderIdentifierType": st.sampled_from(("ROR", "Crossref Funder ID", "Other")), "awardNumber": t,
        "awardUri": url(), "awardTitle": t}), max_size=2))
    if not xml:
        optional(draw, r, "url", url())
        optional(draw, r, "registered", datetimes(odd).map(lambda d: d.isoformat()))
    return r


BAD_VALUES = (  # (field path, value outside DataCite's lists or formats)
    (("publicationYear",), "20x0"), (("language",), "not a tag!"), (("titles", 0, "titleType"), "Bogus"),
    (("types", "resourceTypeGeneral"), "Thing"), (("relatedIdentifiers", 0, "relationType"), "IsLovedBy"),
    (("dates", 0, "dateType"), "Someday"), (("creators", 0, "nameType"), "Alien"), (("titles", 0, "title"), " "),
    (("geoLocations", 0, "geoLocationPoint", "pointLatitude"), "91"),
)


@st.composite
def datacite(draw: st.DrawFn, odd: bool = False, broken: bool = False, xml: bool | None = None) -> Case:
    """A DataCite file: REST JSON (one DOI, a list page, bare attributes) or kernel-4 XML (one resource or a bundle)."""
    as_xml = draw(st.booleans()) if xml is None else xml
    records = draw(st.lists(datacite_record(odd, as_xml), min_size=1, max_size=3))
    if as_xml:
        records = xml_clean(records)
    named: Named = [(r["doi"] if isinstance(r["doi"], str) and r["doi"] else f"#{n}", r)
                    for n, r in enumerate(records, 1)]
    alone = len(records) == 1 and draw(st.booleans())  # XML: one <resource>, else a bundle of them
    # (bare attributes take no nesting: a record wrapped in a list is a list of records, so not when broken)
    shapes = ("list", "page", "one") if broken else ("attributes", "list", "page", "one")
    shape = draw(st.sampled_from(shapes if len(records) == 1 else ("list", "page")))

    def body(named: Named) -> dict[str, bytes]:
        values = [r for _, r in named]
        if as_xml:
            root = _resource(values[0]) if alone else _bundle(values)
            return {"record.xml": ET.tostring(root, encoding="utf-8", xml_declaration=True)}
        resources = [{"id": r.get("doi") if isinstance(r, dict) else None, "type": "dois", "attributes": r}
                     for r in values]
        return {"record.json": dumps({"attributes": values[0], "list": values, "one": {"data": resources[0]},
                                      "page": {"data": resources, "meta": {"total": len(values)}}}[shape])}

    case = Case("datacite", body(named))
    if not broken:
        return case
    if as_xml or draw(st.booleans()):
        named, damage = draw(_bad_value(named))
    else:
        named, damage = draw(breaking(named, ("doi", "titles"), {"doi": {"identifier"}}))
    return Case("datacite", body(named), _xml_names(damage) if as_xml else damage, case)


@st.composite
def _bad_value(draw: st.DrawFn, named: Named) -> tuple[Named, Broken]:
    """One record with a required field dropped or a value outside DataCite's lists (both work in XML too)."""
    n = draw(st.integers(0, len(named) - 1))
    name, record = named[n]
    record = json.loads(json.dumps(record))
    usable = [(path, v) for path, v in BAD_VALUES if _holder(record, path) is not None]
    choice = draw(st.sampled_from(["drop-doi", "drop-titles", *range(len(usable))]))
    if choice == "drop-doi":
        del record["doi"]
        fields, how = {"identifier", "doi"}, "doi dropped"
    elif choice == "drop-titles":
        del record["titles"]
        fields, how = {"titles"}, "titles dropped"
    else:
        path, value = usable[choice]  # type: ignore[index]
        _holder(record, path)[path[-1]] = value  # type: ignore[index]
        fields, how = {str(path[0]), str(path[-1])}, f"{path} = {value!r}"
    damage = Broken(frozenset({name, f"#{n + 1}"}), frozenset(fields), how, must_refuse=True)
    return [*named[:n], (name, record), *named[n + 1:]], damage


def _holder(record: dict[str, Any], path: tuple[Any, ...]) -> Any:
    """The object that holds the last step of ``path`` in ``record``, or None where the record has no such place."""
    holder: Any = record
    for step in path[:-1]:
        if isinstance(step, int):
            if not isinstance(holder, list) or len(holder) <= step:
                return None
        elif not isinstance(holder, dict) or step not in holder:
            return None
        holder = holder[step]
    return holder if isinstance(holder, dict) else None


def _xml_names(damage: Broken) -> Broken:
    """XML collapses whitespace runs in a DOI, so a record may also go by the collapsed one."""
    return replace(damage, records=damage.records | {" ".join(n.split()) for n in damage.records})


# ---------------------------------------------------------------- DataCite XML writer

NS = "http://datacite.org/schema/kernel-4"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ITEMS = {"creators": "creator", "contributors": "contributor", "titles": "title", "subjects": "subject",
         "dates": "date", "alternateIdentifiers": "alternateIdentifier", "relatedIdentifiers": "relatedIdentifier",
         "rightsList": "rights", "descriptions": "description", "sizes": "size", "formats": "format",
         "fundingReferences": "fundingReference", "geoLocations": "geoLocation"}
VALUES = {"titles": "title", "subjects": "subject", "dates": "date", "alternateIdentifiers": "alternateIdentifier",
          "relatedIdentifiers": "relatedIdentifier", "rightsList": "rights", "descriptions": "description"}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _attrs(values: dict[str, Any]) -> dict[str, str]:
    return {LANG if k == "lang" else (k[:-3] + "URI" if k.endswith("Uri") else k): str(v) for k, v in values.items()}


def _child(parent: ET.Element, tag: str, value: Any, attrs: dict[str, Any] | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), _attrs(attrs or {}))
    element.text = str(value)
    return element


def _bundle(records: list[dict[str, Any]]) -> ET.Element:
    root = ET.Element("records")
    for record in records:
        root.append(_resource(record))
    return root


def _resource(record: dict[str, Any]) -> ET.Element:
    """A kernel-4 ``<resource>`` of an intermediate record (the inverse of :func:`loaders.datacite_xml.resource`)."""
    resource = ET.Element(_q("resource"))
    for key, value in record.items():
        if key == "doi":
            _child(resource, "identifier", value, {"identifierType": record.get("identifierType", "DOI")})
        elif key in ("publicationYear", "language", "version"):
            _child(resource, key, value)
        elif key == "publisher":
            _child(resource, "publisher", value.get("name", ""), {k: v for k, v in value.items() if k != "name"})
        elif key == "types":
            _child(resource, "resourceType", value.get("resourceType", ""),
                   {k: v for k, v in value.items() if k != "resourceType"})
        elif key in ITEMS:
            wrapper = ET.SubElement(resource, _q(key))
            for item in value:
                _item(wrapper, key, item)
    return resource


def _item(wrapper: ET.Element, key: str, item: Any) -> None:
    tag = ITEMS[key]
    if key in ("sizes", "formats"):
        _child(wrapper, tag, item)
    elif key in VALUES:
        _child(wrapper, tag, item.get(VALUES[key], ""), {k: v for k, v in item.items() if k != VALUES[key]})
    elif key in ("creators", "contributors"):
        element = ET.SubElement(wrapper, _q(tag), _attrs({k: v for k, v in item.items() if k == "contributorType"}))
        if "name" in item:
            _child(element, f"{tag}Name", item["name"], {k: item[k] for k in ("nameType", "lang") if k in item})
        for part in ("givenName", "familyName"):
            if part in item:
                _child(element, part, item[part])
        for x in item.get("nameIdentifiers", []):
            _child(element, "nameIdentifier", x.get("nameIdentifier", ""), {k: v for k, v in x.items()
                                                                            if k != "nameIdentifier"})
        for x in item.get("affiliation", []):
            _child(element, "affiliation", x.get("name", ""), {k: v for k, v in x.items() if k != "name"})
    elif key == "fundingReferences":
        element = ET.SubElement(wrapper, _q(tag))
        for part in ("funderName", "funderIdentifier", "awardNumber", "awardTitle"):
            if part in item:
                attrs = {"funderIdentifier": "funderIdentifierType", "awardNumber": "awardUri"}.get(part, "")
                _child(element, part, item[part], {attrs: item[attrs]} if attrs in item else {})
    else:  # geoLocations
        element = ET.SubElement(wrapper, _q(tag))
        for part, value in item.items():
            if isinstance(value, dict):
                group = ET.SubElement(element, _q(part))
                for name, coordinate in value.items():
                    _child(group, name, coordinate)
            else:
                _child(element, part, value)
