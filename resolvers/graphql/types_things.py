"""Techniques, instruments, facilities, people, software (and versions), publications and DOI records.

Lists that can be long (a technique's or facility's datasets) are connections from the search index; the pages
(and counts) that the parents of one level ask for are one job (:mod:`resolvers.graphql.index_batch`).
"""

from __future__ import annotations

import strawberry

from graph.model.schema import (
    DOI,
    FACILITY,
    INSTRUMENT,
    ORGANIZATION,
    PERSON,
    PUBLICATION,
    SOFTWARE,
    TECHNIQUE,
    VERSION,
)
from graph.search import DatasetQuery, Order
from ontology.namespaces import DCTERMS, FOAF, RDFS, SCHEMA, SKOS
from resolvers.graphql.eager import eager
from resolvers.graphql.fields import from_schema
from resolvers.graphql.lookahead import load_datasets
from resolvers.graphql.nodes import INFO, Node, every, first, linked, node_type, one, text
from resolvers.graphql.pagination import Connection, connection, page_size
from resolvers.graphql.types_data import AnalysisRun, Dataset


async def _datasets(info: INFO, asked: DatasetQuery, first_: int | None, after: str | None) -> Connection[Dataset]:
    """A node's datasets, by PID: the pages of every node of one level from the index in one job."""
    page = await info.context.lists.page(asked, page_size(first_, 10), after, Order.IRI, lenient=True)
    await load_datasets(info, [hit.iri for hit in page.hits])
    return connection(page, after, lambda n: Dataset(iri=n))


@strawberry.type(description="An experimental technique (PaNET class, or a catalogue's own term).")
@from_schema(TECHNIQUE)
@node_type
class Technique(Node):
    @strawberry.field
    @eager
    async def label(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, RDFS.label))

    @strawberry.field
    @eager
    async def synonyms(self, info: INFO) -> list[str]:
        return [str(v) for v in await every(info, self.iri, SKOS.altLabel)]

    @strawberry.field
    @eager
    async def definition(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, SKOS.definition))

    @strawberry.field(description="Direct parents (rdfs:subClassOf), when PaNET is loaded.")
    @eager
    async def parents(self, info: INFO) -> list[Technique]:
        return [Technique(iri=t) for t in await linked(info, "parents", self.iri)]

    @strawberry.field(description="Direct children, when PaNET is loaded.")
    @eager
    async def children(self, info: INFO) -> list[Technique]:
        return [Technique(iri=t) for t in await linked(info, "children", self.iri)]

    @strawberry.field(description="Datasets of this technique or any technique below it "
                      "(the pages of all techniques of one level: one index job).")
    @eager
    async def datasets(self, info: INFO, first: int | None = 10, after: str | None = None) -> Connection[Dataset]:
        return await _datasets(info, DatasetQuery(technique=self.iri), first, after)


@strawberry.type
@from_schema(FACILITY)
@node_type
class Facility(Node):
    @strawberry.field
    @eager
    async def name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, FOAF.name))

    @strawberry.field
    @eager
    async def short_name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, SKOS.altLabel))

    @strawberry.field
    @eager
    async def url(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, SCHEMA.url))

    @strawberry.field
    @eager
    async def instruments(self, info: INFO) -> list[Instrument]:
        return [Instrument(iri=i) for i in await linked(info, "instruments", self.iri)]

    @strawberry.field(description="The facility's datasets (the pages of all facilities of one level: one index job).")
    @eager
    async def datasets(self, info: INFO, first: int | None = 10, after: str | None = None) -> Connection[Dataset]:
        return await _datasets(info, DatasetQuery(facility=self.iri), first, after)


@strawberry.type(description="A beamline or instrument.")
@from_schema(INSTRUMENT)
@node_type
class Instrument(Node):
    @strawberry.field
    @eager
    async def name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, RDFS.label))

    @strawberry.field
    @eager
    async def facility(self, info: INFO) -> Facility | None:
        found = await one(info, "facility", self.iri)
        return Facility(iri=found) if found else None

    @strawberry.field
    @eager
    async def techniques(self, info: INFO) -> list[Technique]:
        return [Technique(iri=t) for t in await linked(info, "technique", self.iri)]

    @strawberry.field(description="The instrument's datasets (the pages of one level: one index job).")
    @eager
    async def datasets(self, info: INFO, first: int | None = 10, after: str | None = None) -> Connection[Dataset]:
        return await _datasets(info, DatasetQuery(instrument=self.iri), first, after)


@strawberry.type
@from_schema(ORGANIZATION)
@node_type
class Organization(Node):
    @strawberry.field
    @eager
    async def name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, FOAF.name))


@strawberry.type
@from_schema(PERSON)
@node_type
class Person(Node):
    @strawberry.field
    @eager
    async def name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, FOAF.name))

    @strawberry.field
    @eager
    async def given_name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, SCHEMA.givenName))

    @strawberry.field
    @eager
    async def family_name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, SCHEMA.familyName))

    @strawberry.field
    @eager
    async def affiliations(self, info: INFO) -> list[Organization]:
        return [Organization(iri=o) for o in await linked(info, "affiliation", self.iri)]

    @strawberry.field(description="Datasets this person created (public ones, for anonymous readers).")
    @eager
    async def datasets(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "personDatasets", self.iri)]

    @strawberry.field
    @eager
    async def publications(self, info: INFO) -> list[Publication]:
        return [Publication(iri=p) for p in await linked(info, "personPublications", self.iri)]


