"""ICAT loader: the python-icat reference dumps, an icatdump built here, PROV chain, reloads, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.errors import RecordInvalid, SourceUnavailable
from graph.store.embedded import GraphStore
from graph.store.stats import entity_counts
from loaders import icat
from loaders.base import LoadOptions, LoadReport, load
from tests.helpers import TODAY

P = """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX pankg: <https://w3id.org/pankg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX schema: <http://schema.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcrel: <https://w3id.org/pankg/datacite-relation#> """
ORCID = "0000-0002-1825-0097"
FAR = (TODAY + dt.timedelta(days=400)).isoformat()


def load_all(store: GraphStore, *paths: Path | str, lenient: bool = False) -> list[LoadReport]:
    return [load(store, s, as_of=TODAY) for s in icat.sources([str(p) for p in paths], LoadOptions(lenient))]


def ask(store: GraphStore, body: str, scope: str = "all") -> bool:
    return bool(store.query(P + "ASK { " + body + " }", scope))  # type: ignore[arg-type]


def node(store: GraphStore, kind: str, pid: str) -> str:
    return f"<{store.minter.iri(kind, pid)}>"


def write(folder: Path, data: Any, name: str = "dump.yaml") -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump_all(data, sort_keys=False))
    return path


def icatdump() -> list[dict[str, Any]]:
    """A small icatdump: two YAML documents, objects keyed and referring by dump keys."""
    inv = "Investigation_facility-(name-HZX)_name-P1_visitId-1"
    return [
        {
            "facility": {"Facility_name-HZX": {"name": "HZX", "fullName": "Helmholtz X", "url": "https://hzx.example.org/"}},
            "user": {
                "User_name-ada": {"name": "ada", "fullName": "Ada Lovelace", "orcidId": ORCID},
                "User_name-bob": {"name": "bob", "fullName": "Bob Smith", "email": "bob@example.org"},
            },
            "technique": {"Technique_saxs": {"name": "SAXS", "pid": "PaNET:PaNET01188"}},
            "instrument": {"Instrument_facility-(name-HZX)_name-B1": {"name": "B1", "fullName": "Beamline 1",
                                                                     "facility": "Facility_name-HZX"}},
            "parameterType": {
                "ParameterType_temp": {"name": "temperature", "units": "C", "unitsFullName": "Celsius"},
                "ParameterType_odd": {"name": "oddity", "units": "blorps"},
            },
            "datasetType": {"DatasetType_raw": {"name": "raw"}, "DatasetType_analyzed": {"name": "analyzed"}},
            "application": {"Application_fit": {"name": "fitter", "version": "2.1", "facility": "Facility_name-HZX"}},
        },
        {
            "investigation": {inv: {
                "name": "P1", "visitId": "1", "title": "Proteins in the beam", "facility": "Facility_name-HZX",
                "releaseDate": FAR,
                "investigationUsers": [{"user": "User_name-ada", "role": "principal_investigator"},
                                       {"user": "User_name-bob", "role": "co_investigator"}],
                "investigationInstruments": [{"instrument": "Instrument_facility-(name-HZX)_name-B1"}],
            }},
            "sample": {"Sample_s1": {"name": "lysozyme", "investigation": inv}},
            "dataset": {
                "Dataset_raw1": {"name": "raw1", "investigation": inv, "type": "DatasetType_raw", "sample": "Sample_s1",
                                 "startDate": "2024-01-02T03:04:05+00:00", "releaseDate": "2020-01-01",
                                 "datasetTechniques": [{"technique": "Technique_saxs"}],
                                 "parameters": [{"type": "ParameterType_temp", "numericValue": 20.0},
                                                {"type": "ParameterType_odd", "numericValue": 3}]},
                "Dataset_red1": {"name": "red1", "investigation": inv, "type": "DatasetType_analyzed"},
            },
            "datafile": {"Datafile_f1": {"name": "f1.nxs", "location": "/data/p1/f1.nxs", "fileSize": 1024,
                                         "checksum": "abc123", "dataset": "Dataset_raw1"}},
            "dataCollection": {
                "DataCollection_in": {"dataCollectionDatafiles": [{"datafile": "Datafile_f1"}]},
                "DataCollection_out": {"dataCollectionDatasets": [{"dataset": "Dataset_red1"}]},
            },
            "job": {"Job_1": {"application": "Application_fit", "arguments": "--fast",
                              "inputDataCollection": "DataCollection_in", "outputDataCollection": "DataCollection_out"}},
            "dataPublication": {"DataPublication_1": {
                "pid": "DOI:10.5072/hzx-1", "title": "Lysozyme data", "facility": "Facility_name-HZX",
                "publicationDate": "2024-05-06", "content": "DataCollection_out",
                "dataPublicationUsers": [{"user": "User_name-bob", "contributorType": "Creator", "orderKey": "1"}],
                "relatedItems": [{"identifier": "DOI:10.5072/paper-9", "relationType": "IsCitedBy"}],
            }},
        },
    ]


