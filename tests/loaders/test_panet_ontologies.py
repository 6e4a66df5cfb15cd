"""The PaNET loader on small ontologies written by the tests: mapping, closure, reasoning, bad input."""

from __future__ import annotations

import doctest
from pathlib import Path

import owlready2
import pytest
from typer.testing import CliRunner

from graph.errors import LoaderError, RecordInvalid, SourceUnavailable
from graph.store.embedded import GraphStore
from loaders import LOADERS, panet, panet_map, panet_read, panet_reason
from loaders.base import LoadOptions, load
from pankg.cli import app
from tests.loaders.panet_files import DEFINED_ONLY, MINI, PANKG, PREFIXES, P, below, load_panet, values, write

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DATASETS = PREFIXES + """
@prefix pankg: <https://w3id.org/pankg/ontology#> .
<https://example.org/ds/gisaxs> pankg:technique panet:PaNET01162 .
<https://example.org/ds/diffraction> pankg:technique panet:PaNET01023 .
"""


def test_each_class_becomes_a_technique_with_its_annotations(tmp_path: Path, store: GraphStore) -> None:
    report = load_panet(store, write(tmp_path / "mini.ttl", MINI))
    assert report.entities == {"Technique": 7, "Ontology": 1} and report.warnings == []
    _, rows = store.query(f"SELECT ?t WHERE {{ ?t a <{PANKG}Technique> }}")
    assert len(rows) == 7  # the foreign class ex:Diffraction is a parent, not a technique
    assert values(store, "PaNET01188", SKOS + "altLabel") == {"SAXS"}
    assert values(store, "PaNET01188", SKOS + "definition") == {"Scattering of x-rays at small angles."}
    assert values(store, "PaNET01188", "http://purl.obolibrary.org/obo/IAO_0000119") == {
        "https://en.wikipedia.org/wiki/Small-angle_X-ray_scattering"
    }
    assert values(store, "PaNET01188", RDFS + "subClassOf") == {P + "PaNET01124", P + "PaNET01012"}
    assert values(store, "PaNET01162", RDFS + "label") == {"grazing incidence small angle x-ray scattering", "GISAXS (fr)"}
    assert values(store, "PaNET01188", RDFS + "isDefinedBy") == {P + "PaNET.owl"}
    _, rows = store.query(f"SELECT ?v WHERE {{ <{P}PaNET.owl> <http://www.w3.org/2002/07/owl#versionInfo> ?v }}")
    assert [r[0].value for r in rows] == ["9.9.9-test"]


def test_the_closure_is_reflexive_transitive_and_follows_named_equivalence(tmp_path: Path, store: GraphStore) -> None:
    load_panet(store, write(tmp_path / "mini.ttl", MINI))
    assert below(store, "PaNET01188") == {"PaNET01188", "PaNET01162"}
    assert below(store, "PaNET01012") == {"PaNET01012", "PaNET01188", "PaNET01162"}
    assert below(store, "PaNET01022") == {"PaNET01022", "PaNET01023"}  # through ex:Diffraction
    assert len(below(store, "PaNET00001")) == 7


def test_a_dataset_is_found_under_every_ancestor_of_its_technique(tmp_path: Path, store: GraphStore) -> None:
    load_panet(store, write(tmp_path / "mini.ttl", MINI))
    (source,) = LOADERS["rdf"]([str(write(tmp_path / "datasets.ttl", DATASETS))])
    load(store, source)

    def found(technique: str) -> set[str]:
        query = f"SELECT ?d WHERE {{ ?d <{PANKG}technique> ?t . ?t <{PANKG}subTechniqueOf> <{P}{technique}> }}"
        return {row[0].value.rsplit("/", 1)[1] for row in store.query(query)[1]}

    assert found("PaNET01124") == found("PaNET01012") == {"gisaxs"}
    assert found("PaNET00001") == {"gisaxs", "diffraction"}
    assert found("PaNET01022") == {"diffraction"}


