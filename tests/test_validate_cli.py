"""``pankg validate``: the report for people and as JSON, its exit status, and ``--source``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.store.embedded import GraphStore
from pankg.cli import app
from tests.graph.test_quality import BROKEN

runner = CliRunner()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo (with its known gaps but no violation) and a hand-written Turtle file that breaks the model."""
    data = tmp_path_factory.mktemp("validate") / "kg"
    assert runner.invoke(app, ["demo", "--datasets", "80", "--seed", "5", "--data", str(data)]).exit_code == 0
    return data


@pytest.fixture(scope="module")
def broken_file(store_dir: Path) -> Path:
    path = store_dir.parent / "broken.ttl"
    path.write_text(BROKEN)
    result = runner.invoke(app, ["load", "rdf", str(path), "--data", str(store_dir)])
    assert result.exit_code == 0, result.output
    return path


def test_the_demo_alone_has_warnings_but_no_violation(tmp_path: Path) -> None:
    data = str(tmp_path / "kg")
    assert runner.invoke(app, ["demo", "--datasets", "60", "--seed", "5", "--data", data]).exit_code == 0
    result = runner.invoke(app, ["validate", "--data", data], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Data quality of all graphs" in result.output
    # the demo's software DOIs name no creator, whatever the day (which datasets are public depends on it)
    assert "Warning 17 DOI records without creators (doi-creators)" in result.output
    assert "what to do: DataCite requires creators" in result.output
    assert "no violations (exit status 0)" in result.output


def test_json_output_and_exit_status_1_on_violations(store_dir: Path, broken_file: Path) -> None:
    result = runner.invoke(app, ["validate", "--json", "--examples", "2", "--data", str(store_dir)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert set(report) == {"scope", "conforms", "totals", "entities", "checked", "skipped_blank_nodes", "seconds", "findings"}
    assert report["scope"] == {"label": "all graphs", "graphs": []} and report["conforms"] is False
    assert set(report["totals"]) == {"Violation", "Warning", "Info"} and report["totals"]["Violation"] == 5
    assert report["checked"]["Dataset"] == 81  # the demo's 80 and the hand-written one
    for finding in report["findings"]:
        assert set(finding) == {"id", "shape", "severity", "finding", "count", "examples", "message", "what_to_do"}
        assert finding["shape"].endswith("#" + finding["id"]) and 0 < len(finding["examples"]) <= 2
        assert len(finding["examples"]) == min(2, finding["count"])
    by_id = {f["id"]: f for f in report["findings"]}
    assert by_id["run-times"] == {
        "id": "run-times",
        "shape": "https://w3id.org/pankg/shapes#run-times",
        "severity": "Violation",
        "finding": "analysis runs that end before they start or have a malformed start time",
        "count": 1,
        "examples": ["https://example.org/run1"],
        "message": "A run has at most one prov:startedAtTime, an xsd:dateTime no later than its end.",
        "what_to_do": "Fix the times in the source.",
    }
    assert sum(f["count"] for f in report["findings"] if f["severity"] == "Warning") == report["totals"]["Warning"]


def test_the_text_report_lists_examples_and_says_why_it_fails(store_dir: Path, broken_file: Path) -> None:
    result = runner.invoke(app, ["validate", "--examples", "1", "--data", str(store_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "Violation 1 analysis runs that end before they start or have a malformed start time (run-times)" in result.output
    assert "<https://example.org/run1>" in result.output
    assert " more" in result.output  # a finding with more entities than listed says how many it left out
    assert "5 violations: the graph breaks the model (exit status 1)" in result.output


def test_source_restricts_the_report_to_one_file(store_dir: Path, broken_file: Path) -> None:
    result = runner.invoke(app, ["validate", "--json", "--source", f"rdf:{broken_file}", "--data", str(store_dir)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["scope"]["label"] == f"rdf:{broken_file}" and len(report["scope"]["graphs"]) == 1
    entities = {x for f in report["findings"] for x in f["examples"]}
    assert entities == {"https://example.org/" + x for x in ("ds1", "beamline", "run1", "energy")}
    demo = runner.invoke(app, ["validate", "--json", "--source", "demo:pankg:demo", "--data", str(store_dir)])
    assert demo.exit_code == 0 and json.loads(demo.output)["conforms"] is True


def test_an_unknown_source_is_one_line_and_status_1(store_dir: Path) -> None:
    result = runner.invoke(app, ["validate", "--source", "rdf:/no/such.ttl", "--data", str(store_dir)])
    assert result.exit_code == 1
    assert "error: no loaded source is 'rdf:/no/such.ttl'" in result.output and "Traceback" not in result.output


def test_an_empty_store_conforms(tmp_path: Path) -> None:
    GraphStore(tmp_path / "kg").close()  # an empty store (a path that holds none is refused)
    result = runner.invoke(app, ["validate", "--data", str(tmp_path / "kg")])
    assert result.exit_code == 0 and "no findings" in result.output
