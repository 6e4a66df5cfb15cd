"""The embedded store: a persistent pyoxigraph store in a directory, one source per set of named graphs.

Writing a source (:meth:`GraphStore.replace_source`) goes in three steps:

1. *stage*: the model's quads stream into brand-new named graphs through ``Store.bulk_load`` (the fast
   path), numbered past every generation of the source still in the store. Nothing reads them yet; if
   the mapping fails half-way they become garbage and the graph is exactly as before.
2. *swap*: one SPARQL update, one transaction, moves the source's registration in the meta graph from
   the old graphs to the new ones. Readers see before or after, never between.
3. *collect*: once every reader that started before the swap has finished, the old graphs are dropped
   (:mod:`graph.collect`: in bounded transactions, on a background thread when they are large). A process
   killed at any moment leaves unregistered graphs at worst, which the next open lists in milliseconds.

Reads choose their graphs from the registration: ``scope="all"`` (the local data manager: every current
graph and the meta graph), ``scope="public"`` (public graphs only) or an :class:`~graph.access.Entitlement`
(public graphs plus the restricted graphs of the caller's groups and proposals; a staff token: everything).
Restricted data is split by access key into its own graphs (``docs/access.md``), so a scope is only a list
of graphs: no query can reach what is not in it. When the store holds no staged or retired graph, an
``all`` read uses the union of all graphs (graphs pankg did not write included), which oxigraph answers
from one index instead of one lookup per graph. :meth:`GraphStore.release` publishes ended embargoes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from graph import faults, registry
from graph.access import Entitlement, everything, level
from graph.bulk import bulk_write
from graph.collect import Collector, strays
from graph.errors import QueryError, StoreError, StoreLocked
from graph.iris import DEFAULT_BASE, Minter
from graph.model import Quad
from graph.readers import ReaderEpochs
from graph.registry import VERSION, SourceGraph, SourceInfo
from graph.release import release

Scope = Literal["all", "public"] | Entitlement
"""Who reads: ``all`` (the local data manager), ``public`` (anonymous) or an authenticated caller's entitlement."""


def sees(scope: Scope, graph: SourceGraph) -> bool:
    """True if a reader of ``scope`` is given ``graph``."""
    return everything(scope) or graph.access == "public" or (
        isinstance(scope, Entitlement) and scope.allows(graph.access_key))


COLLECT_WAIT_SECONDS = 30.0
"""How long a stage waits for the readers that chose the union graph before it (they would see it)."""


@dataclass(frozen=True)
class LoadResult:
    """What a load did: the source as now registered and whether anything changed."""

    source: SourceInfo
    changed: bool
    quads_written: int


