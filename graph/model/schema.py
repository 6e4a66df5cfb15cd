"""The one description of the model: every entity kind, its fields, its links and its embargoed stub.

Each :class:`Kind` names the classes the writer gives its nodes, its :class:`Field` s (predicate, datatype,
cardinality, the record attribute it comes from) and its :class:`Link` s (predicate, target kind,
direction). What the other parts of pankg do with it:

- the writer (:mod:`graph.model.writer`) writes a dataset's scalar fields from :data:`DATASET` here, the
  public stub or the restricted details as each field's ``embargo`` says; the other kinds' writers are
  checked against their entries by ``tests/graph/test_schema.py`` (every predicate written is described,
  every field described is written);
- the GraphQL batch loader fetches :func:`scalar_predicates` in one branch, and the ``Dataset`` type's
  scalar fields are made from :data:`DATASET` (``resolvers/graphql/fields.py``); the other types are
  checked against their entries by a test;
- the SHACL shapes of fields marked ``shape`` and the model table of ``docs/model.md`` are generated from
  here by ``python -m graph.model.generate``, and a test fails when the committed files are stale.

So adding a field to a dataset is one :class:`Field` here (plus the record attribute a loader fills, and a
test). Why a Python table rather than LinkML: the writer runs it on every record of a load, so it must be
plain tuples read at import, and LinkML's runtime and generators would add some forty packages for a model
of fifteen kinds whose RDF is already hand-chosen standard terms (``docs/model.md`` §8).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ontology.namespaces import CITO, DCAT, DCTERMS, FOAF, PROV, RDFS, SCHEMA, SKOS, XSD
from ontology.terms import PANKG

Datatype = Literal["string", "integer", "decimal", "dateTime", "date", "gYear", "iri", "boolean", "value"]
"""``iri``: an IRI object (a licence, a URL); ``value``: a literal whose type the source decides."""
Embargo = Literal["stub", "hidden"]
"""Of a dataset's facts: ``stub`` stays public under embargo, ``hidden`` goes to the restricted graph."""

XSD_OF: dict[str, str] = {"integer": XSD.integer, "decimal": XSD.decimal, "dateTime": XSD.dateTime,
                          "date": XSD.date, "gYear": XSD.gYear, "boolean": XSD.boolean, "string": XSD.string}


@dataclass(frozen=True)
class Field:
    """A literal (or IRI-valued) property of a node."""

    name: str
    """The GraphQL field (in snake case) and, unless ``attr`` says otherwise, the record attribute."""
    predicate: str
    datatype: Datatype = "string"
    many: bool = False
    embargo: Embargo = "hidden"
    doc: str = ""
    attr: str | None = None
    """The record attribute, when it is not ``name``; "" for a field no record attribute fills directly."""
    label: bool = False
    """Also written as ``rdfs:label`` (a title or a name)."""
    required: bool = False
    """Always written, even empty (the record cannot lack it)."""
    graphql: bool = True
    """Shown by the kind's GraphQL type (internal bookkeeping such as access groups is not)."""
    shape: bool = False
    """Generate the SHACL shape of its datatype and cardinality (a Violation when broken)."""

    @property
    def source(self) -> str:
        return self.name if self.attr is None else self.attr


@dataclass(frozen=True)
class Link:
    """An edge to another node: ``?s predicate ?o`` (or ``?o predicate ?s`` when ``inverse``)."""

    name: str
    predicate: str
    target: str
    many: bool = True
    inverse: bool = False
    embargo: Embargo = "hidden"
    doc: str = ""


@dataclass(frozen=True)
class Kind:
    """One entity kind: the record it is written from, the classes of its nodes, its fields and links."""

    name: str
    record: str
    classes: tuple[str, ...]
    fields: tuple[Field, ...] = ()
    links: tuple[Link, ...] = ()
    doc: str = ""
    graphql: str = ""
    """The GraphQL type that shows it ("" if none shows it alone)."""

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def predicates(self) -> set[str]:
        return {f.predicate for f in self.fields} | {k.predicate for k in self.links} | {RDFS.label}


_NAME = Field("name", FOAF.name, label=True, doc="The name as its source gives it.")

