"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (read only), confined to the graphs the caller may see.

- **Queries** come by ``GET ?query=``, by ``POST`` of a form (``application/x-www-form-urlencoded``,
  ``query=``) or directly (``application/sparql-query``). The answer is negotiated on what the query
  returned (:mod:`graph.query.formats`, :mod:`resolvers.sparql_formats`). ``GET /sparql`` without a query
  answers the SPARQL Service Description (:mod:`resolvers.service_description`).
- **Who sees what** is decided by the store, not by rewriting queries: each request is given a *scope*
  (``scope_for(request)``) and runs inside :meth:`GraphStore.reading`, whose dataset lists only the graphs of
  that scope. Anonymous callers get ``public``: the meta graph and the restricted graphs are not in their
  dataset, so no query (``GRAPH ?g``, ``FROM``, property paths, DESCRIBE) can reach them. ``scope_for`` is the
  hook where a later step maps a bearer token to a wider scope.
- **Dataset parameters** (``default-graph-uri``, ``named-graph-uri``) and the query's own ``FROM`` /
  ``FROM NAMED`` are honoured *within* the visible graphs. A graph the caller may not see is treated like a
  graph that does not exist: it contributes nothing, and the answer is 200, not 403, so the endpoint never
  tells an anonymous caller which restricted graphs exist. As the protocol says, dataset parameters replace
  the query's ``FROM`` clauses.
- **Updates** (``update=`` or ``application/sparql-update``) are handed to :mod:`resolvers.sparql_update`: off
  without a tokens file (403), and then only for bearer tokens marked ``update: true``.
- **SERVICE** may only call the endpoints of ``PANKG_SPARQL_SERVICES`` (:mod:`resolvers.federation`); any
  other is answered 403 before the query runs.
- **Limits**: on an on-disk store each query runs in a worker process that is killed past
  ``PANKG_QUERY_TIMEOUT`` or ``PANKG_QUERY_MEMORY`` (503), and an answer over ``PANKG_QUERY_MAX_BYTES`` is 413
  (:mod:`resolvers.sparql_worker`, :mod:`resolvers.sparql_limits`). Requests wait for a worker in the
  ``sparql`` lane (:mod:`resolvers.capacity`): the wait counts against the time limit, and when the lane's
  queue is full the answer is 503 with ``Retry-After`` at once.
- **Errors** use the one JSON shape of :mod:`resolvers.errors`: 400 bad or missing query, 403 update or SERVICE,
  405 method, 406 no acceptable format, 413 body over the limit (default 1 MB, ``PANKG_SPARQL_MAX_BODY``),
  415 body of another media type, 503 time limit or a full queue.

The request waits on its lane's future, so the event loop keeps serving other requests while a query runs (in
a worker process, or on a sandboxed thread for an in-memory store).
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graph.errors import PankgError, QueryError
from graph.query.dataset import Dataset, is_iri
from graph.query.syntax import read_query
from graph.store.embedded import GraphStore, Scope
from resolvers import service_description, sparql_update, sparql_worker
from resolvers.capacity import lane, limits_of
from resolvers.errors import error_response
from resolvers.federation import needs_network
from resolvers.negotiation import negotiate
from resolvers.sparql_limits import Limits
from resolvers.sparql_update import UpdateRequest, UpdatesDisabled

__all__ = ["UpdatesDisabled", "routes", "parse_operation", "execute"]

ScopeFor = Callable[[Request], Scope]
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)


class BadRequest(QueryError):
    """The request is not a SPARQL protocol operation (no query, two queries, undecodable body)."""


class BodyTooLarge(PankgError):
    """The request body is over the endpoint's size limit."""

    status = 413


class UnsupportedMediaType(PankgError):
    """A POST whose body is neither a form nor a SPARQL query."""

    status = 415


def anonymous(request: Request) -> Scope:
    """The scope of every caller until tokens are mapped to groups: public graphs only."""
    return "public"


