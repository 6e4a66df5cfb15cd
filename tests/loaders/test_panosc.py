"""PaNOSC search-API loader: the reference database, its documented mapping, reloads, units, bad input."""

from __future__ import annotations

import doctest
import importlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.errors import RecordInvalid, SourceUnavailable
from graph.store.embedded import GraphStore
from graph.store.stats import entity_counts
from loaders import panosc
from loaders.base import LoadOptions, LoadReport, load
from tests.helpers import ROOT, TODAY, mapping_tables

P = """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX pankg: <https://w3id.org/pankg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX schema: <http://schema.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> """
REFERENCE = "reference/catalogues/panosc/search-api-db.json"
DOC = ROOT / "docs/mapping-panosc.md"


def load_all(store: GraphStore, *paths: Path | str, lenient: bool = False) -> list[LoadReport]:
    return [load(store, s, as_of=TODAY) for s in panosc.sources([str(p) for p in paths], LoadOptions(lenient))]


def ask(store: GraphStore, body: str, scope: str = "all") -> bool:
    return bool(store.query(P + "ASK { " + body + " }", scope))  # type: ignore[arg-type]


def iri(store: GraphStore, kind: str, pid: str) -> str:
    return f"<{store.minter.iri(kind, pid)}>"


def nothing_loaded(store: GraphStore) -> bool:
    """No source registered and no entity written (the store's own settings graph aside)."""
    return not store.sources and not ask(store, "?s a ?type")


def db(**models: dict[str, Any]) -> dict[str, Any]:
    """A LoopBack memory database as the search API writes it: each record as JSON text."""
    return {
        "ids": {},
        "models": {m: {k: json.dumps(r) for k, r in rows.items()} for m, rows in models.items()},
    }


def write(folder: Path, name: str, content: Any) -> Path:
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def small(**extra: dict[str, Any]) -> dict[str, Any]:
    """Two datasets of one instrument, one proposal with a PI; ``extra`` adds or replaces models."""
    models: dict[str, dict[str, Any]] = {
        "Instrument": {"i1": {"pid": "i1", "name": "LoKI", "facility": "ESS"}},
        "Dataset": {
            "d1": {"pid": "d1", "title": "Dataset one", "isPublic": True, "instrumentId": "i1"},
            "d2": {"pid": "d2", "title": "Dataset two", "isPublic": False, "instrumentId": "i1"},
        },
        "Document": {"p1": {"pid": "p1", "type": "proposal", "title": "A proposal", "isPublic": True}},
        "DocumentDataset": {"1": {"id": 1, "datasetId": "d1", "documentId": "p1"}},
        "Person": {"x": {"id": "x", "fullName": "Ada Lovelace"}},
        "Member": {"1": {"id": 1, "role": "principal investigator", "documentId": "p1", "personId": "x"}},
    }
    models.update(extra)
    return db(**models)


# ---------------------------------------------------------------- the reference database


@pytest.fixture
def reference(shared: Path) -> Path:
    return shared / REFERENCE


def test_the_reference_database_loads(reference: Path, store: GraphStore) -> None:
    (report,) = load_all(store, reference)
    assert report.kind == "panosc" and report.changed and not report.skipped
    entities, embargoed = entity_counts(store)
    assert (entities["raw datasets"], entities["instruments"], entities["proposals"]) == (4, 15, 1)
    assert (entities["DOI records"], entities["publications"], entities["people"]) == (1, 1, 2)
    assert (entities["files"], entities["samples"], entities["techniques"], entities["facilities"]) == (
        4,
        1,
        2,
        1,
    )
    assert entities["parameters"] == 7  # 5 of datasets + document1's wavelength on each of its 2 datasets
    assert embargoed == 0
    # The one role the model has no home for is named, with the record that holds it.
    (role,) = [w for w in report.warnings if w.field == "role"]
    assert role.record == "Member 4" and "'owner'" in role.message and role.file == str(reference.resolve())
    # Techniques are their PaNET terms; the proposal is named by its DOI; members link people.
    dataset3 = iri(store, "dataset", "20.500.12269/panosc-dataset3")
    assert ask(store, f"{dataset3} pankg:technique <http://purl.org/pan-science/PaNET/PaNET01227>")
    assert ask(store, f"{dataset3} pankg:proposal <https://doi.org/10.5072/panosc-document2>")
    assert ask(
        store,
        "<https://doi.org/10.5072/panosc-document2> a pankg:Proposal ; "
        f"pankg:principalInvestigator {iri(store, 'person', 'panosc-person2')}",
    )
    assert ask(
        store,
        "<https://doi.org/10.5072/panosc-document1> a pankg:DOIRecord, pankg:Publication ; "
        f"dcterms:creator {iri(store, 'person', 'panosc-person1')}, {iri(store, 'person', 'panosc-person2')}",
    )


