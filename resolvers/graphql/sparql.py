"""SPARQL text for the GraphQL resolvers: safe IRIs and literals in, plain Python values out.

Every value that reaches a query from a client goes through :func:`iri` or :func:`literal`, so a filter
cannot close a brace or a string and rewrite the query; results come back from the store as ``str``/``int``/
``float``/``bool`` (:meth:`GraphStore.values`), so the GraphQL types never see RDF terms.
"""

from __future__ import annotations

import re

from ontology.namespaces import CITO, DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from ontology.terms import PANKG

PREFIXES = {
    "rdf": RDF.iri, "rdfs": RDFS.iri, "xsd": XSD.iri, "skos": SKOS.iri, "dcterms": DCTERMS.iri, "dcat": DCAT.iri,
    "prov": PROV.iri, "cito": CITO.iri, "schema": SCHEMA.iri, "foaf": FOAF.iri, "pankg": PANKG.NS,
}
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

_BAD_IRI = re.compile(r'[\s<>"{}|^`\\]')


class UserError(Exception):
    """A mistake in the request (bad unit, cursor, identifier, limit): its message goes to the client as is."""


class OutOfTime(UserError):
    """The request's time ran out: answered 504 when nothing came back (``application/graphql-response+json``)."""


def iri(value: str) -> str:
    """``<value>`` for SPARQL; refuse characters that IRIs may not hold (and that could break the query)."""
    if not value or _BAD_IRI.search(value):
        raise UserError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def literal(value: str) -> str:
    """A SPARQL string literal (escapes quotes, backslashes and line breaks)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def number(value: float) -> str:
    """A double literal in a form SPARQL parses whatever the magnitude (``1e-15``, not ``1e-15`` as text)."""
    return f'"{float(value)!r}"^^<{XSD.double}>'


def typed(value: str, datatype: str) -> str:
    return f"{literal(value)}^^<{datatype}>"


def is_http_iri(value: str) -> bool:
    return value.startswith(("http://", "https://"))
