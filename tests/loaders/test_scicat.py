"""SciCat loader: provenance of the reference datasets, idempotent reloads, bad input, units, people, access."""

from __future__ import annotations

import doctest
import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from graph.errors import RecordInvalid, SourceUnavailable
from graph.store.embedded import GraphStore
from graph.store.stats import entity_counts
from loaders import scicat
from loaders.base import LoadOptions, LoadReport, load
from tests.helpers import TODAY

P = """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX pankg: <https://w3id.org/pankg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <http://schema.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> """


def write(folder: Path, name: str, records: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(records))
    return path


def dataset(pid: str, kind: str = "raw", **fields: Any) -> dict[str, Any]:
    return {
        "_id": pid,
        "type": kind,
        "datasetName": f"Dataset {pid}",
        "owner": "Ada Lovelace",
        "isPublished": True,
        **fields,
    }


def load_all(store: GraphStore, *paths: Path | str, lenient: bool = False) -> list[LoadReport]:
    return [load(store, s, as_of=TODAY) for s in scicat.sources([str(p) for p in paths], LoadOptions(lenient))]


def ask(store: GraphStore, body: str, scope: str = "all") -> bool:
    return bool(store.query(P + "ASK { " + body + " }", scope))  # type: ignore[arg-type]


def iri(store: GraphStore, kind: str, pid: str) -> str:
    return f"<{store.minter.iri(kind, pid)}>"


# ---------------------------------------------------------------- the reference records


def test_every_derived_reference_dataset_has_its_provenance_chain(shared: Path, store: GraphStore) -> None:
    folder = shared / "reference/catalogues/scicatlive"
    load_all(store, folder)
    records = json.loads((folder / "Dataset.json").read_text())
    derived = [r for r in records if r["type"] == "derived"]
    assert len(derived) == 12
    reaching_raw = 0
    for r in derived:
        ds = iri(store, "dataset", r["_id"])
        assert ask(
            store, f"{ds} a pankg:DerivedDataset ; prov:wasGeneratedBy ?run . ?run a pankg:AnalysisRun"
        ), r["_id"]
        for source in r.get("inputDatasets", []):
            raw = iri(store, "dataset", source)
            assert ask(
                store,
                f"{ds} prov:wasGeneratedBy ?run ; prov:wasDerivedFrom {raw} . ?run prov:used {raw} . "
                f"{raw} a pankg:RawDataset",
            ), (r["_id"], source)
            reaching_raw += 1
        for url in r.get("usedSoftware", []):
            software = iri(store, "software", url)
            assert ask(
                store,
                f"{ds} prov:wasGeneratedBy ?run . ?run prov:qualifiedAssociation ?a ; "
                f"pankg:usedSoftware ?v . ?a prov:hadPlan ?v . ?v a pankg:SoftwareVersion ; "
                f"dcterms:isVersionOf {software} . {software} a pankg:Software",
            ), (r["_id"], url)
        if r.get("investigator"):
            assert ask(
                store,
                f"{ds} prov:wasGeneratedBy ?run . ?run prov:wasAssociatedWith ?p . "
                f"?p foaf:name {json.dumps(r['investigator'])}",
            )
    assert reaching_raw == 2  # soleil_ds1 and ukri_ds6: the only derived records that name their inputs
    # A software URL that is a DOI is the DOI's node; any other URL is also the code repository.
    assert ask(store, "<https://doi.org/10.1109/tci.2019.2898088> a pankg:Software")
    assert ask(store, "?s schema:codeRepository <https://software.pan-data.eu/software/160/ptypy>")


def test_loading_the_reference_files_twice_gives_identical_counts(shared: Path) -> None:
    folder = shared / "reference/catalogues/scicatlive"
    store = GraphStore()
    first = load_all(store, folder)
    counts, triples = entity_counts(store), store.count()
    assert {r.kind for r in first} == {"scicat"} and len(first) == 7 and all(r.changed for r in first)
    again = load_all(store, folder)
    assert not any(r.changed for r in again)
    assert (entity_counts(store), store.count()) == (counts, triples)
    forced = [load(store, s, as_of=TODAY, force=True) for s in scicat.sources([str(folder)])]
    assert all(r.changed for r in forced)
    assert (entity_counts(store), store.count()) == (counts, triples)
    elsewhere = GraphStore()
    load_all(elsewhere, folder)
    assert (entity_counts(elsewhere), elsewhere.count()) == (counts, triples)
    entities, _ = counts
    assert (entities["raw datasets"], entities["derived datasets"], entities["DOI records"]) == (7, 12, 11)
    assert entities["files"] == 19 and entities["instruments"] == 4 and entities["samples"] == 2


