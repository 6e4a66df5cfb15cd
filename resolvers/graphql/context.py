"""The per-request context: which store, which scope, the request's deadline, its lane and its batch loader.

Built fresh for every HTTP request (so DataLoader caches never leak between readers of different scopes).
:func:`scope_for` is the one place that decides what a request may read: :func:`resolvers.auth.scope_of`,
``public`` when anonymous, the bearer token's entitlement (its groups' restricted graphs) otherwise.

Every store query of a request goes through the app's ``reads`` lane (:mod:`resolvers.capacity`): a few
threads in the network sandbox with a bounded queue, waited on until the request's deadline and no longer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from graph.errors import QueryError
from graph.store.embedded import GraphStore, Scope
from resolvers.auth import scope_of
from resolvers.capacity import DeadlineExceeded, Lane
from resolvers.graphql.batch import BatchLoader
from resolvers.graphql.index_batch import IndexBatch
from resolvers.graphql.sparql import PROLOGUE, OutOfTime
from resolvers.turn import Turn

PER_REQUEST = 2
"""Store queries one request may have in the ``reads`` lane at once: 30 aliased pages in one document go two
by two, so one request cannot take every thread from the others. A request of a slow kind (the gate's
:meth:`~resolvers.capacity.Gate.is_slow`) has one at a time."""

REQUEST_SECONDS = 10.0
"""Default time limit of a request (``PANKG_GRAPHQL_TIMEOUT``): no store query starts after it, and the HTTP
view answers by then."""


def scope_for(request: Request | None) -> Scope:
    """The store scope a request reads. Anonymous requests read ``public`` only: embargoed datasets show
    their public stub; a known bearer token widens it to the caller's groups and proposals (an unknown one
    raises :class:`~resolvers.auth.Unauthorized`, answered 401)."""
    return scope_of(request)


@dataclass
class Context:
    """What every resolver reaches through ``info.context``."""

    store: GraphStore
    scope: Scope = "public"
    seconds: float = REQUEST_SECONDS
    started: float = field(default_factory=time.monotonic)
    reads: Lane | None = None
    """The app's ``reads`` lane; None (a schema executed directly, in tests): Starlette's thread pool."""
    document: DocumentNode | None = None
    """The document, when the HTTP view has parsed it already (to know its kind): not parsed twice."""
    request: Request | None = None
    """The HTTP request (None: a schema executed directly): what the app holds beside the store, such as the
    search index."""
    queries: int = 0
    turn: Turn | None = None
    """The request's place in the gate of GraphQL requests, which counts the store jobs it started."""
    share: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(PER_REQUEST))
    batch: BatchLoader = field(init=False)
    lists: IndexBatch = field(init=False)
    """Every list's pages, orders and totals, from the search index (the pages of one level: one job)."""

    def __post_init__(self) -> None:
        self.batch = BatchLoader(self.select)
        self.lists = IndexBatch(self)

    @property
    def deadline(self) -> float:
        return self.started + self.seconds

    def out_of_time(self) -> OutOfTime:
        return OutOfTime(f"the request ran out of time ({self.seconds:g} s); ask for fewer or smaller pages")

    async def prepare(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` (parsing, validation) on a thread off the event loop, by the request's deadline.

        Not in the ``reads`` lane, where it would wait behind other requests' store queries: the gate of
        GraphQL requests already bounds how many documents are prepared at once.
        """
        try:
            return await asyncio.wait_for(asyncio.to_thread(fn, *args), max(0.0, self.deadline - time.monotonic()))
        except TimeoutError:
            raise self.out_of_time() from None

    async def offload(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` on a thread of the request's lane, by its deadline (store queries)."""
        if self.reads is None:
            return await run_in_threadpool(fn, *args)
        try:
            async with self.share:
                ended = self.turn.job() if self.turn is not None else None
                return await self.reads.run(fn, *args, deadline=self.deadline, what="the request", ended=ended)
        except DeadlineExceeded:
            raise self.out_of_time() from None

    async def select(self, sparql: str) -> list[list[Any]]:
        """Run a SELECT in the request's scope (on a lane thread: the store blocks) and return rows of Python
        values. Refuses to start once the request's time is up."""
        if time.monotonic() > self.deadline:
            raise self.out_of_time()
        self.queries += 1
        try:
            _, rows = await self.offload(self.store.values, PROLOGUE + sparql, self.scope)
        except QueryError as exc:  # a bug of ours, not the client's: say so without the query text
            raise RuntimeError(f"store query failed: {exc}") from None
        return rows
