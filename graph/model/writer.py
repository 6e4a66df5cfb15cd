"""How every entity becomes RDF: the one place (``docs/model.md`` is its prose twin).

:class:`RdfModel` turns the records of :mod:`graph.model.entities` into quads ``(s, p, o, access)`` whose
terms are N-Triples text and whose ``access`` is ``"public"`` or a restricted key naming who may read
it (:mod:`graph.model.access`): the store writes each access key of a source into its own named graph, so a
reader is given the graphs it is entitled to only. An embargoed dataset keeps a public stub (what
:mod:`graph.model.schema` marks ``stub``: PID, types, facility, instrument, technique, proposal, DOI, access
level, embargo end; its scalar fields are written from that description) and everything else
goes to the restricted graph of the groups that may read it (owner and access groups, else its
proposal's team); samples, files and runs named by the dataset follow it, and so do the people and
organizations its loader says are known from it only (``known_from``, :mod:`graph.model.people_rdf`): a
person minted from an embargoed dataset's PID would tell the hidden link by its IRI alone.

Standard vocabularies first: PROV-O for provenance, DCAT + DCTERMS for datasets, CiTO for citations,
schema.org for software, FOAF for people and organizations, PaNET IRIs for techniques; the pankg
ontology (``ontology/pankg.ttl``) for the rest. Publications and DOI records are mapped in
:mod:`graph.model.scholarly`, software and its versions in :mod:`graph.model.software_rdf`, people and organizations
in :mod:`graph.model.people_rdf`; ``_MAPPERS`` below dispatches to them like any other kind.

>>> import datetime as dt
>>> from graph.model.entities import Dataset
>>> quads = list(RdfModel(as_of=dt.date(2026, 1, 1)).quads(Dataset(pid="ds1", title="Lysozyme")))
>>> ("<https://w3id.org/pankg/id/dataset/ds1>", "<http://purl.org/dc/terms/title>", '"Lysozyme"', "public") in quads
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

from graph.model import entities as e
from graph.model.access import restricted_key
from graph.model.context import MappingContext
from graph.model.field_writer import compile_fields
from graph.model.nt import iri, literal, typed
from graph.model.nterms import dcat, dcterms, foaf, nt, pankg, prov, rdf, rdfs, schema, skos
from graph.model.people_rdf import organization_quads, person_quads
from graph.model.quads import PUBLIC, RESTRICTED, Access, Quad
from graph.model.schema import DATASET
from graph.model.scholarly import doi_quads, publication_quads
from graph.model.software_rdf import software_quads, software_version_quads
from ontology.namespaces import VCARD

__all__ = ["PUBLIC", "RESTRICTED", "Access", "Quad", "RdfModel"]

_TYPES = {
    "raw": (dcat.Dataset, prov.Entity, pankg.RawDataset),
    "derived": (dcat.Dataset, prov.Entity, pankg.DerivedDataset),
}


class RdfModel(MappingContext):
    """Maps entities to quads; ``as_of`` is the day against which embargo end dates are judged."""

    def _parameters(self, owner_key: str, owner: str, params: tuple[e.Parameter, ...], acc: Access) -> Iterator[Quad]:
        """Parameter nodes are owned: their IRI is the owner's kind and PID plus the parameter name (and, for
        the second and later parameters of one name, ``~2``, ``~3``... in record order, so none merge)."""
        seen: dict[str, int] = {}
        for param in params:
            n = seen[param.name] = seen.get(param.name, 0) + 1
            node = f"<{self.minter.owned('parameter', owner_key, param.name if n == 1 else f'{param.name}~{n}')}>"
            yield owner, pankg.parameter, node, acc
            yield node, rdf.type, pankg.Parameter, acc
            yield node, pankg.parameterName, literal(param.name), acc
            yield node, pankg.value, typed(param.value), acc
            if param.unit:
                yield node, pankg.unit, literal(param.unit), acc
            if param.si_value is not None:
                yield node, pankg.siValue, typed(float(param.si_value)), acc
                yield node, pankg.siUnit, literal(param.si_unit), acc

    def _files(self, dataset_pid: str, owner: str, files: tuple[e.File, ...], acc: Access) -> Iterator[Quad]:
        """File nodes are owned by their dataset: their IRI is the dataset's PID plus the path."""
        for f in files:
            node = f"<{self.minter.owned('file', dataset_pid, f.path)}>"
            yield owner, dcterms.hasPart, node, acc
            yield node, rdf.type, pankg.File, acc
            yield node, pankg.filePath, literal(f.path), acc
            if f.size is not None:
                yield node, dcat.byteSize, typed(f.size), acc
            if f.checksum:
                yield node, pankg.checksum, literal(f.checksum), acc
            if f.modified:
                yield node, dcterms.modified, typed(f.modified), acc

    @staticmethod
    def _groups(s: str, owner_group: str, access_groups: tuple[str, ...], acc: Access) -> Iterator[Quad]:
        """The catalogue's access groups, kept as it names them, for entitlements to embargoed data."""
        if owner_group:
            yield s, pankg.ownerGroup, literal(owner_group), acc
        for group in access_groups:
            yield s, pankg.accessGroup, literal(group), acc

    def quads(self, entity: object) -> Iterator[Quad]:
        """All quads of one entity."""
        mapper = _MAPPERS.get(type(entity))
        if mapper is None:
            raise TypeError(f"no RDF mapping for {type(entity).__name__}")
        return mapper(self, entity)

    def _facility(self, f: e.Facility) -> Iterator[Quad]:
        s = self.node("facility", f.pid)
        yield s, rdf.type, pankg.Facility, PUBLIC
        yield s, rdf.type, foaf.Organization, PUBLIC
        yield s, rdf.type, prov.Organization, PUBLIC
        yield s, foaf.name, literal(f.name), PUBLIC
        yield s, rdfs.label, literal(f.name), PUBLIC
        if f.short_name:
            yield s, skos.altLabel, literal(f.short_name), PUBLIC
        if f.url:
            yield s, schema.url, iri(f.url, "url"), PUBLIC

    def _instrument(self, i: e.Instrument) -> Iterator[Quad]:
        s = self.node("instrument", i.pid)
        yield s, rdf.type, pankg.Instrument, PUBLIC
        yield s, rdf.type, prov.Entity, PUBLIC
        yield s, rdfs.label, literal(i.name), PUBLIC
        if i.facility:
            yield s, pankg.facility, self.node("facility", i.facility), PUBLIC
        yield from self.technique_links(s, i.techniques)

    def _proposal(self, p: e.Proposal) -> Iterator[Quad]:
        s = self.node("proposal", p.pid)
        yield s, rdf.type, pankg.Proposal, PUBLIC
        yield s, pankg.proposalId, literal(p.pid), PUBLIC
        yield s, dcterms.title, literal(p.title), PUBLIC
        yield s, rdfs.label, literal(p.title), PUBLIC
        if p.facility:
            yield s, pankg.facility, self.node("facility", p.facility), PUBLIC
        team = self.record_key(p.team_access)  # an embargoed team (ICAT before the release date): hidden with it
        if p.principal_investigator:
            yield s, pankg.principalInvestigator, self.node("person", p.principal_investigator), team
        if p.abstract:
            yield s, dcterms.description, literal(p.abstract), PUBLIC
        if p.proposer:
            yield s, dcterms.creator, self.node("person", p.proposer), team
        for member in p.members:
            yield s, dcterms.contributor, self.node("person", member), team
        yield from self._groups(s, p.owner_group, p.access_groups, PUBLIC)

    def _sample(self, x: e.Sample) -> Iterator[Quad]:
        s = self.node("sample", x.pid)
        acc = PUBLIC if x.public else (self._keys.get("sample:" + x.pid)
                                       or restricted_key((x.owner_group, *x.access_groups)))
        yield s, rdf.type, pankg.Sample, acc
        yield s, rdf.type, prov.Entity, acc
        yield s, rdfs.label, literal(x.name), acc
        if x.chemical_formula:
            yield s, pankg.chemicalFormula, literal(x.chemical_formula), acc
        if x.description:
            yield s, dcterms.description, literal(x.description), acc
        yield from self._groups(s, x.owner_group, x.access_groups, acc)
        yield from self._parameters(f"sample:{x.pid}", s, x.parameters, acc)

    def _technique(self, t: e.Technique) -> Iterator[Quad]:
        s = self.technique(t.iri)
        yield s, rdf.type, pankg.Technique, PUBLIC
        if t.label and (not self.is_technique_name(t.iri) or s == self.node("technique", t.iri)):
            # A name resolved to an ontology term does not relabel the term: the words stay on the records.
            yield s, rdfs.label, literal(t.label), PUBLIC

    def _dataset(self, d: e.Dataset) -> Iterator[Quad]:
        s = self.node("dataset", d.pid)
        hidden = self.hidden(d)
        restricted = hidden != PUBLIC
        # The public stub (the schema's embargo="stub" facts): enough to find the dataset and know when it opens.
        for cls in _TYPES[d.kind]:
            yield s, rdf.type, cls, PUBLIC
        yield s, pankg.accessLevel, pankg.Restricted if restricted else pankg.Public, PUBLIC
        if d.facility:
            yield s, pankg.facility, self.node("facility", d.facility), PUBLIC
        if d.instrument:
            yield s, pankg.instrument, self.node("instrument", d.instrument), PUBLIC
        if d.proposal:
            yield s, pankg.proposal, self.node("proposal", d.proposal), PUBLIC
        yield from self.technique_links(s, d.techniques)
        doi = self.node("doi", d.doi) if d.doi else s
        if doi != s:  # a dataset whose PID is its DOI is the DOI's node already
            yield s, pankg.doi, doi, PUBLIC
            yield doi, dcterms.hasPart, s, PUBLIC
        # Every scalar field as the schema describes it; the details are hidden while under embargo.
        yield from _DATASET_FIELDS(self, s, d, hidden)
        for person in d.creators:
            yield s, dcterms.creator, self.node("person", person), hidden
        for sample in d.samples:
            yield s, pankg.sample, self.node("sample", sample), hidden
        if d.generated_by:
            yield s, prov.wasGeneratedBy, self.node("run", d.generated_by), hidden
        for source in d.derived_from:
            yield s, prov.wasDerivedFrom, self.node("dataset", source), hidden
        if d.principal_investigator:
            yield s, pankg.principalInvestigator, self.node("person", d.principal_investigator), hidden
        if d.contact_email:  # DCAT's contact point: a vCard with the address as a mailto: IRI
            contact = f"<{self.minter.minted('contact', d.pid)}>"
            yield s, dcat.contactPoint, contact, hidden
            yield contact, rdf.type, nt(VCARD.Kind), hidden
            mailto = "mailto:" + quote(d.contact_email.strip(), safe=_MAILTO_SAFE)
            yield contact, nt(VCARD.hasEmail), iri(mailto), hidden
        yield from self._files(d.pid, s, d.files, hidden)
        yield from self._parameters(f"dataset:{d.pid}", s, d.parameters, hidden)

    def _dataset_files(self, x: e.DatasetFiles) -> Iterator[Quad]:
        hidden = self.hidden(x)
        yield from self._files(x.dataset, self.node("dataset", x.dataset), x.files, hidden)

    def _run(self, r: e.AnalysisRun) -> Iterator[Quad]:
        s = self.node("run", r.pid)
        known = (self._keys.get(pid) for pid in r.outputs + r.inputs)
        acc = PUBLIC if r.public else next((k for k in known if k), RESTRICTED)
        yield s, rdf.type, pankg.AnalysisRun, acc
        yield s, rdf.type, prov.Activity, acc
        for source in r.inputs:
            yield s, prov.used, self.node("dataset", source), acc
        for output in r.outputs:
            out = self.node("dataset", output)
            yield out, prov.wasGeneratedBy, s, acc
            for source in r.inputs:
                yield out, prov.wasDerivedFrom, self.node("dataset", source), acc
        if r.started:
            yield s, prov.startedAtTime, typed(r.started), acc
        if r.ended:
            yield s, prov.endedAtTime, typed(r.ended), acc
        agent = self.node("person", r.agent) if r.agent else ""
        if agent:
            yield s, prov.wasAssociatedWith, agent, acc
        if r.activity_type:
            yield s, dcterms.type, literal(r.activity_type), acc
        if r.status:
            yield s, pankg.status, literal(r.status), acc
        plans = ((r.software_version,) if r.software_version else ()) + r.more_software
        for n, version in enumerate(plans):
            # One association per plan (PROV-DM gives an association one plan); the first keeps the
            # run's own association IRI, the others are named after the run and the version.
            plan = f"<{self.minter.minted('software-version', version)}>"
            name = (self.minter.minted("association", r.pid) if n == 0
                    else self.minter.owned("association", r.pid, version))
            association = f"<{name}>"
            yield s, pankg.usedSoftware, plan, acc
            yield s, prov.qualifiedAssociation, association, acc
            yield association, rdf.type, prov.Association, acc
            yield association, prov.hadPlan, plan, acc
            if agent:
                yield association, prov.agent, agent, acc
        yield from self._parameters(f"run:{r.pid}", s, r.parameters, acc)


_MAILTO_SAFE = "@.+-_~!$'()*,;=:"

_DATASET_FIELDS = compile_fields(DATASET.fields, "dataset_fields")
"""A dataset's scalar fields as :data:`graph.model.schema.DATASET` describes them (:mod:`graph.model.field_writer`)."""

_MAPPERS: dict[type, Callable[[RdfModel, Any], Iterator[Quad]]] = {
    e.Facility: RdfModel._facility,
    e.Organization: organization_quads,
    e.Person: person_quads,
    e.Instrument: RdfModel._instrument,
    e.Proposal: RdfModel._proposal,
    e.Sample: RdfModel._sample,
    e.Technique: RdfModel._technique,
    e.Dataset: RdfModel._dataset,
    e.DatasetFiles: RdfModel._dataset_files,
    e.Software: software_quads,
    e.SoftwareVersion: software_version_quads,
    e.AnalysisRun: RdfModel._run,
    e.Publication: publication_quads,
    e.DoiRecord: doi_quads,
}
