"""User graphs: the named graphs SPARQL Update (and the Graph Store Protocol) may write, and how an update is
applied without touching what pankg loaded.

pankg's own graphs are replaced as a whole by every load (:meth:`GraphStore.replace_source`) and counted in
the meta graph, so an edit to them would be lost at the next load or leave the counts wrong. Updates therefore
write *user graphs* only: any named graph outside pankg's namespace (``<base>graph/``) other than the meta
graph, that is either new or was itself written by an update. Each user graph is registered as a source of
kind ``sparql`` whose location is the graph's IRI, so ``pankg stats``, the service description and every scope
see it like any loaded graph. User graphs are public (``docs/access.md``).

An update is parsed first (:func:`graph.query.syntax.read_update`): one that cannot be parsed is a 400, and
one whose parse tree has a ``LOAD``, a ``SERVICE`` or an IRI of pankg's graphs is refused. It then runs on a
scratch in-memory store that holds a copy of the user graphs and nothing else, on a thread without network
(:mod:`graph.query.sandbox`: even an update the parse misread cannot fetch a URL):

- its ``WHERE`` clauses read the user graphs only, so no update can copy restricted or meta data into a
  public graph (oxigraph's ``Store.update`` takes no dataset to confine it to a scope);
- ``CLEAR ALL`` / ``DROP ALL`` mean the user graphs;
- the result is checked (no write to the default graph, to pankg's graphs or to a graph pankg did not write),
  then what changed (the quads removed and added, not the whole graphs) is written back with the
  registrations in **one** SPARQL update, one transaction. An update that fails anywhere leaves the store as
  it was.

The cost is a copy of the user graphs per update (0.5 s next to 100,000 user-graph triples), except for an
update made of ``INSERT DATA`` only, which reads nothing and runs on an empty scratch store (1.5 ms for 10
triples, bench/writes.py): fine for the annotations and corrections they are for, not a bulk-load path (use
``pankg load``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import pyoxigraph as ox

from graph.errors import PankgError, QueryError
from graph.query import sandbox
from graph.query.results import brief
from graph.query.syntax import read_update
from graph.store import registry
from graph.store.embedded import VERSION, GraphStore
from graph.store.registry import SourceGraph, SourceInfo

KIND = "sparql"


class UpdateRefused(PankgError):
    """An update this store does not run: it writes pankg's graphs or the default graph, or fetches a URL."""

    status = 403


def managed(store: GraphStore, graph: str) -> bool:
    """True for a graph pankg owns: the meta graph and everything under ``<base>graph/`` (loads replace them)."""
    return graph == store.meta or graph.startswith(store.minter.minted("graph", ""))


def user_graphs(store: GraphStore) -> dict[str, SourceInfo]:
    """The user graphs, by graph IRI, with their registrations."""
    return {info.location: info for info in store.sources.values() if info.kind == KIND}


def check_writable(store: GraphStore, graph: str, users: dict[str, SourceInfo] | None = None) -> None:
    """Raise :class:`UpdateRefused` unless an update may write ``graph``."""
    if managed(store, graph):
        raise UpdateRefused(
            f"<{graph}> is managed by pankg (loaded sources and the meta graph are replaced by loads): "
            "updates may write only other named graphs"
        )
    users = user_graphs(store) if users is None else users
    if graph not in users and store.has_graph(graph):
        raise UpdateRefused(f"<{graph}> was not written by an update: updates leave it alone")


def apply_update(store: GraphStore, sparql: str, base_iri: str | None = None) -> list[str]:
    """Run a SPARQL update against the user graphs and commit it atomically; returns the graphs it changed.

    What the update may do is decided on its parse tree (:func:`graph.query.syntax.read_update`), and the
    engine runs it without network (:mod:`graph.query.sandbox`). Raises :class:`QueryError` (400) for an update
    that cannot be parsed and :class:`UpdateRefused` (403) for one that would fetch a URL (``LOAD``,
    ``SERVICE``) or touch anything but user graphs; in every case nothing is written.
    """
    facts = read_update(sparql, base_iri)
    if facts.loads or facts.services:
        what = "LOAD" if facts.loads else "SERVICE"
        raise UpdateRefused(f"{what} is not allowed in an update: the server fetches no URL")
    for iri in sorted(facts.iris):
        if managed(store, iri):
            check_writable(store, iri)
    # Updates take turns with loads: the copy, the run and the commit see one state of the user graphs.
    with store.writing():
        users = user_graphs(store)
        scratch = scratch_copy(store, [] if facts.insert_only else users)
        run_on(scratch, sparql, base_iri)
        after = written(scratch)
        if facts.insert_only:
            return _insert(store, users, after)
        before = scratch.before
        changed = sorted(g for g in set(before) | set(after) if before.get(g, set()) != after.get(g, set()))
        for graph in changed:
            check_writable(store, graph, users)
        if changed:
            commit(store, users, {g: change(before.get(g, set()), after.get(g, set())) for g in changed})
        return changed


