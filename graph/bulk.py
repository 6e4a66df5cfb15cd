"""Streams model quads into ``Store.bulk_load``, two cores at once, memory bounded.

A producer thread runs the loader and the model and formats the quads as N-Triples, one bucket per
named graph; the calling thread and one more writer thread hand the full buckets to
``bulk_load(..., to_graph=...)`` (or, for a chunk under ``SMALL_BYTES``, to the transactional
``Store.load``), which releases the GIL while it parses and writes: the Python side of the next chunks is
made while the store ingests two at once. At most two chunks wait in between, so memory stays flat
whatever the size of the source. An exception in the loader or the model is re-raised in the caller with its own type
and message, and the producer stops when the store fails.
"""

from __future__ import annotations

import queue
import threading
from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox

from graph.errors import StoreError
from graph.model import Quad

CHUNK_QUADS = 100_000
SMALL_BYTES = 4 << 20
"""Chunks smaller than this go through ``Store.load`` (one transaction in memory) instead of ``bulk_load``,
which writes new files on disk for every call and costs ~100 ms however little it loads: a directory of
small NeXus files would otherwise spend its time there."""
WRITERS = 2
"""Chunks written at once: one ``bulk_load`` call of a chunk works on one core, so two writers keep both
cores of the store busy while the producer thread maps the next chunks (measured in bench/scicat_throughput.py)."""
_DONE = object()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class _Stopped(Exception):
    """The consumer gave up; the producer leaves quietly."""


def bulk_write(
    store: ox.Store, quads: Iterable[Quad], graphs: dict[str, str], chunk: int | None = None
) -> Counter[str]:
    """Write ``quads`` into ``store``, each into the graph ``graphs[access]``; returns counts per access.

    ``lenient`` loading is safe here: every IRI the model writes was minted percent-encoded or checked
    by :func:`graph.nt.iri`, and literals are escaped by :mod:`graph.nt`.
    """
    size = chunk or CHUNK_QUADS
    pending: queue.Queue[object] = queue.Queue(maxsize=2)
    stop = threading.Event()
    counts: Counter[str] = Counter()

    def put(item: object) -> None:
        while True:
            try:
                pending.put(item, timeout=0.1)
                return
            except queue.Full:
                if stop.is_set():
                    raise _Stopped from None

    def produce() -> None:
        # Lines wait per graph without their " .\n": joining a bucket with it as the separator ends every
        # line at C speed. A bucket goes to the store when full, so each bulk_load call is one chunk of
        # one graph (every call adds files to the store: fewer, larger calls load faster).
        buckets: dict[str, list[str]] = {access: [] for access in graphs}
        targets = {access: ox.NamedNode(graph) for access, graph in graphs.items()}

        def take(access: str) -> tuple[ox.NamedNode, bytes]:
            lines = buckets[access]
            counts[access] += len(lines)
            data = (" .\n".join(lines) + " .\n").encode()
            lines.clear()
            return targets[access], data

        try:
            for s, p, o, access in quads:
                bucket = buckets[access]
                bucket.append(f"{s} {p} {o}")
                if len(bucket) >= size:
                    put(take(access))
            for access, bucket in buckets.items():
                if bucket:
                    put(take(access))
            for _ in range(WRITERS):
                put(_DONE)
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the caller, who re-raises it
            try:
                put(_Failure(exc))
            except _Stopped:
                pass

    failures: list[BaseException] = []
    small = threading.Lock()

    def write(graph: ox.NamedNode, data: bytes) -> None:
        try:
            if len(data) < SMALL_BYTES:
                with small:  # transactions of two writers on the same new terms would conflict
                    store.load(data, ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)
            else:
                store.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)
        except SyntaxError as exc:
            raise StoreError(f"the model wrote invalid N-Triples (a pankg bug): {exc}") from exc

    def consume() -> None:
        while not stop.is_set():
            try:
                item = pending.get(timeout=0.1)
            except queue.Empty:
                continue
            if item is _DONE:
                return
            try:
                if isinstance(item, _Failure):
                    raise item.exc
                write(*item)  # type: ignore[misc]
            except BaseException as exc:
                failures.append(exc)
                stop.set()
                return

    producer = threading.Thread(target=produce, name="pankg-quads", daemon=True)
    producer.start()
    writers = [threading.Thread(target=consume, name=f"pankg-writer-{n}", daemon=True) for n in range(1, WRITERS)]
    for writer in writers:
        writer.start()
    try:
        consume()
    finally:
        for writer in writers:
            writer.join()
        stop.set()
        producer.join()
    failure = failures[0] if failures else None
    del failures[:]
    if failure is not None:
        # The error's traceback keeps this frame alive as long as someone holds the error; the frame must
        # not keep the store open with it (closing a GraphStore has to release the directory at once).
        del store
        try:
            raise failure
        finally:
            failure = None
    return counts
