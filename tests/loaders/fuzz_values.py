"""Hypothesis strategies for the values that fill a catalogue record, and for breaking a record.

Two families of values. *Tame* values are what a catalogue may well hold and every loader must take: any
Unicode text (control characters, right-to-left marks, emoji, combining marks; never a lone surrogate, which
is not Unicode), ISO dates from 1900 to 2100 with or without a time zone, numbers that fit a double, units
pint knows. *Odd* values are still of the right type but at the edges: empty and blank strings, very long
text, dates at the ends of the calendar or impossible ones (30 February), numbers far beyond 64 bits,
infinity, units pint does not know or cannot parse. A loader must load a tame record; an odd one it may
refuse, but only as a :class:`graph.errors.RecordInvalid` that names the record and the field.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from hypothesis import strategies as st

from graph.model.iris import orcid_check_digit

ODD_TEXTS = (
    "", " ", "\t\n", "\x00", "a\x00b", "\u202eevil", "\ufeffbom", "e\u0301", "😀", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "<&>\"'", "\\", "\\u0000",
    "%20%2F", "../../etc/passwd", "a\r\nb", "\u2028", "NaN", "null", "x" * 5000, "ü" * 300,
)
TAME_UNITS = ("keV", "eV", "mm", "m", "nm", "K", "degC", "Angstrom", "s", "ms", "Pa", "mbar", "deg", "rad", "Hz", "%", "")
ODD_UNITS = (
    "furlong/fortnight", "counts", "arb. units", 'keV" } #', "1/0", "m**1000", "m**-1000", "e", "inf", "nan", "°C",
    "µm", "Å", "kelvin kelvin", "10^-3 m", "m" * 80, "(", ")", "**", "1e400 m", "__class__", "{}", "m / 0", "dimensionless",
)


@cache
def tame_text(max_size: int = 24) -> st.SearchStrategy[str]:
    """Any Unicode text a record may hold (surrogates excluded: they are not Unicode)."""
    return st.text(st.characters(exclude_categories=("Cs",)), max_size=max_size)


@cache
def words(min_size: int = 1) -> st.SearchStrategy[str]:
    """Text with at least one letter: a title, a name (blank ones are odd values)."""
    return st.text(st.characters(categories=("L", "N", "Zs", "P")), min_size=min_size, max_size=24).filter(
        lambda s: s.strip() != "")


@cache
def odd_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(ODD_TEXTS), tame_text(60))


@cache
def text(odd: bool, max_size: int = 24) -> st.SearchStrategy[str]:
    return st.one_of(tame_text(max_size), odd_text()) if odd else tame_text(max_size)


@cache
def identifier(odd: bool) -> st.SearchStrategy[str]:
    """A local PID: short, with the characters PIDs have (slashes, dots, colons, spaces, Unicode)."""
    tame = st.text(st.sampled_from("abcXYZ019/._-: #%ü"), min_size=1, max_size=12).filter(lambda s: s.strip() != "")
    return st.one_of(tame, words(), st.sampled_from(("a/../b", "x#y", "%41", "ü/ß", "a" * 300))) if odd else tame


@cache
def datetimes(odd: bool) -> st.SearchStrategy[dt.datetime]:
    if odd:
        return st.datetimes(timezones=st.none() | st.timezones())
    return st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1),
                        timezones=st.none() | st.just(dt.UTC))


ODD_DATES = ("2020-02-30", "2020-13-01", "2021-06-29T25:00:00", "0000-01-01", "yesterday", "2020", "2020-W01",
             "  ", "2020-06-29T16:40:55.773Z", "20200629", "2020-06-29T16:40:55+99:00", "9999-12-31T23:59:59.999999")


@cache
def iso_date(odd: bool) -> st.SearchStrategy[str]:
    """A date and time as ISO 8601 text (odd: also impossible and foreign spellings)."""
    iso = datetimes(odd).map(lambda d: d.isoformat())
    return st.one_of(iso, st.sampled_from(ODD_DATES)) if odd else iso


@cache
def day(odd: bool) -> st.SearchStrategy[str]:
    days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)) if not odd else st.dates()
    found = days.map(lambda d: d.isoformat())
    return st.one_of(found, st.sampled_from(ODD_DATES)) if odd else found


@cache
def count(odd: bool) -> st.SearchStrategy[Any]:
    """A whole number >= 0 (odd: beyond 64 bits, as a float, negative)."""
    tame = st.integers(0, 2**53)
    if not odd:
        return tame
    return st.one_of(tame, st.integers(2**63, 10**40), st.integers(max_value=-1), st.just(2e12),
                     st.sampled_from((float("inf"), 1e308, 2.5, -0.0)))


@cache
def number(odd: bool) -> st.SearchStrategy[Any]:
    """A measured value: an int or a finite float (odd: huge, tiny, infinite)."""
    tame = st.one_of(st.integers(-2**53, 2**53), st.floats(allow_nan=False, allow_infinity=False, width=64))
    if not odd:
        return tame
    return st.one_of(tame, st.integers(-10**40, 10**40), st.sampled_from((float("inf"), float("-inf"), 1e-320,
                                                                          1.7976931348623157e308)))


@cache
def unit(odd: bool) -> st.SearchStrategy[str]:
    tame = st.sampled_from(TAME_UNITS)
    return st.one_of(tame, st.sampled_from(ODD_UNITS), st.text(max_size=12)) if odd else tame


@cache
def scalar(odd: bool) -> st.SearchStrategy[Any]:
    return st.one_of(number(odd), text(odd), st.booleans())


def optional(draw: st.DrawFn, record: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]) -> None:
    """Set an optional field or leave it out (about half of the time), so every subset of fields is tried."""
    if draw(st.booleans()):
        record[key] = draw(strategy)


@cache
def orcid() -> st.SearchStrategy[str]:
    """A valid ORCID iD (check digit included), bare or as its URL."""
    base = st.text(st.sampled_from("0123456789"), min_size=15, max_size=15)
    valid = base.map(lambda b: f"{b[0:4]}-{b[4:8]}-{b[8:12]}-{b[12:15]}{orcid_check_digit(b)}")
    return st.one_of(valid, valid.map(lambda o: f"https://orcid.org/{o}"))


@cache
def url() -> st.SearchStrategy[str]:
    path = st.text(st.sampled_from("abcxyz019-._~/%"), max_size=16)
    return st.builds(lambda host, p: f"https://{host}.example.org/{p}", st.sampled_from(("a", "git", "ü")), path)


@cache
def doi(odd: bool) -> st.SearchStrategy[str]:
    tame = st.builds(lambda p, s: f"10.{p}/{s}", st.integers(1000, 99999),
                     st.text(st.sampled_from("abcXYZ0189-._;()/:<>"), min_size=1, max_size=16))
    return st.one_of(tame, text(True)) if odd else tame


@cache
def panet() -> st.SearchStrategy[str]:
    return st.integers(0, 99999).map(lambda n: f"PaNET{n:05d}")
