"""The ASGI app: one store, the resolvers' routes, one error shape. ``pankg serve`` runs it with uvicorn."""

from __future__ import annotations

from starlette.applications import Starlette

from graph.errors import PankgError
from graph.store import GraphStore
from resolvers import graphql, home, linked_data, ontology_doc, sparql_protocol
from resolvers.errors import pankg_error_handler


def create_app(store: GraphStore) -> Starlette:
    """The web app over ``store``; tests call it directly with an in-memory store."""
    app = Starlette(
        routes=[*home.routes, *ontology_doc.routes, *graphql.routes(), *sparql_protocol.routes(),
                *linked_data.routes()],
        exception_handlers={PankgError: pankg_error_handler},
    )
    app.state.store = store
    return app