def test_imports_are_not_followed_but_said(tmp_path: Path, store: GraphStore) -> None:
    importing = MINI.replace('owl:versionInfo "9.9.9-test" ;', 'owl:versionInfo "9.9.9-test" ; owl:imports <http://127.0.0.1:9/x.owl> ;')
    (warning,) = load_panet(store, write(tmp_path / "importing.ttl", importing)).warnings
    assert "owl:imports http://127.0.0.1:9/x.owl not followed" in str(warning)
    assert len(below(store, "PaNET00001")) == 7


def test_a_reload_replaces_the_one_panet_of_the_store(tmp_path: Path, store: GraphStore) -> None:
    load_panet(store, write(tmp_path / "old.ttl", MINI))
    newer = MINI.replace('"9.9.9-test"', '"10.0.0"').replace('"small angle x-ray scattering"', '"SAXS technique"')
    newer = newer.replace("panet:PaNET01162 a owl:Class ; rdfs:subClassOf panet:PaNET01188 ;",
                          "panet:PaNET01162 a owl:Class ; rdfs:subClassOf panet:PaNET01124 ;")
    report = load_panet(store, write(tmp_path / "elsewhere.ttl", newer))
    assert report.changed
    assert [s.kind for s in store.sources.values()] == ["panet"]
    assert values(store, "PaNET01188", RDFS + "label") == {"SAXS technique"}
    assert below(store, "PaNET01188") == {"PaNET01188"}
    _, rows = store.query("SELECT ?v WHERE { ?o <http://www.w3.org/2002/07/owl#versionInfo> ?v }")
    assert [r[0].value for r in rows] == ["10.0.0"]
    assert not load_panet(store, tmp_path / "elsewhere.ttl").changed


