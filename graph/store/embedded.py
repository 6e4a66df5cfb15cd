"""The embedded store: a persistent pyoxigraph store in a directory, one source per set of named graphs.

:class:`GraphStore` is opened here and closed here; what it does is split by job:

- :mod:`graph.store.reads`: which graphs a scope sees, and queries over them (results as plain values);
- :mod:`graph.store.writes`: a source replaced whole (stage, swap, collect) and the writer turn that
  :mod:`graph.store.updates` and :mod:`graph.store.release` (publishing ended embargoes) take too;
- :mod:`graph.store.view`: the read-only view a query worker process opens on the same directory.

docs/store.md tells the whole story: the directory, sources, named graphs, writing, garbage and reading.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox

from graph.errors import StoreError, StoreLocked
from graph.model.iris import DEFAULT_BASE, Minter
from graph.store import registry
from graph.store.collect import Collector
from graph.store.readers import ReaderEpochs
from graph.store.reads import DEFAULT_GRAPH, Scope, StoredQuad, sees
from graph.store.registry import VERSION
from graph.store.release import release
from graph.store.writes import COLLECT_WAIT_SECONDS, LoadResult, WritePath

__all__ = ["COLLECT_WAIT_SECONDS", "DEFAULT_GRAPH", "VERSION", "GraphStore", "LoadResult", "Scope", "StoredQuad",
           "sees"]


class GraphStore(WritePath):
    """pankg's graph: a pyoxigraph store plus the registry of loaded sources.

    ``path=None`` gives an in-memory store (for tests and one-off work); otherwise the directory is
    created if needed. One process opens a directory at a time; within it, any number of threads
    read while one writes.
    """

    release = release  # publish ended embargoes: graph/store/release.py

    def __init__(self, path: Path | str | None = None, base_iri: str = DEFAULT_BASE) -> None:
        self.path = Path(path) if path is not None else None
        self.minter = Minter(base_iri)
        self.meta = registry.META_GRAPH
        self._engine = _open(self.path)
        recorded = registry.read_base(self._engine)
        if recorded is not None and recorded != self.minter.base:
            raise StoreError(
                f"the store {self.path or '(in memory)'} holds IRIs minted under {recorded}, not {self.minter.base}: "
                "unset PANKG_BASE_IRI or set it to the store's base"
            )
        self._write_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._epochs = ReaderEpochs()
        self._sources = registry.read_sources(self._engine, self.meta)
        self._clean = False  # True: an `all` read may use the union graph (no stage, no garbage)
        self._writing = 0  # writes between leaving union mode and their end
        self._owes = False  # this process retired graphs: close() waits until the garbage is gone
        self._generations: dict[str, int] = {}  # source's graph prefix -> highest generation in the store
        self.version = 0  # bumped by every committed write: a reader may keep a read-only view while it holds
        self._scopes: dict[Scope, tuple[int, tuple[str, ...]]] = {}
        self._base_recorded = recorded is not None
        self._write_version = registry.read_write_version(self._engine)
        self._unregistered_writes = 0
        self._collector = Collector(self._engine, self._epochs, self._collected)
        self._find_garbage()

    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph store itself, for the graph/store modules that write beside this class
        (:mod:`graph.store.updates`, :mod:`graph.store.release`): nothing outside ``graph/`` touches the engine."""
        return self._engine

    # ------------------------------------------------------------------ lifecycle

    def flush(self) -> None:
        if self.path is not None:
            self._engine.flush()

    def close(self) -> None:
        """Flush to disk and release the directory for other processes.

        A process whose loads retired old generations drops all garbage first, so a reload leaves the store
        clean; else the collector stops after its transaction and the next process to open finishes its job.
        Only a process that wrote flushes: after a crash a flush waits for the store's compactions (15 s at
        100,000 datasets), and reads and the collector's deletes need none (the log keeps them).
        """
        try:
            if self._owes:
                self.collect()
        finally:
            self._collector.stop()
            if self.version:  # bumped by every load, removal, release and update of this process
                self.flush()
            del self._engine

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open(path: Path | None) -> ox.Store:
    if path is None:
        return ox.Store()
    if path.exists() and not path.is_dir():
        raise StoreError(f"store path {path} exists and is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as exc:
        text = str(exc).lower()
        if "lock" in text or "resource temporarily unavailable" in text:
            raise StoreLocked(
                f"the store {path} is open in another pankg process (is `pankg serve` running?)"
            ) from None
        raise StoreError(f"cannot open the store {path}: {exc}") from None
