"""What the sources of one SciCat load share: the index of the collections given together.

SciCat splits a catalogue into collections (datasets, proposals, origdatablocks, ...) that refer to
each other by PID, and pankg loads each file (or API collection) as its own source. Two things need
the other collections:

- *Dangling references* (``inputDatasets`` naming a dataset nobody has): a warning naming file,
  record and field, checked against the collections given in the same call. A collection that was not
  given cannot be checked, so nothing is said about references into it.
- *Access of files*: an OrigDatablock record does not say whether its dataset is published. Its files
  take the access of their dataset as the Dataset collection of the same call says (published, embargo
  end, the groups that may read it, its proposal), so they land in the graph of the dataset's details;
  a dataset that collection does not hold (or no Dataset collection at all) keeps its files restricted
  to the groups the block names, else to staff: when in doubt, nothing is published.

The index holds PIDs (and, for datasets, the access facts), never whole records, so memory stays small:
datasets read by the same groups share one tuple of group names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graph.errors import LoaderError
from graph.model.writer import RdfModel
from loaders.base import LoadReport, LoadWarning

Reader = Callable[[], list[Any]]


class DatasetAccess(NamedTuple):
    """What the files of a dataset need to be keyed like its details (:meth:`graph.model.writer.RdfModel.hidden`)."""

    public: bool
    """``isPublished``."""
    embargo_end: dt.date | None
    """``datasetlifecycle.dateOfPublishing``."""
    groups: tuple[str, ...] = ()
    """``ownerGroup`` and ``accessGroups``, deduplicated and sorted: every group that may read it."""
    proposal: str = ""
    """The proposal the dataset's details fall back to when no group is named."""


# Where each collection keeps its PID, in order of preference (REST API first, MongoDB export second).
ID_KEYS: dict[str, tuple[str, ...]] = {
    "instrument": ("pid", "_id"),
    "proposal": ("proposalId", "_id"),
    "sample": ("sampleId", "_id"),
    "dataset": ("pid", "_id"),
    "origdatablock": ("_id", "id"),
    "publisheddata": ("doi", "_id"),
    "job": ("id", "_id"),
}


def record_pid(collection: str, record: Any) -> str:
    """The record's PID as text, or "" when it has none (or is not an object)."""
    if not isinstance(record, dict):
        return ""
    for key in ID_KEYS[collection]:
        value = record.get(key)
        if isinstance(value, dict) and "$oid" in value:
            value = value["$oid"]
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


class Catalogue:
    """The collections of one load call, indexed lazily by PID."""

    def __init__(
        self,
        readers: dict[str, list[tuple[str, Reader]]],
        dataset_access: Callable[[dict[str, Any]], DatasetAccess | None],
    ) -> None:
        self._readers = readers
        self._dataset_access = dataset_access
        self._seen: set[str] = set()
        self._index: dict[str, dict[str, DatasetAccess | None]] = {}
        self._shared: dict[object, Any] = {}
        """One object per set of groups and per proposal: a catalogue has far fewer than datasets."""
        self.problems: list[str] = []
        """Collections that could not be read for the index (their own load reports why)."""

    def learn(self, collection: str, location: str, records: list[Any]) -> None:
        """Index records a source has read anyway, so the file is not read a second time."""
        if location in self._seen:
            return
        self._seen.add(location)
        index = self._index.setdefault(collection, {})
        for record in records:
            pid = record_pid(collection, record)
            if pid:
                index[pid] = self._access(record) if collection == "dataset" else None

    def _access(self, record: dict[str, Any]) -> DatasetAccess | None:
        """A dataset's access facts, sharing the groups and proposal of the datasets indexed before: the
        index lives for the whole load, and every dataset of a proposal usually names the same ones."""
        facts = self._dataset_access(record)
        if facts is None:
            return None
        share = self._shared.setdefault
        return facts._replace(groups=share(facts.groups, facts.groups), proposal=share(facts.proposal, facts.proposal))

    def known(self, collection: str) -> dict[str, DatasetAccess | None] | None:
        """PIDs of ``collection`` in this call (with datasets' access), or None if it was not given."""
        readers = self._readers.get(collection)
        if not readers:
            return None
        for location, read in readers:
            if location not in self._seen:
                try:
                    records = read()
                except LoaderError as exc:
                    self._seen.add(location)
                    self.problems.append(f"{location}: {exc}")
                    continue
                self.learn(collection, location, records)
        return self._index.setdefault(collection, {})

    def access_digest(self) -> str:
        """A digest of every dataset's access facts: part of the content hash of sources whose graph
        depends on them (files), so a dataset published later, or read by other groups, rewrites its
        files too."""
        datasets = self.known("dataset")
        if datasets is None:
            return "datasets: not given"
        digest = hashlib.sha256()
        for pid in sorted(datasets):
            digest.update(f"{pid}\0{datasets[pid]}\n".encode())
        return digest.hexdigest()


@dataclass
class Context:
    """What a record mapper needs besides its record: where it is, and where to report."""

    file: str
    collection: str
    report: LoadReport
    model: RdfModel
    catalogue: Catalogue
    unknown: Counter[str] = field(default_factory=Counter)
    _problems_reported: int = 0

    def warn(self, message: str, record: str, field: str = "") -> None:
        self.report.warnings.append(LoadWarning(message, self.file, record, field))

    def check(self, collection: str, pid: str, record: str, field: str) -> None:
        """Warn when ``pid`` names a record the ``collection`` of this call does not hold."""
        known = self.catalogue.known(collection)
        for problem in self.catalogue.problems[self._problems_reported :]:
            self.warn(f"references were not checked against an unreadable collection: {problem}", "")
        self._problems_reported = len(self.catalogue.problems)
        if known is not None and pid not in known:
            self.warn(
                f"dangling reference: no {collection} {pid!r} in the {collection} records loaded "
                "with this one (the link is kept)",
                record,
                field,
            )

    def note_fields(self, record: dict[str, Any], known: frozenset[str]) -> None:
        """Count fields the mapping does not know, reported once per field and file at the end."""
        for key in record:
            if key not in known:
                self.unknown[key] += 1

    def report_unknown(self) -> None:
        for key, n in sorted(self.unknown.items()):
            self.warn(f"unknown SciCat field, not mapped ({n} record{'s' if n != 1 else ''})", "", key)
