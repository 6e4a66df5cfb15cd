"""DataCite relation types: kept verbatim, and also written with a standard property where one fits.

The verbatim property is ``https://w3id.org/pankg/datacite-relation#<relationType>``. The fuller table,
with all 39 types, lives in ``docs/mapping.md`` as the DataCite loader arrives.
"""

from __future__ import annotations

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
    "IsVersionOf": (DCTERMS.isVersionOf, False),
    "References": (DCTERMS.references, False),
    "IsReferencedBy": (DCTERMS.references, True),
}
