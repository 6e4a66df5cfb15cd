"""What the graph says of the datasets, read for the index in a few batched SPARQL queries per chunk.

Every fact comes with the access key of the named graph it was read from (``GRAPH ?g``, the key from the
store's registry), because the index must give each reader what that reader's scope would find in the graph
and nothing more (:mod:`graph.search.documents`). Reads go through the store's read path (:func:`select`, over
every named graph, the registry deciding which rows count); nothing here touches the engine.

Per chunk of :data:`CHUNK` datasets there are three queries, whatever the chunk's size (never one per dataset):
the dataset's own properties (one ``FILTER(?p IN ...)`` pattern: oxigraph scans by subject, then filters), its
parameters with their SI values, and the works citing it or one of its DOIs (the ``citedBy`` link of
``resolvers/graphql/batch.py``). The technique tree (labels, synonyms, ancestors) is read once per build, in
scope ``public``: PaNET and the catalogues' technique labels are public, and a label that is not public must
not make a stub findable.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from graph.model.access import RESTRICTED
from graph.query.dataset import Dataset
from graph.store.embedded import GraphStore
from ontology.namespaces import CITO, DCAT, DCTERMS, RDF, RDFS, SKOS
from ontology.terms import PANKG

CHUNK = 2000
"""Datasets per batch of queries: large enough that the queries' fixed cost is small, small enough that a
chunk's rows stay a few megabytes."""

FIELDS = {
    RDF.type: "type",
    DCTERMS.identifier: "pid",
    DCTERMS.title: "title",
    DCTERMS.description: "description",
    PANKG.technique: "technique",
    PANKG.facility: "facility",
    PANKG.instrument: "instrument",
    PANKG.proposal: "proposal",
    DCTERMS.created: "created",
    DCTERMS.license: "licence",
    PANKG.doi: "doi",
    PANKG.accessLevel: "access",
    PANKG.embargoEndDate: "embargo_end",
}
"""The predicates read from a dataset, and the name each gets in :class:`DatasetFacts`."""

Keyed = tuple[object, str]
"""A value and the access key of the graph it was read from."""


@dataclass
class DatasetFacts:
    """What the graph says of one dataset, each value with the access key of its graph."""

    iri: str
    values: dict[str, list[Keyed]] = field(default_factory=lambda: defaultdict(list))
    parameters: list[tuple[str, float, str, str]] = field(default_factory=list)
    """``(name, SI value, SI unit, key)``."""
    citers: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    """``(citing work, keys)``: the work counts for a reader of every key in ``keys``."""
    graphs: set[str] = field(default_factory=set)
    """Every graph a fact came from: a write to one of them re-indexes the dataset (:mod:`graph.search.index`)."""


@dataclass
class TechniqueTree:
    """The techniques the public graph knows: their words and, for each, itself and every technique above it."""

    words: dict[str, list[str]]
    parents: dict[str, set[str]]
    known: set[str]

    def ancestors(self, technique: str) -> set[str]:
        """The technique and every technique above it (through ``pankg:subTechniqueOf``, PaNET's materialized
        closure, and ``rdfs:subClassOf``, walked here whatever an ontology materialized); classes that are
        not techniques (a foreign class PaNET declares equivalent) are walked through but not kept."""
        found, todo = {technique}, [technique]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return {t for t in found if t == technique or t in self.known}


def technique_tree(store: GraphStore) -> TechniqueTree:
    """The technique tree, read in scope ``public`` (two queries, a few thousand rows with PaNET)."""
    _, rows = store.values(
        f"SELECT ?t ?l WHERE {{ ?t a <{PANKG.Technique}> . ?t <{RDFS.label}>|<{SKOS.altLabel}> ?l }}", "public")
    words: dict[str, list[str]] = defaultdict(list)
    for technique, label in rows:
        if isinstance(label, str) and label not in words[technique]:
            words[technique].append(label)
    _, rows = store.values(
        f"SELECT ?t ?a WHERE {{ ?t <{PANKG.subTechniqueOf}>|<{RDFS.subClassOf}> ?a . FILTER(isIRI(?a)) }}", "public")
    parents: dict[str, set[str]] = defaultdict(set)
    for technique, parent in rows:
        parents[technique].add(parent)
    _, rows = store.values(f"SELECT DISTINCT ?t WHERE {{ ?t a <{PANKG.Technique}> }}", "public")
    return TechniqueTree(dict(words), dict(parents), {r[0] for r in rows})


def dataset_iris(store: GraphStore, keys: GraphKeys, among: Iterable[str] | None = None) -> list[str]:
    """Every dataset the graph holds (scope ``all``), in IRI order; with ``among``, those of these nodes only."""
    restrict = f"VALUES ?d {{ {_values(among)} }} " if among is not None else ""
    rows = select(store, f"SELECT DISTINCT ?d ?g WHERE {{ {restrict}GRAPH ?g {{ ?d a <{DCAT.Dataset}> }} }}")
    return sorted({d for d, g in rows if isinstance(d, str) and keys.key(g) is not None})


