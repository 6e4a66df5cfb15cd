"""Nested connections in one store query per level: ``instruments { datasets(first: 3) }`` over a page of 50
instruments asks 50 pages of datasets, which would be 50 queries (and 50 more for their ``totalCount``).

Every page query :func:`resolvers.graphql.pagination.paginate` builds for a nested connection is a whole
``SELECT DISTINCT ?n WHERE {...} ORDER BY ?n OFFSET o LIMIT l``, and its count a whole
``SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {...}``. The queries of one level arrive in the same few event-loop
turns (the DataLoader of :mod:`resolvers.graphql.batch` waits for them), so they go out together as one
SELECT: each query a sub-select in its own UNION branch, tagged ``?q`` with its position, the answer ordered
by ``?q ?n`` so that every branch keeps its own order. Any other shape runs on its own.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, cast

from strawberry.dataloader import DataLoader

from resolvers.graphql.batch import SettlingLoop

Select = Callable[[str], Awaitable[list[list[Any]]]]

_SHAPES = {
    "page": re.compile(r"SELECT DISTINCT \?n WHERE \{.*\} ORDER BY \?n OFFSET \d+ LIMIT \d+", re.DOTALL),
    "count": re.compile(r"SELECT \(COUNT\(DISTINCT \?n\) AS \?c\) WHERE \{.*\}", re.DOTALL),
}
_VARIABLES = {"page": "?n", "count": "?c"}


def shape(sparql: str) -> str | None:
    """``page``, ``count`` or None (a query that cannot share a UNION with others)."""
    return next((name for name, pattern in _SHAPES.items() if pattern.fullmatch(sparql)), None)


def union_query(kind: str, queries: list[str]) -> str:
    """One SELECT answering ``queries`` (all of shape ``kind``), each row tagged ``?q`` with its query's index."""
    variable = _VARIABLES[kind]
    branches = [f"{{ {{ {query} }} BIND({k} AS ?q) }}" for k, query in enumerate(queries)]
    return f"SELECT ?q {variable} WHERE {{\n" + "\nUNION ".join(branches) + f"\n}} ORDER BY ?q {variable}"


class PageBatch:
    """``select`` for nested connections: same-shape queries of one level answered by one store query."""

    def __init__(self, select: Select) -> None:
        self._select = select
        self._loader: DataLoader[str, list[list[Any]]] | None = None

    async def select(self, sparql: str) -> list[list[Any]]:
        if shape(sparql) is None:
            return await self._select(sparql)
        if self._loader is None:
            loop = cast(asyncio.AbstractEventLoop, SettlingLoop(asyncio.get_running_loop()))  # duck-typed
            self._loader = DataLoader(load_fn=self._load, loop=loop)
        return await self._loader.load(sparql)

    async def _load(self, queries: list[str]) -> list[list[list[Any]]]:
        answers: dict[str, list[list[Any]]] = {}
        by_shape: dict[str, list[str]] = defaultdict(list)
        for query in dict.fromkeys(queries):
            by_shape[shape(query) or ""].append(query)
        for kind, group in by_shape.items():
            if len(group) == 1:
                answers[group[0]] = await self._select(group[0])
                continue
            rows: dict[int, list[list[Any]]] = defaultdict(list)
            for q, *values in await self._select(union_query(kind, group)):
                rows[int(q)].append(values)
            answers.update({query: rows.get(k, []) for k, query in enumerate(group)})
        return [answers[query] for query in queries]
