"""Helpers for the GraphQL tests (no tests here): /graphql through httpx, the same question in SPARQL."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from graph.store.embedded import GraphStore
from pankg.app import create_app

PREFIXES = """PREFIX pankg: <https://w3id.org/pankg/ontology#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cito: <http://purl.org/spar/cito/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def request(store: GraphStore, method: str = "POST", accept: str | None = "application/graphql-response+json",
            **kwargs: Any) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store))
        headers = {**({"accept": accept} if accept else {}), **kwargs.pop("headers", {})}
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.request(method, "/graphql", headers=headers, **kwargs)

    return asyncio.run(run())


def gql(store: GraphStore, query: str, **variables: Any) -> dict[str, Any]:
    """The ``data`` of a query that must succeed."""
    response = request(store, json={"query": query, "variables": variables})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


def errors(store: GraphStore, query: str, **variables: Any) -> tuple[int, list[str]]:
    response = request(store, json={"query": query, "variables": variables})
    return response.status_code, [e["message"] for e in response.json().get("errors", [])]


def sparql(store: GraphStore, query: str) -> list[list[Any]]:
    """The public view, as anonymous GraphQL readers see it."""
    _, rows = store.query(PREFIXES + query, "public")
    return [[None if t is None else t.value for t in row] for row in rows]


def iris(store: GraphStore, where: str) -> set[str]:
    return {row[0] for row in sparql(store, f"SELECT DISTINCT ?d WHERE {{ ?d a dcat:Dataset . {where} }}")}


PAGE = """query($filter: DatasetFilter, $first: Int, $after: String) {
  datasets(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { iri } } } }"""


def all_pages(store: GraphStore, filter: dict[str, Any] | None = None, first: int = 100) -> tuple[list[str], int]:
    """Walk every page forward: the IRIs in order, and the totalCount of the first page."""
    found: list[str] = []
    after, total = None, None
    while True:
        page = gql(store, PAGE, filter=filter, first=first, after=after)["datasets"]
        total = page["totalCount"] if total is None else total
        found += [e["node"]["iri"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found, total
        after = page["pageInfo"]["endCursor"]
