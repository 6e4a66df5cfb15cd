"""``search`` and ``facets``: datasets found, ranked, paged and counted by the search index (docs/search.md).

The index (:mod:`graph.search`) answers which datasets, in which order, how many and counted by what; the graph
answers everything shown of them, through the request's batch loader like every other field, so a page of
search results costs the same store queries as any page. The index is read in the request's scope: an anonymous
caller finds an embargoed dataset by its public stub only (``docs/search.md``).

The index reflects the store's write version; a search first catches it up when the store has been written
since (today a rebuild: the first search after a write waits for it, others wait with it, none ever reads an
index older than the graph).
"""

from __future__ import annotations

import threading
from enum import Enum
from typing import Any

import strawberry

from graph.errors import QueryError
from graph.model.iris import licence_iri
from graph.search import DatasetQuery, Order, Page, SearchIndex
from graph.search import ParameterRange as IndexRange
from resolvers.graphql.filters import DatasetKind, DateRange, ParameterRange
from resolvers.graphql.nodes import INFO
from resolvers.graphql.pagination import PageInfo
from resolvers.graphql.sparql import UserError, is_http_iri
from resolvers.graphql.types_data import Dataset

MAX_FIRST = 100

_OPENING = threading.Lock()


def index_of(state: Any, store: Any) -> SearchIndex:
    """The app's search index (``app.state.search``), opened on first use (``pankg serve`` opens and catches it
    up before it listens)."""
    with _OPENING:
        found = getattr(state, "search", None)
        if found is None:
            found = state.search = SearchIndex.open(store, catch_up=False)
        return found


@strawberry.enum(description="How search results are ordered.")
class SearchOrder(Enum):
    RELEVANCE = "relevance"
    NEWEST = "created"
    OLDEST = "created_asc"
    TITLE = "title"


@strawberry.enum(description="Public, or under embargo (anonymous callers find its public stub only).")
class AccessLevel(Enum):
    PUBLIC = "public"
    RESTRICTED = "restricted"


@strawberry.input(description="Every field given must hold (AND). Things are named by IRI or PID; a technique "
                              "(IRI or PaNET id) takes in every technique below it.")
class SearchFilter:
    technique: str | None = None
    facility: str | None = None
    instrument: str | None = None
    proposal: str | None = None
    kind: DatasetKind | None = None
    licence: str | None = None
    access: AccessLevel | None = None
    created: DateRange | None = None
    embargo_end: DateRange | None = None
    parameters: list[ParameterRange] | None = None
    has_doi: bool | None = None
    cited: bool | None = None


@strawberry.type
class SearchEdge:
    cursor: str
    node: Dataset
    score: float | None = strawberry.field(description="The BM25 score of the text, ordering by relevance.")


@strawberry.type(description="A page of search results; totalCount comes with the page at no extra cost.")
class SearchConnection:
    edges: list[SearchEdge]
    page_info: PageInfo
    total_count: int

    @strawberry.field(description="The nodes of this page, without cursors.")
    def nodes(self) -> list[Dataset]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="How many datasets have a value.")
class FacetCount:
    value: str
    count: int


@strawberry.type(description="Counts of the matching datasets per value; a technique counts every dataset of a "
                             "technique below it.")
class Facets:
    technique: list[FacetCount]
    facility: list[FacetCount]
    instrument: list[FacetCount]
    year: list[FacetCount]
    licence: list[FacetCount]
    kind: list[FacetCount]
    access: list[FacetCount]


def _named(info: INFO, kind: str, value: str | None) -> str | None:
    """An IRI as given, else the IRI minted for a PID (``PaNET01188`` for PaNET's)."""
    if value is None:
        return None
    value = value.strip()
    if is_http_iri(value):
        return value
    if kind == "technique" and value.lower().startswith("panet"):
        value = value if ":" in value else f"panet:{value}"
    return info.context.store.minter.iri(kind, value)


def dataset_query(info: INFO, text: str | None, where: SearchFilter | None) -> DatasetQuery:
    """What the caller asks, as the index's query."""
    if where is None:
        return DatasetQuery(text=text)
    kinds = {DatasetKind.RAW: "raw", DatasetKind.DERIVED: "derived"}
    return DatasetQuery(
        text=text, technique=_named(info, "technique", where.technique),
        facility=_named(info, "facility", where.facility), instrument=_named(info, "instrument", where.instrument),
        proposal=_named(info, "proposal", where.proposal), kind=kinds[where.kind] if where.kind else None,
        licence=_licence(where.licence), access=where.access.value if where.access else None,
        created_from=where.created.from_ if where.created else None,
        created_to=where.created.to if where.created else None,
        embargo_end_from=where.embargo_end.from_ if where.embargo_end else None,
        embargo_end_to=where.embargo_end.to if where.embargo_end else None,
        parameters=tuple(IndexRange(p.name, p.min, p.max, p.unit) for p in where.parameters or ()),
        has_doi=where.has_doi, cited=where.cited)


def _licence(value: str | None) -> str | None:
    """A licence by IRI, or by SPDX id as the model writes it (``CC-BY-4.0``)."""
    if value is None:
        return None
    return licence_iri(value.strip())


async def _in_index(info: INFO, fn: Any, *args: Any) -> Any:
    """``fn(index, *args)`` on a thread of the request's lane, after catching the index up with the store."""
    request = info.context.request
    index = index_of(request.app.state, info.context.store) if request is not None else SearchIndex.open(
        info.context.store)

    def run() -> Any:
        index.catch_up()
        try:
            return fn(index, *args)
        except QueryError as exc:
            raise UserError(str(exc)) from None

    info.context.queries += 1
    return await info.context.offload(run)


async def search(info: INFO, query: str | None, where: SearchFilter | None, first: int | None, after: str | None,
                 order_by: SearchOrder | None) -> SearchConnection:
    size = 20 if first is None else first
    if not 0 <= size <= MAX_FIRST:
        raise UserError(f"first must be between 0 and {MAX_FIRST} (got {size}); page with after: endCursor")
    asked = dataset_query(info, query, where)
    order = Order(order_by.value) if order_by is not None else None
    page: Page = await _in_index(info, lambda index: index.search(asked, info.context.scope, size, after, order))
    edges = [SearchEdge(cursor=hit.cursor, node=Dataset(iri=hit.iri), score=hit.score) for hit in page.hits]
    info_ = PageInfo(has_next_page=page.has_next, has_previous_page=after is not None,
                     start_cursor=edges[0].cursor if edges else None, end_cursor=edges[-1].cursor if edges else None)
    return SearchConnection(edges=edges, page_info=info_, total_count=page.total)


async def facets(info: INFO, query: str | None, where: SearchFilter | None) -> Facets:
    asked = dataset_query(info, query, where)
    counts: dict[str, dict[str, int]] = await _in_index(info, lambda index: index.facets(asked, info.context.scope))

    def listed(name: str) -> list[FacetCount]:
        found = counts.get(name, {})
        return [FacetCount(value=v, count=n) for v, n in sorted(found.items(), key=lambda item: (-item[1], item[0]))]

    return Facets(**{name: listed(name) for name in ("technique", "facility", "instrument", "year", "licence",
                                                      "kind", "access")})
