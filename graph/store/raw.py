"""The bare engine on a store directory, without pankg's registry, scopes, reader epochs, writer turn or collector.

What the benchmarks measure pankg against (``bench/``: a bulk load, a query over the union graph, a graph read
and written whole, each as one engine call), and how pankg opened a store before :mod:`graph.store.collect`
(``bench/recovery.py``). pankg itself never uses it: :class:`~graph.store.embedded.GraphStore` is the store.
Each method is one engine call (or a loop of them), so a baseline costs what the engine costs; values come
out plain, as from the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.query import results
from graph.query.dataset import Dataset
from graph.query.formats import RdfSyntax, rdf_format
from graph.store import registry
from graph.store.registry import SourceInfo


class RawStore:
    """The engine opened on ``path`` (None: in memory), read only if ``read_only``."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        if path is None:
            self._engine = ox.Store()
        else:
            self._engine = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))

    def bulk_load(self, *, data: bytes | None = None, path: Path | str | None = None, syntax: RdfSyntax,
                  graph: str | None = None) -> None:
        """The engine's bulk load of ``data`` or of the file at ``path`` (into ``graph``, for a triple syntax)."""
        target = None if graph is None else ox.NamedNode(graph)
        if path is None:
            self._engine.bulk_load(data, format=rdf_format(syntax), to_graph=target)
        else:
            self._engine.bulk_load(path=str(path), format=rdf_format(syntax), to_graph=target)

    def load(self, data: bytes, syntax: RdfSyntax, graph: str | None = None) -> None:
        """The engine's transactional load of ``data`` (into ``graph``, for a triple syntax)."""
        self._engine.load(data, rdf_format(syntax), to_graph=None if graph is None else ox.NamedNode(graph))

    def update(self, sparql: str) -> None:
        self._engine.update(sparql)

    def query(self, sparql: str, *, union: bool = False) -> Any:
        """The results of ``sparql`` as plain values, as :meth:`GraphStore.query` gives them; ``union``: over the
        union of every graph."""
        return results.materialize(results.run(self._engine, sparql, Dataset(union=union)))

    def named_graphs(self) -> list[str]:
        return [g.value if isinstance(g, ox.NamedNode) else str(g) for g in self._engine.named_graphs()]

    def remove_graph(self, graph: str) -> None:
        self._engine.remove_graph(ox.NamedNode(graph))

    def clear_graph(self, graph: str) -> None:
        self._engine.clear_graph(ox.NamedNode(graph))

    def count(self, graph: str) -> int:
        """The quads of ``graph``, counted one by one as they are read."""
        return sum(1 for _ in self._engine.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def read_graph(self, graph: str, syntax: RdfSyntax) -> bytes:
        """The triples of ``graph`` read and written in ``syntax``: a Graph Store GET without pankg."""
        triples = [ox.Triple(q.subject, q.predicate, q.object)
                   for q in self._engine.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
        return ox.serialize(triples, format=rdf_format(syntax)) or b""

    def sources(self) -> dict[str, SourceInfo]:
        """The sources registered in the meta graph."""
        return registry.read_sources(self._engine, registry.META_GRAPH)

    def flush(self) -> None:
        self._engine.flush()

    def __len__(self) -> int:
        return len(self._engine)

    def close(self) -> None:
        """Release the directory (the engine closes when its last reference goes)."""
        del self._engine
