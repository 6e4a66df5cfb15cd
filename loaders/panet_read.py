"""Reading a PaNET OWL file into plain Python data: the classes keyed by IRI, their annotations and parents.

Two parsers, each for what it does best. oxigraph reads the bytes (RDF/XML, Turtle, N-Triples, ...),
behind the checks of :mod:`graph.store.rdf_input`, so a broken file fails with the line where it broke, whatever
its syntax; ``owl:imports`` are dropped there, so owlready2 never goes to the network for an import nobody
asked for. owlready2 then reads the triples as OWL (N-Triples in, one fresh :class:`owlready2.World` per
read, never the global one) and gives the class model: named superclasses, equivalent classes, the
operands of their definitions, and HermiT when the hierarchy is only implied (:mod:`loaders.panet_reason`).

Everything is keyed by IRI: PaNET's labels are not unique (about 70 are shared by a technique and a
"specifier" class, e.g. PaNET01124 and PaNET2020072 are both "small angle scattering").

>>> is_panet("http://purl.org/pan-science/PaNET/PaNET01188"), is_panet("http://purl.org/pan-science/PaNET/PaNET.owl")
(True, False)
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import owlready2

from graph.errors import RecordInvalid
from graph.query.formats import RdfSyntax, serialize_triples
from graph.query.terms import NamedNode, Triple
from graph.store import rdf_input

PANET_NS = "http://purl.org/pan-science/PaNET/"
ROOT = PANET_NS + "PaNET00001"
"""'photon and neutron technique': the root every PaNET build has; a file without it is not PaNET."""
_PANET_CLASS = re.compile(re.escape(PANET_NS) + r"PaNET\d+$")

OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
IAO_DEFINITION = "http://purl.obolibrary.org/obo/IAO_0000115"
IAO_DEFINITION_SOURCE = "http://purl.obolibrary.org/obo/IAO_0000119"
_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_IMPORTS = NamedNode(OWL + "imports")
_HEADER = {
    OWL + "versionInfo": "version_info",
    OWL + "versionIRI": "version_iri",
    "http://purl.org/dc/terms/title": "title",
    "http://purl.org/dc/terms/license": "license",
}


def is_panet(iri: str) -> bool:
    """True for a PaNET term IRI (``.../PaNET/PaNETnnnnn``), not for the ontology's own IRI."""
    return bool(_PANET_CLASS.match(iri))


@dataclass(frozen=True)
class Text:
    """An annotation value: the text and its language tag, if any."""

    value: str
    lang: str = ""


@dataclass
class OwlClass:
    """One named class as the ontology states it (after reasoning, if reasoning ran)."""

    iri: str
    labels: list[Text] = field(default_factory=list)
    alt_labels: list[Text] = field(default_factory=list)
    definitions: list[Text] = field(default_factory=list)
    definition_sources: list[Text] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    """Named direct superclasses (rdfs:subClassOf), any namespace, owl:Thing left out."""
    equivalents: list[str] = field(default_factory=list)
    """Named equivalent classes (PaNET01022 is equivalent to wikidata Q133900)."""
    defined_under: set[str] = field(default_factory=set)
    """Named operands of its equivalent-class intersections: ``C = A and B and p some X`` implies C below A, B."""


@dataclass
class Header:
    """What the file says about itself: its IRI and version."""

    iri: str = ""
    version_info: list[str] = field(default_factory=list)
    version_iri: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    license: list[str] = field(default_factory=list)
    dropped_imports: list[str] = field(default_factory=list)


@dataclass
class Taxonomy:
    """The classes of one ontology keyed by IRI: PaNET's techniques and any other named class they cite."""

    header: Header
    classes: dict[str, OwlClass]

    @property
    def techniques(self) -> list[OwlClass]:
        return [c for iri, c in sorted(self.classes.items()) if is_panet(iri)]