# ---------------------------------------------------------------- bad input


def test_malformed_json_loads_nothing_and_says_where(tmp_path: Path, store: GraphStore) -> None:
    path = write(tmp_path, "Dataset.json", [dataset("ds1")])
    load_all(store, path)
    before = store.count()
    path.write_text('[{"_id": "ds1", "type": "raw"},\n {"_id": "ds2", "type": }]')
    for lenient in (False, True):
        with pytest.raises(RecordInvalid, match=r"file .*Dataset\.json: not valid JSON: .*line 2 column"):
            load_all(store, path, lenient=lenient)
    assert store.count() == before


@pytest.mark.parametrize(
    ("bad", "record", "field", "message"),
    [
        ({"type": "raw", "datasetName": "no PID"}, "#2", "_id", "missing: the record has no PID"),
        (dataset("ds2", size="big"), "ds2", "size", "expected a whole number >= 0, got text 'big'"),
        (dataset("ds2", kind="reduced"), "ds2", "type", "expected 'raw' or 'derived'"),
        (dataset("ds2", "derived", inputDatasets="ds1"), "ds2", "inputDatasets", "expected a list"),
        (dataset("ds2", creationTime={"$date": "yesterday"}), "ds2", "creationTime", "expected an ISO 8601"),
        ("not a record", "#2", "", "expected a record object, got str"),
    ],
)
def test_a_bad_record_fails_its_file_in_strict_mode_and_is_skipped_in_lenient(
    tmp_path: Path, bad: Any, record: str, field: str, message: str
) -> None:
    path = write(tmp_path, "Dataset.json", [dataset("ds1"), dataset("ds3")])
    store = GraphStore()
    load_all(store, path)
    _, before = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o")
    write(tmp_path, "Dataset.json", [dataset("ds1"), bad, dataset("ds3", description="changed")])
    where = f"file {path}, record {record}" + (f", field {field}" if field else "")
    with pytest.raises(RecordInvalid, match=f"^{where}: {message}"):
        load_all(store, path)
    _, after = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o")
    assert after == before  # strict: nothing of the file reached the store
    (report,) = load_all(store, path, lenient=True)
    assert report.changed and report.entities["Dataset"] == 2
    (warning,) = [w for w in report.warnings if w.record == record]
    assert (warning.file, warning.field) == (str(path), field) and warning.message.startswith(message)
    assert any(where in s for s in report.skipped)
    assert ask(store, f'{iri(store, "dataset", "ds3")} dcterms:description "changed"')


def test_a_dangling_input_is_a_warning_naming_file_record_and_field(
    tmp_path: Path, store: GraphStore
) -> None:
    path = write(
        tmp_path,
        "Dataset.json",
        [dataset("raw1"), dataset("der1", "derived", inputDatasets=["raw1", "gone"])],
    )
    (report,) = load_all(store, path)
    (warning,) = report.warnings
    assert (warning.file, warning.record, warning.field) == (str(path), "der1", "inputDatasets")
    assert "dangling reference: no dataset 'gone'" in warning.message
    assert ask(store, f"?run prov:used {iri(store, 'dataset', 'gone')}")  # the link is kept


def test_references_into_collections_not_given_are_not_checked(tmp_path: Path, store: GraphStore) -> None:
    path = write(tmp_path, "Dataset.json", [dataset("ds1", sampleId="s-elsewhere", instrumentId="i1")])
    (report,) = load_all(store, path)
    assert report.warnings == []
    write(tmp_path, "Sample.json", [{"_id": "s1", "description": "quartz", "isPublished": True}])
    reports = load_all(GraphStore(), tmp_path)
    assert [(w.record, w.field) for r in reports for w in r.warnings] == [("ds1", "sampleId")]


# ---------------------------------------------------------------- units and parameters


