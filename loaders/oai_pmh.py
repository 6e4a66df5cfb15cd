"""Harvesting oai_datacite metadata from an OAI-PMH endpoint: ``pankg harvest URL [--set S] [--from D] [--until D]``.

Every harvested record is a source of its own (kind ``oai``, location ``<endpoint>#<OAI identifier>``)
written through the mapping of its metadata format (a :class:`MetadataFormat`: ``pankg harvest`` passes
:data:`loaders.datacite_oai.OAI_DATACITE`, the DataCite mapping; this module imports no source's module, the
format comes in as an argument), so each record is replaced atomically
and a record harvested again unchanged changes nothing (its content hash is a digest of its
``<resource>``, not of the header datestamp). A record whose header says ``status="deleted"`` removes its
source from the graph.

The incremental state is a small source too (kind ``oai-state``, location ``<endpoint>`` or
``<endpoint>#set=<S>``): a restricted graph with one node that holds the newest datestamp harvested for
that endpoint and set. It lives in the store like everything else, so it is replaced atomically, shows in
``pankg stats``, and goes with the store when it is copied. The next harvest asks ``from`` that datestamp
when ``--from`` is not given (``from`` is inclusive: the records of that very datestamp come again and are
unchanged). It is saved after every completed page, never inside one, so a harvest that fails at page 7
resumes from the newest datestamp of pages 1-6. That assumes what the big providers do (DataCite,
InvenioRDM, Dataverse list records by datestamp); for a server that does not, ``--from`` an older date
re-harvests safely, since unchanged records cost nothing.

Strict (the default) stops at the first record that is not valid DataCite; ``lenient`` skips it and lists
it. Any failure (an OAI-PMH error, HTTP 4xx/5xx, a stall, malformed XML, a bad record in strict mode) is
a :class:`HarvestStopped`: one line with the cause, what was harvested before it (kept) and where the next
harvest resumes.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from graph.errors import LoaderError, PankgError, RecordInvalid
from graph.model.entities import Entity
from graph.model.nt import iri, literal
from graph.model.quads import RESTRICTED
from graph.model.writer import Quad, RdfModel
from graph.store.embedded import GraphStore
from graph.techniques.names import TechniqueNames
from graph.techniques.vocabulary import technique_names
from loaders.base import LoadReport, LoadWarning, load
from loaders.oai_pages import OaiRecord, list_records
from loaders.records import record_quads
from ontology.namespaces import DCTERMS

NAME = "oai"
STATE_KIND = "oai-state"
Progress = Callable[[int, "int | None"], None]
"""``progress(records done, records in all or None)``, called after every page."""


class MetadataFormat(Protocol):
    """What the harvester needs of a metadata format: its OAI-PMH prefix, the element of a record it maps, and
    the mapping. Structural: a source family provides one without importing this module."""

    @property
    def prefix(self) -> str:
        """The ``metadataPrefix`` asked for (``oai_datacite``)."""
        ...

    @property
    def mapping_version(self) -> str:
        """Part of a record's content hash: bumped when the mapping changes, so records are mapped again."""
        ...

    def payload(self, metadata: ET.Element | None, location: str, record: str) -> ET.Element:
        """The element of a record's ``<metadata>`` to map; :class:`RecordInvalid` naming the record if none."""
        ...

    def entities(self, payload: ET.Element, record: str, file: str, report: LoadReport) -> list[Entity]:
        """The entities of one record's payload; warnings go to ``report``."""
        ...


@dataclass
class HarvestReport:
    """What one harvest did, record by record, and the datestamp it saved for the next one."""

    endpoint: str
    set: str | None = None
    from_: str | None = None
    until: str | None = None
    pages: int = 0
    loaded: int = 0
    unchanged: int = 0
    deleted: int = 0
    removed: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    warnings: list[LoadWarning] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    datestamp: str | None = None

    @property
    def records(self) -> int:
        return self.loaded + self.unchanged + self.deleted + len(self.skipped)

    def summary(self) -> str:
        parts = [f"{self.pages} page{'s' * (self.pages != 1)}", f"{self.loaded} loaded", f"{self.unchanged} unchanged",
                 f"{self.deleted} deleted" + (f" ({self.removed} removed from the graph)" if self.deleted else "")]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return ", ".join(parts)


class HarvestStopped(LoaderError):
    """A harvest that failed part-way: ``cause`` says why, ``report`` what was harvested (and kept) before."""

    def __init__(self, cause: PankgError, report: HarvestReport) -> None:
        self.cause, self.report = cause, report
        resume = f"from {report.datestamp}" if report.datestamp else "from the start"
        before = f"before it: {report.summary()}, kept" if report.records else "nothing harvested before it"
        super().__init__(f"harvest stopped: {cause} ({before}; the next harvest resumes {resume})")


