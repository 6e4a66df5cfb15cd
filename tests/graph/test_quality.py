"""The data-quality report: the shapes find what is missing or broken, with counts checked by SPARQL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import rdflib
from pyshacl import validate as pyshacl_validate
from rdflib.compare import isomorphic

from graph.errors import NotFound
from graph.model import entities as e
from graph.model.writer import RdfModel
from graph.quality.chunks import parse_chunk
from graph.quality.report import QualityReport, validate
from graph.quality.shapes import SEVERITIES, load_shapes
from graph.query.formats import RdfSyntax, ResultsSyntax
from graph.store.embedded import GraphStore
from loaders import LOADERS
from loaders.base import load
from loaders.demo import DemoCatalogue
from tests.helpers import ROOT, TODAY, demo_source

P = "http://purl.org/pan-science/PaNET/PaNET"
ROR = "https://ror.org/02550n020"
ORCID = "0000-0002-1825-0097"
ID = "https://w3id.org/pankg/id/"
PREFIXES = """
PREFIX pankg: <https://w3id.org/pankg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
"""


def found(report: QualityReport) -> dict[str, set[str]]:
    """Finding id -> the entities reported (the report must list them all: call with many examples)."""
    return {f.kind.id: set(f.examples) for f in report.findings}


def sparql_nodes(store: GraphStore, where: str) -> list[str]:
    _, rows = store.query(f"{PREFIXES} SELECT DISTINCT ?x WHERE {{ {where} }} ORDER BY ?x")
    return [row[0].value for row in rows]


def load_turtle(store: GraphStore, path: Path, text: str) -> None:
    path.write_text(text)
    (source,) = LOADERS["rdf"]([str(path)])
    load(store, source, as_of=TODAY)


# ---------------------------------------------------------------------------- the shapes file


def test_every_finding_kind_is_written_for_a_person() -> None:
    shapes = load_shapes()
    reporting = [k for k in shapes.kinds.values() if k.message]
    assert len(reporting) > 60
    for kind in reporting:
        assert kind.severity in SEVERITIES, kind.iri
        assert kind.iri.startswith("https://w3id.org/pankg/shapes#"), kind.iri
        assert not kind.label.endswith(".") and kind.message.endswith(".") and kind.description.endswith("."), kind.iri
    labels = [k.label for k in reporting]
    assert len(labels) == len(set(labels)), "two finding kinds read the same in the report"


def test_docs_list_every_finding_with_its_severity() -> None:
    doc = (ROOT / "docs" / "validate.md").read_text()
    listed = dict(re.findall(r"^\| [^|]+ \| `([\w-]+)` \| (Violation|Warning|Info) \|", doc, re.M))
    kinds = {k.id: k.severity for k in load_shapes().kinds.values() if k.message}
    assert listed == kinds


def test_the_shapes_cover_every_entity_kind_of_the_model() -> None:
    targets = {g.target_class.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for g in load_shapes().groups if g.target_class}
    assert targets >= {
        "Dataset", "RawDataset", "DerivedDataset", "Proposal", "Sample", "Instrument", "Facility", "Person",
        "Organization", "File", "Parameter", "Technique", "Software", "SoftwareVersion", "AnalysisRun",
        "Association", "Publication", "DOIRecord", "Kind",
    }


def test_chunks_parse_like_rdflib_parses_them() -> None:
    """oxigraph's N-Triples, parsed by the chunk reader, give the graph rdflib's own parser gives."""
    store = GraphStore()
    tricky = [
        '"say \\"hi\\"\\n\\tback\\\\slash"', '"Zürich ☃"@de', '"12.7"^^<http://www.w3.org/2001/XMLSchema#double>',
        '"plain"^^<http://www.w3.org/2001/XMLSchema#string>', "<https://example.org/o>", "_:b0", '"\\u0007bell"',
    ]
    quads = [("<https://example.org/s>", f"<https://example.org/p{n}>", o, "public") for n, o in enumerate(tricky)]
    store.replace_source("test", "test:tricky", "1", quads)
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (?s = <https://example.org/s>) }"
    data = store.serialize(query, ResultsSyntax.JSON, RdfSyntax.N_TRIPLES)
    ours = parse_chunk(data, [])
    theirs = rdflib.Graph().parse(data=data.decode(), format="nt")
    assert len(ours) == len(tricky) and isomorphic(ours, theirs)


# ---------------------------------------------------------------------------- the demo's known gaps


@pytest.fixture(scope="module")
def demo_report(demo_store: tuple[GraphStore, DemoCatalogue]) -> QualityReport:
    return validate(demo_store[0], examples=100_000)


def test_the_demo_conforms_and_its_gaps_are_counted_as_sparql_counts_them(
    demo_store: tuple[GraphStore, DemoCatalogue], demo_report: QualityReport
) -> None:
    store, catalogue = demo_store
    expected = {
        # open raw data of proposals that got no DOI (the generator gives 70 % of them one)
        "public-raw-doi": "?x a pankg:RawDataset ; pankg:accessLevel pankg:Public . FILTER NOT EXISTS { ?x pankg:doi ?d }",
        # the demo gives derived data no DOI
        "public-derived-doi": "?x a pankg:DerivedDataset ; pankg:accessLevel pankg:Public . FILTER NOT EXISTS { ?x pankg:doi ?d }",
        # the software versions' DOI records name no creator and no year
        "doi-creators": "?x a pankg:DOIRecord . FILTER NOT EXISTS { ?x dcterms:creator ?c }",
        "doi-year": "?x a pankg:DOIRecord . FILTER NOT EXISTS { ?x dcterms:issued ?y }",
        "software-licence": "?x a pankg:Software . FILTER NOT EXISTS { ?x dcterms:license ?l }",
    }
    assert found(demo_report) == {kind: set(sparql_nodes(store, where)) for kind, where in expected.items()}
    assert all(len(nodes) > 0 for nodes in found(demo_report).values())
    assert demo_report.violations == 0 and demo_report.totals["Violation"] == 0
    assert demo_report.entities > catalogue.datasets
    assert demo_report.checked["Dataset"] == catalogue.datasets
    assert demo_report.checked["RawDataset"] == catalogue.summary["raw datasets"]


def test_findings_are_ordered_by_severity_then_count_and_list_the_first_entities(
    demo_store: tuple[GraphStore, DemoCatalogue], demo_report: QualityReport
) -> None:
    order = [(SEVERITIES.index(f.kind.severity), -f.count) for f in demo_report.findings]
    assert order == sorted(order)
    report = validate(demo_store[0], examples=3)
    first = next(f for f in report.findings if f.kind.id == "public-raw-doi")
    full = next(f for f in demo_report.findings if f.kind.id == "public-raw-doi")
    assert first.count == full.count and first.examples == tuple(sorted(full.examples)[:3])


def test_embargoed_details_count_although_the_public_graph_lacks_them(
    demo_store: tuple[GraphStore, DemoCatalogue], demo_report: QualityReport
) -> None:
    store, _ = demo_store
    (info,) = store.sources.values()
    public = next(g.iri for g in info.graphs if g.access == "public")
    untitled_in_public = sparql_nodes(
        store, f"GRAPH <{public}> {{ ?x a pankg:RawDataset }} FILTER NOT EXISTS {{ GRAPH <{public}> {{ ?x dcterms:title ?t }} }}"
    )
    assert untitled_in_public  # embargoed datasets keep their title in the restricted graph
    report = validate(store, public, examples=100_000)
    assert report.scope.graphs == (public,)
    assert "dataset-title" not in found(report) and found(report) == found(demo_report)


def test_chunks_change_nothing(demo_store: tuple[GraphStore, DemoCatalogue], demo_report: QualityReport) -> None:
    small = validate(demo_store[0], examples=100_000, chunk=37)
    assert found(small) == found(demo_report)
    assert small.checked == demo_report.checked


def test_worker_processes_find_the_same(demo_store: tuple[GraphStore, DemoCatalogue], demo_report: QualityReport) -> None:
    seen: list[tuple[int, int]] = []
    pooled = validate(demo_store[0], examples=100_000, chunk=300, jobs=2, progress=lambda d, t: seen.append((d, t)))
    assert found(pooled) == found(demo_report) and pooled.checked == demo_report.checked
    assert len(seen) >= 8 and seen[-1][0] == seen[-1][1] == sum(pooled.checked.values())


def test_the_chunked_run_finds_what_pyshacl_finds_on_the_whole_graph() -> None:
    """pySHACL, advanced features on, over one rdflib graph of everything: the same (shape, entity) pairs."""
    store = GraphStore()
    load(store, demo_source(60, seed=3), as_of=TODAY)
    ours = {(f.kind.iri, x) for f in validate(store, examples=100_000, chunk=11).findings for x in f.examples}
    whole = rdflib.Graph()
    whole.parse(data=store.serialize("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ResultsSyntax.JSON,
                                     RdfSyntax.N_TRIPLES).decode(), format="nt")
    _, report, _ = pyshacl_validate(whole, shacl_graph=load_shapes().graph, advanced=True, allow_warnings=True)
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    theirs = {
        (str(report.value(r, SH.sourceShape)), str(report.value(r, SH.focusNode)))
        for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    }
    assert ours == theirs and len(ours) > 10


# ---------------------------------------------------------------------------- records broken on purpose


def test_incomplete_records_give_exactly_their_findings() -> None:
    saxs = P + "01188"
    records = [
        e.Facility(ROR, "European Synchrotron Radiation Facility", "ESRF"),
        e.Technique(saxs, "small angle x-ray scattering"),
        e.Person(ORCID, "Josiah Carberry"),
        e.Proposal("MX-1", "Lysozyme", ROR, ORCID),
        e.Instrument("ESRF/ID02", "ESRF ID02", ROR, (saxs,)),
        e.Dataset("complete", "Complete", facility=ROR, instrument="ESRF/ID02", proposal="MX-1", techniques=(saxs,),
                  creators=(ORCID,), license="CC-BY-4.0", doi="10.5072/complete"),
        e.DoiRecord("10.5072/complete", "Complete data", "ESRF", 2020, creators=(ORCID,), parts=("complete",)),
        e.Dataset("bare", "Bare"),
        e.Dataset("orphan", "Orphan", kind="derived", proposal="MX-404", techniques=("saxs",), license="CC-BY-4.0"),
        e.Dataset("embargoed", "Embargoed", facility=ROR, instrument="ESRF/ID02", proposal="MX-1", techniques=(saxs,),
                  license="CC-BY-4.0", embargo_end=TODAY + dt.timedelta(days=400)),
        e.Dataset("secret", "Secret", facility=ROR, instrument="ESRF/ID02", proposal="MX-1", techniques=(saxs,),
                  license="CC-BY-4.0", public=False),
    ]
    model = RdfModel(as_of=TODAY)
    store = GraphStore()
    store.replace_source("test", "test:records", "1", [q for r in records for q in model.quads(r)], as_of=TODAY)
    report = validate(store)
    bare, orphan, secret = (f"{ID}dataset/{pid}" for pid in ("bare", "orphan", "secret"))
    assert found(report) == {
        "dataset-technique": {bare},
        "dataset-licence": {bare},
        "dataset-facility": {bare, orphan},
        "dataset-proposal": {bare},
        "dataset-pi": {bare, orphan},  # neither its own PI nor a proposal that names one (MX-404 is not loaded)
        "raw-instrument": {bare},
        "public-raw-doi": {bare},  # "embargoed" is restricted: its DOI can wait
        "dataset-proposal-unknown": {orphan},
        "dataset-technique-unknown": {orphan},  # "saxs" is a name, minted as technique/saxs, which nothing describes
        "derived-run": {orphan},
        "derived-inputs": {orphan},
        "public-derived-doi": {orphan},
        "restricted-embargo-end": {secret},  # restricted by its catalogue, with no end date: never opens
    }
    assert report.violations == 0 and report.totals == {"Violation": 0, "Warning": 14, "Info": 1}


BROKEN = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix pankg: <https://w3id.org/pankg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .

ex:ds1 a dcat:Dataset, pankg:RawDataset ;
    dcterms:title "One", "Uno" ;
    dcterms:created "last Tuesday" ;
    pankg:accessLevel pankg:Restricted ;
    pankg:embargoEndDate "2030-01-01"^^xsd:date ;
    pankg:technique <http://purl.org/pan-science/PaNET/PaNET01188> ;
    dcterms:license <https://spdx.org/licenses/CC-BY-4.0> ;
    pankg:facility <https://ror.org/02550n020> ;
    pankg:instrument ex:beamline ;
    pankg:proposal ex:proposal .

ex:beamline a pankg:Instrument ; pankg:facility <https://ror.org/02550n020> .

ex:run1 a pankg:AnalysisRun ;
    prov:used ex:ds1 ;
    prov:startedAtTime "2026-01-02T00:00:00Z"^^xsd:dateTime ;
    prov:endedAtTime "2026-01-01T00:00:00Z"^^xsd:dateTime ;
    pankg:usedSoftware ex:tool-1.0 .

ex:energy a pankg:Parameter ; pankg:parameterName "energy" ; pankg:value 12.7, 13.1 ; pankg:unit "kiloelectronvolt-ish" .
"""


