"""Provenance as a graph to draw: ``lineage(pid, direction, maxDepth)`` -> ``{nodes, edges}``.

Walks breadth first from one node, one SPARQL query per depth level (a UNION over the whole frontier),
along the PROV chain and citations:

    raw dataset <-used- analysis run -usedSoftware-> software version -isVersionOf-> software
    derived dataset -wasGeneratedBy-> run ;  derived -wasDerivedFrom-> raw ;  paper -cites-> dataset (via its DOI)

Edges are always stated as PROV states them (``derived wasGeneratedBy run``, ``run used raw``), whatever
the direction walked, so a client draws them the same way from either end.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from resolvers.graphql.nodes import INFO
from resolvers.graphql.sparql import iri

MAX_DEPTH = 10
MAX_NODES = 2000


@strawberry.enum
class Direction(Enum):
    UPSTREAM = "upstream"
    DOWNSTREAM = "downstream"
    BOTH = "both"


# (relation, pattern from ?s to ?o, is the edge stated ?s -> ?o (True) or ?o -> ?s (False))
UPSTREAM = [
    ("wasGeneratedBy", "?s prov:wasGeneratedBy ?o .", True),
    ("used", "?s prov:used ?o .", True),
    ("usedSoftware", "?s pankg:usedSoftware ?o .", True),
    ("isVersionOf", "?s dcterms:isVersionOf ?o .", True),
    ("wasDerivedFrom", "?s prov:wasDerivedFrom ?o . ?o a dcat:Dataset .", True),
    ("cites", "?s cito:cites ?c . { ?c dcterms:hasPart ?o . ?o a dcat:Dataset } UNION { ?o pankg:doi ?c } "
              "UNION { BIND(?c AS ?o) ?o a dcat:Dataset }", True),
]
DOWNSTREAM = [
    ("wasGeneratedBy", "?o prov:wasGeneratedBy ?s .", False),
    ("used", "?o prov:used ?s . ?s a dcat:Dataset .", False),
    ("wasDerivedFrom", "?o prov:wasDerivedFrom ?s . ?o a dcat:Dataset .", False),
    ("cites", "{ ?s pankg:doi ?c . ?o cito:cites ?c } UNION { ?o cito:cites ?s . ?s a dcat:Dataset }", False),
]
KINDS = {
    "http://www.w3.org/ns/dcat#Dataset": "DATASET",
    "https://w3id.org/pankg/ontology#AnalysisRun": "RUN",
    "https://w3id.org/pankg/ontology#SoftwareVersion": "SOFTWARE_VERSION",
    "https://w3id.org/pankg/ontology#Software": "SOFTWARE",
    "https://w3id.org/pankg/ontology#Publication": "PUBLICATION",
    "https://w3id.org/pankg/ontology#DOIRecord": "DOI",
}


@strawberry.type(description="A node of a lineage graph: its IRI, kind and label (the public view of it).")
class LineageNode:
    iri: str = strawberry.field(graphql_type=strawberry.ID)
    kind: str | None
    label: str | None
    depth: int


@strawberry.type(description="A provenance statement: `source relation target`, e.g. derived wasGeneratedBy run.")
class LineageEdge:
    source: str = strawberry.field(graphql_type=strawberry.ID)
    relation: str
    target: str = strawberry.field(graphql_type=strawberry.ID)


@strawberry.type
class Lineage:
    nodes: list[LineageNode]
    edges: list[LineageEdge]


def _level_query(up: list[str], down: list[str], start: str | None) -> str:
    """One query for a depth level: upstream steps from ``up``, downstream steps from ``down`` (a node found
    walking up keeps walking up, so BOTH gives ancestors and descendants, not the whole component)."""
    branches = []
    for frontier, steps in ((up, UPSTREAM), (down, DOWNSTREAM)):
        if frontier:
            values = f"VALUES ?s {{ {' '.join(iri(n) for n in frontier)} }}"
            branches += [f'{{ {values} {pattern} BIND("{rel}" AS ?rel) BIND({str(forward).lower()} AS ?fwd) }}'
                         for rel, pattern, forward in steps]
    if start is not None:  # the start node itself: its kind and label
        branches.append(f'{{ VALUES ?s {{ {iri(start)} }} BIND(?s AS ?o) BIND("self" AS ?rel) BIND(true AS ?fwd) }}')
    return (f"SELECT DISTINCT ?s ?rel ?fwd ?o ?type ?label WHERE {{ {{ {' UNION '.join(branches)} }} "
            f"OPTIONAL {{ ?o a ?type . VALUES ?type {{ {' '.join(iri(k) for k in KINDS)} }} }} "
            f"OPTIONAL {{ ?o rdfs:label ?label }} }}")


async def lineage(info: INFO, start: str, direction: Direction, max_depth: int) -> Lineage | None:
    """The lineage graph around ``start`` (None when the reader can see no such node)."""
    ctx = info.context
    nodes: dict[str, LineageNode] = {}
    edges: dict[tuple[str, str, str], LineageEdge] = {}
    up = [start] if direction != Direction.DOWNSTREAM else []
    down = [start] if direction != Direction.UPSTREAM else []
    for depth in range(max(max_depth, 1)):
        if not up and not down and depth:
            break
        rows = await ctx.select(_level_query(up if max_depth else [], down if max_depth else [],
                                             start if depth == 0 else None))
        up, down = [], []
        for s, rel, fwd, o, kind, label in rows:
            s, o = str(s), str(o)
            if rel == "self":
                nodes.setdefault(o, LineageNode(iri=o, kind=None, label=None, depth=0))
            else:
                source, target = (s, o) if fwd else (o, s)
                edges.setdefault((source, rel, target), LineageEdge(source=source, relation=rel, target=target))
                if o not in nodes:
                    nodes[o] = LineageNode(iri=o, kind=None, label=None, depth=depth + 1)
                    (up if fwd else down).append(o)
            node = nodes[o]
            if kind is not None and node.kind is None:
                node.kind = KINDS[str(kind)]
            if label is not None and node.label is None:
                node.label = str(label)
        if depth == 0 and (start not in nodes or nodes[start].kind is None) and not edges:
            return None  # nothing this reader can see has that PID
        if len(nodes) > MAX_NODES:
            break
    return Lineage(nodes=sorted(nodes.values(), key=lambda n: (n.depth, n.iri)),
                   edges=sorted(edges.values(), key=lambda e: (e.source, e.relation, e.target)))
