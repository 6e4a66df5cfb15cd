"""PaNET's classes as quads: each technique with its labels, definition and parents, and the closure.

A PaNET class IRI is also the technique node that datasets point to (punning, as in ``graph/model/writer.py``),
so the technique a catalogue names and the class PaNET defines meet on one node. For each PaNET class:

- ``a pankg:Technique`` and ``rdfs:label`` (through :class:`~graph.model.writer.RdfModel`, as for any technique);
- ``skos:altLabel`` (synonyms), ``skos:definition`` (from ``IAO:0000115``), ``obo:IAO_0000119`` (the
  definition's source as PaNET gives it, mostly a Wikipedia URL, kept as text);
- ``rdfs:subClassOf`` every named direct parent, ``owl:equivalentClass`` every named equivalent;
- ``rdfs:isDefinedBy`` the ontology, whose node carries ``owl:versionInfo`` (and versionIRI, title, licence);
- ``pankg:subTechniqueOf`` every PaNET class it is, or is below: the reflexive-transitive closure of the
  parents (and of named equivalences, which PaNET uses: PaNET01022 is equivalent to wikidata Q133900, and
  some techniques are placed under Q133900). It is materialized so that a subtree search is one join.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.model import entities as e
from graph.model.nt import iri, literal
from graph.model.nterms import dcterms, pankg, rdf, rdfs, skos
from graph.model.writer import PUBLIC, Quad, RdfModel
from loaders.base import LoadReport, entity_quads
from loaders.panet_read import IAO_DEFINITION_SOURCE, OWL, RDFS, OwlClass, Taxonomy, Text, is_panet

_OWL_ONTOLOGY = f"<{OWL}Ontology>"
_OWL_VERSION_INFO = f"<{OWL}versionInfo>"
_OWL_VERSION_IRI = f"<{OWL}versionIRI>"
_OWL_EQUIVALENT = f"<{OWL}equivalentClass>"
_IS_DEFINED_BY = f"<{RDFS}isDefinedBy>"
_DEFINITION_SOURCE = f"<{IAO_DEFINITION_SOURCE}>"


def ancestors(classes: dict[str, OwlClass]) -> dict[str, set[str]]:
    """Each class's reflexive-transitive ancestors over named parents and named equivalents.

    Cycles (two classes equivalent to each other) are fine: a class is visited once per search.

    >>> a, b, c = OwlClass("a"), OwlClass("b", parents=["a"]), OwlClass("c", equivalents=["b"])
    >>> sorted(ancestors({"a": a, "b": b, "c": c})["c"])
    ['a', 'b', 'c']
    """
    edges: dict[str, set[str]] = {name: set(c.parents) | set(c.equivalents) for name, c in classes.items()}
    for name, c in classes.items():  # equivalence goes both ways, whichever side states it
        for other in c.equivalents:
            edges.setdefault(other, set()).add(name)
    found: dict[str, set[str]] = {}
    for start in classes:
        seen = {start}
        stack = [start]
        while stack:
            for parent in edges.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        found[start] = seen
    return found


def taxonomy_quads(taxonomy: Taxonomy, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
    """The quads of the ontology header and of every PaNET class, closure included."""
    header = taxonomy.header
    onto = iri(header.iri) if header.iri else ""
    if onto:
        report.entities["Ontology"] += 1
        yield onto, rdf.type, _OWL_ONTOLOGY, PUBLIC
        for version in header.version_info:
            yield onto, _OWL_VERSION_INFO, literal(version), PUBLIC
        for version_iri in header.version_iri:
            yield onto, _OWL_VERSION_IRI, iri(version_iri), PUBLIC
        for title in header.title:
            yield onto, dcterms.title, literal(title), PUBLIC
        for licence in header.license:
            value = iri(licence) if licence.startswith(("http://", "https://")) else literal(licence)
            yield onto, dcterms.license, value, PUBLIC
    closure = ancestors(taxonomy.classes)
    for cls in taxonomy.techniques:
        node = model.technique(cls.iri)
        # The model writes the type and one plain label, as for a technique any catalogue names.
        plain = next((label for label in cls.labels if not label.lang), None)
        yield from entity_quads([e.Technique(cls.iri, plain.value if plain else "")], model, report)
        yield from _class_quads(node, cls, onto, plain)
        for ancestor in sorted(closure[cls.iri]):
            if is_panet(ancestor):
                yield node, pankg.subTechniqueOf, model.technique(ancestor), PUBLIC


def _class_quads(node: str, cls: OwlClass, onto: str, written: Text | None) -> Iterator[Quad]:
    for label in cls.labels:
        if label is not written:
            yield node, rdfs.label, _text(label), PUBLIC
    for alt in cls.alt_labels:
        yield node, skos.altLabel, _text(alt), PUBLIC
    for definition in cls.definitions:
        yield node, skos.definition, _text(definition), PUBLIC
    for source in cls.definition_sources:
        yield node, _DEFINITION_SOURCE, _text(source), PUBLIC
    for parent in cls.parents:
        yield node, rdfs.subClassOf, iri(parent), PUBLIC
    for other in cls.equivalents:
        yield node, _OWL_EQUIVALENT, iri(other), PUBLIC
    if onto:
        yield node, _IS_DEFINED_BY, onto, PUBLIC


def _text(text: Text) -> str:
    return literal(text.value, lang=text.lang or None)
