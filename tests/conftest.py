"""Shared fixtures: real stores (in memory or on disk), a small demo, the shared reference folder."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from graph.store.embedded import GraphStore
from loaders.base import load
from loaders.demo import DemoCatalogue
from tests.helpers import SHARED, TODAY, demo_source


@pytest.fixture(autouse=True)
def _no_graphiql_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the user's GraphiQL cache (~/.cache/pankg) out of tests, and `pankg serve` off the network: a test
    that wants the files points PANKG_ASSETS / PANKG_NPM_REGISTRY elsewhere itself."""
    monkeypatch.setenv("PANKG_ASSETS", str(tmp_path_factory.mktemp("graphiql-assets")))
    monkeypatch.setenv("PANKG_NPM_REGISTRY", "http://127.0.0.1:1")
    yield


@pytest.fixture
def store() -> GraphStore:
    return GraphStore()


@pytest.fixture
def loaded_store(tmp_path: Path) -> GraphStore:
    """An in-memory store holding one loaded source: ``<http://example.org/d1>`` titled "Loaded"."""
    from loaders.rdf import RdfFileSource

    data = tmp_path / "data.nt"
    data.write_text("<http://example.org/d1> <http://purl.org/dc/terms/title> \"Loaded\" .\n")
    store = GraphStore()
    load(store, RdfFileSource(data))
    return store


@pytest.fixture
def shared() -> Path:
    """../shared beside the repository; tests that need it skip, saying why, where it is absent."""
    if not (SHARED / "reference").is_dir():
        pytest.skip(f"the shared reference folder {SHARED} is absent (a clone outside the workplace)")
    return SHARED


@pytest.fixture(scope="session")
def demo_store() -> tuple[GraphStore, DemoCatalogue]:
    """An in-memory store holding a 400-dataset demo, shared by read-only tests."""
    s = GraphStore()
    source = demo_source(400, seed=11)
    load(s, source, as_of=TODAY)
    return s, source.catalogue


class Recorder(BaseHTTPRequestHandler):
    """An endpoint that must never be called: it records every request that reaches it."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    Recorder.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql", Recorder.hits
    finally:
        httpd.shutdown()
        httpd.server_close()
