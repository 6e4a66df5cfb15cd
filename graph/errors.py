"""The one error hierarchy of pankg.

Every error a person may see derives from :class:`PankgError`, so the CLI and the HTTP layer can turn
any of them into one clear line (or one JSON shape) without a traceback::

    PankgError
    ├── StoreError            the store directory cannot be opened or written
    │   └── StoreLocked       another process holds the store open
    ├── LoaderError           a source could not be mapped into the graph
    │   ├── SourceUnavailable the file or URL cannot be read
    │   └── RecordInvalid     one record is malformed (names file, record, field)
    ├── QueryError            a SPARQL query is malformed or failed
    │   └── QueryTimeout      a query ran past its time limit
    ├── ResultTooLarge        a query's answer is over the size a response may have
    └── NotFound              a PID or IRI that the graph does not know

Errors that reach HTTP carry a ``status``.
"""

from __future__ import annotations


class PankgError(Exception):
    """Base of every error pankg raises on purpose."""

    status: int = 500


class StoreError(PankgError):
    """The store directory cannot be opened, read or written."""


class StoreLocked(StoreError):
    """Another process (often a running ``pankg serve``) holds the store open."""

    status = 503


class LoaderError(PankgError):
    """A source could not be mapped into the graph; nothing of it was written."""

    status = 400


class SourceUnavailable(LoaderError):
    """The file or URL of a source cannot be read."""


class RecordInvalid(LoaderError):
    """One record of a source is malformed.

    The message always names where: the file, the record and the field, so a data manager can fix it.
    """

    def __init__(self, message: str, *, file: str = "", record: str = "", field: str = "") -> None:
        self.file, self.record, self.field = file, record, field
        where = ", ".join(
            f"{name} {value}" for name, value in (("file", file), ("record", record), ("field", field)) if value
        )
        super().__init__(f"{where}: {message}" if where else message)


class QueryError(PankgError):
    """A SPARQL query is malformed or failed while running."""

    status = 400


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""

    status = 503


class ResultTooLarge(PankgError):
    """The answer is larger than a response may be. 413: the request asks for too much, and the client
    fixes it (LIMIT, OFFSET paging, fewer variables); the type tells it apart from a request body over
    the limit."""

    status = 413


class NotFound(PankgError):
    """A PID or IRI that the graph does not know."""

    status = 404