def test_units_are_normalized_to_si_so_8_kev_equals_8000_ev(tmp_path: Path, store: GraphStore) -> None:
    meta_kev = {
        "beamEnergy": {"value": 8, "unit": "keV", "valueSI": 1.28e-15, "unitSI": "(kg m^2) / s^2"},
        "detector": {"distance": {"value": 2500, "unit": "mm"}, "mode": "fly"},
        "sample_ok": True,
    }
    meta_ev = {
        "beamEnergy": {"value": 8000.0, "unit": "eV"},
        "flux": {"value": 3, "unit": "bananas"},
        "roi": [1, 2, 3],
        "note": None,
    }
    path = write(
        tmp_path,
        "Dataset.json",
        [dataset("kev", scientificMetadata=meta_kev), dataset("ev", scientificMetadata=meta_ev)],
    )
    (report,) = load_all(store, path)
    _, rows = store.query(
        P
        + """SELECT ?d ?si ?unit WHERE { ?d pankg:parameter ?p . ?p pankg:parameterName "beamEnergy" ;
        pankg:siValue ?si ; pankg:siUnit ?unit } ORDER BY ?d"""
    )
    assert len(rows) == 2 and rows[0][1] == rows[1][1] and rows[0][2] == rows[1][2]
    assert float(rows[0][1].value) == pytest.approx(8000 * 1.602176634e-19)
    assert ask(store, '?p pankg:parameterName "detector.distance" ; pankg:siValue ?v FILTER(?v = 2.5)')
    assert ask(store, '?p pankg:parameterName "detector.mode" ; pankg:value "fly"')
    assert ask(store, '?p pankg:parameterName "sample_ok" ; pankg:value true')
    assert ask(store, '?p pankg:parameterName "roi" ; pankg:value "[1, 2, 3]"')
    assert not ask(store, '?p pankg:parameterName "note"')
    # An unknown unit keeps the parameter (value and unit as given) and says so.
    assert ask(
        store,
        '?p pankg:parameterName "flux" ; pankg:value 3 ; pankg:unit "bananas" FILTER NOT EXISTS { ?p pankg:siValue ?x }',
    )
    (warning,) = report.warnings
    assert (warning.record, warning.field) == ("ev", "scientificMetadata.flux")
    assert "unknown unit 'bananas'" in warning.message


# ---------------------------------------------------------------- people, access, collections


def test_people_without_orcid_are_never_merged_by_name(tmp_path: Path, store: GraphStore) -> None:
    orcid = "0000-0002-1825-0097"
    path = write(
        tmp_path,
        "Dataset.json",
        [
            dataset("a"),
            dataset("b"),
            dataset("c", orcidOfOwner=orcid, ownerEmail="ada@example.org"),
            dataset("d", orcidOfOwner=orcid),
            dataset("e", orcidOfOwner="0000-0002-1825-0098"),
        ],
    )
    (report,) = load_all(store, path)
    _, rows = store.query(
        P + 'SELECT DISTINCT ?p WHERE { ?d dcterms:creator ?p . ?p foaf:name "Ada Lovelace" }'
    )
    people = sorted(row[0].value for row in rows)
    assert len(people) == 4 and f"https://orcid.org/{orcid}" in people
    assert [(w.record, w.field) for w in report.warnings] == [("e", "orcidOfOwner")]
    # E-mail addresses are personal data: restricted even for a published dataset.
    assert ask(store, f'<https://orcid.org/{orcid}> schema:email "ada@example.org"')
    assert not ask(store, "?p schema:email ?e", scope="public")


