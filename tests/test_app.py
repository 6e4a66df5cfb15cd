"""The ASGI app over a real store, through httpx's ASGI transport."""

from __future__ import annotations

import asyncio

import httpx

from graph.store.embedded import GraphStore
from loaders.demo import DemoCatalogue
from pankg.app import create_app


def get(store: GraphStore, path: str) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://pankg.test") as client:
            return await client.get(path)

    return asyncio.run(run())


def test_home_page_shows_public_counts_and_latest_datasets(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, catalogue = demo_store
    response = get(store, "/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert f"<td>datasets</td><td>{catalogue.datasets:,}</td>" in response.text
    assert "Latest public datasets" in response.text and "https://w3id.org/pankg/id/dataset/" in response.text


def test_stats_api_is_the_anonymous_view(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, catalogue = demo_store
    stats = get(store, "/api/stats").json()
    assert stats["entities"]["datasets"] == catalogue.datasets  # stubs of embargoed ones included
    assert stats["embargoed_datasets"] == catalogue.summary["embargoed datasets"]
    assert {g["access"] for g in stats["graphs"]} == {"public"}
    assert all(set(g) == {"source_kind", "access", "triples"} for g in stats["graphs"])  # no file paths, no IRIs
    _, titles = store.query("SELECT ?t WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> ?t }", "public")
    assert len(titles) == catalogue.datasets - catalogue.summary["embargoed datasets"]


def test_health_and_unknown_paths(demo_store: tuple[GraphStore, DemoCatalogue]) -> None:
    store, _ = demo_store
    assert get(store, "/healthz").json() == {"status": "ok"}
    assert get(store, "/nope").status_code == 404
