"""PaNOSC search-API records to pankg entities, once every record of a file has been checked.

The rules, field by field, are in ``docs/mapping-panosc.md``. In short:

- A **Dataset** becomes a raw dataset with its instrument (and the instrument's facility), techniques,
  samples, files and parameters; ``isPublic`` is its access flag and the latest ``releaseDate`` of its
  documents its embargo end.
- A **Document** becomes what its ``type`` says: ``proposal`` (also ``experiment``, ``investigation``)
  a proposal, which its datasets name as their proposal; any other type (``publication``, ...) a DOI
  record covering its datasets when its ``pid`` or ``doi`` is a DOI (of type ``publication``: also a
  publication, on the same DOI node), else a publication. A proposal with
  a ``doi`` also gets that DOI record. A document's ``license`` and ``keywords`` and its parameters go to
  each of its datasets.
- A **Member** links its person to its document: ``principal investigator`` is the proposal's PI, every
  member of a DOI record or publication is one of its creators; other roles of a proposal have no home
  in the model (a warning names them). The member's affiliation becomes one of the person's.
- **People** are named by their ORCID where the record has a valid one, else by their ``id`` as given:
  never by name. An **Affiliation** is an organization named by its ``name``. A proposal under embargo
  hides its PI link, and the people and affiliations only it names (:mod:`loaders.panosc_people`).

References that name no record of the file are warnings naming file, record and field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.model import entities as e
from graph.model.iris import doi_iri, orcid_iri, panet_iri
from loaders.base import LoadReport, LoadWarning
from loaders.licences import licence
from loaders.panosc_people import Membership, document_access, organizations, people
from loaders.records import parameter

Records = dict[str, dict[str, dict[str, Any]]]
"""``{model: {record name: checked record}}``; a record is named after its PID (or its key in the file)."""

PROPOSAL_TYPES = frozenset({"proposal", "experiment", "investigation"})
PI_ROLES = frozenset({"principal investigator", "principal_investigator", "principalinvestigator", "pi"})


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def is_proposal(document: dict[str, Any]) -> bool:
    return _norm(document["type"]) in PROPOSAL_TYPES


def document_doi(document: dict[str, Any]) -> str:
    """The DOI a document is published under: its ``doi``, else its ``pid`` when that is a DOI; else ""."""
    for key in ("doi", "pid"):
        value = document.get(key, "")
        if value and doi_iri(value):
            return str(value)
    return ""


@dataclass
class Mapper:
    """Builds the entities of one file's checked records, warning about what it cannot link."""

    file: str
    records: Records
    report: LoadReport
    _unhomed_roles: set[str] = field(default_factory=set)
    _bad_licences: set[str] = field(default_factory=set)
    _index: dict[str, dict[str, tuple[str, dict[str, Any]]]] = field(default_factory=dict)

    def warn(self, message: str, record: str, field_name: str = "") -> None:
        self.report.warnings.append(LoadWarning(message, self.file, record, field_name))

    def by_pid(self, model: str) -> dict[str, tuple[str, dict[str, Any]]]:
        """``{pid: (record name, record)}`` of a model."""
        pid_field = "pid" if model in ("Dataset", "Document", "Instrument", "Technique", "Sample") else "id"
        return {r[pid_field]: (name, r) for name, r in self.records.get(model, {}).items() if pid_field in r}

    def known(self, model: str, pid: str, record: str, field_name: str) -> bool:
        """True if the file holds a ``model`` record ``pid``; else a dangling-reference warning."""
        if pid in self._index[model]:
            return True
        self.warn(f"dangling reference: no {model} {pid!r} in this file", record, field_name)
        return False

    def entities(self) -> Iterator[e.Entity]:
        self._index = {
            model: self.by_pid(model)
            for model in ("Dataset", "Document", "Instrument", "Technique", "Sample", "Person", "Affiliation")
        }
        links = self._links()
        yield from self._facilities_and_instruments()
        yield from self._organizations(links)
        yield from self._people(links)
        yield from self._techniques()
        yield from self._samples(links)
        yield from self._documents(links)
        yield from self._datasets(links)

    # ------------------------------------------------------------------ relations

    def _links(self) -> _Links:
        links = _Links()
        for name, row in self.records.get("DatasetSample", {}).items():
            if self.known("Dataset", row["datasetId"], name, "datasetId") & self.known(
                "Sample", row["sampleId"], name, "sampleId"
            ):
                links.samples[row["datasetId"]].append(row["sampleId"])
        for name, row in self.records.get("DatasetTechnique", {}).items():
            if self.known("Dataset", row["datasetId"], name, "datasetId") & self.known(
                "Technique", row["techniqueId"], name, "techniqueId"
            ):
                links.techniques[row["datasetId"]].append(row["techniqueId"])
        for name, row in self.records.get("DocumentDataset", {}).items():
            if self.known("Dataset", row["datasetId"], name, "datasetId") & self.known(
                "Document", row["documentId"], name, "documentId"
            ):
                links.documents[row["datasetId"]].append(row["documentId"])
                links.datasets[row["documentId"]].append(row["datasetId"])
        for name, f in self.records.get("File", {}).items():
            if self.known("Dataset", f["datasetId"], name, "datasetId"):
                links.files[f["datasetId"]].append(_file(f))
        for name, p in self.records.get("Parameter", {}).items():
            owners = [k for k in ("datasetId", "documentId", "sampleId") if k in p]
            if not owners:
                self.warn("a parameter of no dataset, document or sample: not loaded", name, "datasetId")
                continue
            value = parameter(
                p["name"],
                p["value"],
                p.get("unit", ""),
                report=self.report,
                file=self.file,
                record=name,
                field="unit",
            )
            for key in owners:
                model = {"datasetId": "Dataset", "documentId": "Document", "sampleId": "Sample"}[key]
                if self.known(model, p[key], name, key):
                    links.parameters[(model, p[key])].append(value)
        for name, m in self.records.get("Member", {}).items():
            if not self.known("Document", m["documentId"], name, "documentId"):
                continue
            person = self._person_pid(m["personId"], name) if "personId" in m else ""
            if person:
                links.members[m["documentId"]].append((m.get("role", ""), person, name))
            affiliation = m.get("affiliationId")
            org = ""
            if person and affiliation and self.known("Affiliation", affiliation, name, "affiliationId"):
                org = self._index["Affiliation"][affiliation][1]["name"]
            if person:
                links.memberships[person].append((self._access(m["documentId"]), org))
        return links

    def _access(self, document_pid: str) -> e.RecordAccess | None:
        """The access of what a document alone tells (its team, when it is an embargoed proposal)."""
        document = self._index["Document"][document_pid][1]
        return document_access(document, is_proposal(document))

    def _person_pid(self, person_id: str, record: str) -> str:
        if not self.known("Person", person_id, record, "personId"):
            return person_id  # the link is kept: the person may come from elsewhere
        return _person_key(self._index["Person"][person_id][1])

    # ------------------------------------------------------------------ entities

    def _facilities_and_instruments(self) -> Iterator[e.Entity]:
        facilities = sorted(
            {r["facility"] for r in self.records.get("Instrument", {}).values() if "facility" in r}
        )
        yield from (e.Facility(name, name) for name in facilities)
        for r in self.records.get("Instrument", {}).values():
            yield e.Instrument(r["pid"], r["name"], facility=r.get("facility", ""))

    def _organizations(self, links: _Links) -> Iterator[e.Entity]:
        names = sorted({r["name"] for r in self.records.get("Affiliation", {}).values()})
        yield from organizations(names, links.memberships)

    def _people(self, links: _Links) -> Iterator[e.Entity]:
        persons = []
        for name, r in self.records.get("Person", {}).items():
            if "orcid" in r and not orcid_iri(r["orcid"]):
                self.warn(
                    f"not a valid ORCID iD: {r['orcid']!r}; the person is named by its id", name, "orcid"
                )
            persons.append(
                e.Person(_person_key(r), r["fullName"], r.get("firstName", ""), r.get("lastName", ""))
            )
        # Once per access the person is named under: an embargoed proposal's team is hidden with it.
        yield from people(persons, links.memberships)

    def _techniques(self) -> Iterator[e.Entity]:
        for r in self.records.get("Technique", {}).values():
            yield e.Technique(technique_iri(r), r["name"])

    def _samples(self, links: _Links) -> Iterator[e.Entity]:
        closed = {d["pid"] for d in self.records.get("Dataset", {}).values() if d.get("isPublic") is False}
        for r in self.records.get("Sample", {}).values():
            naming = [ds for ds, samples in links.samples.items() if r["pid"] in samples]
            yield e.Sample(
                r["pid"],
                r["name"],
                description=r.get("description", ""),
                parameters=_unique(links.parameters.get(("Sample", r["pid"]), [])),
                public=not any(ds in closed for ds in naming),
            )

    def _documents(self, links: _Links) -> Iterator[e.Entity]:
        for name, d in self.records.get("Document", {}).items():
            members = links.members.get(d["pid"], [])
            datasets = tuple(dict.fromkeys(links.datasets.get(d["pid"], ())))
            doi = document_doi(d)
            if is_proposal(d):
                pis = [person for role, person, _ in members if _norm(role) in PI_ROLES]
                if len(pis) > 1:
                    self.warn(
                        f"several principal investigators; the first, {pis[0]!r}, is kept", name, "members"
                    )
                for role, _, member in members:
                    if _norm(role) not in PI_ROLES:
                        self._unhomed(role, member)
                yield e.Proposal(
                    d["pid"],
                    d["title"],
                    principal_investigator=pis[0] if pis else "",
                    abstract=d.get("summary", ""),
                    team_access=document_access(d, proposal=True),
                )
                if d.get("doi") and doi:
                    yield self._doi_record(d, doi, (), datasets)
            elif doi:
                creators = tuple(dict.fromkeys(person for _, person, _ in members))
                yield self._doi_record(d, doi, creators, datasets)
                if _norm(d["type"]) == "publication":  # the same DOI node, also typed as a publication
                    yield e.Publication(doi, d["title"], authors=creators, issued=d.get("releaseDate"))
            else:
                creators = tuple(dict.fromkeys(person for _, person, _ in members))
                if datasets:
                    self.warn(
                        "a document without a DOI is written as a publication, which cannot name its "
                        "datasets: the links are not loaded",
                        name,
                        "datasets",
                    )
                yield e.Publication(d["pid"], d["title"], authors=creators, issued=d.get("releaseDate"))

    def _doi_record(
        self, d: dict[str, Any], doi: str, creators: tuple[str, ...], datasets: tuple[str, ...]
    ) -> e.DoiRecord:
        released = d.get("releaseDate")
        return e.DoiRecord(
            doi,
            d["title"],
            resource_type=d["type"],
            creators=creators,
            parts=datasets,
            abstract=d.get("summary", ""),
            year=released.year if released else None,
        )

    def _licence(self, document: dict[str, Any]) -> str:
        """A document's licence as the model takes it (an IRI or an SPDX id, "CC BY 4.0" as CC-BY-4.0); other
        text is reported once, naming the document, and not mapped."""
        found = licence(document["license"])
        if found is None and document["pid"] not in self._bad_licences:
            self._bad_licences.add(document["pid"])
            self.warn(f"not a licence IRI or SPDX id: {document['license']!r} (not mapped)",
                      self._index["Document"][document["pid"]][0], "license")
        return found or ""

    def _unhomed(self, role: str, member: str) -> None:
        key = _norm(role) or "(no role)"
        if key not in self._unhomed_roles:
            self._unhomed_roles.add(key)
            self.warn(
                f"member role {role or '(none)'!r} of a proposal has no home in the model: the person is "
                "loaded, the link to the proposal is not",
                member,
                "role",
            )

    def _datasets(self, links: _Links) -> Iterator[e.Entity]:
        documents = self._index["Document"]
        instruments = self._index["Instrument"]
        techniques = self._index["Technique"]
        for name, r in self.records.get("Dataset", {}).items():
            pid = r["pid"]
            docs = [documents[d][1] for d in dict.fromkeys(links.documents.get(pid, ()))]
            proposals = [d["pid"] for d in docs if is_proposal(d)]
            if len(proposals) > 1:
                self.warn(f"in several proposals; the first, {proposals[0]!r}, is kept", name, "documents")
            instrument = r.get("instrumentId", "")
            facility = ""
            if instrument and self.known("Instrument", instrument, name, "instrumentId"):
                facility = instruments[instrument][1].get("facility", "")
            releases = [d["releaseDate"] for d in docs if "releaseDate" in d]
            params = list(links.parameters.get(("Dataset", pid), []))
            own = {p.name for p in params}
            for d in docs:  # a document's parameters hold for each of its datasets; the dataset's own win
                for p in links.parameters.get(("Document", d["pid"]), []):
                    if p.name in own:
                        self.warn(
                            f"document {d['pid']!r} parameter {p.name!r} is also the dataset's own: "
                            "the dataset's is kept",
                            name,
                            "parameters",
                        )
                    else:
                        params.append(p)
            licenses = list(dict.fromkeys(found for d in docs if "license" in d and (found := self._licence(d))))
            if len(licenses) > 1:
                self.warn(
                    f"its documents give several licences; the first, {licenses[0]!r}, is kept",
                    name,
                    "license",
                )
            yield e.Dataset(
                pid,
                r["title"],
                kind="raw",
                created=r.get("creationDate"),
                facility=facility,
                instrument=instrument,
                proposal=proposals[0] if proposals else "",
                techniques=tuple(
                    dict.fromkeys(technique_iri(techniques[t][1]) for t in links.techniques.get(pid, ()))
                ),
                samples=tuple(dict.fromkeys(links.samples.get(pid, ()))),
                parameters=_unique(params),
                files=_unique_files(links.files.get(pid, [])),
                license=licenses[0] if licenses else "",
                keywords=tuple(dict.fromkeys(k for d in docs for k in d.get("keywords", ()))),
                embargo_end=max(releases) if releases else None,
                public=r.get("isPublic"),
                size=r.get("size"),
            )


