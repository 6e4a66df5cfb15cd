"""Dropping the graphs that no source holds any more (a swap's old generation, a failed stage, a crashed load's
leftovers) in bounded transactions, on a background thread when there is much of it, so that neither opening
the store nor a load waits for it.

Why not ``Store.remove_graph``: oxigraph deletes a quad for 25-50 µs, several times what bulk-loading it
costs, and ``remove_graph`` (like SPARQL ``DROP GRAPH`` and ``clear_graph``) deletes a graph in one
transaction whose cost per quad grows with its size: 24 µs a quad at 10,000 quads, 43 at 100,000, 81 at
1,000,000 (measured while this module was written). Dropping what a load killed at 100,000 datasets left
behind, one graph at a time when the store was opened, kept the store locked for 78-499 s (issue 12). Here:

- several small graphs go in one transaction (``DROP SILENT GRAPH`` steps, up to ``DROP_CHUNK`` quads);
- a large graph goes a batch of subjects at a time (``VALUES ?s``: one seek per subject, where a
  ``LIMIT`` would rescan the tombstones of the chunks before it), about ``DROP_CHUNK`` quads a transaction,
  so stopping waits for one transaction at most;
- if the garbage is small (one transaction in all), the caller drops it at once; otherwise the thread does.

Nothing reads a garbage graph: a scope lists registered graphs only, the union fast path stays off while
garbage is pending (``GraphStore._clean``), and a retired graph waits here until the readers that started
before its swap are done. Nothing writes one either: a new stage is numbered past every generation in the
store (:func:`graph.store.registry.graph_generation`). So the collector deletes without the store's write lock,
beside a running load. A kill at any moment leaves unregistered graphs, which the next open lists again.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
import weakref
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from graph.store import faults
from graph.store.readers import ReaderEpochs

DROP_CHUNK = 10_000
"""Quads per delete transaction: about half a second of work, the longest ``close()`` waits for the thread
to stop. Larger ones were no faster per quad (25-28 µs a quad at 5,000, 20,000 and 50,000)."""
FLUSH_QUADS = 200_000
"""Quads deleted between two flushes of the store's in-memory tables (:meth:`Collector._commit`)."""
NICE = 10
"""The collector thread's nice value (Linux): it gets a core when queries and loads leave one idle."""

_running: weakref.WeakSet[Collector] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    """A store nobody closed must not be torn down under its collector's transaction at interpreter exit."""
    for collector in list(_running):
        collector.stop()


def strays(store: ox.Store, ours: str, keep: set[str]) -> list[str]:
    """The named graphs under ``ours`` (``<base>graph/``) that are not in ``keep``: a read of the graph names,
    not of the quads, so it costs milliseconds whatever the leftovers hold."""
    return [g.value for g in store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value.startswith(ours) and g.value not in keep]


