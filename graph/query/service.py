"""The triples of a SPARQL 1.1 Service Description: what an endpoint speaks and which graphs a caller sees.

Clients and registries read it to learn what the endpoint speaks without trying: the endpoint URL
(``sd:endpoint``, the W3C test "has-endpoint-triple"), SPARQL 1.1 Query only (no ``sd:SPARQL11Update``
while updates are off), the result formats, and the dataset the *caller* sees: the default graph is the
union of the visible graphs (``sd:UnionDefaultGraph``), each visible graph listed by name. Which graphs those
are is the caller's business (``resolvers/service_description.py``); this module only writes them down.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.query.formats import RdfSyntax, rdf_format

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _description(endpoint: str, graphs: list[str]) -> list[ox.Triple]:
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


def service_description(endpoint: str, graphs: list[str], syntax: RdfSyntax) -> bytes:
    """The description of the endpoint at ``endpoint`` for a caller who sees ``graphs``, written in ``syntax``
    (with prefixes in Turtle, so a person can read it)."""
    prefixes = {"sd": SD, "formats": FORMATS} if syntax is RdfSyntax.TURTLE else None
    out = ox.serialize(_description(endpoint, graphs), format=rdf_format(syntax), prefixes=prefixes)
    return bytes(out) if out is not None else b""
