"""One SciCat dataset record (raw or derived) as pankg entities.

Besides the :class:`~graph.model.entities.Dataset` itself a record yields the people it names, its
techniques, and, for a derived dataset, the provenance chain: the dataset ``wasGeneratedBy`` an
:class:`~graph.model.entities.AnalysisRun` (PID ``dataset:<dataset pid>``) that ``used`` the
``inputDatasets``, ran the ``usedSoftware`` as its plans and had the ``jobParameters`` as parameters,
with the ``investigator`` as its agent. ``usedSoftware`` entries are usually URLs (a repository, a
notebook, a DOI): the URL is the software's identity (a DOI URL becomes the DOI node) and, unless it
is a DOI, its repository; SciCat gives no version, so the version is ``unknown``.

Access: ``isPublished`` decides (absent means false, as in SciCat); ``dateOfPublishing`` is kept as
the embargo end. The run takes the access of its dataset, and so do the people the record names
(owner, principal investigator, investigator): known from it only, they are restricted with it
(``known_from``, docs/access.md §1), since their IRIs are minted from the dataset's PID.
"""

from __future__ import annotations

from typing import Any

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.iris import doi_iri, orcid_iri
from loaders.fields import as_list, checked_iri, described, flag, is_url, section, text, texts
from loaders.licences import licence
from loaders.scicat_context import Context, DatasetAccess
from loaders.scicat_parameters import parameters
from loaders.scicat_values import count, date_value, person, technique_label, technique_pid

UNKNOWN_VERSION = "unknown"
KINDS = ("raw", "derived")

MAPPED = frozenset(
    [
        "pid",
        "_id",
        "type",
        "datasetName",
        "description",
        "creationTime",
        "owner",
        "ownerEmail",
        "orcidOfOwner",
        "contactEmail",
        "principalInvestigator",
        "investigator",
        "sourceFolder",
        "sourceFolderHost",
        "size",
        "packedSize",
        "numberOfFiles",
        "license",
        "isPublished",
        "ownerGroup",
        "accessGroups",
        "createdAt",
        "updatedAt",
        "datasetlifecycle",
        "techniques",
        "scientificMetadata",
        "keywords",
        "sampleId",
        "sampleIds",
        "instrumentId",
        "instrumentIds",
        "proposalId",
        "proposalIds",
        "inputDatasets",
        "usedSoftware",
        "jobParameters",
    ]
)
NOT_MAPPED = frozenset(
    [
        "numberOfFilesArchived",
        "classification",
        "version",
        "history",
        "createdBy",
        "updatedBy",
        "jobLogData",
        "__v",
    ]
)
KNOWN = MAPPED | NOT_MAPPED


def dataset_access(record: dict[str, Any]) -> DatasetAccess | None:
    """The access facts of a dataset for the index of the load, read as :func:`dataset_entities` reads
    them so that files listed apart get the key of the dataset's details; None for a record too broken
    to say."""
    try:
        end = date_value(section(record, "datasetlifecycle"), "dateOfPublishing")
        groups = tuple(sorted({text(record, "ownerGroup"), *texts(record, "accessGroups")} - {""}))
        proposal = text(record, "proposalId") or next(iter(texts(record, "proposalIds")), "")
        return DatasetAccess(flag(record, "isPublished", False), end.date() if end else None, groups, proposal)
    except RecordInvalid:
        return None


