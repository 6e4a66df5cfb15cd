"""Loads CodeMeta software metadata: a repository's ``codemeta.json`` (CodeMeta 2 or 3).

``pankg load codemeta PATH...``: each path is a file or a directory (every ``codemeta.json`` and ``.json``
file under it); one source per file, replaced atomically. A file holds one record, a list of records, or
a JSON-LD ``@graph`` of them. :mod:`loaders.codemeta_map` turns each record into the software, its version
as a node of its own (analysis runs use a version) and the people and organizations it names.

Strict (the default) fails a file at its first bad record, so nothing of it is written; ``lenient`` skips
bad records and lists them. JSON that does not parse fails the file in both modes. The field-by-field
mapping is in ``docs/mapping-software.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from graph.model import Quad, RdfModel
from loaders.base import LoadReport, LoadWarning, RecordFileSource, entity_quads, expand_paths
from loaders.codemeta_map import CodemetaMapper
from loaders.crossref import read_json
from loaders.records import map_records

NAME = "codemeta"
SUFFIXES = frozenset({".json", ".jsonld"})


def read(path: Path) -> list[tuple[str, Any]]:
    """``(record id, record)`` pairs of a CodeMeta file; the id is the record's name, else ``#n``."""
    data = read_json(path)
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data = data["@graph"]
    records = data if isinstance(data, list) else [data]
    pairs = []
    for n, record in enumerate(records, 1):
        name = record.get("name") if isinstance(record, dict) else None
        pairs.append((name if isinstance(name, str) and name.strip() else f"#{n}", record))
    return pairs


@dataclass
class CodemetaSource(RecordFileSource):
    """One codemeta.json file."""

    kind: ClassVar[str] = NAME
    mapping_version: ClassVar[str] = "1"

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        file = self.location

        def entities(item: tuple[str, Any]) -> list[Any]:
            record_id, record = item

            def warn(message: str, field: str) -> None:
                report.warnings.append(LoadWarning(message, file, record_id, field))

            return CodemetaMapper(record, warn).map()

        pairs = ((rid, (rid, record)) for rid, record in read(self.path))
        yield from entity_quads(map_records(pairs, entities, file=file, lenient=self.lenient, report=report),
                                model, report)


def sources(paths: list[str], lenient: bool = False) -> list[CodemetaSource]:
    """One source per file; a directory stands for the ``.json`` and ``.jsonld`` files anywhere under it."""
    return [CodemetaSource(path, lenient) for path, _root in expand_paths(paths, SUFFIXES, recursive=True)]
