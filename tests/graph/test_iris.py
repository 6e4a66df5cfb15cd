from __future__ import annotations

import random
import string

import pytest

from graph.errors import RecordInvalid
from graph.model.iris import Minter, doi_iri, global_pid_iri, orcid_iri, panet_iri, ror_iri


@pytest.mark.parametrize(
    "text",
    ["10.5281/zenodo.1234", "doi:10.5281/ZENODO.1234", "https://doi.org/10.5281/zenodo.1234",
     "http://dx.doi.org/10.5281/Zenodo.1234", "  10.5281/zenodo.1234 "],
)
def test_every_usual_form_of_a_doi_is_one_iri(text: str) -> None:
    assert doi_iri(text) == "https://doi.org/10.5281/zenodo.1234"


def test_doi_characters_that_iris_forbid_are_percent_encoded() -> None:
    assert doi_iri("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O") == (
        "https://doi.org/10.1002/(sici)1097-4571(199806)49:8%3C693::aid-asi4%3E3.0.co;2-o"
    )


def test_orcid_needs_a_valid_check_digit() -> None:
    assert orcid_iri("0000-0002-1825-0097") == "https://orcid.org/0000-0002-1825-0097"
    assert orcid_iri("https://orcid.org/0000-0002-1694-233x") == "https://orcid.org/0000-0002-1694-233X"
    assert orcid_iri("0000-0002-1825-0098") is None


def test_ror_and_panet() -> None:
    assert ror_iri("https://ror.org/02550N020") == "https://ror.org/02550n020"
    assert ror_iri("02550n020") is None  # a bare ROR id is too easy to confuse with a local id
    assert panet_iri("panet:PaNET01188") == "http://purl.org/pan-science/PaNET/PaNET01188"
    assert global_pid_iri("ESRF-ID02") is None


def test_minted_iris_are_a_pure_function_of_kind_and_pid() -> None:
    a, b = Minter("https://example.org/kg/"), Minter("https://example.org/kg/")
    assert a.iri("dataset", "PID.SAMPLE/desy ds1") == b.iri("dataset", "PID.SAMPLE/desy ds1")
    assert a.iri("dataset", "PID.SAMPLE/desy ds1") == "https://example.org/kg/dataset/PID.SAMPLE%2Fdesy%20ds1"
    assert a.iri("dataset", "x") != a.iri("sample", "x")


def test_minted_iris_cannot_escape_their_kind_or_collide() -> None:
    m = Minter()
    assert m.iri("dataset", "../sample/x") == "https://w3id.org/pankg/id/dataset/..%2Fsample%2Fx"
    assert m.iri("dataset", "a/b") != m.iri("dataset", "a%2Fb")


def test_global_pids_win_over_minting_whatever_the_kind() -> None:
    m = Minter()
    assert m.iri("facility", "https://ror.org/02550n020") == "https://ror.org/02550n020"
    assert m.iri("person", "0000-0002-1825-0097") == "https://orcid.org/0000-0002-1825-0097"


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown entity kind"):
        Minter().iri("widget", "x")
    with pytest.raises(RecordInvalid, match="empty identifier"):
        Minter().iri("dataset", "  ")
    with pytest.raises(ValueError, match="base IRI"):
        Minter("urn:no-slash")


def test_minted_pids_are_percent_encoded_exactly_as_urllib_does() -> None:
    """The fast encoder (one str.replace per character to encode) against the standard library, on PIDs
    made of every printable ASCII character, "%" included, and non-ASCII text."""
    from urllib.parse import quote

    from graph.model.iris import _SAFE

    rng = random.Random(7)
    alphabet = string.printable + "é%/#<>ü漢"
    minter = Minter()
    for _ in range(20_000):
        pid = "x" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert minter.minted("dataset", pid) == f"{minter.base}dataset/{quote(pid, safe=_SAFE)}", pid
