"""Nothing to load is an error, not an empty source (issue 12): a 0-byte file of every loader kind, a folder
without a file of the kind, and a folder's files that its loader does not read (CodeMeta's context file)."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

from loaders import codemeta
from tests.loaders.cli_store import everything, pankg, refused, seeded_store

# kind -> file names an empty file of that kind may have.
EMPTY_FILES = {
    "scicat": ["Dataset.json", "OrigDatablock.json"],
    "icat": ["dump.yaml", "dump.xml"],
    "panosc": ["db.json"],
    "datacite": ["record.xml", "record.json"],
    "codemeta": ["codemeta.json"],
    "crossref": ["work.json"],
    "software": ["catalogue.yaml"],
    "nexus": ["scan.nxs"],
    "rdf": ["a.ttl", "a.nt", "a.rdf", "a.owl", "a.jsonld", "a.nq", "a.trig"],
    "panet": ["PaNET.owl"],
}


@pytest.mark.parametrize("kind,name", [(k, n) for k, names in EMPTY_FILES.items() for n in names])
def test_an_empty_file_is_an_error_naming_it(tmp_path: Path, kind: str, name: str) -> None:
    data = seeded_store(tmp_path)
    before = everything(data)
    path = tmp_path / name
    path.write_bytes(b"")
    refused(pankg("load", kind, path, "--data", data), str(path))
    assert everything(data) == before


@pytest.mark.parametrize("kind,name,text,message", [
    ("icat", "dump.yaml", "---\n# a dump cut to nothing\n", "no ICAT objects in it"),
    ("icat", "dump.xml", "<icatdata><head/></icatdata>", "no ICAT objects in it"),
    ("crossref", "works.json", "[]", "no works in it"),
    ("datacite", "records.json", '{"data": []}', "no DataCite records in it"),
    ("software", "catalogue.yaml", "software: []\n", "no software in it"),
    ("codemeta", "codemeta.json", "[]", "not a CodeMeta document: no records in it"),
    ("scicat", "Dataset.json", "[]", "no dataset records in it"),
    ("scicat", "PublishedData.json", " [ ] ", "no publisheddata records in it"),
])
def test_a_file_without_records_is_an_error(tmp_path: Path, kind: str, name: str, text: str, message: str) -> None:
    data = seeded_store(tmp_path)
    before = everything(data)
    path = tmp_path / name
    path.write_text(text)
    refused(pankg("load", kind, path, "--data", data), f"file {path}", message)
    assert everything(data) == before


@pytest.mark.parametrize("kind,message", [
    ("codemeta", "no CodeMeta files (codemeta.json, *codemeta.json) under"),
    ("crossref", "no Crossref files (*.json) under"),
    ("datacite", "no DataCite files (*.json, *.xml) under"),
    ("icat", "no ICAT dump files (*.xml, *.yaml, *.yml) directly in"),
    ("nexus", "no NeXus files (*.h5, *.hdf5, *.nx5, *.nxs) under"),
    ("panosc", "no PaNOSC files (*.json) directly in"),
    ("rdf", "no RDF files (*.jsonld, *.nq, *.nt, *.owl, *.rdf, *.trig, *.ttl, *.xml) under"),
    ("software", "no software catalogue files (*.yaml, *.yml) under"),
    ("scicat", "no SciCat collection files (Dataset*.json, Instrument*.json, Job*.json, OrigDatablock*.json, "
               "Proposal*.json, PublishedData*.json, Sample*.json) directly in"),
])
def test_a_folder_without_files_of_the_kind_is_an_error(tmp_path: Path, kind: str, message: str) -> None:
    data = seeded_store(tmp_path)
    before = everything(data)
    folder = tmp_path / "incoming"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_text("not data")
    if kind == "scicat":  # JSON, but no collection file: SciCat's users are no catalogue content
        (folder / "User.json").write_text("[]")
    result = pankg("load", kind, folder, "--data", data)
    refused(result, f"{message} {folder}")
    assert everything(data) == before


CODEMETA = {"@context": "https://w3id.org/codemeta/3.0", "@type": "SoftwareSourceCode", "name": "DIALS",
            "identifier": "dials", "version": "3.17.0"}
CONTEXT = {"@context": {"schema": "http://schema.org/", "name": {"@id": "schema:name"}}}


def test_a_codemeta_folder_takes_the_codemeta_files_and_names_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    (folder / "pymca").mkdir(parents=True)
    (folder / "codemeta.json").write_text(json.dumps(CODEMETA))
    (folder / "pymca" / "pymca.codemeta.json").write_text(json.dumps({**CODEMETA, "name": "PyMCA",
                                                                      "identifier": "pymca"}))
    (folder / "codemeta.jsonld").write_text(json.dumps(CONTEXT))  # CodeMeta's own context file, by that name
    (folder / "package.json").write_text(json.dumps({"name": "not-software-metadata", "version": "1.0.0"}))
    data = tmp_path / "kg"
    result = pankg("load", "codemeta", folder, "--data", data)
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    for name in ("codemeta.json", "pymca/pymca.codemeta.json"):
        assert f"loaded {folder / name}: " in output
    for name in ("codemeta.jsonld", "package.json"):
        assert f"skipped {folder / name}: not a CodeMeta file name (codemeta.json, *codemeta.json)" in output
    again = pankg("load", "codemeta", folder, "--data", data)  # unchanged: the skipped files are named again
    assert again.exit_code == 0 and "skipped" in again.output and "unchanged" in again.output


def test_a_file_given_by_name_that_is_not_codemeta_is_an_error(tmp_path: Path) -> None:
    data = seeded_store(tmp_path)
    before = everything(data)
    context = tmp_path / "codemeta-context.jsonld"
    context.write_text(json.dumps(CONTEXT))
    refused(pankg("load", "codemeta", context, "--data", data),
            f"file {context}: not a CodeMeta document: it holds only a JSON-LD @context")
    number = tmp_path / "codemeta.json"
    number.write_text("42")
    refused(pankg("load", "codemeta", number, "--data", data), f"file {number}: not a CodeMeta document: it holds a JSON int")
    assert everything(data) == before


def test_the_reference_codemeta_folder_loads_its_example_and_skips_the_context(tmp_path: Path, shared: Path) -> None:
    folder = (shared / "reference" / "software-catalogue" / "codemeta").resolve()  # the report names real paths
    result = pankg("load", "codemeta", folder, "--data", tmp_path / "kg")
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert f"loaded {folder / 'example-codemeta.json'}: " in output and "1 Software" in output
    assert f"skipped {folder / 'codemeta-context.jsonld'}: not a CodeMeta file name" in output


def test_the_codemeta_docstring_examples_run() -> None:
    result = doctest.testmod(codemeta)
    assert result.attempted > 0 and result.failed == 0
