"""The SciCat collections around datasets, each record as pankg entities.

- Instrument: an :class:`~graph.model.entities.Instrument` named by its PID.
- Proposal: a :class:`~graph.model.entities.Proposal`; its principal investigator and its main proposer
  (``pi_*`` and ``firstname``/``lastname``/``email``) are two people minted inside the proposal.
- Sample: a :class:`~graph.model.entities.Sample`; SciCat has no sample name, so the description is its label.
- OrigDatablock: the files of a dataset (:class:`~graph.model.entities.DatasetFiles`), with the dataset's
  access (published, embargo end, groups, proposal) as the Dataset collection of the same load says;
  when it does not say, restricted to the block's own ``ownerGroup``/``accessGroups``, else to staff.
- PublishedData: a :class:`~graph.model.entities.DoiRecord` covering the datasets of ``pidArray``; creators are
  names, minted inside the DOI record ("al." of a truncated author list is not a person: skipped, with a
  warning); DOIs found in ``relatedPublications`` become ``IsReferencedBy`` relations.
- Job: an :class:`~graph.model.entities.AnalysisRun` that used the datasets of ``jobParams.datasetList``, with
  the job type as its ``dcterms:type``; a job naming no dataset is no provenance and is skipped.
"""

from __future__ import annotations

import re
from typing import Any

from graph.errors import RecordInvalid
from graph.model import entities as e
from loaders.fields import (
    as_list,
    as_objects,
    as_text,
    checked_iri,
    described,
    flag,
    is_url,
    missing,
    section,
    text,
    texts,
)
from loaders.records import bare_message
from loaders.scicat_context import Context
from loaders.scicat_parameters import parameters
from loaders.scicat_values import count, date_value, person, unwrap

_BOOKKEEPING = "_id id createdBy updatedBy createdAt updatedAt __v"
KNOWN = {
    "instrument": frozenset(f"pid uniqueName name {_BOOKKEEPING}".split()),
    "proposal": frozenset(
        f"proposalId title abstract pi_email pi_firstname pi_lastname email firstname lastname ownerGroup "
        f"accessGroups MeasurementPeriodList {_BOOKKEEPING}".split()
    ),
    "sample": frozenset(
        f"sampleId description sampleCharacteristics isPublished ownerGroup accessGroups "
        f"{_BOOKKEEPING}".split()
    ),
    "origdatablock": frozenset(
        f"datasetId dataFileList size chkAlg ownerGroup accessGroups {_BOOKKEEPING}".split()
    ),
    "publisheddata": frozenset(
        f"doi creator publisher publicationYear title url abstract dataDescription resourceType numberOfFiles "
        f"sizeOfArchive pidArray registeredTime status scicatUser thumbnail relatedPublications downloadLink "
        f"{_BOOKKEEPING}".split()
    ),
    "job": frozenset(
        f"type statusCode statusMessage jobParams jobResultObject isPublished ownerUser ownerGroup accessGroups "
        f"contactEmail configVersion {_BOOKKEEPING}".split()
    ),
}
NOT_A_PERSON = frozenset({"al.", "al", "et al.", "et al", "et. al."})
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/[^\s\"'<>]+")


def instrument_entities(pid: str, r: dict[str, Any], ctx: Context) -> list[e.Entity]:
    ctx.note_fields(r, KNOWN["instrument"])
    return [e.Instrument(pid, text(r, "name") or text(r, "uniqueName") or pid)]


def proposal_entities(pid: str, r: dict[str, Any], ctx: Context) -> list[e.Entity]:
    ctx.note_fields(r, KNOWN["proposal"])
    scope = f"proposal:{pid}"
    pi = person(
        scope,
        "principalInvestigator",
        "",
        email=text(r, "pi_email"),
        given=text(r, "pi_firstname"),
        family=text(r, "pi_lastname"),
    )
    proposer = person(
        scope, "proposer", "", email=text(r, "email"), given=text(r, "firstname"), family=text(r, "lastname")
    )
    people: list[e.Entity] = [p for p in (pi, proposer) if p is not None]
    return people + [
        e.Proposal(
            pid,
            text(r, "title") or pid,
            principal_investigator=pi.pid if pi else "",
            abstract=text(r, "abstract"),
            proposer=proposer.pid if proposer else "",
            owner_group=text(r, "ownerGroup"),
            access_groups=texts(r, "accessGroups"),
        )
    ]


def sample_entities(pid: str, r: dict[str, Any], ctx: Context) -> list[e.Entity]:
    ctx.note_fields(r, KNOWN["sample"])
    description = text(r, "description")
    return [
        e.Sample(
            pid,
            description or pid,
            description=description,
            parameters=parameters(
                r.get("sampleCharacteristics"),
                report=ctx.report,
                file=ctx.file,
                record=pid,
                field="sampleCharacteristics",
            ),
            public=flag(r, "isPublished", False),
            owner_group=text(r, "ownerGroup"),
            access_groups=texts(r, "accessGroups"),
        )
    ]