def touched(store: GraphStore, graphs: Iterable[str]) -> set[str]:
    """The nodes whose documents a change of ``graphs`` may change, read from what the graphs hold now: every
    subject, every node they cite, and the datasets holding a DOI they cite (its citation count). What the
    graphs held before is known from the documents themselves (their ``graphs`` field)."""
    named = _values(graphs)
    if not named:
        return set()
    rows = select(store, f"SELECT DISTINCT ?s WHERE {{ VALUES ?g {{ {named} }} GRAPH ?g {{ ?s ?p ?o }} "
                         "FILTER(isIRI(?s)) }")
    found = {str(r[0]) for r in rows}
    rows = select(store, f"SELECT DISTINCT ?d WHERE {{ VALUES ?g {{ {named} }} GRAPH ?g {{ ?w <{CITO.cites}> ?x }} "
                         f"{{ BIND(?x AS ?d) }} UNION {{ GRAPH ?h {{ ?d <{PANKG.doi}> ?x }} }} FILTER(isIRI(?d)) }}")
    return found | {str(r[0]) for r in rows}


@dataclass(frozen=True)
class GraphKeys:
    """Named graph -> access key, from the registry.

    The index reads every named graph (:func:`select`) and keeps the rows of the registered ones: a graph under
    the store's ``<base>graph/`` that no source holds is garbage (an old generation, a stage) and is skipped; a
    graph pankg did not write (another tool's) is staff only, as the ``all`` scope's union shows it to the data
    managers only."""

    registered: dict[str, str]
    ours: str
    meta: str

    def key(self, graph: object) -> str | None:
        if not isinstance(graph, str) or graph == self.meta:
            return None
        found = self.registered.get(graph)
        if found is None and not graph.startswith(self.ours):
            return RESTRICTED
        return found


def graph_keys(store: GraphStore) -> GraphKeys:
    return GraphKeys({g.iri: g.access_key for info in store.sources.values() for g in info.graphs},
                     store.minter.minted("graph", ""), store.meta)


def select(store: GraphStore, sparql: str) -> list[list[object]]:
    """A SELECT over every named graph (its ``GRAPH ?g`` patterns tell them apart), as Python values.

    Not ``GraphStore.values(sparql, "all")``: while garbage is pending (after a reload, until the collector is
    done) that scope lists its graphs one by one, and oxigraph then took 46 s instead of 9 to read 20,000 demo
    datasets; every named graph is as fast as the union, and :class:`GraphKeys` drops the garbage's rows. Inside
    :meth:`GraphStore.reading`, so no graph the rows come from is dropped while they are read."""
    with store.reading("all"):
        return store.values_over(sparql, Dataset())[1]


def read_chunks(store: GraphStore, iris: list[str], keys: GraphKeys,
                chunk: int = CHUNK) -> Iterator[list[DatasetFacts]]:
    """The facts of ``iris``, a chunk at a time."""
    for start in range(0, len(iris), chunk):
        yield read_facts(store, iris[start:start + chunk], keys)


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def read_facts(store: GraphStore, iris: list[str], keys: GraphKeys) -> list[DatasetFacts]:
    """The facts of one chunk of datasets: three queries."""
    facts = {iri: DatasetFacts(iri) for iri in iris}
    values = _values(iris)
    predicates = ", ".join(f"<{p}>" for p in FIELDS)
    rows = select(store, f"SELECT ?d ?p ?o ?g WHERE {{ VALUES ?d {{ {values} }} GRAPH ?g {{ ?d ?p ?o }} "
                         f"FILTER(?p IN ({predicates})) }}")
    for d, p, o, g in rows:
        if (key := keys.key(g)) is not None:
            facts[str(d)].values[FIELDS[str(p)]].append((o, key))
            facts[str(d)].graphs.add(str(g))
    rows = select(store, f"SELECT ?d ?name ?si ?unit ?g WHERE {{ VALUES ?d {{ {values} }} GRAPH ?g {{ "
                         f"?d <{PANKG.parameter}> ?x . ?x <{PANKG.parameterName}> ?name ; <{PANKG.siValue}> ?si "
                         f"OPTIONAL {{ ?x <{PANKG.siUnit}> ?unit }} }} }}")
    for d, name, si, unit, g in rows:
        number = isinstance(si, (int, float)) and not isinstance(si, bool)
        if number and isinstance(name, str) and (key := keys.key(g)) is not None:
            facts[str(d)].parameters.append((name, float(si), unit if isinstance(unit, str) else "", key))  # type: ignore[arg-type]
            facts[str(d)].graphs.add(str(g))
    rows = select(store, f"SELECT DISTINCT ?d ?w ?g1 ?g2 WHERE {{ VALUES ?d {{ {values} }} "
                         f"{{ GRAPH ?g1 {{ ?d <{PANKG.doi}> ?x }} GRAPH ?g2 {{ ?w <{CITO.cites}> ?x }} }} "
                         f"UNION {{ GRAPH ?g2 {{ ?w <{CITO.cites}> ?d }} BIND(?g2 AS ?g1) }} }}")
    for d, w, g1, g2 in rows:
        k1, k2 = keys.key(g1), keys.key(g2)
        if k1 is not None and k2 is not None:
            facts[str(d)].citers.append((str(w), frozenset((k1, k2))))
            facts[str(d)].graphs |= {str(g1), str(g2)}
    return [facts[iri] for iri in iris]


def as_datetime(value: object) -> dt.datetime | None:
    """An ``xsd:dateTime`` or ``xsd:date`` as the store gives it (text) as an aware datetime (UTC when the
    text has no zone); None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value[:10]), dt.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)
