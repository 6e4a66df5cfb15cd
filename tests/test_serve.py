"""`pankg serve` for real: uvicorn on 127.0.0.1, answered over HTTP, stopped by its PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from typer.testing import CliRunner

from pankg.cli import app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(data: Path, *options: str) -> Iterator[str]:
    """``pankg serve`` in its own process on a free loopback port; yields its URL, stops it by its PID."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pankg", "serve", "--port", str(port), "--data", str(data), *options],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline, response = time.monotonic() + 30, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None, f"server did not answer: {server.stdout.read() if server.stdout else ''}"
        yield f"http://127.0.0.1:{port}"
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        if server.stdout:
            server.stdout.close()


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    data = tmp_path / "kg"
    assert CliRunner().invoke(app, ["demo", "--datasets", "60", "--data", str(data)]).exit_code == 0
    with serving(data) as url:
        response = httpx.get(f"{url}/api/stats", timeout=5)
        assert response.status_code == 200
        assert response.json()["entities"]["datasets"] == 60
        # While it serves, the store is its own: a second process is told so in one line.
        locked = CliRunner().invoke(app, ["stats", "--data", str(data)])
        assert locked.exit_code == 1 and "open in another pankg process" in locked.output


TITLES = "SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t }"


def test_serve_options_set_the_query_limits_and_the_service_allowlist(tmp_path: Path) -> None:
    data = tmp_path / "kg"
    assert CliRunner().invoke(app, ["demo", "--datasets", "60", "--data", str(data)]).exit_code == 0
    allowed = f"http://127.0.0.1:{free_port()}/sparql"
    with serving(data, "--result-limit", "400", "--query-timeout", "5", "--service", allowed) as url:
        big = httpx.get(f"{url}/sparql", params={"query": TITLES}, headers={"Accept": "application/json"}, timeout=30)
        assert big.status_code == 413 and "400" in big.text, big.text
        small = httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert small.status_code == 200 and small.json()["boolean"] is True
        other = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        refused = httpx.get(f"{url}/sparql", params={"query": other}, timeout=30)
        assert refused.status_code == 403
        listed = httpx.get(f"{url}/sparql", params={"query": other.replace("http://127.0.0.1:9/sparql", allowed)},
                           timeout=30)
        assert listed.status_code != 403  # on the list: tried (nothing listens there, so it fails otherwise)
    with serving(data) as url:  # without the options: the defaults, in a process of its own
        assert httpx.get(f"{url}/sparql", params={"query": TITLES}, timeout=30).status_code == 200


def test_serve_refuses_bad_options_before_listening(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["serve", "--tokens", str(tmp_path / "nope.yaml"), "--data", str(tmp_path / "kg")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    bad = runner.invoke(app, ["serve", "--service", "ftp://example.org/sparql", "--data", str(tmp_path / "kg")])
    assert bad.exit_code == 1 and "not an http(s) URL" in bad.output
    negative = runner.invoke(app, ["serve", "--query-timeout", "0", "--data", str(tmp_path / "kg")])
    assert negative.exit_code == 2 and "0.1" in negative.output