# ---------------------------------------------------------------------------------------- an update's steps
# Public so that bench/writes_phases.py times them one by one, as apply_update takes them (inside store.writing()).


@dataclass
class Scratch:
    """The in-memory store an update runs on, and what each user graph copied into it held before."""

    engine: ox.Store
    before: dict[str, set[ox.Quad]]


def scratch_copy(store: GraphStore, graphs: Iterable[str]) -> Scratch:
    """A scratch store holding a copy of ``graphs`` and nothing else."""
    scratch = Scratch(ox.Store(), {})
    for graph in graphs:
        scratch.before[graph] = _quads_of(store, graph)
        scratch.engine.extend(scratch.before[graph])
    return scratch


def run_on(scratch: Scratch, sparql: str, base_iri: str | None = None) -> None:
    """Run the update on the scratch store, on a thread without network; its errors worded for the caller."""
    try:
        sandbox.offline(_run_update, scratch.engine, sparql, base_iri)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {brief(exc)}") from None
    except (OSError, ValueError, TypeError) as exc:
        if sandbox.network_refused(exc):
            raise UpdateRefused("the update tried to reach another server: the server fetches no URL") from None
        raise QueryError(f"update failed: {brief(exc)}") from None


def _run_update(scratch: ox.Store, sparql: str, base_iri: str | None) -> None:
    scratch.update(sparql, base_iri=base_iri)