DATASET = Kind(
    "dataset", "Dataset", (DCAT.Dataset, PROV.Entity), graphql="Dataset",
    doc="A raw (pankg:RawDataset) or derived (pankg:DerivedDataset) dataset; embargoed: only the stub is public.",
    fields=(
        Field("pid", DCTERMS.identifier, embargo="stub", required=True, doc="The dataset's PID in its catalogue."),
        Field("access_level", PANKG.accessLevel, "iri", embargo="stub", attr="", graphql=False,
              doc="pankg:Public or pankg:Restricted (shown as ``embargoed``)."),
        Field("embargo_end", PANKG.embargoEndDate, "date", embargo="stub", doc="The day the embargo ends."),
        Field("title", DCTERMS.title, label=True, required=True),
        Field("description", DCTERMS.description),
        Field("created", DCTERMS.created, "dateTime", doc="When it was created (ISO 8601)."),
        Field("license", DCTERMS.license, "iri", doc="The licence: an IRI, an SPDX id as its spdx.org IRI."),
        Field("size", DCAT.byteSize, "integer", doc="Total size in bytes, as the catalogue gives it."),
        Field("packed_size", PANKG.packedSize, "integer", shape=True,
              doc="Bytes of the dataset packed for the archive, as the catalogue gives it (SciCat packedSize)."),
        Field("number_of_files", PANKG.numberOfFiles, "integer", doc="How many files, as the catalogue counts them."),
        Field("source_folder", PANKG.sourceFolder, doc="Where the files were when the dataset was catalogued."),
        Field("source_folder_host", PANKG.sourceFolderHost, doc="The host of the source folder."),
        Field("keywords", DCAT.keyword, many=True),
        Field("submitted", DCTERMS.dateSubmitted, "dateTime", doc="When it entered its catalogue."),
        Field("modified", DCTERMS.modified, "dateTime", doc="When its catalogue record last changed."),
        Field("retention_end", PANKG.retentionEndDate, "date", doc="Until when the archived data is kept."),
        Field("owner_group", PANKG.ownerGroup, graphql=False, doc="The catalogue group that owns it."),
        Field("access_groups", PANKG.accessGroup, many=True, graphql=False,
              doc="The groups that may read it under embargo."),
    ),
    links=(
        Link("facility", PANKG.facility, "facility", many=False, embargo="stub"),
        Link("instrument", PANKG.instrument, "instrument", many=False, embargo="stub"),
        Link("proposal", PANKG.proposal, "proposal", many=False, embargo="stub"),
        Link("techniques", PANKG.technique, "technique", embargo="stub"),
        Link("dois", PANKG.doi, "doi", embargo="stub", doc="The DOI records that cover this dataset."),
        Link("creators", DCTERMS.creator, "person"),
        Link("samples", PANKG.sample, "sample"),
        Link("files", DCTERMS.hasPart, "file"),
        Link("parameters", PANKG.parameter, "parameter"),
        Link("generated_by", PROV.wasGeneratedBy, "run", many=False),
        Link("derived_from", PROV.wasDerivedFrom, "dataset"),
        Link("principal_investigator", PANKG.principalInvestigator, "person", many=False),
        Link("contact", DCAT.contactPoint, "contact", many=False, doc="A vCard with the contact e-mail."),
    ),
)

FILE = Kind("file", "File", (PANKG.File,), graphql="File", doc="A file of a dataset, owned by it.", fields=(
    Field("path", PANKG.filePath), Field("size", DCAT.byteSize, "integer"),
    Field("checksum", PANKG.checksum), Field("modified", DCTERMS.modified, "dateTime")))

PARAMETER = Kind("parameter", "Parameter", (PANKG.Parameter,), graphql="Parameter",
                 doc="A named value with its unit, and the same in SI base units where pankg can convert it.",
                 fields=(Field("name", PANKG.parameterName), Field("value", PANKG.value, "value"),
                         Field("unit", PANKG.unit), Field("si_value", PANKG.siValue, "decimal"),
                         Field("si_unit", PANKG.siUnit)))

SAMPLE = Kind("sample", "Sample", (PANKG.Sample, PROV.Entity), graphql="Sample", fields=(
    Field("name", RDFS.label), Field("chemical_formula", PANKG.chemicalFormula),
    Field("description", DCTERMS.description), Field("owner_group", PANKG.ownerGroup, graphql=False),
    Field("access_groups", PANKG.accessGroup, many=True, graphql=False)),
    links=(Link("parameters", PANKG.parameter, "parameter"),))

PROPOSAL = Kind("proposal", "Proposal", (PANKG.Proposal,), graphql="Proposal", fields=(
    Field("proposal_id", PANKG.proposalId, attr="pid"), Field("title", DCTERMS.title, label=True),
    Field("abstract", DCTERMS.description), Field("owner_group", PANKG.ownerGroup, graphql=False),
    Field("access_groups", PANKG.accessGroup, many=True, graphql=False)), links=(
    Link("facility", PANKG.facility, "facility", many=False),
    Link("principal_investigator", PANKG.principalInvestigator, "person", many=False),
    Link("proposer", DCTERMS.creator, "person", many=False), Link("members", DCTERMS.contributor, "person")))

RUN = Kind("run", "AnalysisRun", (PANKG.AnalysisRun, PROV.Activity), graphql="AnalysisRun", fields=(
    Field("started", PROV.startedAtTime, "dateTime"), Field("ended", PROV.endedAtTime, "dateTime"),
    Field("activity_type", DCTERMS.type), Field("status", PANKG.status)), links=(
    Link("inputs", PROV.used, "dataset"), Link("outputs", PROV.wasGeneratedBy, "dataset", inverse=True),
    Link("agent", PROV.wasAssociatedWith, "person", many=False), Link("software", PANKG.usedSoftware, "version"),
    Link("associations", PROV.qualifiedAssociation, "association"), Link("parameters", PANKG.parameter, "parameter")))

