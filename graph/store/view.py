"""A read-only view of an on-disk store, for another process: the SPARQL endpoint's query workers.

The server's :class:`~graph.store.embedded.GraphStore` holds the one writable handle on a directory (and its
lock); a worker process that must be killable mid-query (:mod:`resolvers.sparql_worker`) opens the same
directory read only (``Store.read_only``) and answers queries over the dataset the server chose for the caller
(:meth:`GraphStore.reading`), as plain values or bytes like the store itself (:mod:`graph.query.results`).

A read-only view is not told when the writer compacts or drops graphs: a file it lists may be gone when it
opens it, which the engine reports as "No such file" or "Corruption". The writer never changes a registered
graph, so a view opened again gives the same answer from the current files (:func:`vanished`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import QueryError
from graph.query import results
from graph.query.dataset import Dataset
from graph.query.results import Choose

_VANISHED = ("No such file", "Corruption")


class ReadOnlyView:
    """The store at ``path`` as it was when opened; :class:`QueryError` if it cannot be opened."""

    def __init__(self, path: Path | str) -> None:
        try:
            self._engine = ox.Store.read_only(str(path))
        except OSError as exc:
            raise QueryError(f"query failed: cannot open the store: {exc}") from None

    def answer(self, sparql: str, dataset: Dataset, choose: Choose, max_bytes: int) -> tuple[bytes, str]:
        """Run ``sparql`` over ``dataset`` and write the answer in the format ``choose`` picks, at most
        ``max_bytes``: ``(body, media type)``, as :meth:`GraphStore.answer` does."""
        return results.answer(self._engine, sparql, dataset, choose, max_bytes)

    def query(self, sparql: str, dataset: Dataset) -> Any:
        """Run ``sparql`` over ``dataset``; the results as plain values, as :meth:`GraphStore.query` gives them."""
        return results.materialize(results.run(self._engine, sparql, dataset))


def vanished(exc: BaseException) -> bool:
    """True if ``exc`` says a file the view listed was removed by the writer: open a new view and try again."""
    return any(marker in str(exc) for marker in _VANISHED)
