"""Relay cursor connections over a SPARQL pattern: one query per page, one more for ``totalCount`` if asked.

A cursor is an opaque, versioned position (``base64("pankg:v1:<offset>")``) in the query's order. The order
always ends with the node's IRI, so it is total and a walk from the first page to the last sees every node
once while the store does not change. ``first`` is capped at :data:`MAX_PAGE`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry

from resolvers.graphql.sparql import UserError

T = TypeVar("T")
DEFAULT_PAGE = 20
MAX_PAGE = 100
MAX_OFFSET = 100_000_000
"""The furthest position a cursor may name: past every catalogue; beyond it a cursor was not handed out."""
_PREFIX = "pankg:v1:"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset after ``cursor`` (0 without one); a clear error for anything this API did not hand out."""
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        digits = text[len(_PREFIX):]
        if text.startswith(_PREFIX) and digits.isascii() and digits.isdigit() and len(digits) <= 12:
            offset = int(digits) + 1
            if offset <= MAX_OFFSET:
                return offset
    except (binascii.Error, UnicodeError, ValueError):
        pass
    raise UserError(f"invalid cursor {cursor!r}: pass the endCursor or an edge cursor of a previous page")


def page_size(first: int | None) -> int:
    size = DEFAULT_PAGE if first is None else first
    if size < 0 or size > MAX_PAGE:
        raise UserError(f"first must be between 0 and {MAX_PAGE} (got {size}); page with after: endCursor")
    return size


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of results, Relay style: edges (or nodes), pageInfo and totalCount.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Any]]

    @strawberry.field(description="How many nodes match the filter, all pages together (costs one store query).")
    async def total_count(self) -> int:
        return int(await self._count())

    @strawberry.field(description="The nodes of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


async def paginate(
    select: Callable[[str], Any],
    where: str,
    order: tuple[str, str],
    first: int | None,
    after: str | None,
    make: Callable[[str], T],
) -> Connection[T]:
    """A page of the nodes ``?n`` matching ``where``.

    ``order`` is ``(pattern binding ?k from ?n, ORDER BY terms over ?key)``; an empty pattern orders by IRI.
    """
    size, offset = page_size(first), decode_cursor(after)
    pattern, terms = order
    if pattern:  # a node with two titles still sorts once, by its smallest
        sparql = (f"SELECT ?n (MIN(?k) AS ?key) WHERE {{ {where} OPTIONAL {{ {pattern} }} }} GROUP BY ?n "
                  f"ORDER BY {terms} ?n OFFSET {offset} LIMIT {size + 1}")
    else:
        sparql = f"SELECT DISTINCT ?n WHERE {{ {where} }} ORDER BY ?n OFFSET {offset} LIMIT {size + 1}"
    rows = await select(sparql) if size else []
    edges = [Edge(cursor=encode_cursor(offset + k), node=make(row[0])) for k, row in enumerate(rows[:size])]

    async def count() -> int:
        found = await select(f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ {where} }}")
        return int(found[0][0])

    info = PageInfo(
        has_next_page=len(rows) > size,
        has_previous_page=offset > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, _count=count)
