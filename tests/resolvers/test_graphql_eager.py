"""Eager resolvers and the connections' look-ahead: a field whose data is loaded answers at once, one that must
wait still waits (and fails or is cancelled as it would), and a page's nodes find every first-level field they
select loaded with the page."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType

from graph.search import SearchIndex
from graph.store.embedded import GraphStore
from loaders.demo import DemoCatalogue
from resolvers.graphql.eager import Started, eager
from resolvers.graphql.schema import make_schema
from tests.resolvers.test_graphql_helpers import gql


@eager
async def twice(wait: asyncio.Future[int] | None, value: int) -> int:
    if wait is not None:
        value = await wait
    if value < 0:
        raise ValueError("negative")
    return 2 * value


def test_a_coroutine_that_need_not_wait_answers_at_once() -> None:
    assert twice(None, 4) == 8
    with pytest.raises(ValueError, match="negative"):
        twice(None, -1)


def test_a_coroutine_that_must_wait_is_awaited_where_it_stopped() -> None:
    async def run() -> list[Any]:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[int] = loop.create_future()
        shared: asyncio.Future[int] = loop.create_future()
        started = twice(ready, 0)
        assert isinstance(started, Started)
        loop.call_soon(ready.set_result, 5)
        answers: list[Any] = [await started]
        failing = twice(shared, 0)
        loop.call_soon(shared.set_result, -3)
        with pytest.raises(ValueError, match="negative"):
            await failing
        never: asyncio.Future[int] = loop.create_future()
        task = asyncio.ensure_future(twice(never, 0))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        answers.append(never.cancelled())  # the cancellation reached the coroutine where it waited
        return answers

    assert asyncio.run(run()) == [10, True]


def _selection(field_type: Any) -> str:
    while isinstance(field_type, (GraphQLNonNull, GraphQLList)):
        field_type = field_type.of_type
    return " { iri }" if isinstance(field_type, GraphQLObjectType) else ""


@pytest.fixture
def store_queries(demo_store: tuple[GraphStore, DemoCatalogue], monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    store, _ = demo_store
    SearchIndex.of(store).catch_up()
    calls: list[str] = []
    real = store.values

    def values(sparql: str, scope: Any = "all") -> Any:
        calls.append(sparql)
        return real(sparql, scope)

    monkeypatch.setattr(store, "values", values)
    yield calls


def test_a_page_loads_every_first_level_field_it_selects_with_the_page(
        demo_store: tuple[GraphStore, DemoCatalogue], store_queries: list[str]) -> None:
    store, _ = demo_store
    dataset = make_schema()._schema.get_type("Dataset")
    assert isinstance(dataset, GraphQLObjectType)
    fields = " ".join(f"{name}{_selection(field.type)}" for name, field in dataset.fields.items())
    for page in (f"datasets(first: 40) {{ edges {{ node {{ {fields} }} }} }}",
                 f'search(query: "scan", first: 40) {{ nodes {{ {fields} }} }}',
                 f"instruments(first: 5) {{ nodes {{ datasets(first: 8) {{ nodes {{ {fields} }} }} }} }}"):
        store_queries.clear()
        data = gql(store, "{ " + page + " }")
        assert data, page
        # One batch for every first-level field of the page, of the nested pages of all 5 instruments together.
        assert len(store_queries) == 1, (page, len(store_queries))
    store_queries.clear()
    gql(store, "{ datasets(first: 40) { edges { node { iri } } } }")
    assert store_queries == []  # nothing selected, nothing loaded


NESTED = """{ datasets(first: 50, filter: {embargoed: false}) { nodes { pid title techniques { label }
  instrument { name facility { name } } dois { doi } software { version software { name } } citationCount } } }"""


def test_a_page_with_nested_links_answers_every_field_without_waiting(
        demo_store: tuple[GraphStore, DemoCatalogue], store_queries: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = demo_store
    waited: list[Started] = []
    real = Started.__init__

    def counted(self: Started, *args: Any) -> None:
        waited.append(self)
        real(self, *args)

    monkeypatch.setattr(Started, "__init__", counted)
    nodes = gql(store, NESTED)["datasets"]["nodes"]
    assert any(n["software"] and n["software"][0]["software"]["name"] for n in nodes)
    assert all(t["label"] for n in nodes for t in n["techniques"]) and any(n["instrument"] for n in nodes)
    assert waited == []  # every field found its data loaded ahead
    assert len(store_queries) == 3  # the levels: links; labels, names and versions; software names
