"""CPU priorities: store work runs below the event loop, and a long job below short ones until it ends.

On two cores one runaway SPARQL query took a core from every other caller for 30 s; these tests read the real
nice values of the lane threads and the worker processes while a long job runs and after it.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import httpx
import psutil
import pytest

from graph.store.embedded import GraphStore
from pankg.app import create_app
from resolvers.capacity import Lane
from resolvers.limits import ServerLimits
from resolvers.priority import BACKGROUND_NICE, LONG_NICE, RUNAWAY_NICE, Demoter, nice_of, own_id
from resolvers.sparql_limits import Limits
from tests.resolvers.test_sparql_limits import chain  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="threads have nice values of their own on Linux only")
LONG = "SELECT (COUNT(*) AS ?n) { VALUES ?k { 1 2 3 4 } ?a ?b ?c . ?d ?e ?f }"  # 36 million rows: seconds
SMALL = "ASK { <http://ex.org/n0> <http://ex.org/p> <http://ex.org/n1> }"


def test_a_long_job_drops_below_short_ones_and_comes_back() -> None:
    lane = Lane("test jobs", 1, 1)

    def long_job() -> tuple[int, bool]:
        start = nice_of(own_id())
        until = time.monotonic() + 10
        while time.monotonic() < until:  # busy, as a store query is, until the demoter has seen it
            if nice_of(own_id()) == LONG_NICE:
                return start, True
        return start, False

    async def run() -> None:
        start, demoted = await lane.run(long_job, deadline=time.monotonic() + 20)
        assert start == BACKGROUND_NICE and demoted
        assert await lane.run(lambda: nice_of(own_id()), deadline=time.monotonic() + 5) == BACKGROUND_NICE
        assert await lane.run(lambda: nice_of(own_id()), deadline=time.monotonic() + 5) == BACKGROUND_NICE

    try:
        asyncio.run(run())
    finally:
        lane.close()


def test_the_demoter_lowers_a_job_step_by_step_and_leaves_ended_ones_alone() -> None:
    demoter = Demoter(levels=((0.2, LONG_NICE), (0.6, RUNAWAY_NICE)))
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        short = demoter.start(sleeper.pid)
        assert demoter.end(short) is False
        time.sleep(0.4)
        assert nice_of(sleeper.pid) == 0  # ended before it was due: never touched
        long = demoter.start(sleeper.pid)
        time.sleep(0.4)
        assert nice_of(sleeper.pid) == LONG_NICE
        time.sleep(0.4)
        assert nice_of(sleeper.pid) == RUNAWAY_NICE and demoter.end(long) is True
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_long_sparql_query_runs_below_short_ones(chain: GraphStore) -> None:  # noqa: F811
    """While a query of seconds runs, its worker process is at nice 19 (SPARQL drops straight there after half a
    second) and short queries answer; after it, the worker is back at the background priority and serves the
    next query."""
    app = create_app(chain, limits=ServerLimits(sparql=Limits(timeout=30)))

    before = {p.pid for p in psutil.Process().children()}  # other tests' processes are not this app's workers

    def workers() -> list[psutil.Process]:
        return [p for p in psutil.Process().children() if p.pid not in before and p.is_running()]

    async def run() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pankg.test") as client:
            assert (await client.get("/sparql", params={"query": SMALL})).json()["boolean"] is True
            assert {w.nice() for w in workers()} == {BACKGROUND_NICE}
            long = asyncio.create_task(client.get("/sparql", params={"query": LONG}))
            seen: set[int] = set()
            while not long.done():
                seen |= {w.nice() for w in workers()}
                if RUNAWAY_NICE in seen:
                    small = await client.get("/sparql", params={"query": SMALL})
                    assert small.status_code == 200 and small.json()["boolean"] is True
                    break
                await asyncio.sleep(0.05)
            answer = await long
            assert answer.status_code == 200 and int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 0
            assert RUNAWAY_NICE in seen
            assert {w.nice() for w in workers()} == {BACKGROUND_NICE}

    asyncio.run(run())