FACILITY = Kind("facility", "Facility", (PANKG.Facility, FOAF.Organization, PROV.Organization), graphql="Facility",
                fields=(_NAME, Field("short_name", SKOS.altLabel), Field("url", SCHEMA.url, "iri")))

INSTRUMENT = Kind("instrument", "Instrument", (PANKG.Instrument, PROV.Entity), graphql="Instrument",
                  fields=(Field("name", RDFS.label),), links=(
                      Link("facility", PANKG.facility, "facility", many=False),
                      Link("techniques", PANKG.technique, "technique")))

TECHNIQUE = Kind("technique", "Technique", (PANKG.Technique,), graphql="Technique",
                 doc="A technique keeps its ontology's IRI (PaNET); a bare name is resolved or minted.",
                 fields=(Field("label", RDFS.label),
                         Field("definition", SKOS.definition, attr="", doc="From the technique ontology (PaNET).")),
                 links=(Link("parents", RDFS.subClassOf, "technique", doc="From the technique ontology (PaNET)."),))

PERSON = Kind("person", "Person", (FOAF.Person, PROV.Person), graphql="Person", fields=(
    _NAME, Field("given_name", SCHEMA.givenName), Field("family_name", SCHEMA.familyName),
    Field("email", SCHEMA.email, graphql=False, doc="Always restricted: personal data, not shown.")),
    links=(Link("affiliations", SCHEMA.affiliation, "organization"),))

ORGANIZATION = Kind("organization", "Organization", (FOAF.Organization, PROV.Organization),
                    graphql="Organization", fields=(_NAME,))

SOFTWARE = Kind("software", "Software", (PANKG.Software, SCHEMA.SoftwareSourceCode, PROV.Entity),
                graphql="Software", fields=(
                    Field("name", SCHEMA.name, label=True), Field("description", DCTERMS.description),
                    Field("repository", SCHEMA.codeRepository, "iri"), Field("license", DCTERMS.license, "iri")),
                links=(Link("doi", PANKG.doi, "doi", many=False), Link("techniques", PANKG.technique, "technique"),
                       Link("versions", DCTERMS.hasVersion, "version")))

VERSION = Kind("version", "SoftwareVersion", (PANKG.SoftwareVersion, SCHEMA.SoftwareApplication, PROV.Plan),
               graphql="SoftwareVersion", fields=(Field("version", SCHEMA.softwareVersion),),
               links=(Link("software", DCTERMS.isVersionOf, "software", many=False),
                      Link("doi", PANKG.doi, "doi", many=False)))

PUBLICATION = Kind("publication", "Publication", (PANKG.Publication, FOAF.Document, PROV.Entity),
                   graphql="Publication", doc="A paper; what it cites is a dataset or a DOI (CiTO).", fields=(
                       Field("title", DCTERMS.title, label=True), Field("issued", DCTERMS.issued, "date"),
                       Field("journal", DCTERMS.bibliographicCitation)),
                   links=(Link("cites", CITO.cites, "doi", doc="Also cito:citesAsDataSource for data."),
                          Link("cites_as_data_source", CITO.citesAsDataSource, "doi"),
                          Link("uses_method_in", CITO.usesMethodIn, "doi", doc="Software or methods it used."),
                          Link("authors", DCTERMS.creator, "person")))

DOI = Kind("doi", "DoiRecord", (PANKG.DOIRecord,), graphql="Doi",
           doc="A DataCite DOI record (its kernel: docs/mapping-datacite.md).", fields=(
               Field("doi", DCTERMS.identifier, doc="The DOI as its record writes it."),
               Field("title", DCTERMS.title, label=True),
               Field("resource_type", DCTERMS.type), Field("publisher", DCTERMS.publisher),
               Field("abstract", DCTERMS.abstract), Field("description", DCTERMS.description),
               Field("issued", DCTERMS.issued, "gYear", attr="year")),
           links=(Link("parts", DCTERMS.hasPart, "dataset"), Link("creators", DCTERMS.creator, "person")))

KINDS: tuple[Kind, ...] = (DATASET, FILE, PARAMETER, SAMPLE, PROPOSAL, RUN, FACILITY, INSTRUMENT, TECHNIQUE,
                           PERSON, ORGANIZATION, SOFTWARE, VERSION, PUBLICATION, DOI)
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}


def scalar_predicates(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every literal-valued predicate of the model, in a stable order: what one batch branch fetches."""
    seen: dict[str, None] = {}
    for kind in KINDS:
        for f in kind.fields:
            seen.setdefault(f.predicate)
    for predicate in extra:
        seen.setdefault(predicate)
    return tuple(seen)


def stub(kind: Kind = DATASET) -> tuple[str, ...]:
    """The predicates of an embargoed ``kind``'s public stub (its types and ``embargo="stub"`` facts)."""
    return tuple(f.predicate for f in kind.fields if f.embargo == "stub") + tuple(
        k.predicate for k in kind.links if k.embargo == "stub")


__all__ = ["BY_NAME", "DATASET", "KINDS", "Datatype", "Field", "Kind", "Link", "scalar_predicates", "stub"]
