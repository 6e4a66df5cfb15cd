"""Catalogue technique names resolved against the PaNET in the store while loading, with the words kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graph.store.embedded import GraphStore
from graph.techniques.vocabulary import technique_names
from loaders import scicat
from loaders.base import load
from pankg.cli import app
from tests.helpers import TODAY
from tests.loaders.panet_files import MINI, PANKG, P, load_panet, write

NEWER = "reference/panet/PaNET-1.3.0-48-g7011e6b.owl"


def catalogue(folder: Path, techniques: list[dict[str, Any]]) -> Path:
    records = [
        {"_id": f"ds{n}", "type": "raw", "datasetName": f"scan {n}", "owner": "Ada", "isPublished": True,
         "techniques": [t]}
        for n, t in enumerate(techniques)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    return write(folder / "Dataset.json", json.dumps(records))


def load_catalogue(store: GraphStore, path: Path, **options: Any):  # type: ignore[no-untyped-def]
    (source,) = scicat.sources([str(path)])
    return load(store, source, as_of=TODAY, **options)


def techniques_of(store: GraphStore, pid: str) -> tuple[set[str], set[str]]:
    """(technique IRIs, technique names kept) of dataset ``pid``."""
    ds = store.minter.iri("dataset", pid)
    _, rows = store.query(f"SELECT ?t WHERE {{ <{ds}> <{PANKG}technique> ?t }}")
    _, names = store.query(f"SELECT ?n WHERE {{ <{ds}> <{PANKG}techniqueName> ?n }}")
    return {r[0].value for r in rows}, {r[0].value for r in names}


def test_names_resolve_against_the_loaded_ontology_and_keep_their_words(tmp_path: Path, store: GraphStore) -> None:
    load_panet(store, write(tmp_path / "mini.ttl", MINI))
    path = catalogue(
        tmp_path / "c",
        [
            {"name": "SAXS"},
            {"name": "photon_and_neutron_technique.small_angle_scattering"},  # SciCat's class path: its last step
            {"name": "Small angle X-ray scatering"},  # a typo
            {"name": "spin echo"},
            {"pid": "PaNET01188", "name": "SAXS with the pid"},
            {"pid": "PaNET09999", "name": "not in PaNET"},
        ],
    )
    report = load_catalogue(store, path)
    assert techniques_of(store, "ds0") == ({P + "PaNET01188"}, {"SAXS"})
    assert techniques_of(store, "ds1") == ({P + "PaNET01124"}, {"small angle scattering"})
    assert techniques_of(store, "ds2") == ({P + "PaNET01188"}, {"Small angle X-ray scatering"})
    assert techniques_of(store, "ds3") == ({store.minter.iri("technique", "spin echo")}, {"spin echo"})
    assert techniques_of(store, "ds4") == ({P + "PaNET01188"}, set())
    assert techniques_of(store, "ds5") == ({P + "PaNET09999"}, set())  # kept, and flagged below
    problems = sorted(str(w) for w in report.warnings if w.field == "technique")
    assert problems == [
        f"file {path}, field technique: technique {P}PaNET09999 is not in the loaded technique ontology; kept",
        f"file {path}, field technique: technique name 'spin echo' matches no known technique; kept as a name",
    ]
    # A resolved name does not relabel the PaNET term (a record giving the IRI and a name does).
    _, labels = store.query(f"SELECT ?l WHERE {{ <{P}PaNET01188> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}")
    assert {r[0].value for r in labels} == {"small angle x-ray scattering", "SAXS with the pid"}


def test_a_resolved_name_is_found_by_searching_its_ancestors(tmp_path: Path, store: GraphStore) -> None:
    load_panet(store, write(tmp_path / "mini.ttl", MINI))
    load_catalogue(store, catalogue(tmp_path / "c", [{"name": "SAXS"}, {"name": "diffraction"}]))
    _, rows = store.query(
        f"SELECT ?d WHERE {{ ?d <{PANKG}technique> ?t . ?t <{PANKG}subTechniqueOf> <{P}PaNET01124> }}"
    )
    assert [r[0].value for r in rows] == [store.minter.iri("dataset", "ds0")]


def test_a_catalogue_loaded_before_the_ontology_resolves_on_the_next_load(tmp_path: Path, store: GraphStore) -> None:
    path = catalogue(tmp_path / "c", [{"name": "SAXS"}])
    first = load_catalogue(store, path)
    assert first.warnings == []  # no ontology yet: nothing to judge names against
    assert techniques_of(store, "ds0")[0] == {store.minter.iri("technique", "SAXS")}
    assert not load_catalogue(store, path).changed
    load_panet(store, write(tmp_path / "mini.ttl", MINI))
    assert load_catalogue(store, path).changed  # the vocabulary changed: names are resolved again
    assert techniques_of(store, "ds0")[0] == {P + "PaNET01188"}
    assert not load_catalogue(store, path).changed


def test_resolution_can_be_turned_off(tmp_path: Path, store: GraphStore) -> None:
    load_panet(store, write(tmp_path / "mini.ttl", MINI))
    load_catalogue(store, catalogue(tmp_path / "c", [{"name": "SAXS"}]), techniques=None)
    assert techniques_of(store, "ds0")[0] == {store.minter.iri("technique", "SAXS")}


def test_the_vocabulary_prefers_techniques_over_namesakes_outside_the_technique_root(
    tmp_path: Path, store: GraphStore
) -> None:
    specifier = MINI + """
