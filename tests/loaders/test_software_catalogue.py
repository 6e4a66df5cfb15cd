"""Software catalogue (YAML): every documented key lands; versions are their own nodes; technique names resolve to
the PaNET in the store; facilities by ROR; reloads change nothing; bad input names file, record and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import RecordInvalid
from graph.store.embedded import GraphStore
from loaders import LOADERS
from loaders.base import LoadOptions, LoadReport, load
from tests.helpers import ROOT, TODAY
from tests.loaders.panet_files import MINI, load_panet
from tests.loaders.panet_files import write as write_text
from tests.loaders.test_crossref import data_triples

P = """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <http://schema.org/>
PREFIX pankg: <https://w3id.org/pankg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX panet: <http://purl.org/pan-science/PaNET/> """
ESRF = "https://ror.org/02550n020"
CATALOGUE = f"""# The software that ESRF runs for its users.
facility: {ESRF}
software:
  - name: DIALS
    id: dials
    description: Diffraction integration for advanced light sources
    licence: BSD-3-Clause
    repository: https://github.com/dials/dials
    homepage: https://dials.github.io
    doi: 10.5281/zenodo.4008765
    swhid: swh:1:dir:0000000000000000000000000000000000000001
    keywords: [crystallography, integration]
    techniques: [panet:PaNET01022, small angle x-ray scattering]
    facilities: [{ESRF}, https://ror.org/01wv9cn34]
    versions:
      - version: "3.17.0"
        doi: 10.5281/zenodo.10000001
        swhid: swh:1:rel:0000000000000000000000000000000000000002
        date: 2023-11-01
      - "3.18.0"
  - name: PyMca
    licence: https://spdx.org/licenses/MIT
"""


def load_catalogue(store: GraphStore, *paths: Path, lenient: bool = False) -> list[LoadReport]:
    return [load(store, s, as_of=TODAY) for s in LOADERS["software"]([str(p) for p in paths], LoadOptions(lenient))]


def ask(store: GraphStore, body: str) -> bool:
    return bool(store.query(P + "ASK { " + body + " }"))


def test_every_key_lands_and_versions_are_their_own_nodes(tmp_path: Path, store: GraphStore) -> None:
    load_panet(store, write_text(tmp_path / "panet.ttl", MINI))
    (report,) = load_catalogue(store, write_text(tmp_path / "software.yaml", CATALOGUE))
    assert (report.entities["Software"], report.entities["SoftwareVersion"]) == (2, 2) and report.warnings == []
    sw = f"<{store.minter.iri('software', 'dials')}>"
    v1 = f"<{store.minter.minted('software-version', 'dials@3.17.0')}>"
    v2 = f"<{store.minter.minted('software-version', 'dials@3.18.0')}>"
    for body in [
        f"{sw} a pankg:Software ; schema:name 'DIALS' ; dcterms:description 'Diffraction integration for advanced light sources'",
        f"{sw} dcterms:license <https://spdx.org/licenses/BSD-3-Clause> ; schema:codeRepository <https://github.com/dials/dials>",
        f"{sw} schema:url <https://dials.github.io> ; pankg:doi <https://doi.org/10.5281/zenodo.4008765>",
        f"{sw} schema:identifier 'swh:1:dir:0000000000000000000000000000000000000001' ;"
        " schema:archivedAt <https://archive.softwareheritage.org/swh:1:dir:0000000000000000000000000000000000000001>",
        f"{sw} schema:keywords 'crystallography', 'integration'",
        f"{sw} pankg:technique panet:PaNET01022, panet:PaNET01188 ; pankg:techniqueName 'small angle x-ray scattering'",
        f"{sw} pankg:facility <{ESRF}>, <https://ror.org/01wv9cn34>",
        f"{sw} dcterms:hasVersion {v1}, {v2} . {v1} a pankg:SoftwareVersion, prov:Plan ; dcterms:isVersionOf {sw} ;"
        " schema:softwareVersion '3.17.0' ; pankg:doi <https://doi.org/10.5281/zenodo.10000001> ;"
        " schema:datePublished '2023-11-01'^^xsd:date ;"
        " schema:identifier 'swh:1:rel:0000000000000000000000000000000000000002'",
        f"{v2} schema:softwareVersion '3.18.0'",
        f"<{store.minter.iri('software', 'PyMca')}> pankg:facility <{ESRF}> ; dcterms:license <https://spdx.org/licenses/MIT>",
    ]:
        assert ask(store, body), body


