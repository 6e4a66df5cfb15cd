"""CodeMeta loader: every field of the reference codemeta.json found by SPARQL; CodeMeta 3 shapes (identifiers as
PropertyValue, SWHID, keywords as text); the version is its own node that an analysis run can use; reloads
change nothing; bad input names file, record and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.errors import RecordInvalid
from graph.model.entities import AnalysisRun
from graph.model.writer import RdfModel
from graph.store.embedded import GraphStore
from loaders import LOADERS
from loaders.base import LoadOptions, LoadReport, load
from tests.helpers import TODAY
from tests.loaders.test_crossref import data_triples

P = """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <http://schema.org/>
PREFIX pankg: <https://w3id.org/pankg/ontology#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX codemeta: <https://w3id.org/codemeta/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> """
BOETTIGER = "https://orcid.org/0000-0002-1642-628X"


def load_codemeta(store: GraphStore, *paths: Path, lenient: bool = False) -> list[LoadReport]:
    return [load(store, s, as_of=TODAY) for s in LOADERS["codemeta"]([str(p) for p in paths], LoadOptions(lenient))]


def ask(store: GraphStore, body: str, scope: str = "all") -> bool:
    return bool(store.query(P + "ASK { " + body + " }", scope))  # type: ignore[arg-type]


def write(folder: Path, record: Any, name: str = "codemeta.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(record))
    return path


def test_every_field_of_the_reference_example_is_in_the_graph(shared: Path, store: GraphStore) -> None:
    path = shared / "reference/software-catalogue/codemeta/example-codemeta.json"
    record = json.loads(path.read_text())
    (report,) = load_codemeta(store, path)
    assert report.warnings == [] and report.entities["Software"] == 1 and report.entities["SoftwareVersion"] == 1
    sw = f"<{store.minter.iri('software', record['identifier'])}>"
    checks = {
        "@type": f"{sw} a schema:SoftwareSourceCode, pankg:Software",
        "identifier": f"{sw} schema:identifier 'codemetar'",
        "name": f"{sw} schema:name ?n ; rdfs:label ?n FILTER(?n = {json.dumps(record['name'])})",
        "description": f"{sw} dcterms:description {json.dumps(record['description'])}",
        "codeRepository": f"{sw} schema:codeRepository <https://github.com/codemeta/codemetar>",
        "issueTracker": f"{sw} codemeta:issueTracker <https://github.com/codemeta/codemetar/issues>",
        "license": f"{sw} dcterms:license <https://spdx.org/licenses/MIT>",
        "version": f"{sw} dcterms:hasVersion ?v . ?v a pankg:SoftwareVersion, prov:Plan ; schema:softwareVersion '0.1.0' ;"
                   f" dcterms:isVersionOf {sw}",
        "programmingLanguage": f"{sw} schema:programmingLanguage ?l . ?l schema:name 'R' ; schema:version '3.4.0' ;"
                               " schema:url <https://r-project.org>",
        "runtimePlatform": f"{sw} schema:runtimePlatform 'R version 3.4.0 (2017-04-21)'",
        "author": f"{sw} schema:author <{BOETTIGER}> ; dcterms:creator <{BOETTIGER}> . <{BOETTIGER}> a foaf:Person ;"
                  " schema:givenName 'Carl' ; schema:familyName 'Boettiger' ; foaf:name 'Carl Boettiger'",
        "email": f"<{BOETTIGER}> schema:email 'cboettig@gmail.com'",
        "copyrightHolder": f"{sw} schema:copyrightHolder <{BOETTIGER}>",
        "maintainer": f"{sw} codemeta:maintainer <{BOETTIGER}>",
        "continuousIntegration": f"{sw} codemeta:continuousIntegration <https://travis-ci.org/codemeta/codemetar>",
        "developmentStatus": f"{sw} codemeta:developmentStatus 'wip'",
        "keywords": f"{sw} schema:keywords 'metadata', 'ropensci'",
    }
    for n, dep in enumerate(record["softwareRequirements"]):
        version = f"; schema:version '{dep['version']}'" if "version" in dep else ""
        checks[f"softwareRequirements[{n}]"] = f"{sw} schema:softwareRequirements ?d . ?d a schema:SoftwareApplication ;" \
                                               f" schema:name '{dep['name']}' {version}"
    for dep in record["softwareSuggestions"]:
        checks[f"softwareSuggestions {dep['name']}"] = (
            f"{sw} codemeta:softwareSuggestions ?d . ?d schema:name '{dep['name']}' ; schema:provider ?org ."
            " ?org foaf:name 'Central R Archive Network (CRAN)'")
    assert set(record) - {"@context", "softwareSuggestions", "softwareRequirements"} <= set(checks) | {"@context"}
    for field, body in checks.items():
        assert ask(store, body), field
    assert not ask(store, f"<{BOETTIGER}> schema:email ?e", "public"), "an e-mail address is personal data"
    _, rows = store.query(P + "SELECT DISTINCT ?p WHERE { ?p a foaf:Person }")
    assert [r[0].value for r in rows] == [BOETTIGER], "author, copyright holder and maintainer are one person"


def test_codemeta_3_shapes(tmp_path: Path, store: GraphStore) -> None:
    record = {
        "@context": "https://w3id.org/codemeta/3.0", "type": "SoftwareSourceCode", "name": "PyMCA",
        "identifier": [{"@type": "PropertyValue", "propertyID": "DOI", "value": "10.5281/zenodo.1234"},
                       "swh:1:dir:d198bc9d7a6bcf6db04f476d29314f157507d505", "pymca"],
        "license": ["MIT", "https://spdx.org/licenses/LGPL-2.1-or-later"], "keywords": "XRF, spectroscopy",
        "version": "5.9.2", "dateCreated": "2004-01-01", "datePublished": "2024-02-01", "dateModified": "2024-02-03T10:00:00Z",
        "programmingLanguage": ["Python", "C"], "softwareRequirements": ["numpy>=1.20", "https://pypi.org/project/h5py"],
        "operatingSystem": ["Linux", "Windows"], "applicationCategory": "Spectroscopy", "url": "https://www.silx.org",
        "readme": "https://github.com/vasole/pymca/blob/master/README.rst", "downloadUrl": "https://pypi.org/project/PyMca5",
        "referencePublication": {"@id": "https://doi.org/10.1016/j.sab.2006.12.002"},
        "author": {"type": "Person", "givenName": "V. Armando", "familyName": "Solé",
                   "affiliation": {"type": "Organization", "@id": "https://ror.org/02550n020", "name": "ESRF"}},
        "funder": {"@type": "Organization", "name": "ESRF"},
        "developmentStatus": "https://www.repostatus.org/#active",
    }
    (report,) = load_codemeta(store, write(tmp_path, record))
    assert [(w.field, w.message[:30]) for w in report.warnings] == [("license", "only the first licence is kept")]
    sw = f"<{store.minter.iri('software', 'pymca')}>"
    for body in [
        f"{sw} pankg:doi <https://doi.org/10.5281/zenodo.1234> ; dcterms:license <https://spdx.org/licenses/MIT>",
        f"{sw} schema:identifier 'swh:1:dir:d198bc9d7a6bcf6db04f476d29314f157507d505' ;"
        " schema:archivedAt <https://archive.softwareheritage.org/swh:1:dir:d198bc9d7a6bcf6db04f476d29314f157507d505>",
        f"{sw} schema:keywords 'XRF', 'spectroscopy' ; schema:operatingSystem 'Linux', 'Windows'",
        f"{sw} schema:dateCreated '2004-01-01'^^xsd:date ; schema:datePublished '2024-02-01'^^xsd:date ;"
        " schema:dateModified '2024-02-03T10:00:00Z'^^xsd:dateTime",
        f"{sw} schema:programmingLanguage [ schema:name 'Python' ], [ schema:name 'C' ]",
        f"{sw} schema:softwareRequirements [ schema:name 'numpy>=1.20' ], [ schema:url <https://pypi.org/project/h5py> ]",
        f"{sw} schema:applicationCategory 'Spectroscopy' ; schema:url <https://www.silx.org> ;"
        " codemeta:readme <https://github.com/vasole/pymca/blob/master/README.rst> ;"
        " schema:downloadUrl <https://pypi.org/project/PyMca5>",
        f"{sw} codemeta:referencePublication <https://doi.org/10.1016/j.sab.2006.12.002>",
        f"{sw} codemeta:developmentStatus <https://www.repostatus.org/#active>",
        f"{sw} schema:author ?p . ?p foaf:name 'V. Armando Solé' ; schema:affiliation <https://ror.org/02550n020>",
        f"{sw} schema:funder ?f . ?f foaf:name 'ESRF' FILTER(?f != <https://ror.org/02550n020>)",
        f"{sw} dcterms:hasVersion ?v . ?v schema:softwareVersion '5.9.2'",
    ]:
        assert ask(store, body), body


def test_an_analysis_run_uses_the_version_node(tmp_path: Path, store: GraphStore) -> None:
    load_codemeta(store, write(tmp_path, {"name": "DIALS", "identifier": "dials", "version": "3.17.0"}))
    version = f"<{store.minter.minted('software-version', 'dials@3.17.0')}>"
    assert ask(store, f"{version} a prov:Plan ; dcterms:isVersionOf <{store.minter.iri('software', 'dials')}>")
    run = RdfModel(store.minter).quads(AnalysisRun("run-1", software_version="dials@3.17.0"))
    assert any(p == "<http://www.w3.org/ns/prov#hadPlan>" and o == version for _, p, o, _ in run)


def test_reloading_changes_nothing(shared: Path, store: GraphStore) -> None:
    path = shared / "reference/software-catalogue/codemeta/example-codemeta.json"
    (first,) = load_codemeta(store, path)
    count = store.count()
    (again,) = load_codemeta(store, path)
    assert first.changed and not again.changed and store.count() == count
    (forced,) = [load(store, s, as_of=TODAY, force=True) for s in LOADERS["codemeta"]([str(path)])]
    assert forced.changed and store.count() == count


@pytest.mark.parametrize("change,record,field", [
    ({"name": None}, "#2", "name"),
    ({"name": ["a", "list"]}, "#2", "name"),
    ({"license": "MIT License"}, "bad", "license"),
    ({"license": "MIT-License"}, "bad", "license"),  # shaped like an id, but SPDX has none such
    ({"codeRepository": "not a url"}, "bad", "codeRepository"),
    ({"author": [{"@type": "Person", "email": "x@example.org"}]}, "bad", "author[1].familyName"),
    ({"@type": "Dataset"}, "bad", "@type"),
    ({"softwareRequirements": [{"version": "1.0"}]}, "bad", "softwareRequirements[1].name"),
    ({"keywords": {"a": 1}}, "bad", "keywords"),
])
def test_a_bad_record_fails_its_file_strictly_and_is_skipped_leniently(
    tmp_path: Path, store: GraphStore, change: dict[str, Any], record: str, field: str
) -> None:
    bad = {"@type": "SoftwareSourceCode", "name": "bad", **change}
    bad = {k: v for k, v in bad.items() if v is not None}
    path = write(tmp_path, [{"@type": "SoftwareSourceCode", "name": "good"}, bad])
    empty = data_triples(store)
    with pytest.raises(RecordInvalid) as caught:
        load_codemeta(store, path)
    assert (caught.value.file, caught.value.record, caught.value.field) == (str(path), record, field)
    assert data_triples(store) == empty
    (report,) = load_codemeta(store, path, lenient=True)
    assert report.entities["Software"] == 1 and len(report.skipped) == 1
    assert ask(store, "?s schema:name 'good'") and not ask(store, "?s schema:name 'bad'")


def test_malformed_json_loads_nothing(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "codemeta.json"
    path.write_text('{"name": "x",')
    for lenient in (False, True):
        with pytest.raises(RecordInvalid, match="not valid JSON") as caught:
            load_codemeta(store, path, lenient=lenient)
        assert caught.value.file == str(path)


def test_an_spdx_id_is_written_as_spdx_spells_it(tmp_path: Path, store: GraphStore) -> None:
    load_codemeta(store, write(tmp_path, {"@type": "SoftwareSourceCode", "name": "x", "license": "bsd-3-clause"}))
    assert ask(store, "?s schema:name 'x' ; dcterms:license <https://spdx.org/licenses/BSD-3-Clause>")
