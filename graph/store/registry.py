"""The meta graph: which sources are loaded and which named graphs hold each one now.

Every load is recorded as a ``pankg:SourceLoad`` node (kind, location, content hash, time,
generation) pointing at its current ``pankg:SourceGraph`` nodes (one per access key, with their
triple counts; a restricted graph records each group entitled to it as one ``pankg:accessGroup`` and, when
an embargo date restricts it, that date as ``pankg:embargoEndDate``: see :mod:`graph.model.access`). This is the
metadata about metadata, queryable like any other triple; it is also
the switch that makes a load visible: replacing a source's registration is one SPARQL update, one
transaction, so readers see the old graphs or the new ones, never a mix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from importlib import metadata

import pyoxigraph as ox

from graph.model.access import parse, readers_key
from graph.model.iris import Minter
from graph.model.nt import literal, typed
from ontology.namespaces import PROV, RDF
from ontology.terms import PANKG


def _version() -> str:
    """pankg's version from its installed metadata: part of every source fingerprint and registration."""
    try:
        return metadata.version("pankg")
    except metadata.PackageNotFoundError:
        return "0+unknown"


VERSION = _version()
ACCESS_CLASS = {"public": PANKG.Public, "restricted": PANKG.Restricted}


@dataclass(frozen=True)
class SourceGraph:
    iri: str
    access: str
    """``public`` or ``restricted``: the access level (what ``pankg:accessLevel`` records)."""
    triples: int
    key: str = ""
    """The access key (:mod:`graph.model.access`) that chose the graph; empty: the level itself."""

    @property
    def access_key(self) -> str:
        return self.key or self.access


@dataclass(frozen=True)
class SourceInfo:
    """One loaded source as the meta graph records it."""

    iri: str
    kind: str
    location: str
    content_hash: str
    generation: int
    loaded_at: dt.datetime
    loader_version: str
    graphs: tuple[SourceGraph, ...] = field(default=())
    next_release: dt.date | None = None
    """The earliest embargo end still ahead when loaded: from that day the same content maps differently."""

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


def source_iri(minter: Minter, kind: str, location: str) -> str:
    """The stable IRI of a source: its kind plus a digest of where it was read from."""
    digest = hashlib.sha256(location.encode()).hexdigest()[:16]
    return minter.minted("source", f"{kind}.{digest}")


def graph_iri(minter: Minter, kind: str, location: str, generation: int, access: str) -> str:
    """The named graph holding one generation of a source at one access key: ``...v2.public``,
    ``...v2.restricted`` (staff only) or ``...v2.restricted.<group>[,<group>...][@<date>]`` (percent-encoded)."""
    digest = hashlib.sha256(location.encode()).hexdigest()[:16]
    name = access.replace(":", ".", 1) if access.startswith("restricted:") else access
    return minter.minted("graph", f"{kind}.{digest}.v{generation}.{name}")


_GENERATION = re.compile(r"(.+?\.[0-9a-f]{16}\.v)(\d+)\.")


def graph_generation(minter: Minter, graph: str) -> tuple[str, int] | None:
    """``(prefix, generation)`` of a graph named by :func:`graph_iri` (the prefix names the source: every
    generation of one source shares it); None for any other IRI. A new stage is numbered past every
    generation still in the store, so that it never writes into a graph the garbage collector is dropping."""
    ours = minter.minted("graph", "")
    found = _GENERATION.match(graph, len(ours)) if graph.startswith(ours) else None
    return (graph[:found.end(1)], int(found.group(2))) if found else None


def highest_generations(minter: Minter, graphs: list[str]) -> dict[str, int]:
    """The highest generation of each source among ``graphs``, keyed by :func:`generation_prefix`."""
    highest: dict[str, int] = {}
    for graph in graphs:
        seen = graph_generation(minter, graph)
        if seen is not None and seen[1] > highest.get(seen[0], 0):
            highest[seen[0]] = seen[1]
    return highest


def generation_prefix(minter: Minter, kind: str, location: str) -> str:
    """The part of a source's graph IRIs before the generation: the key of :func:`graph_generation`."""
    return graph_iri(minter, kind, location, 0, "public").removesuffix("0.public")


META_GRAPH = "https://w3id.org/pankg/graph/meta"
"""The meta graph has one IRI whatever the base of minted IRIs, so a store always finds its registry."""


