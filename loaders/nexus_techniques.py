"""Which PaNET technique a NeXus application definition implies: a small table, checked against PaNET.

An application definition (the entry's ``definition`` field) says what kind of measurement the file
holds; several are written for both X-rays and neutrons (NXsas, NXtomo, NXrefscan, NXmonopd), and then
the probe of the entry's NXsource picks the narrower PaNET term. Definitions that are generic (NXscan),
processed-data definitions (NXxasproc, NXiqproc) and those with no PaNET counterpart map to nothing:
no technique is better than a guessed one. Every IRI and label here is that of PaNET 1.3.0
(``tests/loaders/test_nexus.py`` checks them against the OWL file).

>>> technique_for("NXsas", "x-ray").label
'small angle x-ray scattering'
>>> technique_for("NXsas", "").label
'small angle scattering'
>>> technique_for("NXscan", "x-ray") is None
True
"""

from __future__ import annotations

from graph.model.entities import Technique
from graph.model.iris import PANET_NS

XRAY = "x-ray"
NEUTRON = "neutron"
ANY = ""


def _t(number: str, label: str) -> Technique:
    return Technique(f"{PANET_NS}PaNET{number}", label)


SAS = _t("01124", "small angle scattering")
SAXS = _t("01188", "small angle x-ray scattering")
SANS = _t("01189", "small angle neutron scattering")
TOF_SANS = _t("01277", "time of flight small angle neutron scattering")
MX = _t("01164", "macromolecular crystallography")
XAS = _t("01196", "x-ray absorption spectroscopy")
TOMOGRAPHY = _t("01129", "tomography")
XRAY_TOMOGRAPHY = _t("01207", "x-ray tomography")
REFLECTOMETRY = _t("01121", "reflectometry")
XRAY_REFLECTIVITY = _t("01149", "x-ray reflectivity")
NEUTRON_REFLECTOMETRY = _t("01239", "neutron reflectometry")
ARPES = _t("01089", "angle resolved photoemission spectroscopy")
PES = _t("01093", "photoemission spectroscopy")
XRF = _t("01177", "x-ray fluorescence")
POWDER = _t("01030", "powder diffraction")
XRAY_POWDER = _t("01101", "x-ray powder diffraction")
NEUTRON_POWDER = _t("01100", "neutron powder diffraction")
XRAY_SINGLE_CRYSTAL = _t("01102", "x-ray single crystal diffraction")
NEUTRON_SINGLE_CRYSTAL = _t("01236", "neutron single crystal diffraction")
XPCS = _t("01205", "x-ray photon correlation spectroscopy")
STXM = _t("01219", "scanning transmission x-ray microscopy")
INS = _t("01245", "inelastic neutron spectroscopy")

BY_DEFINITION: dict[str, dict[str, Technique]] = {
    "NXsas": {XRAY: SAXS, NEUTRON: SANS, ANY: SAS},
    "NXcansas": {XRAY: SAXS, NEUTRON: SANS, ANY: SAS},
    "NXsastof": {ANY: TOF_SANS},
    "NXmx": {ANY: MX},
    "NXxas": {ANY: XAS},
    "NXtomo": {XRAY: XRAY_TOMOGRAPHY, ANY: TOMOGRAPHY},
    "NXrefscan": {XRAY: XRAY_REFLECTIVITY, NEUTRON: NEUTRON_REFLECTOMETRY, ANY: REFLECTOMETRY},
    "NXreftof": {ANY: NEUTRON_REFLECTOMETRY},
    "NXarpes": {ANY: ARPES},
    "NXmpes": {ANY: PES},
    "NXfluo": {ANY: XRF},
    "NXmonopd": {XRAY: XRAY_POWDER, NEUTRON: NEUTRON_POWDER, ANY: POWDER},
    "NXtofnpd": {ANY: NEUTRON_POWDER},
    "NXxbase": {ANY: XRAY_SINGLE_CRYSTAL},
    "NXxrot": {ANY: XRAY_SINGLE_CRYSTAL},
    "NXxeuler": {ANY: XRAY_SINGLE_CRYSTAL},
    "NXxkappa": {ANY: XRAY_SINGLE_CRYSTAL},
    "NXxnb": {ANY: XRAY_SINGLE_CRYSTAL},
    "NXlauetof": {ANY: NEUTRON_SINGLE_CRYSTAL},
    "NXxpcs": {ANY: XPCS},
    "NXstxm": {ANY: STXM},
    "NXtas": {NEUTRON: INS},
    "NXdirecttof": {ANY: INS},
    "NXindirecttof": {ANY: INS},
}
"""Application definition -> {probe: technique}; ``ANY`` is used when the probe is unknown or has no row."""

_LOWER = {name.lower(): row for name, row in BY_DEFINITION.items()}


def probe_of(probe: str, source_type: str) -> str:
    """``XRAY``, ``NEUTRON`` or ``ANY`` from NXsource ``probe`` (and ``type`` when the probe is just "photon")."""
    probe, source_type = probe.strip().lower(), source_type.strip().lower()
    if probe in ("x-ray", "xray") or (probe in ("photon", "") and "x-ray" in source_type):
        return XRAY
    if probe == NEUTRON or (not probe and NEUTRON in source_type):
        return NEUTRON
    return ANY


def technique_for(definition: str, probe: str) -> Technique | None:
    """The PaNET technique of an application definition measured with ``probe``, or None."""
    row = _LOWER.get(definition.strip().lower())
    if row is None:
        return None
    return row.get(probe) or row.get(ANY)
