"""Datasets and what hangs off them: files, parameters, samples, proposals, analysis runs.

Fields of an embargoed dataset that live in the restricted graph (title, description, files, parameters,
provenance) resolve to null or empty for anonymous readers: the public stub is what they may see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.model.schema import DATASET, FILE, PARAMETER, PROPOSAL, RUN, SAMPLE
from ontology.namespaces import DCAT, DCTERMS, PROV, RDFS
from ontology.terms import PANKG
from resolvers.graphql.eager import eager
from resolvers.graphql.fields import from_schema
from resolvers.graphql.nodes import INFO, Node, first, linked, make, one, text, types

if TYPE_CHECKING:
    from resolvers.graphql.types_things import (
        Doi,
        Facility,
        Instrument,
        Person,
        Publication,
        SoftwareVersion,
        Technique,
    )

_THINGS = "resolvers.graphql.types_things"
TechniqueT = Annotated["Technique", strawberry.lazy(_THINGS)]
InstrumentT = Annotated["Instrument", strawberry.lazy(_THINGS)]
FacilityT = Annotated["Facility", strawberry.lazy(_THINGS)]
PersonT = Annotated["Person", strawberry.lazy(_THINGS)]
DoiT = Annotated["Doi", strawberry.lazy(_THINGS)]
PublicationT = Annotated["Publication", strawberry.lazy(_THINGS)]
SoftwareVersionT = Annotated["SoftwareVersion", strawberry.lazy(_THINGS)]


@strawberry.type(description="A raw or derived dataset (dcat:Dataset).")
@from_schema(DATASET)
class Dataset(Node):
    """Its scalar fields (pid, title, sizes, dates, ...) come from :data:`graph.model.schema.DATASET`."""

    @strawberry.field(description="RAW or DERIVED.")
    @eager
    async def kind(self, info: INFO) -> str | None:
        found = await types(info, self.iri)
        return "RAW" if PANKG.RawDataset in found else "DERIVED" if PANKG.DerivedDataset in found else None

    @strawberry.field(description="True while under embargo: then only the public stub is shown to anonymous readers.")
    @eager
    async def embargoed(self, info: INFO) -> bool:
        return await first(info, self.iri, PANKG.accessLevel) == PANKG.Restricted

    @strawberry.field
    @eager
    async def techniques(self, info: INFO) -> list[TechniqueT]:
        return [make("Technique", t) for t in await linked(info, "technique", self.iri)]

    @strawberry.field
    @eager
    async def instrument(self, info: INFO) -> InstrumentT | None:
        found = await one(info, "instrument", self.iri)
        return make("Instrument", found) if found else None

    @strawberry.field
    @eager
    async def facility(self, info: INFO) -> FacilityT | None:
        found = await one(info, "facility", self.iri)
        return make("Facility", found) if found else None

    @strawberry.field
    @eager
    async def proposal(self, info: INFO) -> Proposal | None:
        found = await one(info, "proposal", self.iri)
        return Proposal(iri=found) if found else None

    @strawberry.field
    @eager
    async def samples(self, info: INFO) -> list[Sample]:
        return [Sample(iri=s) for s in await linked(info, "sample", self.iri)]

    @strawberry.field
    @eager
    async def parameters(self, info: INFO) -> list[Parameter]:
        return [Parameter(iri=p) for p in await linked(info, "parameter", self.iri)]

    @strawberry.field
    @eager
    async def files(self, info: INFO) -> list[File]:
        return [File(iri=f) for f in await linked(info, "file", self.iri)]

    @strawberry.field(description="The DOI records that cover this dataset.")
    @eager
    async def dois(self, info: INFO) -> list[DoiT]:
        return [make("Doi", d) for d in await linked(info, "doi", self.iri)]

    @strawberry.field
    @eager
    async def creators(self, info: INFO) -> list[PersonT]:
        return [make("Person", p) for p in await linked(info, "creator", self.iri)]

    @strawberry.field(description="The software versions of the run that generated this dataset.")
    @eager
    async def software(self, info: INFO) -> list[SoftwareVersionT]:
        return [make("SoftwareVersion", v) for v in await linked(info, "datasetSoftware", self.iri)]

    @strawberry.field(description="The analysis run that generated this dataset (derived data).")
    @eager
    async def generated_by(self, info: INFO) -> AnalysisRun | None:
        found = await one(info, "generatedBy", self.iri)
        return AnalysisRun(iri=found) if found else None

    @strawberry.field(description="The datasets this one was derived from.")
    @eager
    async def derived_from(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "derivedFrom", self.iri)]

    @strawberry.field(description="The datasets derived from this one.")
    @eager
    async def derivatives(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "derivatives", self.iri)]

    @strawberry.field(description="The analysis runs that used this dataset as input.")
    @eager
    async def used_by(self, info: INFO) -> list[AnalysisRun]:
        return [AnalysisRun(iri=r) for r in await linked(info, "usedBy", self.iri)]

    @strawberry.field(description="Works citing this dataset or one of its DOIs, each once.")
    @eager
    async def cited_by(self, info: INFO) -> list[PublicationT]:
        return [make("Publication", p) for p in await linked(info, "citedBy", self.iri)]

    @strawberry.field(description="How many distinct works cite this dataset or its DOIs.")
    @eager
    async def citation_count(self, info: INFO) -> int:
        return len(await linked(info, "citedBy", self.iri))

    @strawberry.field(description="What this dataset (or its DOI record) cites.")
    @eager
    async def cites(self, info: INFO) -> list[DoiT]:
        return [make("Doi", d) for d in await linked(info, "cites", self.iri)]


@strawberry.type(description="A file of a dataset (metadata only).")
@from_schema(FILE)
class File(Node):
    @strawberry.field
    @eager
    async def path(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.filePath))

    @strawberry.field
    @eager
    async def size(self, info: INFO) -> float | None:
        return await first(info, self.iri, DCAT.byteSize)

    @strawberry.field
    @eager
    async def checksum(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.checksum))


@strawberry.type(description="A named value with its unit as recorded, and the same in SI base units.")
@from_schema(PARAMETER)
class Parameter(Node):
    @strawberry.field
    @eager
    async def name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.parameterName))

    @strawberry.field(description="The value as recorded, as text (numbers, booleans and words alike).")
    @eager
    async def value(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.value))

    @strawberry.field
    @eager
    async def unit(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.unit))

    @strawberry.field(description="The value in SI base units (pint), when numeric with a known unit.")
    @eager
    async def si_value(self, info: INFO) -> float | None:
        return await first(info, self.iri, PANKG.siValue)

    @strawberry.field
    @eager
    async def si_unit(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.siUnit))


@strawberry.type
@from_schema(SAMPLE)
class Sample(Node):
    @strawberry.field
    @eager
    async def name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, RDFS.label))

    @strawberry.field
    @eager
    async def chemical_formula(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.chemicalFormula))

    @strawberry.field
    @eager
    async def description(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.description))

    @strawberry.field
    @eager
    async def parameters(self, info: INFO) -> list[Parameter]:
        return [Parameter(iri=p) for p in await linked(info, "parameter", self.iri)]


@strawberry.type(description="A proposal (SciCat) or investigation (ICAT).")
@from_schema(PROPOSAL)
class Proposal(Node):
    @strawberry.field
    @eager
    async def proposal_id(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.proposalId))

    @strawberry.field
    @eager
    async def title(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.title))

    @strawberry.field
    @eager
    async def facility(self, info: INFO) -> FacilityT | None:
        found = await one(info, "facility", self.iri)
        return make("Facility", found) if found else None

    @strawberry.field
    @eager
    async def principal_investigator(self, info: INFO) -> PersonT | None:
        found = await one(info, "principalInvestigator", self.iri)
        return make("Person", found) if found else None


@strawberry.type(description="An analysis run (prov:Activity): inputs, software versions (its plans), outputs.")
@from_schema(RUN)
class AnalysisRun(Node):
    @strawberry.field
    @eager
    async def started(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PROV.startedAtTime))

    @strawberry.field
    @eager
    async def ended(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PROV.endedAtTime))

    @strawberry.field
    @eager
    async def status(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.status))

    @strawberry.field(description="The datasets the run used.")
    @eager
    async def inputs(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "used", self.iri)]

    @strawberry.field(description="The datasets the run generated.")
    @eager
    async def outputs(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "generated", self.iri)]

    @strawberry.field
    @eager
    async def software(self, info: INFO) -> list[SoftwareVersionT]:
        return [make("SoftwareVersion", v) for v in await linked(info, "runSoftware", self.iri)]

    @strawberry.field
    @eager
    async def agent(self, info: INFO) -> PersonT | None:
        found = await one(info, "agent", self.iri)
        return make("Person", found) if found else None

    @strawberry.field
    @eager
    async def parameters(self, info: INFO) -> list[Parameter]:
        return [Parameter(iri=p) for p in await linked(info, "parameter", self.iri)]