def read_base(store: ox.Store) -> str | None:
    """The base IRI the store's entities were minted under, as recorded by the first load."""
    results = store.query(
        f"SELECT ?base WHERE {{ <{META_GRAPH}> <{PANKG.baseIri}> ?base }}", default_graph=ox.NamedNode(META_GRAPH)
    )
    assert isinstance(results, ox.QuerySolutions)
    for row in results:
        return str(row["base"].value)
    return None


def base_update(base: str) -> str:
    return f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{PANKG.baseIri}> {literal(base)} }} }}"


def read_write_version(store: ox.Store) -> int:
    """The store's write version as the meta graph records it (0 before the first write)."""
    results = store.query(
        f"SELECT ?v WHERE {{ <{META_GRAPH}> <{PANKG.writeVersion}> ?v }}", default_graph=ox.NamedNode(META_GRAPH)
    )
    assert isinstance(results, ox.QuerySolutions)
    return max((int(row["v"].value) for row in results), default=0)


def write_version_update() -> str:
    """One SPARQL update step that adds one to the store's ``pankg:writeVersion``: appended to every write's
    update, it is bumped in the same transaction, so a crash leaves the version and the graphs in step."""
    node, prop = f"<{META_GRAPH}>", f"<{PANKG.writeVersion}>"
    return (
        f"DELETE {{ GRAPH {node} {{ {node} {prop} ?old }} }} INSERT {{ GRAPH {node} {{ {node} {prop} ?new }} }}"
        f" WHERE {{ OPTIONAL {{ GRAPH {node} {{ {node} {prop} ?old }} }} BIND(COALESCE(?old + 1, 1) AS ?new) }}"
    )


_READ = f"""
SELECT ?src ?kind ?loc ?hash ?gen ?at ?ver ?release ?g ?acc ?n ?group ?until WHERE {{
  ?src a <{PANKG.SourceLoad}> ; <{PANKG.sourceKind}> ?kind ; <{PANKG.sourceLocation}> ?loc ;
       <{PANKG.contentHash}> ?hash ; <{PANKG.generation}> ?gen ; <{PROV.generatedAtTime}> ?at ;
       <{PANKG.loaderVersion}> ?ver .
  OPTIONAL {{ ?src <{PANKG.nextRelease}> ?release }}
  OPTIONAL {{ ?src <{PANKG.currentGraph}> ?g . ?g <{PANKG.accessLevel}> ?acc ; <{PANKG.tripleCount}> ?n
             OPTIONAL {{ ?g <{PANKG.accessGroup}> ?group }} OPTIONAL {{ ?g <{PANKG.embargoEndDate}> ?until }} }}
}}"""


def read_sources(store: ox.Store, meta: str) -> dict[str, SourceInfo]:
    """All registered sources, keyed by source IRI."""
    rows: dict[str, dict[str, object]] = {}
    graphs: dict[str, dict[str, _Registered]] = {}  # source -> graph IRI -> its rows gathered
    results = store.query(_READ, default_graph=ox.NamedNode(meta))
    assert isinstance(results, ox.QuerySolutions)
    for row in results:
        src = row["src"].value
        rows.setdefault(
            src,
            {
                "kind": row["kind"].value,
                "location": row["loc"].value,
                "hash": row["hash"].value,
                "gen": int(row["gen"].value),
                "at": dt.datetime.fromisoformat(row["at"].value),
                "ver": row["ver"].value,
                "release": dt.date.fromisoformat(row["release"].value) if row["release"] is not None else None,
                "graphs": [],
            },
        )
        if row["g"] is not None:
            _graph_row(graphs.setdefault(src, {}), row)
    for src, found in graphs.items():
        rows[src]["graphs"] = [graph.source_graph(iri) for iri, graph in found.items()]
    return {
        src: SourceInfo(
            iri=src,
            kind=str(v["kind"]),
            location=str(v["location"]),
            content_hash=str(v["hash"]),
            generation=int(v["gen"]),  # type: ignore[call-overload]
            loaded_at=v["at"],  # type: ignore[arg-type]
            loader_version=str(v["ver"]),
            graphs=tuple(sorted(v["graphs"], key=lambda g: g.access_key)),  # type: ignore[call-overload]
            next_release=v["release"],  # type: ignore[arg-type]
        )
        for src, v in rows.items()
    }


