"""How the DataCite kernel of a DOI record becomes RDF (part of :mod:`graph.model.scholarly`, which calls it).

Standard vocabularies first: DCTERMS for titles, dates, formats, sizes and licences; schema.org for
alternate identifiers, funding, places and the bibliographic details of related items; SKOS for subjects.
A DataCite list value with no standard property is kept verbatim, as relation types are (``dcrel:``):
contributor types under ``dccontrib:``, the rest as pankg literals. Values that carry attributes a single
triple cannot hold (a date with its ``dateInformation``, a related identifier with its
``resourceTypeGeneral``) get a *qualified node* beside the direct triple, as PROV-O qualifies an
association: the direct triple answers the common question, the node keeps the rest. Qualified nodes are
owned by the record: ``<base>doi/<doi>#<part>-<n>``, numbered in the record's order, so a reload of the
same record gives the same IRIs. Everything here is public, like the DOI record itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from urllib.parse import quote

from graph.model import entities as e
from graph.model.context import MappingContext
from graph.model.datacite_vocab import DATACITE_CONTRIBUTOR, dcterms2, rdf2, schema2, skos2
from graph.model.iris import doi_iri
from graph.model.nt import iri, literal
from graph.model.nterms import dcat, dcterms, nt, pankg, rdf, rdfs, schema
from graph.model.quads import PUBLIC, Quad
from graph.model.relations import STANDARD_RELATIONS
from ontology.namespaces import DATACITE_RELATION, XSD

# relatedIdentifierType -> the prefix that makes the identifier an IRI (DOI, URL, URN... are IRIs already).
RESOLVERS = {
    "Handle": "https://hdl.handle.net/", "arXiv": "https://arxiv.org/abs/", "PMID": "https://pubmed.ncbi.nlm.nih.gov/",
    "ISSN": "urn:issn:", "EISSN": "urn:issn:", "LISSN": "urn:issn:", "ISBN": "urn:isbn:", "ARK": "https://n2t.net/",
    "IGSN": "https://igsn.org/", "bibcode": "https://ui.adsabs.harvard.edu/abs/", "RAiD": "https://raid.org/",
    "SWHID": "https://archive.softwareheritage.org/", "RRID": "https://identifiers.org/RRID:",
}
_STRIP = {"arXiv": "arxiv:", "Handle": "hdl:", "RRID": "rrid:"}
_AS_IRI = frozenset({"URL", "PURL", "w3id", "URN", "LSID"})
_IRI_SAFE = ":/?#[]@!$&'()*+,;=-._~%"

TITLE_PROPERTIES = {"": dcterms.title, "TranslatedTitle": dcterms.title, "AlternativeTitle": dcterms2.alternative,
                    "Subtitle": pankg.subtitle, "Other": pankg.otherTitle}
DESCRIPTION_PROPERTIES = {"Abstract": dcterms.abstract, "Methods": pankg.methods, "TechnicalInfo": pankg.technicalInfo,
                          "SeriesInformation": pankg.seriesInformation, "TableOfContents": dcterms2.tableOfContents,
                          "Other": dcterms.description, "": dcterms.description}
DATE_PROPERTIES = {"Accepted": dcterms2.dateAccepted, "Available": dcterms2.available, "Collected": pankg.dateCollected,
                   "Copyrighted": dcterms2.dateCopyrighted, "Coverage": dcterms2.temporal, "Created": dcterms.created,
                   "Issued": dcterms.issued, "Submitted": dcterms.dateSubmitted, "Updated": dcterms.modified,
                   "Valid": dcterms2.valid, "Withdrawn": pankg.dateWithdrawn, "Other": ""}
_YEAR = re.compile(r"-?\d{4}")
_DECIMAL = f"{XSD.iri}decimal"


def related_iri(m: MappingContext, identifier: str, kind: str) -> str:
    """The IRI (N-Triples) of a related identifier of DataCite type ``kind``; raises RecordInvalid if none can be made.

    A DOI is its doi.org IRI; an http(s) URL, URN or LSID is itself; the types with a resolver (Handle,
    arXiv, PMID, ISSN, ISBN, ...) are prefixed with it; the rest (EAN13, UPC, ISTC, CSTR) are minted as
    ``<base>related/<type>:<value>``. An empty ``kind`` is a DOI, as the catalogue loaders name them.
    """
    value = identifier.strip()
    if kind in ("", "DOI"):
        return m.node("doi", value)
    if value.lower().startswith(("http://", "https://")):
        return iri(doi_iri(value) or value)
    if kind in _AS_IRI:
        return iri(value if ":" in value else m.minter.minted("related", f"{kind}:{value}"))
    prefix = RESOLVERS.get(kind)
    if prefix is None:
        return iri(m.minter.minted("related", f"{kind}:{value}"))
    strip = _STRIP.get(kind, "")
    if strip and value.lower().startswith(strip):
        value = value[len(strip):]
    return iri(prefix + quote(value, safe=_IRI_SAFE))


def date_literal(value: str) -> str:
    """A DataCite date typed where it is one point in time (year, day, instant), else plain text (a range)."""
    text = value.strip()
    if _YEAR.fullmatch(text):
        return literal(text, XSD.gYear)
    try:
        if len(text) == 10:
            return literal(dt.date.fromisoformat(text).isoformat(), XSD.date)
        if "T" in text:
            return literal(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(), XSD.dateTime)
    except ValueError:
        pass
    return literal(text)


def _text(t: e.Text) -> str:
    return literal(t.text, lang=t.lang or None)


def _owned(m: MappingContext, doi: str, part: str, n: int) -> str:
    return f"<{m.minter.owned('doi', doi, f'{part}-{n}')}>"


def _decimal(value: str) -> str:
    return literal(value.strip(), _DECIMAL)


def relation_quads(
    m: MappingContext, s: str, doi: str, n: int, rel: e.RelatedIdentifier, target: str
) -> Iterator[Quad]:
    """The qualified node of a typed related identifier: what the verbatim triple cannot say."""
    node = _owned(m, doi, "relatedIdentifier", n)
    yield s, pankg.qualifiedRelation, node, PUBLIC
    yield node, pankg.relationType, literal(rel.relation), PUBLIC
    yield node, pankg.relatedResource, target, PUBLIC
    if rel.identifier:
        yield node, dcterms.identifier, literal(rel.identifier), PUBLIC
    yield from _item_relation(rel, node)


def datacite_quads(m: MappingContext, d: e.DoiRecord, s: str, doi: str) -> Iterator[Quad]:
    """The quads of the DataCite fields of a DOI record (everything :func:`graph.model.scholarly.doi_quads`
    does not write)."""
    if d.resource_type_text:
        yield s, pankg.resourceType, literal(d.resource_type_text), PUBLIC
    for t in d.titles:
        yield s, TITLE_PROPERTIES[t.kind], _text(t), PUBLIC
    for t in d.descriptions:
        yield s, DESCRIPTION_PROPERTIES[t.kind], _text(t), PUBLIC
    yield from _agents(m, s, d.agents)
    if d.publisher_id:
        yield s, schema2.publisher, m.node("organization", d.publisher_id), PUBLIC
    for n, date in enumerate(d.dates, 1):
        value = date_literal(date.value)
        prop = DATE_PROPERTIES[date.kind]
        if prop:
            yield s, prop, value, PUBLIC
        node = _owned(m, doi, "date", n)
        yield s, pankg.qualifiedDate, node, PUBLIC
        yield node, pankg.dateType, literal(date.kind), PUBLIC
        yield node, rdf2.value, value, PUBLIC
        if date.information:
            yield node, pankg.dateInformation, literal(date.information), PUBLIC
    for n, subject in enumerate(d.subjects, 1):
        yield from _subject(m, s, doi, n, subject)
    for n, rights in enumerate(d.rights, 1):
        yield from _rights(m, s, doi, n, rights)
    for n, place in enumerate(d.geo_locations, 1):
        yield from _geo(m, s, doi, n, place)
    for n, funding in enumerate(d.funding, 1):
        yield from _funding(m, s, doi, n, funding)
    for n, alt in enumerate(d.alternate_identifiers, 1):
        node = _owned(m, doi, "alternateIdentifier", n)
        yield s, schema.identifier, node, PUBLIC
        yield node, rdf.type, schema2.PropertyValue, PUBLIC
        yield node, schema2.propertyID, literal(alt.kind), PUBLIC
        yield node, schema2.value, literal(alt.value), PUBLIC
    for n, item in enumerate(d.related_items, 1):
        yield from _related_item(m, s, doi, n, item)
    for size in d.sizes:
        yield s, dcterms2.extent, literal(size), PUBLIC
    for fmt in d.formats:
        yield s, dcterms2.format, literal(fmt), PUBLIC
    if d.version:
        yield s, schema2.version, literal(d.version), PUBLIC
    if d.language:
        yield s, dcterms2.language, literal(d.language), PUBLIC



def _agents(m: MappingContext, s: str, agents: tuple[e.Agent, ...]) -> Iterator[Quad]:
    """Creators ``dcterms:creator``; contributors ``dcterms:contributor`` and their type verbatim (``dccontrib:``)."""
    for agent in agents:
        node = m.node("organization" if agent.organization else "person", agent.pid)
        if agent.role == "Creator":
            yield s, dcterms.creator, node, PUBLIC
        else:
            yield s, dcterms.contributor, node, PUBLIC
            yield s, nt(DATACITE_CONTRIBUTOR.iri + agent.role), node, PUBLIC
            if agent.role == "RightsHolder":
                yield s, dcterms2.rightsHolder, node, PUBLIC
        for other in agent.same_as:
            yield node, schema2.sameAs, iri(other, "same_as"), PUBLIC
        for org in agent.member_of:
            yield node, schema2.memberOf, m.node("organization", org), PUBLIC


def _subject(m: MappingContext, s: str, doi: str, n: int, x: e.Subject) -> Iterator[Quad]:
    """Every subject is a keyword; one from a scheme or with a valueURI is also a ``skos:Concept``."""
    text = literal(x.text, lang=x.lang or None)
    yield s, dcat.keyword, text, PUBLIC
    if not (x.value_uri or x.scheme or x.scheme_uri or x.code):
        return
    concept = iri(x.value_uri, "value_uri") if x.value_uri else _owned(m, doi, "subject", n)
    yield s, dcterms.subject, concept, PUBLIC
    yield concept, rdf.type, skos2.Concept, PUBLIC
    yield concept, skos2.prefLabel, text, PUBLIC
    if x.scheme:
        yield concept, pankg.subjectScheme, literal(x.scheme), PUBLIC
    if x.scheme_uri:
        yield concept, skos2.inScheme, iri(x.scheme_uri, "scheme_uri"), PUBLIC
    if x.code:
        yield concept, skos2.notation, literal(x.code), PUBLIC


def spdx_iri(identifier: str) -> str:
    """The spdx.org IRI of an SPDX licence id (``CC0 1.0`` read as ``CC0-1.0``)."""
    return "https://spdx.org/licenses/" + quote("-".join(identifier.split()), safe="-.+")


def _rights(m: MappingContext, s: str, doi: str, n: int, r: e.Rights) -> Iterator[Quad]:
    """A licence with an IRI (rightsURI, or the SPDX id's spdx.org IRI) is ``dcterms:license``; bare text
    ``dcterms:rights``."""
    nodes = [iri(r.uri, "uri")] if r.uri else []
    if r.identifier and r.identifier_scheme.upper() == "SPDX":
        nodes.append(iri(spdx_iri(r.identifier)))
    if not nodes:
        if r.text:
            yield s, dcterms2.rights, literal(r.text, lang=r.lang or None), PUBLIC
        if not r.identifier:
            return
        nodes.append(_owned(m, doi, "rights", n))
    for node in nodes:
        yield s, dcterms.license, node, PUBLIC
        if r.text:
            yield node, rdfs.label, literal(r.text, lang=r.lang or None), PUBLIC
        if r.identifier:
            yield node, skos2.notation, literal(r.identifier), PUBLIC
        if r.scheme_uri:
            yield node, skos2.inScheme, iri(r.scheme_uri, "scheme_uri"), PUBLIC


def _point(node: str, p: e.GeoPoint) -> Iterator[Quad]:
    yield node, rdf.type, schema2.GeoCoordinates, PUBLIC
    yield node, schema2.latitude, _decimal(p.latitude), PUBLIC
    yield node, schema2.longitude, _decimal(p.longitude), PUBLIC


def _geo(m: MappingContext, s: str, doi: str, n: int, g: e.GeoLocation) -> Iterator[Quad]:
    """A ``schema:Place`` that is the record's ``dcterms:spatial``: name, point, and a shape for box and polygons."""
    place = _owned(m, doi, "geoLocation", n)
    yield s, dcterms2.spatial, place, PUBLIC
    yield place, rdf.type, schema2.Place, PUBLIC
    yield place, rdf.type, dcterms2.Location, PUBLIC
    if g.place:
        yield place, rdfs.label, literal(g.place), PUBLIC
    if g.point:
        point = f"<{m.minter.owned('doi', doi, f'geoLocation-{n}-point')}>"
        yield place, schema2.geo, point, PUBLIC
        yield from _point(point, g.point)
    if not (g.box or g.polygons):
        return
    shape = f"<{m.minter.owned('doi', doi, f'geoLocation-{n}-shape')}>"
    yield place, schema2.geo, shape, PUBLIC
    yield shape, rdf.type, schema2.GeoShape, PUBLIC
    if g.box:  # schema.org: "south west north east", lower corner then upper corner, latitude first
        west, east, south, north = (v.strip() for v in g.box)
        yield shape, schema2.box, literal(f"{south} {west} {north} {east}"), PUBLIC
    for k, polygon in enumerate(g.polygons):
        points = " ".join(f"{p.latitude.strip()} {p.longitude.strip()}" for p in polygon)
        yield shape, schema2.polygon, literal(points), PUBLIC
        inside = g.inside[k] if k < len(g.inside) else None
        if inside:
            yield shape, pankg.inPolygonPoint, literal(f"{inside.latitude.strip()} {inside.longitude.strip()}"), PUBLIC



def _funding(m: MappingContext, s: str, doi: str, n: int, f: e.Funding) -> Iterator[Quad]:
    """A ``schema:MonetaryGrant`` the record ``schema:funding``; the funder is an organization, also
    ``schema:funder``."""
    grant = _owned(m, doi, "funding", n)
    yield s, schema2.funding, grant, PUBLIC
    yield grant, rdf.type, schema2.MonetaryGrant, PUBLIC
    if f.funder:
        funder = m.node("organization", f.funder)
        yield s, schema2.funder, funder, PUBLIC
        yield grant, schema2.funder, funder, PUBLIC
        if f.identifier_type:
            yield funder, pankg.identifierType, literal(f.identifier_type), PUBLIC
    if f.award_number:
        yield grant, schema.identifier, literal(f.award_number), PUBLIC
    if f.award_title:
        yield grant, schema.name, literal(f.award_title), PUBLIC
    if f.award_uri:
        yield grant, schema.url, iri(f.award_uri, "award_uri"), PUBLIC



def _related_item(m: MappingContext, s: str, doi: str, n: int, item: e.RelatedItem) -> Iterator[Quad]:
    """A related item is the relation's target (its identifier's IRI, else a node of the record) with its details."""
    rel = item.relation
    node = related_iri(m, rel.identifier, rel.identifier_type) if rel.identifier else _owned(m, doi, "relatedItem", n)
    yield s, pankg.relatedItem, node, PUBLIC
    yield from relation_links(m, s, rel.relation, node)
    yield node, dcterms.type, literal(item.item_type), PUBLIC
    for t in item.titles:
        yield node, TITLE_PROPERTIES[t.kind], _text(t), PUBLIC
    yield from _agents(m, node, item.agents)
    if item.year is not None:
        yield node, dcterms.issued, literal(str(item.year), XSD.gYear), PUBLIC
    details = ((schema2.volumeNumber, item.volume), (schema2.issueNumber, item.issue), (pankg.itemNumber, item.number),
               (pankg.numberType, item.number_type), (schema2.pageStart, item.first_page),
               (schema2.pageEnd, item.last_page), (dcterms.publisher, item.publisher),
               (schema2.bookEdition, item.edition))
    for prop, value in details:
        if value:
            yield node, prop, literal(value), PUBLIC
    yield from _item_relation(rel, node)


def _item_relation(rel: e.RelatedIdentifier, node: str) -> Iterator[Quad]:
    """What a relation says beyond its type and target: on a related item itself (it belongs to this record), or
    on the qualified node of a related identifier."""
    if rel.resource_type_general:
        yield node, pankg.resourceTypeGeneral, literal(rel.resource_type_general), PUBLIC
    if rel.relation_information:
        yield node, pankg.relationTypeInformation, literal(rel.relation_information), PUBLIC
    if rel.metadata_scheme:
        yield node, pankg.relatedMetadataScheme, literal(rel.metadata_scheme), PUBLIC
    if rel.scheme_uri:
        yield node, pankg.schemeURI, iri(rel.scheme_uri, "scheme_uri"), PUBLIC
    if rel.scheme_type:
        yield node, pankg.schemeType, literal(rel.scheme_type), PUBLIC
    if rel.identifier_type:
        yield node, pankg.identifierType, literal(rel.identifier_type), PUBLIC


def relation_links(m: MappingContext, s: str, relation: str, target: str) -> Iterator[Quad]:
    """The verbatim ``dcrel:`` triple and, where one fits, the standard triple in its canonical direction."""
    yield s, nt(DATACITE_RELATION.iri + relation), target, PUBLIC
    standard = STANDARD_RELATIONS.get(relation)
    if standard:
        prop, inverse = standard
        yield (target, nt(prop), s, PUBLIC) if inverse else (s, nt(prop), target, PUBLIC)
