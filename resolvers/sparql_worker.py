"""Public SPARQL queries in worker processes that can be stopped: the time and memory limits of the endpoint.

oxigraph cannot interrupt a query once it runs, and a thread cannot be killed, so a query on the server's
own store could hold a core and gigabytes for minutes. Instead each query of ``/sparql`` goes to a worker
process (``multiprocessing``, *spawn*: no forked copy of the server's store or event loop) from a small pool:

- the worker opens the on-disk store **read only** (:class:`graph.store.view.ReadOnlyView`; the server keeps
  the one writable handle and its lock), and opens it again whenever the server's write version (``GraphStore.version``,
  bumped by every load, release and update) differs from the one its view was opened at, so it sees every
  write committed before the query started and pays the opening (about 3 ms) only after writes;
- while the query runs, its address space may grow by at most ``PANKG_QUERY_MEMORY`` MB (``RLIMIT_AS``, set
  after the store is open): an allocation past it fails and the worker dies (Rust aborts) or raises
  ``MemoryError``, which is answered 503 ``QueryOutOfMemory``;
- the server waits for the answer at most ``PANKG_QUERY_TIMEOUT`` seconds, then kills the worker (SIGKILL)
  and starts a replacement: 503 ``QueryTimeout``;
- the worker writes the answer itself and sends bytes back, counting them against ``PANKG_QUERY_MAX_BYTES``.

The dataset (which graphs the caller may see, from :meth:`GraphStore.reading`) crosses as it is: a
:class:`graph.query.dataset.Dataset` of plain IRI strings.
An in-memory store (``GraphStore()``, tests) has no directory a worker could open: its queries run on the
calling thread with only the result-size limit.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from graph.errors import PankgError, QueryError, QueryTimeout
from graph.query import sandbox
from graph.query.dataset import Dataset
from graph.store.embedded import GraphStore
from graph.store.view import ReadOnlyView, vanished
from resolvers.federation import refused_by_sandbox
from resolvers.priority import BACKGROUND_NICE, SPARQL_DEMOTER, set_nice
from resolvers.sparql_formats import Chooser
from resolvers.sparql_limits import Limits, QueryOutOfMemory

_SPAWN = multiprocessing.get_context("spawn")
Job = tuple[str, Dataset, str | None, str | None, int, int]
"""query, dataset, accept, format, max bytes, and the store's write version the dataset was read at."""


def run(store: GraphStore, sparql: str, dataset: Dataset, accept: str | None, wanted: str | None,
        limits: Limits, network: bool = False, deadline: float | None = None) -> tuple[bytes, str]:
    """Run ``sparql`` over ``dataset`` (of ``store.reading``) within ``limits``: ``(body, media)``.

    Call it inside the ``reading`` block, so the graphs it names stay in the store until the worker is done.
    Without ``network`` (what :func:`resolvers.federation.needs_network` decided) the query runs in the
    sandbox of :mod:`graph.query.sandbox`: an attempt to reach another server is :class:`ServiceRefused`. The
    worker is stopped at ``deadline`` (``time.monotonic()``; default: ``limits.timeout`` from now).
    """
    if store.path is None:
        if network:
            return _answer_here(store, sparql, dataset, accept, wanted, limits.max_bytes)
        return sandbox.offline(_answer_here, store, sparql, dataset, accept, wanted, limits.max_bytes)
    # A read-only open replays the writer's unflushed log: 45 ms after a load, 3 ms once it is flushed, and
    # a flush with nothing to write costs microseconds.
    store.flush()
    job: Job = (sparql, dataset, accept, wanted, limits.max_bytes, store.version)
    return pool_for(store.path, limits, network).run(job, deadline)


def _answer_here(store: GraphStore, sparql: str, dataset: Dataset, accept: str | None, wanted: str | None,
                 max_bytes: int) -> tuple[bytes, str]:
    """An in-memory store's query, on the calling thread (results are dropped where they were made)."""
    try:
        return store.answer(sparql, dataset, Chooser(accept, wanted), max_bytes)
    except QueryError as exc:
        raise refused_by_sandbox() if sandbox.network_refused(exc) else exc from None


