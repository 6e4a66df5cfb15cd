"""Query limits of /sparql: an exploding query is stopped (time, memory) while others are answered; answer size.

The time and memory limits need a worker process over an on-disk store (``resolvers.sparql_worker``), so these
tests load a chain of 3000 ``ex:p`` links into a store in ``tmp_path``; ``?x ex:p+ ?y`` on it has 4.5 million
answers and would run for many seconds and take gigabytes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.errors import PankgError
from graph.query.dataset import Dataset
from graph.store.embedded import GraphStore
from graph.store.updates import apply_update
from loaders.base import load
from loaders.rdf import RdfFileSource
from pankg.app import create_app
from pankg.settings import limits_from
from resolvers import sparql_worker
from resolvers.limits import ServerLimits
from resolvers.sparql_limits import Limits
from tests.resolvers.test_sparql_protocol import error

EXPLODE = "SELECT * { ?x <http://ex.org/p>+ ?y }"
SMALL = "ASK { <http://ex.org/n0> <http://ex.org/p> <http://ex.org/n1> }"


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[GraphStore]:
    ttl = tmp_path / "chain.ttl"
    ttl.write_text("".join(f"<http://ex.org/n{i}> <http://ex.org/p> <http://ex.org/n{i + 1}> .\n" for i in range(3000)))
    store = GraphStore(tmp_path / "kg")
    load(store, RdfFileSource(ttl))
    try:
        yield store
    finally:
        sparql_worker.close_pools()
        store.close()


async def get(client: httpx.AsyncClient, query: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await client.get("/sparql", params={"query": query})
    return response, time.monotonic() - started


def client_for(store: GraphStore, **limits: Any) -> httpx.AsyncClient:
    app = create_app(store, limits=ServerLimits(sparql=Limits(**limits)))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pankg.test")


def test_exploding_query_is_stopped_while_others_answer(chain: GraphStore) -> None:
    async def run() -> None:
        async with client_for(chain, timeout=2) as client:
            warm, _ = await get(client, SMALL)  # a worker up before the clock matters
            assert warm.json()["boolean"] is True
            big = asyncio.create_task(get(client, EXPLODE))
            await asyncio.sleep(0.3)
            small = [await get(client, SMALL) for _ in range(3)]  # while the big one runs
            assert not big.done()
            response, took = await big
            assert "2 s" in error(response, 503) and response.json()["error"]["type"] == "QueryTimeout"
            assert 1.9 < took < 5
            assert all(r.status_code == 200 and r.json()["boolean"] is True and t < 1.5 for r, t in small)
            after, _ = await get(client, SMALL)  # the killed worker was replaced
            assert after.status_code == 200 and after.json()["boolean"] is True

    asyncio.run(run())


def test_memory_limit_stops_the_query(chain: GraphStore) -> None:
    async def run() -> None:
        async with client_for(chain, timeout=20, memory_mb=200) as client:
            response, took = await get(client, EXPLODE)
            assert "200 MB" in error(response, 503) and response.json()["error"]["type"] == "QueryOutOfMemory"
            assert took < 15
            after, _ = await get(client, SMALL)
            assert after.status_code == 200

    asyncio.run(run())


def test_answer_over_the_size_limit_is_413(chain: GraphStore) -> None:
    async def run() -> None:
        async with client_for(chain, max_bytes=5000) as client:
            response, _ = await get(client, "SELECT * { ?s ?p ?o }")
            assert "5,000 bytes" in error(response, 413) and response.json()["error"]["type"] == "ResultTooLarge"
            fits, _ = await get(client, "SELECT * { ?s ?p ?o } LIMIT 5")
            assert fits.status_code == 200 and len(fits.json()["results"]["bindings"]) == 5

    asyncio.run(run())


def test_worker_reports_errors_as_the_thread_did(chain: GraphStore) -> None:
    async def run() -> None:
        async with client_for(chain) as client:
            bad, _ = await get(client, "SELECT * {")
            assert "syntax" in error(bad, 400).lower()
            csv = await client.get("/sparql", params={"query": SMALL}, headers={"accept": "text/csv"})
            error(csv, 406)

    asyncio.run(run())


def test_worker_sees_every_write_made_after_it_started(chain: GraphStore, tmp_path: Path) -> None:
    """The worker keeps its read-only view only while the server's write version stands: a load, a removal
    and an update each make the next query open a view that sees them."""

    async def ask(subject: str = "late") -> bool:
        async with client_for(chain) as client:
            response, _ = await get(client, f"ASK {{ <http://ex.org/{subject}> ?p ?o }}")
            assert response.status_code == 200, response.text
            return bool(response.json()["boolean"])

    assert asyncio.run(ask()) is False
    assert asyncio.run(ask()) is False  # the same view, reused
    late = tmp_path / "late.ttl"
    late.write_text("<http://ex.org/late> <http://ex.org/p> <http://ex.org/n0> .\n")
    load(chain, RdfFileSource(late))
    assert asyncio.run(ask()) is True
    assert chain.remove_source("rdf", str(late.resolve()))
    assert asyncio.run(ask()) is False
    apply_update(chain, "INSERT DATA { GRAPH <http://notes.example.org/g> { <http://ex.org/noted> <http://ex.org/p> 1 } }")
    assert asyncio.run(ask("noted")) is True


def test_in_memory_store_keeps_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """No directory for a worker to open: the query runs on the thread, with the result-size limit only."""
    store = GraphStore()
    body, media = sparql_worker.run(store, "SELECT * { VALUES ?x { 1 2 3 } }", Dataset(), None, None, Limits())
    assert media == "application/sparql-results+json" and body.count(b'"x"') == 4
    with pytest.raises(Exception, match="over 50 bytes"):
        sparql_worker.run(store, "SELECT * { VALUES ?x { 1 2 3 } }", Dataset(), None, None, Limits(max_bytes=50))


@pytest.mark.parametrize("variable", ["PANKG_QUERY_TIMEOUT", "PANKG_QUERY_QUEUE", "PANKG_GRAPHQL_MAX_BODY"])
def test_bad_limit_setting_names_the_variable(variable: str) -> None:
    with pytest.raises(PankgError, match=variable):
        limits_from({variable: "soon"})
    with pytest.raises(PankgError, match=variable):
        limits_from({variable: "-3"})
