"""The media types of the SPARQL endpoint and the pyoxigraph formats behind them.

Which types a response may take depends on what the query returned: solutions and booleans are
*results* (SPARQL JSON, XML, CSV, TSV), triples are a *graph* (Turtle, N-Triples, JSON-LD, RDF/XML). The
natural format comes first in each offer list, so a client that sends no Accept (or ``*/*``) gets SPARQL
JSON or Turtle. Aliases that common clients ask for (``application/json`` from SPARQLWrapper,
``application/xml`` from browsers) are offered too and answered with the canonical type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from resolvers.negotiation import negotiate


@dataclass(frozen=True)
class Format:
    """One way to write a response: the media type sent back and the pyoxigraph format that writes it."""

    media_type: str
    results: ox.QueryResultsFormat | None = None
    graph: ox.RdfFormat | None = None


_JSON = Format("application/sparql-results+json", results=ox.QueryResultsFormat.JSON)
_XML = Format("application/sparql-results+xml", results=ox.QueryResultsFormat.XML)
_CSV = Format("text/csv; charset=utf-8", results=ox.QueryResultsFormat.CSV)
_TSV = Format("text/tab-separated-values; charset=utf-8", results=ox.QueryResultsFormat.TSV)

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

_TURTLE = Format("text/turtle; charset=utf-8", graph=ox.RdfFormat.TURTLE)
_NT = Format("application/n-triples", graph=ox.RdfFormat.N_TRIPLES)
_JSONLD = Format("application/ld+json", graph=ox.RdfFormat.JSON_LD)
_RDFXML = Format("application/rdf+xml", graph=ox.RdfFormat.RDF_XML)

GRAPH: dict[str, Format] = {
    "text/turtle": _TURTLE,
    "application/n-triples": _NT,
    "application/ld+json": _JSONLD,
    "application/rdf+xml": _RDFXML,
    "application/x-turtle": _TURTLE,
    "text/plain": _NT,  # the old N-Triples type, still sent by some clients
    "application/json": _JSONLD,
}

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


def pick(accept: str | None, wanted: str | None, offers: dict[str, Format]) -> Format:
    """The format for a response with ``offers``: ``?format=`` first, else the Accept header (406 if none fits).

    A ``format`` this kind of result cannot take (``json`` for a CONSTRUCT is JSON-LD; ``csv`` for one is
    not offered) yields to the Accept header, as clients that send both expect.

    >>> pick("text/csv;q=0.5, application/sparql-results+xml", None, SOLUTIONS).media_type
    'application/sparql-results+xml'
    >>> pick(None, "ttl", GRAPH).media_type
    'text/turtle; charset=utf-8'
    """
    if wanted is not None:
        media = KEYS.get(wanted.lower(), wanted.lower())
        if media in offers:
            return offers[media]
    return offers[negotiate(accept, list(offers))]


def offers_for(results: object) -> dict[str, Format]:
    """The formats a pyoxigraph query result can be written in."""
    if isinstance(results, ox.QuerySolutions):
        return SOLUTIONS
    if isinstance(results, ox.QueryBoolean):
        return BOOLEAN
    return GRAPH