def test_a_hand_written_record_gives_exactly_its_findings(tmp_path: Path) -> None:
    store = GraphStore()
    load(store, demo_source(40, seed=2), as_of=TODAY)  # the facility, PaNET technique and people are described here
    load_turtle(store, tmp_path / "broken.ttl", BROKEN)
    report = validate(store, f"rdf:{tmp_path / 'broken.ttl'}")
    ex = "https://example.org/"
    assert found(report) == {
        "dataset-identifier": {ex + "ds1"},  # no PID
        "dataset-dates": {ex + "ds1"},  # "last Tuesday" is no xsd:dateTime
        "dataset-titles": {ex + "ds1"},
        "dataset-pi": {ex + "ds1"},
        "dataset-proposal-unknown": {ex + "ds1"},
        "instrument-name": {ex + "beamline"},
        "instrument-technique": {ex + "beamline"},
        "run-times": {ex + "run1"},  # it ended before it started
        "run-software-unknown": {ex + "run1"},
        "parameter-value": {ex + "energy"},  # two values
        "parameter-si": {ex + "energy"},  # a unit pint cannot read
    }
    by_id = {f.kind.id: f for f in report.findings}
    assert by_id["run-times"].kind.severity == "Violation" and by_id["parameter-si"].kind.severity == "Info"
    assert report.violations == 5 and report.totals["Warning"] == 4


