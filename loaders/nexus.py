"""Loads the metadata of NeXus/HDF5 files (``pankg load nexus PATH...``), one source per file.

Each NXentry becomes a raw dataset with its sample, users, instrument, technique and parameters
(:mod:`loaders.nexus_map`, documented in ``docs/mapping-nexus.md``); the harvest
(:mod:`loaders.nexus_read`) reads attributes and single-valued fields only, never a data array.

A source's content hash is a digest of what the harvest read (plus the file's relative path, which
PIDs are minted from, its size and the options), not of the file's bytes: hashing a 100 GB file to
learn that its 2 kB of metadata did not change would read all the data this loader exists to avoid.

Strict (the default): a file with one bad entry loads nothing. Lenient: the good entries load and the
bad ones are listed. A file that is not HDF5 or has no NXentry fails in both modes (with
``pankg load --lenient`` the other files still load).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.model.writer import Quad, RdfModel
from loaders import nexus_worker
from loaders.base import DEFAULT_OPTIONS, LoadOptions, LoadReport, expand_paths
from loaders.nexus_map import FileContext, entry_entities
from loaders.nexus_read import NexusFile
from loaders.records import record_quads

NAME = "nexus"
SUFFIXES = frozenset({".nxs", ".h5", ".hdf5", ".nx5"})
MAPPING_VERSION = "2"  # 2: users of an embargoed entry restricted with it
"""Bump when the mapping changes, so unchanged files are mapped again."""


@dataclass
class NexusFileSource:
    """One NeXus file; ``root`` is the directory it was found under (its PIDs are relative to it)."""

    path: Path
    root: Path
    lenient: bool = False
    kind: str = NAME
    _harvest: NexusFile | None = field(default=None, repr=False, compare=False)

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def relative(self) -> str:
        return self.path.relative_to(self.root).as_posix()

    def harvest(self) -> NexusFile:
        """Read the file's metadata again (a source object may outlive a change of its file), in the worker
        process that a damaged file cannot hang (:mod:`loaders.nexus_worker`)."""
        self._harvest = nexus_worker.harvest(self.path)
        return self._harvest

    def content_hash(self) -> str:
        harvest = self.harvest()
        digest = hashlib.sha256(f"{MAPPING_VERSION}|{self.relative}|{self.lenient}".encode())
        digest.update(repr(harvest).encode())  # plain dataclasses, dicts in name order: a stable text
        return digest.hexdigest()

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        harvest = self._harvest or self.harvest()
        ctx = FileContext(self.location, self.relative, harvest.size, report)
        # Entries of one file share techniques, instruments, people and organizations: each entity written once.
        entries = ((entry.path, entry) for entry in harvest.entries)
        return record_quads(entries, lambda entry: entry_entities(entry, ctx),
                            model, file=self.location, lenient=self.lenient, report=report, shared=None)


def sources(paths: list[str], options: LoadOptions = DEFAULT_OPTIONS) -> list[NexusFileSource]:
    """One source per file; a directory stands for the NeXus files under it (.nxs, .h5, .hdf5, .nx5).

    PIDs minted from paths are relative to the directory given (for a file given by itself, to its own
    directory). A file named twice is loaded once, as the first path that named it."""
    found: dict[Path, NexusFileSource] = {}
    for file, root in expand_paths(paths, SUFFIXES, recursive=True, label="NeXus"):
        found.setdefault(file, NexusFileSource(file, root, options.lenient))
    return list(found.values())
