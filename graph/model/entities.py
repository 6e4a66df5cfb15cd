"""The entity kinds of pankg as plain records, free of RDF.

Loaders build these from their sources; :mod:`graph.model.writer` is the one place that turns them into
triples. References between entities are source PIDs (strings); the model mints the IRIs, so two
loaders that name the same PID reach the same node.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from graph.model.datacite_entities import (  # noqa: F401 (re-exported: every record type is found here)
    Agent,
    AlternateIdentifier,
    Funding,
    GeoLocation,
    GeoPoint,
    RecordDate,
    RelatedIdentifier,
    RelatedItem,
    Rights,
    Subject,
    Text,
)
from graph.model.software_entities import Dependency, PublicationDetails, Role, SoftwareDetails  # noqa: F401 (re-exported)

DatasetKind = Literal["raw", "derived"]
CitationKind = Literal["cites", "citesAsDataSource", "usesMethodIn"]


@dataclass(frozen=True, slots=True)
class Facility:
    pid: str
    """ROR IRI where known, else a short name such as ``ESRF``."""
    name: str
    short_name: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class RecordAccess:
    """The access of a record under a data policy (a dataset, an investigation), judged as a Dataset's is.

    People and organizations that the graph knows from such a record only are restricted with it
    (docs/access.md §1): an owner minted from a dataset's PID would otherwise tell, by its IRI and name, the
    link the embargo hides. The fields mean what they mean on :class:`Dataset`, so the nodes get the key of
    the record's details (and leave with them when ``pankg release`` publishes that date).
    """

    public: bool | None = None
    """The source's explicit flag (SciCat ``isPublished``); None: decided by ``embargo_end``."""
    embargo_end: dt.date | None = None
    owner_group: str = ""
    access_groups: tuple[str, ...] = ()
    proposal: str = ""
    """Whose team reads it when no group is known."""

    @classmethod
    def of(cls, dataset: Dataset) -> RecordAccess:
        """The access of a dataset's details."""
        return cls(dataset.public, dataset.embargo_end, dataset.owner_group, dataset.access_groups, dataset.proposal)


@dataclass(frozen=True, slots=True)
class Organization:
    pid: str
    name: str
    known_from: RecordAccess | None = None
    """The access of the one record it comes from, when that record is under a data policy (see Person)."""


@dataclass(frozen=True, slots=True)
class Person:
    pid: str
    """ORCID where known; else a source-scoped id (never a bare name: people are not merged by name)."""
    name: str
    given_name: str = ""
    family_name: str = ""
    affiliations: tuple[str, ...] = ()
    """PIDs of organizations or facilities."""
    email: str = ""
    """Personal data: always written to the restricted graph, whatever the access of the records naming the person."""
    known_from: RecordAccess | None = None
    """The access of the record this entity comes from, when that record is under a data policy (a dataset's
    owner, an investigation's team): while the record is restricted every triple of the person goes to the
    record's graph, so an anonymous reader cannot find the person at all. None: a public record (a proposal,
    a DOI record, a directory of people). A loader gives one entity per naming record: a person whom a public
    record names too is then public with what that record says, and the restricted records add theirs
    where their readers see it."""


