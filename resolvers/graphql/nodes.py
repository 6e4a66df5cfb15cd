"""What every GraphQL type is built on: a node is its IRI; each field asks the request's batch loader.

Types hold nothing but the IRI, so a node reached by any path (a page, a link, the lineage) resolves its
fields the same way, and fields that nobody asks for cost nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from ontology.namespaces import RDF
from resolvers.graphql.context import Context

INFO = Info[Context, None]
T = TypeVar("T")


def context(info: INFO) -> Context:
    return info.context


async def first(info: INFO, node: str, predicate: str) -> Any:
    """One value of ``predicate`` (the smallest, so answers are stable), or None."""
    values = (await info.context.batch.props(node)).get(predicate, [])
    return min(values, key=str) if values else None


async def every(info: INFO, node: str, predicate: str) -> list[Any]:
    return sorted((await info.context.batch.props(node)).get(predicate, []), key=str)


async def types(info: INFO, node: str) -> set[str]:
    return set((await info.context.batch.props(node)).get(RDF.type, []))


async def linked(info: INFO, link: str, node: str) -> list[str]:
    return [str(o) for o in await info.context.batch.links(link, node)]


async def one(info: INFO, link: str, node: str) -> str | None:
    found = await linked(info, link, node)
    return found[0] if found else None


def text(value: Any) -> str | None:
    return None if value is None else str(value)


@strawberry.interface(description="Any node of the graph: its IRI is its identity.")
class Node:
    iri: str = strawberry.field(graphql_type=strawberry.ID)


NODE_TYPES: dict[str, Any] = {}
"""GraphQL node types by name, for the types that refer to each other across modules (datasets and things)."""


def node_type(cls: type[T]) -> type[T]:
    """Register a node type (put it below ``@strawberry.type``), so :func:`make` can build it by name."""
    NODE_TYPES[cls.__name__] = cls
    return cls


def make(name: str, iri: str) -> Any:
    """A node of the type registered as ``name``: how one types module builds another's nodes without
    importing it (the two refer to each other; the annotations stay ``strawberry.lazy``)."""
    return NODE_TYPES[name](iri=iri)
