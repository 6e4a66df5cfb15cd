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
has not started by then never starts (:mod:`resolvers.capacity`). A request that ran out of time while
other requests were running or waiting lost its time to load, not to its own size: it is answered 503 with
``Retry-After`` (try again), and 504 only when it had the server to itself (ask for less).
"""

from __future__ import annotations

import asyncio
import collections
import json
import time
from typing import Any

from graphql import DocumentNode, FieldNode, GraphQLError, OperationDefinitionNode, OperationType
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from graph.errors import PankgError
from graph.store.embedded import GraphStore
from resolvers.capacity import DeadlineExceeded, Gate, ServerBusy, lane, limits_of
from resolvers.graphql import ide
from resolvers.graphql.context import PER_REQUEST, Context, scope_for
from resolvers.graphql.documents import Recent
from resolvers.graphql.safety import MAX_TOKENS, parse_checked
from resolvers.graphql.schema import make_schema
from resolvers.graphql.sparql import OutOfTime
from resolvers.negotiation import NotAcceptable, negotiate
from resolvers.sparql_protocol import read_body

Kind = tuple[tuple[str, int], ...]
"""A document's kind for the gate: its root fields' names, each with how often it comes (aliases)."""

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
GRACE = 0.5
"""Seconds past the time limit by which an answer (the 504) is sent."""
TURN_MARGIN = 1.0
"""A request still waiting for its turn this close to its deadline gives up (503): it could do nothing useful in
what is left, and its answer must leave in time."""


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


def read_document(query: str, operation: str | None) -> tuple[DocumentNode | None, bool, Kind | None]:
    """The parsed document (None if it does not parse: execution reports why), whether the operation chosen is
    a query (GET may run nothing else), and its kind for the gate: the names of its root fields with their
    counts, so that a page of fifty and a look-up by PID are each reckoned by what their like took lately, and
    a document never seen by the sum of its fields' times (:class:`Gate`)."""
    try:
        document = parse_checked(query, {"max_tokens": MAX_TOKENS})
    except GraphQLError:
        return None, True, None
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in ops if operation is None or (o.name and o.name.value == operation)]
    names = collections.Counter(sel.name.value if isinstance(sel, FieldNode) else "..." for o in chosen
                                for sel in o.selection_set.selections)
    kind = tuple(sorted(names.items()))
    return document, all(o.operation == OperationType.QUERY for o in chosen), kind


class GraphQLView:
    """The ASGI endpoint: one schema, the store from the app's state."""

    def __init__(self) -> None:
        self.schema = make_schema()
        self.documents: Recent[tuple[DocumentNode | None, bool, Kind | None]] = Recent()

    async def handle(self, request: Request) -> Response:
        started = time.monotonic()
        wants_html = "text/html" in request.headers.get("accept", "") and "query" not in request.query_params
        if request.method == "GET" and wants_html:
            return HTMLResponse(ide.page(str(request.url.path), request.app.state.assets))
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
        key = (params["query"], params.get("operationName"))
        known = self.documents.get(key)
        if known is None:
            known = await asyncio.to_thread(read_document, *key)
            self.documents.put(key, params["query"], known)
        document, is_query, kind = known
        if request.method == "GET" and not is_query:
            return _error("only queries may be sent with GET; POST mutations", 405, media, Allow="POST")
        store: GraphStore = request.app.state.store
        gate: Gate = request.app.state.graphql_gate
        context = Context(store=store, scope=scope_for(request), seconds=limits.graphql_seconds,
                          started=started, reads=reads, document=document, request=request,
                          share=asyncio.Semaphore(1 if gate.is_slow(kind) else PER_REQUEST))
        try:
            async with gate.enter(context.deadline, kind, wait_until=context.deadline - TURN_MARGIN) as turn:
                context.turn = turn
                result = await asyncio.wait_for(
                    self.schema.execute(params["query"], variable_values=params.get("variables"),
                                        context_value=context, operation_name=params.get("operationName")),
                    timeout=max(0.0, context.deadline + GRACE - time.monotonic()),
                )
        except ServerBusy as exc:
            return _busy(exc, media)
        except (TimeoutError, DeadlineExceeded):
            message = f"the request ran out of time ({context.seconds:g} s); ask for fewer or smaller pages"
            return _reply({"data": None, "errors": [{"message": message}]}, 504 if media == GRAPHQL_RESPONSE else 200,
                          media)
        errors = result.errors or []
        busy = next((e.original_error for e in errors if isinstance(e.original_error, ServerBusy)), None)
        out_of_time = any(isinstance(e.original_error, OutOfTime) for e in errors)
        late = out_of_time and not result.data
        if out_of_time and turn.shared():  # time lost to a full server, not to asking too much
            busy = ServerBusy("the server was too busy to answer this within its time limit; try again in a moment")
        if busy is not None:
            return _busy(busy, media)
        body: dict[str, Any] = {}
        if errors:
            body["errors"] = [e.formatted for e in errors]
        # a request error (syntax, validation, variables) has no path and nothing ran; a field error has one
        executed = result.data is not None or not errors or any(e.path for e in errors)
        if executed:
            body["data"] = result.data
        status = 200 if media == JSON else 504 if late else 200 if executed else 400
        return _reply(body, status, media)


def routes() -> list[Route]:
    """``/graphql`` for GET (queries and the GraphiQL page) and POST, plus GraphiQL's bundled assets."""
    view = GraphQLView()
    return [Route("/graphql", view.handle, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]), *ide.routes]
