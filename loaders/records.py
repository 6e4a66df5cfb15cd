"""Record-by-record mapping with the strict and lenient modes every catalogue loader shares.

A loader reads a file into records and maps each record to entities. :func:`map_records` runs that
mapping: in strict mode (the CLI's default) the first bad record raises :class:`RecordInvalid`, which
aborts the whole source so nothing of the file reaches the graph; in lenient mode the bad record is
skipped, listed in the report, and the others load. A record's entities are built completely before
any is handed on, so a record is never half-mapped.

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

from graph.entities import Entity, Parameter
from graph.errors import RecordInvalid
from graph.units import UnknownUnit, make_parameter
from loaders.base import LoadReport, LoadWarning


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
            error = RecordInvalid(_message(exc), file=exc.file or file, record=exc.record or record_id, field=exc.field)
            if not lenient:
                raise error from None
            report.warnings.append(LoadWarning(_message(exc), error.file, error.record, error.field))
            report.skipped.append(str(error))
            continue
        yield from entities


def _message(exc: RecordInvalid) -> str:
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
    if not isinstance(value, (int, float, str, bool)):
        raise RecordInvalid(f"a parameter value must be a number, text or boolean, not {type(value).__name__}",
                            file=file, record=record, field=field)
    try:
        return make_parameter(name, value, unit or "")
    except UnknownUnit as exc:
        report.warnings.append(LoadWarning(f"{exc}: kept without an SI value", file, record, field))
        return Parameter(name, value, unit)


def require(record: dict[str, Any], key: str, kind: type | tuple[type, ...] = str) -> Any:
    """``record[key]``, which must be present, non-empty and of ``kind``; else :class:`RecordInvalid` naming the field."""
    if key not in record or record[key] in (None, ""):
        raise RecordInvalid("missing", field=key)
    value = record[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise RecordInvalid(f"expected {names}, got {type(value).__name__}", field=key)
    return value
