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

from graph.store import GraphStore
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
    real = store.query

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

    bomb = "{ " + " ".join(f"a{i}: datasets(first: 5) {{ totalCount }}" for i in range(30)) + " }"

    async def run() -> list[tuple[httpx.Response, int]]:
        answers = []
        times = app.state.graphql_gate.kind(read_document(bomb, None)[2])
        async with client(app) as http:
            for _ in range(2):
                most[0] = 0
                answers.append((await http.post("/graphql", json={"query": bomb}), most[0]))
                times.mean, times.deviation = 0.05, 0.0  # as if it had taken milliseconds (here it may not)
        return answers

    store.query = counted  # type: ignore[method-assign]
    try:
        (first, first_most), (second, second_most) = asyncio.run(run())
    finally:
        store.query = real  # type: ignore[method-assign]
    for got in (first, second):
        assert got.status_code == 200 and len(got.json()["data"]) == 30, got.text[:300]
    assert first_most == 1  # a kind never seen is reckoned slow until its first request ends: one at a time
    assert second_most == 2  # it takes milliseconds: two at a time


def test_the_gate_queues_sheds_and_keeps_deadlines() -> None:
    """GraphQL requests pass a gate: a few execute, some wait, the rest (or any that would not get in before its
    deadline, by the recent service time) are refused at once; one that waits in vain is told the server was full."""
    from resolvers.capacity import Gate

    async def run() -> None:
        gate = Gate("test requests", concurrent=1, queue=1)
        release = asyncio.Event()

        async def hold() -> None:
            async with gate.enter(time.monotonic() + 30):
                await release.wait()

        holder = asyncio.ensure_future(hold())
        await asyncio.sleep(0)
        waiter = asyncio.ensure_future(hold())
        await asyncio.sleep(0)
        assert gate.waiting == 1
        with pytest.raises(ServerBusy, match="busy"):  # the queue is full
            async with gate.enter(time.monotonic() + 30):
                pass
        release.set()
        await asyncio.gather(holder, waiter)  # the waiter got the place when the holder left

        gate.service.add(5.0)  # requests have been taking 5 s lately
        release.clear()
        holder = asyncio.ensure_future(hold())
        await asyncio.sleep(0)
        started = time.monotonic()
        with pytest.raises(ServerBusy, match="time limit"):  # its turn would come after its 1 s
            async with gate.enter(time.monotonic() + 1.0):
                pass
        assert time.monotonic() - started < 0.1
        gate.service.mean, gate.service.deviation = 0.05, 0.0
        with pytest.raises(ServerBusy, match="too busy"):  # admitted to wait, but the holder does not leave in time
            async with gate.enter(time.monotonic() + 0.3):
                pass
        release.set()
        await holder
        async with gate.enter(time.monotonic() + 1.0):  # the place is free again
            pass

    asyncio.run(run())


def test_the_gate_reckons_each_kind_by_its_own_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of fifty that took 12 s lately are refused at once, even with places free; a look-up by PID is let
    in; once nothing has renewed the pages' times for a while, one is let through to measure again."""
    from resolvers.capacity import Gate
    from resolvers.service_time import ServiceTime

    async def run() -> None:
        gate = Gate("test requests", concurrent=4, queue=4)
        gate.kind(("datasets",)).add(12.0)
        gate.kind(("dataset",)).add(0.05)
        with pytest.raises(ServerBusy, match="up to about 24 s"):  # mean 12 s + 2 deviations of 6 s
            async with gate.enter(time.monotonic() + 10, ("datasets",)):
                pass
        async with gate.enter(time.monotonic() + 10, ("dataset",)):
            pass
        monkeypatch.setattr(ServiceTime, "HALF_LIFE", 0.01)  # a long while without a page: ten half-lives
        await asyncio.sleep(0.1)
        async with gate.enter(time.monotonic() + 10, ("datasets",)):
            pass

    asyncio.run(run())


def test_a_document_is_parsed_once_and_known_by_its_root_fields() -> None:
    from resolvers.graphql.http import read_document

    document, is_query, kind = read_document("query Q { b: datasets(first: 2) { totalCount } dataset(pid: \"x\") { pid } }",
                                             None)
    assert document is not None and is_query and kind == (("dataset", 1), ("datasets", 1))
    bomb = "{ " + " ".join(f"a{i}: datasets(first: 100) {{ totalCount }}" for i in range(30)) + " dataset(pid: \"x\") { pid } }"
    assert read_document(bomb, None)[2] == (("dataset", 1), ("datasets", 30))
    assert read_document("{ not closed", None) == (None, True, None)