@strawberry.type(description="A piece of software (schema:SoftwareSourceCode).")
@from_schema(SOFTWARE)
@node_type
class Software(Node):
    @strawberry.field
    @eager
    async def name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, SCHEMA.name))

    @strawberry.field
    @eager
    async def description(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.description))

    @strawberry.field
    @eager
    async def repository(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, SCHEMA.codeRepository))

    @strawberry.field
    @eager
    async def license(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.license))

    @strawberry.field
    @eager
    async def techniques(self, info: INFO) -> list[Technique]:
        return [Technique(iri=t) for t in await linked(info, "technique", self.iri)]

    @strawberry.field
    @eager
    async def versions(self, info: INFO) -> list[SoftwareVersion]:
        return [SoftwareVersion(iri=v) for v in await linked(info, "versions", self.iri)]

    @strawberry.field(description="Works citing the software or any of its versions' DOIs, each once.")
    @eager
    async def cited_by(self, info: INFO) -> list[Publication]:
        return [Publication(iri=p) for p in await linked(info, "softwareCitedBy", self.iri)]

    @strawberry.field
    @eager
    async def citation_count(self, info: INFO) -> int:
        return len(await linked(info, "softwareCitedBy", self.iri))


@strawberry.type(description="One version of a software: the plan of the analysis runs that used it.")
@from_schema(VERSION)
@node_type
class SoftwareVersion(Node):
    @strawberry.field
    @eager
    async def version(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, SCHEMA.softwareVersion))

    @strawberry.field
    @eager
    async def label(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, RDFS.label))

    @strawberry.field
    @eager
    async def software(self, info: INFO) -> Software | None:
        found = await one(info, "versionOf", self.iri)
        return Software(iri=found) if found else None

    @strawberry.field
    @eager
    async def dois(self, info: INFO) -> list[Doi]:
        return [Doi(iri=d) for d in await linked(info, "doi", self.iri)]

    @strawberry.field
    @eager
    async def runs(self, info: INFO) -> list[AnalysisRun]:
        return [AnalysisRun(iri=r) for r in await linked(info, "runs", self.iri)]

    @strawberry.field(description="The datasets generated by runs of this version.")
    @eager
    async def datasets(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "versionDatasets", self.iri)]

    @strawberry.field
    @eager
    async def cited_by(self, info: INFO) -> list[Publication]:
        return [Publication(iri=p) for p in await linked(info, "citedBy", self.iri)]

    @strawberry.field
    @eager
    async def citation_count(self, info: INFO) -> int:
        return len(await linked(info, "citedBy", self.iri))


@strawberry.type(description="A paper, or any work that cites data or software.")
@from_schema(PUBLICATION)
@node_type
class Publication(Node):
    @strawberry.field
    @eager
    async def title(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.title))

    @strawberry.field
    @eager
    async def issued(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.issued))

    @strawberry.field
    @eager
    async def journal(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.bibliographicCitation))

    @strawberry.field
    @eager
    async def authors(self, info: INFO) -> list[Person]:
        return [Person(iri=p) for p in await linked(info, "creator", self.iri)]

    @strawberry.field(description="The DOIs (of data, software or papers) this work cites.")
    @eager
    async def cites(self, info: INFO) -> list[Doi]:
        return [Doi(iri=d) for d in await linked(info, "cites", self.iri)]

    @strawberry.field
    @eager
    async def cited_by(self, info: INFO) -> list[Publication]:
        return [Publication(iri=p) for p in await linked(info, "citedBy", self.iri)]

    @strawberry.field
    @eager
    async def citation_count(self, info: INFO) -> int:
        return len(await linked(info, "citedBy", self.iri))


@strawberry.type(description="A DOI: a DataCite record for data or software, or the DOI a paper cites.")
@from_schema(DOI)
@node_type
class Doi(Node):
    @strawberry.field(description="The DOI name, such as 10.5072/abc.")
    @eager
    async def doi(self, info: INFO) -> str | None:
        found = text(await first(info, self.iri, DCTERMS.identifier))
        return found or (self.iri.split("doi.org/", 1)[1] if "doi.org/" in self.iri else None)

    @strawberry.field
    @eager
    async def title(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.title))

    @strawberry.field
    @eager
    async def resource_type(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.type))

    @strawberry.field
    @eager
    async def publisher(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.publisher))

    @strawberry.field(description="The datasets this DOI covers.")
    @eager
    async def datasets(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "parts", self.iri)]

    @strawberry.field(description="The software versions this DOI names.")
    @eager
    async def software(self, info: INFO) -> list[SoftwareVersion]:
        return [SoftwareVersion(iri=v) for v in await linked(info, "doiSoftware", self.iri)]

    @strawberry.field
    @eager
    async def cited_by(self, info: INFO) -> list[Publication]:
        return [Publication(iri=p) for p in await linked(info, "citedBy", self.iri)]

    @strawberry.field
    @eager
    async def citation_count(self, info: INFO) -> int:
        return len(await linked(info, "citedBy", self.iri))
