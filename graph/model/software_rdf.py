"""How software and software versions become RDF (part of :mod:`graph.model.writer`, which dispatches here).

Software is a ``schema:SoftwareSourceCode``; each version is its own ``schema:SoftwareApplication`` and
``prov:Plan`` linked both ways (``dcterms:isVersionOf`` / ``dcterms:hasVersion``), because an analysis run
used a version, not the software in general. What CodeMeta and a facility's software catalogue add
(:class:`graph.model.entities.SoftwareDetails`) is written with CodeMeta's own terms: schema.org where it has one
(``http://schema.org/``, as CodeMeta's context says) and ``codemeta:`` for the rest. Everything is public.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.model import entities as e
from graph.model.context import MappingContext
from graph.model.nt import iri, literal
from graph.model.nterms import NTerms, dcterms, nterms, pankg, prov, rdf, rdfs, schema
from graph.model.quads import PUBLIC, Quad
from ontology.namespaces import SCHEMA, XSD, Vocabulary

SCHEMA_SOFTWARE = Vocabulary(
    "schema", SCHEMA.iri,
    "author contributor copyrightHolder funder editor keywords ComputerLanguage softwareRequirements version provider "
    "runtimePlatform operatingSystem applicationCategory downloadUrl dateCreated dateModified datePublished archivedAt "
    "issn volumeNumber issueNumber pagination",
)
CODEMETA = Vocabulary(
    "codemeta", "https://w3id.org/codemeta/terms/",
    "softwareSuggestions continuousIntegration developmentStatus readme issueTracker referencePublication maintainer",
)
schema3: NTerms = nterms(SCHEMA_SOFTWARE)
codemeta: NTerms = nterms(CODEMETA)
SWH = "https://archive.softwareheritage.org/"
_ROLES = {"author": (schema3.author, dcterms.creator), "contributor": (schema3.contributor, dcterms.contributor),
          "maintainer": (codemeta.maintainer,), "copyrightHolder": (schema3.copyrightHolder,),
          "funder": (schema3.funder,), "editor": (schema3.editor, dcterms.contributor)}
ROLES = frozenset(_ROLES)
_DATES = ((re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date), (re.compile(r"\d{4}-\d{2}"), XSD.iri + "gYearMonth"),
          (re.compile(r"\d{4}"), XSD.gYear),
          (re.compile(r"\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?"), XSD.dateTime))


def date_literal(value: str) -> str:
    """A date as precise as its source wrote it: ``xsd:gYear``, ``gYearMonth``, ``date`` or ``dateTime``;
    anything else stays text rather than being rounded into a wrong day.

    >>> date_literal("2024-03")
    '"2024-03"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
    """
    for pattern, datatype in _DATES:
        if pattern.fullmatch(value):
            return literal(value, datatype)
    return literal(value)


def software_quads(m: MappingContext, sw: e.Software) -> Iterator[Quad]:
    s = m.node("software", sw.pid)
    yield s, rdf.type, pankg.Software, PUBLIC
    yield s, rdf.type, schema.SoftwareSourceCode, PUBLIC
    yield s, rdf.type, prov.Entity, PUBLIC
    yield s, schema.name, literal(sw.name), PUBLIC
    yield s, rdfs.label, literal(sw.name), PUBLIC
    if sw.description:
        yield s, dcterms.description, literal(sw.description), PUBLIC
    if sw.repository:
        yield s, schema.codeRepository, iri(sw.repository, "repository"), PUBLIC
    if sw.license:
        yield s, dcterms.license, m.resource(sw.license), PUBLIC
    if sw.doi:
        yield s, pankg.doi, m.node("doi", sw.doi), PUBLIC
    yield from m.technique_links(s, sw.techniques)
    if sw.details:
        yield from _details(m, sw.pid, s, sw.details)


def software_version_quads(m: MappingContext, v: e.SoftwareVersion) -> Iterator[Quad]:
    s = f"<{m.minter.minted('software-version', v.pid)}>"
    software = m.node("software", v.software)
    yield s, rdf.type, pankg.SoftwareVersion, PUBLIC
    yield s, rdf.type, schema.SoftwareApplication, PUBLIC
    yield s, rdf.type, prov.Plan, PUBLIC
    yield s, schema.softwareVersion, literal(v.version), PUBLIC
    yield s, rdfs.label, literal(f"{v.software} {v.version}"), PUBLIC
    yield s, dcterms.isVersionOf, software, PUBLIC
    yield software, dcterms.hasVersion, s, PUBLIC
    if v.doi:
        yield s, pankg.doi, m.node("doi", v.doi), PUBLIC
    yield from _swhid(s, v.swhid)
    if v.released:
        yield s, schema3.datePublished, date_literal(v.released), PUBLIC


def _swhid(s: str, swhid: str) -> Iterator[Quad]:
    """A SWHID is kept as written and as the Software Heritage page that resolves it."""
    if swhid:
        yield s, schema.identifier, literal(swhid), PUBLIC
        yield s, schema3.archivedAt, iri(SWH + swhid, "swhid"), PUBLIC


def _details(m: MappingContext, pid: str, s: str, d: e.SoftwareDetails) -> Iterator[Quad]:
    for identifier in d.identifiers:
        yield s, schema.identifier, literal(identifier), PUBLIC
    yield from _swhid(s, d.swhid)
    for prop, value, field in ((schema.url, d.url, "url"), (codemeta.issueTracker, d.issue_tracker, "issue_tracker"),
                               (codemeta.readme, d.readme, "readme"),
                               (codemeta.continuousIntegration, d.continuous_integration, "continuous_integration"),
                               (schema3.downloadUrl, d.download_url, "download_url")):
        if value:
            yield s, prop, iri(value, field), PUBLIC
    if d.development_status:
        status = d.development_status
        is_iri = status.startswith(("http://", "https://"))
        yield s, codemeta.developmentStatus, iri(status, "development_status") if is_iri else literal(status), PUBLIC
    for prop, values in ((schema3.keywords, d.keywords), (schema3.runtimePlatform, d.runtime_platforms),
                         (schema3.operatingSystem, d.operating_systems), (schema3.applicationCategory, d.categories)):
        for value in values:
            yield s, prop, literal(value), PUBLIC
    for prop, value in ((schema3.dateCreated, d.date_created), (schema3.dateModified, d.date_modified),
                        (schema3.datePublished, d.date_published)):
        if value:
            yield s, prop, date_literal(value), PUBLIC
    for role in d.agents:
        kind = "organization" if role.role == "funder" else "person"
        for prop in _ROLES[role.role]:
            yield s, prop, m.node(kind, role.pid), PUBLIC
    for facility in d.facilities:
        yield s, pankg.facility, m.node("facility", facility), PUBLIC
    for doi in d.references:
        yield s, codemeta.referencePublication, m.node("doi", doi), PUBLIC
    for prop, name, deps in ((schema.programmingLanguage, "language", d.languages),
                             (schema3.softwareRequirements, "requirement", d.requirements),
                             (codemeta.softwareSuggestions, "suggestion", d.suggestions)):
        for n, dep in enumerate(deps, 1):
            node = f"<{m.minter.owned('software', pid, f'{name}-{n}')}>"
            yield s, prop, node, PUBLIC
            dep_class = schema3.ComputerLanguage if name == "language" else schema.SoftwareApplication
            yield from _dependency(m, node, dep, dep_class)


def _dependency(m: MappingContext, node: str, dep: e.Dependency, cls: str) -> Iterator[Quad]:
    """A dependency is described where it is named: its own node inside the record (never merged by name)."""
    yield node, rdf.type, cls, PUBLIC
    yield node, schema.name, literal(dep.name), PUBLIC
    yield node, rdfs.label, literal(f"{dep.name} {dep.version}".strip()), PUBLIC
    if dep.version:
        yield node, schema3.version, literal(dep.version), PUBLIC
    if dep.url:
        yield node, schema.url, iri(dep.url, "url"), PUBLIC
    if dep.identifier:
        yield node, schema.identifier, literal(dep.identifier), PUBLIC
    if dep.provider:
        yield node, schema3.provider, m.node("organization", dep.provider), PUBLIC
