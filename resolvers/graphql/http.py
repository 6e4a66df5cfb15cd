"""GraphQL over HTTP at ``/graphql``: GET and POST, JSON in, JSON out, status codes per the spec.

Why a view of our own rather than strawberry's ASGI app: the GraphQL-over-HTTP draft wants
``application/graphql-response+json`` (with 4xx for requests that never executed) when the client accepts
it, and our errors must never be a traceback or a plain-text 500. The rules, in short:

- ``application/graphql-response+json`` when the Accept header prefers it: 400 when the document does not
  parse or validate (``data`` absent), 200 once it executed (field errors included), 504 when the request
  ran out of time before any data came back;
- ``application/json`` otherwise (legacy clients): 200 for every well-formed request;
- either way 400 for a body that is not a GraphQL request, 405 for other methods (or a mutation over GET),
  406 when the client accepts neither type, 415 for a POST body that is not JSON.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from graph.store import GraphStore
from resolvers.graphql import ide
from resolvers.graphql.context import Context, scope_for
from resolvers.graphql.schema import make_schema
from resolvers.negotiation import NotAcceptable, negotiate

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _reply(body: dict[str, Any], status: int, media: str, **headers: str) -> Response:
    return JSONResponse(body, status_code=status, media_type=media, headers=headers or None)


def _error(message: str, status: int, media: str, **headers: str) -> Response:
    return _reply({"errors": [{"message": message}]}, status, media, **headers)


async def _params(request: Request) -> dict[str, Any]:
    """``query``, ``variables``, ``operationName`` from the query string (GET) or a JSON body (POST)."""
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        for key in ("variables", "extensions"):
            if isinstance(params.get(key), str):
                try:
                    params[key] = json.loads(params[key])
                except ValueError:
                    raise BadRequest(400, f"{key} must be a JSON object") from None
    else:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in (JSON, "application/graphql+json", ""):
            raise BadRequest(415, f"POST a JSON body (Content-Type: {JSON}), not {content_type}")
        try:
            params = json.loads(await request.body() or b"null")
        except ValueError:
            raise BadRequest(400, "the body is not valid JSON") from None
    if not isinstance(params, dict) or not isinstance(params.get("query"), str) or not params["query"].strip():
        raise BadRequest(400, "a GraphQL request needs a `query` string")
    if params.get("variables") is not None and not isinstance(params["variables"], dict):
        raise BadRequest(400, "variables must be a JSON object")
    if params.get("operationName") is not None and not isinstance(params["operationName"], str):
        raise BadRequest(400, "operationName must be a string")
    return params


def _is_query(document: str, operation: str | None) -> bool:
    """GET may only run queries (a mutation must not ride on a link)."""
    try:
        ops = [d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode)]
    except GraphQLError:
        return True  # let execution report the syntax error
    chosen = [o for o in ops if operation is None or (o.name and o.name.value == operation)]
    return all(o.operation == OperationType.QUERY for o in chosen)


class GraphQLView:
    """The ASGI endpoint: one schema, the store from the app's state."""

    def __init__(self) -> None:
        self.schema = make_schema()

    async def handle(self, request: Request) -> Response:
        wants_html = "text/html" in request.headers.get("accept", "") and "query" not in request.query_params
        if request.method == "GET" and wants_html:
            return HTMLResponse(ide.page(str(request.url.path)))
        try:
            media = negotiate(request.headers.get("accept"), [GRAPHQL_RESPONSE, JSON])
        except NotAcceptable as exc:
            return _error(str(exc), 406, JSON)
        if request.method not in ("GET", "POST"):
            return _error("GraphQL is served over GET and POST", 405, media, Allow="GET, POST")
        try:
            params = await _params(request)
        except BadRequest as exc:
            return _error(str(exc), exc.status, media)
        if request.method == "GET" and not _is_query(params["query"], params.get("operationName")):
            return _error("only queries may be sent with GET; POST mutations", 405, media, Allow="POST")
        store: GraphStore = request.app.state.store
        context = Context(store=store, scope=scope_for(request))
        try:
            result = await asyncio.wait_for(
                self.schema.execute(params["query"], variable_values=params.get("variables"),
                                    context_value=context, operation_name=params.get("operationName")),
                timeout=context.seconds + 1.0,
            )
        except asyncio.TimeoutError:
            message = f"the request ran out of time ({context.seconds:g} s); ask for fewer or smaller pages"
            return _reply({"data": None, "errors": [{"message": message}]}, 504 if media == GRAPHQL_RESPONSE else 200,
                          media)
        body: dict[str, Any] = {}
        errors = result.errors or []
        if errors:
            body["errors"] = [e.formatted for e in errors]
        # a request error (syntax, validation, variables) has no path and nothing ran; a field error has one
        executed = result.data is not None or not errors or any(e.path for e in errors)
        if executed:
            body["data"] = result.data
        status = 200 if media == JSON or executed else 400
        return _reply(body, status, media)


def routes() -> list[Route]:
    """``/graphql`` for GET (queries and the GraphiQL page) and POST, plus GraphiQL's bundled assets."""
    view = GraphQLView()
    return [Route("/graphql", view.handle, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]), *ide.routes]
