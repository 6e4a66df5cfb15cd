"""The data-quality report: the SHACL shapes of the model run with pySHACL over the graph.

What a data manager acts on is a count per kind of finding with a few examples ("412 datasets without
a technique: <...>, ..."), totals per severity, and whether anything breaks the model (a violation).
:func:`validate` produces that as a :class:`QualityReport`.

Scale decides the design. pySHACL walks an in-memory rdflib graph, and copying millions of triples out
of oxigraph into one would take minutes and gigabytes before the first check. So the report is built
one chunk of entities at a time: for each target of the shapes (a class, or a SPARQL target), the
store lists its focus nodes, and for a few thousand of them at once one SPARQL CONSTRUCT fetches only
the triples the shapes look at (their paths, and the types of the linked nodes for ``sh:class``;
:mod:`graph.quality.chunks`), which pySHACL then checks, here or in worker processes
(:mod:`graph.quality.run`). Memory stays bounded whatever the size of the graph, and the time grows
linearly with it.

The view is the data manager's: every graph, public and restricted (a dataset's title is in the
restricted graph while it is under embargo). With ``source`` the entities checked are those that
source types, but their facts still come from the whole graph: a dataset's DOI link often comes from
another source (the DOI records), and judged alone every file of a SciCat export would look broken.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.errors import NotFound
from graph.quality.chunks import entity_count
from graph.quality.run import run_chunks
from graph.quality.shapes import SEVERITIES, SHAPES_TTL, FindingKind, load_shapes
from graph.store.embedded import GraphStore

CHUNK = 2000
"""Entities validated at once: large enough that pySHACL's per-call cost is small, small enough that a
chunk's rdflib graph stays a few megabytes."""
EXAMPLES = 5


@dataclass(frozen=True)
class Finding:
    """One kind of finding: how many entities have it and the first few (in IRI order)."""

    kind: FindingKind
    count: int
    examples: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        k = self.kind
        return {
            "id": k.id, "shape": k.iri, "severity": k.severity, "finding": k.label, "count": self.count,
            "examples": list(self.examples), "message": k.message, "what_to_do": k.description,
        }


@dataclass(frozen=True)
class Scope:
    """What a report covers: every graph, or the graphs of one source."""

    label: str
    graphs: tuple[str, ...] = ()
    """Empty: every graph (the data manager's view)."""


@dataclass(frozen=True)
class QualityReport:
    scope: Scope
    entities: int
    """Distinct entities checked: the instances of the classes the shapes target."""
    checked: dict[str, int]
    """Focus nodes per target (a class by its local name, a SPARQL target by its label); a raw dataset
    counts under Dataset, RawDataset and every SPARQL target that selects it."""
    findings: tuple[Finding, ...]
    seconds: float
    skipped_blank_nodes: int = 0
    """Entities without an IRI, which a SPARQL query cannot name: not checked."""

    @property
    def totals(self) -> dict[str, int]:
        """Per severity, the number of (entity, finding) pairs."""
        totals = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            totals[f.kind.severity] = totals.get(f.kind.severity, 0) + f.count
        return totals

    @property
    def violations(self) -> int:
        return self.totals["Violation"]

    def as_json(self) -> dict[str, object]:
        return {
            "scope": {"label": self.scope.label, "graphs": list(self.scope.graphs)},
            "conforms": self.violations == 0,
            "totals": self.totals,
            "entities": self.entities,
            "checked": self.checked,
            "skipped_blank_nodes": self.skipped_blank_nodes,
            "seconds": round(self.seconds, 3),
            "findings": [f.as_json() for f in self.findings],
        }


def resolve_scope(store: GraphStore, source: str | None) -> Scope:
    """``None``: every graph. Otherwise a source as ``KIND:LOCATION`` (a relative path is made absolute,
    as the loaders record it), a source IRI, or one of a source's graph IRIs."""
    if not source:
        return Scope("all graphs")
    sources = store.sources
    for info in sources.values():
        for g in info.graphs:
            if g.iri == source:
                return Scope(f"{info.kind}:{info.location} ({g.access} graph)", (g.iri,))
    kind, _, location = source.partition(":")
    for info in sources.values():
        if info.iri == source or (info.kind == kind and info.location in _spellings(location)):
            return Scope(f"{info.kind}:{info.location}", tuple(g.iri for g in info.graphs))
    known = ", ".join(sorted(f"{i.kind}:{i.location}" for i in sources.values())) or "none"
    raise NotFound(f"no loaded source is {source!r}; give KIND:LOCATION or a graph IRI (loaded: {known})")


def _spellings(location: str) -> set[str]:
    spellings = {location}
    if location and "://" not in location and not location.startswith("pankg:"):
        spellings.add(str(Path(location).expanduser().resolve()))
    return spellings


def validate(
    store: GraphStore,
    source: str | None = None,
    *,
    examples: int = EXAMPLES,
    chunk: int = CHUNK,
    jobs: int | None = 1,
    shapes_path: Path = SHAPES_TTL,
    progress: Callable[[int, int], None] | None = None,
) -> QualityReport:
    """Run the shapes over the graph (or one source's entities) and tally the findings.

    ``jobs`` worker processes check the chunks (None: one per CPU, up to 8; 1, the default: in this
    process, as small graphs always are). Workers are spawned, so a script that asks for them must
    start from ``if __name__ == "__main__":``. ``progress(done, total)`` is called as chunks are checked, with focus
    nodes as the unit (an entity counts once per target that selects it).
    """
    start = time.perf_counter()
    shapes = load_shapes(shapes_path)
    scope = resolve_scope(store, source)
    pairs, checked, skipped = run_chunks(store, shapes_path, scope.graphs, chunk, jobs, progress)
    nodes: dict[str, set[str]] = {}
    for shape, focus in pairs:  # a set per kind: an entity reported twice by one shape counts once
        nodes.setdefault(shape, set()).add(focus)
    findings = sorted(
        (Finding(shapes.kind(s), len(found), tuple(sorted(found)[:examples])) for s, found in nodes.items()),
        key=lambda f: (SEVERITIES.index(f.kind.severity) if f.kind.severity in SEVERITIES else 0, -f.count, f.kind.id),
    )
    entities = entity_count(store, [g.target_class for g in shapes.groups if g.target_class], scope.graphs)
    return QualityReport(scope, entities, checked, tuple(findings), time.perf_counter() - start, skipped)