def dataset_entities(pid: str, r: dict[str, Any], ctx: Context) -> list[e.Entity]:
    kind = r.get("type")
    if kind not in KINDS:
        raise RecordInvalid(f"expected 'raw' or 'derived', got {kind!r}", field="type")
    ctx.note_fields(r, KNOWN)
    scope = f"dataset:{pid}"
    found: list[e.Entity] = []
    lifecycle = section(r, "datasetlifecycle")
    embargo = date_value(lifecycle, "dateOfPublishing")
    instrument = _one(r, "instrumentId", "instrumentIds", pid, ctx)
    # The people this record names are known from it only: restricted with its details (docs/access.md §1).
    access = e.RecordAccess(
        public=flag(r, "isPublished", False),
        embargo_end=embargo.date() if embargo else None,
        owner_group=text(r, "ownerGroup"),
        access_groups=texts(r, "accessGroups"),
        proposal=_one(r, "proposalId", "proposalIds", pid, ctx),
    )

    def someone(role: str, name_key: str, **extra: str) -> str:
        who = person(scope, role, text(r, name_key), known_from=access, **extra)
        if who is None:
            return ""
        found.append(who)
        return who.pid

    orcid = text(r, "orcidOfOwner")
    owner = someone("owner", "owner", orcid=orcid, email=text(r, "ownerEmail"))
    if orcid and not orcid_iri(orcid):
        ctx.warn(f"not a valid ORCID iD: {orcid!r} (the owner is kept without it)", pid, "orcidOfOwner")
    retention = date_value(lifecycle, "archiveRetentionTime")
    licence_text = text(r, "license")
    licence_id = licence(licence_text) if licence_text else ""
    if licence_id is None:
        ctx.warn(f"not a licence IRI or SPDX id: {licence_text!r} (not mapped)", pid, "license")
    dataset = e.Dataset(
        pid=pid,
        title=text(r, "datasetName") or pid,
        kind=kind,
        description=text(r, "description"),
        created=date_value(r, "creationTime"),
        instrument=instrument,
        proposal=access.proposal,
        techniques=_techniques(r, found),
        samples=_refs(r, "sampleId", "sampleIds", "sample", pid, ctx),
        creators=(owner,) if owner else (),
        parameters=parameters(
            r.get("scientificMetadata"),
            report=ctx.report,
            file=ctx.file,
            record=pid,
            field="scientificMetadata",
        ),
        license=licence_id or "",
        embargo_end=access.embargo_end,
        public=access.public,
        principal_investigator=someone("principalInvestigator", "principalInvestigator"),
        size=count(r, "size"),
        packed_size=count(r, "packedSize"),
        number_of_files=count(r, "numberOfFiles"),
        source_folder=text(r, "sourceFolder"),
        source_folder_host=text(r, "sourceFolderHost"),
        contact_email=text(r, "contactEmail"),
        keywords=texts(r, "keywords"),
        submitted=date_value(r, "createdAt"),
        modified=date_value(r, "updatedAt"),
        retention_end=retention.date() if retention else None,
        owner_group=access.owner_group,
        access_groups=access.access_groups,
    )
    # The dataset before its run: the model keys a restricted run like its output, once it has mapped it.
    found.append(dataset)
    if kind == "derived" or any(r.get(k) for k in ("inputDatasets", "usedSoftware", "jobParameters")):
        # The run states the dataset's side of the chain too (wasGeneratedBy, wasDerivedFrom), in the
        # dataset's own access level: the dataset entity does not repeat it.
        found.append(_run(pid, r, dataset, someone("investigator", "investigator"), found, ctx))
    return found


def _run(
    pid: str, r: dict[str, Any], dataset: e.Dataset, agent: str, found: list[e.Entity], ctx: Context
) -> e.AnalysisRun:
    """The analysis run that generated a derived dataset, with its software as plans."""
    inputs = texts(r, "inputDatasets")
    for source in inputs:
        ctx.check("dataset", source, pid, "inputDatasets")
    versions = []
    for ref in texts(r, "usedSoftware"):
        if is_url(ref):
            checked_iri(ref, "usedSoftware")
        found.append(e.Software(ref, ref, repository=ref if is_url(ref) and not doi_iri(ref) else ""))
        version = e.SoftwareVersion(ref, UNKNOWN_VERSION)
        found.append(version)
        versions.append(version.pid)
    return e.AnalysisRun(
        pid=f"dataset:{pid}",
        software_version=versions[0] if versions else "",
        more_software=tuple(versions[1:]),
        inputs=inputs,
        outputs=(pid,),
        agent=agent,
        parameters=parameters(
            r.get("jobParameters"), report=ctx.report, file=ctx.file, record=pid, field="jobParameters"
        ),
        public=not ctx.model.is_restricted(dataset),
    )


def _techniques(r: dict[str, Any], found: list[e.Entity]) -> tuple[str, ...]:
    pids = []
    for item in as_list(r.get("techniques"), "techniques"):
        if isinstance(item, str):
            item = {"pid": item}
        if not isinstance(item, dict):
            raise RecordInvalid(f"expected a technique object or PID, got {described(item)}", field="techniques")
        # Without a pid the name's last step is the technique's words, resolved like any name (model.py).
        pid = technique_pid(text(item, "pid")) or technique_label(text(item, "name"))
        if not pid:
            raise RecordInvalid("a technique needs a pid or a name", field="techniques")
        if is_url(pid):
            checked_iri(pid, "techniques.pid")
        found.append(e.Technique(pid, technique_label(text(item, "name"))))
        pids.append(pid)
    return tuple(pids)


def _refs(r: dict[str, Any], one: str, many: str, collection: str, pid: str, ctx: Context) -> tuple[str, ...]:
    """A reference given as a single PID (SciCat 3: ``sampleId``) or a list (SciCat 4: ``sampleIds``)."""
    found: tuple[str, ...] = (text(r, one),) if text(r, one) else ()
    found += tuple(v for v in texts(r, many) if v not in found)
    for ref in found:
        ctx.check(collection, ref, pid, one if ref == text(r, one) else many)
    return found


def _one(r: dict[str, Any], one: str, many: str, pid: str, ctx: Context) -> str:
    """The model keeps one instrument and one proposal per dataset: the first, with a warning for the rest."""
    refs = _refs(r, one, many, one.removesuffix("Id"), pid, ctx)
    if len(refs) > 1:
        ctx.warn(f"{len(refs)} given, only the first ({refs[0]!r}) is kept", pid, many)
    return refs[0] if refs else ""
