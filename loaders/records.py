"""Record-by-record mapping with the strict and lenient modes every catalogue loader shares.

A loader reads a file into records and maps each record to entities. :func:`map_records` runs that
mapping: in strict mode (the CLI's default) the first bad record raises :class:`RecordInvalid`, which
aborts the whole source so nothing of the file reaches the graph; in lenient mode the bad record is
skipped, listed in the report, and the others load. A record's entities are built completely before
any is handed on, so a record is never half-mapped. :func:`record_quads` goes one step further and
builds each record's quads inside the record too, so that a value only the model can refuse (text
that is not an IRI, where the model writes an IRI) names the file, the record and the field as well.

>>> from loaders.base import LoadReport
>>> report = LoadReport("x", "f.json")
>>> def to_entities(record):
...     if "pid" not in record:
...         raise RecordInvalid("missing", field="pid")
...     return []
>>> list(map_records([("r1", {"pid": 1}), ("r2", {})], to_entities, file="f.json", lenient=True, report=report))
[]
>>> print(report.warnings[0])
file f.json, record r2, field pid: missing
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from graph.errors import RecordInvalid
from graph.model.entities import Entity, Parameter
from graph.model.units import UnknownUnit, make_parameter
from graph.model.writer import Quad, RdfModel
from loaders.base import SHARED_KINDS, LoadReport, LoadWarning
from loaders.fields import as_scalar


def map_records(
    records: Iterable[tuple[str, Any]],
    to_entities: Callable[[Any], Iterable[Entity]],
    *,
    file: str,
    lenient: bool,
    report: LoadReport,
) -> Iterator[Entity]:
    """Entities of every ``(record id, record)``; bad records raise (strict) or are skipped (lenient)."""
    for record_id, record in records:
        try:
            entities = list(to_entities(record))
        except RecordInvalid as exc:
            _refused(exc, file, record_id, lenient, report)
            continue
        yield from entities


def record_quads(
    records: Iterable[tuple[str, Any]],
    to_entities: Callable[[Any], Iterable[Entity]],
    model: RdfModel,
    *,
    file: str,
    lenient: bool,
    report: LoadReport,
    shared: tuple[type, ...] | None = SHARED_KINDS,
) -> Iterator[Quad]:
    """The quads of every ``(record id, record)``, each record's built whole before any is handed on.

    As :func:`map_records` followed by :func:`loaders.base.entity_quads`, except that the model runs inside
    the record's boundary: when it refuses a value (raising :class:`RecordInvalid`), the error names the
    file and the record, and lenient mode skips that record whole. An entity of a ``shared`` kind (None:
    any entity) already written by an earlier record is written and counted once.
    """
    seen: set[Entity] = set()
    counts = report.entities
    for record_id, record in records:
        fresh: list[Entity] = []
        quads: list[Quad] = []
        try:
            for entity in to_entities(record):
                if (shared is None or isinstance(entity, shared)) and (entity in seen or entity in fresh):
                    continue
                quads.extend(model.quads(entity))
                fresh.append(entity)
        except RecordInvalid as exc:
            _refused(exc, file, record_id, lenient, report)
            continue
        for entity in fresh:
            counts[type(entity).__name__] += 1
            if shared is None or isinstance(entity, shared):
                seen.add(entity)
        yield from quads


def _refused(exc: RecordInvalid, file: str, record_id: str, lenient: bool, report: LoadReport) -> None:
    """A bad record: raised naming the file and record (strict), or listed in the report (lenient)."""
    error = RecordInvalid(bare_message(exc), file=exc.file or file, record=exc.record or record_id, field=exc.field)
    if not lenient:
        raise error from None
    report.warnings.append(LoadWarning(bare_message(exc), error.file, error.record, error.field))
    report.skipped.append(str(error))


def bare_message(exc: RecordInvalid) -> str:
    """The message without the "file ..., record ...:" prefix the exception may already carry."""
    text = str(exc)
    where = ", ".join(
        f"{name} {value}" for name, value in (("file", exc.file), ("record", exc.record), ("field", exc.field)) if value
    )
    return text[len(where) + 2 :] if where and text.startswith(where + ": ") else text


def parameter(
    name: str, value: Any, unit: str, *, report: LoadReport, file: str, record: str, field: str
) -> Parameter:
    """A parameter with its SI value; an unknown unit keeps the parameter and adds a warning."""
    try:
        value = as_scalar(value, field)
    except RecordInvalid as exc:
        raise RecordInvalid(bare_message(exc), file=file, record=record, field=field) from None
    try:
        return make_parameter(name, value, unit or "")
    except UnknownUnit as exc:
        report.warnings.append(LoadWarning(f"{exc}: kept without an SI value", file, record, field))
        return Parameter(name, value, unit)

