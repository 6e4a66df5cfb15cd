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
- a lane's threads may be put in the network sandbox (:mod:`graph.sandbox`) when they start.

The lanes of an app (``reads``, ``sparql``, ``writes``) are made once by :func:`install` and found with
:func:`lane`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
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


class Lane:
    """``threads`` workers, at most ``queue`` jobs waiting; see the module docstring."""

    def __init__(self, name: str, threads: int, queue: int, *, sandboxed: bool = False) -> None:
        self.name, self.threads, self.queue = name, threads, queue
        self.capacity = threads + queue
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

    def _admit(self) -> None:
        with self._lock:
            if self._pending >= self.capacity:
                raise ServerBusy(
                    f"the server is busy: {self.threads} {self.name} running and {self.queue} waiting; "
                    "try again in a moment"
                )
            self._pending += 1

    def _done(self, _: Future[Any]) -> None:
        with self._lock:
            self._pending -= 1

    async def run(self, fn: Callable[..., T], *args: Any, deadline: float, what: str = "the request") -> T:
        """``fn(*args)`` on a lane thread, answered by ``deadline`` (``time.monotonic()``) at the latest.

        Raises :class:`ServerBusy` when the lane is full and :class:`DeadlineExceeded` when the deadline
        passes first; ``fn``'s own exceptions come back as raised.
        """
        self._admit()
        try:
            future = self._executor.submit(_unless_late, fn, args, deadline, what)
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

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _sandbox_thread() -> None:
    try:
        sandbox.deny_network()
    except sandbox.SandboxUnavailable:
        pass


def _unless_late(fn: Callable[..., T], args: tuple[Any, ...], deadline: float, what: str) -> T:
    if time.monotonic() >= deadline:  # the caller has given up: do not start work nobody waits for
        raise DeadlineExceeded(f"{what} ran out of time before it started")
    return fn(*args)


def install(state: Any, limits: ServerLimits) -> None:
    """Make the app's lanes: ``reads`` (GraphQL, Linked Data, exports, home; sandboxed threads), ``sparql``
    (one thread per SPARQL worker process) and ``writes`` (updates and Graph Store writes, one at a time)."""
    state.limits = limits
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
