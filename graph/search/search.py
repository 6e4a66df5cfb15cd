"""Pages with stable cursors, totals and facet counts, from one searcher (one consistent commit) per call.

**Cursors are keys, not offsets.** Each hit's cursor holds its place in a total order; the next page is what comes
strictly after it, so walking to the end gives every match once, whatever page sizes, and a page asked again
after a rebuild starts where the last one ended. By title and IRI the place is the hit's sort key, which ends
with its IRI (:mod:`graph.search.schema`), and "after" is one term range on the key field. By date it is the
date's number and the IRI: tantivy sorts numbers fast, "after" is a number range, and hits of one second are
ordered here by IRI.

**Key pages are searched in windows.** tantivy sorts every match to find the top of a page: at 100,000 datasets a
page of an unfiltered list took 7 ms sorting a text key, and it grows with the matches. So a text-keyed page is
searched in a window of the order first: from the cursor to the next of the index's boundaries (sort keys
sampled from about one document in 1,024, :meth:`graph.search.SearchIndex.boundaries`; each entity's keys lie
together), widened fourfold (counting its matches, which sorts nothing) while it holds fewer than the page
needs, open at the end of the order. Every key in a window comes before every key beyond it, so the page is
exact whatever the marks (stale ones, of documents since deleted, only widen a window); a dense list sorts about
a thousand matches a page whatever its length, and a sparse one has few matches to sort.

By relevance it is ``(score, tie, IRI)``: tantivy cannot filter on a score, so the search takes the best hits
down to the cursor's and past the page (starting at the cursor's rank, growing sixteenfold while the cut falls
inside a run of equal scores: one word over uniform titles gave 42,000 matches of 4 scores at a million
datasets) and orders the best of them itself. Scores are those of one commit: a relevance walk across a rebuild
may repeat or skip a hit (the other orders do not).

A cursor is opaque to callers (URL-safe base64 of a small JSON array) and checked when it comes back: one that
does not decode, or was made for another order, is a :class:`~graph.errors.QueryError`.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import heapq
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import tantivy

from graph.errors import QueryError
from graph.search import schema as s
from graph.search.entities import EntityQuery, build_entity_query
from graph.search.query import DatasetQuery, Order, build

if TYPE_CHECKING:
    from graph.search.index import SearchIndex
    from graph.store.reads import Scope

MAX_FIRST = 1000

FACETS = {"technique": ("technique", 5000), "facility": ("facility", 1000), "instrument": ("instrument", 5000),
          "year": ("year", 1000), "licence": ("licence", 1000), "kind": ("kind", 10), "access": ("access", 10)}
"""Facet -> (field, most values counted). A dataset counts once per value: for each technique it has and each
technique above them (the documents hold the ancestors), so counts roll up the PaNET tree."""

WIDEN = 4
"""How much a window grows when it holds too few matches for the page."""

RELEVANCE_GROWTH = 16
"""How much more a relevance page fetches while the page ends inside a run of equal scores."""
"""How much a window grows when it holds too few matches for the page."""

_KEYED = {Order.TITLE: ("title_key", tantivy.Order.Asc), Order.IRI: ("iri_key", tantivy.Order.Asc)}
_NUMBERED = {Order.CREATED: ("created_num", True), Order.CREATED_ASC: ("created_num", False)}


@dataclass(frozen=True)
class Hit:
    iri: str
    cursor: str
    score: float | None = None
    """The BM25 score, ordering by relevance; None in the other orders."""


@dataclass(frozen=True)
class Page:
    hits: list[Hit]
    total: int
    """Every match of the query in the caller's scope, not only this page's."""
    has_next: bool


def search(index: SearchIndex, query: DatasetQuery | EntityQuery, scope: Scope = "public", first: int = 50,
           after: str | None = None, order: Order | None = None, searcher: tantivy.Searcher | None = None) -> Page:
    """The ``first`` datasets (or other nodes, for an :class:`EntityQuery`) after the cursor ``after`` (None: from
    the start) that ``query`` selects in ``scope``, in ``order`` (default: by relevance when there is free text,
    else newest first), with the total. ``searcher``: one shared by several searches that must see one commit."""
    if not 0 <= first <= MAX_FIRST:
        raise QueryError(f"first must be between 0 and {MAX_FIRST}, not {first}")
    generation = index.generation  # before the searcher: see SearchIndex.total
    searcher = searcher or index.searcher()
    if isinstance(query, EntityQuery):
        where, ranked = build_entity_query(index.schema, query, scope)
    else:
        where, ranked = build(index, query, scope, searcher)
    order = order or (Order.RELEVANCE if ranked else Order.CREATED)
    if order is Order.RELEVANCE and not ranked:
        order = Order.CREATED
    total = index.total((generation, query, scope),
                        lambda: int(searcher.search(where, 1, count=True).count))  # type: ignore[attr-defined]
    if order is Order.RELEVANCE:
        return _by_relevance(searcher, where, first, after, total)
    if order in _NUMBERED:
        return _by_number(index, searcher, where, order, first, after, total)
    return _by_key(index, searcher, where, order, first, after, total,
                   query.entity if isinstance(query, EntityQuery) else "dataset")


def facets(index: SearchIndex, query: DatasetQuery, scope: Scope = "public") -> dict[str, dict[str, int]]:
    """Counts per technique (rolled up the technique tree), facility, instrument, year, licence, kind and access
    level of the datasets ``query`` selects in ``scope``: one aggregation, all facets at once."""
    searcher = index.searcher()
    where, _ = build(index, query, scope, searcher)
    spec = {name: {"terms": {"field": field, "size": size}} for name, (field, size) in FACETS.items()}
    found: dict[str, Any] = searcher.aggregate(where, spec)
    counts: dict[str, dict[str, int]] = {}
    for name in FACETS:
        buckets = found.get(name, {}).get("buckets", [])
        counts[name] = {_facet_key(name, b["key"]): int(b["doc_count"]) for b in buckets}
    return counts


def _facet_key(name: str, key: Any) -> str:
    return str(int(key)) if name == "year" and isinstance(key, (int, float)) else str(key)


# ------------------------------------------------------------------------------------------------ by key


def _by_key(index: SearchIndex, searcher: tantivy.Searcher, where: tantivy.Query, order: Order, first: int,
            after: str | None, total: int, entity: str) -> Page:
    """The page after the cursor's key, searched window by window (see the module's documentation)."""
    field, direction = _KEYED[order]
    descending = direction == tantivy.Order.Desc
    below, above = s.entity_bounds(entity)
    start = above if descending else below  # no cursor: from the edge of the entity's keys
    if after is not None:
        key = _decode(after, order.value, 1)[0]
        if not isinstance(key, str) or not s.is_key(key):
            raise _invalid(after)
        start = key
    if not first:
        return Page([], total, False)
    marks = index.boundaries(field)
    # The first mark beyond the start, in the order's direction: marks[i:] are above it, marks[:i] below.
    i = bisect.bisect_left(marks, start) if descending else bisect.bisect_right(marks, start)
    span = 1
    while True:  # widen by counting (cheap), then sort the one window that holds the page
        j = i - span if descending else i + span - 1
        end = marks[j] if 0 <= j < len(marks) else None  # None: to the end of the order
        window = _window(index, where, field, start, end, descending)
        if end is None or searcher.search(window, 1, count=True).count > first:  # type: ignore[attr-defined]
            break
        span *= WIDEN
    found = searcher.search(window, first + 1, count=False, order_by_field=field, order=direction).hits
    hits = [Hit(s.key_iri(key), _encode([order.value, key])) for key, _ in found[:first]]
    return Page(hits, total, len(found) > first)


def _window(index: SearchIndex, where: tantivy.Query, field: str, start: str, end: str | None,
            descending: bool) -> tantivy.Query:
    """``where`` within the keys strictly beyond ``start`` and up to ``end`` (inclusive; None: open), in the
    order's direction."""
    bounds = [index.parse(f"{field}:{'<' if descending else '>'}{start}")]
    if end is not None:
        bounds.append(index.parse(f"{field}:{'>=' if descending else '<='}{end}"))
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in (where, *bounds)])


