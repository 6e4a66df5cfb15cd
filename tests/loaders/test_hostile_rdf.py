"""Hostile and broken RDF through ``pankg load rdf`` and ``pankg load panet`` (issue 12): DTDs (entity expansion,
external entities), files cut off in the middle and remote JSON-LD contexts are one clear error naming the file,
and the store is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.query.formats import RdfSyntax, serialize_triples
from graph.store import rdf_input
from tests.graph.test_rdf_input import EXTERNAL, LAUGHS, PLAIN
from tests.loaders.cli_store import everything, pankg, refused, seeded_store
from tests.loaders.panet_files import MINI

TTL = ('@prefix ex: <http://example.org/> .\n'
       + "".join(f'ex:d{n} ex:title "dataset {n}" ; ex:size {n} .\n' for n in range(20)))
NT = "".join(f'<http://example.org/d{n}> <http://example.org/title> "dataset {n}" .\n' for n in range(20))


@pytest.fixture(autouse=True)
def _no_reasoner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANKG_PANET_REASON", "never")  # the files here need no HermiT, and Java is slow to start


def mini_panet_rdf_xml() -> str:
    return serialize_triples(rdf_input.triples(MINI.encode(), RdfSyntax.TURTLE), RdfSyntax.RDF_XML).decode()


@pytest.mark.parametrize("kind,name", [("rdf", "laughs.rdf"), ("rdf", "laughs.owl"), ("panet", "laughs.owl")])
@pytest.mark.parametrize("text", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_rdf_xml_with_a_dtd_is_refused_and_changes_nothing(tmp_path: Path, kind: str, name: str, text: str) -> None:
    data = seeded_store(tmp_path)
    before = everything(data)
    path = tmp_path / name
    path.write_text(text)
    refused(pankg("load", kind, path, "--data", data), f"file {path}: RDF/XML with a DTD is refused")
    assert everything(data) == before


def test_rdf_xml_without_a_dtd_still_loads(tmp_path: Path) -> None:
    data = seeded_store(tmp_path)
    path = tmp_path / "plain.rdf"
    path.write_text(PLAIN)
    result = pankg("load", "rdf", path, "--data", data)
    assert result.exit_code == 0 and f"loaded {path}: 2 triples" in result.output, result.output
    panet = tmp_path / "panet.owl"
    panet.write_text(mini_panet_rdf_xml())
    result = pankg("load", "panet", panet, "--data", data)
    assert result.exit_code == 0 and "7 Technique" in result.output, result.output


@pytest.mark.parametrize("fraction", [0.5, 0.8])
def test_a_panet_owl_file_cut_off_in_the_middle_is_an_error(tmp_path: Path, fraction: float) -> None:
    """oxigraph's RDF/XML parser kept the classes before the cut (issue 12: 10 techniques, exit 0)."""
    data = seeded_store(tmp_path)
    whole = mini_panet_rdf_xml()
    full = tmp_path / "PaNET.owl"
    full.write_text(whole)
    assert pankg("load", "panet", full, "--data", data).exit_code == 0
    before = everything(data)
    cut = tmp_path / "PaNET-cut.owl"
    cut.write_text(whole[: int(len(whole) * fraction)])
    refused(pankg("load", "panet", cut, "--data", data), f"file {cut}: not valid RDF/XML: the XML stops before its end",
            "the file is cut off")
    assert everything(data) == before


def test_the_real_panet_cut_in_half_is_an_error(tmp_path: Path, shared: Path) -> None:
    whole = (shared / "reference" / "panet" / "PaNET-1.3.0.owl").read_bytes()
    cut = tmp_path / "PaNET-1.3.0.owl"
    cut.write_bytes(whole[: len(whole) // 2])
    data = seeded_store(tmp_path)
    before = everything(data)
    refused(pankg("load", "panet", cut, "--data", data), f"file {cut}: not valid RDF/XML: the XML stops before its end")
    assert everything(data) == before


FIRST_ELEMENT = PLAIN.index("</rdf:Description>") + len("</rdf:Description>\n")
CUTS = {
    "rdf-between-elements": ("a.rdf", PLAIN[:FIRST_ELEMENT], "not valid RDF/XML: the XML stops before its end"),
    "owl-between-elements": ("a.owl", PLAIN[:FIRST_ELEMENT], "not valid RDF/XML: the XML stops before its end"),
    "rdf-inside-a-tag": ("a.rdf", PLAIN[:FIRST_ELEMENT + 20], "not valid RDF/XML: the XML stops before its end"),
    "ttl-inside-a-statement": ("a.ttl", TTL[: TTL.index("dataset 7") + 4], "not valid Turtle"),
    "nt-inside-a-line": ("a.nt", NT[: NT.index("dataset 7") + 4], "not valid N-Triples"),
}


@pytest.mark.parametrize("case", CUTS)
def test_load_rdf_of_a_file_cut_off_is_an_error(tmp_path: Path, case: str) -> None:
    """Cut between two RDF/XML elements, oxigraph returned what came before the cut; expat sees the open root."""
    name, text, message = CUTS[case]
    data = seeded_store(tmp_path)
    before = everything(data)
    path = tmp_path / name
    path.write_text(text)
    refused(pankg("load", "rdf", path, "--data", data), f"file {path}: {message}")
    assert everything(data) == before


def test_json_ld_with_a_remote_context_names_the_context(tmp_path: Path, recorder: tuple[str, list[str]]) -> None:
    url, hits = recorder
    context = url.replace("/sparql", "/context.jsonld")
    data = seeded_store(tmp_path)
    before = everything(data)
    path = tmp_path / "remote.jsonld"
    path.write_text(f'{{"@context": "{context}", "@id": "http://example.org/a", "name": "x"}}')
    refused(pankg("load", "rdf", path, "--data", data),
            f"file {path}: its JSON-LD @context {context} is remote, and pankg never fetches a context",
            "put the context's object in the file instead")
    assert everything(data) == before and hits == []


@pytest.mark.parametrize("name,text", [("empty.ttl", ""), ("prefixes.ttl", "@prefix ex: <http://example.org/> .\n"),
                                       ("empty.nt", "\n"), ("empty.rdf", ""), ("nothing.rdf", PLAIN.split("  <rdf:D")[0]
                                                                                + "</rdf:RDF>\n")])
def test_an_rdf_file_without_a_triple_is_an_error(tmp_path: Path, name: str, text: str) -> None:
    data = seeded_store(tmp_path)
    before = everything(data)
    path = tmp_path / name
    path.write_text(text)
    refused(pankg("load", "rdf", path, "--data", data), f"file {path}: no triples in it")
    assert everything(data) == before