# ---------------------------------------------------------------------------------------- the worker side


def _die_with_parent() -> None:
    """End when the server is gone, so that no orphan goes on computing an exploded query.

    An idle worker sees the pipe close; a busy one would not until its query ends, so a thread watches the
    parent. (Not ``PR_SET_PDEATHSIG``: it fires when the *thread* that started the worker ends, and the
    server starts workers from its thread pool, whose threads come and go.)
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="pankg-parent-watch", daemon=True).start()


def _address_space() -> int:
    """Bytes of address space this process has mapped now (Linux ``/proc``; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _cap_memory(extra: int) -> None:
    """Allow ``extra`` bytes of address space beyond what is mapped now (``extra`` 0: lift the cap).

    RocksDB reserves a large block cache when a store opens, so the cap is set after opening, per query:
    it bounds what the query itself allocates, not the fixed cost of Python and the store.
    """
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = resource.RLIM_INFINITY if extra == 0 else _address_space() + extra
    if hard != resource.RLIM_INFINITY:
        soft = hard if soft == resource.RLIM_INFINITY else min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


ATTEMPTS = 12


def _answer_job(path: str, job: Job, memory: int) -> tuple[bytes, str]:
    """Open the store read only and answer ``job``; again when the writer removed a file under the reader.

    A read-only view is not told when the writer compacts or drops graphs: a file it lists may be gone when
    it opens it (:func:`graph.store.view.vanished`). The writer never changes a registered graph, so opening
    again gives the same answer from the current files.
    """
    for attempt in range(ATTEMPTS):
        try:
            return _answer_once(path, job, memory)
        except (QueryError, OSError, RuntimeError) as exc:  # the engine reports a vanished file in either
            _VIEW.clear()  # open afresh next time
            if attempt == ATTEMPTS - 1 or not vanished(exc):
                raise
            time.sleep(min(0.05 * (attempt + 1), 0.3))
    raise AssertionError("unreachable")


_VIEW: dict[tuple[str, int], ReadOnlyView] = {}
"""The worker's read-only view of the store, kept while the server's write version is the one it was opened
at: opening costs about 3 ms a query, more than a small query itself (bench/sparql_endpoint.py). Any
committed write bumps the version, so the next query opens a view that sees it."""


def _view(path: str, version: int) -> ReadOnlyView:
    view = _VIEW.get((path, version))
    if view is None:
        _VIEW.clear()
        view = _VIEW[(path, version)] = ReadOnlyView(path)
    return view


def _answer_once(path: str, job: Job, memory: int) -> tuple[bytes, str]:
    sparql, dataset, accept, wanted, max_bytes, version = job
    view = _view(path, version)
    _cap_memory(memory)
    try:
        # Results are lazy: a vanished file may only show while they are written out, inside answer().
        return view.answer(sparql, dataset, Chooser(accept, wanted), max_bytes)
    except QueryError as exc:
        raise refused_by_sandbox() if sandbox.network_refused(exc) else exc from None
    finally:
        _cap_memory(0)


def serve(conn: Connection, path: str, memory_mb: int, network: bool = False) -> None:
    """The worker's loop: one job at a time until the server closes the pipe.

    Without ``network`` the worker first puts itself, all its threads, in the sandbox (:mod:`graph.query.sandbox`).
    """
    if not network:
        # Where it cannot, the server refuses from the parsed query what could reach the network (federation.py).
        with contextlib.suppress(sandbox.SandboxUnavailable):
            sandbox.deny_network(whole_process=True)
    set_nice(0, BACKGROUND_NICE)  # the server's event loop gets a core first: its answers are due at deadlines
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle; it will close the pipe
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", _answer_job(path, job, memory_mb * 1024 * 1024))
        except MemoryError:
            _VIEW.clear()
            reply = ("memory", None)
        except PankgError as exc:
            reply = ("error", exc)
        except Exception as exc:  # never let a query end the worker silently
            reply = ("error", QueryError(f"query failed: {exc}"))
        conn.send(reply)


# ---------------------------------------------------------------------------------------- the server side


class WorkerFailed(PankgError):
    """The worker ended for another reason than a limit; a fresh one takes the next query."""

    status = 500


class _Worker:
    def __init__(self, path: str, memory_mb: int, network: bool) -> None:
        self.conn, child = _SPAWN.Pipe()
        self.process: BaseProcess = _SPAWN.Process(target=serve, args=(child, path, memory_mb, network), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """At most ``limits.workers`` worker processes over one store directory; idle ones are reused.

    A worker that timed out or died is killed and replaced at once, so the next query does not pay the
    start-up (about 0.2 s of Python and oxigraph imports). Workers run below the event loop, and one whose
    query runs long below the others (:mod:`resolvers.priority`).
    """

    def __init__(self, path: str, limits: Limits, network: bool = False) -> None:
        self.path, self.limits, self.network = path, limits, network
        self._slots = threading.BoundedSemaphore(limits.workers)
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._closed = False

    def _take(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return _Worker(self.path, self.limits.memory_mb, self.network)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        if not self._closed:
            self._idle.put(_Worker(self.path, self.limits.memory_mb, self.network))

    def run(self, job: Job, deadline: float | None = None) -> tuple[bytes, str]:
        """Send ``job`` to a free worker and wait for its answer until ``deadline`` (default: the time limit from
        now); the wait for a free worker counts against it."""
        timeout = self.limits.timeout
        deadline = time.monotonic() + timeout if deadline is None else deadline
        if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise QueryTimeout(f"the endpoint was busy with other queries for {timeout:g} s; try again later")
        try:
            worker = self._take()
            try:
                worker.conn.send(job)
                watched = SPARQL_DEMOTER.start(worker.process.pid or 0)  # a long query yields the core to short ones
                try:
                    ready = worker.conn.poll(max(0.0, deadline - time.monotonic()))
                    reply = worker.conn.recv() if ready else None
                finally:
                    demoted = SPARQL_DEMOTER.end(watched)
            except (EOFError, OSError):
                worker.process.join(1)
                code = worker.process.exitcode
                self._replace(worker)
                if code not in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
                    raise WorkerFailed(f"the query's worker ended unexpectedly (exit status {code})") from None
                raise QueryOutOfMemory(  # Rust aborts when an allocation fails; the kernel's OOM killer uses SIGKILL
                    f"the query was stopped: it needed more than {self.limits.memory_mb:,} MB, the most a query "
                    "may take (its worker ended)"
                ) from None
            if reply is None:
                self._replace(worker)
                raise QueryTimeout(
                    f"the query was stopped after {timeout:g} s, the time limit of this endpoint; "
                    "narrow it (bind an end of a property path, add a LIMIT)"
                )
            if demoted and not set_nice(worker.process.pid or 0, BACKGROUND_NICE):
                self._replace(worker)  # it may not be raised again: a fresh worker, not one at nice 19
            else:
                self._idle.put(worker)
        finally:
            self._slots.release()
        kind, value = reply
        if kind == "ok":
            return value
        if kind == "memory":
            raise QueryOutOfMemory(
                f"the query was stopped: it needed more than {self.limits.memory_mb:,} MB, the most a query may take"
            )
        raise value

    def close(self) -> None:
        """Stop every idle worker (busy ones are killed by their timeout or when the server exits)."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


_POOLS: dict[tuple[str, Limits, bool], WorkerPool] = {}
_POOLS_LOCK = threading.Lock()


def pool_for(path: Path, limits: Limits, network: bool = False) -> WorkerPool:
    """The one pool of a store directory, set of limits and network (the workers of federated queries have
    it, all others are sandboxed); the limits are fixed when a worker starts."""
    key = (os.fspath(path.resolve()), limits, network)
    with _POOLS_LOCK:
        if key not in _POOLS:
            _POOLS[key] = WorkerPool(key[0], limits, network)
        return _POOLS[key]


def close_pools() -> None:
    """Stop all workers: for tests and benchmarks that open and drop many stores in one process."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()
