"""Reading the records of a PaNOSC search-API database: each model's records checked and normalized.

The reference search API (panosc-eu/search-api) keeps its data as a LoopBack memory database:
``{"ids": {...}, "models": {"Dataset": {"<key>": "<record as JSON text>", ...}, ...}}``. A record may
also be given as a JSON object instead of JSON text. Relations are foreign keys (``instrumentId``,
``datasetId``, ``documentId``, ``personId``, ``affiliationId``, ``sampleId``) and join tables
(``DatasetSample``, ``DatasetTechnique``, ``DocumentDataset``).

:func:`check_record` turns one raw record into a plain dict holding only the known fields, each of
the right type, or raises :class:`RecordInvalid` naming the field; the mapping
(:mod:`loaders.panosc_map`) then works on checked records only.

>>> check_record("Technique", {"pid": "t1", "name": "SANS", "panetId": "PaNET01189"})["panetId"]
'PaNET01189'
>>> check_record("Dataset", {"title": "no pid"})
Traceback (most recent call last):
graph.errors.RecordInvalid: field pid: missing
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.errors import RecordInvalid
from loaders import fields
from loaders.json_yaml import parse_json
from loaders.records import bare_message

# Field kinds: "id" (a PID: text, or an integer for LoopBack's numbered models), "text", "bool",
# "int", "datetime", "date", "value" (number, text or boolean), "texts" (list of text).
FIELDS: dict[str, dict[str, str]] = {
    "Dataset": {
        "pid": "id",
        "title": "text",
        "isPublic": "bool",
        "creationDate": "datetime",
        "size": "int",
        "instrumentId": "ref",
    },
    "Document": {
        "pid": "id",
        "isPublic": "bool",
        "type": "text",
        "title": "text",
        "summary": "text",
        "doi": "text",
        "startDate": "datetime",
        "endDate": "datetime",
        "releaseDate": "date",
        "license": "text",
        "keywords": "texts",
    },
    "Instrument": {"pid": "id", "name": "text", "facility": "text"},
    "Technique": {"pid": "id", "name": "text", "panetId": "text"},
    "Sample": {"pid": "id", "name": "text", "description": "text"},
    "Person": {
        "id": "id",
        "fullName": "text",
        "orcid": "text",
        "researcherId": "text",
        "firstName": "text",
        "lastName": "text",
    },
    "Affiliation": {"id": "id", "name": "text", "address": "text", "city": "text", "country": "text"},
    "Member": {"id": "id", "role": "text", "documentId": "ref", "personId": "ref", "affiliationId": "ref"},
    "File": {"id": "id", "name": "text", "path": "text", "size": "int", "datasetId": "ref"},
    "Parameter": {
        "id": "id",
        "name": "text",
        "value": "value",
        "unit": "text",
        "datasetId": "ref",
        "documentId": "ref",
        "sampleId": "ref",
    },
    "DatasetSample": {"id": "id", "datasetId": "ref", "sampleId": "ref"},
    "DatasetTechnique": {"id": "id", "datasetId": "ref", "techniqueId": "ref"},
    "DocumentDataset": {"id": "id", "datasetId": "ref", "documentId": "ref"},
}
"""The catalogue models and their fields, as the search API's LoopBack models define them."""

REQUIRED: dict[str, tuple[str, ...]] = {
    "Dataset": ("pid", "title"),
    "Document": ("pid", "type", "title"),
    "Instrument": ("pid", "name"),
    "Technique": ("pid", "name"),
    "Sample": ("pid", "name"),
    "Person": ("id", "fullName"),
    "Affiliation": ("id", "name"),
    "Member": ("id", "documentId"),
    "File": ("id", "name", "datasetId"),
    "Parameter": ("id", "name", "value"),
    "DatasetSample": ("datasetId", "sampleId"),
    "DatasetTechnique": ("datasetId", "techniqueId"),
    "DocumentDataset": ("datasetId", "documentId"),
}
"""Fields without which a record cannot be mapped (the join tables' own ``id`` is not needed)."""

NOT_CATALOGUE = frozenset({"AccessToken", "ACL", "Role", "RoleMapping", "User"})
"""LoopBack's own authentication models: not catalogue content, never mapped."""

PID_FIELD = {model: ("pid" if "pid" in fields else "id") for model, fields in FIELDS.items()}


def decode(model: str, value: Any) -> dict[str, Any]:
    """A record as stored: JSON text (the LoopBack memory database) or an object."""
    if isinstance(value, str):
        try:
            value = parse_json(value)
        except RecordInvalid as exc:
            raise RecordInvalid(f"the record is {bare_message(exc)}") from None
    if not isinstance(value, dict):
        raise RecordInvalid(f"expected a {model} record object, got {type(value).__name__}")
    return value


def check_record(model: str, record: dict[str, Any]) -> dict[str, Any]:
    """The known fields of ``record``, typed (see :data:`FIELDS`); missing required fields and wrong types raise."""
    kinds = FIELDS[model]
    checked: dict[str, Any] = {}
    for name in REQUIRED[model]:
        if kinds[name] in ("id", "ref"):
            checked[name] = _pid(record, name)
        elif record.get(name) in (None, ""):
            raise fields.missing(name)
    for name, kind in kinds.items():
        value = record.get(name)
        if name in checked or value is None or value == "":
            continue
        typed = _typed(name, kind, value)
        if typed == "":  # blank text says nothing: absent, or missing where it is required
            if name in REQUIRED[model]:
                raise RecordInvalid("missing (only blanks)", field=name)
            continue
        checked[name] = typed
    return checked


def _pid(record: dict[str, Any], name: str) -> str:
    """An identifier: text, or an integer (LoopBack numbers its models' records); kept as text."""
    value = record.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise fields.missing(name)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RecordInvalid(f"expected text or an integer, got {fields.described(value)}", field=name)
    return str(value).strip()


def _typed(name: str, kind: str, value: Any) -> Any:
    if kind in ("id", "ref"):
        return _pid({name: value}, name)
    if kind == "text":
        return fields.as_text(value, name)
    if kind == "bool":
        return fields.as_flag(value, name)
    if kind == "int":  # a float must be whole and finite (JSON's 1e400 reads as infinity)
        return fields.as_count(value, name)
    if kind == "value":
        return fields.as_scalar(value, name)
    if kind == "texts":
        return fields.as_texts(value, name)
    if kind == "date":
        return fields.as_day(value, name)
    if kind == "datetime":
        when = fields.as_moment(value, name)
        return when if when is None or when.tzinfo else when.replace(tzinfo=dt.UTC)
    raise AssertionError(kind)
