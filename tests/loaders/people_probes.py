"""Probes of a person named by an embargoed record, asked anonymously and with the entitled team's token.

Shared by the loaders' tests of the rule "a person known only from an embargoed record is restricted with
it" (docs/access.md §1): an anonymous reader must not find the person by IRI (Linked Data), by name
(GraphQL ``people(filter: {text:})``, SPARQL) or by type (``?s a foaf:Person``), and the team must, with the
link to the record.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

import httpx

from graph.store.embedded import GraphStore, Scope
from pankg.app import create_app

TEAM, OTHER = "people-team-token", "people-other-token"
FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"
NAMES = (
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://schema.org/givenName",
    "http://schema.org/familyName",
    "http://schema.org/email",
)


def tokens(folder: Path, team: dict[str, list[str]], other: dict[str, list[str]] | None = None) -> Path:
    """A tokens file: TEAM holds ``team`` (``{"groups": [...], "proposals": [...]}``), OTHER ``other``."""
    path = folder / "tokens.yaml"
    holders = {TEAM: team, OTHER: other or {"groups": ["someone-else"]}}
    lines = ["tokens:"]
    for token, entitled in holders.items():
        lines.append(f"  {hashlib.sha256(token.encode()).hexdigest()}: {json.dumps({'name': token, **entitled})}")
    path.write_text("\n".join(lines) + "\n")
    return path


def call(
    store: GraphStore, tokens_file: Path, token: str | None, method: str, path: str, **options: Any
) -> httpx.Response:
    """One request to the web app over ``store``, anonymous or with a bearer token."""

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store, tokens_file))
        headers = {**options.pop("headers", {}), **({"authorization": f"Bearer {token}"} if token else {})}
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.request(method, path, headers=headers, **options)

    return asyncio.run(run())


def people_named(store: GraphStore, tokens_file: Path, token: str | None, text: str) -> list[str]:
    """The names GraphQL ``people(filter: {text:})`` answers to the caller."""
    query = "query($t: String) { people(filter: {text: $t}, first: 50) { edges { node { name } } } }"
    got = call(store, tokens_file, token, "POST", "/graphql", json={"query": query, "variables": {"t": text}})
    body = got.json()
    assert got.status_code == 200 and not body.get("errors"), got.text[:400]
    return [edge["node"]["name"] for edge in body["data"]["people"]["edges"]]


def page(store: GraphStore, tokens_file: Path, token: str | None, iri: str) -> httpx.Response:
    """The Linked Data page of a minted IRI, in Turtle."""
    base = store.minter.base
    assert iri.startswith(base), iri
    return call(store, tokens_file, token, "GET", "/id/" + iri[len(base):], headers={"accept": "text/turtle"})


def mentions(store: GraphStore, iri: str, scope: Scope) -> int:
    """How many triples in ``scope`` have ``iri`` as subject or object."""
    _, rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}", scope)
    return int(rows[0][0].value)


def names(store: GraphStore, scope: Scope) -> set[str]:
    """Every name, label and e-mail address of a person in ``scope``."""
    values = " ".join(f"<{p}>" for p in NAMES)
    _, rows = store.query(
        f"SELECT ?v WHERE {{ ?s a <{FOAF_PERSON}> ; ?p ?v VALUES ?p {{ {values} }} }}", scope
    )
    return {str(row[0].value) for row in rows}


def people(store: GraphStore, scope: Scope) -> set[str]:
    """The IRIs ``?s a foaf:Person`` answers in ``scope``."""
    _, rows = store.query(f"SELECT ?s WHERE {{ ?s a <{FOAF_PERSON}> }}", scope)
    return {str(row[0].value) for row in rows}


def public_literals(store: GraphStore) -> set[str]:
    """Every literal an anonymous reader can reach."""
    _, rows = store.query("SELECT DISTINCT ?v WHERE { ?s ?p ?v FILTER(isLiteral(?v)) }", "public")
    return {str(row[0].value) for row in rows}
