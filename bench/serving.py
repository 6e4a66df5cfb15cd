"""What the HTTP benchmarks share: a real ``pankg serve`` on a free loopback port, started and stopped by its
PID, the ``pankg`` command line in a child process, phases that show their traceback, and percentiles."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.phases import ROOT
from bench.phases import run_phase as _run_phase


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def start_server(store_dir: str, tokens: Path, log: Path, env: dict[str, str] | None = None,
                 ) -> tuple[subprocess.Popen[bytes], str]:
    """``pankg serve --tokens TOKENS`` over ``store_dir`` with its output in ``log``; ``(process, base URL)`` once
    ``/healthz`` answers. It needs no GraphiQL: if its files are missing, the fetch fails at once (no network)."""
    import httpx

    port = free_port()
    environment = {**os.environ, **(env or {}), "PANKG_NPM_REGISTRY": "http://127.0.0.1:9"}
    environment.pop("PANKG_TOKENS", None)
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "pankg", "serve", "--data", store_dir, "--port", str(port),
                                   "--tokens", str(tokens)], cwd=ROOT, env=environment, stdout=out,
                                  stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"pankg serve ended with status {server.returncode}:\n{log.read_text()[-2000:]}")
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    return server, url
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"pankg serve did not answer /healthz within 120 s:\n{log.read_text()[-2000:]}")
    except BaseException:
        stop_server(server)
        raise


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_phase(script: str, *args: str) -> dict[str, float]:
    """:func:`phases.run_phase`, showing the phase's traceback when it fails."""
    try:
        return _run_phase(script, *args)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"phase {args[0]} failed ({exc.returncode}):\n{exc.stderr[-3000:]}") from None


def cli(*args: str) -> None:
    """``pankg ARGS...`` in a child process; its output on failure."""
    done = subprocess.run([sys.executable, "-m", "pankg", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pankg {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
