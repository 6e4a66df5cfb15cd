"""The SPARQL 1.1 Service Description answered by ``GET /sparql`` without a query.

Clients and registries read it to learn what the endpoint speaks without trying: the endpoint URL
(``sd:endpoint``, the W3C test "has-endpoint-triple"), SPARQL 1.1 Query only (no ``sd:SPARQL11Update``
while updates are off), the result formats, and the dataset the *caller* sees: the default graph is the
union of the visible graphs (``sd:UnionDefaultGraph``), each visible graph listed by name. An anonymous
caller is shown the public graphs only, never the meta graph or a restricted graph.
"""

from __future__ import annotations

import pyoxigraph as ox

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

# Media type offered -> pyoxigraph format of the description itself. Turtle first: the natural form.
DESCRIPTION_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def description(endpoint: str, graphs: list[str]) -> list[ox.Triple]:
    """The description's triples, for the endpoint at ``endpoint`` and a caller who sees ``graphs``."""
    service, dataset, default = ox.NamedNode(endpoint), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
    ]
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    for iri in graphs:
        named = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(iri)),
        ]
    return triples


def serialize(endpoint: str, graphs: list[str], fmt: ox.RdfFormat) -> bytes:
    """The description written in ``fmt`` (prefixes for Turtle, so a person can read it)."""
    prefixes = {"sd": SD, "formats": FORMATS} if fmt == ox.RdfFormat.TURTLE else None
    out = ox.serialize(description(endpoint, graphs), format=fmt, prefixes=prefixes)
    return bytes(out) if out is not None else b""
