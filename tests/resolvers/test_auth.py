"""Bearer tokens widen the scope of every interface (GraphQL, SPARQL, Linked Data) to what the caller holds."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.errors import PankgError
from graph.store.embedded import GraphStore
from pankg.app import create_app
from resolvers import auth
from resolvers.auth import Tokens
from tests.graph.test_access import loaded

TEAM, OTHER = "team-secret-token", "other-secret-token"
SECRET = "Group secret"


@pytest.fixture()
def tokens_file(tmp_path: Path) -> Path:
    path = tmp_path / "tokens.yaml"
    digest = {t: hashlib.sha256(t.encode()).hexdigest() for t in (TEAM, OTHER)}
    path.write_text(f"tokens:\n  {digest[TEAM]}: {{name: team, groups: [esrf-ma1]}}\n"
                    f"  {digest[OTHER]}: {{name: other, groups: [someone-else], proposals: [X-1]}}\n")
    return path


def call(store: GraphStore, tokens: Path, method: str, path: str, token: str | None = None,
         **kwargs: Any) -> httpx.Response:
    headers = {**kwargs.pop("headers", {}), **({"authorization": f"Bearer {token}"} if token else {})}

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store, tokens))
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.request(method, path, headers=headers, **kwargs)

    return asyncio.run(run())


def graphql_title(store: GraphStore, tokens: Path, token: str | None) -> Any:
    got = call(store, tokens, "POST", "/graphql", token, json={"query": '{ dataset(pid: "grp") { title embargoed } }'})
    assert got.status_code == 200, got.text
    return got.json()["data"]["dataset"]["title"]


def sparql_titles(store: GraphStore, tokens: Path, token: str | None) -> set[str]:
    query = "SELECT ?t WHERE { GRAPH ?g { ?d <http://purl.org/dc/terms/title> ?t } }"
    got = call(store, tokens, "GET", "/sparql", token, params={"query": query},
               headers={"accept": "application/sparql-results+json"})
    assert got.status_code == 200, got.text
    return {b["t"]["value"] for b in got.json()["results"]["bindings"]}


def linked_data(store: GraphStore, tokens: Path, token: str | None) -> str:
    got = call(store, tokens, "GET", "/id/dataset/grp", token, headers={"accept": "text/turtle"})
    assert got.status_code == 200, got.text
    return got.text


def test_an_entitled_token_sees_the_embargoed_title_in_every_interface(tokens_file: Path) -> None:
    store = loaded()
    assert graphql_title(store, tokens_file, TEAM) == SECRET
    assert SECRET in sparql_titles(store, tokens_file, TEAM)
    assert SECRET in linked_data(store, tokens_file, TEAM)


@pytest.mark.parametrize("token", [None, OTHER])
def test_anonymous_and_other_groups_see_the_stub_only(tokens_file: Path, token: str | None) -> None:
    store = loaded()
    assert graphql_title(store, tokens_file, token) is None
    assert sparql_titles(store, tokens_file, token) == {"Open data"}
    page = linked_data(store, tokens_file, token)
    assert SECRET not in page and "Restricted" in page


@pytest.mark.parametrize("path", ["/graphql?query={__typename}", "/sparql?query=ASK{}", "/id/dataset/grp",
                                  "/", "/api/stats", "/ontology", "/healthz", "/export/datacite/10.5072/none"])
@pytest.mark.parametrize("header", ["Bearer not-a-known-token", "Basic dXNlcjpwYXNz", "Bearer "])
def test_an_unknown_token_is_refused_with_a_challenge(tokens_file: Path, path: str, header: str) -> None:
    got = call(loaded(), tokens_file, "GET", path, headers={"authorization": header})
    assert got.status_code == 401 and got.headers["www-authenticate"].startswith('Bearer realm="pankg"')
    assert json.loads(got.text)["error"]["type"] == "Unauthorized"


def test_without_a_tokens_file_a_token_is_refused(tmp_path: Path) -> None:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(loaded()))
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.get("/sparql?query=ASK{}", headers={"authorization": f"Bearer {TEAM}"})

    assert asyncio.run(run()).status_code == 401


def test_the_tokens_file_holds_digests_not_tokens(tmp_path: Path) -> None:
    path = tmp_path / "tokens.yaml"
    path.write_text(f"{TEAM}: {{name: oops}}\n")
    with pytest.raises(PankgError, match="SHA-256 digest") as caught:
        Tokens.load(path)
    assert TEAM not in str(caught.value)
    path.write_text(f"{Tokens.digest(TEAM)}: {{name: x, staff: true, update: true, colour: red}}\n")
    with pytest.raises(PankgError, match="unknown field"):
        Tokens.load(path)
    path.write_text(f"{Tokens.digest(TEAM)}: {{name: x, staff: true, update: true}}\n")
    caller = Tokens.load(path).caller(TEAM)
    assert caller is not None and caller.scope.staff and caller.update


def test_a_revoked_token_stops_working_without_a_restart(tokens_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "RECHECK_SECONDS", 0.0)
    store = loaded()
    app = create_app(store, tokens_file)

    def status(token: str | None) -> int:
        async def run() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
                headers = {"authorization": f"Bearer {token}"} if token else {}
                return await client.get("/graphql?query={__typename}", headers=headers)

        return asyncio.run(run()).status_code

    assert status(TEAM) == status(OTHER) == 200
    kept = [line for line in tokens_file.read_text().splitlines() if Tokens.digest(OTHER) not in line]
    tokens_file.write_text("\n".join(kept) + "\n")
    assert status(OTHER) == 401 and status(TEAM) == 200  # the same app, the file read again
    tokens_file.write_text("tokens: [this is not a mapping\n")
    assert status(TEAM) == 503 and status(None) == 200  # a broken file honours no token; anonymous goes on
    tokens_file.write_text("\n".join(kept) + "\n")
    assert status(TEAM) == 200


def test_an_expired_token_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tokens.yaml"
    path.write_text(f"tokens:\n  {Tokens.digest(TEAM)}: {{name: team, groups: [esrf-ma1], expires: 2020-01-01}}\n"
                    f"  {Tokens.digest(OTHER)}: {{name: other, expires: '2999-01-01T00:00:00+00:00'}}\n")
    got = call(loaded(), path, "GET", "/sparql?query=ASK{}", TEAM)
    assert got.status_code == 401 and "expired" in got.json()["error"]["message"]
    assert call(loaded(), path, "GET", "/sparql?query=ASK{}", OTHER).status_code == 200
    path.write_text(f"tokens:\n  {Tokens.digest(TEAM)}: {{name: team, expires: next tuesday}}\n")
    with pytest.raises(PankgError, match="expires must be a date"):
        Tokens.load(path)


@pytest.mark.parametrize("path", ["/graphql?query={__typename}", "/sparql?query=ASK{}", "/id/dataset/grp",
                                  "/", "/api/stats"])
@pytest.mark.parametrize("token", [None, TEAM])
def test_answers_are_private_to_their_caller(tokens_file: Path, path: str, token: str | None) -> None:
    """What a token sees must never be served from a shared cache to someone else; every answer says how long the
    server took on it (Server-Timing), which a client cannot tell apart from its own delays."""
    got = call(loaded(), tokens_file, "GET", path, token, headers={"accept": "text/turtle, application/json"})
    assert got.status_code == 200, got.text
    assert got.headers["cache-control"] == "private"
    assert "Authorization" in [v.strip() for v in got.headers["vary"].split(",")]
    metric, duration = got.headers["server-timing"].split(";dur=")  # how long the server itself took
    assert metric == "app" and 0 < float(duration) < 60_000
