"""Technique names to ontology IRIs: each matching step, ambiguity, preference for techniques, pinned names."""

from __future__ import annotations

import pytest

from graph.techniques.names import TechniqueNames, Term, acronyms, normalize

P = "http://purl.org/pan-science/PaNET/"
TERMS = [
    Term(P + "PaNET01188", ("small angle x-ray scattering",), ("SAXS",)),
    Term(P + "PaNET01189", ("small angle neutron scattering",), ("SANS",)),
    Term(P + "PaNET01216", ("x-ray diffraction",), ("XRD",)),
    Term(P + "PaNET01022", ("diffraction",)),
    Term(P + "PaNET2020018", ("diffraction",), technique=False),  # a specifier class of the same name
    Term(P + "PaNET01204", ("x-ray photoelectron spectroscopy",)),
    Term(P + "PaNET01207", ("x-ray tomography",)),
    Term(P + "PaNET01208", ("neutron tomography",)),
    Term(P + "PaNET09001", ("resonant scattering",)),
    Term(P + "PaNET09002", ("resonant scattering",)),  # two techniques with one label: nobody can choose
    Term(P + "PaNET09003", ("rapid acquisition spectroscopy",)),
    Term(P + "PaNET09004", ("resonant absorption spectroscopy",)),
]


@pytest.fixture
def names() -> TechniqueNames:
    return TechniqueNames(TERMS)


@pytest.mark.parametrize(
    ("text", "how", "iri"),
    [
        ("small angle x-ray scattering", "label", "PaNET01188"),
        ("Small angle X-ray scattering", "label", "PaNET01188"),
        ("small_angle_x-ray_scattering", "label", "PaNET01188"),
        ("small-angle X ray scattering", "label", "PaNET01188"),
        ("SAXS", "synonym", "PaNET01188"),
        ("saxs", "synonym", "PaNET01188"),
        ("XRD", "synonym", "PaNET01216"),
        ("XPS", "acronym", "PaNET01204"),  # initials of x-ray photoelectron spectroscopy
        ("small angle x-ray scatering", "fuzzy", "PaNET01188"),  # a typo
        ("diffraction", "label", "PaNET01022"),  # the technique, not the specifier of the same name
    ],
)
def test_names_resolve_by_the_first_step_that_places_them(
    names: TechniqueNames, text: str, how: str, iri: str
) -> None:
    found = names.resolve(text)
    assert (found.how, found.iri, found.text) == (how, P + iri, text)
    assert found.problem == ""


def test_a_name_two_terms_share_is_ambiguous_and_says_which(names: TechniqueNames) -> None:
    found = names.resolve("resonant scattering")
    assert (found.iri, found.how) == (None, "ambiguous")
    assert found.candidates == (P + "PaNET09001", P + "PaNET09002")
    assert "PaNET09001" in found.problem and "ambiguous" in found.problem


def test_initials_two_labels_share_are_ambiguous(names: TechniqueNames) -> None:
    assert names.resolve("RAS").how == "ambiguous"  # rapid acquisition / resonant absorption spectroscopy


def test_names_nothing_matches_stay_names(names: TechniqueNames) -> None:
    for text in ("muon spin rotation", "XYZ", "", "tomogr"):
        found = names.resolve(text)
        assert (found.iri, found.how) == (None, "unmapped")
    assert "matches no known technique" in names.resolve("muon spin rotation").problem


def test_a_near_miss_between_two_terms_is_not_guessed(names: TechniqueNames) -> None:
    # "x-ray tomography" and "neutron tomography" are both far from this; nothing passes the cut-off.
    assert names.resolve("tomography of rocks").iri is None


def test_short_names_are_never_fuzzy_matched(names: TechniqueNames) -> None:
    assert names.resolve("SAXX").iri is None  # one letter off SAXS, but it could be any acronym


def test_pinned_names_win_over_everything(names: TechniqueNames) -> None:
    pinned = TechniqueNames(TERMS, {"SAXS": P + "PaNET01189", "BioSAXS at P12": P + "PaNET01188"})
    assert pinned.resolve("saxs").iri == P + "PaNET01189"
    assert (pinned.resolve("BioSAXS at P12").how, pinned.resolve("biosaxs at p12").iri) == ("pinned", P + "PaNET01188")
    assert pinned.fingerprint != names.fingerprint


def test_known_and_covered_iris(names: TechniqueNames) -> None:
    assert names.knows(P + "PaNET01188") and not names.knows(P + "PaNET99999")
    assert names.covers(P + "PaNET99999") and not names.covers("https://example.org/technique/1")


def test_normalization_and_acronyms() -> None:
    assert normalize("  Small-angle_X-Ray  scattering ") == "small angle xray scattering"
    assert acronyms("grazing incidence small angle x-ray scattering") == {"gisaxs", "gisaxrs"}
    assert acronyms("tomography") == set()
    assert acronyms("x-ray absorption of the sample") == {"xas", "xras"}


def test_the_model_resolves_names_and_leaves_identifiers_alone(names: TechniqueNames) -> None:
    from graph.model.writer import RdfModel

    model = RdfModel(techniques=names)
    assert model.technique("SAXS") == f"<{P}PaNET01188>"
    assert model.technique("panet:PaNET01188") == f"<{P}PaNET01188>"  # a PID, not words
    assert model.technique("https://purl.org/pan-science/PaNET/PaNET01216") == f"<{P}PaNET01216>"
    assert model.technique_problems == {}
    assert model.technique("panet:PaNET09999") == f"<{P}PaNET09999>"
    assert model.technique("spin echo") == f"<{model.minter.iri('technique', 'spin echo')}>"
    assert set(model.technique_problems) == {"panet:PaNET09999", "spin echo"}
    assert not model.is_technique_name("panet:PaNET01188") and model.is_technique_name("SAXS")
