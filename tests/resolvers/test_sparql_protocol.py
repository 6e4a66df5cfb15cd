"""The SPARQL 1.1 Protocol endpoint through httpx's ASGI transport: methods, formats, dataset, errors, embargo."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from graph.query.formats import RdfSyntax
from graph.query.terms import NamedNode, Triple
from graph.store import rdf_input
from graph.store.embedded import GraphStore
from loaders.demo import DemoCatalogue
from pankg.app import create_app
from resolvers import sparql_protocol
from resolvers.limits import ServerLimits

TITLES = (
    "SELECT ?d ?t WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> ?t }"
)


def call(store: GraphStore, method: str, path: str = "/sparql", **kwargs: Any) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(run())


def error(response: httpx.Response, status: int) -> str:
    """The pinned error shape; returns the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "type", "message"}
    assert body["error"]["status"] == status and "Traceback" not in response.text
    return str(body["error"]["message"])


@pytest.fixture
def demo(demo_store: tuple[GraphStore, DemoCatalogue]) -> GraphStore:
    return demo_store[0]


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_query_by_get_form_and_direct_post_agree(demo: GraphStore) -> None:
    by_get = call(demo, "GET", params={"query": COUNT})
    by_form = call(demo, "POST", data={"query": COUNT})
    direct = call(demo, "POST", content=COUNT.encode(), headers={"content-type": "application/sparql-query"})
    for response in (by_get, by_form, direct):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/sparql-results+json")
    values = {r.json()["results"]["bindings"][0]["n"]["value"] for r in (by_get, by_form, direct)}
    assert len(values) == 1 and int(values.pop()) == demo.count("public")


@pytest.mark.parametrize(
    ("accept", "media", "marker"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", '"bindings"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "d,t"),
        ("text/tab-separated-values", "text/tab-separated-values", "?d\t?t"),
        ("application/json", "application/sparql-results+json", '"bindings"'),
        (None, "application/sparql-results+json", '"bindings"'),
    ],
)
def test_select_formats(demo: GraphStore, accept: str | None, media: str, marker: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = call(demo, "GET", params={"query": TITLES + " LIMIT 3"}, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert marker in response.text and response.headers["vary"] == "Accept, Authorization"


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", RdfSyntax.TURTLE),
        ("application/n-triples", "application/n-triples", RdfSyntax.N_TRIPLES),
        ("application/ld+json", "application/ld+json", RdfSyntax.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", RdfSyntax.RDF_XML),
        ("*/*", "text/turtle", RdfSyntax.TURTLE),
    ],
)
def test_construct_and_describe_formats(demo: GraphStore, accept: str, media: str, fmt: RdfSyntax) -> None:
    construct = "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; ?p ?o } LIMIT 20"
    for query in (construct, "DESCRIBE ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 1"):
        response = call(demo, "GET", params={"query": query}, headers={"accept": accept})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert len(list(rdf_input.triples(response.content, fmt))) > 0


def test_ask_formats_and_format_parameter(demo: GraphStore) -> None:
    xml = call(demo, "GET", params={"query": "ASK {}"}, headers={"accept": "application/sparql-results+xml"})
    assert xml.status_code == 200 and "<boolean>true</boolean>" in xml.text
    assert call(demo, "GET", params={"query": "ASK {}"}).json() == {"head": {}, "boolean": True}
    # CSV/TSV have no boolean form: 406 with the formats there are.
    assert "application/sparql-results+json" in error(
        call(demo, "GET", params={"query": "ASK {}"}, headers={"accept": "text/csv"}), 406
    )
    linked = call(demo, "GET", params={"query": TITLES + " LIMIT 1", "format": "csv"})
    assert linked.headers["content-type"].startswith("text/csv")


def test_unacceptable_format_is_406(demo: GraphStore) -> None:
    error(call(demo, "GET", params={"query": TITLES}, headers={"accept": "image/png"}), 406)
    error(call(demo, "GET", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"accept": "text/csv"}), 406)


def test_bad_requests(demo: GraphStore) -> None:
    assert "syntax" in error(call(demo, "GET", params={"query": "SELEC * {"}), 400).lower()
    assert "no query" in error(call(demo, "POST", data={"default-graph-uri": "http://x/"}), 400)
    error(call(demo, "GET", params=[("query", "ASK {}"), ("query", "ASK {}")]), 400)
    error(call(demo, "POST", content=b"ASK {}", headers={"content-type": "text/plain"}), 415)
    utf16 = "ASK {}".encode("utf-16")
    error(call(demo, "POST", content=utf16, headers={"content-type": "application/sparql-query; charset=UTF-16"}), 400)
    error(call(demo, "GET", params={"query": "ASK {}", "default-graph-uri": "not an iri"}), 400)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_wrong_method_is_405_with_allow(demo: GraphStore, method: str) -> None:
    response = call(demo, method, params={"query": "ASK {}"})
    error(response, 405)
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_updates_are_disabled(demo: GraphStore) -> None:
    before = demo.count("all")
    for response in (
        call(demo, "POST", data={"update": "CLEAR ALL"}),
        call(demo, "POST", content=b"CLEAR ALL", headers={"content-type": "application/sparql-update"}),
        call(demo, "GET", params={"update": "CLEAR ALL"}),
    ):
        assert "updates are disabled" in error(response, 403)
    assert demo.count("all") == before


