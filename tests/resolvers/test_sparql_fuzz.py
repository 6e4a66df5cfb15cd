"""Fuzzing /sparql and the Graph Store with token soup: whatever arrives, a 4xx or an answer, never a 500.

The texts are built from SPARQL's own pieces (keywords, IRIs, prefixed names with escapes, strings with
escapes, comments ending in \\n or \\r, braces, ``\\u`` escapes, NULs) so they reach the parsers and the checks
that decide what a query may do, not only the first syntax error. The Graph Store gets bodies of every RDF
syntax cut and spliced at random.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.model.access import Entitlement
from graph.store.embedded import GraphStore
from pankg.app import create_app
from resolvers.auth import Caller, Tokens
from tests.resolvers.test_graphql_fuzz import EXAMPLES, RANDOM

PIECES = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "SERVICE", "SILENT", "LOAD", "INSERT", "DATA", "DELETE",
          "GRAPH", "FROM", "NAMED", "OPTIONAL", "UNION", "FILTER", "EXISTS", "BIND", "VALUES", "LIMIT", "OFFSET",
          "PREFIX e: <http://e.org/>", "BASE <http://b.org/>", "e:a", "e:a\\#", "e:a\\#b", "e:", ":x", "?s", "?p",
          "?o", "$v", "*", "{", "}", "(", ")", ".", ";", ",", "<http://127.0.0.1:1/sparql>", "<rel>", "<>", "'x'",
          '"y"', "'''l\"o'n''g'''", '"\\""', "# c\n", "# c\r", "#", "\\u0053ERVICE", "\\u0022", "\u0000", "1",
          "1e9", "true", "^^", "@en", "a", "+", "/", "|", "^", "!", "<<", ">>", "\n"]
QUERIES = st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map(" ".join)
TOKENS = Tokens({Tokens.digest("writer"): Caller("writer", Entitlement(), update=True)})
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=RANDOM is None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def app() -> Any:
    store = GraphStore()
    store.raw_update("INSERT DATA { GRAPH <http://e.org/g> { <http://e.org/a> <http://e.org/b> 'c' } }")
    return create_app(store, TOKENS)


def call(app: Any, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async def run() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pankg.test") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(run())


@FUZZ
@given(text=QUERIES)
def test_any_query_text_is_answered_or_refused(app: Any, text: str, recorder: tuple[str, list[str]]) -> None:
    got = call(app, "POST", "/sparql", content=text.encode(), headers={"content-type": "application/sparql-query"})
    assert got.status_code in (200, 400, 403, 406, 413), (text, got.text)
    assert recorder[1] == []  # nothing ever reached a server it was not allowed to


@FUZZ
@given(text=QUERIES)
def test_any_update_text_is_applied_or_refused(app: Any, text: str) -> None:
    got = call(app, "POST", "/sparql", content=text.encode(),
               headers={"content-type": "application/sparql-update", "authorization": "Bearer writer"})
    assert got.status_code in (204, 400, 403), (text, got.text)


BODIES = {
    "text/turtle": "@prefix e: <http://e.org/> .\ne:a e:b 'c', \"d\"@en ; e:n 1.5e3 .\n_:x e:y [ e:z e:a ] .\n",
    "application/n-triples": "<http://e.org/a> <http://e.org/b> \"c\\u0041\" .\n_:x <http://e.org/y> _:z .\n",
    "application/ld+json": '{"@context": {"e": "http://e.org/"}, "@id": "e:a", "e:b": [{"@value": "c"}]}',
    "application/rdf+xml": ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                            'xmlns:e="http://e.org/"><rdf:Description rdf:about="http://e.org/a"><e:b>c</e:b>'
                            '</rdf:Description></rdf:RDF>'),
}


@FUZZ
@given(media=st.sampled_from(sorted(BODIES)), cut=st.integers(0, 400), splice=st.text(max_size=20),
       where=st.integers(0, 400))
def test_any_graph_store_body_is_written_or_refused(app: Any, media: str, cut: int, splice: str, where: int) -> None:
    body = BODIES[media][:cut]
    body = body[:where] + splice + body[where:]
    got = call(app, "PUT", "/sparql/graphs", params={"graph": "http://notes.example.org/fuzz"}, content=body.encode(),
               headers={"content-type": media, "authorization": "Bearer writer"})
    assert got.status_code in (201, 204, 400), (media, body, got.text)
