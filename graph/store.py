"""The embedded store: a persistent pyoxigraph store in a directory, one source per set of named graphs.

Writing a source (:meth:`GraphStore.replace_source`) goes in three steps:

1. *stage*: the model's quads stream into brand-new named graphs through ``Store.bulk_load`` (the fast
   path). Nothing reads them yet; if the mapping fails half-way they are dropped and the graph is
   exactly as before.
2. *swap*: one SPARQL update, one transaction, moves the source's registration in the meta graph from
   the old graphs to the new ones. Readers see before or after, never between.
3. *collect*: once every reader that started before the swap has finished, the old graphs are dropped.

Reads choose their graphs from the registration: ``scope="all"`` (the local data manager: every current
graph and the meta graph), ``scope="public"`` (public graphs only) or an :class:`~graph.access.Entitlement`
(public graphs plus the restricted graphs of the caller's groups and proposals; a staff token: everything).
Restricted data is split by access key into its own graphs (``docs/access.md``), so a scope is only a list
of graphs: no query can reach what is not in it. When the store holds no staged or retired graph, an
``all`` read uses the union of all graphs (graphs pankg did not write included), which oxigraph answers
from one index instead of one lookup per graph.

When an embargo ends, :meth:`GraphStore.release` moves the restricted graphs keyed by that date into the
source's public graph in one update: the data becomes public without the source files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from graph import registry
from graph.access import Entitlement, everything, level, release_update, released, until
from graph.bulk import bulk_write
from graph.errors import QueryError, StoreError, StoreLocked
from graph.iris import DEFAULT_BASE, Minter
from graph.model import Quad
from graph.readers import ReaderEpochs
from graph.registry import VERSION, SourceGraph, SourceInfo

Scope = Literal["all", "public"] | Entitlement
"""Who reads: ``all`` (the local data manager), ``public`` (anonymous) or an authenticated caller's entitlement."""


def sees(scope: Scope, graph: SourceGraph) -> bool:
    """True if a reader of ``scope`` is given ``graph``."""
    return everything(scope) or graph.access == "public" or (
        isinstance(scope, Entitlement) and scope.allows(graph.access_key))


