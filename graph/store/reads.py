"""The read path of :class:`~graph.store.embedded.GraphStore`: which graphs a scope sees, and queries over them.

Reads choose their graphs from the registration: ``scope="all"`` (the local data manager: every current
graph and the meta graph), ``scope="public"`` (public graphs only) or an :class:`~graph.model.access.Entitlement`
(public graphs plus the restricted graphs of the caller's groups and proposals; a staff token: everything).
Restricted data is split by access key into its own graphs (``docs/access.md``), so a scope is only a list
of graphs: no query can reach what is not in it. When the store holds no staged or retired graph, an
``all`` read uses the union of all graphs (graphs pankg did not write included), which oxigraph answers
from one index instead of one lookup per graph.

Every result leaves as a plain value (:mod:`graph.query.terms`) or as bytes; the engine stays in here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

import pyoxigraph as ox

from graph.model.access import Entitlement, everything
from graph.model.iris import Minter
from graph.query import results
from graph.query.dataset import Dataset
from graph.query.formats import RdfSyntax, ResultsSyntax, rdf_format
from graph.query.results import Choose, Rows
from graph.store import registry
from graph.store.readers import ReaderEpochs
from graph.store.registry import SourceGraph, SourceInfo

Scope = Literal["all", "public"] | Entitlement
"""Who reads: ``all`` (the local data manager), ``public`` (anonymous) or an authenticated caller's entitlement."""

StoredQuad = tuple[str, str, str, str]
"""A quad as the store holds it: subject, predicate and object in N-Triples, and the graph's IRI ("" for the
default graph)."""

DEFAULT_GRAPH = ""
"""The ``graph`` of :meth:`ReadPath.quads` that means the default graph (None means any graph)."""


def sees(scope: Scope, graph: SourceGraph) -> bool:
    """True if a reader of ``scope`` is given ``graph``."""
    return everything(scope) or graph.access == "public" or (
        isinstance(scope, Entitlement) and scope.allows(graph.access_key))


