"""SERVICE to an allowlist: the check on query text, then two real `pankg serve` instances joined in one query."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from pankg.cli import app
from resolvers.federation import ServiceRefused, check_services, service_targets
from tests.test_serve import free_port

B = "http://127.0.0.1:8901/sparql"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * {{ SERVICE <{B}> {{ ?s ?p ?o }} }}",
        "PREFIX b: <http://127.0.0.1:8901/> SELECT * { SERVICE SILENT b:sparql { ?s ?p ?o } }",
        f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{B}> {{ ?s ?p ?o }} }} }}",
        'ASK { ?s <http://example.org/service> "SERVICE <x>" } # SERVICE',
    ],
)
def test_allowlisted_services_pass(query: str) -> None:
    check_services(query, frozenset({B}))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (f"SELECT * {{ SERVICE <{B}x> {{ ?s ?p ?o }} }}", "127.0.0.1:8901"),
        (f"SELECT * {{ SERVICE <{B}> {{ ?s ?p ?o }} {{ SELECT * {{ SERVICE <http://evil.example/q> {{ ?a ?b ?c }} }} }} }}",
         "evil.example"),
        ("SELECT * { ?x <http://e/p> ?v SERVICE ?v { ?s ?p ?o } }", "variable"),
        ("SELECT * { \\u0053ERVICE <http://evil.example/q> { ?s ?p ?o } }", "evil.example"),
        ("SELECT * { SERVICE <http://evil.example/q> { ?s ?p ?o ", "could not be read"),
    ],
)
def test_other_services_are_refused(query: str, message: str) -> None:
    with pytest.raises(ServiceRefused, match=message):
        check_services(query, frozenset({B}))


def test_no_allowlist_refuses_every_service() -> None:
    with pytest.raises(ServiceRefused, match="disabled"):
        check_services(f"SELECT * {{ SERVICE <{B}> {{ ?s ?p ?o }} }}", frozenset())
    assert service_targets("SELECT * { ?s ?p ?o }") == []


# ---------------------------------------------------------------------------------------- two real instances


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


def serve(data: Path, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "pankg", "serve", "--port", str(port), "--data", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, **env},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    stop(server)
    pytest.fail(f"server did not answer: {server.stdout.read() if server.stdout else ''}")


def stop(server: subprocess.Popen[str]) -> None:
    os.kill(server.pid, signal.SIGTERM)
    server.wait(timeout=20)
    if server.stdout:
        server.stdout.close()


def loaded(tmp_path: Path, name: str, turtle: str) -> Path:
    source, data = tmp_path / f"{name}.ttl", tmp_path / name
    source.write_text(turtle)
    result = CliRunner().invoke(app, ["load", "rdf", str(source), "--data", str(data)])
    assert result.exit_code == 0, result.output
    return data


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


def test_two_instances_join_and_others_are_refused(tmp_path: Path, recorder: tuple[str, list[str]]) -> None:
    data_a = loaded(tmp_path, "a", '<http://ex.org/ds1> <http://ex.org/facility> "ESRF" .\n')
    data_b = loaded(tmp_path, "b", '<http://ex.org/ds1> <http://ex.org/cites> <http://ex.org/paper9> .\n')
    port_a, port_b = free_port(), free_port()
    endpoint_b = f"http://127.0.0.1:{port_b}/sparql"
    server_b = serve(data_b, port_b, {})
    try:
        server_a = serve(data_a, port_a, {"PANKG_SPARQL_SERVICES": f"http://other.example/sparql, {endpoint_b}"})
        try:
            query = (
                "SELECT ?facility ?paper { ?d <http://ex.org/facility> ?facility "
                f"SERVICE <{endpoint_b}> {{ ?d <http://ex.org/cites> ?paper }} }}"
            )
            response = httpx.get(f"http://127.0.0.1:{port_a}/sparql", params={"query": query}, timeout=30)
            assert response.status_code == 200, response.text
            rows = [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]
            assert rows == [{"facility": "ESRF", "paper": "http://ex.org/paper9"}]

            url, hits = recorder
            for refused in (f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                            "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"):
                answer = httpx.get(f"http://127.0.0.1:{port_a}/sparql", params={"query": refused}, timeout=30)
                assert answer.status_code == 403 and "127.0.0.1:" in answer.json()["error"]["message"]
            time.sleep(0.2)
            assert hits == []  # the refused endpoint was never called
            # The instance without an allowlist refuses even its peer.
            back = httpx.get(f"http://127.0.0.1:{port_b}/sparql", params={"query": query.replace(endpoint_b, url)})
            assert back.status_code == 403 and hits == []
        finally:
            stop(server_a)
    finally:
        stop(server_b)
