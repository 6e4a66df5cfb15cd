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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.entities import Entity
from graph.model import Quad, RdfModel
from loaders.base import LoadReport, entity_quads, expand_paths
from loaders.nexus_map import FileContext, entry_entities
from loaders.nexus_read import NexusFile, read_file
from loaders.records import map_records

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
        """Read the file's metadata again (a source object may outlive a change of its file)."""
        self._harvest = read_file(self.path)
        return self._harvest

    def content_hash(self) -> str:
        harvest = self.harvest()
        digest = hashlib.sha256(f"{MAPPING_VERSION}|{self.relative}|{self.lenient}".encode())
        digest.update(repr(harvest).encode())  # plain dataclasses, dicts in name order: a stable text
        return digest.hexdigest()

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        harvest = self._harvest or self.harvest()
        ctx = FileContext(self.location, self.relative, harvest.size, report)
        entities = map_records(((entry.path, entry) for entry in harvest.entries),
                               lambda entry: entry_entities(entry, ctx), file=self.location,
                               lenient=self.lenient, report=report)
        return entity_quads(_unique(entities), model, report)


def _unique(entities: Iterable[Entity]) -> Iterator[Entity]:
    """Each entity once: entries of one file share techniques, instruments, people and organizations."""
    seen: set[Entity] = set()
    for entity in entities:
        if entity not in seen:
            seen.add(entity)
            yield entity


def sources(paths: list[str], lenient: bool = False) -> list[NexusFileSource]:
    """One source per file; a directory stands for the NeXus files under it (.nxs, .h5, .hdf5, .nx5).

    PIDs minted from paths are relative to the directory given (for a file given by itself, to its own
    directory). A file named twice is loaded once, as the first path that named it."""
    found: dict[Path, NexusFileSource] = {}
    for file, root in expand_paths(paths, SUFFIXES, recursive=True, label="NeXus"):
        found.setdefault(file, NexusFileSource(file, root, lenient))
    return list(found.values())