def test_unpublished_data_keeps_a_public_stub_and_files_follow_their_dataset(
    tmp_path: Path, store: GraphStore
) -> None:
    write(
        tmp_path,
        "Dataset.json",
        [
            dataset("open"),
            dataset(
                "closed",
                "derived",
                isPublished=False,
                inputDatasets=["open"],
                datasetlifecycle={"dateOfPublishing": {"$date": "2029-01-01T00:00:00.000Z"}},
            ),
        ],
    )
    write(
        tmp_path,
        "OrigDatablock.json",
        [
            {"_id": "b1", "datasetId": "open", "dataFileList": [{"path": "a.h5", "size": 10}]},
            {"_id": "b2", "datasetId": "closed", "dataFileList": [{"path": "b.h5", "size": 20}]},
        ],
    )
    load_all(store, tmp_path)
    closed = iri(store, "dataset", "closed")
    assert ask(
        store,
        f'{closed} pankg:accessLevel pankg:Restricted ; pankg:embargoEndDate "2029-01-01"^^xsd:date',
        scope="public",
    )
    assert not ask(store, f"{closed} dcterms:title ?t", scope="public")
    assert not ask(store, f"{closed} prov:wasGeneratedBy ?run", scope="public")
    assert ask(store, f"{closed} prov:wasGeneratedBy ?run . ?run prov:used ?raw")
    assert ask(store, '?f pankg:filePath "a.h5"', scope="public")
    assert not ask(store, '?f pankg:filePath "b.h5"', scope="public") and ask(
        store, '?f pankg:filePath "b.h5"'
    )
    # Files whose dataset is not among the datasets loaded with them stay restricted; once the dataset
    # is published, reloading rewrites its files too (their content hash includes the datasets' access).
    other = GraphStore()
    load_all(other, tmp_path / "OrigDatablock.json")
    assert not ask(other, '?f pankg:filePath "a.h5"', scope="public")
    write(tmp_path, "Dataset.json", [dataset("open"), dataset("closed", "derived", inputDatasets=["open"])])
    reports = load_all(store, tmp_path)
    assert [r.changed for r in reports] == [True, True]
    assert ask(store, '?f pankg:filePath "b.h5"', scope="public")


def test_a_directory_is_read_by_file_name_and_a_file_may_hold_one_record(tmp_path: Path) -> None:
    write(tmp_path, "datasets_2024.json", dataset("one"))  # one object, not an array
    write(tmp_path, "Published-Data.json", [])
    write(tmp_path, "User.json", [{"_id": "admin"}])  # not catalogue content: left alone
    (tmp_path / "notes.txt").write_text("hello")
    found = scicat.sources([str(tmp_path)])
    assert [(Path(s.location).name, s.collection) for s in found] == [
        ("datasets_2024.json", "dataset"),
        ("Published-Data.json", "publisheddata"),
    ]
    store = GraphStore()
    assert load(store, found[0], as_of=TODAY).entities["Dataset"] == 1
    with pytest.raises(SourceUnavailable, match="cannot tell which SciCat collection"):
        scicat.sources([str(tmp_path / "User.json")])
    with pytest.raises(SourceUnavailable, match="no such file"):
        scicat.sources([str(tmp_path / "missing.json")])
    write(tmp_path, "Job.json", 42)
    with pytest.raises(RecordInvalid, match="expected a JSON array of records or one record object, got int"):
        load_all(store, tmp_path / "Job.json")


def test_published_data_and_jobs(tmp_path: Path, store: GraphStore) -> None:
    write(tmp_path, "Dataset.json", [dataset("ds1")])
    write(
        tmp_path,
        "PublishedData.json",
        [
            {
                "_id": "10.9999/ABC",
                "title": "Data",
                "creator": ["Grace Hopper", "al."],
                "publicationYear": 2021,
                "pidArray": ["ds1"],
                "status": "pending_registration",
                "downloadLink": "not a link",
                "relatedPublications": ["G. Hopper, J. Things 1 (2021) https://doi.org/10.1234/XYZ.5."],
            }
        ],
    )
    write(
        tmp_path,
        "Job.json",
        [
            {
                "id": "job-1",
                "type": "archive",
                "statusCode": "finishedSuccessful",
                "isPublished": True,
                "createdAt": "2024-01-01T10:00:00Z",
                "updatedAt": "2024-01-01T11:00:00Z",
                "jobParams": {"datasetList": [{"pid": "ds1", "files": []}], "option": "URLs"},
            },
            {"id": "job-2", "type": "reset", "jobParams": {}},
        ],
    )
    reports = load_all(store, tmp_path)
    doi = "<https://doi.org/10.9999/abc>"
    assert ask(
        store,
        f'{doi} dcterms:hasPart {iri(store, "dataset", "ds1")} ; dcterms:creator ?p . ?p foaf:name "Grace Hopper"',
    )
    assert ask(store, f"<https://doi.org/10.1234/xyz.5> dcterms:references {doi}")
    assert not ask(store, f'{doi} dcterms:creator ?p . ?p foaf:name "al."')
    warned = {(w.record, w.field) for r in reports for w in r.warnings}
    assert warned == {
        ("10.9999/ABC", "creator[1]"),
        ("10.9999/ABC", "status"),
        ("10.9999/ABC", "downloadLink"),
    }
    run = iri(store, "run", "job-1")
    assert ask(
        store,
        f'{run} a pankg:AnalysisRun ; prov:used {iri(store, "dataset", "ds1")} ; dcterms:type "archive" ; '
        f'pankg:status "finishedSuccessful" ; prov:endedAtTime ?end ; pankg:parameter ?p . '
        f'?p pankg:parameterName "option" ; pankg:value "URLs"',
        scope="public",
    )
    assert not ask(store, f"{iri(store, 'run', 'job-2')} ?p ?o")
    assert any("job-2" in s for r in reports for s in r.skipped)