def written(scratch: Scratch) -> dict[str, set[ox.Quad]]:
    """What the scratch store's named graphs hold after the update; :class:`UpdateRefused` if it wrote the
    default graph."""
    engine = scratch.engine
    if next(iter(engine.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        raise UpdateRefused(
            "updates may not write the default graph (it is the union of the graphs a caller sees): "
            "write to a named graph, e.g. INSERT DATA { GRAPH <http://example.org/notes> { ... } }"
        )
    return {g.value: set(engine.quads_for_pattern(None, None, None, g))
            for g in engine.named_graphs() if isinstance(g, ox.NamedNode)}


def _insert(store: GraphStore, users: dict[str, SourceInfo], written: dict[str, set[ox.Quad]]) -> list[str]:
    """Commit what an INSERT DATA-only update wrote into an empty scratch store: the quads the store lacks."""
    changes: dict[str, Change] = {}
    for graph, quads in sorted(written.items()):
        check_writable(store, graph, users)
        added = {q for q in quads if q not in store.engine}
        if added:
            changes[graph] = Change(set(), added, (users[graph].triples if graph in users else 0) + len(added))
    if changes:
        commit(store, users, changes)
    return sorted(changes)


# ---------------------------------------------------------------------------------------- Graph Store Protocol
# A whole-graph write (``PUT``, ``POST``, ``DELETE`` of /sparql/graphs) is the same commit as an update's, so
# it is as atomic, is registered the same way and is refused for the same graphs.


def _quads_of(store: GraphStore, graph: str) -> set[ox.Quad]:
    return set(store.engine.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def _write_graph(store: GraphStore, graph: str, triples: Iterable[ox.Quad | ox.Triple], merge: bool) -> bool:
    node = ox.NamedNode(graph)
    new = {ox.Quad(t.subject, t.predicate, t.object, node) for t in triples}
    with store.writing():
        users = user_graphs(store)
        check_writable(store, graph, users)
        if merge and not _has_blank(new):
            # A merge needs only the quads it adds, not the whole graph: O(body), whatever the graph's size.
            added = {q for q in new if q not in store.engine}
            held = users[graph].triples if graph in users else 0
            if added:
                commit(store, users, {graph: Change(set(), added, held + len(added))})
            return not held and bool(added)
        before = _quads_of(store, graph)
        after = before | new if merge else new
        if after != before:
            commit(store, users, {graph: change(before, after)})
        return not before and bool(after)


def replace_graph(store: GraphStore, graph: str, triples: Iterable[ox.Quad | ox.Triple]) -> bool:
    """Make ``triples`` the whole content of user graph ``graph`` (Graph Store ``PUT``); True if it is new.

    Only the triples' subject, predicate and object count (a parsed triple comes in the default graph). An
    empty ``triples`` drops the graph: a store holds no empty graphs, and an unregistered one is absent.
    Raises :class:`UpdateRefused` for a graph an update may not write; nothing is written then.
    """
    return _write_graph(store, graph, triples, merge=False)


def merge_graph(store: GraphStore, graph: str, triples: Iterable[ox.Quad | ox.Triple]) -> bool:
    """Add ``triples`` to user graph ``graph``, creating it if needed (Graph Store ``POST``); True if it is new.

    Give blank nodes fresh labels when parsing (``rename_blank_nodes``), or they merge with the graph's own.
    """
    return _write_graph(store, graph, triples, merge=True)


def drop_graph(store: GraphStore, graph: str) -> bool:
    """Remove user graph ``graph`` and its registration (Graph Store ``DELETE``); False if there was none."""
    with store.writing():
        users = user_graphs(store)
        check_writable(store, graph, users)
        if not _quads_of(store, graph) and graph not in users:
            return False
        commit(store, users, {graph: Change(set(), set(), 0)})
        return True


def _data(quads: Iterable[ox.Quad]) -> str:
    return "\n".join(f"GRAPH <{q.graph_name.value}> {{ {q.subject} {q.predicate} {q.object} }}"  # type: ignore[union-attr]
                     for q in quads)


def _has_blank(quads: Iterable[ox.Quad]) -> bool:
    return any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))


class Change(NamedTuple):
    """What a write does to one user graph: the quads it removes and adds, the graph's size after it, and the
    whole new content when the graph must be rewritten (a change touching blank nodes)."""

    gone: set[ox.Quad]
    new: set[ox.Quad]
    triples: int
    whole: set[ox.Quad] | None = None


def change(before: set[ox.Quad], after: set[ox.Quad]) -> Change:
    gone, new = before - after, after - before
    return Change(gone, new, len(after), after if _has_blank(gone) or _has_blank(new) else None)


def commit(store: GraphStore, users: dict[str, SourceInfo], changes: dict[str, Change]) -> None:
    """Write the changes of the user graphs and their registrations in one transaction.

    Only what changed is written (``DELETE DATA`` of the quads gone, ``INSERT DATA`` of the new ones): rewriting
    the whole graph made adding 10 triples to a graph of 100,000 take 6.7 s (bench/writes.py) and left the
    store a tombstone per triple. A graph whose change touches blank nodes is rewritten whole instead (DELETE
    DATA takes no blank nodes), in one INSERT DATA so that blank nodes shared between graphs stay shared.
    """
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    steps: list[str] = []
    rewritten: list[ox.Quad] = []
    registered: dict[str, SourceInfo | None] = {}
    for graph, (gone, new, triples, whole) in changes.items():
        if not triples or whole is not None:
            steps.append(f"DROP SILENT GRAPH <{graph}>")
            rewritten += whole or ()
        else:
            steps += [f"DELETE DATA {{\n{_data(gone)}\n}}"] if gone else []
            steps += [f"INSERT DATA {{\n{_data(new)}\n}}"] if new else []
        src = registry.source_iri(store.minter, KIND, graph)
        if not triples:
            steps.append(registry.remove_update(store.meta, src))
            registered[src] = None
            continue
        old = users.get(graph)
        # A chain over the changes (O(change), not O(graph)): the same writes give the same hash.
        change = "\n".join(["-" + q for q in sorted(map(str, gone))] + ["+" + q for q in sorted(map(str, new))])
        digest = hashlib.sha256(f"{old.content_hash if old else ''}\n{change}".encode()).hexdigest()
        info = SourceInfo(src, KIND, graph, digest, (old.generation if old else 0) + 1, now, VERSION,
                          (SourceGraph(graph, "public", triples, "public"),))
        steps.append(registry.swap_update(store.meta, info))
        registered[src] = info
    if rewritten:
        steps.append("INSERT DATA {\n" + _data(rewritten) + "\n}")
    try:
        store.execute_update(steps)  # with the base IRI, if this is the store's first registration
    except (OSError, ValueError, TypeError, SyntaxError) as exc:
        raise QueryError(f"update failed: {brief(exc)}") from None
    store.register(registered)  # a new store version: the query workers' read-only views are now stale
