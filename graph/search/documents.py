"""Datasets as index documents: one per dataset and kind of reader, so that a search finds only what its caller
could find in the graph, by every field.

**The access rule.** The graph splits a dataset by access key (docs/access.md): an embargoed dataset's public
stub (PID, types, access level, embargo end, facility, instrument, techniques, proposal, DOI) is in a public
graph, its details (title, description, dates, licence, parameters, creators) in the restricted graph of its
key. So an embargoed dataset gets **two documents**:

- the *stub* (``role`` ``stub``), built from the facts of the public graphs only, found by ``public`` readers;
- the *full* document (``role`` ``full``), built from the public facts and those of the details' key, found by
  the readers of that key (``readers``: ``reader:<group>`` or ``reader:proposal:<pid>``; none for staff only).

The stub names the full document's readers in ``shadowed``: a caller among them finds the full document and not
the stub, so every caller finds each dataset once (one hit, one count, one facet count). Scopes become filters
(:func:`graph.search.query.scope_filter`): ``all`` and staff read every ``full`` document; ``public`` reads
``readers:public``; an :class:`~graph.model.access.Entitlement` reads ``readers`` in its tokens and ``public``,
except stubs ``shadowed`` by one of its tokens. A public dataset has one document, read by ``public``.

Why two documents rather than per-field keys: a stub holds no hidden word at all, so no field, analyzer,
ranking statistic or facet of an anonymous search can reach a title, a description, a parameter, a date or a
licence, however the query is written; and the counts stay exact (one document per caller and dataset). The
cost is one more document per embargoed dataset. Per-field keys would need each filter and each text word to
carry its own access test, and BM25 statistics would still count hidden words.

The *stub key* is the key of the graph holding the dataset's ``rdf:type`` (public when any is), the *details
key* that of its title. Facts in graphs of a third key (neither) are left out of both documents: the readers of
that key alone would find them in the graph but not in the index (no loader writes such datasets today).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import tantivy

from graph.model.access import PUBLIC
from graph.search import schema as s
from graph.search.facts import DatasetFacts, TechniqueTree, as_datetime
from ontology.terms import PANKG

KINDS = {PANKG.RawDataset: "raw", PANKG.DerivedDataset: "derived"}
ACCESS = {PANKG.Public: "public", PANKG.Restricted: "restricted"}


@dataclass
class IndexedDataset:
    """One document as plain values: what a caller of ``readers`` finds of one dataset."""

    iri: str
    role: str
    readers: list[str]
    shadowed: list[str] = field(default_factory=list)
    pid: list[str] = field(default_factory=list)
    kind: str = "dataset"
    access: str | None = None
    """``public`` or ``restricted`` as ``pankg:accessLevel`` says; None where the graph does not say."""
    title: str | None = None
    description: list[str] = field(default_factory=list)
    techniques: set[str] = field(default_factory=set)
    technique_words: list[str] = field(default_factory=list)
    links: dict[str, set[str]] = field(default_factory=dict)
    """facility, instrument, proposal, licence, doi (``pankg:doi``, as GraphQL's ``hasDoi``) -> IRIs."""
    created: dt.datetime | None = None
    embargo_end: dt.datetime | None = None
    citations: int = 0
    parameters: list[tuple[str, float, str]] = field(default_factory=list)
    graphs: set[str] = field(default_factory=set)
    """The graphs the dataset's facts came from (both documents: deletion goes by IRI, and no reader searches
    this field)."""


def _pick(keys: set[str]) -> str | None:
    """The key a reader must hold for a fact known from graphs of ``keys``: public if any is."""
    return PUBLIC if PUBLIC in keys else min(keys) if keys else None


def documents(facts: DatasetFacts, tree: TechniqueTree) -> list[IndexedDataset]:
    """The documents of one dataset: one, or the stub and the full one when its details have another key."""
    stub_key = _pick({k for _, k in facts.values.get("type", [])}) or PUBLIC
    details_key = _pick({k for _, k in facts.values.get("title", [])})
    if details_key is None or details_key in (stub_key, PUBLIC):
        return [_document(facts, tree, "full", {PUBLIC, stub_key, details_key or stub_key}, s.reader_tokens(stub_key))]
    stub = _document(facts, tree, "stub", {PUBLIC, stub_key}, s.reader_tokens(stub_key))
    stub.shadowed = s.reader_tokens(details_key)
    # A stub that is itself restricted (staff only, or another group) keeps its own readers; the full document is
    # then for the details' readers.
    return [stub, _document(facts, tree, "full", {PUBLIC, stub_key, details_key}, s.reader_tokens(details_key))]


def _document(facts: DatasetFacts, tree: TechniqueTree, role: str, keys: set[str],
              readers: list[str]) -> IndexedDataset:
    """The document a reader of ``keys`` finds: only the facts of graphs of those keys."""
    seen: dict[str, list[object]] = {name: sorted({v for v, k in pairs if k in keys}, key=str)
                                     for name, pairs in facts.values.items()}
    doc = IndexedDataset(facts.iri, role, readers, graphs=facts.graphs)
    doc.pid = [v for v in seen.get("pid", []) if isinstance(v, str)]
    kinds = sorted(KINDS[t] for t in seen.get("type", []) if isinstance(t, str) and t in KINDS)
    doc.kind = kinds[0] if kinds else "dataset"
    levels = {ACCESS[a] for a in seen.get("access", []) if isinstance(a, str) and a in ACCESS}
    doc.access = "restricted" if "restricted" in levels else "public" if levels else None  # None: not recorded
    titles = [v for v in seen.get("title", []) if isinstance(v, str)]
    doc.title = titles[0] if titles else None
    doc.description = [v for v in seen.get("description", []) if isinstance(v, str)]
    for technique in (t for t in seen.get("technique", []) if isinstance(t, str)):
        doc.techniques |= tree.ancestors(technique)
        doc.technique_words += tree.words.get(technique, [])
    doc.links = {name: {v for v in seen.get(name, []) if isinstance(v, str)}
                 for name in ("facility", "instrument", "proposal", "licence", "doi")}
    dates = sorted(d for v in seen.get("created", []) if (d := as_datetime(v)) is not None)
    doc.created = dates[0] if dates else None
    ends = sorted(d for v in seen.get("embargo_end", []) if (d := as_datetime(v)) is not None)
    doc.embargo_end = ends[0] if ends else None
    doc.citations = len({w for w, ks in facts.citers if ks <= keys})
    doc.parameters = sorted({(n, v, u) for n, v, u, k in facts.parameters if k in keys})
    return doc


def to_tantivy(doc: IndexedDataset) -> tantivy.Document:
    """The tantivy document of ``doc`` (the schema of :func:`graph.search.schema.build_schema`)."""
    t = tantivy.Document()
    t.add_text("iri", doc.iri)
    t.add_text("entity", "dataset")
    t.add_text("role", doc.role)
    for reader in doc.readers:
        t.add_text("readers", reader)
    for reader in doc.shadowed:
        t.add_text("shadowed", reader)
    for pid in doc.pid:
        t.add_text("pid", pid)
    t.add_text("kind", doc.kind)
    if doc.access is not None:
        t.add_text("access", doc.access)
    if doc.title:
        t.add_text("title", doc.title)
    for text in doc.description:
        t.add_text("description", text)
    for word in doc.technique_words:
        t.add_text("techniques_text", word)
    for graph in sorted(doc.graphs):
        t.add_text("graphs", graph)
    t.add_unsigned("created_num", s.created_number(doc.created, doc.iri))
    for name, key in s.sort_keys("dataset", doc.iri, doc.title).items():
        t.add_text(name, key)
    for technique in sorted(doc.techniques):
        t.add_text("technique", technique)
    for name, values in doc.links.items():
        for value in sorted(values):
            t.add_text(name, value)
    if doc.created is not None and in_range(doc.created):
        t.add_date("created", doc.created)
        t.add_integer("year", doc.created.year)
    if doc.embargo_end is not None and in_range(doc.embargo_end):
        t.add_date("embargo_end", doc.embargo_end)
    t.add_unsigned("citations", doc.citations)
    for parameter, number, unit in doc.parameters:
        term = s.param_term(parameter, unit, number)
        if term is not None:
            t.add_text("param", term)
    for parameter in sorted({n for n, _, _ in doc.parameters}):
        t.add_text("param_name", parameter)
    for term in sorted({s.unit_term(n, u) for n, _, u in doc.parameters}):
        t.add_text("param_unit", term)
    t.add_unsigned("tie", s.tie(doc.iri))
    return t


_EARLIEST = dt.datetime(1678, 1, 1, tzinfo=dt.UTC)
_LATEST = dt.datetime(2261, 12, 31, tzinfo=dt.UTC)


def in_range(value: dt.datetime) -> bool:
    """tantivy keeps dates as nanoseconds in 64 bits: about 1677 to 2262 (a year 9999 embargo end is not kept)."""
    return _EARLIEST <= value <= _LATEST


def all_documents(chunks: Iterator[list[DatasetFacts]], tree: TechniqueTree) -> Iterator[IndexedDataset]:
    for chunk in chunks:
        for facts in chunk:
            yield from documents(facts, tree)
