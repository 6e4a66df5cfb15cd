"""Loads Crossref work metadata: the JSON of Crossref's REST API.

``pankg load crossref PATH...``: each path is a ``.json`` file or a directory (every ``.json`` file under
it); one source per file, replaced atomically. A file holds the answer for one DOI
(``{"status": "ok", "message-type": "work", "message": {...}}``), a list page (``"message-type":
"work-list"``, the works in ``message.items``), a bare work or a list of works.
:mod:`loaders.crossref_map` turns each work into a publication whose reference list ``cito:cites`` the
DOIs it names, so a paper reaches the dataset and software DOIs already in the graph.

Strict (the default) fails a file at its first bad work, so nothing of it is written; ``lenient`` skips
bad works and lists them. JSON that does not parse fails the file in both modes. The field-by-field
mapping is in ``docs/mapping-crossref.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from graph.errors import RecordInvalid
from graph.model.writer import Quad, RdfModel
from loaders.base import DEFAULT_OPTIONS, LoadOptions, LoadReport, LoadWarning, RecordFileSource, expand_paths
from loaders.crossref_map import WorkMapper
from loaders.json_yaml import read_json
from loaders.records import record_quads

NAME = "crossref"
SUFFIXES = frozenset({".json"})


def read(path: Path) -> list[tuple[str, Any]]:
    """``(record id, work)`` pairs of a Crossref file; the id is the DOI, else ``#n`` (its position)."""
    data = read_json(path)
    if isinstance(data, dict) and "message" in data:
        if data.get("status") not in (None, "ok"):
            raise RecordInvalid(f"Crossref answered status {data.get('status')!r}", file=str(path), field="status")
        data = data["message"]
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            data = data["items"]
    works = data if isinstance(data, list) else [data]
    if not works:  # an empty list (or API answer): loading it would empty the source without a word
        raise RecordInvalid("no works in it", file=str(path))
    pairs = []
    for n, work in enumerate(works, 1):
        doi = work.get("DOI") if isinstance(work, dict) else None
        pairs.append((doi if isinstance(doi, str) and doi else f"#{n}", work))
    return pairs


@dataclass
class CrossrefSource(RecordFileSource):
    """One Crossref JSON file, loaded work by work."""

    kind: ClassVar[str] = NAME
    mapping_version: ClassVar[str] = "1"

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        file = self.location

        def entities(item: tuple[str, Any]) -> list[Any]:
            record_id, work = item

            def warn(message: str, field: str) -> None:
                report.warnings.append(LoadWarning(message, file, record_id, field))

            return WorkMapper(work, warn).map()

        pairs = ((rid, (rid, work)) for rid, work in read(self.path))
        yield from record_quads(pairs, entities, model, file=file, lenient=self.lenient, report=report)


def sources(paths: list[str], options: LoadOptions = DEFAULT_OPTIONS) -> list[CrossrefSource]:
    """One source per file; a directory stands for the ``.json`` files anywhere under it."""
    found = expand_paths(paths, SUFFIXES, recursive=True, label="Crossref")
    return [CrossrefSource(path, options.lenient) for path, _root in found]
