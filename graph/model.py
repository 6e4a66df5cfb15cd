"""How every entity becomes RDF: the one place (``docs/model.md`` is its prose twin).

:class:`RdfModel` turns the records of :mod:`graph.entities` into quads ``(s, p, o, access)`` whose
terms are N-Triples text and whose ``access`` is ``"public"`` or ``"restricted"``: the store writes
each access level of a source into its own named graph, so anonymous readers can be given the
public graphs only. An embargoed dataset keeps a public stub (PID, types, facility, instrument,
technique, proposal, DOI, access level, embargo end) and everything else goes to restricted.

Standard vocabularies first: PROV-O for provenance, DCAT + DCTERMS for datasets, CiTO for citations,
schema.org for software, FOAF for people and organizations, PaNET IRIs for techniques; the pankg
ontology (``ontology/pankg.ttl``) for the rest.

>>> from graph.entities import Dataset
>>> quads = list(RdfModel(as_of=dt.date(2026, 1, 1)).quads(Dataset(pid="ds1", title="Lysozyme")))
>>> ("<https://w3id.org/pankg/id/dataset/ds1>", "<http://purl.org/dc/terms/title>", '"Lysozyme"', "public") in quads
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import singledispatchmethod
from urllib.parse import unquote
from typing import Literal

from graph import entities as e
from graph.errors import RecordInvalid
from graph.iris import DEFAULT_BASE, Minter, global_pid_iri
from graph.nt import iri, literal, typed
from ontology.namespaces import CITO, DATACITE_RELATION, DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from ontology.terms import PANKG

Access = Literal["public", "restricted"]
Quad = tuple[str, str, str, Access]

PUBLIC: Access = "public"
RESTRICTED: Access = "restricted"


def _p(term: str) -> str:
    return f"<{term}>"


A = _p(RDF.type)
LABEL = _p(RDFS.label)
TITLE, DESCRIPTION, IDENTIFIER = _p(DCTERMS.title), _p(DCTERMS.description), _p(DCTERMS.identifier)
CREATED, ISSUED, CREATOR, LICENSE = _p(DCTERMS.created), _p(DCTERMS.issued), _p(DCTERMS.creator), _p(DCTERMS.license)
HAS_PART, IS_PART_OF = _p(DCTERMS.hasPart), _p(DCTERMS.isPartOf)
FOAF_NAME = _p(FOAF.name)
USED, GENERATED_BY, DERIVED_FROM = _p(PROV.used), _p(PROV.wasGeneratedBy), _p(PROV.wasDerivedFrom)
CITES = _p(CITO.cites)

# DataCite relation types with a standard meaning are written with it as well as verbatim; the
# verbatim term (under DATACITE_RELATION) is always written. Issue-level table: docs/mapping.md.
STANDARD_RELATIONS: dict[str, tuple[str, bool]] = {
    # relationType: (standard property, True when the DOI record is the object, not the subject)
    "Cites": (CITO.cites, False),
    "IsCitedBy": (CITO.cites, True),
    "IsDerivedFrom": (PROV.wasDerivedFrom, False),
    "IsSourceOf": (PROV.wasDerivedFrom, True),
    "IsNewVersionOf": (PROV.wasRevisionOf, False),
    "IsPreviousVersionOf": (PROV.wasRevisionOf, True),
    "HasPart": (DCTERMS.hasPart, False),
    "IsPartOf": (DCTERMS.hasPart, True),
    "HasVersion": (DCTERMS.hasVersion, False),
    "IsVersionOf": (DCTERMS.isVersionOf, False),
}

_TYPES = {
    "raw": (_p(DCAT.Dataset), _p(PROV.Entity), _p(PANKG.RawDataset)),
    "derived": (_p(DCAT.Dataset), _p(PROV.Entity), _p(PANKG.DerivedDataset)),
}


class RdfModel:
    """Maps entities to quads; ``as_of`` is the day against which embargo end dates are judged."""

    def __init__(self, minter: Minter | None = None, as_of: dt.date | None = None) -> None:
        self.minter = minter or Minter(DEFAULT_BASE)
        self.as_of = as_of or dt.date.today()
        self.next_release: dt.date | None = None
        """The earliest embargo end after ``as_of`` among the datasets mapped so far: the day a reload of
        the same source would give a different graph."""

    def node(self, kind: str, pid: str) -> str:
        """The N-Triples form of the IRI of entity ``kind`` named ``pid`` by its source."""
        return f"<{self.minter.iri(kind, pid)}>"

    def is_restricted(self, dataset: e.Dataset) -> bool:
        """True while a dataset's details are under embargo (explicit flag first, then the end date)."""
        if dataset.public is not None:
            return not dataset.public
        end = dataset.embargo_end
        if end is None or end <= self.as_of:
            return False
        if self.next_release is None or end < self.next_release:
            self.next_release = end
        return True

    def _resource(self, value: str) -> str:
        """A licence or URL given as text: an IRI as is, an SPDX id as its spdx.org IRI."""
        if value.startswith(("http://", "https://")):
            return iri(value)
        return iri(f"https://spdx.org/licenses/{value.strip()}")

    def _parameters(self, owner_key: str, owner: str, params: tuple[e.Parameter, ...], acc: Access) -> Iterator[Quad]:
        """Parameter nodes are owned: their IRI is the owner's kind and PID plus the parameter name."""
        for param in params:
            node = f"<{self.minter.owned('parameter', owner_key, param.name)}>"
            yield owner, _p(PANKG.parameter), node, acc
            yield node, A, _p(PANKG.Parameter), acc
            yield node, _p(PANKG.parameterName), literal(param.name), acc
            yield node, _p(PANKG.value), typed(param.value), acc
            if param.unit:
                yield node, _p(PANKG.unit), literal(param.unit), acc
            if param.si_value is not None:
                yield node, _p(PANKG.siValue), typed(float(param.si_value)), acc
                yield node, _p(PANKG.siUnit), literal(param.si_unit), acc

    @singledispatchmethod
    def quads(self, entity: object) -> Iterator[Quad]:
        """All quads of one entity."""
        raise TypeError(f"no RDF mapping for {type(entity).__name__}")

    @quads.register
    def _facility(self, f: e.Facility) -> Iterator[Quad]:
        s = self.node("facility", f.pid)
        yield s, A, _p(PANKG.Facility), PUBLIC
        yield s, A, _p(FOAF.Organization), PUBLIC
        yield s, A, _p(PROV.Organization), PUBLIC
        yield s, FOAF_NAME, literal(f.name), PUBLIC
        yield s, LABEL, literal(f.name), PUBLIC
        if f.short_name:
            yield s, _p(SKOS.altLabel), literal(f.short_name), PUBLIC
        if f.url:
            yield s, _p(SCHEMA.url), iri(f.url), PUBLIC

    @quads.register
    def _organization(self, o: e.Organization) -> Iterator[Quad]:
        s = self.node("organization", o.pid)
        yield s, A, _p(FOAF.Organization), PUBLIC
        yield s, A, _p(PROV.Organization), PUBLIC
        yield s, FOAF_NAME, literal(o.name), PUBLIC
        yield s, LABEL, literal(o.name), PUBLIC

    @quads.register
    def _person(self, p: e.Person) -> Iterator[Quad]:
        s = self.node("person", p.pid)
        yield s, A, _p(FOAF.Person), PUBLIC
        yield s, A, _p(PROV.Person), PUBLIC
        yield s, FOAF_NAME, literal(p.name), PUBLIC
        yield s, LABEL, literal(p.name), PUBLIC
        if p.given_name:
            yield s, _p(SCHEMA.givenName), literal(p.given_name), PUBLIC
        if p.family_name:
            yield s, _p(SCHEMA.familyName), literal(p.family_name), PUBLIC
        for org in p.affiliations:
            yield s, _p(SCHEMA.affiliation), self.node("organization", org), PUBLIC

    @quads.register
    def _instrument(self, i: e.Instrument) -> Iterator[Quad]:
        s = self.node("instrument", i.pid)
        yield s, A, _p(PANKG.Instrument), PUBLIC
        yield s, A, _p(PROV.Entity), PUBLIC
        yield s, LABEL, literal(i.name), PUBLIC
        if i.facility:
            yield s, _p(PANKG.facility), self.node("facility", i.facility), PUBLIC
        for technique in i.techniques:
            yield s, _p(PANKG.technique), self.technique(technique), PUBLIC

    @quads.register
    def _proposal(self, p: e.Proposal) -> Iterator[Quad]:
        s = self.node("proposal", p.pid)
        yield s, A, _p(PANKG.Proposal), PUBLIC
        yield s, _p(PANKG.proposalId), literal(p.pid), PUBLIC
        yield s, TITLE, literal(p.title), PUBLIC
        yield s, LABEL, literal(p.title), PUBLIC
        if p.facility:
            yield s, _p(PANKG.facility), self.node("facility", p.facility), PUBLIC
        if p.principal_investigator:
            yield s, _p(PANKG.principalInvestigator), self.node("person", p.principal_investigator), PUBLIC
        if p.abstract:
            yield s, DESCRIPTION, literal(p.abstract), PUBLIC

    @quads.register
    def _sample(self, x: e.Sample) -> Iterator[Quad]:
        s = self.node("sample", x.pid)
        yield s, A, _p(PANKG.Sample), PUBLIC
        yield s, A, _p(PROV.Entity), PUBLIC
        yield s, LABEL, literal(x.name), PUBLIC
        if x.chemical_formula:
            yield s, _p(PANKG.chemicalFormula), literal(x.chemical_formula), PUBLIC
        if x.description:
            yield s, DESCRIPTION, literal(x.description), PUBLIC

    def technique(self, pid: str) -> str:
        """A technique keeps the IRI of its ontology (PaNET or any other); a bare name is minted."""
        if pid.startswith(("http://", "https://")):
            return iri(global_pid_iri(pid) or pid)
        return self.node("technique", pid)

    @quads.register
    def _technique(self, t: e.Technique) -> Iterator[Quad]:
        s = self.technique(t.iri)
        yield s, A, _p(PANKG.Technique), PUBLIC
        if t.label:
            yield s, LABEL, literal(t.label), PUBLIC

    @quads.register
    def _dataset(self, d: e.Dataset) -> Iterator[Quad]:
        s = self.node("dataset", d.pid)
        restricted = self.is_restricted(d)
        hidden: Access = RESTRICTED if restricted else PUBLIC
        # The public stub: enough to find the dataset and know when it opens.
        for cls in _TYPES[d.kind]:
            yield s, A, cls, PUBLIC
        yield s, IDENTIFIER, literal(d.pid), PUBLIC
        yield s, _p(PANKG.accessLevel), _p(PANKG.Restricted if restricted else PANKG.Public), PUBLIC
        if d.embargo_end:
            yield s, _p(PANKG.embargoEndDate), typed(d.embargo_end), PUBLIC
        if d.facility:
            yield s, _p(PANKG.facility), self.node("facility", d.facility), PUBLIC
        if d.instrument:
            yield s, _p(PANKG.instrument), self.node("instrument", d.instrument), PUBLIC
        if d.proposal:
            yield s, _p(PANKG.proposal), self.node("proposal", d.proposal), PUBLIC
        for technique in d.techniques:
            yield s, _p(PANKG.technique), self.technique(technique), PUBLIC
        doi = self.node("doi", d.doi) if d.doi else s
        if doi != s:  # a dataset whose PID is its DOI is the DOI's node already
            yield s, _p(PANKG.doi), doi, PUBLIC
            yield doi, HAS_PART, s, PUBLIC
        # The details: hidden while under embargo.
        yield s, TITLE, literal(d.title), hidden
        yield s, LABEL, literal(d.title), hidden
        if d.description:
            yield s, DESCRIPTION, literal(d.description), hidden
        if d.created:
            yield s, CREATED, typed(d.created), hidden
        if d.license:
            yield s, LICENSE, self._resource(d.license), hidden
        for person in d.creators:
            yield s, CREATOR, self.node("person", person), hidden
        for sample in d.samples:
            yield s, _p(PANKG.sample), self.node("sample", sample), hidden
        if d.generated_by:
            yield s, GENERATED_BY, self.node("run", d.generated_by), hidden
        for source in d.derived_from:
            yield s, DERIVED_FROM, self.node("dataset", source), hidden
        for f in d.files:
            node = f"<{self.minter.owned('file', d.pid, f.path)}>"
            yield s, HAS_PART, node, hidden
            yield node, A, _p(PANKG.File), hidden
            yield node, _p(PANKG.filePath), literal(f.path), hidden
            if f.size is not None:
                yield node, _p(DCAT.byteSize), typed(f.size), hidden
            if f.checksum:
                yield node, _p(PANKG.checksum), literal(f.checksum), hidden
        yield from self._parameters(f"dataset:{d.pid}", s, d.parameters, hidden)

    @quads.register
    def _software(self, sw: e.Software) -> Iterator[Quad]:
        s = self.node("software", sw.pid)
        yield s, A, _p(PANKG.Software), PUBLIC
        yield s, A, _p(SCHEMA.SoftwareSourceCode), PUBLIC
        yield s, A, _p(PROV.Entity), PUBLIC
        yield s, _p(SCHEMA.name), literal(sw.name), PUBLIC
        yield s, LABEL, literal(sw.name), PUBLIC
        if sw.description:
            yield s, DESCRIPTION, literal(sw.description), PUBLIC
        if sw.repository:
            yield s, _p(SCHEMA.codeRepository), iri(sw.repository), PUBLIC
        if sw.license:
            yield s, LICENSE, self._resource(sw.license), PUBLIC
        if sw.doi:
            yield s, _p(PANKG.doi), self.node("doi", sw.doi), PUBLIC
        for technique in sw.techniques:
            yield s, _p(PANKG.technique), self.technique(technique), PUBLIC

    @quads.register
    def _software_version(self, v: e.SoftwareVersion) -> Iterator[Quad]:
        s = f"<{self.minter.minted('software-version', v.pid)}>"
        software = self.node("software", v.software)
        yield s, A, _p(PANKG.SoftwareVersion), PUBLIC
        yield s, A, _p(SCHEMA.SoftwareApplication), PUBLIC
        yield s, A, _p(PROV.Plan), PUBLIC
        yield s, _p(SCHEMA.softwareVersion), literal(v.version), PUBLIC
        yield s, LABEL, literal(f"{v.software} {v.version}"), PUBLIC
        yield s, _p(DCTERMS.isVersionOf), software, PUBLIC
        yield software, _p(DCTERMS.hasVersion), s, PUBLIC
        if v.doi:
            yield s, _p(PANKG.doi), self.node("doi", v.doi), PUBLIC

    @quads.register
    def _run(self, r: e.AnalysisRun) -> Iterator[Quad]:
        s = self.node("run", r.pid)
        acc: Access = PUBLIC if r.public else RESTRICTED
        yield s, A, _p(PANKG.AnalysisRun), acc
        yield s, A, _p(PROV.Activity), acc
        for source in r.inputs:
            yield s, USED, self.node("dataset", source), acc
        for output in r.outputs:
            out = self.node("dataset", output)
            yield out, GENERATED_BY, s, acc
            for source in r.inputs:
                yield out, DERIVED_FROM, self.node("dataset", source), acc
        if r.started:
            yield s, _p(PROV.startedAtTime), typed(r.started), acc
        if r.ended:
            yield s, _p(PROV.endedAtTime), typed(r.ended), acc
        agent = self.node("person", r.agent) if r.agent else ""
        if agent:
            yield s, _p(PROV.wasAssociatedWith), agent, acc
        if r.software_version:
            plan = f"<{self.minter.minted('software-version', r.software_version)}>"
            association = f"<{self.minter.minted('association', r.pid)}>"
            yield s, _p(PANKG.usedSoftware), plan, acc
            yield s, _p(PROV.qualifiedAssociation), association, acc
            yield association, A, _p(PROV.Association), acc
            yield association, _p(PROV.hadPlan), plan, acc
            if agent:
                yield association, _p(PROV.agent), agent, acc
        yield from self._parameters(f"run:{r.pid}", s, r.parameters, acc)

    @quads.register
    def _publication(self, p: e.Publication) -> Iterator[Quad]:
        s = self.node("publication", p.pid)
        yield s, A, _p(PANKG.Publication), PUBLIC
        yield s, A, _p(FOAF.Document), PUBLIC
        yield s, A, _p(PROV.Entity), PUBLIC
        yield s, TITLE, literal(p.title), PUBLIC
        yield s, LABEL, literal(p.title), PUBLIC
        if p.issued:
            yield s, ISSUED, typed(p.issued), PUBLIC
        if p.journal:
            yield s, _p(DCTERMS.bibliographicCitation), literal(p.journal), PUBLIC
        for author in p.authors:
            yield s, CREATOR, self.node("person", author), PUBLIC
        for citation in p.cites:
            target = self.node("doi", citation.target)
            yield s, CITES, target, PUBLIC
            if citation.kind != "cites":
                yield s, _p(CITO[citation.kind]), target, PUBLIC

    @quads.register
    def _doi(self, d: e.DoiRecord) -> Iterator[Quad]:
        s = self.node("doi", d.doi)
        yield s, A, _p(PANKG.DOIRecord), PUBLIC
        yield s, A, _p(PROV.Entity), PUBLIC
        yield s, IDENTIFIER, literal(unquote(s[len("<https://doi.org/"):-1]) if s.startswith("<https://doi.org/") else d.doi), PUBLIC
        yield s, TITLE, literal(d.title), PUBLIC
        yield s, LABEL, literal(d.title), PUBLIC
        yield s, _p(DCTERMS.type), literal(d.resource_type), PUBLIC
        if d.publisher:
            yield s, _p(DCTERMS.publisher), literal(d.publisher), PUBLIC
        if d.year:
            yield s, ISSUED, literal(str(d.year), XSD.gYear), PUBLIC
        for creator in d.creators:
            yield s, CREATOR, self.node("person", creator), PUBLIC
        for part in d.parts:
            dataset = self.node("dataset", part)
            if dataset == s:  # a dataset identified by this very DOI
                continue
            yield s, HAS_PART, dataset, PUBLIC
            yield dataset, _p(PANKG.doi), s, PUBLIC
        for rel in d.related:
            if not rel.relation.isalnum():
                raise RecordInvalid(f"not a DataCite relation type: {rel.relation!r}", record=d.doi, field="relationType")
            target = self.node("doi", rel.identifier)
            yield s, _p(DATACITE_RELATION.iri + rel.relation), target, PUBLIC
            standard = STANDARD_RELATIONS.get(rel.relation)
            if standard:
                prop, inverse = standard
                yield (target, _p(prop), s, PUBLIC) if inverse else (s, _p(prop), target, PUBLIC)
