"""The pankg ontology published at /ontology with content negotiation, and the negotiation rules themselves."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import rdflib
import rdflib.compare

from graph.query.formats import RdfSyntax, serialize_triples
from graph.store import rdf_input
from graph.store.embedded import GraphStore
from ontology import PANKG_TTL
from pankg.app import create_app
from resolvers.negotiation import NotAcceptable, negotiate

NS = "https://w3id.org/pankg/ontology#"


def get(path: str, accept: str | None = None) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(GraphStore()))
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.get(path, headers={"accept": accept} if accept else {})

    return asyncio.run(run())


def expected() -> rdflib.Graph:
    return rdflib.Graph().parse(PANKG_TTL, format="turtle")


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("*/*", "text/turtle", "turtle"),
        (None, "text/turtle", "turtle"),
        ("application/ld+json;q=0.5, text/turtle;q=0.4", "application/ld+json", "json-ld"),
    ],
)
def test_rdf_clients_get_the_whole_ontology_in_their_format(accept: str | None, media: str, fmt: str) -> None:
    response = get("/ontology", accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media) and response.headers["vary"] == "Accept, Authorization"
    if fmt == "json-ld":  # read by another parser than the one that wrote it (rdflib's JSON-LD reader warns)
        nt = serialize_triples(rdf_input.triples(response.content, RdfSyntax.JSON_LD), RdfSyntax.N_TRIPLES)
        got = rdflib.Graph().parse(data=nt, format="nt")
    else:
        got = rdflib.Graph().parse(data=response.content, format=fmt)
    assert rdflib.compare.isomorphic(got, expected())


def test_a_browser_gets_a_page_with_an_anchor_per_term() -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = get("/ontology/", accept)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    g = expected()
    terms = {str(s)[len(NS) :] for s in g.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(NS)}
    terms.discard("")
    anchors = {t for t in terms if f'id="{t}"' in response.text}
    assert anchors == terms and {"RawDataset", "subTechniqueOf", "techniqueName"} <= anchors
    assert "The words a source used for a technique" in response.text


def test_format_parameter_overrides_the_header_and_unknown_formats_are_406() -> None:
    response = get("/ontology?format=jsonld", "text/html")
    assert response.headers["content-type"].startswith("application/ld+json")
    json.loads(response.content)
    bad = get("/ontology?format=pdf")
    assert bad.status_code == 406 and "format=ttl, jsonld, rdf, html" in bad.json()["error"]["message"]


def test_nothing_acceptable_is_406_with_the_formats_there_are() -> None:
    response = get("/ontology", "image/png")
    assert response.status_code == 406
    assert response.json()["error"]["message"].startswith("this resource is available as text/turtle, text/html")


def test_negotiation_rules() -> None:
    offers = ["text/turtle", "text/html", "application/ld+json"]
    assert negotiate("text/*;q=0.9, application/ld+json", offers) == "application/ld+json"
    assert negotiate("text/*", offers) == "text/turtle"  # ties go to the first offer
    assert negotiate("text/html;q=0, */*;q=0.1", offers) == "text/turtle"  # the specific q=0 wins over */*
    assert negotiate("TEXT/HTML", offers) == "text/html"
    assert negotiate("text/html;q=abc", offers) == "text/html"  # a malformed q counts as 1
    with pytest.raises(NotAcceptable):
        negotiate("text/turtle;q=0", offers)