def test_body_over_the_limit_is_413(demo: GraphStore) -> None:
    big = b"ASK {} #" + b"x" * ServerLimits().sparql_body
    assert "1,000,000" in error(
        call(demo, "POST", content=big, headers={"content-type": "application/sparql-query"}), 413
    )
    app = create_app(demo)
    app.router.routes[:0] = sparql_protocol.routes(max_body=100)  # a smaller limit, configured

    async def run() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            return await client.post("/sparql", data={"query": "ASK {}" + " " * 200})

    error(asyncio.run(run()), 413)


def test_anonymous_never_reaches_restricted_or_meta_graphs(demo: GraphStore) -> None:
    restricted = [g for g in demo.graphs("all") if g not in demo.graphs("public")]
    assert demo.meta in restricted and len(restricted) >= 2
    for graph in restricted:
        probes = [
            {"query": f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
            {"query": f"ASK FROM <{graph}> {{ ?s ?p ?o }}"},
            {"query": f"ASK FROM NAMED <{graph}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
            {"query": "ASK { ?s ?p ?o }", "default-graph-uri": graph},
            {"query": "ASK { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": graph},
        ]
        for params in probes:
            response = call(demo, "GET", params=params)
            assert response.status_code == 200 and response.json()["boolean"] is False, params
    seen = call(demo, "GET", params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"}).json()
    assert {b["g"]["value"] for b in seen["results"]["bindings"]} <= set(demo.graphs("public"))


def test_dataset_parameters_pick_visible_graphs(demo: GraphStore) -> None:
    public = demo.graphs("public")
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    one = call(demo, "GET", params={"query": count, "default-graph-uri": public[0]}).json()
    assert int(one["results"]["bindings"][0]["n"]["value"]) > 0
    named_only = call(demo, "GET", params={"query": "ASK { ?s ?p ?o }", "named-graph-uri": public[0]}).json()
    assert named_only["boolean"] is False  # named graphs given, no default graph: the default graph is empty


def test_embargoed_titles_stay_hidden(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, catalogue = demo_store
    embargoed = catalogue.summary["embargoed datasets"]
    assert embargoed > 0
    _, everything = store.query(TITLES, "all")
    hidden = {str(t.value) for _, t in everything} - {str(t.value) for _, t in store.query(TITLES, "public")[1]}
    assert len(hidden) > 0
    for query in (TITLES, "CONSTRUCT WHERE { ?d <http://purl.org/dc/terms/title> ?t }",
                  "SELECT ?t { GRAPH ?g { ?d <http://purl.org/dc/terms/title> ?t } }"):
        text = call(store, "GET", params={"query": query}, headers={"accept": "*/*"}).text
        assert not [t for t in hidden if json.dumps(t)[1:-1] in text or t in text]
    rows = call(store, "GET", params={"query": TITLES}).json()["results"]["bindings"]
    assert len(rows) == catalogue.datasets - embargoed


def test_service_description(demo: GraphStore) -> None:
    response = call(demo, "GET")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    triples = list(rdf_input.triples(response.content, RdfSyntax.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = NamedNode("http://pankg.test/sparql")
    assert Triple(endpoint, NamedNode(sd + "endpoint"), endpoint) in triples
    names = {t.object.value for t in triples if t.predicate == NamedNode(sd + "name")}
    assert names == set(demo.graphs("public"))  # never the meta graph, never a restricted graph
    jsonld = call(demo, "GET", headers={"accept": "application/ld+json"})
    assert jsonld.status_code == 200 and len(list(rdf_input.triples(jsonld.content, RdfSyntax.JSON_LD))) > 0


def test_authenticated_scope_hook(demo: GraphStore) -> None:
    """``scope_for`` is where tokens will map to scopes: a scope of ``all`` sees the meta graph."""
    app = create_app(demo)
    app.router.routes[:0] = sparql_protocol.routes(scope_for=lambda request: "all")

    async def run() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            return await client.get("/sparql", params={"query": f"ASK {{ GRAPH <{demo.meta}> {{ ?s ?p ?o }} }}"})

    assert asyncio.run(run()).json()["boolean"] is True


@pytest.mark.parametrize(
    "query",
    ["SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
     "SELECT * { service silent <http://example.org/> { ?s ?p ?o } }",
     "SELECT * { \\u0053ERVICE <http://example.org/> { ?s ?p ?o } }"],
)
def test_service_is_refused_so_the_server_fetches_nothing(demo: GraphStore, query: str) -> None:
    assert "SERVICE" in error(call(demo, "GET", params={"query": query}), 403)


def test_service_inside_strings_iris_and_comments_is_fine(demo: GraphStore) -> None:
    query = 'ASK { ?s <http://example.org/service> "SERVICE <x>" } # SERVICE'
    assert call(demo, "GET", params={"query": query}).status_code == 200
