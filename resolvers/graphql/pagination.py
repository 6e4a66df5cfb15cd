"""Relay cursor connections over a page of the search index (:mod:`resolvers.graphql.index_batch`).

A cursor is the index's: an opaque key of the node's place in the list's total order (every order ends with the
node's IRI), not an offset, so a walk from the first page to the last sees every node once, however long the
list, and the next page costs what the first did. ``totalCount`` comes with the page at no extra cost.
``first`` is capped at :data:`MAX_PAGE`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from graph.search import Page
from resolvers.graphql.sparql import UserError

T = TypeVar("T")
DEFAULT_PAGE = 20
MAX_PAGE = 100


def page_size(first: int | None, default: int = DEFAULT_PAGE) -> int:
    size = default if first is None else first
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
    total_count: int = strawberry.field(description="How many nodes match the filter, all pages together.")

    @strawberry.field(description="The nodes of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def page_info(cursors: list[str], has_next: bool, after: str | None) -> PageInfo:
    return PageInfo(has_next_page=has_next, has_previous_page=after is not None,
                    start_cursor=cursors[0] if cursors else None, end_cursor=cursors[-1] if cursors else None)


def connection(page: Page, after: str | None, make: Callable[[str], T]) -> Connection[T]:
    """The connection of an index page, its nodes made by ``make(iri)``."""
    edges = [Edge(cursor=hit.cursor, node=make(hit.iri)) for hit in page.hits]
    return Connection(edges=edges, page_info=page_info([e.cursor for e in edges], page.has_next, after),
                      total_count=page.total)
