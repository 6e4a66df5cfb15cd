"""`pankg serve` for real: uvicorn on 127.0.0.1, answered over HTTP, stopped by its PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from pankg.cli import app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    data = tmp_path / "kg"
    assert CliRunner().invoke(app, ["demo", "--datasets", "60", "--data", str(data)]).exit_code == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pankg", "serve", "--port", str(port), "--data", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline, response = time.monotonic() + 30, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None, f"server did not answer: {server.stdout.read() if server.stdout else ''}"
        assert response.status_code == 200
        assert response.json()["entities"]["datasets"] == 60
        # While it serves, the store is its own: a second process is told so in one line.
        locked = CliRunner().invoke(app, ["stats", "--data", str(data)])
        assert locked.exit_code == 1 and "open in another pankg process" in locked.output
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        if server.stdout:
            server.stdout.close()
