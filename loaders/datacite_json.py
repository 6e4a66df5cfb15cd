"""Reading DataCite REST API JSON into the intermediate record of :mod:`loaders.datacite_map`.

Three shapes are read: the API's answer for one DOI (``{"data": {"id": ..., "type": "dois",
"attributes": {...}}}``), a list page (``{"data": [...], "meta": ..., "links": ...}``), and a bare
attributes object or a list of them (the shape of DataCite's own JSON examples and of
``attributes`` itself). The attributes already are the intermediate record, nearly: this module only
smooths the differences between API versions, and leaves types alone so that the mapping can refuse a
wrong one naming its field.

- ``publisher`` is a string, or an object (``?publisher=true``, 4.5): always an object here.
- ``identifiers`` (4.3 JSON) holds the DOI and the alternate identifiers: the non-DOI ones become
  ``alternateIdentifiers`` where that list is absent.
- ``affiliation`` items are strings (API default) or objects (``?affiliation=true``): always objects.
- ``geoLocationPolygon`` is one polygon (a list of ``{"polygonPoint": ...}`` and ``{"inPolygonPoint": ...}``)
  or a list of them: always ``geoLocationPolygons``, a list of ``{"polygonPoints": [...], "inPolygonPoint": ...}``.
- ``doi`` comes from ``attributes.doi``, else the resource ``id``, else ``id`` as a doi.org URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from loaders import json_yaml

Record = tuple[str, Any]


def read_json(path: Path) -> list[Record]:
    """``(record id, record)`` pairs of a DataCite JSON file; the id is the DOI, else ``#n`` (its position)."""
    data = json_yaml.read_json(path)
    items = data.get("data", data) if isinstance(data, dict) and "data" in data else data
    items = items if isinstance(items, list) else [items]
    records: list[Record] = []
    for n, item in enumerate(items, 1):
        record = attributes(item)
        doi = record.get("doi") if isinstance(record, dict) else None
        records.append((doi if isinstance(doi, str) and doi else f"#{n}", record))
    return records


def attributes(item: Any) -> Any:
    """The intermediate record of one API resource or attributes object (anything else is passed on for the
    mapping to refuse)."""
    if not isinstance(item, dict):
        return item
    record = dict(item.get("attributes", item)) if isinstance(item.get("attributes"), dict) else dict(item)
    if not record.get("doi"):
        rid = item.get("id")
        if isinstance(rid, str) and rid:
            record["doi"] = rid
    publisher = record.get("publisher")
    if isinstance(publisher, str):
        record["publisher"] = {"name": publisher}
    identifiers = record.get("identifiers")
    if isinstance(identifiers, list) and "alternateIdentifiers" not in record:
        record["alternateIdentifiers"] = [
            {"alternateIdentifier": i.get("identifier"), "alternateIdentifierType": i.get("identifierType")}
            for i in identifiers
            if isinstance(i, dict) and i.get("identifierType") != "DOI"
        ]
    for key in ("creators", "contributors"):
        if isinstance(record.get(key), list):
            record[key] = [_agent(a) for a in record[key]]
    if isinstance(record.get("geoLocations"), list):
        record["geoLocations"] = [_geo(g) for g in record["geoLocations"]]
    if isinstance(record.get("relatedItems"), list):
        record["relatedItems"] = [_item(i) for i in record["relatedItems"]]
    return record


def _agent(agent: Any) -> Any:
    if isinstance(agent, dict) and isinstance(agent.get("affiliation"), list):
        agent = dict(agent)
        agent["affiliation"] = [{"name": a} if isinstance(a, str) else a for a in agent["affiliation"]]
    return agent


def _geo(geo: Any) -> Any:
    if not isinstance(geo, dict) or "geoLocationPolygon" not in geo:
        return geo
    geo = dict(geo)
    raw = geo.pop("geoLocationPolygon")
    polygons = raw if isinstance(raw, list) and raw and all(isinstance(p, list) for p in raw) else [raw]
    geo["geoLocationPolygons"] = [_polygon(p) for p in polygons]
    return geo


def _polygon(points: Any) -> Any:
    if not isinstance(points, list):
        return points
    polygon: dict[str, Any] = {"polygonPoints": []}
    for point in points:
        if isinstance(point, dict) and "inPolygonPoint" in point:
            polygon["inPolygonPoint"] = point["inPolygonPoint"]
        else:
            polygon["polygonPoints"].append(point.get("polygonPoint") if isinstance(point, dict) else point)
    return polygon


def _item(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    item = dict(item)
    number = item.get("number")
    if isinstance(number, dict):  # {"number": "3", "numberType": "Article"}
        item["number"], item["numberType"] = number.get("number"), number.get("numberType", item.get("numberType"))
    for key in ("creators", "contributors"):
        if isinstance(item.get(key), list):
            item[key] = [_agent(a) for a in item[key]]
    return item
