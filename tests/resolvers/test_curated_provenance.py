"""Provenance a catalogue does not state can be added by a curator, and lineage follows it.

Ten of the twelve derived SciCat reference datasets name no input dataset (docs/mapping-scicat.md); pankg
does not guess links. A data manager who knows them writes them into a user graph through the Graph Store
Protocol (or SPARQL Update) with an update token, and GraphQL lineage, which reads every graph the caller
sees, walks them like the catalogue's own. The link below is the curator's statement made for the test.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from graph.model.access import Entitlement
from graph.store.embedded import GraphStore
from loaders import scicat
from loaders.base import load
from pankg.app import create_app
from resolvers.auth import Caller, Tokens
from tests.helpers import TODAY

TOKENS = Tokens({Tokens.digest("curator"): Caller("curator", Entitlement(), update=True)})
CURATION = "https://curation.example.org/provenance"
LINEAGE = """query($pid: String!) { lineage(pid: $pid, direction: UPSTREAM, maxDepth: 3) { edges { source relation target } } }"""


def call(store: GraphStore, method: str, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
    headers = {**kwargs.pop("headers", {}), **({"authorization": f"Bearer {token}"} if token else {})}

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store, TOKENS))
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.request(method, path, headers=headers, **kwargs)

    return asyncio.run(run())


def upstream(store: GraphStore, pid: str) -> set[tuple[str, str, str]]:
    got = call(store, "POST", "/graphql", json={"query": LINEAGE, "variables": {"pid": pid}})
    assert got.status_code == 200, got.text
    return {(e["source"], e["relation"], e["target"]) for e in got.json()["data"]["lineage"]["edges"]}


def test_a_curators_link_completes_the_lineage_of_a_derived_dataset(shared: Path) -> None:
    store = GraphStore()
    for source in scicat.sources([str(shared / "reference/catalogues/scicatlive")]):
        load(store, source, as_of=TODAY)
    derived, raw = (store.minter.iri("dataset", f"PID.SAMPLE.PREFIX/ukri_ds{n}") for n in (3, 2))
    before = upstream(store, "PID.SAMPLE.PREFIX/ukri_ds3")
    assert not any(rel == "wasDerivedFrom" for _, rel, _ in before)  # the catalogue names no input
    body = f"<{derived}> <http://www.w3.org/ns/prov#wasDerivedFrom> <{raw}> .\n"
    anonymous = call(store, "PUT", "/sparql/graphs", params={"graph": CURATION}, content=body.encode(),
                     headers={"content-type": "application/n-triples"})
    assert anonymous.status_code == 401  # writes need the curator's token
    written = call(store, "PUT", "/sparql/graphs", "curator", params={"graph": CURATION}, content=body.encode(),
                   headers={"content-type": "application/n-triples"})
    assert written.status_code == 201, written.text
    after = upstream(store, "PID.SAMPLE.PREFIX/ukri_ds3")
    assert (derived, "wasDerivedFrom", raw) in after and before <= after
    assert any(info.location == CURATION for info in store.sources.values())  # registered, shown by pankg stats
