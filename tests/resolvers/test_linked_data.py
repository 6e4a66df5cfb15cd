"""Linked Data at /id/: each minted IRI dereferences, in the caller's scope, in every negotiated format."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re

import httpx
import pytest

from graph.model.entities import Dataset, File, Person
from graph.model.writer import RdfModel
from graph.query.formats import RdfSyntax
from graph.query.terms import NamedNode, Triple
from graph.store import rdf_input
from graph.store.embedded import GraphStore, Scope
from loaders.demo import DemoCatalogue
from ontology.namespaces import DCAT, DCTERMS, RDF, RDFS
from ontology.terms import PANKG
from pankg.app import create_app
from resolvers.linked_data import iri_of

BASE = "https://w3id.org/pankg/id/"
HOST = "http://pankg.test"
FORMATS = {
    "text/turtle": RdfSyntax.TURTLE,
    "application/n-triples": RdfSyntax.N_TRIPLES,
    "application/ld+json": RdfSyntax.JSON_LD,
    "application/rdf+xml": RdfSyntax.RDF_XML,
}
HIDDEN = (DCTERMS.title, DCTERMS.description, DCTERMS.creator, DCTERMS.hasPart, PANKG.parameter, RDFS.label)


def get(store: GraphStore, path: str, accept: str | None = None) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store))
        async with httpx.AsyncClient(transport=transport, base_url=HOST) as client:
            return await client.get(path, headers={"accept": accept} if accept else {})

    return asyncio.run(run())


def path_of(iri: str) -> str:
    assert iri.startswith(BASE)
    return "/id/" + iri[len(BASE) :]


def parsed(response: httpx.Response, fmt: RdfSyntax) -> set[Triple]:
    return set(rdf_input.triples(response.content, fmt))


def held(store: GraphStore, iri: str, scope: Scope) -> set[Triple]:
    """What the store holds for ``iri`` in ``scope``: its triples and its links' labels (asked independently)."""
    node = NamedNode(iri)
    _, rows = store.query(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}", scope)
    own = {Triple(node, p, o) for p, o in rows}
    _, rows = store.query(f"SELECT ?o ?l WHERE {{ <{iri}> ?p ?o . ?o <{RDFS.label}> ?l }}", scope)
    return own | {Triple(o, NamedNode(RDFS.label), label) for o, label in rows}


def dataset(store: GraphStore, access: str) -> str:
    """The first dataset of that access level (a public one with a DOI, to have one to link out to)."""
    doi = f"; <{PANKG.doi}> ?doi" if access == PANKG.Public else ""
    _, rows = store.query(
        f"SELECT ?d WHERE {{ ?d a <{DCAT.Dataset}> ; <{PANKG.accessLevel}> <{access}> {doi} }} "
        "ORDER BY ?d LIMIT 1",
        "public",
    )
    return str(rows[0][0].value)


def first(store: GraphStore, kind: str) -> str:
    query = f"SELECT ?s WHERE {{ ?s a <{kind}> FILTER(STRSTARTS(STR(?s), '{BASE}')) }} ORDER BY ?s"
    _, rows = store.query(query, "public")
    return str(rows[0][0].value)


@pytest.mark.parametrize("media", FORMATS)
def test_public_dataset_in_each_format_is_what_the_store_holds(
    demo_store: tuple[GraphStore, DemoCatalogue], media: str
) -> None:
    store, _ = demo_store
    iri = dataset(store, PANKG.Public)
    key = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld"}.get(media, "rdf")
    for response in (get(store, path_of(iri), media), get(store, path_of(iri) + "?format=" + key)):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media and response.headers["vary"] == "Accept, Authorization"
        assert parsed(response, FORMATS[media]) == held(store, iri, "public")
    assert len(held(store, iri, "public")) > 10