@dataclass(frozen=True, slots=True)
class Instrument:
    pid: str
    name: str
    facility: str = ""
    techniques: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Proposal:
    pid: str
    title: str
    facility: str = ""
    principal_investigator: str = ""
    abstract: str = ""
    proposer: str = ""
    """PID of the person who submitted the proposal (its dcterms:creator), when the source tells it apart from
    the PI."""
    owner_group: str = ""
    access_groups: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    """PIDs of the other people on the proposal (ICAT investigation users): its dcterms:contributor."""
    team_access: RecordAccess | None = None
    """The access of the proposal's team when its source embargoes it (an ICAT investigation before its release
    date): the links to the PI, proposer and members go where that access says, with the people known only
    from it; the rest of the proposal stays public (model.md §5)."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """A value as the source gives it plus, where the unit is known, its value in SI base units."""

    name: str
    value: float | int | str | bool
    unit: str = ""
    si_value: float | None = None
    si_unit: str = ""


@dataclass(frozen=True, slots=True)
class Sample:
    pid: str
    name: str
    chemical_formula: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    """Sample characteristics (SciCat sampleCharacteristics), with units like any parameter."""
    public: bool = True
    """False: the whole sample goes to the restricted graph (SciCat isPublished false)."""
    owner_group: str = ""
    access_groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class File:
    path: str
    size: int | None = None
    checksum: str = ""
    modified: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Technique:
    iri: str
    """A PaNET PURL (or another ontology's IRI)."""
    label: str = ""


@dataclass(frozen=True, slots=True)
class Dataset:
    pid: str
    title: str
    kind: DatasetKind = "raw"
    description: str = ""
    created: dt.datetime | None = None
    facility: str = ""
    instrument: str = ""
    proposal: str = ""
    techniques: tuple[str, ...] = ()
    samples: tuple[str, ...] = ()
    creators: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    files: tuple[File, ...] = ()
    doi: str = ""
    license: str = ""
    embargo_end: dt.date | None = None
    public: bool | None = None
    """Explicit flag from the source (SciCat ``isPublished``); None: decide by ``embargo_end``."""
    generated_by: str = ""
    """PID of the analysis run that produced a derived dataset."""
    derived_from: tuple[str, ...] = ()
    principal_investigator: str = ""
    """PID of the person leading the experiment, where the catalogue records it per dataset (SciCat)."""
    size: int | None = None
    """Total size in bytes, as the catalogue gives it (the files may not be listed)."""
    packed_size: int | None = None
    """Bytes once packed for the archive, as the catalogue gives it (SciCat packedSize)."""
    number_of_files: int | None = None
    source_folder: str = ""
    source_folder_host: str = ""
    contact_email: str = ""
    keywords: tuple[str, ...] = ()
    submitted: dt.datetime | None = None
    """When the dataset was entered into its catalogue (SciCat createdAt)."""
    modified: dt.datetime | None = None
    """When its catalogue record last changed (SciCat updatedAt)."""
    retention_end: dt.date | None = None
    """Until when the archived data is kept (SciCat archiveRetentionTime)."""
    owner_group: str = ""
    access_groups: tuple[str, ...] = ()
    """Groups that may read the details besides the owner group: under embargo, members of either do."""


@dataclass(frozen=True, slots=True)
class DatasetFiles:
    """Files of a dataset that its source lists apart from the dataset record (SciCat OrigDatablock).

    They belong with the dataset's details, so they need the dataset's access: the loader passes it
    (``public``, ``embargo_end``, the groups and ``proposal`` as on :class:`Dataset`, so that a source
    without the dataset keys the files as the dataset's own source keys its details), and passes
    ``public=False`` and no group (staff only) when it cannot know.
    """

    dataset: str
    files: tuple[File, ...]
    public: bool | None = None
    embargo_end: dt.date | None = None
    owner_group: str = ""
    access_groups: tuple[str, ...] = ()
    proposal: str = ""


@dataclass(frozen=True, slots=True)
class Software:
    pid: str
    name: str
    description: str = ""
    repository: str = ""
    license: str = ""
    doi: str = ""
    techniques: tuple[str, ...] = ()
    details: SoftwareDetails | None = None
    """What CodeMeta and software catalogues say besides (graph.model.software_rdf)."""


@dataclass(frozen=True, slots=True)
class SoftwareVersion:
    software: str
    """PID of the software this is a version of."""
    version: str
    doi: str = ""
    swhid: str = ""
    """Software Heritage id of this version's code (``swh:1:rel:...``, ``swh:1:dir:...``)."""
    released: str = ""
    """Release date, ISO 8601 as written."""

    @property
    def pid(self) -> str:
        return f"{self.software}@{self.version}"


@dataclass(frozen=True, slots=True)
class AnalysisRun:
    pid: str
    software_version: str = ""
    """PID of the software version (``software@version``) that was the plan of the run."""
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    agent: str = ""
    started: dt.datetime | None = None
    ended: dt.datetime | None = None
    parameters: tuple[Parameter, ...] = ()
    public: bool = True
    """False while any output is under embargo: the run's triples (its outputs' derivation links
    included) then go to the restricted graph."""
    more_software: tuple[str, ...] = ()
    """PIDs of further software versions the run used, each the plan of its own qualified association."""
    activity_type: str = ""
    """What kind of run this is, as its source names it (a SciCat job type such as ``archive``)."""
    status: str = ""
    """The state the run ended in, as its source writes it (``finishedSuccessful``)."""


@dataclass(frozen=True, slots=True)
class Citation:
    target: str
    """PID (often a DOI) of the cited dataset, software or paper."""
    kind: CitationKind = "cites"


@dataclass(frozen=True, slots=True)
class Publication:
    pid: str
    """The DOI where there is one."""
    title: str
    authors: tuple[str, ...] = ()
    issued: dt.date | None = None
    journal: str = ""
    cites: tuple[Citation, ...] = ()
    details: PublicationDetails | None = None
    """What a Crossref work says besides (graph.model.publication_rdf)."""


@dataclass(frozen=True, slots=True)
class DoiRecord:
    doi: str
    title: str
    publisher: str = ""
    year: int | None = None
    resource_type: str = "Dataset"
    creators: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    """PIDs of the datasets the DOI covers."""
    related: tuple[RelatedIdentifier, ...] = field(default=())
    abstract: str = ""
    description: str = ""
    url: str = ""
    """The landing page the DOI resolves to."""
    download_url: str = ""
    registered: dt.datetime | None = None
    """When the DOI was registered."""
    references: tuple[str, ...] = ()
    """Publications that refer to the data, as free-text citations (SciCat relatedPublications)."""
    # The rest of the DataCite kernel (loaders.datacite; mapped by graph.model.datacite_rdf).
    title_lang: str = ""
    titles: tuple[Text, ...] = ()
    """Titles besides ``title``: translated, alternative, subtitles."""
    resource_type_text: str = ""
    """DataCite resourceType, the free text beside resourceTypeGeneral (``resource_type``)."""
    agents: tuple[Agent, ...] = ()
    """Creators and contributors with their roles, people and organizations alike."""
    publisher_id: str = ""
    """PID of the publisher as an Organization (publisherIdentifier, 4.5)."""
    dates: tuple[RecordDate, ...] = ()
    subjects: tuple[Subject, ...] = ()
    rights: tuple[Rights, ...] = ()
    descriptions: tuple[Text, ...] = ()
    geo_locations: tuple[GeoLocation, ...] = ()
    funding: tuple[Funding, ...] = ()
    alternate_identifiers: tuple[AlternateIdentifier, ...] = ()
    related_items: tuple[RelatedItem, ...] = ()
    sizes: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    version: str = ""
    language: str = ""


Entity = (
    Facility
    | Organization
    | Person
    | Instrument
    | Proposal
    | Sample
    | Technique
    | Dataset
    | DatasetFiles
    | Software
    | SoftwareVersion
    | AnalysisRun
    | Publication
    | DoiRecord
)
