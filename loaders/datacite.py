"""Loads DataCite metadata: kernel-4 XML (any 4.x) and the DataCite REST API's JSON.

``pankg load datacite PATH...``: each path is a file or a directory (every ``.xml`` and ``.json`` file
under it). One source per file, replaced atomically. A ``.xml`` file is read by
:mod:`loaders.datacite_xml` (one ``<resource>``, or a wrapper of many such as an OAI-PMH answer), a
``.json`` file by :mod:`loaders.datacite_json` (one DOI, a list page, or bare attributes); a file named
with another suffix is read as XML when it starts with ``<``. Both give the same intermediate record,
which :mod:`loaders.datacite_map` turns into a DOI record with its people and organizations.

Strict (the default) fails a file at its first bad record, so nothing of it is written; ``lenient``
skips bad records and lists them. XML that is unsafe (a DTD, entities) or malformed and JSON that does
not parse fail the file in both modes. The field-by-field mapping is in ``docs/mapping-datacite.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.writer import Quad, RdfModel
from loaders.base import DEFAULT_OPTIONS, LoadOptions, LoadReport, LoadWarning, RecordFileSource, expand_paths
from loaders.datacite_json import read_json
from loaders.datacite_map import RecordMapper
from loaders.datacite_xml import read_xml
from loaders.records import record_quads

NAME = "datacite"
SUFFIXES = frozenset({".xml", ".json"})


def read(path: Path) -> list[tuple[str, Any]]:
    """``(record id, record)`` pairs of a file, XML or JSON by its suffix (else by its first character)."""
    suffix = path.suffix.lower()
    if suffix in (".xml", ".json"):
        records = read_xml(path) if suffix == ".xml" else read_json(path)
    else:
        with path.open("rb") as handle:
            head = handle.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
        records = read_xml(path) if head.startswith(b"<") else read_json(path)
    if not records:  # an empty list: loading it would empty the source without a word
        raise RecordInvalid("no DataCite records in it", file=str(path))
    return records


def record_entities(record: Any, record_id: str, file: str, report: LoadReport) -> list[e.Entity]:
    """The entities of one record; warnings name the file, the record and the field."""

    def warn(message: str, field: str) -> None:
        report.warnings.append(LoadWarning(message, file, record_id, field))

    return RecordMapper(record, warn).map()


@dataclass
class DataciteSource(RecordFileSource):
    """One DataCite file (XML or JSON), loaded record by record."""

    kind: ClassVar[str] = NAME
    mapping_version: ClassVar[str] = "1"

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        records = read(self.path)
        file = self.location
        pairs = ((rid, (rid, record)) for rid, record in records)
        yield from record_quads(pairs, lambda item: record_entities(item[1], item[0], file, report), model,
                                file=file, lenient=self.lenient, report=report)


def sources(paths: list[str], options: LoadOptions = DEFAULT_OPTIONS) -> list[DataciteSource]:
    """One source per file; a directory stands for the ``.xml`` and ``.json`` files anywhere under it."""
    found = expand_paths(paths, SUFFIXES, recursive=True, label="DataCite")
    return [DataciteSource(path, options.lenient) for path, _root in found]