def datablock_entities(pid: str, r: dict[str, Any], ctx: Context) -> list[e.Entity]:
    ctx.note_fields(r, KNOWN["origdatablock"])
    dataset = text(r, "datasetId")
    if not dataset:
        raise missing("datasetId")
    if r.get("dataFileList") is None:
        raise missing("dataFileList", "a block lists its files")
    entries = as_objects(r["dataFileList"], "dataFileList")
    algorithm = text(r, "chkAlg")
    files = []
    for n, entry in enumerate(entries):
        where = f"dataFileList[{n}]"
        try:
            path = text(entry, "path")
            if not path:
                raise missing("path")
            checksum = text(entry, "chk")
            files.append(
                e.File(
                    path,
                    count(entry, "size"),
                    f"{algorithm}:{checksum}" if checksum and algorithm else checksum,
                    date_value(entry, "time"),
                )
            )
        except RecordInvalid as exc:
            raise RecordInvalid(bare_message(exc), field=f"{where}.{exc.field}") from None
    ctx.check("dataset", dataset, pid, "datasetId")
    return [_files_of(dataset, tuple(files), r, ctx)]


def _files_of(dataset: str, files: tuple[e.File, ...], r: dict[str, Any], ctx: Context) -> e.DatasetFiles:
    """The files with their dataset's access as the Dataset collection of the load says, so they join the
    graph of its details; a dataset it does not hold keeps them restricted to the groups the block names
    (the catalogue says who owns the block), else to staff."""
    facts = (ctx.catalogue.known("dataset") or {}).get(dataset)
    if facts is None:
        return e.DatasetFiles(dataset, files, False, None, text(r, "ownerGroup"), texts(r, "accessGroups"))
    return e.DatasetFiles(
        dataset, files, facts.public, facts.embargo_end, access_groups=facts.groups, proposal=facts.proposal
    )


def published_entities(doi: str, r: dict[str, Any], ctx: Context) -> list[e.Entity]:
    ctx.note_fields(r, KNOWN["publisheddata"])
    names = [as_text(name, f"creator[{n}]") for n, name in enumerate(as_list(r.get("creator"), "creator"))]
    people: list[e.Entity] = []
    for n, name in enumerate(names):
        if name.lower() in NOT_A_PERSON:
            ctx.warn(f"{name!r} is not a person (a truncated author list): skipped", doi, f"creator[{n}]")
            continue
        who = person(f"published-data:{doi}", f"creator{n + 1}", name)
        if who is not None:
            people.append(who)
    parts = texts(r, "pidArray")
    for part in parts:
        ctx.check("dataset", part, doi, "pidArray")
    references = texts(r, "relatedPublications")
    related = []
    for reference in references:
        for found in _DOI_IN_TEXT.findall(reference):
            related.append(e.RelatedIdentifier("IsReferencedBy", found.rstrip(".,;:)]")))
    status = text(r, "status")
    if status and status != "registered":
        ctx.warn(f"status {status!r}: the DOI may not resolve yet", doi, "status")
    year = unwrap(r.get("publicationYear"))
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise RecordInvalid(f"expected a year, got {described(year)}", field="publicationYear")
    return people + [
        e.DoiRecord(
            doi,
            text(r, "title") or doi,
            publisher=text(r, "publisher"),
            year=year,
            resource_type=text(r, "resourceType") or "Dataset",
            creators=tuple(p.pid for p in people if isinstance(p, e.Person)),
            parts=parts,
            related=tuple(dict.fromkeys(related)),
            abstract=text(r, "abstract"),
            description=text(r, "dataDescription"),
            url=_url(r, "url", doi, ctx),
            download_url=_url(r, "downloadLink", doi, ctx),
            registered=date_value(r, "registeredTime"),
            references=references,
        )
    ]


def job_entities(pid: str, r: dict[str, Any], ctx: Context) -> list[e.Entity]:
    ctx.note_fields(r, KNOWN["job"])
    params = dict(section(r, "jobParams"))
    listed = params.pop("datasetList", None) or []
    if not isinstance(listed, list) or not all(
        isinstance(d, dict) and isinstance(d.get("pid"), str) for d in listed
    ):
        raise RecordInvalid("expected a list of objects with a pid", field="jobParams.datasetList")
    inputs = tuple(dict.fromkeys(d["pid"].strip() for d in listed if d["pid"].strip()))
    if not inputs:
        ctx.report.skipped.append(
            f"file {ctx.file}, record {pid}: a job naming no dataset records no provenance"
        )
        return []
    for n, dataset in enumerate(inputs):
        ctx.check("dataset", dataset, pid, f"jobParams.datasetList[{n}].pid")
    status = text(r, "statusCode")
    return [
        e.AnalysisRun(
            pid=pid,
            inputs=inputs,
            started=date_value(r, "createdAt"),
            ended=date_value(r, "updatedAt") if status.lower().startswith("finished") else None,
            parameters=parameters(params, report=ctx.report, file=ctx.file, record=pid, field="jobParams"),
            public=flag(r, "isPublished", False),
            activity_type=text(r, "type"),
            status=status,
        )
    ]


def _url(r: dict[str, Any], key: str, record: str, ctx: Context) -> str:
    """A link the record gives: kept if it is an http(s) IRI, else reported and left out (the record stays)."""
    value = text(r, key)
    if not value:
        return ""
    if is_url(value):
        try:
            return checked_iri(value, key)
        except RecordInvalid:
            pass
    ctx.warn(f"not an http(s) IRI: {value!r} (not mapped)", record, key)
    return ""
