"""graph/model/schema.py is the one description of the model: the writer, the GraphQL types, the batch loader,
the SHACL shapes and docs/model.md agree with it, and a field added there (packedSize) shows in every view."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from graph.model import entities as e
from graph.model.generate import camel, targets
from graph.model.schema import DATASET, KINDS, Kind, scalar_predicates, stub
from graph.model.writer import PUBLIC, RdfModel
from graph.quality.report import validate
from graph.store.embedded import GraphStore
from loaders import scicat
from loaders.base import load
from loaders.demo import DemoCatalogue
from loaders.rdf import RdfFileSource
from ontology.namespaces import CITO, DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SCHEMA, SKOS
from ontology.terms import PANKG
from resolvers.graphql.batch import PROPERTIES
from resolvers.graphql.schema import make_schema
from tests.helpers import TODAY
from tests.resolvers.test_graphql_helpers import gql

TYPE = RDF.type


def test_the_generated_table_and_shapes_are_fresh() -> None:
    stale = [str(path) for path, text in targets().items() if path.read_text() != text]
    assert not stale, f"run `python -m graph.model.generate`: {stale} differ from graph/model/schema.py"


def kind_of(types: set[str]) -> Kind | None:
    """The kind whose classes a node has, the most specific first (a facility is an organization too)."""
    fitting = [k for k in KINDS if set(k.classes) <= types]
    return max(fitting, key=lambda k: len(k.classes), default=None)


def test_every_predicate_the_writer_writes_is_described() -> None:
    model = RdfModel(as_of=TODAY)
    types: dict[str, set[str]] = defaultdict(set)
    written: dict[str, set[str]] = defaultdict(set)
    for entity in DemoCatalogue(datasets=200, seed=7, today=TODAY).entities():
        for s, p, o, _ in model.quads(entity):
            if p[1:-1] == TYPE:
                types[s].add(o[1:-1])
            written[s].add(p[1:-1])
    seen: set[str] = set()
    for node, classes in types.items():
        kind = kind_of(classes)
        if kind is None:
            continue
        seen.add(kind.name)
        extra = written[node] - kind.predicates() - {TYPE}
        assert not extra, f"{kind.name} {node} has predicates the description lacks: {sorted(extra)}"
    assert seen >= {"dataset", "file", "parameter", "sample", "proposal", "run", "facility", "instrument", "person",
                    "software", "version", "publication", "doi", "technique"}


def full_dataset(**changes: object) -> e.Dataset:
    """A dataset with every field of the description set."""
    values = dict(pid="ds-full", title="Full", description="d", created=dt.datetime(2025, 1, 2, 3, 4, 5),
                  license="CC-BY-4.0", size=10, packed_size=7, number_of_files=2, source_folder="/data/x",
                  source_folder_host="host", keywords=("a", "b"), submitted=dt.datetime(2025, 1, 3),
                  modified=dt.datetime(2025, 1, 4), retention_end=dt.date(2035, 1, 1), owner_group="g1",
                  access_groups=("g2",), embargo_end=dt.date(2030, 1, 1))
    values.update(changes)
    return e.Dataset(**values)  # type: ignore[arg-type]


def test_every_dataset_field_is_written_and_the_stub_is_what_the_description_says() -> None:
    quads = list(RdfModel(as_of=TODAY).quads(full_dataset()))
    node = "<https://w3id.org/pankg/id/dataset/ds-full>"
    public = {p[1:-1] for s, p, _, acc in quads if s == node and acc == PUBLIC}
    hidden = {p[1:-1] for s, p, _, acc in quads if s == node and acc != PUBLIC}
    assert public == set(stub()) - {link.predicate for link in DATASET.links} | {TYPE}
    assert hidden == {f.predicate for f in DATASET.fields if f.embargo == "hidden"} | {RDFS.label}
    opened = list(RdfModel(as_of=TODAY).quads(full_dataset(embargo_end=dt.date(2020, 1, 1))))
    assert {p[1:-1] for s, p, _, acc in opened if s == node} == {f.predicate for f in DATASET.fields} | {
        TYPE, RDFS.label}
    assert all(acc == PUBLIC for *_, acc in opened)


def test_every_described_field_is_a_record_attribute() -> None:
    for kind in KINDS:
        record = getattr(e, kind.record, None)
        if record is None or not dataclasses.is_dataclass(record):
            continue
        names = {f.name for f in dataclasses.fields(record)}
        wrong = [f.name for f in kind.fields if f.source and f.source not in names]
        assert not wrong, f"{kind.name}: no attribute {wrong} on {kind.record}"


def test_every_graphql_type_shows_every_field_of_its_kind() -> None:
    types = {t.name: t for t in make_schema()._schema.type_map.values() if hasattr(t, "fields")}
    for kind in KINDS:
        shown = set(types[kind.graphql].fields)
        missing = [f.name for f in kind.fields if f.graphql and camel(f.name) not in shown]
        assert not missing, f"GraphQL {kind.graphql} lacks {missing}"


def test_the_batch_loader_fetches_every_field() -> None:
    assert set(PROPERTIES) == {f"<{p}>" for p in scalar_predicates((TYPE,))}
    assert {f"<{f.predicate}>" for k in KINDS for f in k.fields} <= set(PROPERTIES)


def test_packed_size_end_to_end(tmp_path: Path) -> None:
    """The field added through the description alone: SciCat -> graph -> GraphQL -> SHACL -> docs."""
    record = {"pid": "ds-packed", "type": "raw", "datasetName": "Packed", "owner": "A. Person",
              "contactEmail": "a@example.org", "sourceFolder": "/data/p", "creationTime": "2024-05-01T00:00:00Z",
              "isPublished": True, "size": 2000, "packedSize": 1500}
    (tmp_path / "datasets.json").write_text(json.dumps([record]))
    store = GraphStore()
    report = load(store, scicat.sources([str(tmp_path / "datasets.json")])[0], as_of=TODAY)
    assert not any("packedSize" in str(w) for w in report.warnings)  # no longer named as not mapped
    found = gql(store, '{ datasets(first: 5) { edges { node { pid packedSize size } } } }')
    assert found["datasets"]["edges"] == [{"node": {"pid": "ds-packed", "packedSize": 1500.0, "size": 2000.0}}]
    assert not [f for f in validate(store).findings if f.kind.id == "dataset-packed-size"]
    bad = tmp_path / "bad.nt"
    bad.write_text("<https://w3id.org/pankg/id/dataset/ds-packed> <https://w3id.org/pankg/ontology#packedSize> "
                   '"big" .\n')
    load(store, RdfFileSource(bad))
    broken = [f for f in validate(store).findings if f.kind.id == "dataset-packed-size"]
    assert broken and broken[0].kind.severity == "Violation" and broken[0].count == 1
    assert "| dataset | packed_size | `packedSize` | `pankg:packedSize` | integer | restricted |" in (
        Path(__file__).parents[2] / "docs" / "model.md").read_text()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_links_point_at_described_kinds(kind: Kind) -> None:
    known = {k.name for k in KINDS} | {"contact", "association"}
    assert {link.target for link in kind.links} <= known


def test_every_link_the_batch_loader_follows_is_described() -> None:
    from resolvers.graphql.batch import LINKS

    prefixes = {"dcterms": DCTERMS, "dcat": DCAT, "pankg": PANKG, "prov": PROV, "cito": CITO, "schema": SCHEMA,
                "rdfs": RDFS, "foaf": FOAF, "skos": SKOS}
    described = {link.predicate for kind in KINDS for link in kind.links}
    for name, pattern in LINKS.items():
        if name == "props":
            continue
        used = {getattr(prefixes[p], local) for p, local in re.findall(r"\b([a-z]+):([A-Za-z]+)\b", pattern)}
        classes = {c for kind in KINDS for c in kind.classes}
        assert used - described - classes == set(), f"link {name} follows predicates the description lacks"
