"""Reading python-icat YAML files into one index of ICAT objects, and resolving the keys between them.

python-icat writes ICAT content in two YAML shapes, and both load:

- **icatdump** (``icatdump -f YAML``): one or more YAML documents, each a mapping of ICAT entity names
  (``facility``, ``investigation``, ``dataset``, ...) to objects keyed by their dump key
  (``Facility_name-ESNF``). An object refers to another by that key (``facility: Facility_name-ESNF``);
  datasets, datafiles and samples are objects of their own that name their parent.
- **example data** (python-icat's ``example_data.yaml``, the input of its setup scripts): one document of
  plural sections (``facilities``, ``investigations``, ``data_publications``, ...) keyed by short names
  that other objects use as references; datasets and their datafiles sit inside their investigation, a
  job's outputs inside the job.

Both become ``sections[entity name][key] = object``; a reference is a key into the section of its
entity. A key that is not there is a *dangling reference*: a warning naming file, record and field
(the mapping goes on without the link). Nothing here knows RDF.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import RecordInvalid
from loaders import json_yaml
from loaders.base import LoadReport, LoadWarning

# The example-data sections, under the ICAT entity names icatdump uses.
EXAMPLE_SECTIONS = {
    "facilities": "facility",
    "users": "user",
    "instruments": "instrument",
    "techniques": "technique",
    "investigations": "investigation",
    "investigation_types": "investigationType",
    "dataset_types": "datasetType",
    "datafile_formats": "datafileFormat",
    "parameter_types": "parameterType",
    "sample_types": "sampleType",
    "applications": "application",
    "jobs": "job",
    "publications": "publication",
    "data_publications": "dataPublication",
    "data_publication_types": "dataPublicationType",
}
_ESCAPE = re.compile(r"=([0-9A-F]{2})")


def read_yaml(path: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    """``(dialect, sections)`` of a YAML dump; malformed YAML or a wrong shape names the file. Timestamps stay as
    the YAML 1.1 resolver reads them (datetime or date), or as text where they are no date
    (:mod:`loaders.json_yaml`)."""
    documents = [d for d in json_yaml.read_yaml(path, many=True) if d is not None]
    sections: dict[str, dict[str, Any]] = {}
    dialect = "example" if any(isinstance(d, dict) and set(d) & set(EXAMPLE_SECTIONS) for d in documents) else "icatdump"
    for document in documents:
        if not isinstance(document, dict):
            raise RecordInvalid(
                f"expected a mapping of ICAT entity names, got {type(document).__name__}", file=str(path)
            )
        for name, objects in document.items():
            name = EXAMPLE_SECTIONS.get(name, name) if dialect == "example" else str(name)
            if isinstance(objects, list):  # example data's facility_cycles: named by position
                objects = {f"#{n + 1}": o for n, o in enumerate(objects)}
            if not isinstance(objects, dict):
                raise RecordInvalid(
                    f"expected objects keyed by name, got {type(objects).__name__}", file=str(path), field=name
                )
            sections.setdefault(name, {}).update({str(k): v for k, v in objects.items()})
    if not any(sections.values()):  # a 0-byte or cut-to-nothing dump must not load as an empty source
        raise RecordInvalid("no ICAT objects in it (an empty dump)", file=str(path))
    return dialect, sections


@dataclass
class Dump:
    """One dump file's objects, the report to warn into, and the indexes the mapping needs."""

    file: str
    dialect: str
    sections: dict[str, dict[str, Any]]
    report: LoadReport
    datafiles: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    """icatdump: datafile objects by the key of their dataset."""

    def __post_init__(self) -> None:
        for obj in self.sections.get("datafile", {}).values():
            if isinstance(obj, dict) and isinstance(obj.get("dataset"), str):
                self.datafiles[obj["dataset"]].append(obj)

    def warn(self, message: str, record: str, field: str = "") -> None:
        warning = LoadWarning(message, self.file, record, field)
        if warning not in self.report.warnings[-20:]:  # a record may resolve the same key twice
            self.report.warnings.append(warning)

    def ref(self, entity: str, key: Any, record: str, field: str) -> dict[str, Any] | None:
        """The object ``key`` names in the ``entity`` section; a dangling key warns and gives None."""
        if key is None or key == "":
            return None
        if not isinstance(key, str):
            raise RecordInvalid(f"expected the key of a {entity}, got {type(key).__name__}", field=field)
        obj = self.sections.get(entity, {}).get(key)
        if not isinstance(obj, dict):
            self.warn(f"dangling reference: no {entity} {key!r} in this dump (the link is left out)", record, field)
            return None
        return obj

    def facility_name(self, obj: dict[str, Any], record: str, field: str = "facility") -> str:
        """The name of the facility an object belongs to: the scope of every PID minted for it."""
        facility = self.ref("facility", obj.get("facility"), record, field)
        if facility is not None:
            return name_of(facility, field)
        value = obj.get("facility")
        if isinstance(value, str) and value.strip():  # dangling (warned): its key still scopes the PIDs
            value = value.strip()
            if value.startswith("Facility_name-"):  # an icatdump key: the facility's name, escaped
                value = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value[len("Facility_name-"):])
            return value
        raise RecordInvalid("missing", field=field)


def name_of(obj: dict[str, Any], field: str = "name") -> str:
    """The required ``name`` of an ICAT object."""
    value = obj.get("name")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise RecordInvalid("missing" if value in (None, "") else f"expected text, got {type(value).__name__}",
                            field=f"{field}.name" if field != "name" else "name")
    return value.strip()


def text(obj: dict[str, Any], key: str) -> str:
    """An optional text field ("" when absent or null); numbers (``version: 69``) are read as text."""
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RecordInvalid(f"expected text, got {type(value).__name__}", field=key)
    return value.strip()


def items(obj: dict[str, Any], key: str) -> list[Any]:
    """An optional list field ([] when absent or null)."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordInvalid(f"expected a list, got {type(value).__name__}", field=key)
    return value


def objects(obj: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """An optional list of objects."""
    found = items(obj, key)
    for n, item in enumerate(found):
        if not isinstance(item, dict):
            raise RecordInvalid(f"expected an object, got {type(item).__name__}", field=f"{key}[{n}]")
    return found


def size(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RecordInvalid(f"expected a whole number >= 0, got {value!r}", field=key)
    return value


def moment(obj: dict[str, Any], key: str) -> dt.datetime | None:
    """An optional date and time: YAML's own timestamp or an ISO 8601 string."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RecordInvalid(f"expected an ISO 8601 date and time, got {value!r}", field=key)


def day(obj: dict[str, Any], key: str) -> dt.date | None:
    value = moment(obj, key)
    return value.date() if value else None