def test_rest_and_scicat_4_shapes_and_fields_the_seed_does_not_use(tmp_path: Path, store: GraphStore) -> None:
    write(
        tmp_path,
        "Dataset.json",
        [
            {
                "pid": "20.500/raw",
                "type": "raw",
                "datasetName": "REST-shaped",
                "isPublished": True,
                "creationTime": "2024-05-01T10:00:00Z",
                "size": {"$numberLong": "123456789012"},
                "license": "CC BY 4.0",
                "keywords": ["lysozyme", "room temperature"],
                "sampleIds": ["s1", "s2"],
                "proposalIds": ["p1", "p2"],
                "dataQualityMetrics": 3,
            },
            {
                "pid": "20.500/der",
                "type": "derived",
                "isPublished": True,
                "inputDatasets": ["20.500/raw"],
                "usedSoftware": ["https://github.com/dials/dials", "xia2"],
                "jobLogData": "ok",
                "jobParameters": {"d_min": {"value": 1.8, "unit": "angstrom"}, "nproc": 8},
            },
        ],
    )
    write(
        tmp_path,
        "Sample.json",
        [
            {
                "sampleId": "s1",
                "description": "HEWL",
                "isPublished": False,
                "sampleCharacteristics": {"mass": {"value": 2, "unit": "mg"}},
            }
        ],
    )
    write(
        tmp_path,
        "OrigDatablock.json",
        [
            {
                "id": "b1",
                "datasetId": "20.500/raw",
                "chkAlg": "sha256",
                "dataFileList": [{"path": "a.h5", "size": 1, "chk": "abc"}],
            }
        ],
    )
    reports = load_all(store, tmp_path)
    raw, der = iri(store, "dataset", "20.500/raw"), iri(store, "dataset", "20.500/der")
    assert ask(
        store,
        f"{raw} dcterms:license <https://spdx.org/licenses/CC-BY-4.0> ; "
        f'<http://www.w3.org/ns/dcat#keyword> "room temperature" ; '
        f"<http://www.w3.org/ns/dcat#byteSize> 123456789012 ; "
        f'dcterms:created "2024-05-01T10:00:00+00:00"^^xsd:dateTime ; '
        f"pankg:sample {iri(store, 'sample', 's2')} ; pankg:proposal {iri(store, 'proposal', 'p1')}",
    )
    assert ask(
        store,
        f'{der} prov:wasGeneratedBy ?run . ?run pankg:parameter ?p . ?p pankg:parameterName "d_min" ; '
        "pankg:siValue ?si FILTER(ABS(?si - 1.8e-10) < 1e-20)",
    )
    _, rows = store.query(
        P + f"SELECT ?plan WHERE {{ {der} prov:wasGeneratedBy ?run . ?run prov:qualifiedAssociation ?a . "
        "?a prov:hadPlan ?plan }"
    )
    assert len(rows) == 2  # two software, two associations, one plan each
    assert ask(store, '?s pankg:parameterName "mass" ; pankg:siValue ?v FILTER(?v = 2.0e-6)')
    assert not ask(store, '?s pankg:parameterName "mass"', scope="public")  # an unpublished sample
    assert ask(store, '?f pankg:filePath "a.h5" ; pankg:checksum "sha256:abc"', scope="public")
    warned = {(w.record, w.field): w.message for r in reports for w in r.warnings}
    assert "only the first ('p1') is kept" in warned[("20.500/raw", "proposalIds")]
    assert "unknown SciCat field" in warned[("", "dataQualityMetrics")]
    assert ("", "jobLogData") not in warned  # known, deliberately not mapped


@pytest.mark.parametrize(
    "module", ["loaders.scicat", "loaders.scicat_values", "loaders.scicat_parameters", "loaders.scicat_api"]
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
