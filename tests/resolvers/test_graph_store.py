"""The Graph Store Protocol at /sparql/graphs: whole user graphs written atomically, reads confined to the scope."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.model.access import Entitlement
from graph.query.formats import RdfSyntax
from graph.store import rdf_input
from graph.store.embedded import GraphStore, StoredQuad
from graph.store.updates import KIND
from loaders.demo import DemoCatalogue
from pankg.app import create_app
from resolvers import sparql_worker
from resolvers.auth import Caller, Tokens
from resolvers.limits import ServerLimits
from resolvers.sparql_limits import Limits

TOKENS = Tokens({
    Tokens.digest("writer"): Caller("writer", Entitlement(), update=True),
    Tokens.digest("reader"): Caller("reader", Entitlement(staff=True)),
})
NOTES = "http://example.org/notes"
TURTLE = """@prefix ex: <http://example.org/> .
ex:d1 ex:note "hi" ; ex:seeAlso <d2> .
ex:d2 ex:note "there"@en .
"""
EXPECTED = {
    ("http://example.org/d1", "http://example.org/note", '"hi"'),
    ("http://example.org/d1", "http://example.org/seeAlso", "<http://example.org/d2>"),  # <d2> against the graph IRI
    ("http://example.org/d2", "http://example.org/note", '"there"@en'),
}
READ_FORMATS = {
    "text/turtle": RdfSyntax.TURTLE,
    "application/n-triples": RdfSyntax.N_TRIPLES,
    "application/ld+json": RdfSyntax.JSON_LD,
    "application/rdf+xml": RdfSyntax.RDF_XML,
}


@pytest.fixture()
def store(loaded_store: GraphStore) -> GraphStore:
    """Here ``store`` is the store with one loaded source (tests/conftest.py)."""
    return loaded_store


def call(store: GraphStore, method: str, token: str | None = None, tokens: Tokens | None = TOKENS,
         path: str = "/sparql/graphs", limits: ServerLimits | None = None, **kwargs: Any) -> httpx.Response:
    headers = {**kwargs.pop("headers", {}), **({"authorization": f"Bearer {token}"} if token else {})}

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store, tokens, limits))
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.request(method, path, headers=headers, **kwargs)

    return asyncio.run(run())


def put(store: GraphStore, body: str, graph: str = NOTES, method: str = "PUT", token: str | None = "writer",
        media: str = "text/turtle", **kwargs: Any) -> httpx.Response:
    return call(store, method, token, params={"graph": graph}, content=body.encode(),
                headers={"content-type": media}, **kwargs)


def get(store: GraphStore, graph: str | None = NOTES, accept: str = "application/n-triples",
        token: str | None = None, method: str = "GET", limits: ServerLimits | None = None) -> httpx.Response:
    params = {"graph": graph} if graph is not None else {"default": ""}
    return call(store, method, token, params=params, headers={"accept": accept}, limits=limits)


def triples(body: bytes, fmt: RdfSyntax = RdfSyntax.N_TRIPLES) -> set[tuple[str, str, str]]:
    return {(t.subject.value, t.predicate.value, str(t.object)) for t in rdf_input.triples(body, fmt)}


def everything(store: GraphStore) -> set[StoredQuad]:
    return set(store.quads())


def test_put_creates_then_get_returns_the_triples_in_every_format(store: GraphStore) -> None:
    got = put(store, TURTLE)
    assert got.status_code == 201, got.text
    for media, fmt in READ_FORMATS.items():
        got = get(store, accept=media)
        assert got.status_code == 200 and got.headers["content-type"].startswith(media), got.text
        assert triples(got.content, fmt) == EXPECTED
    assert put(store, TURTLE).status_code == 204  # the graph exists now: replaced, not created


def test_post_merges_and_put_replaces(store: GraphStore) -> None:
    assert put(store, TURTLE, method="POST").status_code == 201
    extra = "<http://example.org/d3> <http://example.org/note> \"more\" .\n"
    assert put(store, extra, method="POST", media="application/n-triples").status_code == 204
    merged = triples(get(store).content)
    assert merged == EXPECTED | {("http://example.org/d3", "http://example.org/note", '"more"')}
    assert put(store, extra, media="application/n-triples").status_code == 204
    assert triples(get(store).content) == {("http://example.org/d3", "http://example.org/note", '"more"')}
    assert store.find_source(KIND, NOTES).triples == 1  # type: ignore[union-attr]


def test_small_writes_to_a_large_graph_change_only_what_they_say(store: GraphStore) -> None:
    """Writes go to the store as what changed; the graph read back is exactly the sum of the writes, blank
    nodes included (a change touching them rewrites the graph, keeping each one's links)."""
    many = "".join(f"<http://example.org/s{n}> <http://example.org/p> \"{n}\" .\n" for n in range(2000))
    assert put(store, many, media="application/n-triples").status_code == 201
    assert put(store, '<http://example.org/s1> <http://example.org/q> "new" .', method="POST",
               media="application/n-triples").status_code == 204
    again = put(store, '<http://example.org/s1> <http://example.org/q> "new" .', method="POST",
                media="application/n-triples")
    assert again.status_code == 204 and store.find_source(KIND, NOTES).triples == 2001  # type: ignore[union-attr]
    fewer = "".join(f"<http://example.org/s{n}> <http://example.org/p> \"{n}\" .\n" for n in range(0, 2000, 2))
    assert put(store, fewer, media="application/n-triples").status_code == 204
    got = triples(get(store).content)
    assert len(got) == 1000 and ("http://example.org/s1", "http://example.org/q", '"new"') not in got
    blank = '<http://example.org/a> <http://example.org/p> [ <http://example.org/q> "x" ] .'
    assert put(store, blank, method="POST").status_code == 204
    assert put(store, '<http://example.org/b> <http://example.org/p> "y" .', method="POST",
               media="application/n-triples").status_code == 204
    linked = call(store, "GET", path="/sparql", params={"query": (
        f'ASK {{ GRAPH <{NOTES}> {{ <http://example.org/a> <http://example.org/p> ?b . ?b <http://example.org/q> "x" }} }}')})
    assert linked.json()["boolean"] is True
    assert len(triples(get(store).content)) == 1003
    info = next(i for i in store.sources.values() if i.location == NOTES)
    assert info.graphs[0].triples == 1003


def test_json_ld_and_rdf_xml_bodies(store: GraphStore) -> None:
    jsonld = '{"@id": "http://example.org/d1", "http://example.org/note": "hi"}'
    assert put(store, jsonld, media="application/ld+json").status_code == 201
    rdfxml = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
              '<rdf:Description rdf:about="http://example.org/d2"><ex:note>there</ex:note></rdf:Description>'
              "</rdf:RDF>")
    assert put(store, rdfxml, method="POST", media="application/rdf+xml").status_code == 204
    assert triples(get(store).content) == {("http://example.org/d1", "http://example.org/note", '"hi"'),
                                           ("http://example.org/d2", "http://example.org/note", '"there"')}


