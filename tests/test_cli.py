"""The pankg command line, run in-process with typer's CliRunner on real on-disk stores."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.store.embedded import GraphStore
from pankg.cli import app

runner = CliRunner()
DATASET_TITLES = (
    "SELECT ?title WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> ?title } "
    "ORDER BY ?title LIMIT 3"
)


def empty_store(path: Path) -> Path:
    """An empty store on disk: the commands that read refuse a directory that holds none."""
    GraphStore(path).close()
    return path


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    data = tmp_path / "kg"
    result = runner.invoke(app, ["demo", "--datasets", "120", "--seed", "5", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "loaded pankg:demo" in result.output and "Try next" in result.output
    return data


def test_demo_then_stats_as_json(demo_dir: Path) -> None:
    result = runner.invoke(app, ["stats", "--json", "--data", str(demo_dir)])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["entities"]["datasets"] == 120
    assert {g["access"] for g in stats["graphs"]} == {"public", "restricted"}
    assert stats["triples"] == sum(g["triples"] for g in stats["graphs"]) > 1000


def test_stats_table_sums_a_sources_restricted_graphs_in_one_row(demo_dir: Path) -> None:
    stats = json.loads(runner.invoke(app, ["stats", "--json", "--data", str(demo_dir)]).output)
    restricted = [g for g in stats["graphs"] if g["access"] == "restricted"]
    assert len(restricted) > 1  # one graph per proposal under embargo
    table = runner.invoke(app, ["stats", "--data", str(demo_dir)], env={"COLUMNS": "200"}).output
    rows = [line for line in table.splitlines() if "restricted" in line]
    assert len(rows) == 1
    cells = [c.strip() for c in rows[0].split("│") if c.strip()]
    assert cells[-2:] == [f"{len(restricted):,}", f"{sum(g['triples'] for g in restricted):,}"]


def test_the_same_demo_again_changes_nothing(demo_dir: Path) -> None:
    before = json.loads(runner.invoke(app, ["stats", "--json", "--data", str(demo_dir)]).output)
    again = runner.invoke(app, ["demo", "--datasets", "120", "--seed", "5", "--data", str(demo_dir)])
    assert again.exit_code == 0 and "unchanged" in again.output
    assert json.loads(runner.invoke(app, ["stats", "--json", "--data", str(demo_dir)]).output) == before


def test_data_directory_from_the_environment(demo_dir: Path) -> None:
    result = runner.invoke(app, ["stats", "--json"], env={"PANKG_DATA": str(demo_dir)})
    assert result.exit_code == 0 and json.loads(result.output)["entities"]["datasets"] == 120


def test_query_formats(demo_dir: Path, tmp_path: Path) -> None:
    as_json = runner.invoke(app, ["query", DATASET_TITLES, "--format", "json", "--data", str(demo_dir)])
    assert as_json.exit_code == 0, as_json.output
    bindings = json.loads(as_json.output)["results"]["bindings"]
    titles = [b["title"]["value"] for b in bindings]
    assert len(titles) == 3 and titles == sorted(titles)
    as_csv = runner.invoke(app, ["query", DATASET_TITLES, "--format", "csv", "--data", str(demo_dir)])
    rows = list(csv.reader(io.StringIO(as_csv.output)))
    assert rows[0] == ["title"] and [r[0] for r in rows[1:]] == titles
    query_file = tmp_path / "q.rq"
    query_file.write_text(DATASET_TITLES)
    table = runner.invoke(app, ["query", "--file", str(query_file), "--data", str(demo_dir)])
    assert table.exit_code == 0 and titles[0] in table.output and "3 rows" in table.output
    ask = runner.invoke(app, ["query", "ASK { ?s ?p ?o }", "--data", str(demo_dir)])
    assert ask.output.strip() == "true"
    construct = runner.invoke(app, ["query", "CONSTRUCT { ?d a ?t } WHERE { ?d a ?t } LIMIT 2", "--format", "csv",
                                    "--data", str(demo_dir)])
    assert construct.exit_code == 0 and construct.output.count(" .\n") == 2


def test_load_rdf_files(tmp_path: Path) -> None:
    ttl = tmp_path / "mine.ttl"
    ttl.write_text('<https://example.org/a> <http://purl.org/dc/terms/title> "A" .\n')
    data = str(tmp_path / "kg")
    first = runner.invoke(app, ["load", "rdf", str(ttl), "--data", data])
    assert first.exit_code == 0, first.output
    assert "loaded" in first.output and "1 public" in first.output
    assert "unchanged" in runner.invoke(app, ["load", "rdf", str(ttl), "--data", data]).output
    assert "loaded" in runner.invoke(app, ["load", "rdf", str(ttl), "--force", "--data", data]).output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "scicatx", "f.json"], "unknown source kind 'scicatx'"),
        (["load", "rdf", "/no/such/file.ttl"], "no such file or directory"),
        (["query", "SELECT WHERE {"], "SPARQL syntax error"),
        (["query"], "give the query as an argument or with --file (exactly one of them)"),
        (["query", "ASK {}", "--format", "xml"], "unknown format 'xml'"),
    ],
)
def test_errors_are_one_line_and_a_non_zero_exit(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--data", str(empty_store(tmp_path / "kg"))])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 2


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [("PANKG_PORT", "eighty", "PANKG_PORT must be a port number, not 'eighty'"),
     ("PANKG_BASE_IRI", "urn:x", "PANKG_BASE_IRI: base IRI must be an http(s) IRI")],
)
def test_bad_settings_are_one_line(tmp_path: Path, variable: str, value: str, message: str) -> None:
    command = ["serve"] if variable == "PANKG_PORT" else ["stats"]
    result = runner.invoke(app, [*command, "--data", str(tmp_path / "kg")], env={variable: value})
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_help_shows_the_defaults() -> None:
    result = runner.invoke(app, ["stats", "--help"], env={"COLUMNS": "200"})
    assert "(default ./pankg-data)" in result.output


def test_debug_shows_the_exception(tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "SELECT WHERE {", "--debug", "--data", str(empty_store(tmp_path / "kg"))])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "QueryError"


def test_a_file_where_the_store_should_be(tmp_path: Path) -> None:
    (tmp_path / "kg").write_text("not a store")
    result = runner.invoke(app, ["stats", "--data", str(tmp_path / "kg")])
    assert result.exit_code == 1 and "is not a directory" in result.output


def test_lenient_load_goes_on_past_a_bad_file(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good.write_text('<https://example.org/a> <http://purl.org/dc/terms/title> "A" .\n')
    bad.write_text("<https://example.org/b> <http://purl.org/dc/terms/title> 'unterminated .\n")
    data = str(tmp_path / "kg")
    strict = runner.invoke(app, ["load", "rdf", str(bad), str(good), "--data", data])
    assert strict.exit_code == 1 and "bad.ttl" in strict.output and "loaded" not in strict.output
    lenient = runner.invoke(app, ["load", "rdf", str(bad), str(good), "--lenient", "--data", data])
    assert lenient.exit_code == 0
    assert "not loaded:" in lenient.output and "bad.ttl" in lenient.output and "good.ttl: 1 triples" in lenient.output


def test_version() -> None:
    from pankg import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"pankg {__version__}" != "pankg 0+unknown"


def test_a_bad_port_does_not_stop_commands_that_do_not_serve(tmp_path: Path) -> None:
    data = str(empty_store(tmp_path / "kg"))
    result = runner.invoke(app, ["stats", "--json", "--data", data], env={"PANKG_PORT": "eighty"})
    assert result.exit_code == 0, result.output
