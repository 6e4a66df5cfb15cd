"""DataCite export over HTTP reads in the caller's scope: an embargoed dataset's details stay out of it."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from pathlib import Path

import httpx
import pytest

from graph.model import entities as e
from graph.model.writer import RdfModel
from graph.store.embedded import GraphStore
from pankg.app import create_app

TODAY = dt.date.today()
TEAM, OTHER = "team-token", "other-token"
DOI = "10.5072/pankg-test.secret"


def store_with_an_embargoed_doi() -> GraphStore:
    """A DOI record without creators of its own, covering one embargoed dataset whose creator and licence are
    its details: the export takes the creators from the covered datasets the reader may see."""
    store = GraphStore()
    model = RdfModel(store.minter, as_of=TODAY)
    records = [
        e.Person("alice", "Alice Secretworth"),
        e.Dataset(pid="grp", title="Group secret", owner_group="esrf-ma1", creators=("alice",),
                  license="CC-BY-4.0", doi=DOI, embargo_end=TODAY + dt.timedelta(days=365)),
        e.DoiRecord(DOI, "Data of proposal MA-1", publisher="ESRF", year=TODAY.year, parts=("grp",)),
    ]
    quads = [q for r in records for q in model.quads(r)]
    store.replace_source("test", "test:export", "1", quads, as_of=TODAY, next_release=lambda: model.next_release)
    return store


@pytest.fixture()
def tokens_file(tmp_path: Path) -> Path:
    path = tmp_path / "tokens.yaml"
    digest = {t: hashlib.sha256(t.encode()).hexdigest() for t in (TEAM, OTHER)}
    path.write_text(f"tokens:\n  {digest[TEAM]}: {{name: team, groups: [esrf-ma1]}}\n"
                    f"  {digest[OTHER]}: {{name: other, groups: [someone-else]}}\n")
    return path


def get(store: GraphStore, tokens: Path, path: str, token: str | None = None) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store, tokens))
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.get(path, headers=headers)

    return asyncio.run(run())


@pytest.mark.parametrize("token", [None, OTHER])
def test_anonymous_and_other_groups_export_without_the_embargoed_details(tokens_file: Path, token: str | None) -> None:
    got = get(store_with_an_embargoed_doi(), tokens_file, f"/export/datacite/{DOI}", token)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/xml")
    assert "Data of proposal MA-1" in got.text  # the DOI's own metadata is public
    assert "Alice Secretworth" not in got.text and "Group secret" not in got.text
    assert "creators" in got.headers["x-pankg-unavailable"]


def test_an_entitled_token_exports_the_creators_of_the_covered_dataset(tokens_file: Path) -> None:
    got = get(store_with_an_embargoed_doi(), tokens_file, f"/export/datacite/https://doi.org/{DOI}", TEAM)  # any DOI form
    assert got.status_code == 200, got.text
    assert "Alice Secretworth" in got.text
    assert "creators" not in got.headers.get("x-pankg-unavailable", "")


def test_an_unknown_doi_is_404_and_a_bad_token_401(tokens_file: Path) -> None:
    store = store_with_an_embargoed_doi()
    missing = get(store, tokens_file, "/export/datacite/10.5072/nothing-here")
    assert missing.status_code == 404 and "not in the graph" in missing.text
    assert get(store, tokens_file, f"/export/datacite/{DOI}", "forged").status_code == 401
