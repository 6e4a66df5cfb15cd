"""Typed fields of a record: the one reader every loader uses, so that a wrong value is refused the same way everywhere.

A catalogue record (a JSON or YAML object, a harvested NeXus field) holds values of the wrong type more often
than one would think: a size written as text, a list where one value belongs, a date that is no date. Each
reader here takes the value, checks its type, and returns it typed, or raises :class:`RecordInvalid` naming the
field (its path inside the record, ``creators[2].name``) and saying what it found, in JSON's words (``text
'big'``, ``an integer 7``, ``a list``). The record's boundary (:func:`loaders.records.record_quads`) adds the
file and the record, so the error a data manager reads names all three. An absent value (missing or null)
reads as empty: ``""``, ``None``, ``()`` or ``[]``; whether a field is required is the mapping's business.

Three layers over the same checks:

- ``as_*(value, field)``: one value (the NeXus mapping, whose values are harvested fields, not objects);
- ``text(record, key)``, ``count(record, key)``, ...: a field of a flat record (SciCat, ICAT, PaNOSC), the
  field named by its key; elements of a list are counted from 0 (``dataFileList[0]``);
- :class:`Fields`: an object at a path inside a nested document (DataCite, Crossref, CodeMeta, software
  catalogues), which reads numbers as text (``version: 1.2``) and counts elements from 1 (``creators[1]``).

>>> text({"title": " Ni "}, "title"), count({"size": 2e12}, "size"), texts({"k": ["a", " "]}, "k")
('Ni', 2000000000000, ('a',))
>>> count({"size": "big"}, "size")
Traceback (most recent call last):
graph.errors.RecordInvalid: field size: expected a whole number >= 0, got text 'big'
>>> Fields({"creators": [{"name": 7}]}).items("creators")[0].text("name")
'7'
"""

from __future__ import annotations

import builtins
import datetime as dt
import math
import re
from collections.abc import Collection, Mapping
from typing import Any

from graph.errors import RecordInvalid
from graph.model.nt import iri as write_iri

_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_YEAR = re.compile(r"\d{4}")
_SHOWN = 60
"""Text longer than this is cut in messages: a message names the value, it does not repeat a 5,000-character one."""


def described(value: Any) -> str:
    """A value as an error names it: JSON's words, with the value itself when it is a single one.

    >>> described(7), described(3.5), described(True), described("hot"), described([1]), described({}), described(None)
    ('an integer 7', 'a number 3.5', 'a boolean True', "text 'hot'", 'a list', 'an object', 'null')
    """
    if isinstance(value, bool):
        return f"a boolean {value!r}"
    if isinstance(value, int):
        return f"an integer {value!r}"
    if isinstance(value, float):
        return f"a number {value!r}"
    if isinstance(value, str):
        return f"text {value!r}" if len(value) <= _SHOWN else f"text {value[:_SHOWN]!r}..."
    if value is None:
        return "null"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


def missing(field: str, why: str = "") -> RecordInvalid:
    """The error for a required field that is absent or blank (``raise missing("pid")``)."""
    return RecordInvalid(f"missing: {why}" if why else "missing", field=field)


# -- one value ----------------------------------------------------------------------------------------------------


def as_text(value: Any, field: str, *, numbers: bool = False) -> str:
    """Text, stripped ("" for null); ``numbers``: a number is read as its text (``version: 69``)."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise RecordInvalid(f"expected text, got {described(value)}", field=field)


def as_flag(value: Any, field: str, default: bool = False) -> bool:
    """true or false (``default`` for null)."""
    if value is None:
        return default
    if not isinstance(value, bool):
        raise RecordInvalid(f"expected true or false, got {described(value)}", field=field)
    return value


def as_number(value: Any, field: str) -> int | float | None:
    """A number, not a boolean (None for null)."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    raise RecordInvalid(f"expected a number, got {described(value)}", field=field)


def as_count(value: Any, field: str, *, floats: bool = True) -> int | None:
    """A whole number >= 0 (None for null); ``floats``: a whole, finite float counts too (SciCat exports write
    big sizes as ``2e12``; JSON's ``1e400`` reads as infinity, which is none)."""
    if value is None:
        return None
    whole = isinstance(value, int) or (floats and isinstance(value, float) and math.isfinite(value)
                                       and value.is_integer())
    if isinstance(value, bool) or not whole or value < 0:
        raise RecordInvalid(f"expected a whole number >= 0, got {described(value)}", field=field)
    return int(value)


def as_scalar(value: Any, field: str) -> int | float | str | bool:
    """One plain value: a number, text or a boolean (a parameter's value)."""
    if not isinstance(value, (int, float, str, bool)):
        raise RecordInvalid(f"expected a number, text or boolean, got {described(value)}", field=field)
    return value


def as_moment(value: Any, field: str, *, millis: bool = False, what: str = "date and time") -> dt.datetime | None:
    """A point in time (None for null or ""): ISO 8601 text, a date and time as YAML reads it (a date alone is
    its midnight, UTC), or, with ``millis``, milliseconds since 1970 (MongoDB's ``$date``)."""
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
    elif millis and isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value / 1000, dt.UTC)
        except (OverflowError, ValueError, OSError):  # beyond year 9999, or not a number at all
            raise RecordInvalid(f"expected milliseconds since 1970 within years 1 to 9999, got {described(value)}",
                                field=field) from None
    raise RecordInvalid(f"expected an ISO 8601 {what}, got {described(value)}", field=field)


def as_day(value: Any, field: str) -> dt.date | None:
    """A day: an ISO 8601 date (or date and time), or a date as YAML reads it (None for null or "")."""
    moment = as_moment(value, field, what="date")
    return moment.date() if moment else None


