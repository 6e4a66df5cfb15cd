"""The report on the shared reference catalogues (SciCat live seed, ICAT example data), checked by hand.

Every PID below was read in the JSON or YAML of ../shared/reference/catalogues; the comment next to each
finding says what in the record makes it so.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from graph.quality.report import QualityReport, validate
from graph.store.embedded import GraphStore
from loaders import LOADERS
from loaders.base import load
from tests.helpers import TODAY

DATASET = "https://w3id.org/pankg/id/dataset/PID.SAMPLE.PREFIX%2F"
SCICAT_PIDS = [
    "desy_ds1", "desy_ds2", "desy_ds3", "dls_ds1", "dls_ds2", "hzdr_ds1", "maxiv_ds1", "maxiv_ds2", "psi_ds1",
    "psi_ds2", "psi_ds3", "soleil_ds1", "soleil_ds2", "ukri_ds1", "ukri_ds2", "ukri_ds3", "ukri_ds4", "ukri_ds5",
    "ukri_ds6",
]


@pytest.fixture
def catalogues(shared: Path) -> Path:
    return shared / "reference" / "catalogues"


@pytest.fixture
def report(catalogues: Path) -> QualityReport:
    return _report(catalogues)


@lru_cache(maxsize=1)
def _report(catalogues: Path) -> QualityReport:
    """The SciCat live seed and the ICAT example dumps in one store, validated once for all the tests."""
    store = GraphStore()
    for kind, folder in (("scicat", "scicatlive"), ("icat", "icat")):
        for source in LOADERS[kind]([str(catalogues / folder)]):
            load(store, source, as_of=TODAY)
    return validate(store, examples=1000)


def scicat(report: QualityReport, kind: str) -> set[str]:
    """The SciCat datasets among the entities of one finding, by PID."""
    finding = next((f for f in report.findings if f.kind.id == kind), None)
    return {x.removeprefix(DATASET) for x in finding.examples if x.startswith(DATASET)} if finding else set()


def test_the_reading_of_the_json_holds(catalogues: Path) -> None:
    records = json.loads((catalogues / "scicatlive" / "Dataset.json").read_text())
    assert [r["_id"].removeprefix("PID.SAMPLE.PREFIX/") for r in records] == SCICAT_PIDS
    assert {r["license"] for r in records} == {""}
    assert [r["_id"] for r in records if r.get("proposalId")] == ["PID.SAMPLE.PREFIX/psi_ds3"]


def test_scicat_datasets_without_licence_or_proposal(report: QualityReport) -> None:
    assert scicat(report, "dataset-licence") == set(SCICAT_PIDS)  # every record has "license": ""
    # only psi_ds3 has a proposalId (psi_proposal1)
    assert scicat(report, "dataset-proposal") == set(SCICAT_PIDS) - {"psi_ds3"}
    assert scicat(report, "dataset-technique") == set()  # every record lists a PaNET technique


def test_scicat_raw_datasets_without_instrument_or_doi(report: QualityReport) -> None:
    # soleil_ds2 is the one raw record without an instrumentId
    assert scicat(report, "raw-instrument") == {"soleil_ds2"}
    # public raw records that no PublishedData pidArray lists (desy_ds1-3, psi_ds3 and ukri_ds5 are listed)
    assert scicat(report, "public-raw-doi") == {"soleil_ds2", "ukri_ds2"}


def test_scicat_derived_datasets_without_a_principal_investigator(report: QualityReport) -> None:
    # the seven raw records name a principalInvestigator; none of the twelve derived ones does, and none
    # of those has a proposalId whose proposal could name one
    assert scicat(report, "dataset-pi") == {
        "dls_ds1", "dls_ds2", "hzdr_ds1", "maxiv_ds1", "maxiv_ds2", "psi_ds1", "psi_ds2", "soleil_ds1", "ukri_ds1",
        "ukri_ds3", "ukri_ds4", "ukri_ds6",
    }


def test_a_doi_that_covers_a_dataset_nobody_loaded(report: QualityReport) -> None:
    # PublishedData dls_pub1 lists "PID.SAMPLE.PREFIX/dsl_ds1" (sic: dsl, not dls) in its pidArray
    finding = next(f for f in report.findings if f.kind.id == "doi-parts-unknown")
    assert finding.examples == ("https://doi.org/10.9999/dls_pub1",)


def test_icat_two_parameters_of_one_name_are_two_nodes(report: QualityReport, catalogues: Path) -> None:
    # example_data.yaml: dataset e208945 records "Sample temperature" twice, in C and in K (parameter types
    # sample_temperature_c and sample_temperature_k share the name). They were once one node with two values
    # (two violations); now the second is "Sample temperature~2" and the reference catalogues break no shape.
    store = GraphStore()
    for source in LOADERS["icat"]([str(catalogues / "icat")]):
        load(store, source, as_of=TODAY)
    node = (
        "https://w3id.org/pankg/id/parameter/"
        "dataset:ESNF%2Finvestigation%2F12100409-ST%2F1.1-P%2Fe208945%23Sample%20temperature"
    )
    _, rows = store.query(
        "SELECT ?p ?unit WHERE { ?p <https://w3id.org/pankg/ontology#unit> ?unit . "
        f"FILTER(STRSTARTS(STR(?p), \"{node}\")) }}"
    )
    assert sorted((p.value.removeprefix(node), u.value) for p, u in rows) in (
        [("", "C"), ("~2", "K")],
        [("", "K"), ("~2", "C")],
    )
    assert report.violations == 0