def test_a_source_restricts_the_entities_but_not_the_facts(tmp_path: Path) -> None:
    """The DOI of a dataset loaded from one file often comes from another: judged with the whole graph."""
    store = GraphStore()
    load(store, demo_source(40, seed=2), as_of=TODAY)
    load_turtle(store, tmp_path / "datasets.ttl", """
        <https://example.org/ds2> a <http://www.w3.org/ns/dcat#Dataset> , <https://w3id.org/pankg/ontology#RawDataset> ;
            <https://w3id.org/pankg/ontology#accessLevel> <https://w3id.org/pankg/ontology#Public> .""")
    load_turtle(store, tmp_path / "dois.ttl", """
        <https://example.org/ds2> <https://w3id.org/pankg/ontology#doi> <https://doi.org/10.5072/ds2> .""")
    datasets = validate(store, f"rdf:{tmp_path / 'datasets.ttl'}", examples=100)
    assert datasets.scope.label == f"rdf:{tmp_path / 'datasets.ttl'}"
    assert {x for f in datasets.findings for x in f.examples} == {"https://example.org/ds2"}
    assert "public-raw-doi" not in found(datasets) and "dataset-doi-unknown" in found(datasets)
    assert validate(store, f"rdf:{tmp_path / 'dois.ttl'}").findings == ()  # it types nothing: nothing to check
    everything = validate(store, examples=100_000)
    assert "https://example.org/ds2" in found(everything)["dataset-technique"]
    assert len(found(everything)["public-raw-doi"]) > 0  # the demo's own gaps, which the source view leaves out


def test_a_relative_path_names_the_source_and_an_unknown_one_says_what_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = GraphStore()
    load_turtle(store, tmp_path / "broken.ttl", BROKEN)
    monkeypatch.chdir(tmp_path)
    assert validate(store, "rdf:broken.ttl").scope.label == f"rdf:{tmp_path / 'broken.ttl'}"
    graph = next(iter(store.sources.values())).graphs[0].iri
    assert validate(store, graph).scope.graphs == (graph,)
    with pytest.raises(NotFound, match=r"no loaded source is 'rdf:elsewhere.ttl'.*loaded: rdf:/"):
        validate(store, "rdf:elsewhere.ttl")


def test_an_empty_store_has_no_findings() -> None:
    report = validate(GraphStore())
    assert report.findings == () and report.entities == 0 and report.violations == 0