def test_loading_the_reference_twice_gives_identical_counts(reference: Path) -> None:
    store = GraphStore()
    load_all(store, reference)
    counts, triples = entity_counts(store), store.count()
    again = load_all(store, reference)
    assert not any(r.changed for r in again)
    forced = [load(store, s, as_of=TODAY, force=True) for s in panosc.sources([str(reference)])]
    assert all(r.changed for r in forced)
    assert (entity_counts(store), store.count()) == (counts, triples)
    elsewhere = GraphStore()
    load_all(elsewhere, reference)
    assert (entity_counts(elsewhere), elsewhere.count()) == (counts, triples)


# ---------------------------------------------------------------- every field of the reference, by SPARQL

Check = Callable[[Any, dict[str, Any], Callable[[str, str], str]], Iterator[str]]
MODELS = [
    "Dataset",
    "Document",
    "Instrument",
    "Technique",
    "Sample",
    "Person",
    "Affiliation",
    "Member",
    "File",
    "Parameter",
    "DatasetSample",
    "DatasetTechnique",
    "DocumentDataset",
]


def q(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def one(pattern: Callable[[Any, dict[str, Any], Callable[[str, str], str]], str]) -> Check:
    return lambda v, r, n: iter([pattern(v, r, n)])


def _param(v: Any, r: dict[str, Any], n: Callable[[str, str], str]) -> str:
    owner = (
        f"{n('dataset', r['datasetId'])}"
        if "datasetId" in r
        else f"{n('doi', r['documentId'])} dcterms:hasPart ?d . ?d"
    )
    return f"{owner} pankg:parameter ?p . ?p pankg:parameterName {q(r['name'])}"


def _value(v: Any, r: dict[str, Any], n: Callable[[str, str], str]) -> str:
    return f"{_param(v, r, n)} ; pankg:value ?v FILTER(?v = {q(v)})"


def _unit(v: Any, r: dict[str, Any], n: Callable[[str, str], str]) -> str:
    return f"{_param(v, r, n)} ; pankg:unit {q(v)} ; pankg:siValue ?si ; pankg:siUnit ?u"


CHECKS: dict[str, dict[str, Check]] = {
    "Dataset": {
        "pid": one(lambda v, r, n: f"{n('dataset', v)} a pankg:RawDataset ; dcterms:identifier {q(v)}"),
        "title": one(lambda v, r, n: f"{n('dataset', r['pid'])} dcterms:title {q(v)} ; rdfs:label {q(v)}"),
        "isPublic": one(
            lambda v, r, n: (
                f"{n('dataset', r['pid'])} pankg:accessLevel pankg:{'Public' if v else 'Restricted'}"
            )
        ),
        "creationDate": one(lambda v, r, n: f'{n("dataset", r["pid"])} dcterms:created "{v}"^^xsd:dateTime'),
        "instrumentId": one(
            lambda v, r, n: (
                f"{n('dataset', r['pid'])} pankg:instrument {n('instrument', v)} ; "
                "pankg:facility ?f . ?f a pankg:Facility"
            )
        ),
    },
    "Document": {
        "pid": one(
            lambda v, r, n: f"{n('doi', v)} a pankg:{'Proposal' if r['type'] == 'proposal' else 'DOIRecord'}"
        ),
        "type": one(
            lambda v, r, n: (
                f"{n('doi', r['pid'])} a pankg:Proposal"
                if v == "proposal"
                else f"{n('doi', r['pid'])} a pankg:Publication ; dcterms:type {q(v)}"
            )
        ),
        "title": one(lambda v, r, n: f"{n('doi', r['pid'])} dcterms:title {q(v)} ; rdfs:label {q(v)}"),
    },
    "Instrument": {
        "pid": one(lambda v, r, n: f"{n('instrument', v)} a pankg:Instrument"),
        "name": one(lambda v, r, n: f"{n('instrument', r['pid'])} rdfs:label {q(v)}"),
        "facility": one(
            lambda v, r, n: (
                f"{n('instrument', r['pid'])} pankg:facility {n('facility', v)} . "
                f"{n('facility', v)} foaf:name {q(v)}"
            )
        ),
    },
    "Technique": {
        "pid": one(lambda v, r, n: f"<{r['panetId']}> a pankg:Technique"),
        "name": one(lambda v, r, n: f"<{r['panetId']}> rdfs:label {q(v)}"),
        "panetId": one(lambda v, r, n: f"<{v}> a pankg:Technique"),
    },
    "Sample": {
        "pid": one(lambda v, r, n: f"{n('sample', v)} a pankg:Sample"),
        "name": one(lambda v, r, n: f"{n('sample', r['pid'])} rdfs:label {q(v)}"),
    },
    "Person": {
        "id": one(lambda v, r, n: f"{n('person', v)} a foaf:Person"),
        "fullName": one(lambda v, r, n: f"{n('person', r['id'])} foaf:name {q(v)} ; rdfs:label {q(v)}"),
    },
    "Affiliation": {
        "name": one(lambda v, r, n: f"{n('organization', v)} a foaf:Organization ; foaf:name {q(v)}"),
    },
    "Member": {
        "role": one(
            lambda v, r, n: (
                f"{n('doi', r['documentId'])} pankg:principalInvestigator {n('person', r['personId'])}"
                if v == "principal investigator" and r["documentId"].endswith("document2")
                else f"{n('doi', r['documentId'])} dcterms:creator {n('person', r['personId'])}"
                if r["documentId"].endswith("document1")
                else "FILTER(true)"
            )
        ),
        "documentId": one(lambda v, r, n: f"{n('doi', v)} a ?type"),
        "personId": one(lambda v, r, n: f"{n('person', v)} a foaf:Person"),
        "affiliationId": one(
            lambda v, r, n: f'{n("person", r["personId"])} schema:affiliation ?o . ?o foaf:name "ESS"'
        ),
    },
    "File": {
        "name": one(
            lambda v, r, n: (
                f"{n('dataset', r['datasetId'])} dcterms:hasPart ?f . ?f a pankg:File ; pankg:filePath {q(v)}"
            )
        ),
        "datasetId": one(lambda v, r, n: f"{n('dataset', v)} dcterms:hasPart ?f . ?f a pankg:File"),
    },
    "Parameter": {
        "name": one(_param),
        "value": one(_value),
        "unit": one(_unit),
        "datasetId": one(_param),
        "documentId": one(_param),
    },
    "DatasetSample": {
        "datasetId": one(lambda v, r, n: f"{n('dataset', v)} pankg:sample {n('sample', r['sampleId'])}"),
        "sampleId": one(lambda v, r, n: f"{n('dataset', r['datasetId'])} pankg:sample {n('sample', v)}"),
    },
    "DatasetTechnique": {
        "datasetId": one(lambda v, r, n: f"{n('dataset', v)} pankg:technique ?t . ?t a pankg:Technique"),
        "techniqueId": one(
            lambda v, r, n: f"{n('dataset', r['datasetId'])} pankg:technique ?t . ?t a pankg:Technique"
        ),
    },
    "DocumentDataset": {
        "datasetId": one(
            lambda v, r, n: (
                f"{n('dataset', v)} pankg:proposal {n('proposal', r['documentId'])}"
                if r["documentId"].endswith("document2")
                else f"{n('doi', r['documentId'])} dcterms:hasPart {n('dataset', v)} . "
                f"{n('dataset', v)} pankg:doi {n('doi', r['documentId'])}"
            )
        ),
        "documentId": one(lambda v, r, n: f"{n('doi', v)} a ?type"),
    },
}


def doc_tables() -> dict[str, dict[str, str]]:
    """``{model: {field: RDF cell}}`` from the tables of the mapping page."""
    return mapping_tables(DOC, MODELS)


def reference_records(path: Path) -> dict[str, list[dict[str, Any]]]:
    models = json.loads(path.read_text())["models"]
    return {m: [json.loads(v) for v in rows.values()] for m, rows in models.items() if m in MODELS}


@pytest.fixture
def loaded(reference: Path) -> GraphStore:
    s = GraphStore()
    load_all(s, reference)
    return s


@pytest.mark.parametrize("model", MODELS)
def test_the_document_lists_every_field_of_the_reference_records(reference: Path, model: str) -> None:
    table = doc_tables()[model]
    fields = {name for record in reference_records(reference)[model] for name in record}
    assert sorted(fields - set(table)) == [], f"fields of {model} missing from docs/mapping-panosc.md"
    for name, cell in table.items():
        if name in fields:
            assert cell.startswith("not mapped: ") == (name not in CHECKS[model]), (
                f"{model}.{name}: a mapped field needs a check here, a field without one needs 'not mapped: reason'"
            )


@pytest.mark.parametrize("model", MODELS)
def test_every_mapped_value_of_the_reference_is_found_by_sparql(
    loaded: GraphStore, reference: Path, model: str
) -> None:
    def node(kind: str, pid: str) -> str:
        return iri(loaded, kind, pid)

    checked = 0
    for record in reference_records(reference)[model]:
        for name, check in CHECKS[model].items():
            value = record.get(name)
            if value in ("", None, []):
                continue  # empty values write nothing
            for body in check(value, record, node):
                assert ask(loaded, body), f"{model} {record} {name}={value!r}: not found by {body}"
                checked += 1
    assert checked > 0


# ---------------------------------------------------------------- mapping rules on small files


def test_units_are_normalized_to_si_and_unknown_units_keep_the_parameter(
    tmp_path: Path, store: GraphStore
) -> None:
    params = {
        "1": {"id": 1, "name": "energy", "value": 8, "unit": "keV", "datasetId": "d1"},
        "2": {"id": 2, "name": "energy", "value": 8000, "unit": "eV", "datasetId": "d2"},
        "3": {"id": 3, "name": "temperature", "value": 20, "unit": "celsius", "datasetId": "d1"},
        "4": {"id": 4, "name": "flux", "value": 3, "unit": "bananas", "datasetId": "d1"},
    }
    (report,) = load_all(store, write(tmp_path, "db.json", small(Parameter=params)))
    d1, d2 = iri(store, "dataset", "d1"), iri(store, "dataset", "d2")
    assert ask(
        store,
        f'{d1} pankg:parameter ?a . ?a pankg:parameterName "energy" ; pankg:siValue ?x . '
        f'{d2} pankg:parameter ?b . ?b pankg:parameterName "energy" ; pankg:siValue ?y '
        "FILTER(ABS(?x - ?y) < 1e-25 && ?x > 0)",
    )
    assert ask(
        store,
        f'{d1} pankg:parameter ?p . ?p pankg:parameterName "temperature" ; pankg:siValue ?k ; '
        'pankg:siUnit "K" FILTER(ABS(?k - 293.15) < 1e-9)',
    )
    assert ask(
        store,
        f'{d1} pankg:parameter ?p . ?p pankg:parameterName "flux" ; pankg:value 3 ; pankg:unit "bananas" '
        "FILTER NOT EXISTS { ?p pankg:siValue ?any }",
    )
    (warning,) = [w for w in report.warnings if "bananas" in w.message]
    assert (warning.record, warning.field) == ("Parameter 4", "unit")


def test_access_embargo_people_files_and_documents(tmp_path: Path, store: GraphStore) -> None:
    content = small(
        Document={
            "p1": {
                "pid": "p1",
                "type": "proposal",
                "title": "A proposal",
                "summary": "Why",
                "releaseDate": "2030-01-01T00:00:00Z",
                "keywords": ["copper"],
                "license": "CC-BY-4.0",
            },
            "pub": {"pid": "pub-1", "type": "publication", "title": "A paper", "doi": "10.5072/ABC"},
        },
        DocumentDataset={
            "1": {"datasetId": "d1", "documentId": "p1"},
            "2": {"datasetId": "d2", "documentId": "pub-1"},
        },
        Dataset={
            "d1": {"pid": "d1", "title": "One", "size": 1024},
            "d2": {"pid": "d2", "title": "Two", "isPublic": False},
        },
        Person={
            "x": {"id": "x", "fullName": "Ada Lovelace", "orcid": "0000-0002-1825-0097", "firstName": "Ada"},
            "y": {"id": "y", "fullName": "Ada Lovelace"},
        },
        Member={
            "1": {
                "id": 1,
                "role": "principal investigator",
                "documentId": "p1",
                "personId": "x",
                "affiliationId": 7,
            },
            "2": {"id": 2, "role": "author", "documentId": "pub-1", "personId": "y"},
        },
        Affiliation={"7": {"id": 7, "name": "ESS", "city": "Lund"}},
        File={"1": {"id": 1, "name": "a.h5", "path": "/data/raw", "size": 10, "datasetId": "d1"}},
    )
    load_all(store, write(tmp_path, "db.json", content))
    d1, d2 = iri(store, "dataset", "d1"), iri(store, "dataset", "d2")
    # d1 has no isPublic: the proposal's release date is its embargo end, so its details are restricted.
    assert ask(
        store,
        f'{d1} pankg:accessLevel pankg:Restricted ; pankg:embargoEndDate "2030-01-01"^^xsd:date',
        "public",
    )
    assert not ask(store, f"{d1} dcterms:title ?t", "public")
    assert ask(
        store,
        f'{d1} dcat:keyword "copper" ; dcterms:license <https://spdx.org/licenses/CC-BY-4.0> ; '
        f'dcat:byteSize 1024 ; dcterms:hasPart ?f . ?f pankg:filePath "/data/raw/a.h5" ; dcat:byteSize 10',
    )
    assert ask(store, f"{d2} pankg:accessLevel pankg:Restricted", "public")
    # ORCID where given, never merged by name; affiliations are organizations.
    orcid = "<https://orcid.org/0000-0002-1825-0097>"
    assert ask(
        store,
        f'{iri(store, "proposal", "p1")} pankg:principalInvestigator {orcid} ; dcterms:description "Why"',
    )
    assert ask(store, f'{orcid} schema:givenName "Ada" ; schema:affiliation ?o . ?o foaf:name "ESS"')
    assert ask(
        store,
        f"<https://doi.org/10.5072/abc> a pankg:DOIRecord, pankg:Publication ; dcterms:hasPart {d2} ; "
        f"dcterms:creator {iri(store, 'person', 'y')}",
    )
    assert iri(store, "person", "y") != orcid


def test_a_directory_is_its_json_files(tmp_path: Path) -> None:
    write(tmp_path, "a.json", small())
    write(tmp_path, "b.json", small())
    write(tmp_path, "notes.txt", "not a database")
    assert [Path(s.location).name for s in panosc.sources([str(tmp_path)])] == ["a.json", "b.json"]
    with pytest.raises(SourceUnavailable):
        panosc.sources([str(tmp_path / "missing.json")])


# ---------------------------------------------------------------- bad input


def test_malformed_json_loads_nothing_and_says_where(tmp_path: Path, store: GraphStore) -> None:
    path = write(tmp_path, "db.json", '{"models": {"Dataset": ')
    for lenient in (False, True):
        with pytest.raises(RecordInvalid) as err:
            load_all(store, path, lenient=lenient)
        assert str(path) in str(err.value) and "not valid JSON: Expecting value: line 1 column" in str(
            err.value
        )
    assert nothing_loaded(store)
    with pytest.raises(RecordInvalid, match="expected a search-API database object"):
        load_all(store, write(tmp_path, "list.json", [1, 2]))


BAD = {
    "missing pid": ({"bad": {"title": "No pid"}}, "Dataset bad", "pid", "missing"),
    "wrong type": ({"bad": {"pid": "bad", "title": 42}}, "Dataset bad", "title", "expected text, got an integer 42"),
    "wrong flag": (
        {"bad": {"pid": "bad", "title": "T", "isPublic": "yes"}},
        "Dataset bad",
        "isPublic",
        "true or false",
    ),
    "record not JSON": ("{oops", "Dataset bad", "", "not valid JSON"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_record_fails_its_file_strict_and_is_skipped_lenient(tmp_path: Path, case: str) -> None:
    bad, record, field, message = BAD[case]
    content = small()
    if isinstance(bad, str):
        content["models"]["Dataset"]["bad"] = bad
    else:
        content["models"]["Dataset"].update({k: json.dumps(v) for k, v in bad.items()})
    path = write(tmp_path, "db.json", content)
    store = GraphStore()
    with pytest.raises(RecordInvalid) as err:
        load_all(store, path)
    assert (err.value.file, err.value.record, err.value.field) == (str(path), record, field)
    assert message in str(err.value)
    assert nothing_loaded(store)  # strict: nothing of the file reached the store
    (report,) = load_all(store, path, lenient=True)
    assert len(report.skipped) == 1 and record in report.skipped[0]
    assert [(w.record, w.field) for w in report.warnings if message in w.message] == [(record, field)]
    assert ask(store, f"{iri(store, 'dataset', 'd1')} a pankg:RawDataset")
    assert report.entities["Dataset"] == 2


def test_a_dangling_reference_is_a_warning_naming_file_record_and_field(
    tmp_path: Path, store: GraphStore
) -> None:
    content = small(
        DatasetSample={"1": {"id": 1, "datasetId": "d1", "sampleId": "nowhere"}},
        File={"1": {"id": 1, "name": "a.h5", "datasetId": "gone"}},
    )
    content["models"]["Dataset"]["d1"] = json.dumps(
        {"pid": "d1", "title": "One", "instrumentId": "i-unknown"}
    )
    path = write(tmp_path, "db.json", content)
    (report,) = load_all(store, path)  # strict: a dangling reference is a warning, not an error
    dangling = {(w.file, w.record, w.field) for w in report.warnings if "dangling reference" in w.message}
    assert dangling == {
        (str(path), "DatasetSample 1", "sampleId"),
        (str(path), "File 1", "datasetId"),
        (str(path), "Dataset d1", "instrumentId"),
    }
    assert ask(
        store, f"{iri(store, 'dataset', 'd1')} pankg:instrument {iri(store, 'instrument', 'i-unknown')}"
    )


def test_loopback_auth_models_and_unknown_fields_are_reported(tmp_path: Path, store: GraphStore) -> None:
    content = small(User={"1": {"id": 1, "email": "a@b"}})
    content["models"]["Instrument"]["i1"] = json.dumps({"pid": "i1", "name": "LoKI", "colour": "blue"})
    (report,) = load_all(store, write(tmp_path, "db.json", content))
    assert any(w.field == "User" and "not catalogue content" in w.message for w in report.warnings)
    assert any(w.field == "colour" and "unknown Instrument field" in w.message for w in report.warnings)


@pytest.mark.parametrize("module", ["loaders.panosc_records", "loaders.panosc_people"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0


def test_the_document_type_rule(tmp_path: Path, store: GraphStore) -> None:
    content = small(
        Document={
            "p1": {"pid": "p1", "type": "Experiment", "title": "Proposal with a DOI", "doi": "10.5072/P1"},
            "n1": {"pid": "note-1", "type": "report", "title": "No DOI"},
        },
        DocumentDataset={
            "1": {"datasetId": "d1", "documentId": "p1"},
            "2": {"datasetId": "d2", "documentId": "note-1"},
        },
        Person={"x": {"id": "x", "fullName": "Ada"}, "y": {"id": "y", "fullName": "Bob"}},
        Member={
            "1": {"id": 1, "role": "Principal Investigator", "documentId": "p1", "personId": "x"},
            "2": {"id": 2, "role": "PI", "documentId": "p1", "personId": "y"},
            "3": {"id": 3, "role": "author", "documentId": "note-1", "personId": "y"},
        },
        Sample={"s1": {"pid": "s1", "name": "copper"}},
        Parameter={"1": {"id": 1, "name": "mass", "value": 2, "unit": "g", "sampleId": "s1"}},
    )
    (report,) = load_all(store, write(tmp_path, "db.json", content))
    d1, d2 = iri(store, "dataset", "d1"), iri(store, "dataset", "d2")
    proposal = iri(store, "proposal", "p1")
    assert ask(
        store,
        f"{d1} pankg:proposal {proposal} ; pankg:doi <https://doi.org/10.5072/p1> . "
        f"{proposal} a pankg:Proposal ; pankg:principalInvestigator {iri(store, 'person', 'x')}",
    )
    assert ask(store, '<https://doi.org/10.5072/p1> a pankg:DOIRecord ; dcterms:type "Experiment"')
    note = iri(store, "publication", "note-1")
    assert ask(store, f"{note} a pankg:Publication ; dcterms:creator {iri(store, 'person', 'y')}")
    assert not ask(store, f"{note} ?p {d2}") and not ask(store, f"{d2} ?p {note}")
    assert ask(
        store, f"{iri(store, 'sample', 's1')} pankg:parameter ?p . ?p pankg:siValue ?v FILTER(?v = 0.002)"
    )
    where = {(w.record, w.field) for w in report.warnings}
    assert {("Document p1", "members"), ("Document note-1", "datasets")} <= where