COLLECT_WAIT_SECONDS = 30.0


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
        self._clean = False
        self._retired: list[str] = []  # graphs swapped out whose readers had not finished in time
        self.version = 0  # bumped by every committed write: a reader may keep a read-only view while it holds
        self._scopes: dict[Scope, tuple[int, tuple[str, ...]]] = {}
        self._base_recorded = registry.read_base(self._store) is not None
        self._collect_garbage()

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
            generation = (old.generation if old else 0) + 1
            staged: dict[str, str] = {}  # access key -> graph, filled as bulk_write meets the keys

            def graph_for(access: str) -> str:
                graph = staged[access] = registry.graph_iri(self.minter, kind, location, generation, access)
                return graph

            if not self._base_recorded:
                self._store.update(registry.base_update(self.minter.base))
                self._base_recorded = True
            self._leave_union_mode()
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
                self._store.update(registry.swap_update(self.meta, info))
            except BaseException:
                # Nothing was registered: the staged graphs go (only they: older ones may still have readers).
                for g in list(staged.values()):
                    self._store.remove_graph(ox.NamedNode(g))
                with self._state_lock:
                    self._clean = not self._retired
                raise
            for access, g in staged.items():
                if not written[access]:
                    self._store.remove_graph(ox.NamedNode(g))
            retired = [g.iri for g in old.graphs] if old else []
            self._retire(lambda s: s.__setitem__(src, info), retired)
            return LoadResult(info, changed=True, quads_written=sum(written.values()))

    def remove_source(self, kind: str, location: str) -> bool:
        """Drop a source and its graphs; False if it was not loaded."""
        src = registry.source_iri(self.minter, kind, location)
        with self._write_lock:
            if src not in self._sources:
                return False
            retired = [g.iri for g in self._sources[src].graphs]
            self._leave_union_mode()
            self._store.update(registry.remove_update(self.meta, src))
            self._retire(lambda s: s.pop(src), retired)
            return True

    def _leave_union_mode(self) -> None:
        """Before graphs appear that readers must not see, make sure no reader relies on the union graph.

        A reader that chose the union before this point may not have started its query yet; wait for it
        (queries run on a snapshot, so one that has started cannot see what is written later).
        """
        with self._state_lock:
            self._clean = False
        self._epochs.wait_for_older(self._epochs.advance(), COLLECT_WAIT_SECONDS)

    def release(self, as_of: dt.date | None = None) -> list[SourceInfo]:
        """Make public the restricted graphs whose embargo has ended by ``as_of`` (default today); returns
        the sources changed.

        No source file is needed: the model keyed every date-restricted quad by its embargo end, so a
        release is one update per source that copies those graphs into the source's public graph, drops
        them, flips the released datasets' ``pankg:accessLevel`` stub to public and re-registers the
        source. Readers see before or after. Only the triple count is corrected in a second update.
        """
        today = as_of or dt.date.today()
        changed: list[SourceInfo] = []
        with self._write_lock:
            for info in list(self.sources.values()):
                due = [g for g in info.graphs if g.access != "public" and released(g.access_key, today) == "public"]
                if not due:
                    continue
                public = next((g for g in info.graphs if g.access == "public"), None)
                target = public.iri if public else registry.graph_iri(
                    self.minter, info.kind, info.location, info.generation, "public"
                )
                kept = [g for g in info.graphs if g not in due and g is not public]
                ahead = [d for g in kept if (d := until(g.access_key)) is not None and d > today]
                moved = SourceGraph(target, "public", sum(g.triples for g in due) + (public.triples if public else 0))
                new = dataclasses.replace(info, graphs=tuple(sorted([*kept, moved], key=lambda g: g.access_key)),
                                          next_release=min(ahead) if ahead else None)
                steps = [release_update(g.iri, target) for g in due] + [registry.swap_update(self.meta, new)]
                self._store.update(" ;\n".join(steps))
                counted = dataclasses.replace(moved, triples=self._count_graph(target))
                new = dataclasses.replace(new, graphs=tuple(counted if g is moved else g for g in new.graphs))
                self._store.update(registry.swap_update(self.meta, new))
                with self._state_lock:
                    self._sources[info.iri] = new
                    self.version += 1
                changed.append(new)
        return changed

    def _count_graph(self, graph: str) -> int:
        results = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(next(iter(results))["n"].value)  # type: ignore[arg-type,index]

    def _retire(self, change: Any, retired: list[str]) -> None:
        """After the registration switched: update the in-memory registry, then drop the graphs it no
        longer names once their readers are done.

        Only the graphs this swap retired (and any left from an earlier swap whose readers were slow) are
        dropped: no scan of every graph, so a directory of thousands of small sources loads in linear time.
        """
        with self._state_lock:
            change(self._sources)
            self._retired += retired
            self.version += 1
        epoch = self._epochs.advance()
        if self._epochs.wait_for_older(epoch, COLLECT_WAIT_SECONDS):
            with self._state_lock:
                dropping, self._retired = self._retired, []
            for g in dropping:
                self._store.remove_graph(ox.NamedNode(g))
        with self._state_lock:
            self._clean = not self._retired

    def _collect_garbage(self) -> None:
        """On open: drop the source graphs that no registered source holds (old generations, stages of a
        crashed load). Only graphs under this store's ``<base>graph/`` are pankg's to drop; others are kept."""
        with self._state_lock:
            keep = set(self._graphs_locked("all"))
        ours = self.minter.minted("graph", "")
        for node in list(self._store.named_graphs()):
            if isinstance(node, ox.NamedNode) and node.value.startswith(ours) and node.value not in keep:
                self._store.remove_graph(node)
        stray = [
            n for n in self._store.named_graphs() if isinstance(n, ox.NamedNode) and n.value.startswith(ours)
            and n.value not in keep
        ]
        with self._state_lock:
            self._clean = not stray

    # ------------------------------------------------------------------ lifecycle

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        """Flush to disk and release the directory for other processes."""
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