@dataclass
class _Links:
    samples: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    techniques: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    documents: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    datasets: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    files: defaultdict[str, list[e.File]] = field(default_factory=lambda: defaultdict(list))
    parameters: defaultdict[tuple[str, str], list[e.Parameter]] = field(
        default_factory=lambda: defaultdict(list)
    )
    members: defaultdict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))
    """document pid -> (role, person pid, member record)"""
    memberships: defaultdict[str, list[Membership]] = field(default_factory=lambda: defaultdict(list))
    """person pid -> (access of the document, affiliation name or "") of each member record naming the person"""


def technique_iri(record: dict[str, Any]) -> str:
    """The PaNET PURL of ``panetId`` (or of ``pid``, when that is a PaNET id), else the technique's pid."""
    for key in ("panetId", "pid"):
        value = record.get(key, "")
        found = panet_iri(value) or (panet_iri(f"panet:{value}") if value.startswith("PaNET") else None)
        if found:
            return found
    return str(record["pid"])


def _person_key(record: dict[str, Any]) -> str:
    orcid = orcid_iri(record.get("orcid", ""))
    return orcid or str(record["id"])


def _file(record: dict[str, Any]) -> e.File:
    """A file's path: ``path`` when it already ends in the file's ``name``, else ``path/name`` (or ``name``)."""
    name, path = record["name"], record.get("path", "")
    if path and not path.rstrip("/").endswith(name):
        path = f"{path.rstrip('/')}/{name}"
    return e.File(path.rstrip("/") if path else name, size=record.get("size"))


def _unique(params: list[e.Parameter]) -> tuple[e.Parameter, ...]:
    """One parameter per name (the first): a parameter node is named after its owner and name."""
    return tuple({p.name: p for p in reversed(params)}[n] for n in dict.fromkeys(p.name for p in params))


def _unique_files(files: list[e.File]) -> tuple[e.File, ...]:
    return tuple({f.path: f for f in reversed(files)}[p] for p in dict.fromkeys(f.path for f in files))