def test_out_of_time_in_a_full_gate_is_busy_alone_it_is_a_timeout() -> None:
    """Out of time while others were served: the server was full (503, try again). Alone: ask for less."""
    from resolvers.capacity import Gate

    async def run() -> None:
        gate = Gate("test requests", concurrent=2, queue=2)
        with pytest.raises(asyncio.TimeoutError):
            async with gate.enter(time.monotonic() + 5):
                await asyncio.wait_for(asyncio.sleep(1), 0.01)
        release = asyncio.Event()

        async def hold() -> None:
            async with gate.enter(time.monotonic() + 5):
                await release.wait()

        other = asyncio.ensure_future(hold())
        await asyncio.sleep(0)
        with pytest.raises(ServerBusy, match="too busy"):
            async with gate.enter(time.monotonic() + 5):
                await asyncio.wait_for(asyncio.sleep(1), 0.01)
        release.set()
        await other

    asyncio.run(run())


def test_slow_kinds_leave_places_for_look_ups() -> None:
    """Pages that take seconds hold at most half the places: with two of them inside a gate of four, a third page
    is refused at once while a look-up by PID still gets in."""
    from resolvers.capacity import Gate

    async def run() -> None:
        gate = Gate("test requests", concurrent=4, queue=4)
        gate.kind(("datasets",)).add(3.0)
        gate.kind(("dataset",)).add(0.02)
        assert gate.is_slow(("datasets",)) and not gate.is_slow(("dataset",))
        release = asyncio.Event()

        async def page() -> None:
            async with gate.enter(time.monotonic() + 10, ("datasets",)):
                await release.wait()

        pages = [asyncio.ensure_future(page()) for _ in range(2)]
        await asyncio.sleep(0)
        with pytest.raises(ServerBusy, match="requests like this one"):
            async with gate.enter(time.monotonic() + 10, ("datasets",)):
                pass
        async with gate.enter(time.monotonic() + 10, ("dataset",)):
            pass
        release.set()
        await asyncio.gather(*pages)
        async with gate.enter(time.monotonic() + 10, ("datasets",)):  # the slow places are free again
            pass

    asyncio.run(run())


def test_a_waiting_look_up_passes_pages_waiting_for_a_slow_place() -> None:
    """Every place taken, one by a page: two pages and then a look-up wait. The first place to free goes to the
    first page; the next, while two pages are inside, to the look-up (a third page would take the last place
    look-ups have); once a page leaves, the second page gets in."""
    from resolvers.capacity import Gate

    async def run() -> None:
        gate = Gate("test requests", concurrent=4, queue=4)
        gate.kind(("datasets",)).add(3.0)
        gate.kind(("dataset",)).add(0.02)
        order: list[str] = []
        names = ("page1", "look1", "look2", "look4", "page2", "page3", "look3")
        releases = {name: asyncio.Event() for name in names}

        async def hold(name: str) -> None:
            async with gate.enter(time.monotonic() + 10, ("datasets",) if name.startswith("page") else ("dataset",)):
                order.append(name)
                await releases[name].wait()

        tasks = []
        for name in names:
            tasks.append(asyncio.ensure_future(hold(name)))
            await asyncio.sleep(0)
        assert order == ["page1", "look1", "look2", "look4"] and gate.waiting == 3
        releases["look1"].set()
        await asyncio.sleep(0.01)
        assert order[-1] == "page2" and gate.waiting == 2
        releases["look2"].set()
        await asyncio.sleep(0.01)
        assert order[-1] == "look3" and gate.waiting == 1
        releases["page1"].set()
        await asyncio.sleep(0.01)
        assert order[-1] == "page3" and gate.waiting == 0
        for event in releases.values():
            event.set()
        await asyncio.gather(*tasks)
        async with gate.enter(time.monotonic() + 10, ("datasets",)):  # every place given back
            assert gate.crowded() is False

    asyncio.run(asyncio.wait_for(run(), 10))


def test_a_waiter_that_goes_away_leaves_no_trace() -> None:
    """A client that disconnects while it waits frees its spot in the queue."""
    from resolvers.capacity import Gate

    async def run() -> None:
        gate = Gate("test requests", concurrent=1, queue=1)
        release = asyncio.Event()

        async def hold() -> None:
            async with gate.enter(time.monotonic() + 10):
                await release.wait()

        holder = asyncio.ensure_future(hold())
        await asyncio.sleep(0)
        gone = asyncio.ensure_future(hold())
        await asyncio.sleep(0)
        assert gate.waiting == 1
        gone.cancel()
        await asyncio.gather(gone, return_exceptions=True)
        assert gate.waiting == 0
        waiter = asyncio.ensure_future(hold())  # the queue has room again
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(holder, waiter)

    asyncio.run(asyncio.wait_for(run(), 10))


