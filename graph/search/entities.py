"""Publications, software, instruments and people as index documents, and the queries their lists ask.

Each kind is a row of :data:`KINDS`: the class that makes a node one, the predicates of its name (the
document's ``title``: the list's order and its free text), of its description, of its date (a publication's
issue date, kept as ``created``: newest first) and of its links (``technique`` with every technique above it,
``facility``, ``creator``, ``affiliation``). These are the predicates the GraphQL filters of those lists name
(``resolvers/graphql/filters.py``), so the index answers what SPARQL over the graph answers.

**Access.** A node's document is found by the readers of the graph holding its type (public when any public
graph does, as for datasets: :mod:`graph.search.documents`) and holds only facts of graphs of that key or public
ones. Catalogue loaders write these nodes in public graphs; one a restricted graph alone holds is found by that
graph's readers only.

Reading is one SELECT per kind and property group over every named graph (a few hundred thousand rows at a
million datasets), never one per node.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import tantivy
from tantivy import Occur, Query

from graph.errors import QueryError
from graph.model.access import PUBLIC
from graph.search import schema as s
from graph.search.documents import in_range
from graph.search.facts import GraphKeys, TechniqueTree, as_datetime, select
from graph.search.query import Named, days, named, scope_filter, text_query
from graph.store.embedded import GraphStore
from ontology.namespaces import DCTERMS, FOAF, RDFS, SCHEMA
from ontology.terms import PANKG


@dataclass(frozen=True)
class Kind:
    """How the graph describes one kind of listed node."""

    type: str
    names: tuple[str, ...]
    descriptions: tuple[str, ...] = ()
    date: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    """Index field -> predicate."""


KINDS: dict[str, Kind] = {
    "publication": Kind(PANKG.Publication, (DCTERMS.title,), date=DCTERMS.issued,
                        links={"creator": DCTERMS.creator}),
    "software": Kind(PANKG.Software, (SCHEMA.name,), (DCTERMS.description,), links={"technique": PANKG.technique}),
    "instrument": Kind(PANKG.Instrument, (RDFS.label,),
                       links={"facility": PANKG.facility, "technique": PANKG.technique}),
    "person": Kind(FOAF.Person, (FOAF.name,), links={"affiliation": SCHEMA.affiliation}),
}


@dataclass
class IndexedEntity:
    """One document of a listed node that is not a dataset."""

    iri: str
    entity: str
    readers: list[str]
    title: str | None = None
    description: list[str] = field(default_factory=list)
    created: dt.datetime | None = None
    links: dict[str, set[str]] = field(default_factory=dict)
    graphs: set[str] = field(default_factory=set)
    """The graphs its facts came from (what a write touched: :mod:`graph.search.index`)."""


def read_entities(store: GraphStore, keys: GraphKeys, tree: TechniqueTree,
                  among: Iterable[str] | None = None) -> Iterator[IndexedEntity]:
    """Every publication, piece of software, instrument and person of the graph (with ``among``: of these nodes
    only), as documents."""
    restrict = "VALUES ?e { " + " ".join(f"<{n}>" for n in among) + " } " if among is not None else ""
    for entity, kind in KINDS.items():
        type_keys: dict[str, set[str]] = defaultdict(set)
        graphs: dict[str, set[str]] = defaultdict(set)
        typed = f"SELECT DISTINCT ?e ?g WHERE {{ {restrict}GRAPH ?g {{ ?e a <{kind.type}> }} }}"
        for node, graph in select(store, typed):
            if isinstance(node, str) and (key := keys.key(graph)) is not None:
                type_keys[node].add(key)
                graphs[node].add(str(graph))
        role = {p: "name" for p in kind.names} | {p: "description" for p in kind.descriptions}
        role |= {kind.date: "date"} if kind.date else {}
        role |= {p: name for name, p in kind.links.items()}
        predicates = ", ".join(f"<{p}>" for p in role)
        facts: dict[str, list[tuple[str, object, str]]] = defaultdict(list)
        rows = select(store, f"SELECT DISTINCT ?e ?p ?o ?g WHERE {{ {restrict}GRAPH ?t {{ ?e a <{kind.type}> }} "
                             f"GRAPH ?g {{ ?e ?p ?o }} FILTER(?p IN ({predicates})) }}")
        for node, predicate, value, graph in rows:
            if isinstance(node, str) and (key := keys.key(graph)) is not None:
                facts[node].append((role[str(predicate)], value, key))
                graphs[node].add(str(graph))
        for node in sorted(type_keys):
            doc = _document(node, entity, type_keys[node], facts.get(node, []), tree)
            doc.graphs = graphs[node]
            yield doc


def _document(node: str, entity: str, type_keys: set[str], facts: list[tuple[str, object, str]],
              tree: TechniqueTree) -> IndexedEntity:
    key = PUBLIC if PUBLIC in type_keys else min(type_keys)
    seen: dict[str, list[object]] = defaultdict(list)
    for name, value, k in facts:
        if k in (PUBLIC, key) and value not in seen[name]:
            seen[name].append(value)
    names = sorted(str(v) for v in seen["name"] if isinstance(v, str))
    doc = IndexedEntity(node, entity, s.reader_tokens(key), names[0] if names else None)
    doc.description = names[1:] + sorted(str(v) for v in seen["description"] if isinstance(v, str))
    dates = sorted(d for v in seen["date"] if (d := as_datetime(v)) is not None)
    doc.created = dates[0] if dates else None
    for name in ("creator", "affiliation", "facility", "technique"):
        values = {v for v in seen[name] if isinstance(v, str)}
        if name == "technique":
            values = {a for t in values for a in tree.ancestors(t)}
        if values:
            doc.links[name] = values
    return doc


def to_tantivy(doc: IndexedEntity) -> tantivy.Document:
    t = tantivy.Document()
    t.add_text("iri", doc.iri)
    t.add_text("entity", doc.entity)
    t.add_text("role", "full")
    for reader in doc.readers:
        t.add_text("readers", reader)
    if doc.title:
        t.add_text("title", doc.title)
    for text in doc.description:
        t.add_text("description", text)
    for graph in sorted(doc.graphs):
        t.add_text("graphs", graph)
    t.add_unsigned("created_num", s.created_number(doc.created, doc.iri))
    for name, key in s.sort_keys(doc.entity, doc.iri, doc.title).items():
        t.add_text(name, key)
    if doc.created is not None and in_range(doc.created):
        t.add_date("created", doc.created)
    for name, values in doc.links.items():
        for value in sorted(values):
            t.add_text(name, value)
    t.add_unsigned("tie", s.tie(doc.iri))
    return t


# ------------------------------------------------------------------------------------------------ queries


@dataclass(frozen=True)
class EntityQuery:
    """A list of one kind of node (:data:`KINDS`); every field given must hold. ``text``: every word in the
    name (or, for software, the description); ``date_from``/``date_to``: inclusive days of a publication's issue
    date; links by IRI (a technique takes in every technique below it)."""

    entity: str
    text: str | None = None
    technique: Named = None
    facility: Named = None
    creator: Named = None
    affiliation: Named = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def build_entity_query(schema: tantivy.Schema, query: EntityQuery, scope: object) -> tuple[Query, bool]:
    """The tantivy query of ``query`` in ``scope``, and whether it has free text to rank by."""
    if query.entity not in KINDS:
        raise QueryError(f"no list of {query.entity!r}: one of {', '.join(KINDS)}")
    filters = [Query.term_query(schema, "entity", query.entity), scope_filter(schema, scope)]  # type: ignore[arg-type]
    links = {"technique": query.technique, "facility": query.facility, "creator": query.creator,
             "affiliation": query.affiliation}
    filters += [named(schema, name, value) for name, value in links.items() if value is not None]
    if query.date_from is not None or query.date_to is not None:
        filters.append(days(schema, "created", query.date_from, query.date_to))
    where = Query.boolean_query([(Occur.Must, f) for f in filters])
    if query.text is None:
        return Query.const_score_query(where, 1.0), False
    return Query.boolean_query([(Occur.Must, text_query(schema, query.text)),
                                (Occur.Must, Query.const_score_query(where, 0.0))]), True