BAD = {
    "broken.owl": (
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns:owl='http://www.w3.org/2002/07/owl#'>\n"
        "<owl:Class rdf:about='http://purl.org/pan-science/PaNET/PaNET00001'>\n</rdf:RDF>\n",
        "not valid RDF/XML",
    ),
    "empty.ttl": (PREFIXES + "ex:a rdfs:label 'no classes here' .", "no OWL classes"),
    "other.ttl": (
        PREFIXES + "ex:Root a owl:Class . ex:Child a owl:Class ; rdfs:subClassOf ex:Root .",
        "none of its classes \\(2\\) is a PaNET technique",
    ),
    "rootless.ttl": (PREFIXES + "panet:PaNET01188 a owl:Class .", "not the root http://purl.org/pan-science/PaNET/PaNET00001"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_names_the_file_and_changes_nothing(name: str, tmp_path: Path, store: GraphStore) -> None:
    load_panet(store, write(tmp_path / "mini.ttl", MINI))
    count, sources = store.count(), store.sources
    text, message = BAD[name]
    bad = write(tmp_path / name, text)
    with pytest.raises(RecordInvalid, match=f"file {bad}: .*{message}"):
        load_panet(store, bad)
    assert store.count() == count and store.sources == sources
    assert values(store, "PaNET01188", RDFS + "label") == {"small angle x-ray scattering"}


def test_what_sources_refuses_before_anything_is_written(tmp_path: Path) -> None:
    mini = write(tmp_path / "mini.ttl", MINI)
    with pytest.raises(LoaderError, match="one file or URL"):
        panet.sources([str(mini), str(mini)])
    with pytest.raises(SourceUnavailable, match="a directory"):
        panet.sources([str(tmp_path)])
    with pytest.raises(SourceUnavailable, match="no such file"):
        panet.sources([str(tmp_path / "missing.owl")])
    with pytest.raises(SourceUnavailable, match="a ROBOT template, not OWL"):
        panet.sources([str(write(tmp_path / "PaNET.csv", "ID,Label\n"))])
    with pytest.raises(SourceUnavailable, match="unknown file type '.txt'"):
        panet.sources([str(write(tmp_path / "PaNET.txt", "x"))])
    with pytest.raises(LoaderError, match="PANKG_PANET_REASON must be one of auto, always, never, not 'sometimes'"):
        panet.sources([str(mini)], LoadOptions(panet_reason="sometimes"))


def test_hermit_places_the_classes_that_are_only_defined(tmp_path: Path, store: GraphStore) -> None:
    report = load_panet(store, write(tmp_path / "defined.ttl", DEFINED_ONLY))
    assert report.warnings == []
    assert values(store, "PaNET01188", RDFS + "subClassOf") == {P + "PaNET01012", P + "PaNET01124"}
    assert below(store, "PaNET01188") == {"PaNET01188", "PaNET01162"}  # GISAXS classified under SAXS
    assert "PaNET01188" in below(store, "PaNET00001")


def hide_java(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, how: str) -> None:
    if how == "PATH":
        monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no java on it
    else:
        monkeypatch.setattr(owlready2, "JAVA_EXE", str(tmp_path / "no-such-java"))


@pytest.mark.parametrize("how", ["PATH", "JAVA_EXE"])
def test_without_java_reasoning_is_skipped_and_said(how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = GraphStore()
    hide_java(monkeypatch, tmp_path, how)
    report = load_panet(store, write(tmp_path / "defined.ttl", DEFINED_ONLY))
    (warning,) = report.warnings
    assert "HermiT reasoning skipped: Java not found" in str(warning) and "lack the parents their definitions imply: 1" in str(warning)
    assert warning.file.endswith("defined.ttl")
    assert below(store, "PaNET01188") == {"PaNET01188"} and "PaNET01188" not in below(store, "PaNET00001")
    monkeypatch.undo()  # Java is back: the same file loads again, reasoned this time
    assert load_panet(store, tmp_path / "defined.ttl").changed
    assert below(store, "PaNET01188") == {"PaNET01188", "PaNET01162"}


def test_reasoning_modes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = GraphStore()
    never = LoadOptions(panet_reason="never")
    assert load_panet(store, write(tmp_path / "defined.ttl", DEFINED_ONLY), options=never).warnings == []
    assert below(store, "PaNET01188") == {"PaNET01188"}
    hide_java(monkeypatch, tmp_path, "PATH")
    always = LoadOptions(panet_reason="always")
    (warning,) = load_panet(store, write(tmp_path / "mini.ttl", MINI), options=always).warnings
    assert "Java not found" in str(warning) and "lack the parents" not in str(warning)


def test_the_reasoning_mode_comes_from_the_environment_through_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``PANKG_PANET_REASON`` reaches the loader through ``pankg``'s settings (the loader reads no environment)."""
    data, defined = str(tmp_path / "kg"), str(write(tmp_path / "defined.ttl", DEFINED_ONLY))
    hide_java(monkeypatch, tmp_path, "JAVA_EXE")
    monkeypatch.setenv("PANKG_PANET_REASON", "never")
    result = CliRunner().invoke(app, ["load", "panet", defined, "--data", data])
    assert result.exit_code == 0, result.output
    assert "Java not found" not in result.output  # never: HermiT is not even looked for
    monkeypatch.setenv("PANKG_PANET_REASON", "always")
    result = CliRunner().invoke(app, ["load", "panet", defined, "--data", data])
    assert result.exit_code == 0 and "Java not found" in result.output, result.output
    monkeypatch.setenv("PANKG_PANET_REASON", "sometimes")
    result = CliRunner().invoke(app, ["load", "panet", defined, "--data", data])
    assert result.exit_code == 1 and "PANKG_PANET_REASON must be one of auto, always, never" in result.output


def test_the_command_line_loads_panet_and_prints_the_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "kg"
    result = CliRunner().invoke(app, ["load", "panet", str(write(tmp_path / "mini.ttl", MINI)), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert f"loaded {panet.LOCATION}: 1 Ontology, 7 Technique" in result.output
    hide_java(monkeypatch, tmp_path, "JAVA_EXE")
    defined = str(write(tmp_path / "defined.ttl", DEFINED_ONLY))
    result = CliRunner().invoke(app, ["load", "panet", defined, "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "Java not found" in result.output
    result = CliRunner().invoke(app, ["load", "panet", str(tmp_path / "nope.owl"), "--data", str(data)])
    assert result.exit_code == 1 and "no such file" in result.output


@pytest.mark.parametrize("module", [panet_read, panet_map, panet_reason])
def test_the_examples_in_the_docstrings_run(module: object) -> None:
    failures, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert tried and not failures
