"""SPARQL 1.1 Update over the protocol: ``POST /sparql`` with ``update=`` (a form) or ``application/sparql-update``.

Updates are off unless a tokens file is configured, and then only for ``Authorization: Bearer`` tokens marked
``update: true`` (``docs/access.md``): no tokens file is 403 "updates are disabled"; no ``Authorization`` is 401
with ``WWW-Authenticate: Bearer`` (the caller may retry with a token); a token without the flag is 403. What an
update may write, and how it stays atomic, is :mod:`graph.store.updates`: user graphs only, never pankg's loaded
graphs, the meta graph or the default graph.

``using-graph-uri`` / ``using-named-graph-uri`` (SPARQL 1.1 Protocol §2.2.3) set the dataset of every
``WHERE`` in the request as ``USING`` / ``USING NAMED`` would, and are applied by writing those clauses into
the update (oxigraph's update takes no dataset). They name user graphs: the update runs on a copy of the user
graphs alone, so any other graph reads as empty, and one of pankg's own graphs is refused (403) like a
``USING`` of it in the text. Given with a ``USING``, ``USING NAMED`` or ``WITH`` in the update, they are a 400,
as the protocol asks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from graph.errors import PankgError, QueryError
from graph.query.dataset import is_iri
from graph.query.syntax import read_update, tokens
from graph.store.embedded import GraphStore
from graph.store.updates import UpdateRefused, apply_update, managed
from resolvers.auth import CHALLENGE, Caller, caller_of
from resolvers.capacity import lane, limits_of
from resolvers.errors import error_response

USING = ("using-graph-uri", "using-named-graph-uri")


class UpdatesDisabled(PankgError):
    """SPARQL Update is not offered: no tokens are configured, or the caller's token may not update."""

    status = 403


@dataclass
class UpdateRequest:
    """A request that carries an update, as it came: checked only once the caller is known to be allowed."""

    method: str
    params: list[tuple[str, str]]
    direct: str | None = None  # the body of an application/sparql-update POST


def is_update(params: list[tuple[str, str]]) -> bool:
    """True if the protocol parameters ask for an update."""
    return any(name == "update" or name in USING for name, _ in params)


def parse_update(method: str, params: list[tuple[str, str]], direct: str | None) -> str:
    """The update of a request that carries one (``update=``, ``using-*`` or a direct body).

    Raises 400 (:class:`QueryError`) for an update by GET, several updates, an update with a query, or an
    empty one.
    """
    if method != "POST":
        raise QueryError("send an update by POST (SPARQL 1.1 Protocol §2.2), not by GET")
    updates = [value for name, value in params if name == "update"]
    if direct is not None:
        updates.append(direct)
    if any(name == "query" for name, _ in params):
        raise QueryError("a request is either a query or an update, not both")
    if len(updates) != 1:
        raise QueryError("give one update per request" if updates else "no update: send update=...")
    if not updates[0].strip():
        raise QueryError("the update is empty")
    return updates[0]


def authorize(request: Request) -> Caller | Response:
    """The caller allowed to update, or the response that refuses it (401 or 403)."""
    if getattr(request.app.state, "tokens", None) is None:
        raise UpdatesDisabled("updates are disabled: this endpoint is read only (no tokens are configured)")
    caller = caller_of(request)  # a bad Authorization header raises Unauthorized (401, invalid_token)
    if caller is None:
        response: JSONResponse = error_response(401, "Unauthorized", "updates need Authorization: Bearer <token>")
        response.headers["WWW-Authenticate"] = CHALLENGE
        return response
    if not caller.update:
        raise UpdatesDisabled(f"updates are disabled for this token ({caller.name}): it is not marked update: true")
    return caller


async def run(request: Request, pending: UpdateRequest, base_iri: str | None) -> Response:
    """Authorize, then check and apply the update (in the ``writes`` lane: it copies the user graphs); 204 when done.

    The caller is checked first, so an anonymous caller learns nothing from how its update is parsed.
    """
    allowed = authorize(request)
    if isinstance(allowed, Response):
        return allowed
    update = parse_update(pending.method, pending.params, pending.direct)
    store: GraphStore = request.app.state.store
    using = [value for name, value in pending.params if name == USING[0]]
    using_named = [value for name, value in pending.params if name == USING[1]]
    if using or using_named:
        for graph in using + using_named:
            check_readable(store, graph)
        update = with_dataset(update, using, using_named)
    limits = limits_of(request)
    deadline = time.monotonic() + limits.sparql.timeout
    await lane(request, "writes").run(apply_update, store, update, base_iri, deadline=deadline, what="the update")
    return Response(status_code=204)


def check_readable(store: GraphStore, graph: str) -> None:
    """Refuse a ``using-*`` graph that is not an IRI (400) or is one of pankg's graphs (403)."""
    if not is_iri(graph):
        raise QueryError(f"not an IRI in a using-graph-uri/using-named-graph-uri parameter: {graph!r}")
    if managed(store, graph):
        raise UpdateRefused(f"<{graph}> is managed by pankg: an update reads user graphs only (docs/sparql.md)")


def with_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    """``update`` with ``USING <g>`` / ``USING NAMED <g>`` before the ``WHERE`` of each of its operations.

    ``DELETE WHERE { P }`` takes no ``USING``, so it is written out as ``DELETE { P } USING ... WHERE { P }``,
    which is what the SPARQL 1.1 Update spec defines it to mean. Raises :class:`QueryError` (400) when the
    update has its own ``USING`` or ``WITH`` (SPARQL 1.1 Protocol §2.2.3). The places are found by the lexer of
    :func:`graph.query.syntax.tokens`, and the result is parsed again: unless every operation that has a
    ``WHERE`` now reads exactly the graphs asked for, the request is refused rather than run on other graphs.
    """
    facts = read_update(update)
    if facts.with_graph or any(u or n for u, n in facts.using):
        keyword = "WITH" if facts.with_graph else "USING"
        raise QueryError(
            f"the update has its own {keyword} and the request using-graph-uri/using-named-graph-uri: "
            "give the dataset one way (SPARQL 1.1 Protocol §2.2.3)"
        )
    clauses = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    edits: list[tuple[int, str]] = []
    depth, previous, delete_where, opened = 0, "", -1, -1
    for kind, text, at in tokens(update):
        if kind not in ("word", "other"):
            previous = ""
            continue
        if text == "{":
            opened = at if depth == 0 else opened
            depth += 1
        elif text == "}":
            depth -= 1
            if depth == 0 and delete_where >= 0:  # the end of a DELETE WHERE's pattern: copy it as the template
                edits.append((delete_where, update[opened:at + 1] + " " + clauses))
                delete_where = -1
        elif depth == 0 and text.upper() == "WHERE":
            if previous == "DELETE":
                delete_where = at
            else:
                edits.append((at, clauses))
        previous = text.upper()
    for at, text in reversed(edits):
        update = update[:at] + text + update[at:]
    expected = (tuple(using), tuple(using_named))
    if any(pair != expected for pair in read_update(update).using):
        raise QueryError("using-graph-uri/using-named-graph-uri could not be applied to this update: "
                         "write USING clauses in the update instead")
    return update
