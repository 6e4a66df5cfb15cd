"""The standard terms the DataCite mapping writes beyond those of :mod:`ontology.namespaces`.

Same closed vocabularies (a misspelt term raises), same namespaces; kept here so the DataCite mapping
brings its own terms without widening the lists every other mapper relies on. The verbatim namespaces
for DataCite's controlled lists sit beside ``dcrel:`` (``ontology.namespaces.DATACITE_RELATION``).
"""

from __future__ import annotations

from graph.model.nterms import NTerms, nterms
from ontology.namespaces import CITO, DCTERMS, PROV, RDF, SCHEMA, SKOS, Vocabulary

DCTERMS_MORE = Vocabulary(
    "dcterms", DCTERMS.iri,
    "Location alternative language extent format spatial available dateAccepted dateCopyrighted valid temporal rights "
    "rightsHolder tableOfContents requires replaces",
)
SCHEMA_MORE = Vocabulary(
    "schema", SCHEMA.iri,
    "PropertyValue propertyID value sameAs memberOf publisher funder funding MonetaryGrant Place GeoCoordinates "
    "GeoShape geo latitude longitude box polygon version volumeNumber issueNumber pageStart pageEnd bookEdition "
    "translationOfWork",
)
SKOS_MORE = Vocabulary("skos", SKOS.iri, "Concept ConceptScheme inScheme notation prefLabel")
CITO_MORE = Vocabulary("cito", CITO.iri, "reviews documents compiles")
RDF_MORE = Vocabulary("rdf", RDF.iri, "value")
PROV_MORE = Vocabulary("prov", PROV.iri, "alternateOf")
DATACITE_CONTRIBUTOR = Vocabulary("dccontrib", "https://w3id.org/pankg/datacite-contributor#", "")
"""Contributor types kept verbatim: ``<record> dccontrib:ContactPerson <person>`` (beside dcterms:contributor)."""

dcterms2: NTerms = nterms(DCTERMS_MORE)
schema2: NTerms = nterms(SCHEMA_MORE)
skos2: NTerms = nterms(SKOS_MORE)
rdf2: NTerms = nterms(RDF_MORE)
