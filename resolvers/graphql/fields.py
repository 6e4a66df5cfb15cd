"""GraphQL fields made from the model's description (:mod:`graph.model.schema`), so a field added there shows.

A :class:`~graph.model.schema.Field` becomes a resolver that reads its predicate through the request's batch
loader, like the hand-written fields: a string, a date or an IRI as ``String``, a number as ``Float`` (GraphQL's
``Int`` is 32 bits and byte sizes pass it), a ``many`` field as a sorted list. :func:`from_schema` adds them to a
type before ``strawberry.type`` reads it; the fields a type resolves by hand (a kind, a link) stay in its body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from graph.model.schema import Field, Kind
from resolvers.graphql.eager import eager
from resolvers.graphql.nodes import INFO, every, first

T = TypeVar("T")

_PYTHON: dict[str, type] = {"integer": float, "decimal": float, "boolean": bool}
"""The GraphQL scalar of a datatype, where it is not ``String``."""


def _resolver(f: Field) -> Callable[..., Any]:
    """An async resolver of ``f`` on a node type (``self.iri``), annotated with the GraphQL type it returns."""
    scalar = _PYTHON.get(f.datatype, str)
    predicate = f.predicate

    if f.many:
        async def many(self: Any, info: INFO) -> Any:
            return [scalar(v) for v in await every(info, self.iri, predicate)]
        many.__annotations__ = {"info": INFO, "return": list[scalar]}  # type: ignore[valid-type]
        return eager(many)

    async def single(self: Any, info: INFO) -> Any:
        value = await first(info, self.iri, predicate)
        return None if value is None else scalar(value)
    single.__annotations__ = {"info": INFO, "return": scalar | None}
    return eager(single)


def from_schema(kind: Kind, *, hand_written: tuple[str, ...] = ()) -> Callable[[type[T]], type[T]]:
    """A class decorator (put it below ``@strawberry.type``) adding every GraphQL field of ``kind`` that the
    type does not resolve by hand: a field is shown unless it is marked ``graphql=False``."""

    def add(cls: type[T]) -> type[T]:
        for f in kind.fields:
            if not f.graphql or f.name in hand_written or f.name in vars(cls):
                continue
            resolver = _resolver(f)
            resolver.__name__ = f.name
            setattr(cls, f.name, strawberry.field(resolver=resolver, description=f.doc or None))
        return cls

    return add
