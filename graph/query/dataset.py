"""Which graphs a query reads, as plain IRI strings: what :meth:`GraphStore.reading` gives and the endpoints confine.

A :class:`Dataset` is a value: it pickles, so it crosses into a query worker's process as it is, and only
:func:`engine_options` (for graph/ modules) turns it into the engine's query options.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from graph.errors import QueryError


@dataclass(frozen=True)
class Dataset:
    """The dataset of one query.

    ``union``: the default graph is the union of every graph the store holds (the ``all`` scope's fast path);
    else ``default_graphs`` are merged into the default graph (None: the store's own default graph). The
    named graphs a ``GRAPH`` pattern reaches are ``named_graphs`` (None: every named graph). ``base_iri``
    resolves the query's relative IRIs.
    """

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union: bool = False
    base_iri: str | None = None

    @classmethod
    def of(cls, default_graphs: Iterable[str], named_graphs: Iterable[str]) -> Dataset:
        """A dataset of the graphs named by these IRIs; :class:`QueryError` for a string that is not an IRI."""
        default, named = tuple(default_graphs), tuple(named_graphs)
        for value in default + named:
            if not is_iri(value):
                raise QueryError(f"not an IRI: {value!r}")
        return cls(default, named)

    @property
    def visible(self) -> frozenset[str] | None:
        """The named graphs it lets a query see, or None when it lets it see every graph."""
        return None if self.named_graphs is None else frozenset(self.named_graphs)


def is_iri(value: str) -> bool:
    """True if ``value`` is an absolute IRI the engine accepts (a graph name, a dataset parameter)."""
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def engine_options(dataset: Dataset) -> dict[str, Any]:
    """The engine's query options for ``dataset`` (for graph/ modules only)."""
    options: dict[str, Any] = {}
    if dataset.union:
        options["use_default_graph_as_union"] = True
    if dataset.default_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
    if dataset.named_graphs is not None:
        # A scope's dataset names the same graphs twice (GraphStore.reading): build the nodes once.
        same = dataset.named_graphs is dataset.default_graphs
        options["named_graphs"] = options["default_graph"] if same else [ox.NamedNode(g) for g in dataset.named_graphs]
    if dataset.base_iri is not None:
        options["base_iri"] = dataset.base_iri
    return options
