"""How publications and DOI records become RDF: the scholarly links of the model (part of :mod:`graph.model.writer`).

A paper ``cito:cites`` the DOIs it uses; a DOI record ``dcterms:hasPart`` the datasets it covers and
keeps DataCite relation types verbatim (``dcrel:``) next to a standard property where one fits
(:mod:`graph.model.relations`). Everything here is public: DOIs and papers are published by definition.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.context import MappingContext
from graph.model.datacite_rdf import datacite_quads, related_iri, relation_links, relation_quads
from graph.model.nt import iri, literal, typed
from graph.model.nterms import cito, dcat, dcterms, foaf, pankg, prov, rdf, rdfs, schema
from graph.model.publication_rdf import publication_details_quads
from graph.model.quads import PUBLIC, Quad
from ontology.namespaces import XSD

_DOI_IRI = "<https://doi.org/"


def publication_quads(m: MappingContext, p: e.Publication) -> Iterator[Quad]:
    s = m.node("publication", p.pid)
    yield s, rdf.type, pankg.Publication, PUBLIC
    yield s, rdf.type, foaf.Document, PUBLIC
    yield s, rdf.type, prov.Entity, PUBLIC
    yield s, dcterms.title, literal(p.title), PUBLIC
    yield s, rdfs.label, literal(p.title), PUBLIC
    if p.issued:
        yield s, dcterms.issued, typed(p.issued), PUBLIC
    if p.journal:
        yield s, dcterms.bibliographicCitation, literal(p.journal), PUBLIC
    for author in p.authors:
        yield s, dcterms.creator, m.node("person", author), PUBLIC
    for citation in p.cites:
        target = m.node("doi", citation.target)
        yield s, cito.cites, target, PUBLIC
        if citation.kind != "cites":
            yield s, getattr(cito, citation.kind), target, PUBLIC
    if p.details:
        yield from publication_details_quads(m, s, p, p.details)


def doi_quads(m: MappingContext, d: e.DoiRecord) -> Iterator[Quad]:
    s = m.node("doi", d.doi)
    yield s, rdf.type, pankg.DOIRecord, PUBLIC
    yield s, rdf.type, prov.Entity, PUBLIC
    identifier = unquote(s[len(_DOI_IRI) : -1]) if s.startswith(_DOI_IRI) else d.doi
    yield s, dcterms.identifier, literal(identifier), PUBLIC
    title = literal(d.title, lang=d.title_lang or None)
    yield s, dcterms.title, title, PUBLIC
    yield s, rdfs.label, title, PUBLIC
    yield s, dcterms.type, literal(d.resource_type), PUBLIC
    if d.publisher:
        yield s, dcterms.publisher, literal(d.publisher), PUBLIC
    if d.year:
        yield s, dcterms.issued, literal(str(d.year), XSD.gYear), PUBLIC
    if d.abstract:
        yield s, dcterms.abstract, literal(d.abstract), PUBLIC
    if d.description:
        yield s, dcterms.description, literal(d.description), PUBLIC
    if d.url:
        yield s, schema.url, iri(d.url, "url"), PUBLIC
    if d.download_url:
        yield s, dcat.downloadURL, iri(d.download_url, "download_url"), PUBLIC
    if d.registered:
        yield s, dcterms.dateSubmitted, typed(d.registered), PUBLIC
    for reference in d.references:
        yield s, dcterms.isReferencedBy, literal(reference), PUBLIC
    for creator in d.creators:
        yield s, dcterms.creator, m.node("person", creator), PUBLIC
    for part in d.parts:
        dataset = m.node("dataset", part)
        if dataset == s:  # a dataset identified by this very DOI
            continue
        yield s, dcterms.hasPart, dataset, PUBLIC
        yield dataset, pankg.doi, s, PUBLIC
    for n, rel in enumerate(d.related, 1):
        if not rel.relation.isalnum():
            raise RecordInvalid(
                f"not a DataCite relation type: {rel.relation!r}", record=d.doi, field="relationType"
            )
        target = related_iri(m, rel.identifier, rel.identifier_type)
        yield from relation_links(m, s, rel.relation, target)
        if rel.identifier_type:  # typed by DataCite: the attributes go on a qualified node
            yield from relation_quads(m, s, identifier, n, rel, target)
    yield from datacite_quads(m, d, s, identifier)
