"""Resolvers that answer at once when their data is already loaded, and wait only when it is not.

graphql-core treats every ``async def`` resolver as pending: it wraps the coroutine, schedules it and completes
the value turns later, even when the coroutine would finish without waiting (its batch already loaded by the
page's look-ahead, :mod:`resolvers.graphql.lookahead`). For 600 fields of a page that overhead was most of the
request. :func:`eager` makes a resolver a plain function that starts its coroutine at once: if the coroutine
finishes without suspending, its value is returned as a plain value (graphql-core then completes it in the same
turn); if it suspends, the started coroutine is handed back as an awaitable that carries on where it stopped.

A coroutine run this way must not await a future that another eager coroutine may be awaiting at the same
moment (asyncio refuses a second awaiter of a pending future before a task takes it): the batch loader gives
each waiter its own future (:meth:`resolvers.graphql.batch.BatchLoader.links`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Generator
from typing import Any


def eager(fn: Callable[..., Coroutine[Any, Any, Any]]) -> Callable[..., Any]:
    """``fn`` (an ``async def``) as a function returning its value when it needs no wait, else an awaitable."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        coroutine = fn(*args, **kwargs)
        try:
            waiting_on = coroutine.send(None)
        except StopIteration as finished:
            return finished.value
        return Started(coroutine, waiting_on)

    return run


class Started:
    """A coroutine that has run up to its first wait: awaiting this carries it on, as ``await`` would have."""

    __slots__ = ("_coroutine", "_waiting_on")

    def __init__(self, coroutine: Coroutine[Any, Any, Any], waiting_on: Any) -> None:
        self._coroutine = coroutine
        self._waiting_on = waiting_on

    def __await__(self) -> Generator[Any, Any, Any]:
        coroutine, waiting_on = self._coroutine, self._waiting_on
        while True:
            try:
                sent = yield waiting_on  # to the task running us, as the coroutine yielded it
            except BaseException as error:  # cancellation and errors reach the coroutine where it waits
                try:
                    waiting_on = coroutine.throw(error)
                except StopIteration as finished:
                    return finished.value
            else:
                try:
                    waiting_on = coroutine.send(sent)
                except StopIteration as finished:
                    return finished.value
