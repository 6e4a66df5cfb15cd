"""The ASGI app: one store, the resolvers' routes, one error shape. ``pankg serve`` runs it with uvicorn.

Every interface reads in the scope :func:`resolvers.auth.scope_of` gives a request: ``public`` when anonymous,
the bearer token's entitlement otherwise (``docs/access.md``).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware

from graph.errors import PankgError
from graph.search import SearchIndex
from graph.store.embedded import GraphStore
from pankg.settings import Settings
from resolvers import (
    capacity,
    exports,
    graph_store,
    graphql,
    home,
    linked_data,
    ontology_doc,
    sparql_protocol,
)
from resolvers.auth import Authenticate, TokenFile, Tokens, Unauthorized, scope_of, unauthorized_handler
from resolvers.errors import pankg_error_handler
from resolvers.limits import ServerLimits
from resolvers.pacing import PaceRetries


def create_app(store: GraphStore, tokens: Tokens | Path | None = None, limits: ServerLimits | None = None, *,
               assets: Path | None = None, search: SearchIndex | None = None) -> Starlette:
    """The web app over ``store``; tests call it directly with an in-memory store. ``tokens``: the bearer
    tokens callers may present (none: a request with ``Authorization`` is refused, the others read public);
    a path is read again whenever the file changes. ``limits``: every limit of the server (``docs/limits.md``;
    default: the documented defaults). ``assets``: GraphiQL's files (default: where the settings say). ``search``:
    the store's search index (default: opened on the first search)."""
    app = Starlette(
        routes=[*home.routes, *ontology_doc.routes, *graphql.routes(), *sparql_protocol.routes(scope_for=scope_of),
                *graph_store.routes(scope_of=scope_of),
                *linked_data.routes(scope_of=scope_of), *exports.routes(scope_of)],
        exception_handlers={PankgError: pankg_error_handler, Unauthorized: unauthorized_handler},
        middleware=[Middleware(PaceRetries), Middleware(Authenticate)],
    )
    app.state.store = store
    app.state.assets = assets or Settings.from_env().assets
    app.state.search = search
    app.state.tokens = TokenFile(tokens) if isinstance(tokens, Path) else tokens
    capacity.install(app.state, limits or ServerLimits())
    return app
