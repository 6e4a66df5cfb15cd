"""The parts of software and publication records that the core records of :mod:`graph.model.entities` hold beside
their fields: what CodeMeta, a facility's software catalogue and Crossref say beyond name, title and DOI.

Plain values, free of RDF, like every record of :mod:`graph.model.entities` (which re-exports them); the CodeMeta,
catalogue and Crossref loaders fill them, :mod:`graph.model.software_rdf` and :mod:`graph.model.publication_rdf` write
them. Kept apart so that the entity module stays readable and the core records stay small for the loaders
(SciCat, ICAT, the demo) that know only the core.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Role:
    """Who (a Person's or Organization's PID) did what for a piece of software or a paper.

    ``role`` is the CodeMeta / schema.org property: ``author``, ``contributor``, ``maintainer``,
    ``copyrightHolder``, ``funder``, ``editor``.
    """

    pid: str
    role: str


@dataclass(frozen=True, slots=True)
class Dependency:
    """Another piece of software named by a CodeMeta record: a requirement, a suggestion or its language.

    Dependencies are described inside the record that names them (``jsonlite 1.3 from CRAN``), not merged
    with software of the same name elsewhere: a name is not an identifier.
    """

    name: str
    version: str = ""
    url: str = ""
    identifier: str = ""
    provider: str = ""
    """PID of the Organization that distributes it (CRAN, PyPI...)."""


@dataclass(frozen=True, slots=True)
class SoftwareDetails:
    """What CodeMeta and software catalogues add to :class:`graph.model.entities.Software`."""

    identifiers: tuple[str, ...] = ()
    """Identifiers as written (``codemetar``, a URL), besides the DOI and SWHID."""
    swhid: str = ""
    """Software Heritage id of the code (``swh:1:dir:...``)."""
    url: str = ""
    """The home page."""
    keywords: tuple[str, ...] = ()
    languages: tuple[Dependency, ...] = ()
    requirements: tuple[Dependency, ...] = ()
    suggestions: tuple[Dependency, ...] = ()
    agents: tuple[Role, ...] = ()
    issue_tracker: str = ""
    continuous_integration: str = ""
    development_status: str = ""
    runtime_platforms: tuple[str, ...] = ()
    operating_systems: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    """applicationCategory."""
    readme: str = ""
    download_url: str = ""
    date_created: str = ""
    date_modified: str = ""
    date_published: str = ""
    """ISO 8601 dates as written (a day, or a time)."""
    facilities: tuple[str, ...] = ()
    """PIDs (ROR IRIs) of the facilities that run the software (software catalogue)."""
    references: tuple[str, ...] = ()
    """DOIs of publications to cite for the software (CodeMeta referencePublication)."""


@dataclass(frozen=True, slots=True)
class PublicationDetails:
    """What a Crossref work adds to :class:`graph.model.entities.Publication`."""

    work_type: str = ""
    """Crossref type: ``journal-article``, ``posted-content``, ``book-chapter``..."""
    publisher: str = ""
    containers: tuple[str, ...] = ()
    """container-title values beyond the first (the first is the publication's ``journal``)."""
    issns: tuple[str, ...] = ()
    volume: str = ""
    issue: str = ""
    page: str = ""
    url: str = ""
    abstract: str = ""
    language: str = ""
    keywords: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()
    """Licence IRIs."""
    dates: tuple[tuple[str, str], ...] = ()
    """``(kind, ISO date as precise as the source: 2024, 2024-03, 2024-03-05)``; kinds: ``issued``,
    ``published``, ``published-print``, ``published-online``, ``created``, ``accepted``."""
    contributors: tuple[str, ...] = ()
    """PIDs of editors, translators, chairs: everyone but the authors."""
    reference_texts: tuple[str, ...] = ()
    """References without a DOI, as citation text (the DOI ones are the publication's ``cites``)."""