@dataclass
class OaiRecordSource:
    """One harvested record as a source: the payload of its ``<metadata>``, mapped by its metadata format."""

    endpoint: str
    identifier: str
    element: ET.Element
    metadata: MetadataFormat
    kind: ClassVar[str] = NAME

    @property
    def location(self) -> str:
        return record_location(self.endpoint, self.identifier)

    def content_hash(self) -> str:
        digest = hashlib.sha256(ET.tostring(self.element))
        digest.update(f"\0{self.metadata.mapping_version}".encode())
        return digest.hexdigest()

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        location = self.location
        yield from record_quads([(self.identifier, self.element)],
                                lambda payload: self.metadata.entities(payload, self.identifier, location, report),
                                model, file=location, lenient=False, report=report)


def record_location(endpoint: str, identifier: str) -> str:
    """Where a record was harvested from: the endpoint and the record's OAI identifier."""
    return f"{endpoint}#{identifier}"


def state_location(endpoint: str, set_: str | None) -> str:
    """The location of the incremental state of one (endpoint, set)."""
    return f"{endpoint}#set={set_}" if set_ else endpoint


def read_state(store: GraphStore, endpoint: str, set_: str | None) -> str | None:
    """The newest datestamp harvested from (endpoint, set), or None before the first harvest."""
    node = _state_node(store, endpoint, set_)
    _, rows = store.query(f"SELECT ?d WHERE {{ GRAPH ?g {{ {node} <{DCTERMS.modified}> ?d }} }}")
    values = [str(row[0].value) for row in rows if row[0] is not None]
    return max(values) if values else None


def save_state(store: GraphStore, endpoint: str, set_: str | None, datestamp: str) -> None:
    """Record ``datestamp`` as the newest harvested from (endpoint, set); the same datestamp writes nothing."""
    node = _state_node(store, endpoint, set_)
    quads: list[Quad] = [(node, f"<{DCTERMS.source}>", iri(endpoint), RESTRICTED),
                         (node, f"<{DCTERMS.modified}>", literal(datestamp), RESTRICTED)]
    if set_:
        quads.append((node, f"<{DCTERMS.identifier}>", literal(set_), RESTRICTED))
    store.replace_source(STATE_KIND, state_location(endpoint, set_), datestamp, quads)


def _state_node(store: GraphStore, endpoint: str, set_: str | None) -> str:
    return iri(store.minter.minted("harvest", hashlib.sha256(state_location(endpoint, set_).encode()).hexdigest()[:16]))


def harvest(
    store: GraphStore,
    endpoint: str,
    *,
    metadata: MetadataFormat,
    set_: str | None = None,
    from_: str | None = None,
    until: str | None = None,
    lenient: bool = False,
    timeout: float = 60.0,
    progress: Progress | None = None,
) -> HarvestReport:
    """Harvest ``endpoint``'s records of the ``metadata`` format into ``store``; ``from_`` defaults to the saved
    datestamp.

    Raises :class:`HarvestStopped` on any failure, after everything harvested before it has been kept and
    the datestamp of the last completed page saved.
    """
    saved = read_state(store, endpoint, set_)
    report = HarvestReport(endpoint, set_, from_ if from_ is not None else saved, until, datestamp=saved)
    names = technique_names(store)  # the ontologies in the store, read once for every record
    done = 0
    try:
        for page in list_records(endpoint, set_=set_, from_=report.from_, until=until, timeout=timeout,
                                 metadata_prefix=metadata.prefix):
            newest = report.datestamp
            for record in page.records:
                _harvest_record(store, endpoint, record, metadata, report, names, lenient)
                newest = max(newest or "", record.datestamp)
            done += len(page.records)
            report.pages += 1
            if newest and newest != report.datestamp:
                save_state(store, endpoint, set_, newest)
                report.datestamp = newest
            if progress is not None:
                progress(done, page.size)
    except PankgError as exc:
        raise HarvestStopped(exc, report) from None
    return report


def _harvest_record(
    store: GraphStore, endpoint: str, record: OaiRecord, metadata: MetadataFormat, report: HarvestReport,
    names: TechniqueNames | None, lenient: bool,
) -> None:
    """Write, replace or remove one record's source; a bad record raises (strict) or is listed (lenient)."""
    location = record_location(endpoint, record.identifier)
    if record.deleted:
        report.deleted += 1
        report.removed += store.remove_source(NAME, location)
        return
    try:
        element = metadata.payload(record.metadata, location, record.identifier)
        source = OaiRecordSource(endpoint, record.identifier, element, metadata)
        loaded = load(store, source, techniques=names)
    except RecordInvalid as exc:
        if not lenient:
            raise
        report.skipped.append(str(exc))
        return
    if loaded.changed:
        report.loaded += 1
        report.entities.update(loaded.entities)
    else:
        report.unchanged += 1
    report.warnings += loaded.warnings
