from __future__ import annotations

import pytest

from graph.model.units import UnknownUnit, make_parameter, to_si


def test_same_energy_in_different_units_compares_equal() -> None:
    kev = make_parameter("photon_energy", 8, "keV")
    ev = make_parameter("photon_energy", 8000.0, "eV")
    assert kev.si_value == pytest.approx(ev.si_value)
    assert kev.si_unit == ev.si_unit == "kg*m**2/s**2"
    assert (kev.value, kev.unit) == (8, "keV")  # the original is kept


def test_affine_units_convert_with_their_offset() -> None:
    assert to_si(20.0, "degC") == (pytest.approx(293.15), "K")
    assert to_si(1.5, "angstrom") == (pytest.approx(1.5e-10), "m")


def test_unknown_unit_is_an_error_the_loader_can_report() -> None:
    with pytest.raises(UnknownUnit, match="unknown unit 'furlongs per fortnight x'"):
        make_parameter("speed", 3, "furlongs per fortnight x")


def test_text_values_and_unitless_numbers() -> None:
    assert make_parameter("mode", "fly-scan").si_value is None
    assert make_parameter("frames", 100).si_value == 100.0


def test_catalogue_spellings_pint_does_not_know() -> None:
    assert to_si(2.0, "Angstrom") == (pytest.approx(2e-10), "m")
    assert make_parameter("temperature", 20, "Celsius").si_value == pytest.approx(293.15)
    assert make_parameter("temperature", 20, "Celsius").unit == "Celsius"  # kept as written
