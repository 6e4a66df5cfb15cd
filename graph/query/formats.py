"""The syntaxes RDF and SPARQL results are read and written in, by name, and the endpoint's offers of them.

Callers outside ``graph/`` name a syntax with :class:`RdfSyntax` or :class:`ResultsSyntax` (their values are the
media types); only this package turns one into the engine's own format. What a SPARQL response may be written
in depends on what the query returned: solutions and booleans are *results* (SPARQL JSON, XML, CSV, TSV),
triples are a *graph* (Turtle, N-Triples, JSON-LD, RDF/XML). The natural format comes first in each offer list,
so a client that sends no Accept (or ``*/*``) gets SPARQL JSON or Turtle. Aliases that common clients ask for
(``application/json`` from SPARQLWrapper, ``application/xml`` from browsers) are offered too and answered with
the canonical type. Choosing among the offers by an Accept header is HTTP's business
(:mod:`resolvers.sparql_formats`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

import pyoxigraph as ox

from graph.query.terms import Triple, engine_term


class RdfSyntax(Enum):
    """An RDF syntax, by its media type."""

    TURTLE = "text/turtle"
    N_TRIPLES = "application/n-triples"
    N_QUADS = "application/n-quads"
    TRIG = "application/trig"
    N3 = "text/n3"
    RDF_XML = "application/rdf+xml"
    JSON_LD = "application/ld+json"

    @property
    def media_type(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """The syntax's usual name ("Turtle", "RDF/XML"), as error messages give it."""
        return str(rdf_format(self).name)

    @classmethod
    def from_media_type(cls, media_type: str) -> RdfSyntax | None:
        """The syntax of a media type, aliases included (``text/plain`` is N-Triples, ``application/xml``
        RDF/XML); None for any other type."""
        found = ox.RdfFormat.from_media_type(media_type)
        try:
            return None if found is None else cls(found.media_type)
        except ValueError:  # a syntax of the engine's that pankg does not name
            return None


class ResultsSyntax(Enum):
    """A SPARQL query results syntax, by its media type."""

    JSON = "application/sparql-results+json"
    XML = "application/sparql-results+xml"
    CSV = "text/csv"
    TSV = "text/tab-separated-values"


_RDF = {syntax: ox.RdfFormat.from_media_type(syntax.value) for syntax in RdfSyntax}
_RESULTS = {syntax: ox.QueryResultsFormat.from_media_type(syntax.value) for syntax in ResultsSyntax}


def rdf_format(syntax: RdfSyntax) -> Any:
    """The engine's format for ``syntax`` (for graph/ modules only)."""
    return _RDF[syntax]


def results_format(syntax: ResultsSyntax) -> Any:
    """The engine's results format for ``syntax`` (for graph/ modules only)."""
    return _RESULTS[syntax]


def serialize_triples(triples: Iterable[Triple], syntax: RdfSyntax, prefixes: dict[str, str] | None = None,
                      graph: str | None = None) -> bytes:
    """Plain triples written in ``syntax``; ``prefixes`` (prefix -> namespace) where the syntax has them;
    ``graph``: the named graph they are in, for a quad syntax (N-Quads, TriG)."""
    terms: list[Any] = [engine_term(t) for t in triples]
    if graph is not None:
        name = ox.NamedNode(graph)
        terms = [ox.Quad(t.subject, t.predicate, t.object, name) for t in terms]
    out = ox.serialize(terms, format=_RDF[syntax], prefixes=prefixes)
    return bytes(out) if out is not None else b""


ResultKind = Literal["solutions", "boolean", "graph"]
"""What a query returned: SELECT solutions, an ASK boolean, or CONSTRUCT/DESCRIBE triples."""


@dataclass(frozen=True)
class Format:
    """One way to write a query's answer: the media type sent back and the syntax that writes it."""

    media_type: str
    results: ResultsSyntax | None = None
    graph: RdfSyntax | None = None


_JSON = Format("application/sparql-results+json", results=ResultsSyntax.JSON)
_XML = Format("application/sparql-results+xml", results=ResultsSyntax.XML)
_CSV = Format("text/csv; charset=utf-8", results=ResultsSyntax.CSV)
_TSV = Format("text/tab-separated-values; charset=utf-8", results=ResultsSyntax.TSV)

# Requested media type -> format. Order matters: the first entry is the default.
SOLUTIONS: dict[str, Format] = {
    "application/sparql-results+json": _JSON,
    "application/sparql-results+xml": _XML,
    "text/csv": _CSV,
    "text/tab-separated-values": _TSV,
    "application/json": _JSON,
    "application/xml": _XML,
    "text/xml": _XML,
}
# CSV and TSV have no boolean form (SPARQL 1.1 CSV/TSV §1): an ASK answers in JSON or XML only.
BOOLEAN: dict[str, Format] = {k: v for k, v in SOLUTIONS.items() if v not in (_CSV, _TSV)}

_TURTLE = Format("text/turtle; charset=utf-8", graph=RdfSyntax.TURTLE)
_NT = Format("application/n-triples", graph=RdfSyntax.N_TRIPLES)
_JSONLD = Format("application/ld+json", graph=RdfSyntax.JSON_LD)
_RDFXML = Format("application/rdf+xml", graph=RdfSyntax.RDF_XML)

GRAPH: dict[str, Format] = {
    "text/turtle": _TURTLE,
    "application/n-triples": _NT,
    "application/ld+json": _JSONLD,
    "application/rdf+xml": _RDFXML,
    "application/x-turtle": _TURTLE,
    "text/plain": _NT,  # the old N-Triples type, still sent by some clients
    "application/json": _JSONLD,
}

OFFERS: dict[ResultKind, dict[str, Format]] = {"solutions": SOLUTIONS, "boolean": BOOLEAN, "graph": GRAPH}
"""The formats each kind of result can be written in."""

# ``?format=`` keys, for links pasted into a browser (same keys as the ontology's where they overlap), and
# the names SPARQLWrapper sends in its ``format``/``output`` parameters beside its Accept header.
KEYS: dict[str, str] = {
    "json": "application/json",
    "xml": "application/xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
}
