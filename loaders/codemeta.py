"""Loads CodeMeta software metadata: a repository's ``codemeta.json`` (CodeMeta 2 or 3).

``pankg load codemeta PATH...``: each path is a file or a directory (every ``codemeta.json`` and
``*codemeta.json`` file under it; its other JSON files are skipped and named in the load report); one
source per file, replaced atomically. A file given by name that is not a CodeMeta document (a JSON-LD
context, a bare value, no record) is an error naming it. A file holds one record, a list of records, or
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

from graph.errors import RecordInvalid
from graph.model.writer import Quad, RdfModel
from loaders.base import DEFAULT_OPTIONS, LoadOptions, LoadReport, LoadWarning, RecordFileSource, expand_paths
from loaders.codemeta_map import CodemetaMapper
from loaders.json_yaml import read_json
from loaders.records import record_quads

NAME = "codemeta"
SUFFIXES = frozenset({".json", ".jsonld"})


def read(path: Path) -> list[tuple[str, Any]]:
    """``(record id, record)`` pairs of a CodeMeta file; the id is the record's name, else ``#n``.

    A file that is JSON but no CodeMeta document (a JSON-LD context, such as CodeMeta's own
    ``codemeta.jsonld``, a bare value, no record at all) is :class:`RecordInvalid` naming it.
    """
    data = read_json(path)
    problem = not_codemeta(data)
    if problem:
        raise RecordInvalid(f"not a CodeMeta document: {problem}", file=str(path))
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data = data["@graph"]
    records = data if isinstance(data, list) else [data]
    pairs = []
    for n, record in enumerate(records, 1):
        name = record.get("name") if isinstance(record, dict) else None
        pairs.append((name if isinstance(name, str) and name.strip() else f"#{n}", record))
    return pairs


def not_codemeta(data: Any) -> str:
    """Why parsed JSON is not a CodeMeta document, or ``""`` when it is one (its records are checked later).

    >>> not_codemeta({"@context": {"schema": "http://schema.org/"}})
    'it holds only a JSON-LD @context (a context file, not software metadata)'
    >>> not_codemeta({"@context": "https://w3id.org/codemeta/3.0", "name": "x"}), not_codemeta([])
    ('', 'no records in it')
    """
    if not isinstance(data, (dict, list)):
        return f"it holds a JSON {type(data).__name__}, not software records"
    if isinstance(data, dict) and set(data) == {"@context"}:
        return "it holds only a JSON-LD @context (a context file, not software metadata)"
    records = data.get("@graph", data) if isinstance(data, dict) else data
    return "no records in it" if records in ([], {}) else ""


def is_codemeta_name(path: Path) -> bool:
    """The files a directory stands for: ``codemeta.json`` and ``*codemeta.json`` (``example-codemeta.json``,
    ``dials.codemeta.json``); a repository's other JSON (``package.json``, CodeMeta's context file) is not."""
    return path.name.lower().endswith("codemeta.json")


@dataclass
class CodemetaSource(RecordFileSource):
    """One codemeta.json file."""

    kind: ClassVar[str] = NAME
    mapping_version: ClassVar[str] = "1"
    passed_over: tuple[str, ...] = ()
    """Files of the directory this source was found in that the loader does not read, for the load report."""

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        file = self.location

        def entities(item: tuple[str, Any]) -> list[Any]:
            record_id, record = item

            def warn(message: str, field: str) -> None:
                report.warnings.append(LoadWarning(message, file, record_id, field))

            return CodemetaMapper(record, warn).map()

        pairs = ((rid, (rid, record)) for rid, record in read(self.path))
        yield from record_quads(pairs, entities, model, file=file, lenient=self.lenient, report=report)


def sources(paths: list[str], options: LoadOptions = DEFAULT_OPTIONS) -> list[CodemetaSource]:
    """One source per file; a directory stands for the CodeMeta files anywhere under it
    (:func:`is_codemeta_name`), and its other ``.json``/``.jsonld`` files are named in the load report."""
    found: list[CodemetaSource] = []
    for text in paths:
        passed_over: list[Path] = []
        files = expand_paths([text], SUFFIXES, recursive=True, label="CodeMeta", wanted=is_codemeta_name,
                             what="codemeta.json, *codemeta.json", passed_over=passed_over)
        here = [CodemetaSource(path, options.lenient) for path, _root in files]
        here[0].passed_over = tuple(f"{p}: not a CodeMeta file name (codemeta.json, *codemeta.json)"
                                    for p in passed_over)
        found += here
    return found
