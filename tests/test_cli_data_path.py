"""A command that only reads a store refuses a ``--data`` path that holds none, and creates nothing there
(issue 12: a mistyped path gave an empty store and zeros); the commands that write create the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.errors import StoreError
from graph.store.embedded import GraphStore
from pankg.cli import app
from pankg.cli_common import open_store, require_store

runner = CliRunner()
READERS = {
    "stats": ["stats"],
    "stats-json": ["stats", "--json"],
    "query": ["query", "ASK { ?s ?p ?o }"],
    "validate": ["validate"],
    "release": ["release"],
    "export-datacite": ["export", "datacite", "10.5072/anything"],
}


def tree(path: Path) -> list[str]:
    """What a directory holds, recursively (to show that nothing was created)."""
    return sorted(str(p.relative_to(path)) for p in path.rglob("*")) if path.exists() else []


@pytest.mark.parametrize("command", READERS)
def test_a_reading_command_refuses_a_path_that_does_not_exist(tmp_path: Path, command: str) -> None:
    data = tmp_path / "mistyped"
    result = runner.invoke(app, [*READERS[command], "--data", str(data)])
    assert result.exit_code == 1, result.output
    assert f"error: no store at {data}: no such directory" in result.output and "Traceback" not in result.output
    assert not data.exists()


@pytest.mark.parametrize("command", READERS)
def test_a_reading_command_refuses_a_directory_that_holds_no_store(tmp_path: Path, command: str) -> None:
    data = tmp_path / "photos"
    data.mkdir()
    (data / "notes.txt").write_text("not a store")
    result = runner.invoke(app, [*READERS[command], "--data", str(data)])
    assert result.exit_code == 1, result.output
    assert f"error: no store at {data}: the directory holds no pankg store" in result.output
    assert tree(data) == ["notes.txt"]


def test_the_environment_path_is_checked_too(tmp_path: Path) -> None:
    data = tmp_path / "from-env"
    result = runner.invoke(app, ["stats"], env={"PANKG_DATA": str(data)})
    assert result.exit_code == 1 and f"no store at {data}" in result.output and not data.exists()


def test_a_writing_command_creates_the_store_then_readers_open_it(tmp_path: Path) -> None:
    data = tmp_path / "new" / "kg"
    source = tmp_path / "a.nt"
    source.write_text('<https://example.org/a> <http://purl.org/dc/terms/title> "A" .\n')
    assert runner.invoke(app, ["load", "rdf", str(source), "--data", str(data)]).exit_code == 0
    result = runner.invoke(app, ["query", "ASK { ?s <http://purl.org/dc/terms/title> 'A' }", "--data", str(data)])
    assert result.exit_code == 0 and result.output.strip() == "true", result.output


def test_an_empty_store_is_a_store(tmp_path: Path) -> None:
    data = tmp_path / "kg"
    GraphStore(data).close()
    result = runner.invoke(app, ["stats", "--json", "--data", str(data)])
    assert result.exit_code == 0, result.output


def test_open_store_for_serve_and_other_readers(tmp_path: Path) -> None:
    """``open_store(data)`` is what every reading command calls (``serve`` too); ``create=True`` for writers."""
    data = tmp_path / "kg"
    with pytest.raises(StoreError, match="no such directory"):
        open_store(str(data))
    with pytest.raises(StoreError, match="no such directory"):
        require_store(data)
    assert not data.exists()
    open_store(str(data), create=True).close()
    require_store(data)
    open_store(str(data)).close()


def test_serve_refuses_a_path_that_holds_no_store(tmp_path: Path) -> None:
    missing = tmp_path / "mistyped"
    result = runner.invoke(app, ["serve", "--data", str(missing), "--port", "1"])
    assert result.exit_code == 1 and "no store at" in result.output
    assert not missing.exists()
