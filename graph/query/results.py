"""Running a SPARQL query on the engine, and what comes out: plain values, or bytes written under a size cap.

One module for the server's store (:class:`graph.store.embedded.GraphStore`) and a query worker's read-only
view of it (:class:`graph.store.view.ReadOnlyView`), so the two word their errors alike and write the same
bytes. The engine's results are lazy and stay in the thread (and process) that made them: they are consumed
here, and what leaves is a plain value (:mod:`graph.query.terms`) or bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from graph.errors import QueryError, ResultTooLarge
from graph.query.dataset import Dataset, engine_options
from graph.query.formats import Format, ResultKind, rdf_format, results_format
from graph.query.terms import Term, Triple, plain, python_value

Rows = list[list[Any]]
Results = tuple[list[str], Rows] | bool | list[Triple]
"""SELECT: ``(variables, rows)`` with rows as lists of terms (None where unbound); ASK: a ``bool``;
CONSTRUCT/DESCRIBE: a list of triples."""

Choose = Callable[[ResultKind], Format]
"""Picks the format of an answer once the kind of result is known (content negotiation, on the caller's side)."""


def brief(exc: Exception, limit: int = 160) -> str:
    """oxigraph's parser lists every expected character class; a person needs the position and a hint."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit].rstrip() + " ..."


def run(engine: ox.Store, sparql: str, dataset: Dataset) -> Any:
    """The engine's lazy results of ``sparql`` over ``dataset``; :class:`QueryError` if it cannot run."""
    try:
        return engine.query(sparql, **engine_options(dataset))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {brief(exc)}") from None
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def kind_of(results: Any) -> ResultKind:
    if isinstance(results, ox.QuerySolutions):
        return "solutions"
    if isinstance(results, ox.QueryBoolean):
        return "boolean"
    return "graph"


# The engine's results may fail while they are read (a SERVICE is called then, a file may vanish). Every function
# that holds them drops them before an error leaves: the error's traceback keeps the frame, and would carry
# the results to another thread (an event loop's, a caller's), where the engine refuses to free them.


def materialize(results: Any, convert: Callable[[Any], Any] = plain) -> Results:
    """All of the engine's ``results`` as plain values (``convert``: each term; :func:`python_value` gives
    ``str`` / ``int`` / ``float`` / ``bool`` instead of term objects)."""
    row = triple = None
    try:
        if isinstance(results, ox.QuerySolutions):
            variables = [v.value for v in results.variables]
            width = range(len(variables))
            rows: Rows = []
            for row in results:  # a loop, not a comprehension: a comprehension's frame would keep the results
                rows.append([convert(row[i]) for i in width])
            return variables, rows
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        triples = []
        for triple in results:
            triples.append(plain(triple))
        return triples
    finally:
        del results
        row = triple = None  # noqa: F841 - dropped here, not in a traceback (the comprehension's cell holds row)


def values(results: Any) -> tuple[list[str], Rows]:
    """SELECT results as ``(variables, rows)`` of Python values (:func:`graph.query.terms.python_value`)."""
    try:
        if not isinstance(results, ox.QuerySolutions):
            raise QueryError("the query is not a SELECT")
        found = materialize(results, python_value)
    finally:
        del results
    return found  # type: ignore[return-value]


def serialize(results: Any, results_syntax: Any, graph_syntax: Any) -> bytes:
    """The whole answer: solutions and booleans in ``results_syntax``, triples in ``graph_syntax``."""
    try:
        if isinstance(results, ox.QueryTriples):
            return results.serialize(format=rdf_format(graph_syntax)) or b""
        return results.serialize(format=results_format(results_syntax)) or b""
    finally:
        del results


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


def write(results: Any, choose: Choose, max_bytes: int) -> tuple[bytes, str]:
    """Write the engine's ``results`` in the format ``choose`` picks for their kind, at most ``max_bytes``:
    ``(body, media type)``. :class:`ResultTooLarge` past the cap.

    Call it on the thread (and in the process) that ran the query: the engine's results stay where made.
    """
    out = _Capped(max_bytes)
    try:
        fmt = choose(kind_of(results))
        if fmt.graph is not None:
            results.serialize(out, format=rdf_format(fmt.graph))
        else:
            results.serialize(out, format=results_format(fmt.results))  # type: ignore[arg-type]
    except ResultTooLarge:
        raise
    except (OSError, ValueError) as exc:
        raise QueryError(f"query failed while writing its results: {exc}") from None
    finally:
        # An error's traceback keeps this frame: without this, it would carry the results to another thread.
        del results
    return b"".join(out.chunks), fmt.media_type


def answer(engine: ox.Store, sparql: str, dataset: Dataset, choose: Choose, max_bytes: int) -> tuple[bytes, str]:
    """Run ``sparql`` over ``dataset`` and write its answer as :func:`write` does: ``(body, media type)``."""
    results = run(engine, sparql, dataset)
    try:
        return write(results, choose, max_bytes)
    finally:
        del results


__all__ = ["Choose", "Results", "Rows", "Term", "answer", "brief", "materialize", "run", "serialize", "values", "write"]