class ReadPath:
    """Reading: the part of :class:`~graph.store.embedded.GraphStore` that never writes."""

    path: Path | None
    minter: Minter
    meta: str
    version: int
    _engine: ox.Store
    _state_lock: threading.Lock
    _epochs: ReaderEpochs
    _sources: dict[str, SourceInfo]
    _clean: bool
    _scopes: dict[Scope, tuple[int, tuple[str, ...]]]

    @property
    def sources(self) -> dict[str, SourceInfo]:
        """The registered sources, keyed by source IRI (a snapshot)."""
        with self._state_lock:
            return dict(self._sources)

    @property
    def is_clean(self) -> bool:
        """True when the store holds no staged graph and no garbage, so an ``all`` read uses the union of
        every graph (the fast path, docs/store.md §6); false from the start of a write until the collector is done."""
        with self._state_lock:
            return self._clean

    def graphs(self, scope: Scope = "all") -> list[str]:
        """The named graphs a reader of ``scope`` sees (``all`` includes the meta graph)."""
        with self._state_lock:
            return list(self._scope_graphs(scope))

    def _scope_graphs(self, scope: Scope) -> tuple[str, ...]:
        # Kept per scope until the next write: a token's scope walks every registered graph (3 ms at 4,284).
        cached = self._scopes.get(scope)
        if cached is not None and cached[0] == self.version:
            return cached[1]
        # The meta graph names files and restricted graphs: only the data managers (CLI, staff tokens) see it.
        graphs = [self.meta] if everything(scope) else []
        for info in self._sources.values():
            graphs += [g.iri for g in info.graphs if sees(scope, g)]
        if len(self._scopes) > 1000:
            self._scopes.clear()
        self._scopes[scope] = (self.version, tuple(graphs))
        return self._scopes[scope][1]

    @contextmanager
    def reading(self, scope: Scope = "all") -> Iterator[Dataset]:
        """The dataset that confines a read to ``scope``, for :meth:`query_over` and :meth:`answer`.

        Consume the results inside the block: graphs that were current when it started stay in the
        store until it ends.
        """
        with self._epochs.reading():
            with self._state_lock:
                if everything(scope) and self._clean:
                    dataset = Dataset(union=True)
                else:
                    graphs = self._scope_graphs(scope)
                    dataset = Dataset(graphs, graphs)
            yield dataset

    def query(self, sparql: str, scope: Scope = "all") -> Any:
        """Run a SPARQL query and return its results as plain values (:mod:`graph.query.terms`).

        SELECT gives ``(variables, rows)`` with rows as lists of terms (None where unbound), ASK a ``bool``,
        CONSTRUCT/DESCRIBE a list of triples (:data:`graph.query.results.Results`; typed ``Any`` so that a
        caller that knows its query's form unpacks it without a check).
        """
        with self.reading(scope) as dataset:
            return results.materialize(results.run(self._engine, sparql, dataset))

    def query_over(self, sparql: str, dataset: Dataset) -> Any:
        """:meth:`query` over a dataset of :meth:`reading`: call it inside that block."""
        return results.materialize(results.run(self._engine, sparql, dataset))

    def values_over(self, sparql: str, dataset: Dataset) -> tuple[list[str], Rows]:
        """:meth:`values` over a dataset of :meth:`reading`: call it inside that block. The search index reads every
        named graph this way and keeps the registered graphs' rows itself (:mod:`graph.search.facts`)."""
        return results.values(results.run(self._engine, sparql, dataset))

    def values(self, sparql: str, scope: Scope = "all") -> tuple[list[str], Rows]:
        """Run a SELECT and return ``(variables, rows)`` of Python values: IRIs and dates as text, numbers as
        numbers, None where unbound (:func:`graph.query.terms.python_value`), without term objects between."""
        with self.reading(scope) as dataset:
            return results.values(results.run(self._engine, sparql, dataset))

    def serialize(
        self,
        sparql: str,
        results_syntax: ResultsSyntax = ResultsSyntax.JSON,
        graph_syntax: RdfSyntax = RdfSyntax.N_TRIPLES,
        scope: Scope = "all",
    ) -> bytes:
        """Run a query and serialize its results: SELECT/ASK in ``results_syntax``, CONSTRUCT/DESCRIBE in
        ``graph_syntax``."""
        with self.reading(scope) as dataset:
            return results.serialize(results.run(self._engine, sparql, dataset), results_syntax, graph_syntax)

    def answer(self, sparql: str, dataset: Dataset, choose: Choose, max_bytes: int) -> tuple[bytes, str]:
        """Run ``sparql`` over ``dataset`` (of :meth:`reading`: call it inside that block) and write the answer in
        the format ``choose`` picks for its kind, at most ``max_bytes``: ``(body, media type)``.

        :class:`~graph.errors.ResultTooLarge` past the cap. The SPARQL endpoint's path for a store without a
        directory that a query worker could open (:mod:`resolvers.sparql_worker`).
        """
        return results.answer(self._engine, sparql, dataset, choose, max_bytes)

    def count(self, scope: Scope = "all") -> int:
        """Number of triples a reader of ``scope`` sees (each graph counted separately)."""
        _, rows = self.values("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", scope)
        return int(rows[0][0])

    # ------------------------------------------------------------ the store as it is, whatever the registry says

    def count_graph(self, graph: str) -> int:
        """Distinct triples in the named graph ``graph``, counted by the store: what the registry's triple
        counts must agree with."""
        _, rows = self.query_over(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", Dataset())
        return int(rows[0][0].value)

    def has_graph(self, graph: str) -> bool:
        """True if the store holds a named graph ``graph`` (registered or not: a stage, garbage, a user's graph)."""
        return bool(self._engine.contains_named_graph(ox.NamedNode(graph)))

    def named_graphs(self) -> list[str]:
        """Every named graph the store holds, registered or not (garbage included): checks of what a load or
        a crash left on disk."""
        return [g.value if isinstance(g, ox.NamedNode) else str(g) for g in self._engine.named_graphs()]

    def quads(self, subject: str | None = None, predicate: str | None = None, object: str | None = None,
              graph: str | None = None) -> Iterator[StoredQuad]:
        """The quads the store holds that match a pattern of IRIs (None: anything; ``graph`` may be
        :data:`DEFAULT_GRAPH`), whatever scope or registration: checks that compare the store with what was
        written, and exports of whole graphs. Literals are matched with :meth:`query`.
        """
        def node(iri: str | None) -> ox.NamedNode | None:
            return None if iri is None else ox.NamedNode(iri)

        where = None if graph is None else ox.DefaultGraph() if graph == DEFAULT_GRAPH else ox.NamedNode(graph)
        for q in self._engine.quads_for_pattern(node(subject), node(predicate), node(object), where):
            name = q.graph_name
            g = name.value if isinstance(name, ox.NamedNode) else "" if isinstance(name, ox.DefaultGraph) else str(name)
            yield str(q.subject), str(q.predicate), str(q.object), g

    def total_quads(self) -> int:
        """Every quad the store holds, in every graph, registered or not."""
        return len(self._engine)

    def dump(self, out: IO[bytes], syntax: RdfSyntax, graph: str | None = None) -> None:
        """Write the named graph ``graph`` (None: the whole store, in a quad syntax) to ``out`` in ``syntax``,
        straight from the store: exports that need no SPARQL."""
        options: dict[str, Any] = {} if graph is None else {"from_graph": ox.NamedNode(graph)}
        self._engine.dump(out, rdf_format(syntax), **options)

    def registered_sources(self) -> dict[str, SourceInfo]:
        """The registrations as the meta graph holds them now, read afresh (:attr:`sources` is the in-memory
        copy): for checking that the two agree."""
        return registry.read_sources(self._engine, self.meta)

    def recorded_base(self) -> str | None:
        """The base IRI the meta graph records, read afresh; None before the first registration."""
        return registry.read_base(self._engine)
