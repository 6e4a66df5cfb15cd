"""The standard vocabularies pankg writes, as closed sets of IRIs.

A term that is not listed raises ``AttributeError`` instead of quietly minting a misspelt IRI, as
rdflib's ``DefinedNamespace`` does with ``_fail = True``. Terms are plain ``str`` IRIs so the model
can write N-Quads text without building term objects.

Note on schema.org: CodeMeta and RO-Crate use ``http://schema.org/``, so pankg does too (rdflib's
``SDO`` is ``https://schema.org/``).
"""

from __future__ import annotations


class Vocabulary:
    """A namespace with a closed list of terms; ``Vocabulary.term`` is the full IRI as ``str``."""

    def __init__(self, prefix: str, iri: str, terms: str) -> None:
        self.prefix = prefix
        self.iri = iri
        self.terms = frozenset(terms.split())
        for term in self.terms:
            object.__setattr__(self, term, iri + term)

    def __getattr__(self, name: str) -> str:  # only called for names that are not set
        raise AttributeError(f"{name!r} is not a term of {self.prefix}: ({self.iri})")

    def __getitem__(self, name: str) -> str:
        if name not in self.terms:
            raise KeyError(f"{name!r} is not a term of {self.prefix}: ({self.iri})")
        return self.iri + name


RDF = Vocabulary("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "type Property")
RDFS = Vocabulary("rdfs", "http://www.w3.org/2000/01/rdf-schema#", "label comment subClassOf seeAlso Class")
XSD = Vocabulary(
    "xsd",
    "http://www.w3.org/2001/XMLSchema#",
    "string boolean integer nonNegativeInteger double decimal date dateTime gYear anyURI",
)
OWL = Vocabulary("owl", "http://www.w3.org/2002/07/owl#", "Class ObjectProperty DatatypeProperty sameAs")
SKOS = Vocabulary("skos", "http://www.w3.org/2004/02/skos/core#", "prefLabel altLabel definition notation")
PROV = Vocabulary(
    "prov",
    "http://www.w3.org/ns/prov#",
    "Entity Activity Agent Person Organization SoftwareAgent Plan Association "
    "used wasGeneratedBy wasDerivedFrom wasAssociatedWith qualifiedAssociation agent hadPlan "
    "startedAtTime endedAtTime generatedAtTime wasRevisionOf hadPrimarySource wasAttributedTo",
)
DCAT = Vocabulary(
    "dcat",
    "http://www.w3.org/ns/dcat#",
    "Dataset Catalog Distribution dataset byteSize keyword landingPage contactPoint downloadURL",
)
DCTERMS = Vocabulary(
    "dcterms",
    "http://purl.org/dc/terms/",
    "title description identifier created issued modified creator contributor publisher license type "
    "hasPart isPartOf hasVersion isVersionOf source format bibliographicCitation accessRights subject "
    "abstract dateSubmitted isReferencedBy references",
)
CITO = Vocabulary(
    "cito",
    "http://purl.org/spar/cito/",
    "cites citesAsDataSource usesMethodIn citesAsAuthority isCitedBy",
)
SCHEMA = Vocabulary(
    "schema",
    "http://schema.org/",
    "SoftwareSourceCode SoftwareApplication ScholarlyArticle Person Organization Dataset "
    "name softwareVersion codeRepository givenName familyName affiliation isPartOf identifier url "
    "programmingLanguage email",
)
VCARD = Vocabulary("vcard", "http://www.w3.org/2006/vcard/ns#", "Kind hasEmail")
FOAF = Vocabulary("foaf", "http://xmlns.com/foaf/0.1/", "Person Organization Document name")
PANET = Vocabulary("panet", "http://purl.org/pan-science/PaNET/", "")
DATACITE_RELATION = Vocabulary("dcrel", "https://w3id.org/pankg/datacite-relation#", "")

STANDARD = (RDF, RDFS, XSD, OWL, SKOS, PROV, DCAT, DCTERMS, CITO, SCHEMA, VCARD, FOAF, PANET, DATACITE_RELATION)
