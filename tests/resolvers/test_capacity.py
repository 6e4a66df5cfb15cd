"""Degrading gracefully: bounded lanes, 503 with Retry-After when full, deadlines kept, bodies bounded, no blocked loop.

The lanes are real thread pools; a test fills one with jobs that wait on an event it sets at the end, so
"the server is full" is a state the test makes, not a race it hopes for.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from graph.store.embedded import GraphStore
from pankg.app import create_app
from resolvers.capacity import DeadlineExceeded, Lane, ServerBusy
from resolvers.limits import ServerLimits
from resolvers.sparql_limits import Limits

TINY = {"query": "{ __typename }"}
ASK = {"query": "ASK { ?s ?p ?o }"}


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Set at the end of a test: every job blocked on it ends, so no thread outlives the test."""
    event = threading.Event()
    yield event
    event.set()


def block(lane: Lane, gate: threading.Event, jobs: int) -> list[asyncio.Task[Any]]:
    """Start ``jobs`` jobs on ``lane`` that hold their thread (or queue place) until ``gate`` is set."""
    return [asyncio.ensure_future(lane.run(gate.wait, 30, deadline=time.monotonic() + 60)) for _ in range(jobs)]


async def settle(lane: Lane, pending: int) -> None:
    for _ in range(200):
        if lane.pending == pending:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{lane.name}: {lane.pending} pending, expected {pending}")


def app_with(**limits: Any) -> Any:
    return create_app(GraphStore(), limits=ServerLimits(**limits))


def client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pankg.test")


# ---------------------------------------------------------------------------------------- the lane itself


def test_a_full_lane_refuses_at_once_and_frees_its_places(gate: threading.Event) -> None:
    async def run() -> None:
        lane = Lane("test", threads=1, queue=1)
        held = block(lane, gate, 2)  # one runs, one waits
        await settle(lane, 2)
        started = time.monotonic()
        with pytest.raises(ServerBusy) as refused:
            await lane.run(sum, [1], deadline=time.monotonic() + 10)
        assert time.monotonic() - started < 0.5 and refused.value.retry_after >= 1
        gate.set()
        assert await asyncio.gather(*held) == [True, True]
        await settle(lane, 0)
        assert await lane.run(sum, [1, 2], deadline=time.monotonic() + 10) == 3
        lane.close()

    asyncio.run(run())


def test_the_wait_counts_against_the_deadline_and_late_work_never_starts(gate: threading.Event) -> None:
    async def run() -> None:
        lane = Lane("test", threads=1, queue=4)
        held = block(lane, gate, 1)
        await settle(lane, 1)
        ran: list[str] = []
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            await lane.run(ran.append, "late", deadline=time.monotonic() + 0.3)
        assert 0.25 < time.monotonic() - started < 1.5  # answered at its deadline, not when the thread frees
        gate.set()
        await asyncio.gather(*held)
        await settle(lane, 0)
        assert ran == []  # nobody waited for it any more: it never ran
        lane.close()

    asyncio.run(run())


# ---------------------------------------------------------------------------------------- over HTTP


def test_graphql_answers_503_with_retry_after_when_full(gate: threading.Event) -> None:
    app = app_with(read_threads=1, read_queue=0)

    async def run() -> None:
        held = block(app.state.lanes["reads"], gate, 1)
        await settle(app.state.lanes["reads"], 1)
        async with client(app) as http:
            started = time.monotonic()
            got = await http.post("/graphql", json=TINY, headers={"accept": "application/graphql-response+json"})
            assert got.status_code == 503 and int(got.headers["retry-after"]) >= 1, got.text
            assert time.monotonic() - started < 1.0 and "busy" in got.json()["errors"][0]["message"]
            gate.set()
            await asyncio.gather(*held)
            await settle(app.state.lanes["reads"], 0)
            assert (await http.post("/graphql", json=TINY)).json() == {"data": {"__typename": "Query"}}

    asyncio.run(run())


def test_graphql_answers_by_its_deadline_when_its_work_waits(gate: threading.Event) -> None:
    """The promised time (PANKG_GRAPHQL_TIMEOUT) is the time the client gets, queue wait included."""
    app = app_with(read_threads=1, read_queue=8, graphql_seconds=0.5)

    async def run() -> None:
        held = block(app.state.lanes["reads"], gate, 1)
        await settle(app.state.lanes["reads"], 1)
        async with client(app) as http:
            started = time.monotonic()
            got = await http.post("/graphql", json={"query": "{ datasets(first: 2) { totalCount } }"},
                                  headers={"accept": "application/graphql-response+json"})
            took = time.monotonic() - started
        assert got.status_code in (400, 504), got.text  # out of time while parsing (400) or executing (504)
        assert "ran out of time" in got.text and took < 0.5 + 1.0
        gate.set()
        await asyncio.gather(*held)

    asyncio.run(run())


