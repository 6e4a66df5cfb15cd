"""Lanes: a few threads with a bounded queue in front, so a full server says so at once instead of hanging.

oxigraph blocks the thread that calls it, and a query cannot be interrupted once it runs. Starlette's
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
- a lane's threads may be put in the network sandbox (:mod:`graph.query.sandbox`) when they start; they run below
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
import threading
import time
from collections.abc import AsyncIterator, Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.requests import Request

from graph.errors import PankgError, QueryTimeout
from graph.query import sandbox
from resolvers.limits import ServerLimits
from resolvers.priority import DEMOTER, THREADS_OWN_PRIORITY, lower_priority, own_id
from resolvers.service_time import ServiceTime
from resolvers.turn import Turn

T = TypeVar("T")


class ServerBusy(PankgError):
    """Every thread of a lane is busy and its queue is full: try again shortly. 503 with ``Retry-After``."""

    status = 503

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DeadlineExceeded(QueryTimeout):
    """The request's deadline passed while its job waited for a thread or ran."""


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

    async def run(self, fn: Callable[..., T], *args: Any, deadline: float, what: str = "the request",
                  ended: Callable[[], None] | None = None) -> T:
        """``fn(*args)`` on a lane thread, answered by ``deadline`` (``time.monotonic()``) at the latest.

        Raises :class:`ServerBusy` when the lane is full and :class:`DeadlineExceeded` when the deadline
        passes first; ``fn``'s own exceptions come back as raised. ``ended`` is called once when the job is
        over, which may be after the caller stopped waiting (from the lane's thread then).
        """
        try:
            self._admit(deadline)
        except BaseException:
            if ended is not None:
                ended()
            raise
        try:
            future = self._executor.submit(self._timed, fn, args, deadline, what)
        except BaseException:
            with self._lock:
                self._pending -= 1
            if ended is not None:
                ended()
            raise
        future.add_done_callback(self._done)
        if ended is not None:
            future.add_done_callback(lambda _: ended())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), max(0.0, deadline - time.monotonic()))
        except TimeoutError:  # asyncio's, since Python 3.11
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


