"""Per-query limits of the SPARQL endpoint: time, memory and result size, and the errors that report them.

pyoxigraph cannot interrupt a running query, and one property path over a long chain can take minutes and
gigabytes, so the time and memory limits are enforced on a worker process that can be killed
(:mod:`resolvers.sparql_worker`). The result-size limit is counted here, in bytes, while the results are
written, so it holds wherever the query runs (also in the in-memory fallback that has no worker).

| limit | variable | default | answer when crossed |
|---|---|---|---|
| time | ``PANKG_QUERY_TIMEOUT`` (seconds, the wait for a worker included) | 30 | 503 ``QueryTimeout`` |
| memory | ``PANKG_QUERY_MEMORY`` (MB, address space of the worker) | 2048 | 503 ``QueryOutOfMemory`` |
| result size | ``PANKG_QUERY_MAX_BYTES`` (bytes of the serialized answer) | 50,000,000 | 413 ``ResultTooLarge`` |
| workers | ``PANKG_QUERY_WORKERS`` (concurrent queries) | 4 | waits in the queue (``PANKG_QUERY_QUEUE``), then 503 ``ServerBusy`` |

The variables are read by ``pankg/settings.py``; every limit of the server is listed in ``docs/limits.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.errors import PankgError, QueryError, QueryTimeout
from resolvers.sparql_formats import Format, offers_for, pick

__all__ = ["Limits", "QueryOutOfMemory", "QueryTimeout", "ResultTooLarge", "answer"]
# QueryTimeout (graph.errors) is 503, as Fuseki answers a timeout: the server declines the work, and a
# narrower query (a LIMIT, a bound end of a path) may still be served.


class QueryOutOfMemory(PankgError):
    """The query needed more memory than a query may take, and its worker was stopped. 503, like a timeout."""

    status = 503


class ResultTooLarge(PankgError):
    """The answer is larger than a response may be. 413: the request asks for too much, and the client
    fixes it (LIMIT, OFFSET paging, fewer variables); the type tells it apart from a request body over
    the limit."""

    status = 413


@dataclass(frozen=True)
class Limits:
    """What one query may take. ``timeout`` in seconds, ``memory_mb`` of address space, ``max_bytes`` of answer."""

    timeout: float = field(default=30.0, metadata={"env": "PANKG_QUERY_TIMEOUT"})
    memory_mb: int = field(default=2048, metadata={"env": "PANKG_QUERY_MEMORY"})
    max_bytes: int = field(default=50_000_000, metadata={"env": "PANKG_QUERY_MAX_BYTES"})
    workers: int = field(default=4, metadata={"env": "PANKG_QUERY_WORKERS"})


class _Capped:
    """A binary writer that refuses to grow past ``limit`` bytes, so an oversized answer stops being
    written at the limit instead of being built whole first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge(
                f"the answer is over {self.limit:,} bytes, the most this endpoint sends; "
                "narrow the query or page it with LIMIT and OFFSET"
            )
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def answer(results: Any, accept: str | None, wanted: str | None, max_bytes: int) -> tuple[bytes, str]:
    """Write pyoxigraph ``results`` in the negotiated format, at most ``max_bytes``: ``(body, media type)``.

    Call it on the thread (and in the process) that ran the query: pyoxigraph results stay where made.
    """
    out = _Capped(max_bytes)
    try:
        fmt: Format = pick(accept, wanted, offers_for(results))
        if fmt.graph is not None:
            results.serialize(out, format=fmt.graph)
        else:
            results.serialize(out, format=fmt.results)
    except ResultTooLarge:
        raise
    except (OSError, ValueError) as exc:
        raise QueryError(f"query failed while writing its results: {exc}") from None
    finally:
        # An error's traceback keeps this frame: without this, it would carry the results to another thread.
        del results
    return b"".join(out.chunks), fmt.media_type


def plain_dataset(options: dict[str, Any]) -> dict[str, Any]:
    """Query options with graph IRIs as plain strings, to cross into a worker process (terms do not pickle)."""
    plain: dict[str, Any] = {}
    for key, value in options.items():
        if key in ("default_graph", "named_graphs"):
            plain[key] = [node.value for node in value]
        else:
            plain[key] = value
    return plain


def oxigraph_dataset(plain: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`plain_dataset`, in the worker."""
    return {
        key: [ox.NamedNode(iri) for iri in value] if key in ("default_graph", "named_graphs") else value
        for key, value in plain.items()
    }
