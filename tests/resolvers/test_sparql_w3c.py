"""The W3C SPARQL 1.1 Protocol and Service Description test manifests, run against ``/sparql``.

Each ``mf:ProtocolTest`` is read from the manifest (method, path, headers, body, expected status, format and
boolean) and sent through httpx's ASGI transport. The ``ut:graphData`` graphs (data1..3.nt) are loaded as RDF
sources; since pankg names its graphs itself, the kasei.us graph IRIs in ``default-graph-uri`` /
``named-graph-uri`` are replaced by the graphs those files were loaded into (the query text is left alone:
the same IRIs are subjects there). Update tests run with a bearer token marked ``update: true`` and keep their
own graph IRIs (they write user graphs, :mod:`graph.store.updates`), also the four that send ``using-graph-uri`` /
``using-named-graph-uri``: those name user graphs the same request writes.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import rdflib
from rdflib.collection import Collection

from graph.model.access import Entitlement
from graph.store.embedded import GraphStore
from loaders.base import load
from loaders.rdf import RdfFileSource
from pankg.app import create_app
from resolvers.auth import Caller, Tokens
from tests.helpers import SHARED

SUITE = SHARED / "reference" / "w3c-sparql11-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
TESTS = rdflib.Namespace("http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#")
KASEI = re.compile(r"(graph-uri=)http%3A%2F%2Fkasei\.us%2F2009%2F09%2Fsparql%2Fdata%2F(data\d)\.rdf")
FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples"),
}


def _names() -> list[str]:
    manifest = SUITE / "protocol" / "manifest.ttl"
    if not manifest.is_file():
        return ["absent"]
    g = rdflib.Graph().parse(manifest, format="turtle")
    return sorted(str(t).split("#")[1] for t in g.subjects(rdflib.RDF.type, MF.ProtocolTest))


def _requests(g: rdflib.Graph, test: rdflib.URIRef) -> list[dict[str, Any]]:
    action = g.value(test, MF.action)
    out = []
    for req in Collection(g, g.value(action, HT.requests)):
        body = g.value(req, HT.body)
        headers = {}
        if (head := g.value(req, HT.headers)) is not None:
            headers = {str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue)) for h in Collection(g, head)}
        resp = g.value(req, HT.resp)
        out.append({
            "method": str(g.value(req, HT.methodName)),
            "path": str(g.value(req, HT.absolutePath)),
            "headers": headers,
            "body": None if body is None else str(g.value(body, CNT.chars)).encode(
                str(g.value(body, CNT.characterEncoding) or "UTF-8").lower()
            ),
            "status": {str(s).split("#")[1] for s in g.objects(resp, MF.expectedStatus)},
            "format": g.value(resp, MF.expectedFormat),
            "boolean": g.value(resp, MF.expectedBoolean),
        })
    return out


@pytest.fixture(scope="module")
def suite_store() -> tuple[GraphStore, dict[str, str]]:
    store = GraphStore()
    graphs = {}
    for name in ("data1", "data2", "data3"):
        path = SUITE / "protocol" / f"{name}.nt"
        if path.is_file():
            load(store, RdfFileSource(path))
            info = store.find_source("rdf", str(path))
            assert info is not None
            graphs[name] = info.graphs[0].iri
    return store, graphs


@pytest.mark.parametrize("name", _names())
def test_protocol(name: str, shared: Path, suite_store: tuple[GraphStore, dict[str, str]]) -> None:
    updating = "update" in name
    tokens = Tokens({Tokens.digest("writer"): Caller("writer", Entitlement(), update=True)})
    auth = {"authorization": "Bearer writer"} if updating else {}
    g = rdflib.Graph().parse(SUITE / "protocol" / "manifest.ttl", format="turtle")
    store, graphs = suite_store

    def local(match: re.Match[str]) -> str:
        iri = graphs.get(match.group(2))
        return match.group(1) + quote(iri, safe="") if iri else match.group(0)

    async def run() -> None:
        transport = httpx.ASGITransport(app=create_app(store, tokens if updating else None))
        async with httpx.AsyncClient(transport=transport, base_url="http://www.example") as client:
            for req in _requests(g, TESTS[name]):
                path = req["path"] if updating else KASEI.sub(local, req["path"])
                headers = {**req["headers"], **auth}
                response = await client.request(req["method"], path, headers=headers, content=req["body"])
                assert f"StatusCode{str(response.status_code)[0]}xx" in req["status"], (path, response.text)
                if response.status_code >= 400:
                    assert "Traceback" not in response.text and response.json()["error"]["message"]
                if req["format"] is not None:
                    media = response.headers["content-type"].split(";")[0]
                    assert media in FORMATS[str(req["format"])]
                if req["boolean"] is not None:
                    assert response.json()["boolean"] is bool(req["boolean"].toPython())

    asyncio.run(run())


@pytest.mark.parametrize("name", ["returns-rdf", "has-endpoint-triple", "conforms-to-schema"])
def test_service_description(name: str, shared: Path, suite_store: tuple[GraphStore, dict[str, str]]) -> None:
    """The three approved service-description tests, read as the conformance section describes them."""
    assert (SUITE / "service-description" / "manifest.ttl").is_file()
    store, graphs = suite_store

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://www.example") as client:
            return await client.get("/sparql", headers={"accept": "text/turtle"})

    response = asyncio.run(get())
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    sd_graph = rdflib.Graph().parse(data=response.text, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef("http://www.example/sparql")
    if name == "has-endpoint-triple":
        assert (None, SD.endpoint, endpoint) in sd_graph
    if name == "conforms-to-schema":
        assert (endpoint, rdflib.RDF.type, SD.Service) in sd_graph
        assert {str(o) for o in sd_graph.objects(None, SD.name)} == set(graphs.values())
        used = {p for p in sd_graph.predicates() if str(p).startswith(str(SD))}
        known = {SD[t] for t in ("endpoint", "supportedLanguage", "feature", "defaultDataset", "defaultGraph",
                                 "namedGraph", "name", "resultFormat")}
        assert used <= known