def parse(data: bytes, fmt: RdfSyntax, name: str, base_iri: str) -> tuple[bytes, Header]:
    """The file's triples as N-Triples (without ``owl:imports``), and its header.

    Parsed through :mod:`graph.store.rdf_input`: RDF/XML with a DTD (entity expansion) and a file cut off in the
    middle (oxigraph's RDF/XML parser would keep what came before the cut) are refused there. ``name`` (the
    file or URL) is what an error names.
    """
    triples = list(rdf_input.triples(data, fmt, name=name, base_iri=base_iri))
    header = _header(triples)
    kept = [t for t in triples if t.predicate != _IMPORTS]
    return serialize_triples(kept, RdfSyntax.N_TRIPLES), header


def _header(triples: list[Triple]) -> Header:
    ontologies = {
        t.subject for t in triples
        if t.predicate == _TYPE and t.object == NamedNode(OWL + "Ontology") and isinstance(t.subject, NamedNode)
    }
    header = Header(iri=min((o.value for o in ontologies), default=""))
    for t in triples:
        if not isinstance(t.subject, NamedNode) or t.subject.value != header.iri or isinstance(t.object, Triple):
            continue
        if t.predicate == _IMPORTS:
            header.dropped_imports.append(t.object.value)
        elif t.predicate.value in _HEADER:
            getattr(header, _HEADER[t.predicate.value]).append(t.object.value)
    return header


def open_world(ntriples: bytes, name: str) -> owlready2.World:
    """A fresh owlready2 world holding the triples (the caller closes it)."""
    world = owlready2.World()
    try:
        world.get_ontology("urn:pankg:panet-input").load(fileobj=io.BytesIO(ntriples), format="ntriples")
    except owlready2.OwlReadyError as exc:
        world.close()
        raise RecordInvalid(f"owlready2 cannot read it as OWL: {exc}", file=name) from None
    return world


def read_classes(world: owlready2.World) -> dict[str, OwlClass]:
    """Every named class of the world keyed by IRI, with its annotations, parents and definitions."""
    classes: dict[str, OwlClass] = {}
    for cls in world.classes():
        iri = cls.iri
        if iri.startswith(OWL):
            continue
        item = classes[iri] = OwlClass(iri, labels=_texts(cls.label))
        item.parents = sorted({p.iri for p in cls.is_a if _named(p)})
        item.equivalents = sorted({e.iri for e in cls.equivalent_to if _named(e)})
        for definition in cls.equivalent_to:
            if isinstance(definition, owlready2.And):
                item.defined_under |= _operands(definition)
    for prop, attr in (
        (SKOS_ALT_LABEL, "alt_labels"),
        (IAO_DEFINITION, "definitions"),
        (IAO_DEFINITION_SOURCE, "definition_sources"),
    ):
        query = f"SELECT ?c ?v WHERE {{ ?c <{prop}> ?v }}"
        for subject, value in world.sparql(query, error_on_undefined_entities=False):
            annotated = classes.get(getattr(subject, "iri", ""))
            if annotated is not None:
                getattr(annotated, attr).extend(_texts([value]))
    return classes


def check_panet(classes: dict[str, OwlClass], name: str) -> None:
    """Raise :class:`RecordInvalid` (naming the file) unless the classes look like PaNET."""
    if not classes:
        raise RecordInvalid("no OWL classes in it: not a PaNET ontology", file=name)
    panet = sum(1 for iri in classes if is_panet(iri))
    if not panet:
        raise RecordInvalid(
            f"none of its classes ({len(classes)}) is a PaNET technique (IRI {PANET_NS}PaNETnnnnn): "
            "not a PaNET ontology",
            file=name,
        )
    if ROOT not in classes:
        raise RecordInvalid(
            f"it has PaNET classes ({panet}) but not the root {ROOT} (photon and neutron technique): "
            "not a PaNET ontology",
            file=name,
        )


def _named(entity: object) -> bool:
    return isinstance(entity, owlready2.ThingClass) and entity is not owlready2.Thing


def _operands(construct: owlready2.And) -> set[str]:
    """Named classes of an intersection, nested intersections included (restrictions are not classes)."""
    found: set[str] = set()
    for part in construct.Classes:
        if _named(part):
            found.add(part.iri)
        elif isinstance(part, owlready2.And):
            found |= _operands(part)
    return found


def _texts(values: Iterable[object]) -> list[Text]:
    return [Text(str(v), getattr(v, "lang", "") or "") for v in values if str(v).strip()]