def as_list(value: Any, field: str) -> list[Any]:
    """A list ([] for null)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordInvalid(f"expected a list, got {described(value)}", field=field)
    return value


def as_object(value: Any, field: str) -> dict[str, Any]:
    """An object ({} for null)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordInvalid(f"expected an object, got {described(value)}", field=field)
    return value


def as_texts(value: Any, field: str, *, first: int = 0, numbers: bool = False) -> tuple[str, ...]:
    """A list of texts, stripped, blank ones left out; a wrong element is named by its index from ``first``."""
    return tuple(t for n, v in enumerate(as_list(value, field), first) if (t := as_text(v, f"{field}[{n}]",
                                                                                         numbers=numbers)))


def as_objects(value: Any, field: str, *, first: int = 0) -> list[dict[str, Any]]:
    """A list of objects; a wrong element is named by its index from ``first``."""
    found = as_list(value, field)
    for n, item in enumerate(found, first):
        if not isinstance(item, dict):
            raise RecordInvalid(f"expected an object, got {described(item)}", field=f"{field}[{n}]")
    return found


def as_iri(value: str, field: str) -> str:
    """Text that the model can write as an IRI (absolute, nothing IRIs forbid), as it is; "" stays ""."""
    if value:
        write_iri(value, field)
    return value


def as_choice(value: str, field: str, allowed: Collection[str], what: str) -> str:
    """Text from a controlled list (``what`` names the list in the error); "" stays ""."""
    if value and value not in allowed:
        raise RecordInvalid(f"not a {what}: {value!r}", field=field)
    return value


def as_year(value: str, field: str) -> int | None:
    """A year of four digits, from text (None for "")."""
    if not value:
        return None
    if not _YEAR.fullmatch(value):
        raise RecordInvalid(f"not a year: {value!r}", field=field)
    return int(value)


def as_lang(value: str, field: str) -> str:
    """A language tag (``en``, ``de-CH``); "" stays ""."""
    if value and not _LANG.fullmatch(value):
        raise RecordInvalid(f"not a language tag: {value!r}", field=field)
    return value


# -- a field of a flat record ------------------------------------------------------------------------------------


def text(record: Mapping[str, Any], key: str, *, numbers: bool = False) -> str:
    """``record[key]`` as text ("" when absent); see :func:`as_text`."""
    value = record.get(key)
    return value.strip() if isinstance(value, str) else as_text(value, key, numbers=numbers)


def flag(record: Mapping[str, Any], key: str, default: bool = False) -> bool:
    return as_flag(record.get(key), key, default)


def count(record: Mapping[str, Any], key: str, *, floats: bool = True) -> int | None:
    return as_count(record.get(key), key, floats=floats)


def moment(record: Mapping[str, Any], key: str, *, millis: bool = False) -> dt.datetime | None:
    return as_moment(record.get(key), key, millis=millis)


def day(record: Mapping[str, Any], key: str) -> dt.date | None:
    return as_day(record.get(key), key)


def items(record: Mapping[str, Any], key: str) -> list[Any]:
    return as_list(record.get(key), key)


def objects(record: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    return as_objects(record.get(key), key)


def texts(record: Mapping[str, Any], key: str) -> tuple[str, ...]:
    return as_texts(record.get(key), key)


def section(record: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A nested object ({} when absent)."""
    return as_object(record.get(key), key)


def checked_iri(value: str, field: str) -> str:
    """``value`` if the model can write it as an IRI; else :class:`RecordInvalid` naming ``field``."""
    return as_iri(value, field)


def is_url(value: str) -> bool:
    """An http(s) URL by its scheme (whether it is a valid IRI is :func:`checked_iri`'s question)."""
    return value.startswith(("http://", "https://"))


# -- an object inside a nested document --------------------------------------------------------------------------


class Fields:
    """Typed access to one object of a nested document, naming the path of every field it refuses.

    ``path`` is the object's own path ("" for the record itself); a field is ``path.key``, an element of a list
    ``path.key[n]`` counted from 1. Numbers are read as text where text is asked for. Subclasses (a source's
    own shapes, such as CodeMeta's value-or-list) get their own class back from :meth:`items` and :meth:`object`.
    """

    __slots__ = ("obj", "path")

    def __init__(self, obj: Any, path: str = "") -> None:
        if not isinstance(obj, dict):
            raise RecordInvalid(f"expected an object, got {described(obj)}", field=path or "record")
        self.obj: dict[str, Any] = obj
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str) -> Any:
        return self.obj.get(key)

    def text(self, key: str) -> str:
        return as_text(self.obj.get(key), self.at(key), numbers=True)

    def texts(self, key: str) -> tuple[str, ...]:
        return as_texts(self.obj.get(key), self.at(key), first=1)

    def list(self, key: str) -> builtins.list[Any]:
        return as_list(self.obj.get(key), self.at(key))

    def items(self, key: str) -> builtins.list[Fields]:
        return [type(self)(item, f"{self.at(key)}[{n}]") for n, item in enumerate(self.list(key), 1)]

    def object(self, key: str) -> Fields | None:
        value = self.obj.get(key)
        return None if value is None else type(self)(value, self.at(key))

    def choice(self, key: str, allowed: Collection[str], what: str) -> str:
        return as_choice(self.text(key), self.at(key), allowed, what)

    def iri(self, key: str) -> str:
        return as_iri(self.text(key), self.at(key))

    def year(self, key: str) -> int | None:
        return as_year(self.text(key), self.at(key))

    def lang(self, key: str = "lang") -> str:
        return as_lang(self.text(key), self.at(key))

    def moment(self, key: str) -> dt.datetime | None:
        return as_moment(self.obj.get(key), self.at(key))

    def day(self, key: str) -> dt.date | None:
        return as_day(self.obj.get(key), self.at(key))
