"""Running ``pankg load`` in-process on an on-disk store, and reading back everything the store holds."""

from __future__ import annotations

from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from graph.store.embedded import GraphStore, StoredQuad
from pankg.cli import app

runner = CliRunner()
SEED = '<https://example.org/seed> <http://purl.org/dc/terms/title> "already there" .\n'


def pankg(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def seeded_store(tmp_path: Path) -> Path:
    """A store on disk that already holds one loaded file, so that "changes nothing" means something."""
    seed = tmp_path / "seed.nt"
    seed.write_text(SEED)
    data = tmp_path / "kg"
    result = pankg("load", "rdf", seed, "--data", data)
    assert result.exit_code == 0, result.output
    return data


def everything(data: Path) -> set[StoredQuad]:
    """Every quad of the store at ``data`` (meta graph included): equal before and after means unchanged."""
    with GraphStore(data) as store:
        return set(store.quads())


def refused(result: Result, *fragments: str) -> str:
    """The one error line of a failed command; checks its exit status and that it names ``fragments``."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    line = " ".join(result.output.split())
    assert line.startswith("error: "), result.output
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line
