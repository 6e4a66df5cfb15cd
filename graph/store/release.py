"""Publishing embargoed data whose embargo has ended, without the source files: :meth:`GraphStore.release`.

The model keyed every date-restricted quad by its embargo end (``docs/access.md``), so releasing a source is
one SPARQL update, one transaction: copy the due restricted graphs into the source's public graph, drop them,
flip the released datasets' ``pankg:accessLevel`` stub to public, re-register the source, and count the public
graph inside the same update (:func:`graph.store.registry.recount_update`). Readers see before or after, and a
process killed at any moment leaves the one or the other, registered counts included (it used to be two
updates: a kill between them left the public graph's count an estimate).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from graph.model.access import release_update, released, until
from graph.query.dataset import Dataset
from graph.store import faults, registry
from graph.store.registry import SourceGraph, SourceInfo
from ontology.terms import PANKG

if TYPE_CHECKING:
    from graph.store.writes import WritePath


def release(store: WritePath, as_of: dt.date | None = None) -> list[SourceInfo]:
    """Make public the restricted graphs whose embargo has ended by ``as_of`` (default today); returns the
    sources changed, one update per source."""
    today = as_of or dt.date.today()
    changed: list[SourceInfo] = []
    with store.writing():
        for info in list(store.sources.values()):
            due = [g for g in info.graphs if g.access != "public" and released(g.access_key, today) == "public"]
            if not due:
                continue
            public = next((g for g in info.graphs if g.access == "public"), None)
            target = public.iri if public else registry.graph_iri(
                store.minter, info.kind, info.location, info.generation, "public"
            )
            kept = [g for g in info.graphs if g not in due and g is not public]
            ahead = [d for g in kept if (d := until(g.access_key)) is not None and d > today]
            moved = SourceGraph(target, "public", sum(g.triples for g in due) + (public.triples if public else 0))
            new = dataclasses.replace(info, graphs=tuple(sorted([*kept, moved], key=lambda g: g.access_key)),
                                      next_release=min(ahead) if ahead else None)
            steps = [release_update(g.iri, target) for g in due]
            steps += [registry.swap_update(store.meta, new), registry.recount_update(store.meta, target)]
            store.execute_update(steps, record_base=False)
            faults.reached("release")
            counted = dataclasses.replace(moved, triples=_registered_count(store, target))
            new = dataclasses.replace(new, graphs=tuple(counted if g is moved else g for g in new.graphs))
            store.register({info.iri: new})
            changed.append(new)
    return changed


def _registered_count(store: WritePath, graph: str) -> int:
    """The count the update just registered (a lookup in the meta graph, not a scan of the graph)."""
    _, rows = store.query_over(f"SELECT ?n WHERE {{ GRAPH <{store.meta}> {{ <{graph}> <{PANKG.tripleCount}> ?n }} }}",
                               Dataset())
    return int(rows[0][0].value)
