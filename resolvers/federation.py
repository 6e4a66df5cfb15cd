"""Federated queries: ``SERVICE`` only to the SPARQL endpoints on an allowlist, so the server fetches no other URL.

oxigraph fetches whatever URL a ``SERVICE`` names and has no switch to turn that off. Two things keep it
from doing so for a caller:

1. **The engine has no network.** Every query runs in a worker process (or, for an in-memory store, on a
   thread) that is in the sandbox of :mod:`graph.query.sandbox`: the kernel refuses it any network socket. However
   oxigraph reads a query, it cannot fetch; a ``SERVICE`` it tries fails and is answered 403, a
   ``SERVICE SILENT`` gives no rows.
2. **Only a query whose parsed form calls allowlisted endpoints runs with network.** A query that mentions
   ``SERVICE`` at all (the letters, in any case, or a ``\\u`` escape that could spell them) is parsed
   (:func:`graph.query.syntax.read_query`), and each ``SERVICE`` target, in subqueries, ``EXISTS`` and
   ``OPTIONAL`` alike, prefixed names resolved, must be an IRI *exactly* on the allowlist
   (``ServerLimits.services``: ``PANKG_SPARQL_SERVICES`` or ``serve --service``; empty by default). ``SERVICE
   ?var`` is refused (its URL would come from the data), and so is a federated query with ``\\u`` escapes
   (oxigraph and the parser read those differently). Such a query goes to a worker outside the sandbox.

A refusal is 403 naming the first refused endpoint. Where the sandbox is not available (not Linux on x86-64
or aarch64), a query that mentions ``SERVICE`` and cannot be parsed is refused too. The other ways a query
could name a URL do not fetch it: ``FROM``/``FROM NAMED`` only select graphs of the store, and ``LOAD`` is an
update (:mod:`graph.store.updates`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from graph.errors import PankgError, QueryError
from graph.query import sandbox
from graph.query.syntax import read_query

_MENTIONS = re.compile(r"service|\\u|\\U", re.IGNORECASE)


class ServiceRefused(PankgError):
    """A ``SERVICE`` whose endpoint is not on the allowlist: the server fetches no URL it was not told to."""

    status = 403


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def needs_network(sparql: str, allowed: frozenset[str], confined: bool | None = None) -> bool:
    """True if ``sparql`` must run with network: its parsed ``SERVICE`` targets are all in ``allowed``.

    Raises :class:`ServiceRefused` (403) for any other ``SERVICE`` the parser finds. ``confined``: queries run
    in the sandbox (default: wherever :func:`graph.query.sandbox.available`); then a query the parser cannot read
    runs there (False), else it is refused when it mentions ``SERVICE``.

    >>> needs_network("SELECT * { ?s ?p ?o }", frozenset())
    False
    >>> needs_network("SELECT * { SERVICE <http://a.example/sparql> { ?s ?p ?o } }", frozenset({"http://a.example/sparql"}))
    True
    """
    if not _MENTIONS.search(sparql):
        return False  # no way to write the keyword: oxigraph reads no escapes outside IRIs and strings
    confined = sandbox.available() if confined is None else confined
    try:
        targets = read_query(sparql).services
    except QueryError:
        if confined:
            return False  # oxigraph may still take it; in the sandbox it can fetch nothing
        raise ServiceRefused("SERVICE is refused: its endpoints could not be read from this query") from None
    if not targets:
        return False
    if not allowed:
        raise ServiceRefused("SERVICE (federated query) is disabled on this endpoint: no endpoint is allowed")
    for target in targets:
        if target is None:
            raise ServiceRefused("SERVICE with a variable is refused: only named endpoints on the allowlist")
        if target not in allowed:
            raise ServiceRefused(f"SERVICE to {_host(target)} is refused: {target} is not on this endpoint's allowlist")
    if re.search(r"\\[uU]", sparql):
        raise ServiceRefused("a federated query may not use \\u escapes: write the characters themselves")
    return True


def refused_by_sandbox() -> ServiceRefused:
    """What a caller is told when the engine tried to reach the network from the sandbox."""
    return ServiceRefused(
        "the query tried to reach another server (SERVICE), which this endpoint refuses: federated queries may "
        "only call the endpoints on its allowlist, named by IRI"
    )