# ---------------------------------------------------------------- the reference dumps


def test_the_reference_dumps_load(shared: Path, store: GraphStore) -> None:
    reports = load_all(store, shared / "reference/catalogues/icat")
    assert [Path(r.location).name for r in reports] == ["example_data.yaml", "icatdump-simple.yaml"]
    example, simple = reports
    assert not example.skipped and not example.warnings
    assert example.entities["Dataset"] == 9 and example.entities["AnalysisRun"] == 1
    assert example.entities["DoiRecord"] == 1 and example.entities["Publication"] == 1
    assert simple.entities["Proposal"] == 1
    # icatdump-simple.yaml dumps only users and one investigation: its facility key dangles, named.
    assert [(w.record, w.field) for w in simple.warnings] == [
        ("Investigation_facility-(name-ESNF)_name-10100601=2DST_visitId-1=2E1=2DN", "facility")
    ]
    # The same investigation in both dumps meets on one node: same facility-scoped PID.
    assert ask(store, f"{node(store, 'proposal', 'ESNF/investigation/10100601-ST/1.1-N')} "
                      "dcterms:title 'Ni-Mn-Ga flat cone' ; pankg:facility ?f . ?f skos:altLabel 'ESNF'")


def test_the_job_of_the_reference_data_has_its_prov_chain(shared: Path, store: GraphStore) -> None:
    load_all(store, shared / "reference/catalogues/icat/example_data.yaml")
    run = node(store, "run", "ESNF/job/job1")
    used = [node(store, "dataset", p) for p in ("ESNF/investigation/10100601-ST/1.1-N/e208341",
                                                "ESNF/investigation/12100409-ST/1.1-P/e208945")]
    out = node(store, "dataset", "ESNF/investigation/12100409-ST/1.1-P/e208947")
    for d in used:
        assert ask(store, f"{run} a prov:Activity ; prov:used {d} . {out} prov:wasDerivedFrom {d}")
    assert ask(store, f"{out} a pankg:DerivedDataset ; prov:wasGeneratedBy {run} ; dcterms:title 'e208947'")
    assert ask(store, f"""{run} prov:qualifiedAssociation/prov:hadPlan ?plan ; pankg:usedSoftware ?plan .
        ?plan a prov:Plan ; schema:softwareVersion '69' ; dcterms:isVersionOf [ schema:name 'gnomoanalytics' ]""")
    # The job's output datafile went into an existing dataset, which the run generated too.
    e208945 = used[1]
    assert ask(store, f"{e208945} prov:wasGeneratedBy {run} ; dcterms:hasPart ?f . ?f pankg:filePath 'e208945-2.nxs'")


