"""A connection that retries before its Retry-After waits out the rest of it; others are not held."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from resolvers import pacing
from resolvers.pacing import PaceRetries


def app() -> PaceRetries:
    async def busy(request: Request) -> PlainTextResponse:
        return PlainTextResponse("busy", 503, headers={"Retry-After": "1"})

    async def fine(request: Request) -> PlainTextResponse:
        return PlainTextResponse("fine")

    return PaceRetries(Starlette(routes=[Route("/busy", busy), Route("/fine", fine)]))


def client(asgi: PaceRetries, port: int) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi, client=("10.0.0.1", port)), base_url="http://t")


async def timed(http: httpx.AsyncClient, path: str) -> tuple[int, float]:
    started = time.monotonic()
    got = await http.get(path)
    return got.status_code, time.monotonic() - started


def test_a_connection_that_comes_back_too_soon_waits_and_others_do_not() -> None:
    async def run() -> None:
        asgi = app()
        async with client(asgi, 1000) as flooding, client(asgi, 1001) as other:
            assert (await timed(flooding, "/busy"))[0] == 503
            status, waited = await timed(flooding, "/fine")  # back at once: held for the rest of the second
            assert status == 200 and 0.8 < waited < 2
            status, waited = await timed(other, "/fine")  # another connection from the same address
            assert status == 200 and waited < 0.5
            assert (await timed(flooding, "/busy"))[0] == 503
            await asyncio.sleep(1.05)  # a client that honours Retry-After
            status, waited = await timed(flooding, "/fine")
            assert status == 200 and waited < 0.5

    asyncio.run(run())


def test_the_memory_of_connections_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pacing, "MOST_REMEMBERED", 10)

    async def run() -> None:
        asgi = app()
        for port in range(40):
            async with client(asgi, 2000 + port) as http:
                assert (await http.get("/busy")).status_code == 503
        assert len(asgi.retry_at) <= 10

    asyncio.run(run())
