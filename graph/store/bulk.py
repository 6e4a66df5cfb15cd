"""Streams model quads into ``Store.bulk_load``, two cores at once, memory bounded.

A producer thread runs the loader and the model and formats the quads as N-Triples, one bucket per
named graph (one per access key it meets: a restricted graph per owner group); the calling thread and one more
writer thread hand the full buckets to ``bulk_load(..., to_graph=...)`` (or, for a chunk under ``SMALL_BYTES``,
to the transactional ``Store.load``), which releases the GIL while it parses and writes: the Python side of the
next chunks is made while the store ingests two at once. At most two chunks wait in between, so memory stays
flat whatever the size of the source. An exception in the loader or the model is re-raised in the caller with its
own type and message, and the producer stops when the store fails.
"""

from __future__ import annotations

import gc
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.errors import StoreError
from graph.model.writer import Quad
from graph.store import faults

CHUNK_QUADS = 400_000
"""Quads per ``bulk_load`` call. Each call adds files that the store merges in the background; with
100,000-quad chunks that merging fell behind at 100,000 SciCat datasets and the first write after the
load waited 2-7 s for it (bench/scicat_throughput.py: 52 s at 100,000, 46 s at 400,000, 50 s at 1,000,000,
where the two writers wait longer for each chunk)."""
SMALL_BYTES = 4 << 20
"""Chunks smaller than this go through ``Store.load`` (one transaction in memory) instead of ``bulk_load``,
which writes new files on disk for every call and costs ~100 ms however little it loads: a directory of
small NeXus files would otherwise spend its time there."""
WRITERS = 2
"""Chunks written at once: one ``bulk_load`` call of a chunk works on one core, so two writers keep both
cores of the store busy while the producer thread maps the next chunks (measured in bench/scicat_throughput.py)."""
_DONE = object()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a source is staged.

    The producer makes millions of short-lived objects (records, entities, quads) and keeps many alive
    (the parsed file, the minter's cache), so the collector kept walking the same survivors: 3 s of the
    19 s it took to map 100,000 SciCat datasets (bench/scicat_throughput.py). The mapping makes no
    reference cycles that matter (reference counting frees the rest at once), and whatever cycles appear
    are collected when the collector is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Staged:
    """What :func:`bulk_write` wrote: quads handed to the store per access key, and the exact triple count
    of the graphs whose quads all went to the store in one piece (the caller asks the store for the rest)."""

    quads: Counter[str] = field(default_factory=Counter)
    triples: dict[str, int] = field(default_factory=dict)


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class _Stopped(Exception):
    """The consumer gave up; the producer leaves quietly."""


def bulk_write(
    store: ox.Store, quads: Iterable[Quad], graph_for: Callable[[str], str], chunk: int | None = None
) -> Staged:
    """Write ``quads`` into ``store``, each into the graph ``graph_for(access)``, a new graph per access key.

    ``graph_for`` is called once per access key, in the producer thread, the first time the key is met
    (the keys are not known before the model has run: one per owner group of the source); the caller
    records what it hands out, so that it can drop those graphs if the write fails.
    ``lenient`` loading is safe here: every IRI the model writes was minted percent-encoded or checked
    by :func:`graph.model.nt.iri`, and literals are escaped by :mod:`graph.model.nt`.
    """
    size = chunk or CHUNK_QUADS
    pending: queue.Queue[object] = queue.Queue(maxsize=2)
    stop = threading.Event()
    staged = Staged()
    counts = staged.quads
    pieces: Counter[str] = Counter()

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
            pieces[access] += 1
            data = (" .\n".join(lines) + " .\n").encode()
            lines.clear()
            return targets[access], data

        def take_together(accesses: list[str]) -> tuple[ox.NamedNode | None, bytes]:
            parts = []
            for access in accesses:
                lines = buckets[access]
                counts[access] += len(lines)
                pieces[access] += 1
                # A small graph usually reaches the store in one piece: its distinct lines are its triples
                # (its graph is new), which spares one count query per graph (8,300 of them, 1.1 s, at
                # 100,000 SciCat datasets).
                staged.triples[access] = len(set(lines))
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
            with suppress(_Stopped):
                put(_Failure(exc))

    failures: list[BaseException] = []
    small = threading.Lock()
    bulk_loaded = threading.Event()

    def write(graph: ox.NamedNode | None, data: bytes) -> None:
        # graph None: an N-Quads chunk of several graphs, each line naming its own
        options: dict[str, object] = {"format": ox.RdfFormat.N_QUADS} if graph is None else {
            "format": ox.RdfFormat.N_TRIPLES, "to_graph": graph}
        try:
            if len(data) < SMALL_BYTES and not bulk_loaded.is_set():
                # Only while the source is small: after bulk loads, a transaction waits on the store's
                # new files (a 3.5 MB tail of a 100,000-dataset source took 5.6 s this way, 0.1 s bulk).
                with small:  # transactions of two writers on the same new terms would conflict
                    store.load(data, lenient=True, **options)  # type: ignore[arg-type]
            else:
                bulk_loaded.set()
                store.bulk_load(data, lenient=True, **options)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise StoreError(f"the model wrote invalid N-Triples (a pankg bug): {exc}") from exc
        faults.reached("stage")

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
    writers = [threading.Thread(target=consume, name=f"pankg-writer-{n}", daemon=True) for n in range(1, WRITERS)]
    with _collector_paused():
        producer.start()
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
    for access, n in pieces.items():
        if n > 1:
            staged.triples.pop(access, None)
    if failure is not None:
        # The error's traceback keeps this frame alive as long as someone holds the error; the frame must
        # not keep the store open with it (closing a GraphStore has to release the directory at once).
        del store
        try:
            raise failure
        finally:
            failure = None
    return staged
