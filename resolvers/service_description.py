"""The SPARQL 1.1 Service Description answered by ``GET /sparql`` without a query.

Clients and registries read it to learn what the endpoint speaks without trying; its triples are written by
:mod:`graph.query.service`. Here: the media types it is offered in, and the dataset the *caller* sees. An
anonymous caller is shown the public graphs only, never the meta graph or a restricted graph.
"""

from __future__ import annotations

from graph.query.formats import RdfSyntax
from graph.query.service import service_description

# Media type offered -> syntax of the description itself. Turtle first: the natural form.
DESCRIPTION_FORMATS: dict[str, RdfSyntax] = {
    "text/turtle": RdfSyntax.TURTLE,
    "application/ld+json": RdfSyntax.JSON_LD,
    "application/rdf+xml": RdfSyntax.RDF_XML,
    "application/n-triples": RdfSyntax.N_TRIPLES,
}


def serialize(endpoint: str, graphs: list[str], syntax: RdfSyntax) -> bytes:
    """The description for the endpoint at ``endpoint`` and a caller who sees ``graphs``, written in ``syntax``."""
    return service_description(endpoint, graphs, syntax)
