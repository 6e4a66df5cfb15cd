"""What a generated input is (:class:`Case`), and how a record of one is broken (:func:`breaking`).

A case is the files of one ``pankg load KIND`` (name -> bytes). A broken case says which record and which
field a refusal must name (:class:`Broken`), and keeps the files before the break (``intact``): the same
records, all valid, which a store may already hold as the source's previous version.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st


@dataclass(frozen=True)
class Case:
    """One generated input: ``pankg load kind`` of the files (name -> bytes), and what was broken in them.
    ``intact``: a broken case's files before the break (the same records, all valid): its previous version."""

    kind: str
    files: dict[str, bytes]
    broken: Broken | None = None
    intact: Case | None = None


Named = list[tuple[str, Any]]
"""Records with the name an error gives them (their PID, else their position ``#n``)."""


_INFINITY = re.compile(r"(?<=[\s\[:,])(-?)Infinity(?=[\s\],}])")


def dumps(value: Any) -> bytes:
    """JSON text of ``value``; an infinite float is written ``1e400`` (JSON has no Infinity, but a number too
    large for a double is JSON, and reads as infinity)."""
    return _INFINITY.sub(r"\g<1>1e400", json.dumps(value, ensure_ascii=False, indent=1)).encode()


WRONG_VALUES = (None, True, 0, -1, 1.5, "", "text", [], ["x"], [{"a": 1}], {}, {"a": {"b": []}}, [[[]]])


@dataclass(frozen=True)
class Broken:
    """Which record was broken, and how a refusal must name it.

    ``records``: the names the record may go by in an error (its PID, or its position ``#n`` when the
    break took its PID away). ``fields``: the names of the field that was broken (its key, and the name the
    loader's documentation gives it), one of which the error's field must hold as one of its path steps
    (``creators[2].name`` holds ``creators`` and ``name``); None when the record as a whole is wrong (not an
    object), which no field can name.
    """

    records: frozenset[str]
    fields: frozenset[str] | None
    how: str
    must_refuse: bool = False
    """True when no loader may take the record as it is (a required field dropped, a record that is no object);
    a value of another type may be one the loader reads (a number where it reads text)."""


def wrong_value(value: Any) -> st.SearchStrategy[Any]:
    """A value of another JSON type than ``value``."""
    return st.sampled_from(WRONG_VALUES).filter(lambda v: type(v) is not type(value))


@st.composite
def breaking(draw: st.DrawFn, named: Named, required: tuple[str, ...], aliases: dict[str, set[str]] | None = None,
             names: Callable[[int, str], set[str]] | None = None) -> tuple[Named, Broken]:
    """``named`` with one record broken: a required field dropped, a field (or a field inside it) of another
    type, or the record wrapped in a list; and the :class:`Broken` that says what a refusal must name.
    ``aliases``: other names an error may give a field; ``names(n, name)``: the names of record ``n``."""
    n = draw(st.integers(0, len(named) - 1))
    name, record = named[n]
    records = frozenset(names(n, name) if names else {name, f"#{n + 1}"})
    record = copy.deepcopy(record)  # the other records may share values
    present = [k for k in required if k in record]
    how = draw(st.sampled_from(["retype", "nest"] + (["drop"] if present else [])))
    if how == "nest":
        changed: Any = [record]
        damage = Broken(records, None, "the record wrapped in a list", must_refuse=True)
    elif how == "drop":
        key = draw(st.sampled_from(present))
        del record[key]
        changed, damage = record, Broken(records, _names(key, aliases), f"{key} dropped", must_refuse=True)
    else:
        key = draw(st.sampled_from(sorted(record)))
        path = draw(_inner_path(record[key]))
        steps = [key, *path]
        holder: Any = record
        for step in steps[:-1]:
            holder = holder[step]
        holder[steps[-1]] = draw(wrong_value(holder[steps[-1]]))
        changed, damage = record, Broken(records, _names(key, aliases), f"{key}{path} retyped")
    return [*named[:n], (name, changed), *named[n + 1:]], damage


def _names(key: str, aliases: dict[str, set[str]] | None) -> frozenset[str]:
    return frozenset({key, *(aliases or {}).get(key, ())})


def _inner_path(value: Any) -> st.SearchStrategy[list[Any]]:
    """A path into a nested value (empty: the value itself), at most two steps deep."""
    steps: list[list[Any]] = [[]]
    if isinstance(value, dict):
        steps += [[k] for k in value] + [[k, j] for k, v in value.items() if isinstance(v, dict) for j in v]
    elif isinstance(value, list):
        steps += [[i] for i in range(len(value))] + [
            [i, k] for i, v in enumerate(value) if isinstance(v, dict) for k in v]
    return st.sampled_from(steps)


XML_FORBIDDEN = {c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0xFFFE, 0xFFFF}


def xml_clean(value: Any) -> Any:
    """``value`` with every string stripped of the characters XML 1.0 cannot carry (and of carriage returns,
    which XML reads as line feeds)."""
    if isinstance(value, str):
        return "".join(c for c in value if ord(c) not in XML_FORBIDDEN and c != "\r")
    if isinstance(value, dict):
        return {xml_clean(k): xml_clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [xml_clean(v) for v in value]
    return value
