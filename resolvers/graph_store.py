"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/sparql/graphs``: whole graphs by ``?graph=<IRI>`` or ``?default``.

Reads and writes reuse what ``/sparql`` already decides, so the two never disagree:

- **Reads** (``GET``, ``HEAD``) run ``CONSTRUCT WHERE { ?s ?p ?o }`` over a dataset whose default graph is the
  one asked for, inside :meth:`GraphStore.reading` of the caller's scope (:func:`resolvers.auth.scope_of`), on
  the bounded worker path of public queries (:mod:`resolvers.sparql_worker`: time, memory and answer-size
  limits) and in the negotiated graph format of :mod:`graph.query.formats`. A graph outside the scope is
  404 like an absent one, so an anonymous caller learns nothing of restricted graphs; the meta graph is never
  served here (a staff token reads it through ``/sparql``). ``?default`` is ``/sparql``'s default graph for that
  caller: the union of what it sees.
- **Writes** (``PUT`` replace, ``POST`` merge, ``DELETE`` drop) take the token rules of SPARQL Update
  (:func:`resolvers.sparql_update.authorize`) and write user graphs only, with one commit each
  (:func:`graph.store.updates.replace_graph`, ``merge_graph``, ``drop_graph``): a loaded graph, the meta graph or
  ``?default`` is 403 and nothing changes. The body is parsed whole before anything is written, so a body
  that fails half-way changes nothing. ``POST`` without a graph parameter creates a new graph (201, its
  ``Location`` is this endpoint's URL for it).

Statuses: 201 a write created the graph, 204 otherwise; 400 bad parameters or body (with oxigraph's line and
column), 401/403 auth, 404 no such graph (GET, HEAD, DELETE), 405, 406, 413 body over
``PANKG_GRAPH_STORE_MAX_BODY`` (10 MB), 415 a body in a format other than Turtle, N-Triples, JSON-LD or
RDF/XML, 503 a full queue (``Retry-After``) or the time limit. Reads wait in the ``sparql`` lane, writes in the
``writes`` lane (:mod:`resolvers.capacity`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graph.errors import NotFound
from graph.query import sandbox
from graph.query.dataset import Dataset, is_iri
from graph.query.formats import RdfSyntax
from graph.store.embedded import GraphStore, Scope
from graph.store.rdf_input import ParsedGraph
from graph.store.updates import UpdateRefused, check_writable, drop_graph, merge_graph, replace_graph
from resolvers import sparql_update, sparql_worker
from resolvers.capacity import lane, limits_of
from resolvers.errors import error_response
from resolvers.sparql_formats import GRAPH, pick
from resolvers.sparql_limits import Limits
from resolvers.sparql_protocol import BadRequest, UnsupportedMediaType, read_body

ScopeOf = Callable[[Request], Scope]
PATH = "/sparql/graphs"
ALL_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"
METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]
# Content-Type of a body -> how to parse it. Graph formats only: a dataset format would name other graphs.
BODY_FORMATS: dict[str, RdfSyntax] = {
    "text/turtle": RdfSyntax.TURTLE,
    "application/x-turtle": RdfSyntax.TURTLE,
    "application/n-triples": RdfSyntax.N_TRIPLES,
    "application/ld+json": RdfSyntax.JSON_LD,
    "application/rdf+xml": RdfSyntax.RDF_XML,
}


class GraphNotFound(NotFound):
    """No graph of that name for this caller: absent, or outside its scope (the two are not told apart)."""


def target_of(request: Request, optional: bool = False) -> str | None:
    """The graph a request names: its IRI, or None for ``?default``.

    Raises 400 unless exactly one of ``graph=<IRI>`` and ``default`` is given (``optional``: neither is fine too,
    and gives ``""``, a POST to the service itself).
    """
    params = request.query_params.multi_items()
    graphs = [value for name, value in params if name == "graph"]
    default = any(name == "default" for name, _ in params)
    if optional and not graphs and not default:
        return ""
    if len(graphs) + default != 1:
        raise BadRequest("name one graph: ?graph=<absolute IRI> or ?default (SPARQL 1.1 Graph Store Protocol §4.2)")
    if default:
        return None
    if not is_iri(graphs[0]):
        raise BadRequest(f"graph= must be an absolute IRI, not {graphs[0]!r}")
    return graphs[0]


# ---------------------------------------------------------------------------------------- reading


def read_graph(store: GraphStore, scope: Scope, graph: str | None, accept: str | None, wanted: str | None,
               limits: Limits, deadline: float | None = None) -> tuple[bytes, str]:
    """``graph`` (None: the default graph) as ``scope`` sees it, written in the negotiated format."""
    with store.reading(scope) as dataset:
        if graph is not None:
            visible = dataset.visible
            if graph == store.meta or graph not in (set(store.graphs(scope)) if visible is None else visible):
                raise GraphNotFound(f"no graph <{graph}> here")
            dataset = Dataset.of([graph], [])
        return sparql_worker.run(store, ALL_TRIPLES, dataset, accept, wanted, limits, deadline=deadline)


async def _read(request: Request, scope_of: ScopeOf) -> Response:
    limits = limits_of(request).sparql
    deadline = time.monotonic() + limits.timeout
    graph = target_of(request)
    accept, wanted = request.headers.get("accept"), request.query_params.get("format")
    pick(accept, wanted, GRAPH)  # 406 before any work
    scope = scope_of(request)  # 401 for a bad token
    store: GraphStore = request.app.state.store
    body, media = await lane(request, "sparql").run(
        read_graph, store, scope, graph, accept, wanted, limits, deadline, deadline=deadline + 1.0, what="the read")
    headers = {"Vary": "Accept, Authorization"}
    if request.method == "HEAD":
        return Response(b"", media_type=media, headers={**headers, "content-length": str(len(body))})
    return Response(body, media_type=media, headers=headers)


# ---------------------------------------------------------------------------------------- writing


def body_format(content_type: str) -> RdfSyntax:
    """The parser for a body's Content-Type; 415 for any other type."""
    media = content_type.split(";")[0].strip().lower()
    if media not in BODY_FORMATS:
        raise UnsupportedMediaType(
            f"send the graph as {', '.join(BODY_FORMATS)}, not as {media or 'a body without Content-Type'}"
        )
    return BODY_FORMATS[media]


def parse_body(body: bytes, fmt: RdfSyntax, graph: str) -> ParsedGraph:
    """Every triple of ``body``, or 400 naming where it fails; relative IRIs resolve against the graph's IRI.

    Parsed through :mod:`graph.store.rdf_input`, so RDF/XML with a DTD (entity expansion would take the whole
    server down) or cut off is refused before oxigraph sees it, and a remote JSON-LD context is never
    fetched. Blank nodes get fresh labels, so a merge never joins them with the graph's own. An empty body
    is an empty graph (a PUT of nothing clears the graph).
    """
    from graph.errors import RecordInvalid
    from graph.store import rdf_input

    try:
        return rdf_input.read_body(body, fmt, base_iri=graph)
    except RecordInvalid as exc:
        message = str(exc)
        if message.startswith("not valid "):
            raise BadRequest(f"the body is {message[:300]}") from None
        raise BadRequest(f"the body is refused: {message[:300]}") from None


def _parse_offline(body: bytes, fmt: RdfSyntax, graph: str) -> ParsedGraph:
    """:func:`parse_body` on a thread without network (:mod:`graph.query.sandbox`): whatever a parser might fetch."""
    return sandbox.offline(parse_body, body, fmt, graph)


def new_graph(store: GraphStore) -> str:
    """A fresh graph IRI for a POST to the service: under the store's base, outside pankg's ``graph/``."""
    return f"{store.minter.base}user-graph/{uuid.uuid4().hex}"


async def _write(request: Request, max_body: int | None) -> Response:
    allowed = sparql_update.authorize(request)  # 403 no tokens / no update flag, 401 no or bad token
    if isinstance(allowed, Response):
        return allowed
    store: GraphStore = request.app.state.store
    graph = target_of(request, optional=request.method == "POST")
    if graph is None:
        raise UpdateRefused("the default graph is the union of the graphs a caller sees and is not writable: "
                            "name a graph with ?graph=<IRI>")
    minted = graph == ""
    graph = new_graph(store) if minted else graph
    check_writable(store, graph)  # 403 before the body is read; checked again under the write lock
    limits = limits_of(request)
    writes, deadline = lane(request, "writes"), time.monotonic() + limits.sparql.timeout
    if request.method == "DELETE":
        if not await writes.run(drop_graph, store, graph, deadline=deadline, what="the write"):
            raise GraphNotFound(f"no graph <{graph}> here")
        return Response(status_code=204)
    fmt = body_format(request.headers.get("content-type", ""))
    body = await read_body(request, max_body or limits.graph_store_body)
    triples = await writes.run(_parse_offline, body, fmt, graph, deadline=deadline, what="the write")
    write = replace_graph if request.method == "PUT" else merge_graph
    created = await writes.run(write, store, graph, triples, deadline=deadline, what="the write")
    if not created:
        return Response(status_code=204)
    location = str(request.url.replace(query=f"graph={quote(graph, safe='')}"))
    return Response(status_code=201, headers={"Location": location})


def endpoint(scope_of: ScopeOf, max_body: int | None = None) -> Callable[[Request], Any]:
    """The ``/sparql/graphs`` view: reads in ``scope_of(request)``, bodies up to ``max_body`` bytes (default: the
    app's ``graph_store_body`` limit)."""

    async def graph_store(request: Request) -> Response:
        if request.method in ("GET", "HEAD"):
            return await _read(request, scope_of)
        if request.method in METHODS:
            return await _write(request, max_body)
        response = error_response(405, "MethodNotAllowed", f"{request.method} is not a Graph Store Protocol method")
        response.headers["Allow"] = ", ".join(METHODS)
        return response

    return graph_store


def routes(scope_of: ScopeOf, max_body: int | None = None) -> list[Route]:
    """The endpoint's route; every method reaches the view so that a wrong one gets the JSON 405."""
    return [Route(PATH, endpoint(scope_of, max_body), methods=[*METHODS, "PATCH", "OPTIONS"])]