def _composite(kind: Hashable | None) -> bool:
    """A kind made of parts with counts, ``((part, count), ...)``, more than one in all."""
    return (isinstance(kind, tuple)
            and all(isinstance(k, tuple) and len(k) == 2 and isinstance(k[1], int) for k in kind)
            and sum(k[1] for k in kind) > 1)


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
        self.admitted = 0
        """Requests that have passed the door (inside now, waiting, or done)."""
        self._waiters: collections.deque[tuple[asyncio.Future[None], bool]] = collections.deque()
        """Requests waiting for a place, first come first served: each its future and whether its kind is slow."""

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def crowded(self, inside: bool = True) -> bool:
        """True while another request is inside or any waits (``inside``: the caller holds a place itself)."""
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

    def own_time(self, kind: Hashable | None) -> tuple[float, bool]:
        """A long run of one more request of ``kind``, and whether it is known. A kind never seen whose parts
        are known (a kind given as ``((part, count), ...)``, each part known as the kind ``((part, 1),)``: the
        root fields of a GraphQL document) is reckoned as the sum of its parts: thirty aliases of a page that
        takes seconds are refused at once, without one of them taking a place for its whole time limit."""
        times = self.kind(kind)
        if times.measured or not _composite(kind):
            return times.long_run(), times.measured
        parts = [(self.kinds.get(((part, 1),)), count) for part, count in kind]  # type: ignore[union-attr]
        if all(known is not None and known.measured for known, _ in parts):
            return sum(known.long_run() * count for known, count in parts if known is not None), True
        return 0.0, False

    def is_slow(self, kind: Hashable | None) -> bool:
        """True for a kind whose requests have lately taken longer than :data:`SLOW`, or that is not known yet
        (:meth:`own_time`)."""
        if kind is None:
            return False
        own, known = self.own_time(kind)
        return not known or own > self.SLOW

    @contextlib.asynccontextmanager
    async def enter(self, deadline: float, kind: Hashable | None = None,
                    wait_until: float | None = None) -> AsyncIterator[Turn]:
        """Hold a place inside until the block ends; raises :class:`ServerBusy` or :class:`DeadlineExceeded`.
        A request waits for its turn until ``wait_until`` at the latest (default: its deadline). The
        :class:`Turn` it yields tells afterwards whether the request shared the server while it ran."""
        times = self.kind(kind)
        own, known = self.own_time(kind)
        slow_kind = kind is not None and (not known or own > self.SLOW)
        if own > deadline - time.monotonic():
            raise ServerBusy(f"the server is busy: by what requests like this one (or its parts) have taken lately, "
                             f"it could take up to about {own:.0f} s, longer than its time limit; ask for less "
                             "(a smaller page, fewer aliases), or try later")
        if slow_kind and self._slow_inside >= self.slow_places:
            raise ServerBusy(f"the server is busy: {self._slow_inside} requests like this one (about "
                             f"{own:.1f} s each lately) are running, the most at once; try again in a moment")
        # One at a time measures a kind that was too slow, or one not known yet (at start, twenty pages of a
        # million datasets let in before the first had ended all ran out of time).
        if kind is not None and not known and times.inside > 0:
            raise ServerBusy("the server is busy: a request like this one, the first of its kind, is running; its time "
                             "tells whether more may run at once; try again in a moment")
        if times.long_run(faded=False) > deadline - time.monotonic() and times.inside > 0:
            raise ServerBusy(f"the server is busy: requests like this one have taken about {times.mean:.0f} s "
                             "lately, longer than their time limit; ask for less (a smaller page), or try later")
        self.admitted += 1
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
            ticket: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            waiter = (ticket, slow_kind)
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(ticket, max(0.0, (wait_until or deadline) - time.monotonic()))
            except BaseException as exc:  # out of time, or the client went away
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                elif ticket.done() and not ticket.cancelled():  # handed a place just as it gave up: pass it on
                    self._slow_inside -= slow_kind
                    self._inside -= 1
                    self._fill()
                if not isinstance(exc, asyncio.TimeoutError):
                    raise
                raise ServerBusy(f"the server was too busy to take this within its time limit ({self._inside} "
                                 f"{self.name} running); try again in a moment") from None
        started = time.monotonic()
        times.inside += 1
        cut = False
        turn = Turn(self, self._inside > 1 or bool(self._waiters))
        try:
            yield turn
        except (TimeoutError, DeadlineExceeded):
            cut = True
            if turn.shared():  # out of time because others were served: the server was full
                raise ServerBusy(f"the server was too busy to answer this within its time limit ({self._inside} "
                                 f"{self.name} running, {len(self._waiters)} waiting); try again in a moment") from None
            raise
        finally:
            turn.inside = False
            times.inside -= 1
            took = time.monotonic() - started
            self.service.add(took)
            if times is not self.service:  # a run cut at its deadline would have taken longer: reckoned at twice
                times.add(took * (self.CUT_RUN if cut else 1))
            if slow_kind:  # its slow place stays taken while a store query it started still runs
                turn.when_idle(self._free_slow_place)
            self._inside -= 1
            self._fill()

    def _next_waiter(self) -> tuple[asyncio.Future[None], bool] | None:
        """The waiter a free place goes to: the first still waiting, slow ones passed over while the slow places
        are all taken."""
        for waiter in self._waiters:
            ticket, slow = waiter
            if not ticket.done() and not (slow and self._slow_inside >= self.slow_places):
                return waiter
        return None

    def _fill(self) -> None:
        """Hand free places to the first waiters that may take them (:meth:`_next_waiter`)."""
        while self._inside < self.concurrent and (waiter := self._next_waiter()) is not None:
            self._waiters.remove(waiter)
            ticket, slow = waiter
            try:
                ticket.set_result(None)
            except RuntimeError:  # its loop is gone (a test that ended while it waited)
                continue
            self._inside += 1
            self._slow_inside += slow

    def _free_slow_place(self) -> None:
        self._slow_inside -= 1
        self._fill()


def _background_thread() -> None:
    lower_priority()


def _sandbox_thread() -> None:
    lower_priority()
    with contextlib.suppress(sandbox.SandboxUnavailable):
        sandbox.deny_network()


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
