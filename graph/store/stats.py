"""Counts per entity kind and per source graph: what ``pankg stats`` and the home page show."""

from __future__ import annotations

from dataclasses import dataclass

from graph.store.embedded import GraphStore, Scope
from ontology.namespaces import DCAT, FOAF
from ontology.terms import PANKG

# Display name -> class IRI. Datasets count under dcat:Dataset as the model always states it.
ENTITY_KINDS: dict[str, str] = {
    "facilities": PANKG.Facility,
    "instruments": PANKG.Instrument,
    "proposals": PANKG.Proposal,
    "datasets": DCAT.Dataset,
    "raw datasets": PANKG.RawDataset,
    "derived datasets": PANKG.DerivedDataset,
    "files": PANKG.File,
    "samples": PANKG.Sample,
    "parameters": PANKG.Parameter,
    "techniques": PANKG.Technique,
    "software": PANKG.Software,
    "software versions": PANKG.SoftwareVersion,
    "analysis runs": PANKG.AnalysisRun,
    "people": FOAF.Person,
    "organizations": FOAF.Organization,
    "publications": PANKG.Publication,
    "DOI records": PANKG.DOIRecord,
}


@dataclass(frozen=True)
class GraphCount:
    source_kind: str
    location: str
    graph: str
    access: str
    triples: int


@dataclass(frozen=True)
class Stats:
    entities: dict[str, int]
    embargoed_datasets: int
    graphs: list[GraphCount]

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    def as_json(self, public: bool = False) -> dict[str, object]:
        """As JSON; ``public`` leaves out where sources were read from and the graph IRIs."""
        hidden = {"location", "graph"} if public else set()
        return {
            "entities": self.entities,
            "embargoed_datasets": self.embargoed_datasets,
            "triples": self.triples,
            "graphs": [{k: v for k, v in g.__dict__.items() if k not in hidden} for g in self.graphs],
        }


def entity_counts(store: GraphStore, scope: Scope = "all") -> tuple[dict[str, int], int]:
    """Distinct entities per kind (zero for absent kinds) and the number of embargoed datasets."""
    values = " ".join(f"<{iri}>" for iri in ENTITY_KINDS.values())
    _, rows = store.query(
        f"SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?type {{ {values} }} ?s a ?type }} GROUP BY ?type",
        scope,
    )
    by_type = {row[0].value: int(row[1].value) for row in rows}
    _, rows = store.query(
        f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d <{PANKG.accessLevel}> <{PANKG.Restricted}> ; "
        f"a <{DCAT.Dataset}> }}",
        scope,
    )
    return {name: by_type.get(iri, 0) for name, iri in ENTITY_KINDS.items()}, int(rows[0][0].value)


def stats(store: GraphStore, scope: Scope = "all") -> Stats:
    """Entity counts and the triple count of every current source graph."""
    entities, embargoed = entity_counts(store, scope)
    graphs = [
        GraphCount(info.kind, info.location, g.iri, g.access, g.triples)
        for info in sorted(store.sources.values(), key=lambda i: (i.kind, i.location))
        for g in info.graphs
        if scope == "all" or g.access == "public"
    ]
    return Stats(entities, embargoed, graphs)