def test_sparql_and_linked_data_answer_503_when_full(gate: threading.Event) -> None:
    app = app_with(sparql=Limits(workers=1), sparql_queue=0, read_threads=1, read_queue=0)

    async def run() -> None:
        held = block(app.state.lanes["sparql"], gate, 1) + block(app.state.lanes["reads"], gate, 1)
        await settle(app.state.lanes["sparql"], 1)
        await settle(app.state.lanes["reads"], 1)
        async with client(app) as http:
            for path, params in (("/sparql", ASK), ("/id/dataset/x", {}), ("/api/stats", {})):
                got = await http.get(path, params=params)
                assert got.status_code == 503 and got.headers["retry-after"], (path, got.text)
                assert got.json()["error"]["type"] == "ServerBusy"
            gate.set()
            await asyncio.gather(*held)
            await settle(app.state.lanes["sparql"], 0)
            assert (await http.get("/sparql", params=ASK)).status_code == 200

    asyncio.run(run())


def test_a_sparql_query_waiting_for_a_worker_gets_its_timeout_in_time(gate: threading.Event) -> None:
    app = app_with(sparql=Limits(timeout=0.5, workers=1), sparql_queue=4)

    async def run() -> None:
        held = block(app.state.lanes["sparql"], gate, 1)
        await settle(app.state.lanes["sparql"], 1)
        async with client(app) as http:
            started = time.monotonic()
            got = await http.get("/sparql", params=ASK)
            took = time.monotonic() - started
        assert got.status_code == 503 and got.json()["error"]["type"] in ("QueryTimeout", "DeadlineExceeded")
        assert took < 0.5 + 1.0 + 1.0  # the limit, the lane's second of grace, slack
        gate.set()
        await asyncio.gather(*held)

    asyncio.run(run())


# ---------------------------------------------------------------------------------------- GraphQL documents


def test_graphql_bodies_are_bounded() -> None:
    app = app_with(graphql_body=10_000)

    async def run() -> None:
        async with client(app) as http:
            big = {"query": "{ __typename }", "variables": {"x": "y" * 20_000}}
            got = await http.post("/graphql", json=big)
            assert got.status_code == 413 and "10,000" in got.text
            got = await http.get("/graphql", params={"query": "{ __typename }" + " " * 20_000})
            assert got.status_code == 413
            assert (await http.post("/graphql", json=TINY)).status_code == 200

    asyncio.run(run())


def test_a_large_document_does_not_hold_the_event_loop() -> None:
    """Parsing a document of comments took the loop for seconds; now a small request overtakes it."""
    app = app_with()
    document = "#" + "x" * 990_000 + "\n{ __typename }"

    async def run() -> None:
        async with client(app) as http:
            finished: list[str] = []

            async def send(name: str, body: dict[str, str]) -> None:
                got = await http.post("/graphql", json=body)
                assert got.status_code == 200, got.text
                finished.append(name)

            big = asyncio.ensure_future(send("big", {"query": document}))
            await asyncio.sleep(0.02)
            await send("small", TINY)
            await big
            assert finished == ["small", "big"]

    asyncio.run(run())


