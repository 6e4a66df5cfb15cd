"""SPARQL 1.1 Update over the protocol: ``POST /sparql`` with ``update=`` (a form) or ``application/sparql-update``.

Updates are off unless a tokens file is configured, and then only for ``Authorization: Bearer`` tokens marked
``update: true`` (``docs/access.md``): no tokens file is 403 "updates are disabled"; no ``Authorization`` is 401
with ``WWW-Authenticate: Bearer`` (the caller may retry with a token); a token without the flag is 403. What an
update may write, and how it stays atomic, is :mod:`graph.updates`: user graphs only, never pankg's loaded
graphs, the meta graph or the default graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from graph.errors import PankgError, QueryError
from graph.store import GraphStore
from graph.updates import apply_update
from resolvers.auth import CHALLENGE, Caller, caller_of
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

    Raises 400 (:class:`QueryError`) for an update by GET, several updates, an update with a query, an empty
    one, or the ``using-graph-uri`` parameters (not supported: put ``USING`` in the update itself).
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
    if any(name in USING for name, _ in params):
        raise QueryError("using-graph-uri and using-named-graph-uri are not supported: put USING in the update")
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
    """Authorize, then check and apply the update (in a thread: it copies the user graphs); 204 when done.

    The caller is checked first, so an anonymous caller learns nothing from how its update is parsed.
    """
    allowed = authorize(request)
    if isinstance(allowed, Response):
        return allowed
    update = parse_update(pending.method, pending.params, pending.direct)
    store: GraphStore = request.app.state.store
    await run_in_threadpool(apply_update, store, update, base_iri)
    return Response(status_code=204)
