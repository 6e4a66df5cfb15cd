"""The real-world tables behind the demo catalogue: facilities with their ROR ids, instruments,
PaNET techniques, PaN software and plausible samples.

ROR ids are those listed with evidence in the shared reference ``instruments/pan-facilities-ror.yaml``;
PaNET IRIs and labels were checked against PaNET 1.3.0. Instrument names are real beamlines; the
techniques given to each are a fair summary, not a facility's official list.
"""

from __future__ import annotations

from typing import NamedTuple

P = "http://purl.org/pan-science/PaNET/PaNET"


class Technique(NamedTuple):
    iri: str
    label: str
    short: str
    probe: str  # "x-ray" or "neutron"


TECHNIQUES = {
    t.short: t
    for t in (
        Technique(P + "01188", "small angle x-ray scattering", "SAXS", "x-ray"),
        Technique(P + "01162", "grazing incidence small angle x-ray scattering", "GISAXS", "x-ray"),
        Technique(P + "01191", "wide angle x-ray scattering", "WAXS", "x-ray"),
        Technique(P + "01216", "x-ray diffraction", "XRD", "x-ray"),
        Technique(P + "01030", "powder diffraction", "PD", "x-ray"),
        Technique(P + "01198", "extended x-ray absorption fine structure", "EXAFS", "x-ray"),
        Technique(P + "01199", "x-ray absorption near edge structure", "XANES", "x-ray"),
        Technique(P + "01164", "macromolecular crystallography", "MX", "x-ray"),
        Technique(P + "01149", "x-ray reflectivity", "XRR", "x-ray"),
        Technique(P + "01207", "x-ray tomography", "XCT", "x-ray"),
        Technique(P + "01212", "ptychography", "PTYCHO", "x-ray"),
        Technique(P + "01205", "x-ray photon correlation spectroscopy", "XPCS", "x-ray"),
        Technique(P + "01189", "small angle neutron scattering", "SANS", "neutron"),
        Technique(P + "01239", "neutron reflectometry", "NR", "neutron"),
        Technique(P + "01217", "neutron diffraction", "ND", "neutron"),
        Technique(P + "01100", "neutron powder diffraction", "NPD", "neutron"),
    )
}


class Facility(NamedTuple):
    short: str
    name: str
    ror: str
    instruments: tuple[tuple[str, tuple[str, ...]], ...]  # (name, technique shorts)


FACILITIES = (
    Facility("ESRF", "European Synchrotron Radiation Facility", "https://ror.org/02550n020", (
        ("ID02", ("SAXS", "WAXS", "XPCS")), ("ID13", ("XRD", "SAXS")), ("BM23", ("EXAFS", "XANES")),
        ("ID31", ("PD", "XRR")), ("ID19", ("XCT",)), ("ID23-1", ("MX",)),
    )),
    Facility("ILL", "Institut Laue-Langevin", "https://ror.org/01xtjs520", (
        ("D11", ("SANS",)), ("D22", ("SANS",)), ("D20", ("NPD",)), ("FIGARO", ("NR",)), ("D19", ("ND",)),
    )),
    Facility("DESY", "Deutsches Elektronen-Synchrotron DESY", "https://ror.org/01js2sh04", (
        ("P03", ("GISAXS", "SAXS")), ("P07", ("XRD", "XCT")), ("P11", ("MX",)), ("P65", ("EXAFS", "XANES")),
    )),
    Facility("HZB", "Helmholtz-Zentrum Berlin für Materialien und Energie", "https://ror.org/02aj13c28", (
        ("BL14.1", ("MX",)), ("KMC-3", ("XRD", "EXAFS")),
    )),
    Facility("Diamond", "Diamond Light Source", "https://ror.org/05etxs293", (
        ("I22", ("SAXS", "WAXS")), ("I04", ("MX",)), ("B18", ("EXAFS", "XANES")), ("I13", ("XCT", "PTYCHO")),
    )),
    Facility("PSI", "Paul Scherrer Institute", "https://ror.org/03eh3y714", (
        ("cSAXS", ("SAXS", "PTYCHO")), ("SANS-I", ("SANS",)), ("X06SA", ("MX",)),
    )),
    Facility("ISIS", "Science and Technology Facilities Council (operator of ISIS)", "https://ror.org/057g20z61", (
        ("LOQ", ("SANS",)), ("POLARIS", ("NPD",)), ("INTER", ("NR",)),
    )),
    Facility("SOLEIL", "Synchrotron SOLEIL", "https://ror.org/01ydb3330", (
        ("SWING", ("SAXS",)), ("PROXIMA-1", ("MX",)), ("SAMBA", ("EXAFS", "XANES")),
    )),
)


