"""DataCite relation types: kept verbatim, and also written with a standard property where one fits.

The verbatim property is ``https://w3id.org/pankg/datacite-relation#<relationType>``. The standard
property is written in one canonical direction (an inverse type such as ``IsCitedBy`` is written from the
other side: ``A IsCitedBy B`` gives ``B cito:cites A``), so no query needs the inverse to find a link.
The table of all 39 types is in ``docs/mapping-datacite.md``.
"""

from __future__ import annotations

from graph.model.datacite_vocab import CITO_MORE, DCTERMS_MORE, PROV_MORE, SCHEMA_MORE
from ontology.namespaces import CITO, DCTERMS, PROV

STANDARD_RELATIONS: dict[str, tuple[str, bool]] = {
    # relationType: (standard property, True when the DOI record is the object, not the subject)
    "Cites": (CITO.cites, False),
    "IsCitedBy": (CITO.cites, True),
    "IsDerivedFrom": (PROV.wasDerivedFrom, False),
    "IsSourceOf": (PROV.wasDerivedFrom, True),
    "IsNewVersionOf": (PROV.wasRevisionOf, False),
    "IsPreviousVersionOf": (PROV.wasRevisionOf, True),
    "HasPart": (DCTERMS.hasPart, False),
    "IsPartOf": (DCTERMS.hasPart, True),
    "HasVersion": (DCTERMS.hasVersion, False),
    "IsVersionOf": (DCTERMS.hasVersion, True),
    "References": (DCTERMS.references, False),
    "IsReferencedBy": (DCTERMS.references, True),
    "IsPublishedIn": (DCTERMS.hasPart, True),
    "Documents": (CITO_MORE.documents, False),
    "IsDocumentedBy": (CITO_MORE.documents, True),
    "Compiles": (CITO_MORE.compiles, False),
    "IsCompiledBy": (CITO_MORE.compiles, True),
    "Reviews": (CITO_MORE.reviews, False),
    "IsReviewedBy": (CITO_MORE.reviews, True),
    "Requires": (DCTERMS_MORE.requires, False),
    "IsRequiredBy": (DCTERMS_MORE.requires, True),
    "Obsoletes": (DCTERMS_MORE.replaces, False),
    "IsObsoletedBy": (DCTERMS_MORE.replaces, True),
    "IsVariantFormOf": (PROV_MORE.alternateOf, False),
    "IsOriginalFormOf": (PROV_MORE.alternateOf, True),
    "IsIdenticalTo": (SCHEMA_MORE.sameAs, False),
    "IsTranslationOf": (SCHEMA_MORE.translationOfWork, False),
    "HasTranslation": (SCHEMA_MORE.translationOfWork, True),
}

RELATION_TYPES: tuple[str, ...] = tuple(
    ["IsCitedBy", "Cites", "IsSupplementTo", "IsSupplementedBy", "IsContinuedBy", "Continues", "IsNewVersionOf",
     "IsPreviousVersionOf", "IsPartOf", "HasPart", "IsPublishedIn", "IsReferencedBy", "References", "IsDocumentedBy",
     "Documents", "IsCompiledBy", "Compiles", "IsVariantFormOf", "IsOriginalFormOf", "IsIdenticalTo", "HasMetadata",
     "IsMetadataFor", "Reviews", "IsReviewedBy", "IsDerivedFrom", "IsSourceOf", "Describes", "IsDescribedBy",
     "HasVersion", "IsVersionOf", "Requires", "IsRequiredBy", "Obsoletes", "IsObsoletedBy", "Collects",
     "IsCollectedBy", "HasTranslation", "IsTranslationOf", "Other"]
)
"""The 39 relationTypes of the DataCite Metadata Schema 4.7, in the schema's order; the loader refuses any other."""
