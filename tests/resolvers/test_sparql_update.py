"""SPARQL Update over ``/sparql``: 401/403 without the right token, user graphs only, atomic, visible to readers."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from graph.model.access import Entitlement
from graph.query import sandbox
from graph.store.embedded import GraphStore
from graph.store.stats import stats
from graph.store.updates import KIND, UpdateRefused, run_on, scratch_copy
from pankg.app import create_app
from resolvers.auth import Caller, Tokens

TOKENS = Tokens({
    Tokens.digest("writer"): Caller("writer", Entitlement(), update=True),
    Tokens.digest("reader"): Caller("reader", Entitlement(staff=True)),
})
NOTE = "INSERT DATA { GRAPH <http://example.org/notes> { <http://example.org/d1> <http://example.org/note> 'hi' } }"
ASK_NOTE = "ASK { GRAPH ?g { <http://example.org/d1> <http://example.org/note> 'hi' } }"


@pytest.fixture()
def store(loaded_store: GraphStore) -> GraphStore:
    """Here ``store`` is the store with one loaded source (tests/conftest.py)."""
    return loaded_store


def call(store: GraphStore, method: str, token: str | None = None, tokens: Tokens | None = TOKENS,
         **kwargs: Any) -> httpx.Response:
    headers = {**kwargs.pop("headers", {}), **({"authorization": f"Bearer {token}"} if token else {})}

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store, tokens))
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.request(method, "/sparql", headers=headers, **kwargs)

    return asyncio.run(run())


def update(store: GraphStore, text: str, token: str | None = "writer", form: bool = False) -> httpx.Response:
    if form:
        return call(store, "POST", token, data={"update": text})
    return call(store, "POST", token, content=text.encode(), headers={"content-type": "application/sparql-update"})


def ask(store: GraphStore, query: str, token: str | None = None) -> bool:
    got = call(store, "GET", token, params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert got.status_code == 200, got.text
    return bool(got.json()["boolean"])


def snapshot(store: GraphStore) -> tuple[set[str], dict[str, Any]]:
    _, rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {" ".join(map(str, row)) for row in rows}, store.sources


def test_no_authorization_is_401_with_a_bearer_challenge(store: GraphStore) -> None:
    before = snapshot(store)
    for form in (True, False):
        got = update(store, NOTE, token=None, form=form)
        assert got.status_code == 401 and got.headers["www-authenticate"].startswith("Bearer")
        assert "Bearer" in got.json()["error"]["message"]
    assert snapshot(store) == before


def test_a_token_without_update_is_403_and_an_unknown_one_401(store: GraphStore) -> None:
    before = snapshot(store)
    got = update(store, NOTE, token="reader")
    assert got.status_code == 403 and "update: true" in got.json()["error"]["message"]
    got = update(store, NOTE, token="nobody")
    assert got.status_code == 401 and 'error="invalid_token"' in got.headers["www-authenticate"]
    assert snapshot(store) == before


def test_without_a_tokens_file_updates_are_disabled(store: GraphStore) -> None:
    got = call(store, "POST", tokens=None, data={"update": NOTE})
    assert got.status_code == 403 and "updates are disabled" in got.json()["error"]["message"]


@pytest.mark.parametrize("form", [True, False])
def test_insert_data_is_seen_by_anonymous_readers_and_registered(store: GraphStore, form: bool) -> None:
    assert not ask(store, ASK_NOTE)
    got = update(store, NOTE, form=form)
    assert got.status_code == 204, got.text
    assert ask(store, ASK_NOTE)  # anonymous: user graphs are public
    assert ask(store, ASK_NOTE, token="reader")
    info = store.find_source(KIND, "http://example.org/notes")
    assert info is not None and info.graphs[0].iri == "http://example.org/notes" and info.triples == 1
    assert ("sparql", "http://example.org/notes", 1) in {(g.source_kind, g.location, g.triples)
                                                          for g in stats(store).graphs}
    assert store.registered_sources() == store.sources  # the meta graph agrees
    assert update(store, "DELETE DATA { GRAPH <http://example.org/notes> { <http://example.org/d1> "
                         "<http://example.org/note> 'hi' } }").status_code == 204
    assert store.registered_sources() == store.sources
    assert not ask(store, ASK_NOTE) and store.find_source(KIND, "http://example.org/notes") is None


def test_where_reads_user_graphs_only(store: GraphStore) -> None:
    """An update cannot copy loaded (possibly restricted) data into a public graph."""
    got = update(store, "INSERT { GRAPH <http://example.org/copy> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert got.status_code == 204
    assert store.find_source(KIND, "http://example.org/copy") is None
    assert update(store, NOTE).status_code == 204
    assert update(store, "INSERT { GRAPH <http://example.org/copy> { ?s ?p ?o } } "
                         "WHERE { GRAPH <http://example.org/notes> { ?s ?p ?o } }").status_code == 204
    info = store.find_source(KIND, "http://example.org/copy")
    assert info is not None and info.triples == 1


def test_loaded_graphs_the_meta_graph_and_the_default_graph_are_refused(store: GraphStore) -> None:
    loaded = store.graphs("public")[0]
    assert update(store, NOTE).status_code == 204
    before = snapshot(store)
    triple = "<http://example.org/d1> <http://example.org/p> 'x'"
    for text in (
        f"INSERT DATA {{ GRAPH <{loaded}> {{ {triple} }} }}",
        f"DROP GRAPH <{loaded}>",
        f"INSERT DATA {{ GRAPH <{store.meta}> {{ {triple} }} }}",
        f"DELETE WHERE {{ GRAPH <{store.meta}> {{ ?s ?p ?o }} }}",
        f"INSERT DATA {{ {triple} }}",
        f"INSERT DATA {{ GRAPH <http://example.org/notes> {{ {triple} }} }} ; INSERT DATA {{ {triple} }}",
        "LOAD <http://example.org/data.ttl> INTO GRAPH <http://example.org/notes>",
    ):
        got = update(store, text)
        assert got.status_code == 403, (text, got.text)
        assert got.json()["error"]["message"] and "Traceback" not in got.text
    assert snapshot(store) == before


@pytest.mark.parametrize("silent", ["", "SILENT "])
def test_load_behind_an_escaped_hash_fetches_nothing(store: GraphStore, recorder: tuple[str, list[str]],
                                                     silent: str) -> None:
    """`e:b\\#` is one prefixed name; a text check once read `#...` as a comment and missed the LOAD after it."""
    url, hits = recorder
    assert update(store, NOTE).status_code == 204
    before = snapshot(store)
    text = ("PREFIX e: <http://e.org/> INSERT DATA { GRAPH <http://example.org/notes> { e:a e:b\\# e:c } } ; "
            f"LOAD {silent}<{url.replace('/sparql', '/x.ttl')}> INTO GRAPH <http://example.org/notes>")
    got = update(store, text)
    assert got.status_code == 403, got.text
    assert "LOAD" in got.json()["error"]["message"]
    assert snapshot(store) == before
    assert hits == []


@pytest.mark.skipif(not sandbox.available(), reason="the network sandbox needs Linux on x86-64 or aarch64")
def test_the_update_engine_has_no_network(recorder: tuple[str, list[str]]) -> None:
    """Whatever the parse says, the engine that runs an update cannot open a socket."""
    url, hits = recorder
    scratch = scratch_copy(GraphStore(), [])  # the scratch store an update runs on, run as apply_update runs it
    with pytest.raises(UpdateRefused, match="tried to reach another server"):  # the engine's socket was refused
        run_on(scratch, f"LOAD <{url}> INTO GRAPH <http://example.org/g>")
    assert hits == []


def test_clear_all_clears_the_user_graphs_only(store: GraphStore) -> None:
    assert update(store, NOTE).status_code == 204
    loaded = store.count("public")
    assert update(store, "CLEAR ALL", form=True).status_code == 204
    assert not ask(store, ASK_NOTE) and store.count("public") == loaded - 1
    assert ask(store, "ASK { ?d <http://purl.org/dc/terms/title> 'Loaded' }")


def test_a_syntax_error_is_400_and_changes_nothing(store: GraphStore) -> None:
    assert update(store, NOTE).status_code == 204
    before = snapshot(store)
    got = update(store, "CLEAR ALL ; INSERT DATA { GRAPH <http://example.org/notes> { <http://a> ")
    assert got.status_code == 400 and "syntax" in got.json()["error"]["message"]
    assert snapshot(store) == before


def test_bad_update_requests_are_400(store: GraphStore) -> None:
    assert call(store, "GET", "writer", params={"update": NOTE}).status_code == 400
    twice = urlencode([("update", NOTE), ("update", NOTE)]).encode()
    form = {"content-type": "application/x-www-form-urlencoded"}
    assert call(store, "POST", "writer", content=twice, headers=form).status_code == 400
    with_dataset = {"update": "WITH <http://e.org/g> INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                    "using-graph-uri": "http://e.org/g"}
    assert call(store, "POST", "writer", data=with_dataset).status_code == 400
    assert call(store, "POST", "writer", data={"update": NOTE, "using-graph-uri": "not an iri"}).status_code == 400


COPY = "INSERT { GRAPH <http://example.org/copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }"


def using(store: GraphStore, text: str, **params: str | list[str]) -> httpx.Response:
    return call(store, "POST", "writer", params=params, content=text.encode(),
                headers={"content-type": "application/sparql-update"})


def test_using_graph_uri_sets_the_default_graph_of_the_where(store: GraphStore) -> None:
    assert update(store, NOTE).status_code == 204
    assert using(store, COPY).status_code == 204  # no dataset: the default graph is empty
    assert store.find_source(KIND, "http://example.org/copy") is None
    got = using(store, COPY, **{"using-graph-uri": "http://example.org/notes"})
    assert got.status_code == 204, got.text
    info = store.find_source(KIND, "http://example.org/copy")
    assert info is not None and info.triples == 1
    # DELETE WHERE reads the same dataset: the match is in <notes>, the template deletes from <copy>
    got = using(store, "DELETE WHERE { GRAPH <http://example.org/copy> { ?s ?p ?o } . ?s ?p ?o }",
                **{"using-named-graph-uri": "http://example.org/copy", "using-graph-uri": "http://example.org/notes"})
    assert got.status_code == 204, got.text
    assert store.find_source(KIND, "http://example.org/copy") is None and ask(store, ASK_NOTE)


def test_using_named_graph_uri_limits_graph_patterns(store: GraphStore) -> None:
    assert update(store, NOTE).status_code == 204
    assert update(store, NOTE.replace("notes", "other")).status_code == 204
    copy_named = "INSERT { GRAPH <http://example.org/copy> { ?s ?p ?g } } WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert using(store, copy_named, **{"using-named-graph-uri": "http://example.org/other"}).status_code == 204
    _, rows = store.query("SELECT ?g WHERE { GRAPH <http://example.org/copy> { ?s ?p ?g } }")
    assert [row[0].value for row in rows] == ["http://example.org/other"]


def test_using_a_loaded_graph_is_refused_and_reads_nothing(store: GraphStore) -> None:
    loaded = store.graphs("public")[0]
    before = snapshot(store)
    got = using(store, COPY, **{"using-graph-uri": loaded})
    assert got.status_code == 403 and "managed by pankg" in got.json()["error"]["message"]
    got = using(store, COPY, **{"using-named-graph-uri": store.meta})
    assert got.status_code == 403
    assert snapshot(store) == before
