"""SciCat over its REST API: a real HTTP server on 127.0.0.1 serves the reference records in pages."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from graph.errors import SourceUnavailable
from graph.store.embedded import GraphStore
from graph.store.stats import entity_counts
from loaders import scicat, scicat_api
from loaders.base import LoadOptions, load
from pankg.cli import app
from tests.helpers import TODAY

TOKEN = "s3cret-token"
WITH_TOKEN = LoadOptions(scicat_token=TOKEN)
FILES = {
    "instruments": "Instrument.json",
    "proposals": "Proposal.json",
    "samples": "Sample.json",
    "datasets": "Dataset.json",
    "origdatablocks": "OrigDatablock.json",
    "publisheddata": "PublishedData.json",
    "jobs": "Job.json",
}


class FakeSciCat(ThreadingHTTPServer):
    """SciCat's routes as ``/api/v3/<collection>``, paged by ``filter={"limits": {...}}``, behind a bearer token."""

    def __init__(self, folder: Path) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.folder = folder
        self.requests: list[tuple[str, int, int]] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/v3"


class Handler(BaseHTTPRequestHandler):
    server: FakeSciCat

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        route = url.path.removeprefix("/api/v3/")
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._send(401, {"message": "Unauthorized"})
        if route not in FILES:
            return self._send(404, {"message": f"Cannot GET {url.path}"})
        limits = json.loads(parse_qs(url.query)["filter"][0])["limits"]
        self.server.requests.append((route, limits["skip"], limits["limit"]))
        records = json.loads((self.server.folder / FILES[route]).read_text())
        self._send(200, records[limits["skip"] : limits["skip"] + limits["limit"]])

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(shared: Path) -> Iterator[FakeSciCat]:
    httpd = FakeSciCat(shared / "reference/catalogues/scicatlive")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def triples(store: GraphStore) -> set[tuple[str, ...]]:
    _, rows = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "public")
    return {tuple(str(term) for term in row) for row in rows}


def test_the_api_loads_what_the_files_load_page_by_page(server: FakeSciCat, shared: Path) -> None:
    found = scicat.sources_with([server.base], WITH_TOKEN, page_size=5)
    assert [s.location for s in found] == [f"{server.base}/{route}" for route in FILES]
    from_api = GraphStore()
    reports = [load(from_api, s, as_of=TODAY) for s in found]
    assert all(r.changed for r in reports)
    assert [(skip, limit) for route, skip, limit in server.requests if route == "datasets"] == [
        (0, 5),
        (5, 5),
        (10, 5),
        (15, 5),
    ]  # 19 records: the short fourth page ends the collection
    from_files = GraphStore()
    for source in scicat.sources([str(shared / "reference/catalogues/scicatlive")]):
        load(from_files, source, as_of=TODAY)
    assert entity_counts(from_api) == entity_counts(from_files)
    assert triples(from_api) == triples(from_files)
    assert all(TOKEN not in s.location and TOKEN not in repr(s) for s in found)
    # Unchanged pages: nothing is rewritten.
    again = [load(from_api, s, as_of=TODAY) for s in scicat.sources_with([server.base], WITH_TOKEN, page_size=5)]
    assert not any(r.changed for r in again)


def test_one_route_and_a_missing_or_refused_token(server: FakeSciCat) -> None:
    (source,) = scicat.sources([f"{server.base}/publisheddata/"], WITH_TOKEN)
    store = GraphStore()
    assert load(store, source, as_of=TODAY).entities["DoiRecord"] == 11
    (source,) = scicat.sources([f"{server.base}/samples"])
    with pytest.raises(SourceUnavailable, match=f"HTTP 401 Unauthorized: set {scicat_api.TOKEN_SETTING}"):
        load(store, source, as_of=TODAY)
    (source,) = scicat.sources([f"{server.base}/samples"], LoadOptions(scicat_token="wrong"))
    with pytest.raises(SourceUnavailable, match="the token was refused") as refused:
        load(store, source, as_of=TODAY)
    assert "wrong" not in str(refused.value)
    with pytest.raises(SourceUnavailable, match="HTTP 404"):
        scicat_api.fetch(f"{server.base}/attachments", token=TOKEN)


def test_the_token_comes_from_the_environment_through_the_settings(
    server: FakeSciCat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``PANKG_SCICAT_TOKEN`` reaches the loader through ``pankg``'s settings (the loader reads no environment),
    and is never printed."""
    command = ["load", "scicat", f"{server.base}/samples", "--data", str(tmp_path / "kg")]
    monkeypatch.delenv(scicat_api.TOKEN_SETTING, raising=False)
    refused = CliRunner().invoke(app, command)
    assert refused.exit_code == 1 and f"set {scicat_api.TOKEN_SETTING}" in refused.output
    monkeypatch.setenv(scicat_api.TOKEN_SETTING, TOKEN)
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    assert "Sample" in result.output and TOKEN not in result.output


def test_an_unreachable_backend_is_a_clear_error() -> None:
    with pytest.raises(SourceUnavailable, match=r"http://127\.0\.0\.1:9/api/v3/datasets: ConnectError"):
        scicat_api.fetch("http://127.0.0.1:9/api/v3/datasets")