panet:PaNET2020018 a owl:Class ; rdfs:label "diffraction" .
"""
    load_panet(store, write(tmp_path / "mini.ttl", specifier))
    names = technique_names(store)
    assert names is not None and names.resolve("diffraction").iri == P + "PaNET01022"


def test_real_panet_resolves_the_names_catalogues_use(shared: Path, tmp_path: Path, store: GraphStore) -> None:
    load_panet(store, shared / NEWER)
    names = technique_names(store)
    assert names is not None
    expected = {
        "SAXS": "PaNET01188",
        "x-ray diffraction": "PaNET01216",
        "XRD": "PaNET01216",
        "Small angle X-ray scattering": "PaNET01188",
        "small-angle neutron scattering": "PaNET01189",
        "GISAXS": "PaNET01162",
        "x-ray tomography": "PaNET01207",
        "diffraction": "PaNET01022",  # PaNET2020018 "diffraction" is a specifier, not a technique
        "macromolecular crystallography": "PaNET01164",
    }
    assert {text: names.resolve(text).iri for text in expected} == {t: P + i for t, i in expected.items()}
    assert names.resolve("muon spin rotation imaging of cheese").iri is None


def test_the_cli_pins_a_facility_s_own_names(tmp_path: Path) -> None:
    runner = CliRunner()
    data = str(tmp_path / "store")
    mini = write(tmp_path / "mini.ttl", MINI)
    assert runner.invoke(app, ["load", "panet", str(mini), "--data", data]).exit_code == 0
    pins = write(tmp_path / "names.yaml", f"'BioSAXS P12': {P}PaNET01188\n")
    path = catalogue(tmp_path / "c", [{"name": "BioSAXS P12"}])
    result = runner.invoke(app, ["load", "scicat", str(path), "--data", data, "--technique-names", str(pins)])
    assert result.exit_code == 0, result.output
    with GraphStore(data) as store:
        assert techniques_of(store, "ds0") == ({P + "PaNET01188"}, {"BioSAXS P12"})
    bad = write(tmp_path / "bad.yaml", "SAXS: not an IRI\n")
    result = runner.invoke(app, ["load", "scicat", str(path), "--data", data, "--technique-names", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: name 'SAXS': expected an IRI, got 'not an IRI'" in result.output


@pytest.mark.parametrize("text", ["- SAXS\n", "SAXS: [1, 2\n"])
def test_a_broken_pinned_names_file_is_an_error_naming_it(tmp_path: Path, text: str) -> None:
    from graph.errors import LoaderError
    from graph.techniques.vocabulary import read_pinned

    with pytest.raises(LoaderError, match=str(tmp_path / "names.yaml")):
        read_pinned(write(tmp_path / "names.yaml", text))