def test_a_document_seen_lately_is_parsed_and_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same document with other variables (a page walked with cursors, or one alias bomb fifty times a
    second) costs no second parse or validation; an invalid one keeps its errors; a long one is not kept."""
    from resolvers.graphql import http as graphql_http
    from resolvers.graphql import safety

    calls = {"parse": 0, "validate": 0}
    real_read, real_validate = graphql_http.read_document, safety.validate_checked

    def read(*args: Any) -> Any:
        calls["parse"] += 1
        return real_read(*args)

    def validate(*args: Any) -> Any:
        calls["validate"] += 1
        return real_validate(*args)

    monkeypatch.setattr(graphql_http, "read_document", read)
    monkeypatch.setattr(safety, "validate_checked", validate)
    query = "query($n: Int) { datasets(first: $n) { totalCount } }"
    wrong = "{ datasets { noSuchField } }"
    long = "{ __typename }" + " " * 30_000

    async def run() -> list[httpx.Response]:
        async with client(app_with()) as http:
            return [await http.post("/graphql", json={"query": q, "variables": v})
                    for q, v in [(query, {"n": 1}), (query, {"n": 2}), (wrong, {}), (wrong, {}), (long, {}), (long, {})]]

    answers = asyncio.run(run())
    assert [a.status_code for a in answers] == [200, 200, 400, 400, 200, 200]
    assert all("errors" not in a.json() for a in answers[:2])
    assert all("noSuchField" in a.json()["errors"][0]["message"] for a in answers[2:4])
    assert calls == {"parse": 4, "validate": 4}  # once each for the two kept, twice for the long one


@pytest.mark.parametrize(("fields", "status"), [(400, 200), (900, 400)])
def test_too_many_fields_is_a_clear_error(fields: int, status: int) -> None:
    async def run() -> httpx.Response:
        async with client(app_with()) as http:
            query = "{ " + " ".join(["__typename"] * fields) + " }"
            return await http.post("/graphql", json={"query": query},
                                   headers={"accept": "application/graphql-response+json"})

    got = asyncio.run(run())
    assert got.status_code == status, got.text
    if status == 400:
        assert "900 fields" in got.json()["errors"][0]["message"]


@pytest.mark.parametrize("query", [
    '{ datasets(filter: {parameters: [{name: "photon_energy", min: 1, unit: "keV\\" } #"}]}) { totalCount } }',
    '{ datasets(filter: {parameters: [{name: "photon_energy", min: 1, unit: "1/0"}]}) { totalCount } }',
    '{ datasets(after: "cGFua2c6djE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5") { totalCount } }',
])
def test_bad_units_and_cursors_are_the_clients_errors(query: str) -> None:
    async def run() -> httpx.Response:
        async with client(app_with()) as http:
            return await http.post("/graphql", json={"query": query})

    got = asyncio.run(run())
    message = got.json()["errors"][0]["message"]
    assert "internal error" not in message and ("unit" in message or "cursor" in message), message


def test_one_request_takes_at_most_two_threads(demo_store: tuple[GraphStore, Any]) -> None:
    """Thirty aliased pages in one document go two by two (one by one while their kind is slow or unknown): an
    alias bomb cannot take every reading thread."""
    from resolvers.graphql.http import read_document

    store = demo_store[0]
    app = create_app(store, limits=ServerLimits(read_threads=8))
    running, most, lock = [0], [0], threading.Lock()
    real = store.values  # what the GraphQL resolvers query the store with

    def counted(*args: Any, **kwargs: Any) -> Any:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.01)  # long enough for the others to start if they were allowed to
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    # Each alias names a facility by a name: 30 look-ups of the graph (the pages then are one index job).
    bomb = "{ " + " ".join(f'a{i}: datasets(first: 5, filter: {{facility: "F{i}"}}) {{ totalCount }}'
                           for i in range(30)) + " }"

    async def run() -> list[tuple[httpx.Response, int]]:
        answers = []
        times = app.state.graphql_gate.kind(read_document(bomb, None)[2])
        async with client(app) as http:
            for _ in range(2):
                most[0] = 0
                answers.append((await http.post("/graphql", json={"query": bomb}), most[0]))
                times.mean, times.deviation = 0.05, 0.0  # as if it had taken milliseconds (here it may not)
        return answers

    store.values = counted  # type: ignore[method-assign]
    try:
        (first, first_most), (second, second_most) = asyncio.run(run())
    finally:
        store.values = real  # type: ignore[method-assign]
    for got in (first, second):
        assert got.status_code == 200 and len(got.json()["data"]) == 30, got.text[:300]
    assert first_most == 1  # a kind never seen is reckoned slow until its first request ends: one at a time
    assert second_most == 2  # it takes milliseconds: two at a time


def test_a_document_is_parsed_once_and_known_by_its_root_fields() -> None:
    from resolvers.graphql.http import read_document

    document, is_query, kind = read_document("query Q { b: datasets(first: 2) { totalCount } dataset(pid: \"x\") { pid } }",
                                             None)
    assert document is not None and is_query and kind == (("dataset", 1), ("datasets", 1))
    bomb = "{ " + " ".join(f"a{i}: datasets(first: 100) {{ totalCount }}" for i in range(30)) + " dataset(pid: \"x\") { pid } }"
    assert read_document(bomb, None)[2] == (("dataset", 1), ("datasets", 30))
    assert read_document("{ not closed", None) == (None, True, None)