def test_delete_drops_the_graph_and_its_registration(store: GraphStore) -> None:
    before = everything(store)
    assert put(store, TURTLE).status_code == 201
    assert call(store, "DELETE", "writer", params={"graph": NOTES}).status_code == 204
    assert get(store).status_code == 404
    assert call(store, "DELETE", "writer", params={"graph": NOTES}).status_code == 404
    assert store.find_source(KIND, NOTES) is None
    left = {q for q in everything(store) - before if q[1] != "<https://w3id.org/pankg/ontology#writeVersion>"}
    assert left == set() and store.registered_sources() == store.sources  # only the store's write count moved on


def test_head_answers_the_headers_of_get(store: GraphStore) -> None:
    assert put(store, TURTLE).status_code == 201
    full, head = get(store, accept="text/turtle"), get(store, accept="text/turtle", method="HEAD")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == full.headers["content-type"]
    assert int(head.headers["content-length"]) == len(full.content) > 0
    assert get(store, "http://example.org/absent", method="HEAD").status_code == 404


def test_the_graph_is_a_sparql_source_readable_through_sparql(store: GraphStore) -> None:
    assert put(store, TURTLE).status_code == 201
    info = store.find_source(KIND, NOTES)
    assert info is not None and info.kind == "sparql" and info.triples == 3 and info.graphs[0].iri == NOTES
    assert store.registered_sources() == store.sources  # the meta graph agrees
    ask = f"ASK {{ GRAPH <{NOTES}> {{ <http://example.org/d2> <http://example.org/note> 'there'@en }} }}"
    got = call(store, "GET", path="/sparql", params={"query": ask}, headers={"accept": "application/json"})
    assert got.status_code == 200 and got.json()["boolean"] is True