@dataclass
class _Registered:
    """A graph as the meta graph's rows give it: one row per ``pankg:accessGroup`` of a graph read by several."""

    access: str
    triples: int
    until: dt.date | None
    groups: set[str] = field(default_factory=set)

    def source_graph(self, iri: str) -> SourceGraph:
        """Its restricted key is rebuilt from its groups and date (also those a store loaded by an earlier
        version recorded, one group each), so a key reads back as it was written."""
        key = readers_key(self.groups, self.until) if self.access == "restricted" else self.access
        return SourceGraph(iri, self.access, self.triples, key)


def _graph_row(found: dict[str, _Registered], row: ox.QuerySolution) -> None:
    """Gather one row of a source's graph into ``found`` (graph IRI -> what is registered)."""
    graph = found.get(row["g"].value)
    if graph is None:
        access = "restricted" if row["acc"].value == PANKG.Restricted else "public"
        until = dt.date.fromisoformat(row["until"].value) if row["until"] is not None else None
        graph = found[row["g"].value] = _Registered(access, int(row["n"].value), until)
    if row["group"] is not None:
        graph.groups.add(row["group"].value)


def _unregister(meta: str, src: str) -> str:
    return (
        f"DELETE {{ GRAPH <{meta}> {{ ?g ?p ?o }} }} "
        f"WHERE {{ GRAPH <{meta}> {{ <{src}> <{PANKG.currentGraph}> ?g . ?g ?p ?o }} }} ;\n"
        f"DELETE {{ GRAPH <{meta}> {{ <{src}> ?p ?o }} }} WHERE {{ GRAPH <{meta}> {{ <{src}> ?p ?o }} }}"
    )


def swap_update(meta: str, info: SourceInfo) -> str:
    """One SPARQL update that replaces a source's registration: the atomic switch of a load."""
    s = f"<{info.iri}>"
    lines = [
        f"{s} a <{PANKG.SourceLoad}>, <{PROV.Entity}> .",
        f"{s} <{PANKG.sourceKind}> {literal(info.kind)} .",
        f"{s} <{PANKG.sourceLocation}> {literal(info.location)} .",
        f"{s} <{PANKG.contentHash}> {literal(info.content_hash)} .",
        f"{s} <{PANKG.generation}> {typed(info.generation)} .",
        f"{s} <{PROV.generatedAtTime}> {typed(info.loaded_at)} .",
        f"{s} <{PANKG.loaderVersion}> {literal(info.loader_version)} .",
    ]
    if info.next_release:
        lines.append(f"{s} <{PANKG.nextRelease}> {typed(info.next_release)} .")
    for g in info.graphs:
        lines += [
            f"{s} <{PANKG.currentGraph}> <{g.iri}> .",
            f"<{g.iri}> <{RDF.type}> <{PANKG.SourceGraph}> .",
            f"<{g.iri}> <{PANKG.accessLevel}> <{ACCESS_CLASS[g.access]}> .",
            f"<{g.iri}> <{PANKG.tripleCount}> {typed(g.triples)} .",
            f"<{g.iri}> <{PROV.wasDerivedFrom}> {s} .",
        ]
        readers, until = parse(g.access_key) if g.access != "public" else ((), None)
        for reader in readers:
            lines.append(f"<{g.iri}> <{PANKG.accessGroup}> {literal(reader)} .")
        if until is not None:
            lines.append(f"<{g.iri}> <{PANKG.embargoEndDate}> {typed(until)} .")
    body = "\n".join(lines)
    return f"{_unregister(meta, info.iri)} ;\nINSERT DATA {{ GRAPH <{meta}> {{\n{body}\n}} }}"


def recount_update(meta: str, graph: str) -> str:
    """One SPARQL update step that sets a registered graph's ``pankg:tripleCount`` to what the graph holds
    now; appended to the update that changed the graph, it counts inside the same transaction."""
    count, node = f"<{PANKG.tripleCount}>", f"<{graph}>"
    return (
        f"DELETE {{ GRAPH <{meta}> {{ {node} {count} ?old }} }} INSERT {{ GRAPH <{meta}> {{ {node} {count} ?n }} }}"
        f" WHERE {{ GRAPH <{meta}> {{ {node} {count} ?old }}"
        f" {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }} }} }}"
    )


def remove_update(meta: str, src: str) -> str:
    """One SPARQL update that unregisters a source (its graphs become garbage)."""
    return _unregister(meta, src)
