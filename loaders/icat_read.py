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
(the mapping goes on without the link). Nothing here knows RDF. Fields are read through :mod:`loaders.fields`,
as ICAT has them: numbers stand for text where text is asked for (``version: 69``), sizes are whole numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import RecordInvalid
from loaders import fields, json_yaml
from loaders.base import LoadReport, LoadWarning
from loaders.fields import as_text

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
    example = any(isinstance(d, dict) and set(d) & set(EXAMPLE_SECTIONS) for d in documents)
    dialect = "example" if example else "icatdump"
    for document in documents:
        if not isinstance(document, dict):
            raise RecordInvalid(
                f"expected a mapping of ICAT entity names, got {fields.described(document)}", file=str(path)
            )
        for given, found in document.items():
            name = EXAMPLE_SECTIONS.get(str(given), str(given)) if dialect == "example" else str(given)
            if isinstance(found, list):  # example data's facility_cycles: named by position
                found = {f"#{n + 1}": o for n, o in enumerate(found)}
            if not isinstance(found, dict):
                raise RecordInvalid(
                    f"expected objects keyed by name, got {fields.described(found)}", file=str(path), field=name
                )
            sections.setdefault(name, {}).update({str(k): v for k, v in found.items()})
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
            raise RecordInvalid(f"expected the key of a {entity}, got {fields.described(key)}", field=field)
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
        raise fields.missing(field)


def name_of(obj: dict[str, Any], field: str = "name") -> str:
    """The required ``name`` of an ICAT object (``field``: the object's own field, which the error names)."""
    where = f"{field}.name" if field != "name" else "name"
    value = as_text(obj.get("name"), where, numbers=True)
    if not value:
        raise fields.missing(where)
    return value


def text(obj: dict[str, Any], key: str) -> str:
    """An optional text field ("" when absent or null); numbers (``version: 69``) are read as text."""
    return fields.text(obj, key, numbers=True)


def size(obj: dict[str, Any], key: str) -> int | None:
    """An optional whole number >= 0, written as one (ICAT's sizes are Java longs, never floats)."""
    return fields.count(obj, key, floats=False)
