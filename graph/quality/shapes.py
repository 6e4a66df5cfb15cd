"""The SHACL shapes of the model (``ontology/shapes.ttl``), read once and prepared for chunked validation.

Validating millions of triples at once in rdflib is out of reach (pySHACL walks an in-memory rdflib
graph, about 30 µs a triple to build and more to check), so :mod:`graph.quality.report` validates a few
thousand entities at a time, with only the triples the shapes can look at. For that it needs, per
target class, what this module works out from the shapes:

- the *finding kinds*: every shape that can report a result, with its severity, the label of the
  finding in the plural, the message for one result and what to do about it;
- a *runtime shapes graph* in which ``sh:targetClass C`` is replaced by ``sh:targetSubjectsOf``
  :data:`FOCUS`: a chunk marks its own entities with that property, so a linked entity that is only
  in the chunk for its ``rdf:type`` (which ``sh:class`` needs) is not validated on partial data;
- the *paths* the shapes follow from a focus node, as sequences of properties, which say which
  triples the export must fetch.

The shapes file stays plain SHACL, usable by any SHACL engine; the rewriting is only how pankg runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from ontology import ONTOLOGY_DIR

SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
FOCUS = rdflib.URIRef("urn:pankg:validate:focus")
"""Marks the entities of a chunk that are validated; never written to the store."""

SEVERITIES = ("Violation", "Warning", "Info")
_TARGETS = (SH.target, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_PROPERTY_PAIRS = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)
"""Constraints that compare a value with another property of the same focus node."""
_EMPTY = rdflib.Literal("")
"""What a shape without a message or description reads as (``Graph.value`` defaults must be nodes)."""

PropertyPath = tuple[str, ...]


class ShapesError(ValueError):
    """The shapes file uses something the chunked export cannot follow (a bug in the shapes file)."""


@dataclass(frozen=True)
class FindingKind:
    """One shape that reports results: the unit of the data-quality report."""

    iri: str
    severity: str
    """``Violation``, ``Warning`` or ``Info``."""
    label: str
    """The finding in the plural, as a report line reads: ``datasets without a technique``."""
    message: str
    description: str
    """What a data manager can do about it."""

    @property
    def id(self) -> str:
        """The short name after ``#``, stable across versions: ``dataset-technique``."""
        return self.iri.rsplit("#", 1)[-1]


@dataclass(frozen=True)
class TargetGroup:
    """The shapes with one target, ready to run on a chunk of its focus nodes."""

    key: str
    """The target class, or the node shape whose SPARQL target this is."""
    select: str
    """A SPARQL SELECT whose ``?this`` are the focus nodes (the class's instances, or the SPARQL target's
    own query), run on oxigraph over the whole store."""
    shapes: rdflib.Graph
    paths: tuple[PropertyPath, ...]
    """Every property sequence the shapes follow from a focus node (single properties are 1-tuples)."""
    classes: tuple[str, ...] = ()
    """The classes ``sh:class`` asks for: the only types of linked nodes the export needs."""
    label: str = ""
    """The class's local name (``Dataset``), or the label of the node shape with the SPARQL target."""
    target_class: str = ""
    """The class, for a ``sh:targetClass`` group; empty for a SPARQL target."""
    prefixes: str = ""
    """``PREFIX`` lines the select needs (a SPARQL target's ``sh:prefixes``)."""


@dataclass(frozen=True)
class Shapes:
    """A shapes file as parsed (``graph``), its finding kinds by shape IRI, and its target groups."""

    graph: rdflib.Graph
    kinds: dict[str, FindingKind]
    groups: tuple[TargetGroup, ...]

    def kind(self, shape: str) -> FindingKind:
        """The finding kind of a result's source shape (a shape without an IRI gets a generic one)."""
        known = self.kinds.get(shape)
        return known or FindingKind(shape, "Violation", f"results of the shape {shape}", "", "")


@lru_cache(maxsize=4)
def load_shapes(path: Path = SHAPES_TTL) -> Shapes:
    """Parse a shapes file and prepare it; cached, since the shapes do not change while pankg runs."""
    graph = rdflib.Graph().parse(path, format="turtle")
    kinds = {str(s): _kind(graph, s) for s in _reporting_shapes(graph)}
    targets: dict[str, list[rdflib.term.Node]] = {}
    for shape, cls in graph.subject_objects(SH.targetClass):
        targets.setdefault(str(cls), []).append(shape)
    groups = [
        _group(graph, shapes, TargetGroup(
            cls, f"SELECT ?this WHERE {{ ?this a <{cls}> }}", rdflib.Graph(), (),
            label=cls.rsplit("#", 1)[-1].rsplit("/", 1)[-1], target_class=cls,
        ))
        for cls, shapes in sorted(targets.items())
    ]
    for shape, target in sorted(graph.subject_objects(SH.target)):
        prefixes, select = _sparql_target(graph, target)
        groups.append(_group(graph, [shape], TargetGroup(
            str(shape), select, rdflib.Graph(), (), label=_label(graph, shape), prefixes=prefixes,
        )))
    return Shapes(graph, kinds, tuple(groups))


