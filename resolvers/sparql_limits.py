"""Per-query limits of the SPARQL endpoint: time, memory and result size, and the errors that report them.

oxigraph cannot interrupt a running query, and one property path over a long chain can take minutes and
gigabytes, so the time and memory limits are enforced on a worker process that can be killed
(:mod:`resolvers.sparql_worker`). The result-size limit is counted in bytes while the results are written
(:func:`graph.query.results.write`), so it holds wherever the query runs (also in the in-memory fallback that
has no worker).

| limit | variable | default | answer when crossed |
|---|---|---|---|
| time | ``PANKG_QUERY_TIMEOUT`` (seconds, the wait for a worker included) | 30 | 503 ``QueryTimeout`` |
| memory | ``PANKG_QUERY_MEMORY`` (MB, address space of the worker) | 2048 | 503 ``QueryOutOfMemory`` |
| result size | ``PANKG_QUERY_MAX_BYTES`` (bytes of the serialized answer) | 50,000,000 | 413 ``ResultTooLarge`` |
| workers | ``PANKG_QUERY_WORKERS`` (concurrent queries) | 4 | waits (``PANKG_QUERY_QUEUE``), then 503 ``ServerBusy`` |

The variables are read by ``pankg/settings.py``; every limit of the server is listed in ``docs/limits.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.errors import PankgError, QueryTimeout, ResultTooLarge

__all__ = ["Limits", "QueryOutOfMemory", "QueryTimeout", "ResultTooLarge"]
# QueryTimeout (graph.errors) is 503, as Fuseki answers a timeout: the server declines the work, and a
# narrower query (a LIMIT, a bound end of a path) may still be served. ResultTooLarge (graph.errors) is 413:
# the store raises it while it writes an answer past the limit.


class QueryOutOfMemory(PankgError):
    """The query needed more memory than a query may take, and its worker was stopped. 503, like a timeout."""

    status = 503


@dataclass(frozen=True)
class Limits:
    """What one query may take. ``timeout`` in seconds, ``memory_mb`` of address space, ``max_bytes`` of answer."""

    timeout: float = field(default=30.0, metadata={"env": "PANKG_QUERY_TIMEOUT"})
    memory_mb: int = field(default=2048, metadata={"env": "PANKG_QUERY_MEMORY"})
    max_bytes: int = field(default=50_000_000, metadata={"env": "PANKG_QUERY_MAX_BYTES"})
    workers: int = field(default=4, metadata={"env": "PANKG_QUERY_WORKERS"})
