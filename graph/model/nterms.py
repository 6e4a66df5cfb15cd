"""The N-Triples forms (``<iri>``) of the terms the model writes, made once.

``pankg.parameter`` reads like Turtle's ``pankg:parameter`` and costs one attribute lookup on the hot
path of a load, instead of formatting the IRI for every triple.

>>> dcterms.title
'<http://purl.org/dc/terms/title>'
"""

from __future__ import annotations

from ontology.namespaces import CITO, DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SCHEMA, SKOS, Vocabulary
from ontology.terms import PANKG


def nt(term: str) -> str:
    """The N-Triples form of an IRI known to be valid (a vocabulary term)."""
    return f"<{term}>"


class NTerms:
    """A vocabulary's terms as N-Triples text; an unknown term raises ``AttributeError``."""

    def __init__(self, terms: dict[str, str]) -> None:
        for name, term in terms.items():
            setattr(self, name, nt(term))

    def __getattr__(self, name: str) -> str:
        raise AttributeError(f"no term {name!r}")


def nterms(vocabulary: Vocabulary | type) -> NTerms:
    if isinstance(vocabulary, Vocabulary):
        return NTerms({name: vocabulary[name] for name in vocabulary.terms})
    names = [n for n in vars(vocabulary) if not n.startswith("_") and n != "NS"]
    return NTerms({name: getattr(vocabulary, name) for name in names})


pankg = nterms(PANKG)
rdf, rdfs, prov, dcat, dcterms = nterms(RDF), nterms(RDFS), nterms(PROV), nterms(DCAT), nterms(DCTERMS)
foaf, schema, skos, cito = nterms(FOAF), nterms(SCHEMA), nterms(SKOS), nterms(CITO)
