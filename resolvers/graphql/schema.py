"""The root ``Query`` and the schema: look-ups by PID, searches as cursor connections, lineage.

A look-up of a PID that does not exist (or that this reader may not see) gives ``null`` and no error:
absence is an answer, not a failure. Malformed input (a bad cursor, unit or IRI) gives an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from graph.search import DatasetQuery, EntityQuery, Order
from ontology.namespaces import DCAT, FOAF
from ontology.terms import PANKG
from resolvers.graphql import filters as f
from resolvers.graphql.lineage import MAX_DEPTH, Direction, Lineage, lineage
from resolvers.graphql.lookahead import load_datasets
from resolvers.graphql.nodes import INFO, types
from resolvers.graphql.pagination import Connection, connection, page_size
from resolvers.graphql.safety import extensions
from resolvers.graphql.search import Facets, SearchConnection, SearchOrder, facets, search
from resolvers.graphql.sparql import UserError, iri, is_http_iri
from resolvers.graphql.types_data import AnalysisRun, Dataset, File, Parameter, Proposal, Sample
from resolvers.graphql.types_things import (
    Doi,
    Facility,
    Instrument,
    Organization,
    Person,
    Publication,
    Software,
    SoftwareVersion,
    Technique,
)

T = TypeVar("T")


def resolve(info: INFO, kind: str, pid: str) -> str:
    """The IRI a PID (or IRI) names, minted as the loaders mint it."""
    pid = pid.strip()
    if not pid:
        raise UserError(f"an empty {kind} PID names nothing")
    found = pid if is_http_iri(pid) else info.context.store.minter.iri(kind, pid)
    iri(found)  # refuses characters an IRI cannot hold
    return found


async def _exists(info: INFO, node: str, type_iri: str) -> bool:
    return type_iri in await types(info, node)


async def _listed(info: INFO, asked: DatasetQuery | EntityQuery, first: int | None, after: str | None, order: Order,
                  make: Callable[..., T]) -> Connection[T]:
    """A page of a list from the search index, its nodes made by ``make(iri=...)`` (their fields from the graph)."""
    page = await info.context.lists.page(asked, page_size(first), after, order)
    if make is Dataset:
        await load_datasets(info, [hit.iri for hit in page.hits])
    return connection(page, after, lambda n: make(iri=n))


@strawberry.type
class Query:
    @strawberry.field(description="A dataset by PID or IRI; null when there is none (visible to you).")
    async def dataset(self, info: INFO, pid: str) -> Dataset | None:
        node = resolve(info, "dataset", pid)
        return Dataset(iri=node) if await _exists(info, node, DCAT.Dataset) else None

    @strawberry.field(description="Datasets matching `filter`, a page at a time (first <= 100), from the search "
                                  "index: cursors are keys, totalCount comes with the page.")
    async def datasets(self, info: INFO, filter: f.DatasetFilter | None = None, first: int | None = 20,
                       after: str | None = None, order_by: f.DatasetOrder = f.DatasetOrder.PID) -> Connection[Dataset]:
        asked = await f.dataset_query(info, filter)
        return await _listed(info, asked, first, after, Order(order_by.value), Dataset)

    @strawberry.field(description="Datasets found by the search index: free text ranked by relevance (BM25, the "
                                  "score on each edge) and filters; totalCount at no extra cost (docs/search.md).")
    async def search(self, info: INFO, query: str | None = None, filter: f.DatasetFilter | None = None,
                     first: int | None = 20, after: str | None = None,
                     order_by: SearchOrder | None = None) -> SearchConnection:
        return await search(info, query, filter, first, after, order_by)

    @strawberry.field(description="Counts of the datasets a search finds, per technique (rolled up the PaNET tree), "
                                  "facility, instrument, year, licence, kind and access level.")
    async def facets(self, info: INFO, query: str | None = None, filter: f.DatasetFilter | None = None) -> Facets:
        return await facets(info, query, filter)

    @strawberry.field(description="A publication by DOI or IRI.")
    async def publication(self, info: INFO, pid: str) -> Publication | None:
        node = resolve(info, "publication", pid)
        return Publication(iri=node) if await _exists(info, node, PANKG.Publication) else None

    @strawberry.field(description="Publications matching `filter`, newest first.")
    async def publications(self, info: INFO, filter: f.PublicationFilter | None = None, first: int | None = 20,
                           after: str | None = None) -> Connection[Publication]:
        asked = await f.publication_query(info, filter)
        return await _listed(info, asked, first, after, Order.CREATED, Publication)

    @strawberry.field(description="A piece of software by PID or IRI.")
    async def software(self, info: INFO, pid: str) -> Software | None:
        node = resolve(info, "software", pid)
        return Software(iri=node) if await _exists(info, node, PANKG.Software) else None

    @strawberry.field(description="Software matching `filter`, by name.")
    async def software_list(self, info: INFO, filter: f.SoftwareFilter | None = None, first: int | None = 20,
                            after: str | None = None) -> Connection[Software]:
        asked = await f.software_query(info, filter)
        return await _listed(info, asked, first, after, Order.TITLE, Software)

    @strawberry.field
    async def instrument(self, info: INFO, pid: str) -> Instrument | None:
        node = resolve(info, "instrument", pid)
        return Instrument(iri=node) if await _exists(info, node, PANKG.Instrument) else None

    @strawberry.field(description="Instruments matching `filter`, by name.")
    async def instruments(self, info: INFO, filter: f.InstrumentFilter | None = None, first: int | None = 20,
                          after: str | None = None) -> Connection[Instrument]:
        asked = await f.instrument_query(info, filter)
        return await _listed(info, asked, first, after, Order.TITLE, Instrument)

    @strawberry.field(description="A person by ORCID, PID or IRI.")
    async def person(self, info: INFO, pid: str) -> Person | None:
        node = resolve(info, "person", pid)
        return Person(iri=node) if await _exists(info, node, FOAF.Person) else None

    @strawberry.field(description="People matching `filter`, by name.")
    async def people(self, info: INFO, filter: f.PersonFilter | None = None, first: int | None = 20,
                     after: str | None = None) -> Connection[Person]:
        asked = await f.person_query(info, filter)
        return await _listed(info, asked, first, after, Order.TITLE, Person)

    @strawberry.field(description="A technique by IRI or PaNET id (PaNET01188).")
    async def technique(self, info: INFO, pid: str) -> Technique | None:
        node = resolve(info, "technique", pid if is_http_iri(pid) or ":" in pid else f"panet:{pid}")
        return Technique(iri=node) if await _exists(info, node, PANKG.Technique) else None

    @strawberry.field(description="A facility by ROR IRI or PID.")
    async def facility(self, info: INFO, pid: str) -> Facility | None:
        node = resolve(info, "facility", pid)
        return Facility(iri=node) if await _exists(info, node, PANKG.Facility) else None

    @strawberry.field(description="Provenance around a dataset (or run, software version, paper) as nodes and edges; "
                                  f"maxDepth <= {MAX_DEPTH}; null when the PID names nothing you can see.")
    async def lineage(self, info: INFO, pid: str, direction: Direction = Direction.BOTH,
                      max_depth: int = 3) -> Lineage | None:
        if not 0 <= max_depth <= MAX_DEPTH:
            raise UserError(f"maxDepth must be between 0 and {MAX_DEPTH} (got {max_depth})")
        return await lineage(info, resolve(info, "dataset", pid), direction, max_depth)


EXTRA_TYPES = [AnalysisRun, File, Parameter, Proposal, Sample, Doi, Organization, SoftwareVersion]


class Schema(strawberry.Schema):
    """Strawberry's schema, without its logging of every error with its traceback.

    The client's errors (a bad cursor, a full server, a request out of time) are answers, not faults: under
    load, formatting thousands of tracebacks a minute took the event loop from the requests. Our own faults
    are logged, with their tracebacks, where they are masked (:func:`resolvers.graphql.safety.is_internal`).
    """

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        pass


def make_schema() -> strawberry.Schema:
    """The schema with its safety extensions; one per app (extensions are per-schema instances)."""
    return Schema(query=Query, types=EXTRA_TYPES, extensions=extensions(),
                  config=StrawberryConfig(auto_camel_case=True))
