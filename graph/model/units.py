"""Units: every parameter keeps its value and unit as given and gains a value in SI base units.

pint does the physics; this module caches, per unit text, the affine map to SI base units
(``si = scale * value + offset``: the offset is non-zero only for units like degC), because a pint
conversion per parameter would cost more than the rest of a load.

>>> make_parameter("photon_energy", 8, "keV").si_value == make_parameter("photon_energy", 8000, "eV").si_value
True
>>> make_parameter("temperature", 20, "degC").si_value
293.15
>>> make_parameter("mode", "fly-scan").si_value is None
True
>>> make_parameter("counts", 10**400, "keV").si_value is None  # beyond a double: kept, without an SI value
True
"""

from __future__ import annotations

import math
from functools import lru_cache

import pint

from graph.model.entities import Parameter

_registry: pint.UnitRegistry | None = None

UNIT_ALIASES = {"Angstrom": "angstrom", "Angstroms": "angstrom", "angstroms": "angstrom", "Kelvin": "K",
                "Celsius": "degC", "celsius": "degC"}
"""Spellings catalogues and NeXus files use that pint does not know; the unit is kept as written, the alias
only gives the SI value."""


class UnknownUnit(ValueError):
    """A unit text that pint does not know; the parameter is kept without an SI value."""


def _units() -> pint.UnitRegistry:
    global _registry
    if _registry is None:
        _registry = pint.UnitRegistry()
    return _registry


MAX_UNIT_TEXT = 64
"""Longest unit text read: real ones are a few characters; pint's parser is not for arbitrary input."""


@lru_cache(maxsize=4096)
def si_map(unit: str) -> tuple[float, float, str]:
    """``(scale, offset, si_unit)`` such that ``scale * value + offset`` is the value in SI base units.

    Any text pint cannot make a finite unit of is :class:`UnknownUnit`: its parser raises a dozen kinds of
    error on text that is not a unit (a tokenizer error, a division by zero, an assertion), and a caller's
    search must get "unknown unit", never a crash.

    >>> si_map("keV")[2]
    'kg*m**2/s**2'
    >>> si_map('keV" } #')
    Traceback (most recent call last):
    ...
    graph.model.units.UnknownUnit: unknown unit 'keV" } #'
    """
    registry = _units()
    unit = UNIT_ALIASES.get(unit, unit)
    if len(unit) > MAX_UNIT_TEXT:
        raise UnknownUnit(f"unknown unit {unit[:MAX_UNIT_TEXT]!r}...: a unit is at most {MAX_UNIT_TEXT} characters")
    try:
        zero = registry.Quantity(0.0, unit).to_base_units()
        one = registry.Quantity(1.0, unit).to_base_units()
        offset = float(zero.magnitude)
        scale = float(one.magnitude) - offset
        dimensions = format(one.units, "~C")
    except Exception as exc:  # noqa: BLE001 - see the docstring: whatever pint raises means "not a unit"
        raise UnknownUnit(f"unknown unit {unit!r}") from exc
    if not (math.isfinite(scale) and math.isfinite(offset) and scale != 0) or "inf" in dimensions or "e+" in dimensions:
        raise UnknownUnit(f"unknown unit {unit!r}: not a finite unit")
    return scale, offset, dimensions


def to_si(value: float, unit: str) -> tuple[float, str]:
    """``value`` in ``unit`` expressed in SI base units, with the SI unit's text."""
    scale, offset, si_unit = si_map(unit.strip())
    return scale * value + offset, si_unit


def _as_float(value: float) -> float:
    """``float(value)``, infinite for an integer beyond a double's range (10**400), where ``float`` raises."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def make_parameter(name: str, value: float | int | str | bool, unit: str = "") -> Parameter:
    """A :class:`Parameter` with its SI value filled in when the value is a number and the unit known.

    Raises :class:`UnknownUnit` for a unit pint does not know; loaders catch it, keep the parameter
    (``Parameter(name, value, unit)``) and report the unit.
    """
    unit = unit.strip()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(_as_float(value)):
        return Parameter(name, value, unit)
    if not unit:
        return Parameter(name, value, "", float(value), "")
    si_value, si_unit = to_si(float(value), unit)
    return Parameter(name, value, unit, si_value, si_unit)
