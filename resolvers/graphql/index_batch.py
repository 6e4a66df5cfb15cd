"""Every list of the API from the search index: the pages a request asks in one event-loop turn, in one job.

``instruments { datasets(first: 3) }`` over a page of 50 instruments asks 50 pages of datasets. Their
searches are gathered by a DataLoader (the settling loop of :mod:`resolvers.graphql.batch`, so the pages of one
level arrive together) and run in one job on a thread of the request's lane, on one searcher: every page of one
level sees the same commit of the index, and the request counts one index query per level, not per page.

The index is the app's (``app.state.search``, opened and caught up by ``pankg serve`` before it listens), else
the store's (:meth:`graph.search.SearchIndex.of`: one per store and process). Before it searches, a job catches
the index up with the store's write version (:meth:`graph.search.SearchIndex.catch_up`): no list ever reads an
index older than the graph.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, cast

from strawberry.dataloader import DataLoader

from graph.errors import QueryError
from graph.search import DatasetQuery, EntityQuery, Order, Page, SearchIndex
from graph.store.embedded import GraphStore
from resolvers.graphql.batch import SettlingLoop
from resolvers.graphql.sparql import UserError

if TYPE_CHECKING:
    from resolvers.graphql.context import Context

Asked = tuple[DatasetQuery | EntityQuery, int, str | None, Order | None, bool]
"""A page asked: query, size, cursor, order, and whether a technique the index does not know matches nothing
(a nested list of a technique node) rather than being an error (a filter)."""

def index_of(state: Any, store: GraphStore) -> SearchIndex:
    """The app's search index (``state``: ``app.state``), else the store's (:meth:`SearchIndex.of`)."""
    found = getattr(state, "search", None)
    return found if isinstance(found, SearchIndex) else SearchIndex.of(store)


class IndexBatch:
    """The index reads of one request."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._loader: DataLoader[Asked, Page] | None = None

    @property
    def index(self) -> SearchIndex:
        request = self._context.request
        return index_of(request.app.state if request is not None else None, self._context.store)

    async def page(self, query: DatasetQuery | EntityQuery, first: int, after: str | None = None,
                   order: Order | None = None, *, lenient: bool = False) -> Page:
        """A page of what ``query`` selects in the request's scope, batched with the other pages of its level."""
        if self._loader is None:
            loop = cast(asyncio.AbstractEventLoop, SettlingLoop(asyncio.get_running_loop()))  # duck-typed
            self._loader = DataLoader(load_fn=self._load, loop=loop)
        return await self._loader.load((query, first, after, order, lenient))

    async def facets(self, query: DatasetQuery) -> dict[str, dict[str, int]]:
        index, scope = self.index, self._context.scope
        return cast(dict[str, dict[str, int]], await self._run(lambda: _user_errors(index.facets, query, scope)))

    async def _load(self, asked: list[Asked]) -> list[Page | BaseException]:
        index, scope = self.index, self._context.scope

        def run() -> list[Page | BaseException]:
            searcher = index.searcher()
            pages: list[Page | BaseException] = []
            for query, first, after, order, lenient in asked:
                if lenient and isinstance(query, DatasetQuery) and isinstance(query.technique, str) \
                        and query.technique not in index.techniques:
                    pages.append(Page([], 0, False))
                    continue
                try:
                    pages.append(index.search(query, scope, first, after, order, searcher))
                except QueryError as exc:
                    pages.append(UserError(str(exc)))
            return pages

        return cast(list[Page | BaseException], await self._run(run))

    async def _run(self, fn: Any) -> Any:
        """``fn()`` on a thread of the request's lane, after catching the index up with the store."""
        index = self.index

        def caught_up() -> Any:
            index.catch_up()
            return fn()

        self._context.queries += 1
        return await self._context.offload(caught_up)


def _user_errors(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except QueryError as exc:
        raise UserError(str(exc)) from None
