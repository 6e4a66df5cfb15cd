"""Hostile bodies at the Graph Store (PUT/POST /sparql/graphs, issue 12): an RDF/XML body with a DTD (billion
laughs took the whole server down), cut off, or JSON-LD with a remote context is answered 400, and nothing changes."""

from __future__ import annotations

import pytest

from graph.store.embedded import GraphStore
from tests.graph.test_rdf_input import EXTERNAL, LAUGHS, PLAIN
from tests.resolvers.test_graph_store import NOTES, TURTLE, everything, put

RDFXML = "application/rdf+xml"


@pytest.mark.parametrize("body", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_rdf_xml_with_a_dtd_is_refused(loaded_store: GraphStore, body: str, method: str) -> None:
    assert put(loaded_store, TURTLE).status_code == 201
    before = everything(loaded_store)
    got = put(loaded_store, body, method=method, media=RDFXML)
    assert got.status_code == 400, got.text
    error = got.json()["error"]
    assert error["type"] == "BadRequest" and "RDF/XML with a DTD is refused" in error["message"], error
    assert everything(loaded_store) == before


def test_rdf_xml_cut_off_is_refused(loaded_store: GraphStore) -> None:
    before = everything(loaded_store)
    cut = PLAIN[: PLAIN.index("</rdf:Description>") + len("</rdf:Description>\n")]
    got = put(loaded_store, cut, media=RDFXML)
    assert got.status_code == 400 and "the XML stops before its end" in got.json()["error"]["message"], got.text
    assert everything(loaded_store) == before


def test_plain_rdf_xml_is_written(loaded_store: GraphStore) -> None:
    assert put(loaded_store, PLAIN, media=RDFXML).status_code == 201
    assert put(loaded_store, "", media=RDFXML).status_code == 204  # an empty body: the graph is now empty


def test_a_remote_json_ld_context_is_named_not_fetched(loaded_store: GraphStore, recorder: tuple[str, list[str]]) -> None:
    url, hits = recorder
    context = url.replace("/sparql", "/context.jsonld")
    before = everything(loaded_store)
    got = put(loaded_store, f'{{"@context": "{context}", "@id": "http://example.org/a", "name": "x"}}',
              media="application/ld+json")
    assert got.status_code == 400, got.text
    assert f"its JSON-LD @context {context} is remote" in got.json()["error"]["message"]
    assert hits == [] and everything(loaded_store) == before
    assert put(loaded_store, '{"@context": {"name": "http://schema.org/name"}, "@id": "http://example.org/a", "name": "x"}',
               graph=NOTES, media="application/ld+json").status_code == 201
