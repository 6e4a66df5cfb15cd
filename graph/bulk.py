"""Streams model quads into ``Store.bulk_load``, two cores at once, memory bounded.

A producer thread runs the loader and the model and formats the quads as N-Triples, one bucket per
named graph (one per access key it meets: a restricted graph per owner group); the calling thread and one more writer thread hand the full buckets to
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
from collections.abc import Callable, Iterable

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
    store: ox.Store, quads: Iterable[Quad], graph_for: Callable[[str], str], chunk: int | None = None
) -> Counter[str]:
    """Write ``quads`` into ``store``, each into the graph ``graph_for(access)``; returns counts per access.

    ``graph_for`` is called once per access key, in the producer thread, the first time the key is met
    (the keys are not known before the model has run: one per owner group of the source); the caller
    records what it hands out, so that it can drop those graphs if the write fails.
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
        # one graph (every call adds files to the store: fewer, larger calls load faster). A source with
        # many small graphs (one per owner group and embargo date) would make thousands of tiny calls and
        # hold every line until the end: when the lines waiting reach a chunk, the small buckets go
        # together as one N-Quads chunk instead.
        buckets: dict[str, list[str]] = {}
        targets: dict[str, ox.NamedNode] = {}
        graph_text: dict[str, str] = {}
        waiting = 0

        def take(access: str) -> tuple[ox.NamedNode | None, bytes]:
            lines = buckets[access]
            counts[access] += len(lines)
            data = (" .\n".join(lines) + " .\n").encode()
            lines.clear()
            return targets[access], data

        def take_together(accesses: list[str]) -> tuple[ox.NamedNode | None, bytes]:
            parts = []
            for access in accesses:
                lines = buckets[access]
                counts[access] += len(lines)
                tail = f" {graph_text[access]} .\n"
                parts.append(tail.join(lines) + tail)
                lines.clear()
            return None, "".join(parts).encode()

        def flush(final: bool) -> None:
            nonlocal waiting
            full = [a for a, lines in buckets.items() if len(lines) >= size // 4 or (final and len(buckets) <= 2)]
            for access in full:
                if buckets[access]:
                    put(take(access))
            rest = [a for a, lines in buckets.items() if lines]
            if rest:
                put(take_together(rest))
            waiting = 0

        try:
            for s, p, o, access in quads:
                bucket = buckets.get(access)
                if bucket is None:
                    bucket = buckets[access] = []
                    graph = graph_for(access)
                    targets[access] = ox.NamedNode(graph)
                    graph_text[access] = f"<{graph}>"
                bucket.append(f"{s} {p} {o}")
                if len(bucket) >= size:
                    waiting -= len(bucket)
                    put(take(access))
                waiting += 1
                if waiting >= size:
                    flush(final=False)
            flush(final=True)
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

    def write(graph: ox.NamedNode | None, data: bytes) -> None:
        # graph None: an N-Quads chunk of several graphs, each line naming its own
        options: dict[str, object] = {"format": ox.RdfFormat.N_QUADS} if graph is None else {
            "format": ox.RdfFormat.N_TRIPLES, "to_graph": graph}
        try:
            if len(data) < SMALL_BYTES:
                with small:  # transactions of two writers on the same new terms would conflict
                    store.load(data, lenient=True, **options)  # type: ignore[arg-type]
            else:
                store.bulk_load(data, lenient=True, **options)  # type: ignore[arg-type]
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
