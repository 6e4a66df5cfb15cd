"""Out of oxigraph, into rdflib: what pySHACL needs to check one chunk of entities, and nothing else.

One SPARQL CONSTRUCT per chunk fetches, for the chunk's entities only, the triples along the paths the
shapes follow and, of the nodes those paths reach, the types that some ``sh:class`` asks for. The
entities themselves are marked with :data:`graph.quality.shapes.FOCUS`, which the runtime shapes target, so a
linked entity that is in the chunk only for its type is not validated on partial data.

The chunk travels as N-Triples text: oxigraph writes it without holding the GIL, and it can be sent to
a worker process as it is (:mod:`graph.quality.run`).
"""

from __future__ import annotations

import re

import rdflib

from graph.quality.shapes import FOCUS, TargetGroup
from graph.query.formats import RdfSyntax, ResultsSyntax
from graph.query.terms import NamedNode
from graph.store.embedded import GraphStore

_TRUE = rdflib.Literal(True)


def entity_count(store: GraphStore, classes: list[str], graphs: tuple[str, ...] = ()) -> int:
    """Distinct entities that are instances of any of ``classes`` (typed in ``graphs``, if given)."""
    values = " ".join(f"<{c}>" for c in classes)
    pattern = f"?this a ?class . VALUES ?class {{ {values} }}"
    if graphs:
        pattern = f"VALUES ?g {{ {' '.join(f'<{g}>' for g in graphs)} }} GRAPH ?g {{ {pattern} }}"
    _, rows = store.query(f"SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0][0].value)


def _focus_query(group: TargetGroup, graphs: tuple[str, ...], projection: str) -> str:
    """The group's target query, kept to the entities typed in ``graphs`` when given."""
    within = ""
    if graphs:
        values = " ".join(f"<{g}>" for g in graphs)
        within = f"FILTER EXISTS {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?this a ?type }} }}"
    return f"{group.prefixes}\nSELECT {projection} WHERE {{ {{\n{group.select}\n}} {within} }}"


def focus_count(store: GraphStore, group: TargetGroup, graphs: tuple[str, ...] = ()) -> int:
    """How many focus nodes :func:`focus_nodes` will list (blank nodes included)."""
    _, rows = store.query(_focus_query(group, graphs, "(COUNT(DISTINCT ?this) AS ?n)"))
    return int(rows[0][0].value)


def focus_nodes(store: GraphStore, group: TargetGroup, graphs: tuple[str, ...] = ()) -> tuple[list[str], int]:
    """The IRIs of the focus nodes of ``group`` (only those typed in ``graphs``, if given), and how many
    blank nodes were left out (a query cannot name them, so they cannot be fetched chunk by chunk)."""
    _, rows = store.query(_focus_query(group, graphs, "DISTINCT ?this"))
    iris = [row[0].value for row in rows if isinstance(row[0], NamedNode)]
    return iris, len(rows) - len(iris)


def export_query(group: TargetGroup, nodes: list[str]) -> str:
    """The CONSTRUCT that fetches what the shapes of ``group`` can look at, for ``nodes``."""
    singles = sorted({path[0] for path in group.paths})
    classes = ", ".join(f"<{c}>" for c in group.classes)

    def types(node: str, var: str) -> str:  # only the types that some sh:class asks for
        return f"OPTIONAL {{ {node} a {var} FILTER ({var} IN ({classes})) }}" if classes else ""

    template = ["?s ?p ?o .", "?o a ?t ."]
    # FILTER, not VALUES: with VALUES ?p oxigraph scans every triple of those properties, chunk after chunk.
    branches = [f"{{ ?s ?p ?o FILTER (?p IN ({', '.join(f'<{p}>' for p in singles)})) {types('?o', '?t')} }}"]
    for n, path in enumerate(p for p in group.paths if len(p) > 1):
        # The first step is among the singles; the branch adds the further steps and the last node's types.
        chain = ["?s"] + [f"?x{n}_{k}" for k in range(len(path))]
        steps = [f"{chain[k]} <{step}> {chain[k + 1]} ." for k, step in enumerate(path)]
        template += steps[1:] + [f"{chain[-1]} a ?t{n} ."]
        branches.append(f"{{ {' '.join(steps)} {types(chain[-1], f'?t{n}')} }}")
    values = " ".join(f"<{node}>" for node in nodes)
    return f"CONSTRUCT {{ {' '.join(template)} }} WHERE {{ VALUES ?s {{ {values} }} {' UNION '.join(branches)} }}"


def export_chunk(store: GraphStore, group: TargetGroup, nodes: list[str]) -> bytes:
    """The triples :func:`export_query` fetches, as N-Triples. oxigraph evaluates and serializes them
    without holding the GIL, so the next chunk is fetched while the previous one is being checked."""
    return bytes(store.serialize(export_query(group, nodes), ResultsSyntax.JSON, RdfSyntax.N_TRIPLES))


_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        return chr(int(code, 16)) if code else _ESCAPES[m.group(3)]

    return _ESCAPE.sub(one, text)


def parse_chunk(data: bytes, nodes: list[str]) -> rdflib.Graph:
    """An rdflib graph of oxigraph's N-Triples, with ``nodes`` marked as the chunk's focus nodes.

    oxigraph writes one triple per line, terms separated by one space, so a line splits in three
    without a general parser (rdflib's takes about twice as long). Each IRI becomes one ``URIRef``,
    shared by every triple that names it.
    """
    iris: dict[str, rdflib.URIRef] = {}

    def iri(value: str) -> rdflib.URIRef:
        known = iris.get(value)
        if known is None:
            known = iris[value] = rdflib.URIRef(value)
        return known

    def resource(term: str) -> rdflib.term.Node:
        return iri(term[1:-1]) if term[0] == "<" else rdflib.BNode(term[2:])

    graph = rdflib.Graph()
    add = graph.add
    for line in data.decode().splitlines():
        s, p, o = line[:-2].split(" ", 2)
        if o[0] != '"':
            add((resource(s), iri(p[1:-1]), resource(o)))
            continue
        end = o.rindex('"')
        lexical = o[1:end]
        if "\\" in lexical:
            lexical = _unescape(lexical)
        suffix = o[end + 1 :]
        if not suffix:  # a plain literal is an xsd:string; rdflib keeps it without a datatype, as it parses it
            literal = rdflib.Literal(lexical)
        elif suffix[0] == "@":
            literal = rdflib.Literal(lexical, lang=suffix[1:])
        else:
            literal = rdflib.Literal(lexical, datatype=iri(suffix[3:-1]))
        add((resource(s), iri(p[1:-1]), literal))
    for node in nodes:
        add((iri(node), FOCUS, _TRUE))
    return graph


def chunk_graph(store: GraphStore, group: TargetGroup, nodes: list[str]) -> rdflib.Graph:
    """What the shapes of ``group`` need to check ``nodes``, in rdflib, the nodes marked as focus."""
    return parse_chunk(export_chunk(store, group, nodes), nodes)
