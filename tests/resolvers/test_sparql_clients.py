"""Standard SPARQL clients, unchanged, against a real `pankg serve` (uvicorn on 127.0.0.1, stopped by its PID)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.error import HTTPError

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper
from typer.testing import CliRunner

from pankg.cli import app
from tests.test_serve import free_port

DATASETS = 40
TITLES = "SELECT ?t WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> ?t }"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("clients") / "kg"
    assert CliRunner().invoke(app, ["demo", "--datasets", str(DATASETS), "--data", str(data)]).exit_code == 0
    port = free_port()
    env = {**os.environ, "PANKG_ASSETS": str(data.parent / "assets"), "PANKG_NPM_REGISTRY": "http://127.0.0.1:1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "pankg", "serve", "--port", str(port), "--data", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                httpx.get(url, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(f"server did not answer: {server.stdout.read() if server.stdout else ''}")
        yield url
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        if server.stdout:
            server.stdout.close()


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_select(endpoint: str, method: str, fmt: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setMethod(method)
    client.setReturnFormat(fmt)
    client.setQuery("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }")
    result = client.queryAndConvert()
    if fmt == JSON:
        assert isinstance(result, dict)
        assert int(result["results"]["bindings"][0]["n"]["value"]) == DATASETS
    else:
        assert DATASETS == int(result.getElementsByTagName("literal")[0].firstChild.data)  # type: ignore[union-attr]


def test_sparqlwrapper_ask_and_construct(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setReturnFormat(JSON)
    client.setQuery("ASK { ?s ?p ?o }")
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]
    client.setReturnFormat(TURTLE)
    client.setQuery("CONSTRUCT WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 5")
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert len(graph) == 5


def test_sparqlwrapper_sees_updates_refused(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery("CLEAR ALL")
    with pytest.raises(HTTPError) as refused:
        client.query()
    assert refused.value.code == 403 and b"updates are disabled" in refused.value.read()


def test_rdflib_sparqlstore(endpoint: str) -> None:
    store = SPARQLStore(endpoint)
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(TITLES))
    all_titles = len(rows)
    assert 0 < all_titles <= DATASETS
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    constructed = graph.query("CONSTRUCT WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 3").graph
    assert constructed is not None and len(constructed) == 3
    store.close()


def test_anonymous_http_hides_embargoed_titles(endpoint: str) -> None:
    """Over real HTTP the anonymous endpoint returns fewer titles than datasets when some are embargoed."""
    client = SPARQLWrapper(endpoint)
    client.setReturnFormat(JSON)
    client.setQuery("SELECT (COUNT(?t) AS ?n) WHERE { ?d <http://purl.org/dc/terms/title> ?t ; "
                    "a <http://www.w3.org/ns/dcat#Dataset> }")
    titles = int(client.queryAndConvert()["results"]["bindings"][0]["n"]["value"])  # type: ignore[index]
    client.setQuery("ASK { GRAPH <https://w3id.org/pankg/graph/meta> { ?s ?p ?o } }")
    assert client.queryAndConvert()["boolean"] is False  # type: ignore[index]
    assert titles <= DATASETS
