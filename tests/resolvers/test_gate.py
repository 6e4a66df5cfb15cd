"""The gate of GraphQL requests (resolvers/capacity.py ``Gate``): how many run, who waits, who is refused at once,
and when a request out of time is the server's fault (503) or its own (504)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from resolvers.capacity import Lane, ServerBusy


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