def _label(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    return str(graph.value(node, RDFS.label, default=node))


def _sparql_target(graph: rdflib.Graph, target: rdflib.term.Node) -> tuple[str, str]:
    """The prefixes that a SHACL-AF ``sh:SPARQLTarget`` declares (``sh:prefixes``), and its query."""
    select = graph.value(target, SH.select)
    if (target, RDF.type, SH.SPARQLTarget) not in graph or select is None:
        raise ShapesError(f"only sh:targetClass and sh:SPARQLTarget with sh:select are supported, not {target}")
    prefixes = [
        f"PREFIX {graph.value(d, SH.prefix)}: <{graph.value(d, SH.namespace)}>"
        for holder in graph.objects(target, SH.prefixes)
        for d in graph.objects(holder, SH.declare)
    ]
    return "\n".join(sorted(prefixes)), str(select)


def _reporting_shapes(graph: rdflib.Graph) -> Iterator[rdflib.term.Node]:
    """Node shapes with targets and the property shapes they list: the shapes whose results reach the
    report (shapes nested in ``sh:or`` report through the shape that holds the ``sh:or``)."""
    for shape in set(graph.subjects(SH.targetClass, None)) | set(graph.subjects(SH.target, None)):
        yield shape
        yield from graph.objects(shape, SH.property)


def _kind(graph: rdflib.Graph, shape: rdflib.term.Node) -> FindingKind:
    severity = graph.value(shape, SH.severity, default=SH.Violation)
    return FindingKind(
        iri=str(shape),
        severity=str(severity).rsplit("#", 1)[-1],
        label=str(graph.value(shape, RDFS.label, default=shape)),
        message=str(graph.value(shape, SH.message, default=_EMPTY)),
        description=str(graph.value(shape, SH.description, default=_EMPTY)),
    )


def _group(graph: rdflib.Graph, node_shapes: list[rdflib.term.Node], group: TargetGroup) -> TargetGroup:
    """The shapes graph for one target: the node shapes that have it and everything they reach, with
    their target rewritten to the chunk's focus marker."""
    reached = _closure(graph, node_shapes)
    runtime = rdflib.Graph()
    for s in reached:
        for p, o in graph.predicate_objects(s):
            if p not in _TARGETS:
                runtime.add((s, p, o))
    for shape in node_shapes:
        runtime.add((shape, SH.targetSubjectsOf, FOCUS))
        # pySHACL checks a node shape's sh:property once per focus node, with a fixed cost per call; a
        # property shape with its own target is checked once per chunk. Same results, same source shape.
        for prop in graph.objects(shape, SH.property):
            runtime.remove((shape, SH.property, prop))
            runtime.add((prop, SH.targetSubjectsOf, FOCUS))
    paths = {p for s in reached for p in _paths_of(graph, s)}
    classes = {str(c) for s in reached for c in graph.objects(s, SH["class"])}
    return replace(group, shapes=runtime, paths=tuple(sorted(paths)), classes=tuple(sorted(classes)))


def _closure(graph: rdflib.Graph, start: list[rdflib.term.Node]) -> set[rdflib.term.Node]:
    """The shapes, lists and blank nodes reachable from ``start`` (the subjects a shape is made of)."""
    seen: set[rdflib.term.Node] = set()
    todo = list(start)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            if p not in _TARGETS and isinstance(o, (rdflib.BNode, rdflib.URIRef)) and (o, None, None) in graph:
                todo.append(o)
    return seen


def _paths_of(graph: rdflib.Graph, shape: rdflib.term.Node) -> Iterator[PropertyPath]:
    path = graph.value(shape, SH.path)
    if path is not None:
        yield from _expand(graph, path)
    for pair in _PROPERTY_PAIRS:
        for other in graph.objects(shape, pair):
            yield (str(other),)


def _expand(graph: rdflib.Graph, path: rdflib.term.Node) -> Iterator[PropertyPath]:
    """A SHACL path as property sequences: an IRI, a list of IRIs (a sequence), or ``sh:alternativePath``
    of IRIs. Inverse and repeated paths are refused: the export fetches outgoing triples only."""
    if isinstance(path, rdflib.URIRef):
        yield (str(path),)
        return
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        for member in Collection(graph, alternatives):
            if not isinstance(member, rdflib.URIRef):
                raise ShapesError(f"sh:alternativePath of anything but properties is not supported: {member}")
            yield (str(member),)
        return
    if (path, RDF.first, None) in graph:
        steps = list(Collection(graph, path))
        if not all(isinstance(step, rdflib.URIRef) for step in steps):
            raise ShapesError(f"a sequence path of anything but properties is not supported: {steps}")
        yield tuple(str(step) for step in steps)
        return
    raise ShapesError(f"unsupported SHACL path {path} ({sorted(str(p) for p in graph.predicates(path))})")
