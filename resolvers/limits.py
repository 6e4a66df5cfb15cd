"""Every limit of the server in one place: what a request may send, take and wait for (``docs/limits.md``).

The values come from ``pankg serve`` options and ``PANKG_*`` variables (``pankg/settings.py``); the app is
given one :class:`ServerLimits` (``create_app(store, limits=...)``) and every view reads its limit from it, so
a limit is documented, set and tested in one way. What a client sees when it crosses one is in
``docs/limits.md``: 413 for a body, 503 with ``Retry-After`` when the server is full, 503/504 past a deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from resolvers.sparql_limits import Limits

MB = 1_000_000


@dataclass(frozen=True)
class ServerLimits:
    """The server's limits; each field's metadata names its variable (and ``serve`` option, where there is one)."""

    sparql: Limits = field(default_factory=Limits)
    """Per SPARQL query: time, memory, answer size, worker processes (``resolvers.sparql_limits``)."""
    sparql_queue: int = field(default=16, metadata={"env": "PANKG_QUERY_QUEUE"})
    """SPARQL requests that may wait for a worker beyond those running; more are answered 503 at once."""
    sparql_body: int = field(default=MB, metadata={"env": "PANKG_SPARQL_MAX_BODY"})
    """Bytes of a ``/sparql`` request body (a query or an update)."""
    graph_store_body: int = field(default=10 * MB, metadata={"env": "PANKG_GRAPH_STORE_MAX_BODY"})
    """Bytes of a Graph Store ``PUT``/``POST`` body (a whole graph)."""
    graphql_body: int = field(default=MB, metadata={"env": "PANKG_GRAPHQL_MAX_BODY"})
    """Bytes of a ``/graphql`` request: the POST body, or the query string of a GET."""
    graphql_seconds: float = field(default=10.0, metadata={"env": "PANKG_GRAPHQL_TIMEOUT"})
    """Seconds a GraphQL request may take, parsing and the wait for a thread included; its answer comes by then."""
    graphql_concurrency: int = field(default=4, metadata={"env": "PANKG_GRAPHQL_CONCURRENCY"})
    """GraphQL requests executing at once (each costs the event loop Python work)."""
    graphql_queue: int = field(default=16, metadata={"env": "PANKG_GRAPHQL_QUEUE"})
    """GraphQL requests that may wait their turn; more, or one that would not get its turn in time, get 503."""
    read_seconds: float = field(default=30.0, metadata={"env": "PANKG_READ_TIMEOUT"})
    """Seconds a Linked Data page, an export or the home page may take, the wait for a thread included."""
    read_threads: int = field(default=4, metadata={"env": "PANKG_READ_THREADS"})
    """Threads that run the store reads of GraphQL, Linked Data, exports and the home page."""
    read_queue: int = field(default=64, metadata={"env": "PANKG_READ_QUEUE"})
    """Store reads that may wait for one of those threads; more are answered 503 at once."""
    write_queue: int = field(default=16, metadata={"env": "PANKG_WRITE_QUEUE"})
    """Updates and Graph Store writes that may wait for the one writer; more are answered 503 at once."""
    connections: int = field(default=1000, metadata={"env": "PANKG_MAX_CONNECTIONS"})
    """Open HTTP connections uvicorn accepts at once; past it, new ones get 503 from uvicorn itself."""
    services: frozenset[str] = frozenset()
    """The SPARQL endpoints ``SERVICE`` may call (``PANKG_SPARQL_SERVICES``; ``resolvers/federation.py``)."""

    @classmethod
    def settings(cls) -> list[tuple[str, str, Any]]:
        """``(variable, field name, default)`` of every limit set by a variable, for settings and docs."""
        return [(f.metadata["env"], f.name, f.default) for f in fields(cls) if "env" in f.metadata]