def test_the_catalogue_and_codemeta_meet_on_one_software_node(tmp_path: Path, store: GraphStore) -> None:
    load_catalogue(store, write_text(tmp_path / "software.yaml", CATALOGUE))
    (tmp_path / "codemeta.json").write_text('{"name": "DIALS", "identifier": "dials", "version": "3.17.0"}')
    for source in LOADERS["codemeta"]([str(tmp_path / "codemeta.json")]):
        load(store, source, as_of=TODAY)
    _, rows = store.query(P + "SELECT DISTINCT ?v WHERE { ?s schema:name 'DIALS' ; dcterms:hasVersion ?v }")
    assert len(list(rows)) == 2


def test_reloading_changes_nothing(tmp_path: Path, store: GraphStore) -> None:
    path = write_text(tmp_path / "software.yaml", CATALOGUE)
    (first,) = load_catalogue(store, path)
    count = store.count()
    (again,) = load_catalogue(store, path)
    assert first.changed and not again.changed and store.count() == count


@pytest.mark.parametrize("entry,record,field", [
    ("  - description: no name", "#2", "name"),
    ("  - name: X\n    versions: [3.10]", "X", "versions[1]"),
    ("  - name: X\n    versions: [{date: 2020-01-01}]", "X", "versions[1].version"),
    ("  - name: X\n    versions: [{version: '1', date: yesterday}]", "X", "versions[1].date"),
    ("  - name: X\n    doi: not-a-doi", "X", "doi"),
    ("  - name: X\n    swhid: abc", "X", "swhid"),
    ("  - name: X\n    licence: MIT License", "X", "licence"),
    ("  - name: X\n    facilities: [https://ror.org/nope]", "X", "facilities[1]"),
    ("  - name: X\n    techniques: SAXS", "X", "techniques"),
    ("  - name: X\n    colour: blue", "X", "colour"),
])
def test_a_bad_entry_fails_its_file_strictly_and_is_skipped_leniently(
    tmp_path: Path, store: GraphStore, entry: str, record: str, field: str
) -> None:
    path = write_text(tmp_path / "software.yaml", "software:\n  - name: Good\n" + entry + "\n")
    empty = data_triples(store)
    with pytest.raises(RecordInvalid) as caught:
        load_catalogue(store, path)
    assert (caught.value.file, caught.value.record, caught.value.field) == (str(path), record, field)
    assert data_triples(store) == empty
    (report,) = load_catalogue(store, path, lenient=True)
    assert report.entities["Software"] == 1 and len(report.skipped) == 1


@pytest.mark.parametrize("text", ["software: [name: x", "software: {name: x}", "just text"])
def test_malformed_yaml_or_a_wrong_shape_loads_nothing(tmp_path: Path, store: GraphStore, text: str) -> None:
    path = write_text(tmp_path / "software.yaml", text)
    for lenient in (False, True):
        with pytest.raises(RecordInvalid) as caught:
            load_catalogue(store, path, lenient=lenient)
        assert caught.value.file == str(path)


def test_the_documented_example_loads(tmp_path: Path, store: GraphStore) -> None:
    doc = (ROOT / "docs/mapping-software.md").read_text()
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    (report,) = load_catalogue(store, write_text(tmp_path / "doc.yaml", example))
    assert report.entities["Software"] >= 1 and report.entities["SoftwareVersion"] >= 1
