"""Limits and error hygiene: what keeps one request from taking the server down or leaking internals.

- the body is bounded before it is read (``PANKG_GRAPHQL_MAX_BODY``, http.py);
- parsing and validation run off the event loop (:class:`OffLoop`): a 1 MB document of comments took the
  loop for 0.8 s, and every other request waited behind it;
- token, field, depth and alias limits are checked before anything runs: tokens while parsing
  (graphql-core stops at the limit), fields (:data:`MAX_FIELDS`) right after, before validation, whose
  overlap check recurses per field and gave up ("Validation aborted") past about 800; depth and aliases
  are strawberry's validation rules;
- ``first`` is capped in pagination.py, lineage depth in lineage.py, the time per request in context.py;
- errors: GraphQL's own (syntax, unknown field, wrong argument type), :class:`UserError` and a full server
  (:class:`~resolvers.capacity.ServerBusy`, answered 503) keep their message; anything else becomes
  "internal error" in the response (the traceback goes to the log only).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from graphql import DocumentNode, FieldNode, GraphQLError, GraphQLSchema, parse, visit
from graphql.language import Visitor
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.schema import validate_document

from resolvers.capacity import ServerBusy
from resolvers.graphql.documents import Recent
from resolvers.graphql.sparql import UserError

VALIDATED: Recent[tuple[GraphQLError, ...]] = Recent()
"""Validation errors of the documents seen lately, by schema and text (:mod:`resolvers.graphql.documents`): the rules
and the schema are the same for every request."""
MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 3000
MAX_FIELDS = 500

log = logging.getLogger("pankg.graphql")


def is_internal(error: GraphQLError) -> bool:
    """Mask an error unless it is the client's to read (GraphQL validation, a :class:`UserError`, a full server)."""
    original = error.original_error
    if original is None or isinstance(original, (UserError, GraphQLError, ServerBusy)):
        return False
    log.error("GraphQL resolver failed at %s", error.path, exc_info=original)
    return True


class _FieldCounter(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.fields = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        self.fields += 1


def count_fields(document: DocumentNode) -> int:
    """Field selections in a document, in operations and fragments alike."""
    counter = _FieldCounter()
    visit(document, counter)
    return counter.fields


def parse_checked(query: str, options: dict[str, Any]) -> DocumentNode:
    """Parse ``query`` (with graphql-core's token limit) and refuse more than :data:`MAX_FIELDS` fields."""
    document = parse(query, **options)
    fields = count_fields(document)
    if fields > MAX_FIELDS:
        raise GraphQLError(f"the document selects {fields:,} fields; at most {MAX_FIELDS:,} are answered in one "
                           "request: use fragments less, or split it")
    return document


def validate_checked(schema: GraphQLSchema, document: DocumentNode, rules: tuple[Any, ...]) -> list[GraphQLError]:
    """Validation, with a recursion that gives up reported as what it is."""
    try:
        return validate_document(schema, document, rules)
    except RecursionError:
        return [GraphQLError("the document is nested too deeply to be validated")]


class OffLoop(SchemaExtension):
    """Parse and validate the document on a thread, not on the event loop.

    Strawberry skips its own parse when ``graphql_document`` is already set and its own validation when
    ``pre_execution_errors`` is: this extension sets both, from a thread (``context.prepare``, by the request's
    deadline), so a large document is work off the loop; the gate of GraphQL requests bounds how many at once.
    The limiters above it in the list have set ``parse_options`` and ``validation_rules`` by then (in
    ``on_operation``).
    """

    async def on_parse(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is None and ctx.query:
            parsed = getattr(ctx.context, "document", None)  # parsed by the HTTP view with the same limits
            if parsed is None:
                parsed = await _offload(ctx.context, parse_checked, ctx.query, dict(ctx.parse_options))
            ctx.graphql_document = parsed
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.pre_execution_errors is None and ctx.graphql_document is not None:
            key = (id(ctx.schema), ctx.query)
            known = VALIDATED.get(key)
            if known is None:
                known = tuple(await _offload(ctx.context, validate_checked, ctx.schema._schema,
                                             ctx.graphql_document, tuple(ctx.validation_rules)))
                VALIDATED.put(key, ctx.query or "", known)
            ctx.pre_execution_errors = list(known)
        yield


async def _offload(context: Any, fn: Callable[..., Any], *args: Any) -> Any:
    prepare = getattr(context, "prepare", None)
    if prepare is None:
        return await asyncio.to_thread(fn, *args)
    return await prepare(fn, *args)


def extensions() -> list[Callable[[], Any]]:
    """Factories, not instances: strawberry builds a fresh extension per request (instances are deprecated)."""
    return [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        OffLoop,
        lambda: MaskErrors(should_mask_error=is_internal, error_message="internal error (logged on the server)"),
    ]
