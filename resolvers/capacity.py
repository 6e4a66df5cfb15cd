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
- a lane's threads may be put in the network sandbox (:mod:`graph.sandbox`) when they start; they run below
  the event loop, and a job that runs long below the short ones (:mod:`resolvers.priority`);
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
from collections.abc import AsyncIterator, Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.requests import Request

from graph import sandbox
from graph.errors import PankgError, QueryTimeout
from resolvers.limits import ServerLimits
from resolvers.priority import DEMOTER, THREADS_OWN_PRIORITY, lower_priority, own_id

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
    HALF_LIFE = 30.0
    """Seconds over which an estimate nothing renews loses half its weight (:meth:`long_run`)."""

    def __init__(self) -> None:
        self.mean = 0.0
        self.deviation = 0.0
        self.last = 0.0
        self.inside = 0
        """Requests of this kind running now (a gate's kinds): one at a time may measure a kind that was slow."""
        self._seen = False
        self._lock = threading.Lock()

    def add(self, seconds: float) -> None:
        with self._lock:
            self.last = time.monotonic()
            if not self._seen:
                self.mean, self.deviation, self._seen = seconds, seconds / 2, True
                return
            self.deviation += self.BETA * (abs(seconds - self.mean) - self.deviation)
            self.mean += self.ALPHA * (seconds - self.mean)

    @property
    def measured(self) -> bool:
        return self._seen

    def long_run(self, faded: bool = True) -> float:
        """A long run of one more: mean + 2 deviations, fading (``faded``) with the time since the last one
        ended: an estimate that refuses every request of a kind is never renewed, so after a while one is let
        through to measure again."""
        if not self._seen:
            return 0.0
        fade = 0.5 ** ((time.monotonic() - self.last) / self.HALF_LIFE) if faded else 1.0
        return (self.mean + 2 * self.deviation) * fade

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
        initializer = _sandbox_thread if sandboxed else _background_thread
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
        watched = DEMOTER.start(own_id()) if THREADS_OWN_PRIORITY else None  # a long job yields to short ones
        try:
            return fn(*args)
        finally:
            self.service.add(time.monotonic() - started)
            if watched is not None and DEMOTER.end(watched):
                lower_priority()

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class Gate:
    """At most ``concurrent`` requests inside at once and ``queue`` more waiting their turn, on the event loop.

    For GraphQL: every request inside costs the event loop Python work (resolvers, results), so fifty at once
    left none of them enough of it and all answered late. Requests are reckoned by *kind* (the GraphQL view
    gives the names of a document's root fields): a look-up by PID takes milliseconds where a page of fifty
    datasets sorted over a million takes seconds. A request is refused at once (503) when the queue is full,
    when requests of its kind have lately taken longer than its time limit (:meth:`ServiceTime.long_run`), or
    when its wait for a place and its own run would end after its deadline; one that waits and does not get
    in by its deadline is :class:`ServerBusy` too. A request inside that runs out of time while others are
    inside or waiting is :class:`ServerBusy` too (the server was full: try again), and only one that had the
    server to itself is the client's timeout (ask for less). Waiters are plain futures of the loop they wait
    on, so one gate serves any loop (tests run each request in a loop of its own).
    """

    KINDS = 256
    """Kinds whose times are kept (the most recently seen)."""
    SLOW = 1.0
    """Seconds of a long run (:meth:`ServiceTime.long_run`) past which a kind is *slow* (a kind not measured yet
    is slow too, until its first request ends): slow requests may hold at most half the places, so that
    look-ups always find one (before, pages of fifty filled every place and
    a look-up by PID waited seconds behind them)."""

    CUT_RUN = 2.0
    """What a run cut at its deadline counts for, times its length: it would have taken longer, and a kind that
    is let through once its times have faded (:meth:`ServiceTime.long_run`) should not come back every half
    minute to take a place for its whole time limit."""

    def __init__(self, name: str, concurrent: int, queue: int) -> None:
        self.name, self.concurrent, self.queue = name, concurrent, queue
        self.slow_places = max(1, concurrent // 2)
        self.service = ServiceTime()
        self.kinds: collections.OrderedDict[Hashable, ServiceTime] = collections.OrderedDict()
        self._slow_inside = 0
        self._inside = 0
        self._waiters: collections.deque[tuple[asyncio.Future[None], bool]] = collections.deque()
        """Requests waiting for a place, first come first served: each its future and whether its kind is slow."""

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def crowded(self, inside: bool = True) -> bool:
        """True while another request is inside or any waits (``inside``: the caller holds a place itself): a
        request out of time now lost its time to load."""
        return self._inside > (1 if inside else 0) or bool(self._waiters)

    def kind(self, kind: Hashable | None) -> ServiceTime:
        """The times of requests of ``kind`` (all requests' when None)."""
        if kind is None:
            return self.service
        known = self.kinds.get(kind)
        if known is None:
            known = self.kinds[kind] = ServiceTime()
            while len(self.kinds) > self.KINDS:
                self.kinds.popitem(last=False)
        self.kinds.move_to_end(kind)
        return known

    def is_slow(self, kind: Hashable | None) -> bool:
        """True for a kind whose requests have lately taken longer than :data:`SLOW`, or that has not been
        measured yet (thirty aliases of a page of a hundred are a kind never seen before)."""
        if kind is None:
            return False
        times = self.kind(kind)
        return not times.measured or times.long_run() > self.SLOW

    @contextlib.asynccontextmanager
    async def enter(self, deadline: float, kind: Hashable | None = None,
                    wait_until: float | None = None) -> AsyncIterator[None]:
        """Hold a place inside until the block ends; raises :class:`ServerBusy` or :class:`DeadlineExceeded`.
        A request waits for its turn until ``wait_until`` at the latest (default: its deadline)."""
        times = self.kind(kind)
        own = times.long_run()
        slow_kind = self.is_slow(kind)
        if slow_kind and self._slow_inside >= self.slow_places:
            raise ServerBusy(f"the server is busy: {self._slow_inside} requests like this one (about "
                             f"{times.mean:.1f} s each lately) are running, the most at once; try again in a moment")
        # One at a time measures a kind that was too slow, or one not measured yet (at start, twenty pages of a
        # million datasets let in before the first had ended all ran out of time).
        unknown = times is not self.service and not times.measured
        slow = times.long_run(faded=False) > deadline - time.monotonic()
        if unknown and times.inside > 0:
            raise ServerBusy("the server is busy: a request like this one, the first of its kind, is running; its time "
                             "tells whether more may run at once; try again in a moment")
        if own > deadline - time.monotonic() or (slow and times.inside > 0):
            raise ServerBusy(f"the server is busy: requests like this one have taken about {times.mean:.0f} s "
                             "lately, longer than their time limit; ask for less (a smaller page), or try later")
        if self._inside < self.concurrent and not self._next_waiter():
            self._inside += 1
            self._slow_inside += slow_kind
        else:
            if len(self._waiters) >= self.queue:
                raise ServerBusy(f"the server is busy: {self.concurrent} {self.name} running and {self.queue} "
                                 "waiting; try again in a moment")
            if self.service.wait(len(self._waiters) + 1, self.concurrent) + own > deadline - time.monotonic():
                raise ServerBusy(f"the server is busy: {self.name} would not get to this within its time limit; "
                                 "try again in a moment")
            turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            waiter = (turn, slow_kind)
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(turn, max(0.0, (wait_until or deadline) - time.monotonic()))
            except BaseException as exc:  # out of time, or the client went away
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                elif turn.done() and not turn.cancelled():  # handed a place just as it gave up: pass it on
                    self._slow_inside -= slow_kind
                    self._leave()
                if not isinstance(exc, asyncio.TimeoutError):
                    raise
                raise ServerBusy(f"the server was too busy to take this within its time limit ({self._inside} "
                                 f"{self.name} running); try again in a moment") from None
        started = time.monotonic()
        times.inside += 1
        cut = False
        try:
            yield
        except (asyncio.TimeoutError, DeadlineExceeded):
            cut = True
            if self.crowded():  # out of time because others were served: the server was full
                raise ServerBusy(f"the server was too busy to answer this within its time limit ({self._inside} "
                                 f"{self.name} running, {len(self._waiters)} waiting); try again in a moment") from None
            raise
        finally:
            times.inside -= 1
            self._slow_inside -= slow_kind
            took = time.monotonic() - started
            self.service.add(took)
            if times is not self.service:  # a run cut at its deadline would have taken longer: reckoned at twice
                times.add(took * (self.CUT_RUN if cut else 1))
            self._leave()

    def _next_waiter(self) -> tuple[asyncio.Future[None], bool] | None:
        """The waiter a free place goes to: the first still waiting, slow ones passed over while the slow places
        are all taken."""
        for waiter in self._waiters:
            turn, slow = waiter
            if not turn.done() and not (slow and self._slow_inside >= self.slow_places):
                return waiter
        return None

    def _leave(self) -> None:
        """Hand the place to the first waiter still waiting (it stays taken), else free it. While the slow places
        are all taken, slow waiters are passed over: the place goes to the first fast one."""
        while (waiter := self._next_waiter()) is not None:
            self._waiters.remove(waiter)
            turn, slow = waiter
            try:
                turn.set_result(None)
            except RuntimeError:  # its loop is gone (a test that ended while it waited)
                continue
            self._slow_inside += slow
            return
        self._inside -= 1


def _background_thread() -> None:
    lower_priority()


def _sandbox_thread() -> None:
    lower_priority()
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