def test_embargoed_dataset_shows_its_public_stub_only(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    iri = dataset(store, PANKG.Restricted)
    full = {(t.predicate.value, t.object) for t in held(store, iri, "all") if t.subject.value == iri}
    title = next(o.value for p, o in full if p == DCTERMS.title)
    assert {p for p, _ in full} & set(HIDDEN), "the demo's embargoed dataset has details to hide"
    triples = parsed(get(store, path_of(iri), "text/turtle"), RdfSyntax.TURTLE)
    assert triples == held(store, iri, "public")
    assert not {t.predicate.value for t in triples if t.subject.value == iri} & set(HIDDEN)
    assert title not in get(store, path_of(iri), "application/n-triples").text
    page = get(store, path_of(iri), "text/html").text
    assert title not in page and "Under embargo" in page
    schema = get(store, path_of(iri) + "?format=schema").json()
    assert title not in json.dumps(schema) and "creator" not in schema and "license" not in schema
    assert schema["isAccessibleForFree"] is False


def test_instrument_and_proposal_dereference(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    for kind in (PANKG.Instrument, PANKG.Proposal):
        iri = first(store, kind)
        response = get(store, path_of(iri), "text/turtle")
        assert response.status_code == 200
        assert parsed(response, RdfSyntax.TURTLE) == held(store, iri, "public")


def test_html_links_minted_iris_here_and_global_pids_out(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    iri = dataset(store, PANKG.Public)
    response = get(store, path_of(iri), "text/html,application/xhtml+xml,*/*;q=0.8")  # a browser's Accept
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    links = set(re.findall(r'href="([^"]+)"', response.text))
    own = held(store, iri, "public")
    for t in own:
        if t.subject.value == iri and isinstance(t.object, NamedNode) and t.predicate.value != RDF.type:
            target = t.object.value
            expected = HOST + path_of(target) if target.startswith(BASE) else target
            assert expected in links, target
    assert any(link.startswith("https://doi.org/10.") for link in links)
    assert any(link.startswith("https://orcid.org/") for link in links)
    assert any(link.startswith("https://ror.org/") for link in links)
    assert any(link.startswith("http://purl.org/pan-science/PaNET/") for link in links)
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert script is not None and json.loads(script.group(1))["@type"] == "Dataset"


@pytest.mark.parametrize("how", ["?format=schema", "accept"])
def test_schema_org_dataset_values_come_from_the_store(
    demo_store: tuple[GraphStore, DemoCatalogue], how: str
) -> None:
    store, _ = demo_store
    iri = dataset(store, PANKG.Public)
    if how == "accept":
        response = get(store, path_of(iri), 'application/ld+json; profile="https://schema.org"')
    else:
        response = get(store, path_of(iri) + how)
    assert response.status_code == 200 and 'profile="https://schema.org"' in response.headers["content-type"]
    doc = response.json()
    _, rows = store.query(
        f"SELECT ?title ?doi ?license ?creator ?name WHERE {{ <{iri}> <{DCTERMS.title}> ?title ; "
        f"<{PANKG.doi}> ?doi ; <{DCTERMS.license}> ?license ; <{DCTERMS.creator}> ?creator . "
        f"?creator <{RDFS.label}> ?name }}",
        "public",
    )
    assert len(rows) >= 1
    assert doc["@context"] == "https://schema.org/" and doc["@type"] == "Dataset" and doc["url"] == iri
    assert doc["name"] == rows[0][0].value
    identifiers = doc["identifier"] if isinstance(doc["identifier"], list) else [doc["identifier"]]
    assert rows[0][1].value in identifiers
    assert doc["license"] == rows[0][2].value
    assert {(c["@id"], c["name"]) for c in doc["creator"]} == {(r[3].value, r[4].value) for r in rows}
    assert doc["includedInDataCatalog"]["@type"] == "DataCatalog" and doc["measurementTechnique"]


def test_unknown_iri_is_404_and_unacceptable_accept_is_406(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    for path in ("/id/dataset/no-such-dataset", "/id/no-such-kind/x", "/id/dataset/"):
        response = get(store, path)
        assert response.status_code == 404
        assert response.json()["error"]["type"] == "NotFound" and response.headers["vary"] == "Accept, Authorization"
    page = get(store, "/id/dataset/no-such-dataset", "text/html")
    assert page.status_code == 404 and "no-such-dataset" in page.text and page.text.startswith("<!doctype html>")
    iri = dataset(store, PANKG.Public)
    refused = get(store, path_of(iri), "image/png")
    assert refused.status_code == 406 and refused.json()["error"]["type"] == "NotAcceptable"
    assert get(store, path_of(iri) + "?format=xlsx").status_code == 406
    assert get(store, path_of(first(store, PANKG.Instrument)) + "?format=schema").status_code == 406
    assert get(store, "/id/graph/anything").status_code == 404  # the meta graph is not public


@pytest.fixture(scope="module")
def odd_store() -> GraphStore:
    """A dataset whose PID is a DOI (its files are minted under it, slash and '#' encoded), a handle PID with
    a space, and a person without an ORCID."""
    store = GraphStore()
    model = RdfModel(as_of=dt.date(2026, 1, 1))
    entities = [
        Person("staff-7", "Ada Staff"),
        Dataset("10.5072/pankg-test.1", "DOI dataset", files=(File("raw/a#b.h5", size=3),), creators=("staff-7",)),
        Dataset("20.500.12269/abc def#1", "Handle dataset"),
    ]
    store.replace_source("rdf", "odd", "1", [q for e in entities for q in model.quads(e)])
    return store


def test_percent_encoded_pids_round_trip(odd_store: GraphStore) -> None:
    file_iri = odd_store.minter.owned("file", "10.5072/pankg-test.1", "raw/a#b.h5")
    handle_iri = odd_store.minter.iri("dataset", "20.500.12269/abc def#1")
    person_iri = odd_store.minter.iri("person", "staff-7")
    assert "%2F" in file_iri and "%23" in file_iri and "%2F" in handle_iri and "%23" in handle_iri
    for iri in (file_iri, handle_iri, person_iri):
        response = get(odd_store, path_of(iri), "application/n-triples")
        assert response.status_code == 200, iri
        triples = parsed(response, RdfSyntax.N_TRIPLES)
        assert triples == held(odd_store, iri, "all") and {t.subject.value for t in triples} >= {iri}
    assert "Ada Staff" in get(odd_store, path_of(person_iri), "text/html").text
    lower = path_of(handle_iri).replace("%2F", "%2f")
    assert get(odd_store, lower, "text/turtle").status_code == 200
    assert iri_of(BASE, path_of(handle_iri)[4:].encode()) == handle_iri
