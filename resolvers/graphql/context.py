"""The per-request context: which store, which scope, the request's deadline and its batch loader.

Built fresh for every HTTP request (so DataLoader caches never leak between readers of different scopes).
:func:`scope_for` is the one place that decides what a request may read: :func:`resolvers.auth.scope_of`,
``public`` when anonymous, the bearer token's entitlement (its groups' restricted graphs) otherwise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from graph.errors import QueryError
from graph.store import GraphStore, Scope
from resolvers.auth import scope_of
from resolvers.graphql.batch import BatchLoader
from resolvers.graphql.page_batch import PageBatch
from resolvers.graphql.sparql import PROLOGUE, UserError, python

REQUEST_SECONDS = 10.0
"""Per-request time limit: no store query starts after it, and the HTTP view stops waiting at it."""


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
    queries: int = 0
    batch: BatchLoader = field(init=False)
    pages: PageBatch = field(init=False)
    """``select`` for nested connections: the pages (and counts) of one level go out as one query."""

    def __post_init__(self) -> None:
        self.batch = BatchLoader(self.select)
        self.pages = PageBatch(self.select)

    @property
    def deadline(self) -> float:
        return self.started + self.seconds

    async def select(self, sparql: str) -> list[list[Any]]:
        """Run a SELECT in the request's scope (in a worker thread: pyoxigraph blocks) and return rows
        of Python values. Refuses to start once the request's time is up."""
        if time.monotonic() > self.deadline:
            raise UserError(f"the request ran out of time ({self.seconds:g} s); ask for fewer or smaller pages")
        self.queries += 1
        try:
            _, rows = await run_in_threadpool(self.store.query, PROLOGUE + sparql, self.scope)
        except QueryError as exc:  # a bug of ours, not the client's: say so without the query text
            raise RuntimeError(f"store query failed: {exc}") from None
        return [[python(term) for term in row] for row in rows]