# ------------------------------------------------------------------------------------------------ by number


def _by_number(index: SearchIndex, searcher: tantivy.Searcher, where: tantivy.Query, order: Order, first: int,
               after: str | None, total: int) -> Page:
    """The page after the cursor ``(value, IRI)`` in the order of a number field, then the IRI (both descending
    when ``descending``). tantivy sorts by the number; the hits of one value (a second, for dates) come back in
    index order, so the rows are fetched past the page until the last value fetched is beyond it, and ordered
    here with their IRIs (a stored-field read per hit: microseconds)."""
    field, descending = _NUMBERED[order]
    start: tuple[int, str] | None = None
    query = where
    if after is not None:
        value, iri = _decode(after, order.value, 2)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0 or not isinstance(iri, str):
            raise _invalid(after)
        start = (value, iri)
        beyond = tantivy.Query.range_query(index.schema, field, tantivy.FieldType.Unsigned,
                                           None if descending else value, value if descending else None)
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, where), (tantivy.Occur.Must, beyond)])
    if not first:
        return Page([], total, False)
    direction = tantivy.Order.Desc if descending else tantivy.Order.Asc
    limit = first + 2
    while True:
        found = searcher.search(query, limit, count=False, order_by_field=field, order=direction).hits
        exhausted = len(found) < limit
        # Hits of the last value fetched may go on past the limit: keep only the values before it.
        settled = found if exhausted else [(v, a) for v, a in found if v != found[-1][0]]
        rows = sorted(((int(v), str(searcher.doc(a)["iri"][0])) for v, a in settled), reverse=descending)
        if start is not None:
            rows = [r for r in rows if (r < start if descending else r > start)]
        if len(rows) > first or exhausted:
            break
        limit *= 2
    hits = [Hit(iri, _encode([order.value, value, iri])) for value, iri in rows[:first]]
    return Page(hits, total, len(rows) > first)


