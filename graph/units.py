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
"""

from __future__ import annotations

import math
from functools import lru_cache

import pint

from graph.entities import Parameter

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


@lru_cache(maxsize=4096)
def si_map(unit: str) -> tuple[float, float, str]:
    """``(scale, offset, si_unit)`` such that ``scale * value + offset`` is the value in SI base units."""
    registry = _units()
    unit = UNIT_ALIASES.get(unit, unit)
    try:
        zero = registry.Quantity(0.0, unit).to_base_units()
        one = registry.Quantity(1.0, unit).to_base_units()
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError, KeyError) as exc:
        raise UnknownUnit(f"unknown unit {unit!r}") from exc
    offset = float(zero.magnitude)
    return float(one.magnitude) - offset, offset, format(one.units, "~C")


def to_si(value: float, unit: str) -> tuple[float, str]:
    """``value`` in ``unit`` expressed in SI base units, with the SI unit's text."""
    scale, offset, si_unit = si_map(unit.strip())
    return scale * value + offset, si_unit


def make_parameter(name: str, value: float | int | str | bool, unit: str = "") -> Parameter:
    """A :class:`Parameter` with its SI value filled in when the value is a number and the unit known.

    Raises :class:`UnknownUnit` for a unit pint does not know; loaders catch it, keep the parameter
    (``Parameter(name, value, unit)``) and report the unit.
    """
    unit = unit.strip()
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not numeric or not math.isfinite(float(value)):  # type: ignore[arg-type]
        return Parameter(name, value, unit)
    if not unit:
        return Parameter(name, value, "", float(value), "")  # type: ignore[arg-type]
    si_value, si_unit = to_si(float(value), unit)  # type: ignore[arg-type]
    return Parameter(name, value, unit, si_value, si_unit)
