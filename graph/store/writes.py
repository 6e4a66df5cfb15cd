"""The write path of :class:`~graph.store.embedded.GraphStore`: a source replaced whole, in three steps.

1. *stage*: the model's quads stream into brand-new named graphs through ``Store.bulk_load`` (the fast
   path, :mod:`graph.store.bulk`), numbered past every generation of the source still in the store. Nothing
   reads them yet; if the mapping fails half-way they become garbage and the graph is exactly as before.
2. *swap*: one SPARQL update, one transaction, moves the source's registration in the meta graph from
   the old graphs to the new ones. Readers see before or after, never between.
3. *collect*: once every reader that started before the swap has finished, the old graphs are dropped
   (:mod:`graph.store.collect`: in bounded transactions, on a background thread when they are large). A process
   killed at any moment leaves unregistered graphs at worst, which the next open lists in milliseconds.

The other writers of graph/store (:mod:`graph.store.updates`, :mod:`graph.store.release`) take the same turn
(:meth:`WritePath.writing`) and commit through :meth:`WritePath.execute_update` and :meth:`WritePath.register`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from graph.model.access import level
from graph.model.writer import Quad
from graph.query.formats import RdfSyntax, rdf_format
from graph.store import faults, registry
from graph.store.bulk import bulk_write
from graph.store.collect import Collector, strays
from graph.store.reads import ReadPath
from graph.store.registry import VERSION, SourceGraph, SourceInfo

COLLECT_WAIT_SECONDS = 30.0
"""How long a stage waits for the readers that chose the union graph before it (they would see it)."""


@dataclass(frozen=True)
class LoadResult:
    """What a load did: the source as now registered and whether anything changed."""

    source: SourceInfo
    changed: bool
    quads_written: int


class WritePath(ReadPath):
    """Writing, on top of reading: loads, removals, and the one turn every other writer of the store takes."""

    _write_lock: threading.Lock
    _writing: int
    _owes: bool
    _generations: dict[str, int]
    _base_recorded: bool
    _collector: Collector
    _write_version: int
    _unregistered_writes: int

    @property
    def write_version(self) -> int:
        """How many writes (loads that changed something, removals, releases, updates) the store has committed,
        ever: kept in the meta graph (``pankg:writeVersion``) and bumped in each write's own transaction, so it
        survives restarts and a crash never leaves it out of step with the graphs. A read model beside the store
        (the search index, :mod:`graph.search`) records the version it reflects and catches up when it differs.
        Unlike :attr:`version` (this process's writes, for caches), it only grows over the store's life."""
        return self._write_version

    def registered(self) -> tuple[int, dict[str, SourceInfo]]:
        """The write version and the registered sources, as one consistent pair: a write's version is counted
        when its registration is (:meth:`register`, :meth:`_retire`), so a read model that records both never
        records a version whose registration it has not seen."""
        with self._state_lock:
            return self._write_version, dict(self._sources)

    def find_source(self, kind: str, location: str) -> SourceInfo | None:
        return self.sources.get(registry.source_iri(self.minter, kind, location))

    def replace_source(
        self,
        kind: str,
        location: str,
        content_hash: str,
        quads: Iterable[Quad],
        *,
        force: bool = False,
        now: dt.datetime | None = None,
        as_of: dt.date | None = None,
        next_release: Callable[[], dt.date | None] | None = None,
    ) -> LoadResult:
        """Make ``quads`` the whole content of the source ``(kind, location)``, atomically.

        When the source is already loaded with the same ``content_hash`` (and pankg version and base
        IRI), nothing is written unless ``force``, or unless an embargo of the source has ended since
        (``as_of`` has reached the registered next release). ``next_release``, called once the quads
        are written, gives the earliest embargo end still ahead. Any exception while producing the
        quads leaves the store as it was and propagates.
        """
        fingerprint = hashlib.sha256(f"{content_hash}|{VERSION}|{self.minter.base}".encode()).hexdigest()
        src = registry.source_iri(self.minter, kind, location)
        with self._write_lock:
            old = self._sources.get(src)
            today = as_of or dt.date.today()
            released = old is not None and old.next_release is not None and today >= old.next_release
            if old is not None and old.content_hash == fingerprint and not force and not released:
                return LoadResult(old, changed=False, quads_written=0)
            # Past every generation still in the store: a crashed or failed attempt's graphs may be being
            # dropped by the collector, and the new stage must not write into them.
            prefix = registry.generation_prefix(self.minter, kind, location)
            generation = self._generations[prefix] = max(old.generation if old else 0,
                                                         self._generations.get(prefix, 0)) + 1
            staged: dict[str, str] = {}  # access key -> graph, filled as bulk_write meets the keys

            def graph_for(access: str) -> str:
                graph = staged[access] = registry.graph_iri(self.minter, kind, location, generation, access)
                return graph

            self._leave_union_mode()
            try:
                try:
                    stage = bulk_write(self._engine, quads, graph_for)
                    written, known = stage.quads, stage.triples
                    graphs = tuple(
                        SourceGraph(g, level(access), known.get(access) or self.count_graph(g), access)
                        for access, g in sorted(staged.items()) if written[access]
                    )
                    info = SourceInfo(
                        iri=src,
                        kind=kind,
                        location=location,
                        content_hash=fingerprint,
                        generation=generation,
                        loaded_at=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0),
                        loader_version=VERSION,
                        graphs=graphs,
                        next_release=next_release() if next_release else None,
                    )
                    faults.reached("swap")
                    # The base IRI is recorded with the first registration, in the same transaction: a failed
                    # first load leaves the store exactly as it was, without it.
                    self.execute_update([registry.swap_update(self.meta, info)])
                except BaseException:
                    # Nothing was registered: the staged graphs are garbage (only they: older ones may still
                    # have readers), dropped at once if small, else in the background.
                    self._discard(list(staged.values()), 0)
                    raise
                faults.reached("swapped")
                self._discard([g for access, g in staged.items() if not written[access]], 0)  # empty: none in fact
                self._retire(lambda s: s.__setitem__(src, info), old.graphs if old else ())
                return LoadResult(info, changed=True, quads_written=sum(written.values()))
            finally:
                self._end_write()

    def remove_source(self, kind: str, location: str) -> bool:
        """Drop a source and its graphs; False if it was not loaded."""
        src = registry.source_iri(self.minter, kind, location)
        with self._write_lock:
            if src not in self._sources:
                return False
            retired = self._sources[src].graphs
            self._leave_union_mode()
            try:
                self.execute_update([registry.remove_update(self.meta, src)], record_base=False)
                self._retire(lambda s: s.pop(src), retired)
            finally:
                self._end_write()
            return True

    # ------------------------------------------------------------ the turn the other writers of graph/store take

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The store's one writer turn: loads, removals, releases and updates take turns, so each sees one state
        of the registry from its first read to its commit."""
        with self._write_lock:
            yield

    def execute_update(self, steps: list[str], *, record_base: bool = True) -> None:
        """Run ``steps`` as one SPARQL update, one transaction; inside :meth:`writing`.

        With ``record_base``, the store's base IRI is recorded in the same transaction if this is the store's
        first registration, so a failed first write leaves the store exactly as it was, without it. The store's
        :attr:`write_version` is bumped in the same transaction too. The engine's errors propagate as they are
        (the caller words them).
        """
        base = [registry.base_update(self.minter.base)] if record_base and not self._base_recorded else []
        self._engine.update(" ;\n".join([*base, *steps, registry.write_version_update()]))
        self._base_recorded = self._base_recorded or bool(base)
        self._unregistered_writes += 1  # counted in write_version with the registration that follows

    def register(self, changes: Mapping[str, SourceInfo | None]) -> None:
        """Record in memory the registrations an update just committed to the meta graph (None: removed), and
        start a new store version (query workers' read-only views are then stale); inside :meth:`writing`."""
        with self._state_lock:
            for src, info in changes.items():
                if info is None:
                    self._sources.pop(src, None)
                else:
                    self._sources[src] = info
            self.version += 1
            self._count_writes()

    def raw_update(self, sparql: str) -> None:
        """Run a SPARQL update on the store as it is: no registry, no scope, no turn. For what pankg never
        writes but must cope with (an older pankg's registrations, another tool's graphs, a killed load's
        leftovers), as tests and benchmarks set it up; pankg itself never calls it."""
        self._engine.update(sparql)

    def raw_load(self, data: bytes, graph: str, syntax: RdfSyntax = RdfSyntax.N_TRIPLES) -> None:
        """Bulk-load ``data`` into the named graph ``graph`` as :meth:`raw_update` writes: unregistered, as a
        killed load or another tool leaves it (tests and benchmarks)."""
        self._engine.bulk_load(data, format=rdf_format(syntax), to_graph=ox.NamedNode(graph))

    # ------------------------------------------------------------ union mode and garbage

    def _leave_union_mode(self) -> None:
        """Before graphs appear that readers must not see, make sure no reader relies on the union graph.

        A reader that chose the union before this point may not have started its query yet; wait for it
        (queries run on a snapshot, so one that has started cannot see what is written later).
        """
        with self._state_lock:
            self._writing += 1
            self._clean = False
        self._epochs.wait_for_older(self._epochs.advance(), COLLECT_WAIT_SECONDS)

    def _end_write(self) -> None:
        with self._state_lock:
            self._writing -= 1
        self._collected()

    def _collected(self) -> None:
        """The union graph is safe again once no write is under way and no garbage is left (also called on
        the collector's thread when it has dropped the last)."""
        with self._state_lock:
            self._clean = not self._writing and not self._collector.pending()

    def _retire(self, change: Any, retired: tuple[SourceGraph, ...]) -> None:
        """After the registration switched: update the in-memory registry, then hand the graphs it no longer
        names to the collector, which drops them once the readers that started before the swap are done.

        Only the graphs this swap retired are looked at: no scan of every graph, so a directory of thousands
        of small sources loads in linear time. The writer never waits for readers here.
        """
        with self._state_lock:
            change(self._sources)
            self.version += 1
            self._count_writes()
        self._owes = self._owes or bool(retired)
        self._discard([g.iri for g in retired], self._epochs.advance(), {g.iri: g.triples for g in retired})

    def _count_writes(self) -> None:
        """Under the state lock: the committed writes are counted in :attr:`write_version` with their
        registration."""
        self._write_version += self._unregistered_writes
        self._unregistered_writes = 0

    def _discard(self, graphs: list[str], epoch: int, sizes: dict[str, int] | None = None) -> None:
        """``graphs`` are garbage from now on: dropped here if small and unread, else in the background."""
        self._collector.add(graphs, epoch, sizes)
        self._collector.collect()

    def _find_garbage(self) -> None:
        """On open: the graphs under ``<base>graph/`` that no source holds (old generations, a crashed load's
        stage) are garbage. Listing them reads graph names, not quads: milliseconds whatever they hold.
        Graphs outside ``<base>graph/`` are not pankg's and are left alone."""
        keep = set(self.graphs("all"))
        found = strays(self._engine, self.minter.minted("graph", ""), keep)
        self._generations = registry.highest_generations(self.minter, [*keep, *found])
        self._collector.add(found)
        self._collector.collect()
        self._collected()

    def collect(self) -> None:
        """Wait until every graph that no source holds is dropped (the collector works in the background)."""
        self._collector.collect()
        self._collector.wait()