# ------------------------------------------------------------------------------------------------ by relevance


def _by_relevance(searcher: tantivy.Searcher, where: tantivy.Query, first: int, after: str | None,
                  total: int) -> Page:
    start: tuple[float, int, str] | None = None
    rank = 0
    if after is not None:
        score, tie, iri, rank = _decode(after, Order.RELEVANCE.value, 4)
        try:
            start = (-float.fromhex(score), int(tie), str(iri))
            rank = int(rank)
        except (TypeError, ValueError):
            raise _invalid(after) from None
    if not first:
        return Page([], total, total > rank)
    limit = rank + first + 2
    while True:
        found = searcher.search(where, limit, count=False).hits
        exhausted = len(found) < limit
        ties = searcher.fast_field_values("tie", [address for _, address in found])
        rows = [(-float(score), int(tie or 0), address) for (score, address), tie in zip(found, ties, strict=True)]
        # Only the best rows after the cursor matter: a partial sort (a single word can give a run of tens of
        # thousands of equal scores, all fetched before the run's end is known).
        rows = heapq.nsmallest(first + 2, (r for r in rows if start is None or (r[0], r[1]) >= start[:2]),
                               key=lambda r: (r[0], r[1]))
        # Complete down to the page's end once the hit after it (one more: the cursor's own hit is among the rows)
        # scores above the lowest score fetched: hits of that lowest score may be missing, no others.
        if exhausted or (len(rows) > first + 1 and found[-1][0] < -rows[first + 1][0]):
            break
        limit *= RELEVANCE_GROWTH
    page = _ordered(searcher, rows, start, first)
    hits = [Hit(iri, _encode([Order.RELEVANCE.value, (-key).hex(), tie, iri, rank + n + 1]), -key)
            for n, (key, tie, iri) in enumerate(page[:first])]
    return Page(hits, total, len(page) > first)


def _ordered(searcher: tantivy.Searcher, rows: list[tuple[float, int, Any]], start: tuple[float, int, str] | None,
             first: int) -> list[tuple[float, int, str]]:
    """The first ``first + 1`` of ``rows`` (sorted by score and tie) after ``start``, with their IRIs, which decide
    between rows of one score and tie (never, in practice); an IRI is fetched only for the rows looked at."""
    out: list[tuple[float, int, str]] = []
    for score, tie, address in rows:
        if len(out) > first and (score, tie) != out[-1][:2]:
            break
        iri = str(searcher.doc(address)["iri"][0])
        if start is None or (score, tie, iri) > start:
            out.append((score, tie, iri))
    return sorted(out)[:first + 1]


# ------------------------------------------------------------------------------------------------ cursors


def _encode(parts: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str, order: str, size: int) -> list[Any]:
    """The ``size`` parts of a cursor made for ``order``."""
    try:
        parts = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _invalid(cursor) from None
    if not isinstance(parts, list) or not parts or parts[0] != order:
        raise _invalid(cursor, f" (made for another order than {order})")
    if len(parts) != size + 1:
        raise _invalid(cursor)
    return parts[1:]


def _invalid(cursor: str, why: str = "") -> QueryError:
    return QueryError(f"invalid cursor {cursor[:100]!r}{why}: not a cursor of this list; pass the endCursor or an "
                      "edge cursor of a previous page of the same list and order")