class GraphStore:
    """pankg's graph: a pyoxigraph store plus the registry of loaded sources.

    ``path=None`` gives an in-memory store (for tests and one-off work); otherwise the directory is
    created if needed. One process opens a directory at a time; within it, any number of threads
    read while one writes.
    """

    release = release  # publish ended embargoes: graph/release.py

    def __init__(self, path: Path | str | None = None, base_iri: str = DEFAULT_BASE) -> None:
        self.path = Path(path) if path is not None else None
        self.minter = Minter(base_iri)
        self.meta = registry.META_GRAPH
        self._store = _open(self.path)
        recorded = registry.read_base(self._store)
        if recorded is not None and recorded != self.minter.base:
            raise StoreError(
                f"the store {self.path or '(in memory)'} holds IRIs minted under {recorded}, not {self.minter.base}: "
                "unset PANKG_BASE_IRI or set it to the store's base"
            )
        self._write_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._epochs = ReaderEpochs()
        self._sources = registry.read_sources(self._store, self.meta)
        self._clean = False  # True: an `all` read may use the union graph (no stage, no garbage)
        self._writing = 0  # writes between leaving union mode and their end
        self._owes = False  # this process retired graphs: close() waits until the garbage is gone
        self._generations: dict[str, int] = {}  # source's graph prefix -> highest generation in the store
        self.version = 0  # bumped by every committed write: a reader may keep a read-only view while it holds
        self._scopes: dict[Scope, tuple[int, tuple[str, ...]]] = {}
        self._base_recorded = recorded is not None
        self._collector = Collector(self._store, self._epochs, self._collected)
        self._find_garbage()

    # ------------------------------------------------------------------ reading

    @property
    def sources(self) -> dict[str, SourceInfo]:
        """The registered sources, keyed by source IRI (a snapshot)."""
        with self._state_lock:
            return dict(self._sources)

    def graphs(self, scope: Scope = "all") -> list[str]:
        """The named graphs a reader of ``scope`` sees (``all`` includes the meta graph)."""
        with self._state_lock:
            return self._graphs_locked(scope)

    def _graphs_locked(self, scope: Scope) -> list[str]:
        # Kept per scope until the next write: a token's scope walks every registered graph (3 ms at 4,284).
        cached = self._scopes.get(scope)
        if cached is not None and cached[0] == self.version:
            return list(cached[1])
        # The meta graph names files and restricted graphs: only the data managers (CLI, staff tokens) see it.
        graphs = [self.meta] if everything(scope) else []
        for info in self._sources.values():
            graphs += [g.iri for g in info.graphs if sees(scope, g)]
        if len(self._scopes) > 1000:
            self._scopes.clear()
        self._scopes[scope] = (self.version, tuple(graphs))
        return graphs

    @contextmanager
    def reading(self, scope: Scope = "all") -> Iterator[dict[str, Any]]:
        """Query options (for ``ox.Store.query``) that confine a read to ``scope``.

        Consume the results inside the block: graphs that were current when it started stay in the
        store until it ends.
        """
        with self._epochs.reading():
            with self._state_lock:
                if everything(scope) and self._clean:
                    options: dict[str, Any] = {"use_default_graph_as_union": True}
                else:
                    nodes = [ox.NamedNode(g) for g in self._graphs_locked(scope)]
                    options = {"default_graph": nodes, "named_graphs": nodes}
            yield options

    def query(self, sparql: str, scope: Scope = "all") -> Any:
        """Run a SPARQL query and return its results materialized.

        SELECT gives ``(variables, rows)`` with rows as lists of pyoxigraph terms (None where unbound),
        ASK a ``bool``, CONSTRUCT/DESCRIBE a list of triples.
        """
        with self.reading(scope) as options:
            results = self._run(sparql, options)
            if isinstance(results, ox.QuerySolutions):
                variables = [v.value for v in results.variables]
                return variables, [[row[i] for i in range(len(variables))] for row in results]
            if isinstance(results, ox.QueryBoolean):
                return bool(results)
            return list(results)

    def serialize(
        self,
        sparql: str,
        results_format: ox.QueryResultsFormat,
        graph_format: ox.RdfFormat,
        scope: Scope = "all",
    ) -> bytes:
        """Run a query and serialize its results: SELECT/ASK in ``results_format``, CONSTRUCT/DESCRIBE in
        ``graph_format``."""
        with self.reading(scope) as options:
            results = self._run(sparql, options)
            if isinstance(results, ox.QueryTriples):
                return bytes(results.serialize(format=graph_format))
            return bytes(results.serialize(format=results_format))

    def _run(self, sparql: str, options: dict[str, Any]) -> Any:
        try:
            return self._store.query(sparql, **options)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {_brief(exc)}") from None
        except (OSError, ValueError, TypeError) as exc:
            raise QueryError(f"query failed: {exc}") from None

    def count(self, scope: Scope = "all") -> int:
        """Number of triples a reader of ``scope`` sees (each graph counted separately)."""
        _, rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", scope)
        return int(rows[0][0].value)

    # ------------------------------------------------------------------ writing

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
                    stage = bulk_write(self._store, quads, graph_for)
                    written, known = stage.quads, stage.triples
                    graphs = tuple(
                        SourceGraph(g, level(access), known.get(access) or self._count_graph(g), access)
                        for access, g in sorted(staged.items()) if written[access]
                    )
                    info = SourceInfo(
                        iri=src,
                        kind=kind,
                        location=location,
                        content_hash=fingerprint,
                        generation=generation,
                        loaded_at=(now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0),
                        loader_version=VERSION,
                        graphs=graphs,
                        next_release=next_release() if next_release else None,
                    )
                    faults.reached("swap")
                    # The base IRI is recorded with the first registration, in the same transaction: a failed
                    # first load leaves the store exactly as it was, without it.
                    base = [] if self._base_recorded else [registry.base_update(self.minter.base)]
                    self._store.update(" ;\n".join([*base, registry.swap_update(self.meta, info)]))
                    self._base_recorded = True
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
                self._store.update(registry.remove_update(self.meta, src))
                self._retire(lambda s: s.pop(src), retired)
            finally:
                self._end_write()
            return True

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

    def _count_graph(self, graph: str) -> int:
        results = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(next(iter(results))["n"].value)  # type: ignore[arg-type,index]

    def _retire(self, change: Any, retired: tuple[SourceGraph, ...]) -> None:
        """After the registration switched: update the in-memory registry, then hand the graphs it no longer
        names to the collector, which drops them once the readers that started before the swap are done.

        Only the graphs this swap retired are looked at: no scan of every graph, so a directory of thousands
        of small sources loads in linear time. The writer never waits for readers here.
        """
        with self._state_lock:
            change(self._sources)
            self.version += 1
        self._owes = self._owes or bool(retired)
        self._discard([g.iri for g in retired], self._epochs.advance(), {g.iri: g.triples for g in retired})

    def _discard(self, graphs: list[str], epoch: int, sizes: dict[str, int] | None = None) -> None:
        """``graphs`` are garbage from now on: dropped here if small and unread, else in the background."""
        self._collector.add(graphs, epoch, sizes)
        self._collector.collect()

    def _find_garbage(self) -> None:
        """On open: the graphs under ``<base>graph/`` that no source holds (old generations, a crashed load's
        stage) are garbage. Listing them reads graph names, not quads: milliseconds whatever they hold.
        Graphs outside ``<base>graph/`` are not pankg's and are left alone."""
        with self._state_lock:
            keep = set(self._graphs_locked("all"))
        found = strays(self._store, self.minter.minted("graph", ""), keep)
        self._generations = registry.highest_generations(self.minter, [*keep, *found])
        self._collector.add(found)
        self._collector.collect()
        self._collected()

    def collect(self) -> None:
        """Wait until every graph that no source holds is dropped (the collector works in the background)."""
        self._collector.collect()
        self._collector.wait()

    # ------------------------------------------------------------------ lifecycle

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

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
            del self._store

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _brief(exc: Exception, limit: int = 160) -> str:
    """oxigraph's parser lists every expected character class; a person needs the position and a hint."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit].rstrip() + " ..."


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
