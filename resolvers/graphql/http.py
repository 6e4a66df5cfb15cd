"""GraphQL over HTTP at ``/graphql``: GET and POST, JSON in, JSON out, status codes per the spec.

Why a view of our own rather than strawberry's ASGI app: the GraphQL-over-HTTP draft wants
``application/graphql-response+json`` (with 4xx for requests that never executed) when the client accepts
it, and our errors must never be a traceback or a plain-text 500. The rules, in short:

- ``application/graphql-response+json`` when the Accept header prefers it: 400 when the document does not
  parse or validate (``data`` absent), 200 once it executed (field errors included), 504 when the request
  ran out of time before any data came back;
- ``application/json`` otherwise (legacy clients): 200 for every well-formed request;
- either way 400 for a body that is not a GraphQL request, 405 for other methods (or a mutation over GET),
  406 when the client accepts neither type, 413 for a request over ``PANKG_GRAPHQL_MAX_BODY`` (refused before
  it is read whole), 415 for a POST body that is not JSON, and 503 with ``Retry-After`` when the server is
  full (at once, before any work): its ``reads`` lane, or the gate of GraphQL requests
  (:class:`~resolvers.capacity.Gate`: ``PANKG_GRAPHQL_CONCURRENCY`` executing, ``PANKG_GRAPHQL_QUEUE``
  waiting, and none admitted that would not get its turn before its deadline).

The time limit (``PANKG_GRAPHQL_TIMEOUT``, 10 s) runs from the request's arrival, and the answer comes by then
(plus :data:`GRACE`): the view stops waiting at the deadline whatever is still running, and store work that
has not started by then never starts (:mod:`resolvers.capacity`).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from graph.errors import PankgError
from graph.store import GraphStore
from resolvers.capacity import DeadlineExceeded, Gate, ServerBusy, lane, limits_of
from resolvers.graphql import ide
from resolvers.graphql.context import Context, scope_for
from resolvers.graphql.safety import MAX_TOKENS
from resolvers.graphql.schema import make_schema
from resolvers.graphql.sparql import OutOfTime
from resolvers.negotiation import NotAcceptable, negotiate
from resolvers.sparql_protocol import read_body

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
GRACE = 0.5
"""Seconds past the time limit by which an answer (the 504) is sent."""


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _reply(body: dict[str, Any], status: int, media: str, **headers: str) -> Response:
    return JSONResponse(body, status_code=status, media_type=media, headers=headers or None)


def _error(message: str, status: int, media: str, **headers: str) -> Response:
    return _reply({"errors": [{"message": message}]}, status, media, **headers)


async def _params(request: Request, max_body: int) -> dict[str, Any]:
    """``query``, ``variables``, ``operationName`` from the query string (GET) or a JSON body (POST), the
    request refused (413) past ``max_body`` bytes."""
    if request.method == "GET":
        if len(request.scope.get("query_string", b"")) > max_body:
            raise BadRequest(413, f"the query string is over {max_body:,} bytes, the most this endpoint takes")
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
            params = json.loads(await read_body(request, max_body) or b"null")
        except PankgError as exc:  # BodyTooLarge
            raise BadRequest(exc.status, str(exc)) from None
        except ValueError:
            raise BadRequest(400, "the body is not valid JSON") from None
    if not isinstance(params, dict) or not isinstance(params.get("query"), str) or not params["query"].strip():
        raise BadRequest(400, "a GraphQL request needs a `query` string")
    if params.get("variables") is not None and not isinstance(params["variables"], dict):
        raise BadRequest(400, "variables must be a JSON object")
    if params.get("operationName") is not None and not isinstance(params["operationName"], str):
        raise BadRequest(400, "operationName must be a string")
    return params


def _busy(exc: ServerBusy, media: str) -> Response:
    return _error(str(exc), 503, media, **{"Retry-After": str(exc.retry_after)})


async def _is_query_off_loop(document: str, operation: str | None) -> bool:
    return await asyncio.to_thread(_is_query, document, operation)


def _is_query(document: str, operation: str | None) -> bool:
    """GET may only run queries (a mutation must not ride on a link)."""
    try:
        ops = [d for d in parse(document, max_tokens=MAX_TOKENS).definitions if isinstance(d, OperationDefinitionNode)]
    except GraphQLError:
        return True  # let execution report the syntax error
    chosen = [o for o in ops if operation is None or (o.name and o.name.value == operation)]
    return all(o.operation == OperationType.QUERY for o in chosen)


class GraphQLView:
    """The ASGI endpoint: one schema, the store from the app's state."""

    def __init__(self) -> None:
        self.schema = make_schema()

    async def handle(self, request: Request) -> Response:
        started = time.monotonic()
        wants_html = "text/html" in request.headers.get("accept", "") and "query" not in request.query_params
        if request.method == "GET" and wants_html:
            return HTMLResponse(ide.page(str(request.url.path)))
        try:
            media = negotiate(request.headers.get("accept"), [GRAPHQL_RESPONSE, JSON])
        except NotAcceptable as exc:
            return _error(str(exc), 406, JSON)
        if request.method not in ("GET", "POST"):
            return _error("GraphQL is served over GET and POST", 405, media, Allow="GET, POST")
        limits = limits_of(request)
        reads = lane(request, "reads")
        if reads.full():  # refused before the body is read: a full server does no work for it
            return _busy(ServerBusy(f"the server is busy ({reads.pending} store reads running or waiting); "
                                    "try again in a moment"), media)
        try:
            params = await _params(request, limits.graphql_body)
        except BadRequest as exc:
            return _error(str(exc), exc.status, media)
        if request.method == "GET" and not await _is_query_off_loop(params["query"], params.get("operationName")):
            return _error("only queries may be sent with GET; POST mutations", 405, media, Allow="POST")
        store: GraphStore = request.app.state.store
        context = Context(store=store, scope=scope_for(request), seconds=limits.graphql_seconds,
                          started=started, reads=reads)
        gate: Gate = request.app.state.graphql_gate
        try:
            async with gate.enter(context.deadline):
                result = await asyncio.wait_for(
                    self.schema.execute(params["query"], variable_values=params.get("variables"),
                                        context_value=context, operation_name=params.get("operationName")),
                    timeout=max(0.0, context.deadline + GRACE - time.monotonic()),
                )
        except ServerBusy as exc:
            return _busy(exc, media)
        except (asyncio.TimeoutError, DeadlineExceeded):
            message = f"the request ran out of time ({context.seconds:g} s); ask for fewer or smaller pages"
            return _reply({"data": None, "errors": [{"message": message}]}, 504 if media == GRAPHQL_RESPONSE else 200,
                          media)
        errors = result.errors or []
        busy = next((e.original_error for e in errors if isinstance(e.original_error, ServerBusy)), None)
        if busy is not None:
            return _busy(busy, media)
        body: dict[str, Any] = {}
        if errors:
            body["errors"] = [e.formatted for e in errors]
        # a request error (syntax, validation, variables) has no path and nothing ran; a field error has one
        executed = result.data is not None or not errors or any(e.path for e in errors)
        if executed:
            body["data"] = result.data
        late = not result.data and any(isinstance(e.original_error, OutOfTime) for e in errors)
        status = 200 if media == JSON else 504 if late else 200 if executed else 400
        return _reply(body, status, media)


def routes() -> list[Route]:
    """``/graphql`` for GET (queries and the GraphiQL page) and POST, plus GraphiQL's bundled assets."""
    view = GraphQLView()
    return [Route("/graphql", view.handle, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]), *ide.routes]
