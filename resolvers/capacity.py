"""Lanes: a few threads with a bounded queue in front, so a full server says so at once instead of hanging.

pyoxigraph blocks the thread that calls it, and a query cannot be interrupted once it runs. Starlette's
shared thread pool (40 threads) let 50 clients queue without bound: every request waited, most past their
deadline, and the server went on for minutes with work nobody waited for. Instead each kind of store work
has its own :class:`Lane`:

- at most ``threads`` jobs run at once, and at most ``queue`` more wait; a job beyond that is refused at
  once with :class:`ServerBusy` (503 with ``Retry-After``), before any work;
- the wait counts against the request's deadline: the caller stops waiting at the deadline whatever the job
  is doing (an ``asyncio`` wait on the job's future, not on the thread), a job still queued then is
  cancelled, and a job whose deadline has passed when a thread picks it up is dropped unrun;
- a job that outlives its caller (a store query cannot be stopped) keeps its thread and counts as running
  until it ends, so the lane's capacity is the truth about what the machine is doing;
- a lane's threads may be put in the network sandbox (:mod:`graph.sandbox`) when they start;
- a job that, by the lane's recent service time (:class:`ServiceTime`), would not be done before its deadline
  (its wait and its own run) is refused at once too: a deliberate 503 is better than a timeout that kept the
  server busy.

GraphQL requests also pass a :class:`Gate` on the event loop, which bounds how many execute at once.

The lanes of an app (``reads``, ``sparql``, ``writes``) are made once by :func:`install` and found with
:func:`lane`.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import math
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.requests import Request

from graph import sandbox
from graph.errors import PankgError, QueryTimeout
from resolvers.limits import ServerLimits

T = TypeVar("T")


class ServerBusy(PankgError):
    """Every thread of a lane is busy and its queue is full: try again shortly. 503 with ``Retry-After``."""

    status = 503

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DeadlineExceeded(QueryTimeout):
    """The request's deadline passed while its job waited for a thread or ran."""


class ServiceTime:
    """How long a job (or request) has been taking lately: exponentially weighted mean and mean deviation.

    It tells a newcomer, before it waits, whether its answer would come before its deadline: when it would
    not, refusing it at once (503) is kinder than letting it time out, and costs the server nothing. Jobs
    differ (a lookup, a page of fifty), so the newcomer's own run is reckoned at mean + 2 deviations, as TCP
    reckons a round trip, and the wait for those ahead of it at the mean.
    """

    ALPHA, BETA = 0.2, 0.25

    def __init__(self) -> None:
        self.mean = 0.0
        self.deviation = 0.0
        self._seen = False
        self._lock = threading.Lock()

    def add(self, seconds: float) -> None:
        with self._lock:
            if not self._seen:
                self.mean, self.deviation, self._seen = seconds, seconds / 2, True
                return
            self.deviation += self.BETA * (abs(seconds - self.mean) - self.deviation)
            self.mean += self.ALPHA * (seconds - self.mean)

    def wait(self, ahead: int, servers: int) -> float:
        """The expected wait behind ``ahead`` jobs served ``servers`` at a time."""
        return math.ceil(max(0, ahead) / max(1, servers)) * self.mean

    def answer(self, ahead: int, servers: int) -> float:
        """When a newcomer behind ``ahead`` jobs may expect its answer: the wait, then a long run of its own."""
        return self.wait(ahead, servers) + self.mean + 2 * self.deviation