@dataclass
class Operation:
    """One query request, whatever way it came: the query and the dataset the caller asked for."""

    query: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    base_iri: str | None = None  # the endpoint's URL: relative IRIs in a query resolve against it

    @property
    def protocol_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


# ---------------------------------------------------------------------------------------- request parsing


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to be over ``limit`` (never read whole first)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"the request body is {int(declared):,} bytes; this endpoint takes at most {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the request body is over {limit:,} bytes, the most this endpoint takes")
        chunks.append(chunk)
    return b"".join(chunks)


def _media(content_type: str) -> tuple[str, str | None]:
    """``(media type, charset)`` of a Content-Type header, lower-cased."""
    parts = [p.strip() for p in content_type.split(";")]
    charset = None
    for param in parts[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _utf8(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise BadRequest(f"the body must be UTF-8 (SPARQL 1.1 Protocol §2.1), not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the body is not valid UTF-8") from None


def parse_operation(
    method: str, content_type: str, url_params: list[tuple[str, str]], body: bytes
) -> Operation | UpdateRequest | None:
    """The query operation of a request, or None for a plain ``GET /sparql`` (the service description).

    An update comes back unchecked as an :class:`UpdateRequest` (the caller is authorized first). Raises 415
    for a POST body of another type, 400 for zero or several queries.
    """
    params = list(url_params)
    direct: str | None = None
    if method == "POST":
        media, charset = _media(content_type)
        if media == UPDATE:
            return UpdateRequest(method, params, _utf8(body, charset))
        if media == FORM:
            try:
                params += parse_qsl(_utf8(body, charset), keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                raise BadRequest("the form is not valid UTF-8") from None
        elif media == QUERY:
            direct = _utf8(body, charset)
        else:
            raise UnsupportedMediaType(
                f"POST a query as {FORM} (query=...) or as {QUERY}, not as {media or 'a body without Content-Type'}"
            )
    if sparql_update.is_update(params):
        return UpdateRequest(method, params)
    queries = [value for name, value in params if name == "query"]
    if direct is not None:
        queries.append(direct)
    if len(queries) > 1:
        raise BadRequest("give one query per request; this one has several")
    if not queries:
        if method == "GET":
            return None
        raise BadRequest("no query: send query=... or a body of type application/sparql-query")
    if not queries[0].strip():
        raise BadRequest("the query is empty")
    return Operation(
        query=queries[0],
        default_graphs=[v for n, v in params if n == "default-graph-uri"],
        named_graphs=[v for n, v in params if n == "named-graph-uri"],
    )


# ---------------------------------------------------------------------------------------- the dataset


def query_dataset(sparql: str) -> tuple[list[str], list[str]] | None:
    """The query's own ``FROM`` / ``FROM NAMED`` graphs, or None when it names none.

    oxigraph takes the dataset as options that replace the query's, and does not expose its parser, so the
    clauses are read from the parse tree (:func:`graph.query.syntax.read_query`, only when the text has the
    letters FROM at all). A query that cannot be parsed there is left to oxigraph, which reports the syntax
    error or runs it over the visible graphs: what a caller sees is bounded by its scope either way.
    """
    if not _FROM.search(sparql):
        return None
    try:
        facts = read_query(sparql)
    except QueryError:
        return None
    default, named = list(facts.default_graphs), list(facts.named_graphs)
    return (default, named) if default or named else None


def confine(dataset: Dataset, operation: Operation) -> Dataset:
    """The dataset the caller asked for, cut down to the graphs ``dataset`` lets them see.

    ``dataset`` comes from :meth:`GraphStore.reading`; without named graphs (the ``all`` scope's union
    fast path) every graph is visible.
    """
    if operation.protocol_dataset:
        asked: tuple[list[str], list[str]] | None = (operation.default_graphs, operation.named_graphs)
    else:
        asked = query_dataset(operation.query)
    if asked is None:
        return dataset
    visible = dataset.visible
    default, named = ([g for g in graphs if visible is None or g in visible] for graphs in asked)
    return Dataset.of(default, named)


# ---------------------------------------------------------------------------------------- running


def _as_iri(value: str) -> None:
    if not is_iri(value):
        raise BadRequest(f"not an IRI in a dataset parameter: {value!r}")


def execute(
    store: GraphStore, scope: Scope, operation: Operation, accept: str | None, wanted: str | None,
    limits: Limits | None = None, services: frozenset[str] = frozenset(), deadline: float | None = None,
) -> tuple[bytes, str]:
    """Run ``operation`` in ``scope`` within ``limits`` and write the answer: ``(body, media type)``.

    Runs in a thread of the ``sparql`` lane, which waits for a worker process (:mod:`resolvers.sparql_worker`)
    on an on-disk store, until ``deadline`` (``time.monotonic()``; default: the time limit from now).
    ``SERVICE`` may only call the endpoints in ``services`` (:mod:`resolvers.federation`).
    """
    for iri in operation.default_graphs + operation.named_graphs:
        _as_iri(iri)
    network = needs_network(operation.query, services)
    limits = limits or Limits()
    with store.reading(scope) as visible:
        dataset = confine(visible, operation)
        if operation.base_iri:
            dataset = dataclasses.replace(dataset, base_iri=operation.base_iri)
        return sparql_worker.run(store, operation.query, dataset, accept, wanted, limits, network, deadline)


def describe_service(store: GraphStore, scope: Scope, endpoint: str, accept: str | None) -> tuple[bytes, str]:
    """The service description in the negotiated format, listing the graphs of ``scope``."""
    offers = service_description.DESCRIPTION_FORMATS
    media = negotiate(accept, list(offers))
    graphs = [] if scope == "all" else store.graphs(scope)  # `all` may include graphs pankg did not write
    body = service_description.serialize(endpoint, graphs, offers[media])
    return body, "text/turtle; charset=utf-8" if media == "text/turtle" else media


def endpoint(scope_for: ScopeFor = anonymous, max_body: int | None = None) -> Callable[[Request], Any]:
    """The ``/sparql`` view, with the caller's scope from ``scope_for`` and bodies up to ``max_body`` bytes
    (default: the app's ``sparql_body`` limit)."""

    async def sparql(request: Request) -> Response:
        if request.method not in ("GET", "HEAD", "POST"):
            response = error_response(
                405, "MethodNotAllowed", f"{request.method} is not a SPARQL protocol method; use GET or POST"
            )
            response.headers["Allow"] = "GET, HEAD, POST"
            return response
        limits = limits_of(request)
        # The time limit runs from the request's arrival: the wait for a worker counts against it.
        deadline = time.monotonic() + limits.sparql.timeout
        method = "GET" if request.method == "HEAD" else request.method
        body = await read_body(request, max_body or limits.sparql_body) if method == "POST" else b""
        operation = parse_operation(
            method, request.headers.get("content-type", ""), list(request.query_params.multi_items()), body
        )
        store: GraphStore = request.app.state.store
        scope = scope_for(request)
        accept = request.headers.get("accept")
        url = str(request.url.replace(query=""))
        if isinstance(operation, UpdateRequest):
            return await sparql_update.run(request, operation, url)
        queries = lane(request, "sparql")
        if operation is None:
            content, media = await queries.run(describe_service, store, scope, url, accept, deadline=deadline)
        else:
            wanted = request.query_params.get("format")
            operation.base_iri = url
            # A second of grace: the worker's own timeout (which stops it) answers first when the query ran.
            content, media = await queries.run(
                execute, store, scope, operation, accept, wanted, limits.sparql, limits.services, deadline,
                deadline=deadline + 1.0, what="the query",
            )
        return Response(content, media_type=media, headers={"Vary": "Accept"})

    return sparql


def routes(scope_for: ScopeFor = anonymous, max_body: int | None = None) -> list[Route]:
    """The endpoint's routes; every method reaches the view so that a wrong one gets the JSON 405."""
    view = endpoint(scope_for, max_body)
    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    return [Route("/sparql", view, methods=methods), Route("/sparql/", view, methods=methods)]
