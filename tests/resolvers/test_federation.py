"""SERVICE to an allowlist: the check on query text, then two real `pankg serve` instances joined in one query."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from graph.query import sandbox
from graph.store.embedded import GraphStore
from pankg.cli import app
from resolvers.federation import ServiceRefused, needs_network
from tests.resolvers.test_sparql_protocol import call
from tests.test_serve import free_port

B = "http://127.0.0.1:8901/sparql"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * {{ SERVICE <{B}> {{ ?s ?p ?o }} }}",
        "PREFIX b: <http://127.0.0.1:8901/> SELECT * { SERVICE SILENT b:sparql { ?s ?p ?o } }",
        f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{B}> {{ ?s ?p ?o }} }} }}",
        f"SELECT ?n {{ {{ SELECT (COUNT(*) AS ?n) {{ ?s ?p ?o }} }} SERVICE <{B}> {{ SELECT ?x {{ ?x ?y ?n }} LIMIT 3 }} }}",
    ],
)
def test_allowlisted_services_need_network(query: str) -> None:
    assert needs_network(query, frozenset({B})) is True


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",
        'ASK { ?s <http://example.org/service> "SERVICE <x>" } # SERVICE',
        "PREFIX e: <http://e.org/> SELECT * { ?s e:service ?o }",
    ],
)
def test_queries_without_service_run_offline(query: str) -> None:
    assert needs_network(query, frozenset({B})) is False


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (f"SELECT * {{ SERVICE <{B}x> {{ ?s ?p ?o }} }}", "127.0.0.1:8901"),
        (f"SELECT * {{ SERVICE <{B}> {{ ?s ?p ?o }} {{ SELECT * {{ SERVICE <http://evil.example/q> {{ ?a ?b ?c }} }} }} }}",
         "evil.example"),
        ("SELECT * { ?x <http://e/p> ?v SERVICE ?v { ?s ?p ?o } }", "variable"),
        ("SELECT * { \\u0053ERVICE <http://evil.example/q> { ?s ?p ?o } }", "evil.example"),
        (f"SELECT * {{ SERVICE <{B}> {{ ?s ?p '\\u0022' }} }}", "escapes"),
    ],
)
def test_other_services_are_refused(query: str, message: str) -> None:
    with pytest.raises(ServiceRefused, match=message):
        needs_network(query, frozenset({B}))


def test_an_unreadable_query_runs_offline_or_is_refused_without_the_sandbox() -> None:
    broken = "SELECT * { SERVICE <http://evil.example/q> { ?s ?p ?o "
    assert needs_network(broken, frozenset({B}), confined=True) is False
    with pytest.raises(ServiceRefused, match="could not be read"):
        needs_network(broken, frozenset({B}), confined=False)


def test_no_allowlist_refuses_every_service() -> None:
    with pytest.raises(ServiceRefused, match="disabled"):
        needs_network(f"SELECT * {{ SERVICE <{B}> {{ ?s ?p ?o }} }}", frozenset())


# The queries of the issue that found the hole: `e:a\#` is one prefixed name (PN_LOCAL_ESC), which a text
# check took for a name and a comment, so it skipped the SERVICE after it.
ESCAPED_HASH = ("PREFIX e: <http://e.org/> SELECT * WHERE {{ {{ ?x e:a\\# ?y }} UNION "
                "{{ SERVICE {silent}<{url}> {{ ?s ?p ?o }} }} }}")


@pytest.mark.skipif(not sandbox.available(), reason="the network sandbox needs Linux on x86-64 or aarch64")
@pytest.mark.parametrize("silent", ["", "SILENT "])
def test_escaped_hash_fetches_nothing_in_process(recorder: tuple[str, list[str]], silent: str) -> None:
    url, hits = recorder
    answer = call(GraphStore(), "GET", params={"query": ESCAPED_HASH.format(url=url, silent=silent)},
                  headers={"Accept": "application/sparql-results+json"})
    if silent:
        assert answer.status_code == 200 and answer.json()["results"]["bindings"] in ([], [{}])
    else:
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"]["type"] == "ServiceRefused"
    time.sleep(0.2)
    assert hits == []


# ---------------------------------------------------------------------------------------- two real instances


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
    output = server.stdout.read() if server.stdout and server.poll() is not None else ""
    stop(server)
    pytest.fail(f"server did not answer (exit status {server.returncode}): {output}")


def stop(server: subprocess.Popen[str]) -> None:
    if server.poll() is None:
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

            # A subquery on each side of the SERVICE: parsed as the engine runs it, allowed.
            nested = (
                "SELECT ?facility ?paper { { SELECT ?d ?facility { ?d <http://ex.org/facility> ?facility } } "
                f"SERVICE <{endpoint_b}> {{ SELECT ?d ?paper {{ ?d <http://ex.org/cites> ?paper }} LIMIT 5 }} }}"
            )
            response = httpx.get(f"http://127.0.0.1:{port_a}/sparql", params={"query": nested}, timeout=30)
            assert response.status_code == 200, response.text
            assert len(response.json()["results"]["bindings"]) == 1

            url, hits = recorder
            for refused in (f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                            "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"):
                answer = httpx.get(f"http://127.0.0.1:{port_a}/sparql", params={"query": refused}, timeout=30)
                assert answer.status_code == 403 and "127.0.0.1:" in answer.json()["error"]["message"]
            # The escaped-hash query, anonymous, to the worker processes: neither form reaches the recorder.
            for silent in ("", "SILENT "):
                sneaky = ESCAPED_HASH.format(url=url, silent=silent)
                answer = httpx.get(f"http://127.0.0.1:{port_a}/sparql", params={"query": sneaky}, timeout=30)
                assert answer.status_code in (200, 403), answer.text
            time.sleep(0.2)
            assert hits == []  # the refused endpoint was never called
            # The instance without an allowlist refuses even its peer.
            back = httpx.get(f"http://127.0.0.1:{port_b}/sparql", params={"query": query.replace(endpoint_b, url)})
            assert back.status_code == 403 and hits == []
        finally:
            stop(server_a)
    finally:
        stop(server_b)