class Lane:
    """``threads`` workers, at most ``queue`` jobs waiting; see the module docstring."""

    def __init__(self, name: str, threads: int, queue: int, *, sandboxed: bool = False) -> None:
        self.name, self.threads, self.queue = name, threads, queue
        self.capacity = threads + queue
        self.service = ServiceTime()
        self._pending = 0
        self._lock = threading.Lock()
        initializer = _sandbox_thread if sandboxed else None
        self._executor = ThreadPoolExecutor(threads, f"pankg-{name}", initializer=initializer)

    @property
    def pending(self) -> int:
        """Jobs admitted and not yet ended (running or waiting)."""
        return self._pending

    def full(self) -> bool:
        return self._pending >= self.capacity

    def _admit(self, deadline: float) -> None:
        with self._lock:
            if self._pending >= self.capacity:
                raise ServerBusy(
                    f"the server is busy: {self.threads} {self.name} running and {self.queue} waiting; "
                    "try again in a moment"
                )
            ahead = self._pending - self.threads + 1
            if ahead > 0 and self.service.answer(ahead, self.threads) > deadline - time.monotonic():
                raise ServerBusy(f"the server is busy: {self.name} would not get to this within its time limit; "
                                 "try again in a moment")
            self._pending += 1

    def _done(self, _: Future[Any]) -> None:
        with self._lock:
            self._pending -= 1

    async def run(self, fn: Callable[..., T], *args: Any, deadline: float, what: str = "the request") -> T:
        """``fn(*args)`` on a lane thread, answered by ``deadline`` (``time.monotonic()``) at the latest.

        Raises :class:`ServerBusy` when the lane is full and :class:`DeadlineExceeded` when the deadline
        passes first; ``fn``'s own exceptions come back as raised.
        """
        self._admit(deadline)
        try:
            future = self._executor.submit(self._timed, fn, args, deadline, what)
        except BaseException:
            with self._lock:
                self._pending -= 1
            raise
        future.add_done_callback(self._done)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            future.cancel()  # still queued: never runs; running: its thread finishes, nobody waits
            raise DeadlineExceeded(f"{what} ran out of time") from None

    def _timed(self, fn: Callable[..., T], args: tuple[Any, ...], deadline: float, what: str) -> T:
        if time.monotonic() >= deadline:  # the caller has given up: do not start work nobody waits for
            raise DeadlineExceeded(f"{what} ran out of time before it started")
        started = time.monotonic()
        try:
            return fn(*args)
        finally:
            self.service.add(time.monotonic() - started)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class Gate:
    """At most ``concurrent`` requests inside at once and ``queue`` more waiting their turn, on the event loop.

    For GraphQL: every request inside costs the event loop Python work (resolvers, results), so fifty at once
    left none of them enough of it and all answered late. A request that finds the queue full, or that by
    the recent service time would not get in before its deadline, is refused at once (503); one that waits
    and does not get in by its deadline is :class:`DeadlineExceeded`. Waiters are plain futures of the loop
    they wait on, so one gate serves any loop (tests run each request in a loop of its own).
    """

    def __init__(self, name: str, concurrent: int, queue: int) -> None:
        self.name, self.concurrent, self.queue = name, concurrent, queue
        self.service = ServiceTime()
        self._inside = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    @contextlib.asynccontextmanager
    async def enter(self, deadline: float) -> AsyncIterator[None]:
        """Hold a place inside until the block ends; raises :class:`ServerBusy` or :class:`DeadlineExceeded`."""
        if self._inside < self.concurrent and not self._waiters:
            self._inside += 1
        else:
            if len(self._waiters) >= self.queue:
                raise ServerBusy(f"the server is busy: {self.concurrent} {self.name} running and {self.queue} "
                                 "waiting; try again in a moment")
            if self.service.answer(len(self._waiters) + 1, self.concurrent) > deadline - time.monotonic():
                raise ServerBusy(f"the server is busy: {self.name} would not get to this within its time limit; "
                                 "try again in a moment")
            turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(turn)
            try:
                await asyncio.wait_for(turn, max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                if turn in self._waiters:
                    self._waiters.remove(turn)
                raise DeadlineExceeded(f"{self.name}: no turn before the time limit") from None
        started = time.monotonic()
        try:
            yield
        finally:
            self.service.add(time.monotonic() - started)
            self._leave()

    def _leave(self) -> None:
        """Hand the place to the first waiter still waiting (it stays taken), else free it."""
        while self._waiters:
            turn = self._waiters.popleft()
            if turn.done():
                continue
            try:
                turn.set_result(None)
                return
            except RuntimeError:  # its loop is gone (a test that ended while it waited)
                continue
        self._inside -= 1


def _sandbox_thread() -> None:
    try:
        sandbox.deny_network()
    except sandbox.SandboxUnavailable:
        pass


def install(state: Any, limits: ServerLimits) -> None:
    """Make the app's lanes: ``reads`` (GraphQL, Linked Data, exports, home; sandboxed threads), ``sparql``
    (one thread per SPARQL worker process) and ``writes`` (updates and Graph Store writes, one at a time); and
    the gate of GraphQL requests."""
    state.limits = limits
    state.graphql_gate = Gate("GraphQL requests", limits.graphql_concurrency, limits.graphql_queue)
    state.lanes = {
        "reads": Lane("store reads", limits.read_threads, limits.read_queue, sandboxed=True),
        "sparql": Lane("SPARQL queries", limits.sparql.workers, limits.sparql_queue),
        "writes": Lane("writes", 1, limits.write_queue),
    }


def lane(request: Request, name: str) -> Lane:
    """The app's lane ``name``."""
    lanes: dict[str, Lane] = request.app.state.lanes
    return lanes[name]


def limits_of(request: Request) -> ServerLimits:
    limits: ServerLimits = request.app.state.limits
    return limits


async def read(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in the ``reads`` lane within the app's ``read_seconds`` (Linked Data, exports, home)."""
    deadline = time.monotonic() + limits_of(request).read_seconds
    return await lane(request, "reads").run(fn, *args, deadline=deadline)
