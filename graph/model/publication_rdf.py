"""What a Crossref work adds to a publication in RDF (:class:`graph.model.entities.PublicationDetails`).

Called from :func:`graph.model.scholarly.publication_quads` once the core (title, authors, issued date, journal,
``cito:cites`` the DOIs of the reference list) is written. Dates keep the precision Crossref gives
(``date-parts`` of a year alone are an ``xsd:gYear``); references without a DOI are kept as their citation
text, since there is no node to link. Everything is public: a paper is published by definition.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.model import entities as e
from graph.model.context import MappingContext
from graph.model.datacite_vocab import dcterms2
from graph.model.nt import iri, literal
from graph.model.nterms import dcterms, schema
from graph.model.quads import PUBLIC, Quad
from graph.model.software_rdf import date_literal, schema3

_DATES = {"issued": dcterms.issued, "published": schema3.datePublished, "published-print": schema3.datePublished,
          "published-online": schema3.datePublished, "created": dcterms.created, "accepted": dcterms2.dateAccepted}
DATE_KINDS = frozenset(_DATES)


def publication_details_quads(m: MappingContext, s: str, p: e.Publication, d: e.PublicationDetails) -> Iterator[Quad]:
    for prop, value in ((dcterms.type, d.work_type), (dcterms.publisher, d.publisher), (dcterms.abstract, d.abstract),
                        (schema3.volumeNumber, d.volume), (schema3.issueNumber, d.issue), (schema3.pagination, d.page),
                        (dcterms2.language, d.language)):
        if value:
            yield s, prop, literal(value), PUBLIC
    for container in d.containers:
        yield s, dcterms.bibliographicCitation, literal(container), PUBLIC
    for issn in d.issns:
        yield s, schema3.issn, literal(issn), PUBLIC
    for keyword in d.keywords:
        yield s, schema3.keywords, literal(keyword), PUBLIC
    if d.url:
        yield s, schema.url, iri(d.url, "url"), PUBLIC
    for licence in d.licenses:
        yield s, dcterms.license, m.resource(licence), PUBLIC
    for kind, value in d.dates:
        if not (kind == "issued" and p.issued and p.issued.isoformat() == value):  # written by the core already
            yield s, _DATES[kind], date_literal(value), PUBLIC
    for person in d.contributors:
        yield s, dcterms.contributor, m.node("person", person), PUBLIC
    for text in d.reference_texts:
        yield s, dcterms.references, literal(text), PUBLIC