def walk(sections: dict[str, Any]) -> list[tuple[str, str]]:
    """ASK bodies for the mapped fields of the example data, one per value, with what each checks."""
    n = lambda kind, pid: f"<https://w3id.org/pankg/id/{kind}/{quote(pid)}>"
    checks: list[tuple[str, str]] = []
    facs = sections["facilities"]
    for key, f in facs.items():
        s = n("facility", f["name"])
        checks += [(f"facility {key}", (f"{s} foaf:name {lit(f['fullName'])} ; skos:altLabel {lit(f['name'])} ; "
                                      f"schema:url <{f['url']}>"))]
    techniques = sections["techniques"]
    for key, t in techniques.items():
        iri = "<http://purl.org/pan-science/PaNET/" + t["pid"].split(":")[1] + ">"
        checks.append((f"technique {key}", f"{iri} rdfs:label {lit(t['name'])}"))
    for key, i in sections["instruments"].items():
        s = n("instrument", f"ESNF/instrument/{i['name']}")
        body = f"{s} rdfs:label {lit(i['fullName'])} ; pankg:facility {n('facility', 'ESNF')}"
        if i["technique"]:
            body += f" ; pankg:technique <http://purl.org/pan-science/PaNET/{techniques[i['technique']]['pid'][6:]}>"
        checks.append((f"instrument {key}", body))
    users = sections["users"]
    for key, v in sections["investigations"].items():
        pid = f"ESNF/investigation/{v['name']}/{v['visitId']}"
        s = n("proposal", pid)
        pi = users[v["invpi"]]
        checks.append((f"investigation {key}", (f"{s} dcterms:title {lit(v['title'])} ; pankg:proposalId {lit(pid)} ; "
                                               f"pankg:principalInvestigator [ foaf:name {lit(pi['fullName'])} ; "
                                               f"schema:givenName {lit(pi['givenName'])} ; schema:email {lit(pi['email'])} ]")))
        for u in v["invcol"] + v["invguest"]:
            checks.append((f"investigation {key} user {u}", f"{s} dcterms:contributor [ foaf:name {lit(users[u]['fullName'])} ]"))
        sample = v["sample"]
        sp = n("sample", f"{pid}/sample/{sample['name']}")
        formula = sections["sample_types"][sample["type"]]["molecularFormula"]
        checks.append((f"sample of {key}", f"{sp} rdfs:label {lit(sample['name'])} ; pankg:chemicalFormula {lit(formula)}"))
        for p in sample.get("parameters", []):
            checks.append((f"sample parameter {key}", f"{sp} pankg:parameter [ pankg:value {lit(p['stringValue'])} ]"))
        for d in v["datasets"]:
            ds = n("dataset", f"{pid}/{d['name']}")
            body = (f"{ds} dcterms:title {lit(d['name'])} ; a pankg:RawDataset ; pankg:proposal {s} ; "
                    f"pankg:instrument {n('instrument', 'ESNF/instrument/' + sections['instruments'][v['instrument']]['name'])} ; "
                    f"pankg:sample {sp} ; dcterms:created {when(d['startDate'])}")
            for k in v["keywords"]:
                body += f" ; dcat:keyword {lit(k)}"
            checks.append((f"dataset {d['name']}", body))
            for p in d.get("parameters", []):
                ptype = sections["parameter_types"][p["type"]]
                checks.append((f"parameter {d['name']} {p['type']}",
                               (f"{ds} pankg:parameter [ pankg:parameterName {lit(ptype['name'])} ; "
                               f"pankg:value ?v ; pankg:unit {lit(ptype['units'])} ; pankg:siValue ?si ] "
                               f"FILTER(?v = {p['numericValue']})")))
            for f in d["datafiles"]:
                checks.append((f"file {f['name']}", (f"{ds} dcterms:hasPart [ pankg:filePath {lit(f['name'])} ; "
                                                    f"dcat:byteSize {f['fileSize']} ; pankg:checksum {lit(f['checksum'])} ; "
                                                    f"dcterms:modified {when(f['datafileModTime'])} ]")))
    for key, pub in sections["publications"].items():
        checks.append((f"publication {key}", (f"?p a pankg:Publication ; dcterms:title {lit(pub['fullReference'])} ; "
                                             f"dcterms:bibliographicCitation {lit(pub['fullReference'])}")))
    for key, dp in sections["data_publications"].items():
        s = n("doi", "ESNF/data-publication/" + dp["pid"][4:])
        rel = dp["relatedItems"][0]
        user = dp["users"][0]
        checks.append((f"data publication {key}",
                       (f"{s} a pankg:DOIRecord ; dcterms:title {lit(dp['title'])} ; dcterms:abstract {lit(dp['description'])} ; "
                       f"dcterms:issued '{dp['publicationDate'].year}'^^xsd:gYear ; dcterms:publisher {lit(facs[dp['facility']]['fullName'])} ; "
                       f"dcterms:hasPart {n('dataset', 'ESNF/investigation/12100409-ST/1.1-P/' + dp['dataset']['name'])} ; "
                       f"dcrel:{rel['relationType']} ?target ; dcterms:creator [ foaf:name {lit(user['fullName'])} ; "
                       f"schema:familyName {lit(user['familyName'])} ] FILTER(CONTAINS(STR(?target), 'oeis.org'))")))
    return checks


