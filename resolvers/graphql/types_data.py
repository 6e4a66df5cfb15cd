"""Datasets and what hangs off them: files, parameters, samples, proposals, analysis runs.

Fields of an embargoed dataset that live in the restricted graph (title, description, files, parameters,
provenance) resolve to null or empty for anonymous readers: the public stub is what they may see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from ontology.namespaces import DCAT, DCTERMS, PROV, RDFS
from ontology.terms import PANKG
from resolvers.graphql.nodes import INFO, Node, every, first, linked, one, text, types

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


def _things() -> object:
    from resolvers.graphql import types_things
    return types_things


@strawberry.type(description="A raw or derived dataset (dcat:Dataset).")
class Dataset(Node):
    @strawberry.field(description="The dataset's PID in its catalogue.")
    async def pid(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.identifier))

    @strawberry.field(description="RAW or DERIVED.")
    async def kind(self, info: INFO) -> str | None:
        found = await types(info, self.iri)
        return "RAW" if PANKG.RawDataset in found else "DERIVED" if PANKG.DerivedDataset in found else None

    @strawberry.field
    async def title(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.title))

    @strawberry.field
    async def description(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.description))

    @strawberry.field(description="When it was created (ISO 8601).")
    async def created(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.created))

    @strawberry.field
    async def license(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.license))

    @strawberry.field(description="True while under embargo: then only the public stub is shown to anonymous readers.")
    async def embargoed(self, info: INFO) -> bool:
        return await first(info, self.iri, PANKG.accessLevel) == PANKG.Restricted

    @strawberry.field
    async def embargo_end(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.embargoEndDate))

    @strawberry.field
    async def size(self, info: INFO) -> float | None:
        return await first(info, self.iri, DCAT.byteSize)

    @strawberry.field
    async def keywords(self, info: INFO) -> list[str]:
        return [str(v) for v in await every(info, self.iri, DCAT.keyword)]

    @strawberry.field
    async def techniques(self, info: INFO) -> list[TechniqueT]:
        return [_things().Technique(iri=t) for t in await linked(info, "technique", self.iri)]

    @strawberry.field
    async def instrument(self, info: INFO) -> InstrumentT | None:
        found = await one(info, "instrument", self.iri)
        return _things().Instrument(iri=found) if found else None

    @strawberry.field
    async def facility(self, info: INFO) -> FacilityT | None:
        found = await one(info, "facility", self.iri)
        return _things().Facility(iri=found) if found else None

    @strawberry.field
    async def proposal(self, info: INFO) -> Proposal | None:
        found = await one(info, "proposal", self.iri)
        return Proposal(iri=found) if found else None

    @strawberry.field
    async def samples(self, info: INFO) -> list[Sample]:
        return [Sample(iri=s) for s in await linked(info, "sample", self.iri)]

    @strawberry.field
    async def parameters(self, info: INFO) -> list[Parameter]:
        return [Parameter(iri=p) for p in await linked(info, "parameter", self.iri)]

    @strawberry.field
    async def files(self, info: INFO) -> list[File]:
        return [File(iri=f) for f in await linked(info, "file", self.iri)]

    @strawberry.field(description="The DOI records that cover this dataset.")
    async def dois(self, info: INFO) -> list[DoiT]:
        return [_things().Doi(iri=d) for d in await linked(info, "doi", self.iri)]

    @strawberry.field
    async def creators(self, info: INFO) -> list[PersonT]:
        return [_things().Person(iri=p) for p in await linked(info, "creator", self.iri)]

    @strawberry.field(description="The software versions of the run that generated this dataset.")
    async def software(self, info: INFO) -> list[SoftwareVersionT]:
        return [_things().SoftwareVersion(iri=v) for v in await linked(info, "datasetSoftware", self.iri)]

    @strawberry.field(description="The analysis run that generated this dataset (derived data).")
    async def generated_by(self, info: INFO) -> AnalysisRun | None:
        found = await one(info, "generatedBy", self.iri)
        return AnalysisRun(iri=found) if found else None

    @strawberry.field(description="The datasets this one was derived from.")
    async def derived_from(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "derivedFrom", self.iri)]

    @strawberry.field(description="The datasets derived from this one.")
    async def derivatives(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "derivatives", self.iri)]

    @strawberry.field(description="The analysis runs that used this dataset as input.")
    async def used_by(self, info: INFO) -> list[AnalysisRun]:
        return [AnalysisRun(iri=r) for r in await linked(info, "usedBy", self.iri)]

    @strawberry.field(description="Works citing this dataset or one of its DOIs, each once.")
    async def cited_by(self, info: INFO) -> list[PublicationT]:
        return [_things().Publication(iri=p) for p in await linked(info, "citedBy", self.iri)]

    @strawberry.field(description="How many distinct works cite this dataset or its DOIs.")
    async def citation_count(self, info: INFO) -> int:
        return len(await linked(info, "citedBy", self.iri))

    @strawberry.field(description="What this dataset (or its DOI record) cites.")
    async def cites(self, info: INFO) -> list[DoiT]:
        return [_things().Doi(iri=d) for d in await linked(info, "cites", self.iri)]


@strawberry.type(description="A file of a dataset (metadata only).")
class File(Node):
    @strawberry.field
    async def path(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.filePath))

    @strawberry.field
    async def size(self, info: INFO) -> float | None:
        return await first(info, self.iri, DCAT.byteSize)

    @strawberry.field
    async def checksum(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.checksum))


@strawberry.type(description="A named value with its unit as recorded, and the same in SI base units.")
class Parameter(Node):
    @strawberry.field
    async def name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.parameterName))

    @strawberry.field(description="The value as recorded, as text (numbers, booleans and words alike).")
    async def value(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.value))

    @strawberry.field
    async def unit(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.unit))

    @strawberry.field(description="The value in SI base units (pint), when numeric with a known unit.")
    async def si_value(self, info: INFO) -> float | None:
        return await first(info, self.iri, PANKG.siValue)

    @strawberry.field
    async def si_unit(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.siUnit))


@strawberry.type
class Sample(Node):
    @strawberry.field
    async def name(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, RDFS.label))

    @strawberry.field
    async def chemical_formula(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.chemicalFormula))

    @strawberry.field
    async def description(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.description))

    @strawberry.field
    async def parameters(self, info: INFO) -> list[Parameter]:
        return [Parameter(iri=p) for p in await linked(info, "parameter", self.iri)]


@strawberry.type(description="A proposal (SciCat) or investigation (ICAT).")
class Proposal(Node):
    @strawberry.field
    async def proposal_id(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.proposalId))

    @strawberry.field
    async def title(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, DCTERMS.title))

    @strawberry.field
    async def facility(self, info: INFO) -> FacilityT | None:
        found = await one(info, "facility", self.iri)
        return _things().Facility(iri=found) if found else None

    @strawberry.field
    async def principal_investigator(self, info: INFO) -> PersonT | None:
        found = await one(info, "principalInvestigator", self.iri)
        return _things().Person(iri=found) if found else None


@strawberry.type(description="An analysis run (prov:Activity): inputs, software versions (its plans), outputs.")
class AnalysisRun(Node):
    @strawberry.field
    async def started(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PROV.startedAtTime))

    @strawberry.field
    async def ended(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PROV.endedAtTime))

    @strawberry.field
    async def status(self, info: INFO) -> str | None:
        return text(await first(info, self.iri, PANKG.status))

    @strawberry.field(description="The datasets the run used.")
    async def inputs(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "used", self.iri)]

    @strawberry.field(description="The datasets the run generated.")
    async def outputs(self, info: INFO) -> list[Dataset]:
        return [Dataset(iri=d) for d in await linked(info, "generated", self.iri)]

    @strawberry.field
    async def software(self, info: INFO) -> list[SoftwareVersionT]:
        return [_things().SoftwareVersion(iri=v) for v in await linked(info, "runSoftware", self.iri)]

    @strawberry.field
    async def agent(self, info: INFO) -> PersonT | None:
        found = await one(info, "agent", self.iri)
        return _things().Person(iri=found) if found else None

    @strawberry.field
    async def parameters(self, info: INFO) -> list[Parameter]:
        return [Parameter(iri=p) for p in await linked(info, "parameter", self.iri)]