def test_a_kind_never_seen_goes_one_at_a_time_and_a_cut_run_counts_double() -> None:
    """Thirty aliases of a page of a hundred are a kind never seen: one is let in to measure it, a second is
    refused meanwhile; cut at its deadline, it counts for twice its time."""
    from resolvers.capacity import Gate

    async def run() -> None:
        gate = Gate("test requests", concurrent=4, queue=4)
        bomb = ("datasets",) * 8 + ("+22",)
        release = asyncio.Event()

        async def measure() -> None:
            async with gate.enter(time.monotonic() + 10, bomb):
                await asyncio.wait_for(release.wait(), 0.2)  # its deadline, as the view would cut it

        first = asyncio.ensure_future(measure())
        await asyncio.sleep(0)
        assert gate.is_slow(bomb)  # not measured yet: it takes a slow place
        with pytest.raises(ServerBusy, match="the first of its kind"):
            async with gate.enter(time.monotonic() + 10, bomb):
                pass
        with pytest.raises(asyncio.TimeoutError):
            await first
        assert gate.kind(bomb).mean == pytest.approx(0.4, abs=0.05)

    asyncio.run(asyncio.wait_for(run(), 10))


def test_out_of_time_after_sharing_the_server_is_busy_even_if_alone_at_the_end() -> None:
    """A page alone when it entered, joined by a look-up that has left by the page's deadline, still lost time
    to it: 503 (try again), not the timeout that tells the client to ask for less."""
    from resolvers.capacity import Gate

    async def run() -> None:
        gate = Gate("test requests", concurrent=2, queue=2)
        gate.kind(("dataset",)).add(0.01)

        async def look_up() -> None:
            async with gate.enter(time.monotonic() + 5, ("dataset",)):
                await asyncio.sleep(0.01)

        with pytest.raises(ServerBusy, match="too busy"):
            async with gate.enter(time.monotonic() + 5, ("datasets",)) as turn:
                assert not turn.shared()
                await look_up()  # comes and goes while the page runs
                assert not gate.crowded() and turn.shared()
                await asyncio.wait_for(asyncio.sleep(1), 0.01)

    asyncio.run(asyncio.wait_for(run(), 10))


def test_a_slow_place_is_held_until_the_query_a_cut_request_left_running_ends() -> None:
    """A page cut at its deadline leaves its store query running (it cannot be stopped): its slow place stays
    taken until that query ends, so orphaned queries cannot fill the lane that look-ups need."""
    from resolvers.capacity import Gate

    blocker = threading.Event()
    lane = Lane("test reads", 2, 2)

    async def run() -> None:
        gate = Gate("test requests", concurrent=2, queue=2)  # one slow place
        page = ("datasets",)
        gate.kind(page).add(3.0)  # pages have been taking seconds
        gate.kind(("dataset",)).add(0.01)
        with pytest.raises(asyncio.TimeoutError):
            async with gate.enter(time.monotonic() + 10, page) as turn:
                await asyncio.wait_for(lane.run(blocker.wait, 5, deadline=time.monotonic() + 10, ended=turn.job()),
                                       0.05)
        assert not gate.crowded(inside=False) and turn.jobs == 1
        with pytest.raises(ServerBusy, match="requests like this one"):
            async with gate.enter(time.monotonic() + 10, page):
                pass
        async with gate.enter(time.monotonic() + 10, ("dataset",)):  # a look-up is not held up
            pass
        blocker.set()
        for _ in range(100):
            if turn.jobs == 0:
                break
            await asyncio.sleep(0.01)
        async with gate.enter(time.monotonic() + 10, page):  # the query ended: the slow place is free
            pass

    try:
        asyncio.run(asyncio.wait_for(run(), 10))
    finally:
        blocker.set()
        lane.close()


def test_a_document_never_seen_is_reckoned_by_its_fields() -> None:
    """Thirty aliases of a page that has taken 1.5 s lately would take about 45 s: refused at once, asking for
    less, with every place free; three look-ups of 20 ms in one document are let in as a fast kind."""
    from resolvers.capacity import Gate

    async def run() -> None:
        gate = Gate("test requests", concurrent=4, queue=4)
        gate.kind((("datasets", 1),)).add(1.5)
        gate.kind((("dataset", 1),)).add(0.02)
        with pytest.raises(ServerBusy, match="ask for less"):
            async with gate.enter(time.monotonic() + 10, (("datasets", 30),)):
                pass
        assert not gate.is_slow((("dataset", 3),)) and gate.is_slow((("dataset", 1), ("datasets", 1)))
        async with gate.enter(time.monotonic() + 10, (("dataset", 3),)):
            pass

    asyncio.run(asyncio.wait_for(run(), 10))
