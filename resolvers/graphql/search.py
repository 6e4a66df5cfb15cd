"""``search`` and ``facets``: datasets found, ranked, paged and counted by the search index (docs/search.md).

The index (:mod:`graph.search`) answers which datasets, in which order, how many and counted by what; the graph
answers everything shown of them, through the request's batch loader like every other field, so a page of
search results costs the same store queries as any page. The index is read in the request's scope: an anonymous
caller finds an embargoed dataset by its public stub only (``docs/search.md``).

The index reflects the store's write version; a search first catches it up when the store has been written
since (re-indexing what the write touched: :mod:`resolvers.graphql.index_batch`), so none ever reads an index
older than the graph.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from graph.search import Order
from resolvers.graphql.filters import DatasetFilter, dataset_query
from resolvers.graphql.lookahead import load_datasets
from resolvers.graphql.nodes import INFO
from resolvers.graphql.pagination import PageInfo, page_info, page_size
from resolvers.graphql.types_data import Dataset


@strawberry.enum(description="How search results are ordered.")
class SearchOrder(Enum):
    RELEVANCE = "relevance"
    NEWEST = "created"
    OLDEST = "created_asc"
    TITLE = "title"


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


async def search(info: INFO, query: str | None, where: DatasetFilter | None, first: int | None, after: str | None,
                 order_by: SearchOrder | None) -> SearchConnection:
    size = page_size(first)
    asked = await dataset_query(info, where, query)
    order = Order(order_by.value) if order_by is not None else None
    page = await info.context.lists.page(asked, size, after, order)
    await load_datasets(info, [hit.iri for hit in page.hits])
    edges = [SearchEdge(cursor=hit.cursor, node=Dataset(iri=hit.iri), score=hit.score) for hit in page.hits]
    return SearchConnection(edges=edges, page_info=page_info([e.cursor for e in edges], page.has_next, after),
                            total_count=page.total)


async def facets(info: INFO, query: str | None, where: DatasetFilter | None) -> Facets:
    counts = await info.context.lists.facets(await dataset_query(info, where, query))

    def listed(name: str) -> list[FacetCount]:
        found = counts.get(name, {})
        return [FacetCount(value=v, count=n) for v, n in sorted(found.items(), key=lambda item: (-item[1], item[0]))]

    return Facets(**{name: listed(name) for name in ("technique", "facility", "instrument", "year", "licence",
                                                      "kind", "access")})
