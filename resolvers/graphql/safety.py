"""Limits and error hygiene: what keeps one request from taking the server down or leaking internals.

- depth, alias and token limits are strawberry's validation extensions (checked before anything runs);
- ``first`` is capped in pagination.py, lineage depth in lineage.py, the time per request in context.py;
- errors: GraphQL's own (syntax, unknown field, wrong argument type) and :class:`UserError` keep their
  message; anything else becomes "internal error" in the response (the traceback goes to the log only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

from resolvers.graphql.sparql import UserError

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 3000

log = logging.getLogger("pankg.graphql")


def is_internal(error: GraphQLError) -> bool:
    """Mask an error unless it is the client's to read (GraphQL validation or a :class:`UserError`)."""
    original = error.original_error
    if original is None or isinstance(original, (UserError, GraphQLError)):
        return False
    log.error("GraphQL resolver failed at %s", error.path, exc_info=original)
    return True


def extensions() -> list[Callable[[], Any]]:
    """Factories, not instances: strawberry builds a fresh extension per request (instances are deprecated)."""
    return [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaskErrors(should_mask_error=is_internal, error_message="internal error (logged on the server)"),
    ]