def test_default_graph_is_the_union_the_caller_sees(store: GraphStore) -> None:
    assert put(store, TURTLE).status_code == 201
    got = get(store, None)
    assert got.status_code == 200
    assert EXPECTED | {("http://example.org/d1", "http://purl.org/dc/terms/title", '"Loaded"')} == triples(got.content)


def test_a_huge_default_graph_hits_the_answer_size_limit(store: GraphStore) -> None:
    assert put(store, TURTLE).status_code == 201
    got = get(store, None, limits=ServerLimits(sparql=Limits(max_bytes=100)))
    assert got.status_code == 413 and got.json()["error"]["type"] == "ResultTooLarge"


def test_reads_are_confined_to_the_scope(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    public = store.graphs("public")
    restricted = [g for g in store.graphs(Entitlement(staff=True)) if g not in public and g != store.meta]
    assert public and restricted
    assert get(store, public[0]).status_code == 200
    hidden, absent = get(store, restricted[0]), get(store, "http://example.org/absent")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json()["error"]["type"] == absent.json()["error"]["type"] == "GraphNotFound"
    assert get(store, restricted[0], token="reader").status_code == 200  # staff sees it
    assert get(store, store.meta, token="reader").status_code == 404  # never served over HTTP
    anonymous, staff = (triples(get(store, None, token=t).content) for t in (None, "reader"))
    assert anonymous < staff


def test_writes_need_an_update_token(store: GraphStore) -> None:
    before = everything(store)
    got = put(store, TURTLE, token=None)
    assert got.status_code == 401 and got.headers["www-authenticate"].startswith("Bearer")
    assert put(store, TURTLE, token="nobody").status_code == 401
    got = put(store, TURTLE, token="reader")
    assert got.status_code == 403 and "update: true" in got.json()["error"]["message"]
    got = put(store, TURTLE, token=None, tokens=None)
    assert got.status_code == 403 and "updates are disabled" in got.json()["error"]["message"]
    assert put(store, TURTLE, tokens=None).status_code == 401  # a token no file lists, as on every route
    assert call(store, "DELETE", None, params={"graph": NOTES}).status_code == 401
    assert everything(store) == before


def test_loaded_meta_and_default_graphs_are_not_writable(store: GraphStore) -> None:
    loaded = store.graphs("public")[0]
    assert put(store, TURTLE).status_code == 201
    before = everything(store)
    for method in ("PUT", "POST"):
        for graph in (loaded, store.meta, store.minter.minted("graph", "new")):
            got = put(store, TURTLE, graph=graph, method=method)
            assert got.status_code == 403 and "managed by pankg" in got.json()["error"]["message"], got.text
        got = call(store, method, "writer", params={"default": ""}, content=TURTLE.encode(),
                   headers={"content-type": "text/turtle"})
        assert got.status_code == 403 and "default graph" in got.json()["error"]["message"]
    for graph in (loaded, store.meta):
        assert call(store, "DELETE", "writer", params={"graph": graph}).status_code == 403
    assert call(store, "DELETE", "writer", params={"default": ""}).status_code == 403
    assert everything(store) == before


def test_bad_bodies_change_nothing(store: GraphStore) -> None:
    assert put(store, TURTLE).status_code == 201
    before = everything(store)
    half = "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n<http://example.org/x> <y> \"z .\n"
    for method in ("PUT", "POST"):
        got = put(store, half, method=method)
        assert got.status_code == 400 and "line 2" in got.json()["error"]["message"], got.text
        got = put(store, half, graph="http://example.org/other", method=method)
        assert got.status_code == 400
    named = "@prefix ex: <http://example.org/> . ex:g { ex:a ex:b ex:c }"
    assert put(store, named).status_code == 400  # TriG in a Turtle body
    remote = '{"@context": "http://schema.org/", "@id": "http://example.org/a", "name": "x"}'
    assert put(store, remote, media="application/ld+json").status_code == 400  # no remote context is fetched
    assert "Traceback" not in got.text and everything(store) == before


def test_media_types_and_sizes(store: GraphStore) -> None:
    got = put(store, TURTLE, media="application/trig")
    assert got.status_code == 415 and "text/turtle" in got.json()["error"]["message"]
    assert put(store, TURTLE, media="").status_code == 415
    assert put(store, TURTLE).status_code == 201
    got = get(store, accept="application/sparql-results+json")
    assert got.status_code == 406 and got.json()["error"]["type"] == "NotAcceptable"
    big = "<http://example.org/a> <http://example.org/b> \"" + "x" * 10_000_001 + "\" .\n"
    before = everything(store)
    got = put(store, big, media="application/n-triples")  # over PANKG_GRAPH_STORE_MAX_BODY, 10 MB by default
    assert got.status_code == 413 and got.json()["error"]["type"] == "BodyTooLarge"
    assert everything(store) == before


def test_bad_requests(store: GraphStore) -> None:
    assert call(store, "GET").status_code == 400  # no graph named
    assert call(store, "GET", params=[("graph", NOTES), ("default", "")]).status_code == 400
    assert call(store, "GET", params={"graph": "notes"}).status_code == 400  # not an absolute IRI
    got = call(store, "PATCH", "writer", params={"graph": NOTES})
    assert got.status_code == 405 and "PUT" in got.headers["allow"]


def test_post_to_the_service_creates_a_graph(store: GraphStore) -> None:
    got = call(store, "POST", "writer", content=TURTLE.encode(), headers={"content-type": "text/turtle"})
    assert got.status_code == 201, got.text
    location = httpx.URL(got.headers["location"])
    graph = location.params["graph"]
    assert graph.startswith(store.minter.base) and store.find_source(KIND, graph) is not None
    got = call(store, "GET", path=location.path, params=dict(location.params),
               headers={"accept": "application/n-triples"})
    assert got.status_code == 200 and len(triples(got.content)) == 3


def test_an_on_disk_store_reads_through_a_query_worker(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "kg")
    try:
        assert put(store, TURTLE).status_code == 201
        assert triples(get(store).content) == EXPECTED
        assert triples(get(store, None).content) == EXPECTED  # nothing else is loaded
        assert call(store, "DELETE", "writer", params={"graph": NOTES}).status_code == 204
        assert get(store).status_code == 404
    finally:
        sparql_worker.close_pools()
        store.close()


def test_only_http_iris_become_links_on_the_html_page(store: GraphStore) -> None:
    """A `javascript:` IRI written through the Graph Store is text on the Linked Data page, never a link."""
    subject = f"{store.minter.base}dataset/noted"
    body = (f"<{subject}> <http://purl.org/dc/terms/title> \"Noted\" ; "
            f"<http://example.org/see> <javascript:alert(document.cookie)> ; "
            f"<javascript:alert(2)> <http://example.org/ok> .")
    put = call(store, "PUT", "writer", params={"graph": NOTES}, content=body.encode(),
               headers={"content-type": "text/turtle"})
    assert put.status_code == 201, put.text
    page = call(store, "GET", path="/id/dataset/noted", headers={"accept": "text/html"})
    assert page.status_code == 200, page.text
    assert "javascript:alert(document.cookie)" in page.text  # shown, as text
    assert 'href="javascript' not in page.text.lower()
    assert '<a href="http://example.org/ok">' in page.text  # http(s) IRIs are still links