class Collector:
    """The garbage of one store: graphs that no source holds, each dropped once the readers that could
    still see it are done."""

    def __init__(self, store: ox.Store, epochs: ReaderEpochs, emptied: Callable[[], None]) -> None:
        self._store: ox.Store | None = store
        self._epochs = epochs
        self._emptied = emptied  # called (on the thread) when the last pending graph is gone
        self._lock = threading.Lock()
        self._pending: dict[str, int] = {}  # graph -> the epoch whose older readers must finish first
        self._sizes: dict[str, int] = {}  # quads per graph, where the caller knew them (a swap's old graphs)
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._unflushed = 0  # quads deleted by the thread since its last flush
        self.error: BaseException | None = None
        """What stopped the thread, if anything failed: the garbage stays (invisible) for the next open."""

    def pending(self) -> bool:
        with self._lock:
            return bool(self._pending)

    def add(self, graphs: Iterable[str], epoch: int = 0, sizes: dict[str, int] | None = None) -> None:
        """Queue ``graphs``; they are dropped once no reader of an epoch before ``epoch`` runs. ``sizes``:
        their quads, if known (spares a count when deciding whether to drop them at once)."""
        with self._lock:
            for graph in graphs:
                self._pending[graph] = max(epoch, self._pending.get(graph, 0))
            self._sizes.update(sizes or {})

    def collect(self) -> None:
        """Drop the pending garbage: here and now if it is ready and fits in one transaction, else on the
        background thread (started if it is not running)."""
        with self._lock:
            if not self._pending or self._thread is not None or self._store is None:
                return
            ready = self._ready_locked()
            known = [self._sizes.get(g) for g in ready]
            total = sum(n for n in known if n is not None) if None not in known else _count(
                self._store, ready, DROP_CHUNK + 1)
            if len(ready) < len(self._pending) or total > DROP_CHUNK:
                self._start_locked()
                return
            self._store.update(_drop_graphs(ready))
            faults.reached("drop")
            for graph in ready:
                del self._pending[graph]
                self._sizes.pop(graph, None)

    def wait(self) -> None:
        """Block until the thread has dropped everything pending (or failed, or was stopped)."""
        while True:
            with self._lock:
                thread = self._thread
            if thread is None:
                return
            thread.join(0.2)

    def stop(self) -> None:
        """Stop the thread after its current transaction and let go of the store (the store is closing)."""
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._store = None

    # ------------------------------------------------------------------ the thread

    def _start_locked(self) -> None:
        self._thread = threading.Thread(target=self._run, name="pankg-collector", daemon=True)
        _running.add(self)
        self._thread.start()

    def _ready_locked(self) -> list[str]:
        oldest = self._epochs.oldest()
        return [g for g, epoch in self._pending.items() if oldest is None or oldest >= epoch]

    def _run(self) -> None:
        emptied = False
        try:
            # Behind every query and load for the CPU (Linux: a thread has its own nice value; elsewhere
            # the call fails and is ignored): the garbage is invisible, dropping it can wait.
            with contextlib.suppress(AttributeError, OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
            while not self._stop.is_set():
                with self._lock:
                    if not self._pending:
                        self._thread = None  # in the same breath: a graph added from now on starts a new thread
                        emptied = True
                        break
                    ready = self._ready_locked()
                if ready:
                    self._drop(ready)
                else:
                    self._stop.wait(0.05)  # readers that started before the swap are still running
        except Exception as exc:  # a background job: the garbage stays invisible, the next open tries again
            self.error = exc
        finally:
            with self._lock:
                if self._thread is threading.current_thread():
                    self._thread = None
            _running.discard(self)
        if emptied:
            self._emptied()

    def _drop(self, ready: list[str]) -> None:
        """Every step is one short transaction or a bounded count, so that ``stop()`` waits for one at most
        (a ``GROUP BY`` over a large graph's quads took seconds before its first row at 100,000 datasets)."""
        assert self._store is not None
        small: list[str] = []
        total = 0
        for graph in ready:
            if self._stop.is_set():
                return
            size = self._sizes.get(graph)
            if size is None:
                size = _count(self._store, [graph], DROP_CHUNK + 1)
            if size > DROP_CHUNK:
                if not self._drop_large(graph):
                    return
                self._done([graph])
                continue
            if total + size > DROP_CHUNK:
                self._commit(_drop_graphs(small), total)
                self._done(small)
                small, total = [], 0
            small.append(graph)
            total += size
        if small and not self._stop.is_set():
            self._commit(_drop_graphs(small), total)
            self._done(small)

    def _drop_large(self, graph: str) -> bool:
        """A large graph, about ``DROP_CHUNK`` quads a transaction; False if stopped before the end.

        The subjects come from a streamed read of the graph's quads (in subject order, one row per quad, so
        the rows give each subject's quads), which a stop can leave after any row."""
        assert self._store is not None
        node = f"<{graph}>"
        rows = self._store.query(f"SELECT ?s WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}")
        batch: list[str] = []
        size = 0
        last = None
        for (subject,) in rows:  # type: ignore[union-attr]
            size += 1
            if subject == last or not isinstance(subject, ox.NamedNode):
                continue  # VALUES cannot name a blank node: the LIMIT loop below takes those
            last = subject
            if size >= DROP_CHUNK:
                if self._stop.is_set():
                    return False
                self._commit(_delete_subjects(node, batch), size)
                batch, size = [], 1
            batch.append(str(subject))
        if batch:
            self._commit(_delete_subjects(node, batch), size)
        while _count(self._store, [graph], DROP_CHUNK + 1) > DROP_CHUNK:  # what VALUES could not name
            if self._stop.is_set():
                return False
            self._commit(f"DELETE {{ GRAPH {node} {{ ?s ?p ?o }} }} WHERE {{ SELECT ?s ?p ?o WHERE "
                         f"{{ GRAPH {node} {{ ?s ?p ?o }} }} LIMIT {DROP_CHUNK} }}", DROP_CHUNK)
        self._commit(_drop_graphs([graph]), DROP_CHUNK)
        return True

    def _commit(self, update: str, quads: int) -> None:
        """One delete transaction. Its tombstones stay in RocksDB's in-memory tables until they are flushed,
        which deletes alone did not bring about: the thread grew by 0.55 MB per 1,000 quads deleted (1.9 GB
        after 2.8 million, at 100,000 datasets). So it flushes every ``FLUSH_QUADS`` quads deleted."""
        assert self._store is not None
        self._store.update(update)
        faults.reached("drop")
        self._unflushed += quads
        if self._unflushed >= FLUSH_QUADS:
            self._store.flush()
            self._unflushed = 0

    def _done(self, graphs: list[str]) -> None:
        with self._lock:
            for graph in graphs:
                self._pending.pop(graph, None)
                self._sizes.pop(graph, None)


def _values(graphs: Iterable[str]) -> str:
    return " ".join(f"<{g}>" for g in graphs)


def _count(store: ox.Store, graphs: list[str], limit: int) -> int:
    """Quads in ``graphs``, counted up to ``limit`` only: a bounded look, whatever the graphs hold."""
    if not graphs:
        return 0
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT ?s WHERE {{ VALUES ?g {{ {_values(graphs)} }} "
                       f"GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {limit} }}")
    return int(next(iter(rows))[0].value)  # type: ignore[arg-type]


def _drop_graphs(graphs: list[str]) -> str:
    """Whole graphs, several to a transaction (small ones)."""
    return " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)


def _delete_subjects(node: str, subjects: list[str]) -> str:
    """The quads of ``subjects`` in graph ``node``: one seek per subject."""
    return (f"DELETE {{ GRAPH {node} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {' '.join(subjects)} }} "
            f"GRAPH {node} {{ ?s ?p ?o }} }}")