class SoftwarePackage(NamedTuple):
    key: str
    name: str
    description: str
    repository: str
    license: str
    versions: tuple[str, ...]
    techniques: tuple[str, ...]


SOFTWARE = (
    SoftwarePackage("pyfai", "pyFAI", "Fast azimuthal integration of 2D scattering and diffraction images",
                    "https://github.com/silx-kit/pyFAI", "MIT", ("2023.9.0", "2024.2.0", "2025.3.0"),
                    ("SAXS", "WAXS", "XRD", "PD", "GISAXS")),
    SoftwarePackage("sasview", "SasView", "Analysis of small-angle scattering data",
                    "https://github.com/SasView/sasview", "BSD-3-Clause", ("5.0.6", "6.0.0"),
                    ("SAXS", "SANS", "GISAXS")),
    SoftwarePackage("mantid", "Mantid", "Data reduction and analysis for neutron and muon experiments",
                    "https://github.com/mantidproject/mantid", "GPL-3.0-or-later", ("6.9.1", "6.11.0", "6.12.0"),
                    ("SANS", "NPD", "NR", "ND")),
    SoftwarePackage("dials", "DIALS", "Diffraction integration for advanced light sources",
                    "https://github.com/dials/dials", "BSD-3-Clause", ("3.17.0", "3.21.1"), ("MX",)),
    SoftwarePackage("larch", "xraylarch", "X-ray absorption fine structure analysis",
                    "https://github.com/xraylarch/xraylarch", "", ("0.9.74", "0.9.80"), ("EXAFS", "XANES")),
    SoftwarePackage("tomopy", "TomoPy", "Tomographic reconstruction",
                    "https://github.com/tomography/tomopy", "", ("1.14.1", "1.15.0"), ("XCT",)),
    SoftwarePackage("ptypy", "PtyPy", "Ptychography reconstruction",
                    "https://github.com/ptycho/ptypy", "", ("0.8.1",), ("PTYCHO",)),
    SoftwarePackage("refnx", "refnx", "Neutron and x-ray reflectometry analysis",
                    "https://github.com/refnx/refnx", "BSD-3-Clause", ("0.1.45", "0.1.52"), ("NR", "XRR")),
)


SAMPLES = (
    ("lysozyme", "", "hen egg-white lysozyme in 50 mM sodium acetate"),
    ("apoferritin", "", "horse spleen apoferritin"),
    ("insulin", "", "human insulin crystals"),
    ("silica nanoparticles", "SiO2", "Stöber silica, nominal 40 nm"),
    ("LiFePO4 cathode", "LiFePO4", "carbon-coated cathode, pristine and cycled"),
    ("NMC811 cathode", "LiNi0.8Mn0.1Co0.1O2", "layered oxide cathode"),
    ("ZIF-8", "C8H10N4Zn", "zeolitic imidazolate framework powder"),
    ("CsPbBr3 nanocrystals", "CsPbBr3", "perovskite nanocrystals in toluene"),
    ("P3HT:PCBM film", "", "organic photovoltaic blend on silicon"),
    ("PS-b-PMMA film", "", "block copolymer thin film, annealed"),
    ("SDS micelles", "C12H25NaO4S", "sodium dodecyl sulfate in D2O"),
    ("Roman glass", "", "archaeological glass fragment"),
    ("Ti-6Al-4V weld", "", "additively manufactured titanium alloy"),
    ("cement paste", "", "hydrating Portland cement"),
    ("graphene oxide", "", "membrane, 2 µm"),
    ("nanocellulose", "", "cellulose nanofibrils in water"),
    ("hemoglobin", "", "human hemoglobin in buffer"),
    ("CeO2 standard", "CeO2", "NIST SRM 674b"),
    ("Pt/Al2O3 catalyst", "Pt", "1 wt% platinum on alumina, in situ reduction"),
    ("lipid bilayer", "", "DPPC supported bilayer"),
)

GIVEN_NAMES = (
    "Anna", "Ben", "Chiara", "David", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Katarzyna", "Luca",
    "Maria", "Nils", "Olga", "Pierre", "Qing", "Rosa", "Sven", "Teresa", "Umar", "Vera", "Wei", "Yusuf", "Zofia",
)
FAMILY_NAMES = (
    "Andersson", "Bianchi", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Hansen", "Ivanova", "Jensen",
    "Kowalski", "Lefèvre", "Müller", "Nakamura", "Olsen", "Petrov", "Rossi", "Schmidt", "Tanaka", "Urban",
    "Varga", "Wagner", "Zhang", "Novak", "Moreau",
)
JOURNALS = (
    "Journal of Synchrotron Radiation", "Journal of Applied Crystallography", "Acta Crystallographica D",
    "Physical Review B", "Nature Communications", "Soft Matter", "Chemistry of Materials", "IUCrJ",
)
