"""Reading SciCat values: MongoDB's extended JSON, people, techniques.

SciCat records come from two places that write values differently: a MongoDB export (the scicatlive
seed) wraps dates as ``{"$date": "..."}`` and big numbers as ``{"$numberLong": "..."}``, while the REST
API returns plain ISO strings and numbers. :func:`count` and :func:`date_value` accept both: they unwrap,
then read the value through :mod:`loaders.fields` (the one typed reader, which raises :class:`RecordInvalid`
naming the field), so a bad record is reported where it is, not as a crash somewhere in the model.

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
import re
from typing import Any

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.iris import PANET_NS, orcid_iri
from loaders.fields import as_count, as_moment

_BARE_PANET = re.compile(r"^PaNET\d{5}$")
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


def count(record: dict[str, Any], key: str) -> int | None:
    """An optional whole number >= 0, wrapped or not; SciCat exports write big sizes as floats (``2e12``)."""
    return as_count(unwrap(record.get(key)), key)


def date_value(record: dict[str, Any], key: str) -> dt.datetime | None:
    """An optional point in time: ``{"$date": ISO string or epoch milliseconds}`` or an ISO string."""
    return as_moment(unwrap(record.get(key)), key, millis=True)


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