def quote(pid: str) -> str:
    from urllib.parse import quote as q

    return q(pid, safe="-._~:@!$'()*+,;=")


def lit(value: Any) -> str:
    text = str(value).strip()
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def when(value: Any) -> str:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return f"'{moment.isoformat()}'^^xsd:dateTime"


def test_every_mapped_reference_value_is_found_by_sparql(shared: Path, store: GraphStore) -> None:
    path = shared / "reference/catalogues/icat/example_data.yaml"
    load_all(store, path)
    checks = walk(yaml.safe_load(path.read_text()))
    assert len(checks) > 40
    missing = [what for what, body in checks if not ask(store, body)]
    assert not missing


def doc_fields() -> dict[str, set[str]]:
    fields: dict[str, set[str]] = {}
    section = ""
    for line in (Path(__file__).parents[2] / "docs/mapping-icat.md").read_text().splitlines():
        if line.startswith("## `"):
            section = line[4:].split("`")[0]
        elif section and line.startswith("| `"):
            fields.setdefault(section, set()).add(line[3:].split("`")[0])
    return fields


def field_paths(value: Any, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        return set().union(*(field_paths(v, f"{prefix}.{k}" if prefix else str(k)) for k, v in value.items())) \
            if value else {prefix}
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return set().union(*(field_paths(v, prefix) for v in value))
    return {prefix}


def test_the_document_lists_every_field_of_the_reference_records(shared: Path) -> None:
    from loaders.icat_read import read_yaml

    doc = doc_fields()
    text = (Path(__file__).parents[2] / "docs/mapping-icat.md").read_text()
    aside = text.split("## Read only where referenced")[1]
    unlisted = []
    for name in ("example_data.yaml", "icatdump-simple.yaml"):
        _, sections = read_yaml(shared / "reference/catalogues/icat" / name)
        for section, objects in sections.items():
            if section not in doc:
                if f"`{section}`" not in aside:
                    unlisted.append(section)
                continue
            listed = doc[section]
            for path in set().union(*(field_paths(o) for o in objects.values())):
                parts = path.split(".")
                if not any(".".join(parts[:k]) in listed or ".".join(parts[:k]) + ".*" in listed
                           for k in range(1, len(parts) + 1)):
                    unlisted.append(f"{section}.{path}")
    assert not unlisted


# ---------------------------------------------------------------- an icatdump built here


def test_an_icatdump_maps_datasets_files_jobs_and_data_publications(tmp_path: Path, store: GraphStore) -> None:
    (report,) = load_all(store, write(tmp_path, icatdump()))
    assert not report.skipped
    assert [w.field for w in report.warnings] == ["parameters[1]"]  # the unknown unit, kept without SI value
    inv = "HZX/investigation/P1/1"
    raw, red = node(store, "dataset", f"{inv}/raw1"), node(store, "dataset", f"{inv}/red1")
    run = node(store, "run", "HZX/job/Job_1")
    assert ask(store, f"{node(store, 'proposal', inv)} pankg:principalInvestigator <https://orcid.org/{ORCID}> ; "
                      "dcterms:contributor [ foaf:name 'Bob Smith' ]")
    assert ask(store, f"{raw} a pankg:RawDataset ; pankg:technique <http://purl.org/pan-science/PaNET/PaNET01188> ; "
                      f"pankg:instrument {node(store, 'instrument', 'HZX/instrument/B1')} ; "
                      "pankg:sample [ rdfs:label 'lysozyme' ] ; dcterms:hasPart [ pankg:filePath '/data/p1/f1.nxs' ; "
                      "dcat:byteSize 1024 ; pankg:checksum 'abc123' ]", "public")
    assert ask(store, f"{raw} pankg:parameter [ pankg:parameterName 'temperature' ; pankg:unit 'C' ; "
                      "pankg:siValue ?k ] FILTER(ABS(?k - 293.15) < 1e-9)")
    assert ask(store, f"{run} prov:used {raw} . {red} prov:wasGeneratedBy {run} ; prov:wasDerivedFrom {raw}")
    assert ask(store, f"{run} pankg:parameter [ pankg:value '--fast' ]")
    assert ask(store, f"<https://doi.org/10.5072/hzx-1> dcterms:hasPart {red} ; dcrel:IsCitedBy <https://doi.org/10.5072/paper-9> ; "
                      "dcterms:creator [ foaf:name 'Bob Smith' ]")


def test_the_release_date_is_the_embargo_end(tmp_path: Path, store: GraphStore) -> None:
    load_all(store, write(tmp_path, icatdump()))
    inv = "HZX/investigation/P1/1"
    red = node(store, "dataset", f"{inv}/red1")  # the investigation's release date, a year on
    assert ask(store, f"{red} pankg:embargoEndDate '{FAR}'^^xsd:date ; pankg:accessLevel pankg:Restricted", "public")
    assert not ask(store, f"{red} dcterms:title ?t", "public")
    raw = node(store, "dataset", f"{inv}/raw1")  # its own release date, passed
    assert ask(store, f"{raw} pankg:embargoEndDate '2020-01-01'^^xsd:date ; dcterms:title 'raw1'", "public")


def test_loading_twice_gives_identical_counts(tmp_path: Path, store: GraphStore) -> None:
    path = write(tmp_path, icatdump())
    load_all(store, path)
    counts, triples = entity_counts(store), store.count()
    (again,) = load_all(store, path)
    assert not again.changed
    (forced,) = [load(store, s, as_of=TODAY, force=True) for s in icat.sources([str(path)])]
    assert forced.changed and (entity_counts(store), store.count()) == (counts, triples)
    elsewhere = GraphStore()
    load_all(elsewhere, path)
    assert (entity_counts(elsewhere), elsewhere.count()) == (counts, triples)


# ---------------------------------------------------------------- bad input


def test_malformed_yaml_loads_nothing(tmp_path: Path, store: GraphStore) -> None:
    path = write(tmp_path, icatdump())
    load_all(store, path)
    before = store.count()
    write(tmp_path, "investigation:\n  a: [unclosed\n")
    for lenient in (False, True):
        with pytest.raises(RecordInvalid, match="not valid YAML") as caught:
            load_all(store, path, lenient=lenient)
        assert str(path) in str(caught.value)
    assert store.count() == before  # the previous load of the file stays as it was


def spoil(docs: list[dict[str, Any]], section: str, key: str, **fields: Any) -> list[dict[str, Any]]:
    for doc in docs:
        if key in doc.get(section, {}):
            doc[section][key].update(fields)
            for name, value in fields.items():
                if value is None:
                    del doc[section][key][name]
    return docs


@pytest.mark.parametrize(("section", "key", "fields", "field"), [
    ("dataset", "Dataset_red1", {"name": None}, "name"),  # missing key
    ("datafile", "Datafile_f1", {"fileSize": "big"}, "fileSize"),  # wrong type
    ("investigation", "Investigation_facility-(name-HZX)_name-P1_visitId-1", {"title": ["a"]}, "title"),
])
def test_a_bad_record_fails_strict_and_is_listed_lenient(
    tmp_path: Path, store: GraphStore, section: str, key: str, fields: dict[str, Any], field: str
) -> None:
    path = write(tmp_path, spoil(icatdump(), section, key, **fields))
    empty = GraphStore()
    with pytest.raises(RecordInvalid):
        load_all(empty, path)
    assert not empty.sources and not ask(empty, "{ ?s a pankg:Facility } UNION { ?s a pankg:Proposal } UNION { ?s a dcat:Dataset }")
    with pytest.raises(RecordInvalid) as caught:
        load_all(store, path)
    assert caught.value.file == str(path) and caught.value.field.endswith(field)
    (report,) = load_all(store, path, lenient=True)
    assert len(report.skipped) == 1 and field in report.skipped[0]
    assert ask(store, "?f foaf:name 'Helmholtz X'")  # the good records loaded
    bad_record = key if section != "datafile" else "Dataset_raw1"
    assert any(w.record == bad_record for w in report.warnings)


def test_a_dangling_reference_is_a_warning_naming_file_record_and_field(tmp_path: Path, store: GraphStore) -> None:
    docs = spoil(icatdump(), "dataset", "Dataset_raw1", sample="Sample_nowhere")
    path = write(tmp_path, docs)
    for lenient in (False, True):
        (report,) = load_all(GraphStore(), path, lenient=lenient)
        assert not report.skipped
        dangling = [w for w in report.warnings if "dangling" in w.message]
        assert [(w.file, w.record, w.field) for w in dangling] == [(str(path), "Dataset_raw1", "sample")]
        assert "Sample_nowhere" in dangling[0].message


def test_a_person_without_orcid_is_never_merged_by_name(tmp_path: Path, store: GraphStore) -> None:
    load_all(store, write(tmp_path, icatdump()))
    _, rows = store.query(P + "SELECT DISTINCT ?p WHERE { ?p foaf:name 'Bob Smith' }")
    assert len(list(rows)) == 2  # a co-investigator and a data publication creator: two records, two nodes


def test_sources(tmp_path: Path) -> None:
    write(tmp_path, icatdump(), "a.yml")
    (tmp_path / "notes.txt").write_text("x")
    assert [Path(s.location).name for s in icat.sources([str(tmp_path)])] == ["a.yml"]
    (tmp_path / "d.xml").write_text("<icatdata/>")  # XML dumps: tests/loaders/test_icat_xml.py
    assert [Path(s.location).name for s in icat.sources([str(tmp_path)])] == ["a.yml", "d.xml"]
    with pytest.raises(SourceUnavailable, match="no such file"):
        icat.sources([str(tmp_path / "absent.yaml")])


def test_icatdump_keywords_are_objects_with_a_name(tmp_path: Path, store: GraphStore) -> None:
    docs = icatdump()
    inv = "Investigation_facility-(name-HZX)_name-P1_visitId-1"
    docs[1]["investigation"][inv]["keywords"] = [{"name": "proteins"}, {"name": "SAXS"}]
    load_all(store, write(tmp_path, docs))
    raw = node(store, "dataset", "HZX/investigation/P1/1/raw1")
    assert ask(store, f"{raw} dcat:keyword 'proteins', 'SAXS'")


def test_a_bad_inline_dataset_names_its_field_once(tmp_path: Path, store: GraphStore) -> None:
    """The error of a dataset written inside its investigation says where once (it said "field datasets[1].name:
    field name: missing")."""
    dump = {"facilities": {"f": {"name": "F"}},
            "investigations": {"i": {"facility": "f", "name": "P1", "datasets": [{"name": "ok"}, {"type": "raw"}]}}}
    with pytest.raises(RecordInvalid) as caught:
        load_all(store, write(tmp_path, [dump]))
    assert caught.value.field == "datasets[1].name"
    assert str(caught.value).endswith(", record i, field datasets[1].name: missing")
