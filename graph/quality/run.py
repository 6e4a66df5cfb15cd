"""Running the shapes chunk by chunk: in this process, or in worker processes beside it.

The work of a chunk is in two parts of different nature. Fetching it (:func:`graph.quality.chunks.export_chunk`)
is oxigraph's, in Rust, without the GIL; checking it (parsing the N-Triples into rdflib, then pySHACL) is
pure Python and takes most of the time. So with ``jobs`` above 1 this process only fetches, and each chunk's
text goes to a pool of worker processes that check it and send back the (shape, entity) pairs of the
results, a few bytes. At most two chunks per worker wait in flight, so memory stays bounded. Workers are
spawned, not forked: the store's threads must not be copied into a child.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path

from rdflib.namespace import RDF, SH

from graph.quality.chunks import export_chunk, focus_count, focus_nodes, parse_chunk
from graph.quality.shapes import load_shapes
from graph.store.embedded import GraphStore

Pairs = list[tuple[str, str]]
Progress = Callable[[int, int], None]

POOL_MIN_CHUNKS = 8
"""Below this many chunks the pool's start (each worker imports rdflib and pySHACL) costs more than it saves."""
MAX_JOBS = 8


def check_chunk(shapes_path: str, group: int, data: bytes, nodes: list[str]) -> Pairs:
    """(source shape, focus node) of every result pySHACL reports on one chunk; runs in any process."""
    from pyshacl import (
        validate as shacl_validate,  # here: every other command of the CLI would pay its import
    )

    runtime = load_shapes(Path(shapes_path)).groups[group].shapes
    with warnings.catch_warnings():
        # rdflib warns about literals it cannot parse; the shapes report them (sh:datatype) instead.
        warnings.simplefilter("ignore")
        graph = parse_chunk(data, nodes)
        _, report, _ = shacl_validate(graph, shacl_graph=runtime, inplace=True, allow_warnings=True, allow_infos=True)
    pairs = [
        (str(report.value(r, SH.sourceShape)), str(report.value(r, SH.focusNode)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    del graph, report
    gc.collect()  # pySHACL leaves the chunk in reference cycles: free it now, not after many chunks
    return pairs


@contextmanager
def few_collections() -> Iterator[None]:
    """Each chunk makes a few hundred thousand rdflib objects, which pySHACL leaves in reference cycles.
    With the default thresholds the cyclic garbage collector runs so often that it costs a third of the
    export; so, only while validating, its first threshold is raised, and :func:`check_chunk` collects
    once after each chunk instead. What lived before is frozen, so that collection looks at the chunk
    only, not at everything the process holds (a test session, a web app)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, *thresholds[1:])
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def _start_worker(shapes_path: str) -> None:
    gc.set_threshold(100_000, *gc.get_threshold()[1:])
    load_shapes(Path(shapes_path))
    gc.freeze()


def default_jobs() -> int:
    return max(1, min(MAX_JOBS, os.cpu_count() or 1))


def run_chunks(
    store: GraphStore,
    shapes_path: Path,
    graphs: tuple[str, ...],
    chunk: int,
    jobs: int | None,
    progress: Progress | None,
) -> tuple[Pairs, dict[str, int], int]:
    """Every result pair, the focus nodes per target, and the blank nodes left out."""
    shapes = load_shapes(shapes_path)
    counts = [focus_count(store, g, graphs) for g in shapes.groups]
    total = sum(counts)
    chunks = sum(-(-n // chunk) for n in counts)
    workers = default_jobs() if jobs is None else max(1, jobs)
    if chunks < POOL_MIN_CHUNKS:
        workers = 1
    pairs: Pairs = []
    checked: dict[str, int] = {}
    blank = done = 0
    with few_collections(), _Checker(str(shapes_path), workers) as checker:
        for index, group in enumerate(shapes.groups):
            nodes, skipped = focus_nodes(store, group, graphs)
            checked[group.label] = len(nodes)
            blank += skipped
            for n in range(0, len(nodes), chunk):
                batch = nodes[n : n + chunk]
                for size, found in checker.submit(index, export_chunk(store, group, batch), batch):
                    pairs += found
                    done += size
                    if progress:
                        progress(done, max(total, done))
        for size, found in checker.drain():
            pairs += found
            done += size
            if progress:
                progress(done, max(total, done))
    return pairs, checked, blank


class _Checker:
    """Checks chunks in this process (one job) or in a pool; yields (chunk size, pairs) as they finish."""

    def __init__(self, shapes_path: str, jobs: int) -> None:
        self.shapes_path = shapes_path
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None
        self.pending: dict[Future[Pairs], int] = {}

    def __enter__(self) -> _Checker:
        if self.jobs > 1:
            self.pool = ProcessPoolExecutor(
                self.jobs, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(self.shapes_path,),
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, group: int, data: bytes, nodes: list[str]) -> Iterator[tuple[int, Pairs]]:
        if self.pool is None:
            yield len(nodes), check_chunk(self.shapes_path, group, data, nodes)
            return
        self.pending[self.pool.submit(check_chunk, self.shapes_path, group, data, nodes)] = len(nodes)
        while len(self.pending) >= 2 * self.jobs:
            yield from self._finished(wait(self.pending, return_when=FIRST_COMPLETED).done)

    def drain(self) -> Iterator[tuple[int, Pairs]]:
        while self.pending:
            yield from self._finished(wait(self.pending, return_when=FIRST_COMPLETED).done)

    def _finished(self, futures: set[Future[Pairs]]) -> Iterator[tuple[int, Pairs]]:
        for future in futures:
            size = self.pending.pop(future)
            yield size, future.result()
