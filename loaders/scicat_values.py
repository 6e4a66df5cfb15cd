"""Reading SciCat values: MongoDB's extended JSON, typed fields, people, techniques, licences.

SciCat records come from two places that write values differently: a MongoDB export (the scicatlive
seed) wraps dates as ``{"$date": "..."}`` and big numbers as ``{"$numberLong": "..."}``, while the REST
API returns plain ISO strings and numbers. Every getter here accepts both, and raises
:class:`RecordInvalid` naming the field when a value has the wrong type, so a bad record is reported
where it is, not as a crash somewhere in the model.

>>> date_value({"t": {"$date": "2020-02-07T13:46:43.000Z"}}, "t").isoformat()
'2020-02-07T13:46:43+00:00'
>>> unwrap({"$numberLong": "12345678901234567890123"}), unwrap({"$numberLong": "1e400"})
(12345678901234567890123, inf)
>>> technique_pid("PaNET01168")
'http://purl.org/pan-science/PaNET/PaNET01168'
>>> technique_label("photon_and_neutron_technique.scattering.small_angle_scattering;\\nother.path")
'small angle scattering'
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from graph import entities as e
from graph.errors import RecordInvalid
from graph.iris import PANET_NS, orcid_iri
from graph.nt import iri

_BARE_PANET = re.compile(r"^PaNET\d{5}$")
_SPDX_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")
_WRAPPED_NUMBER = ("$numberLong", "$numberInt", "$numberDouble", "$numberDecimal")
_INTEGER = re.compile(r"[+-]?\d{1,4300}")


def as_records(data: Any, location: str) -> list[Any]:
    """A file or page holds one JSON array of records or one record (an object)."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        return [data]
    raise RecordInvalid(
        f"expected a JSON array of records or one record object, got {type(data).__name__}", file=location
    )


def unwrap(value: Any) -> Any:
    """A value without MongoDB's extended-JSON wrapper (``$date``, ``$numberLong``, ...).

    A wrapped integer is read exactly, however long; any other wrapped number as a float, which may be
    infinite (``"1e400"``) or not a number: the field that holds it judges it. A wrapper around something
    that is no number stays as it is, for the field to refuse.
    """
    while isinstance(value, dict) and len(value) == 1:  # a loop: {"$date": {"$date": ...}} may nest deep
        ((key, inner),) = value.items()
        if key == "$date":
            value = inner
            continue
        if key in _WRAPPED_NUMBER and isinstance(inner, (str, int, float)) and not isinstance(inner, bool):
            number = str(inner).strip()
            if key in ("$numberLong", "$numberInt") and _INTEGER.fullmatch(number):
                return int(number)
            try:
                return float(number)
            except ValueError:
                return value
        return value
    return value


def text(record: dict[str, Any], key: str) -> str:
    """An optional string field ("" when absent or null)."""
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordInvalid(f"expected text, got {type(value).__name__}", field=key)
    return value.strip()


def flag(record: dict[str, Any], key: str, default: bool) -> bool:
    value = record.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise RecordInvalid(f"expected true or false, got {type(value).__name__}", field=key)
    return value


def texts(record: dict[str, Any], key: str) -> tuple[str, ...]:
    """An optional list of strings (empty entries dropped)."""
    value = record.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordInvalid("expected a list of text values", field=key)
    return tuple(v.strip() for v in value if v.strip())


def count(record: dict[str, Any], key: str) -> int | None:
    """An optional non-negative whole number; SciCat exports write big sizes as floats (``2e12``)."""
    value = unwrap(record.get(key))
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordInvalid(f"expected a number, got {type(value).__name__}", field=key)
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise RecordInvalid(f"expected a whole number, got {value!r}", field=key)
    if value < 0:
        raise RecordInvalid(f"expected a number >= 0, got {value!r}", field=key)
    return int(value)


def date_value(record: dict[str, Any], key: str) -> dt.datetime | None:
    """An optional point in time: ``{"$date": ISO string or epoch milliseconds}`` or an ISO string."""
    value = unwrap(record.get(key))
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value / 1000, dt.UTC)
        except (OverflowError, ValueError, OSError):  # beyond year 9999, or not a number at all
            raise RecordInvalid(f"expected milliseconds since 1970 within years 1 to 9999, got {value!r}",
                                field=key) from None
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RecordInvalid(f"expected an ISO 8601 date and time, got {value!r}", field=key)


def section(record: dict[str, Any], key: str) -> dict[str, Any]:
    """An optional nested object ({} when absent)."""
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordInvalid(f"expected an object, got {type(value).__name__}", field=key)
    return value


def checked_iri(value: str, field: str) -> str:
    """``value`` if it can be written as an IRI; else :class:`RecordInvalid` naming the field."""
    try:
        iri(value)
    except RecordInvalid as exc:
        raise RecordInvalid(str(exc), field=field) from None
    return value


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def person(
    scope: str,
    role: str,
    name: str,
    *,
    orcid: str = "",
    email: str = "",
    given: str = "",
    family: str = "",
    known_from: e.RecordAccess | None = None,
) -> e.Person | None:
    """A person named in a record, or None when the record names nobody.

    SciCat gives people as names, rarely with an ORCID. Two records naming "J. Smith" may mean two
    people, so a person without an ORCID is minted inside the record that names it (``scope``, e.g.
    ``dataset:<pid>``) and its role there: never merged by name. A valid ORCID is the person's PID.
    ``known_from``: the access of a dataset naming the person, whose embargo hides the person too.
    """
    name = name.strip() or " ".join(p for p in (given.strip(), family.strip()) if p)
    if not name and not orcid_iri(orcid):
        return None
    pid = orcid if orcid_iri(orcid) else f"{scope}#{role}"
    return e.Person(pid, name or orcid, given.strip(), family.strip(), email=email.strip(), known_from=known_from)


def technique_pid(pid: str) -> str:
    """A SciCat technique PID as pankg writes techniques: bare ``PaNETnnnnn`` becomes its PURL."""
    pid = pid.strip()
    return PANET_NS + pid if _BARE_PANET.match(pid) else pid


def technique_label(name: str) -> str:
    """A label from SciCat's technique name, which for PaNET terms is the class path (or several, one
    per line): the last step of the first path, with underscores as spaces."""
    first = name.strip().split(";")[0].split("\n")[0].strip()
    return first.rsplit(".", 1)[-1].replace("_", " ").strip()


def licence(value: str) -> str | None:
    """A licence as the model takes it (IRI or SPDX id); "CC BY 4.0" becomes CC-BY-4.0; None if neither (a URL
    that is not an IRI, such as one with a space in it, included).

    >>> licence("CC BY 4.0"), licence("https://spdx.org/licenses/MIT"), licence("https://x.org/a b")
    ('CC-BY-4.0', 'https://spdx.org/licenses/MIT', None)
    """
    value = value.strip()
    if is_url(value):
        try:
            iri(value)
        except RecordInvalid:
            return None
        return value
    candidate = "-".join(value.split())
    return candidate if _SPDX_LIKE.match(candidate) else None
