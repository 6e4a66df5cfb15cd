"""What every loader hands to the store, and the report it gives back.

The loader contract, which every module of :data:`loaders.LOADERS` satisfies (mypy checks it there): a
:class:`Loader` is a module with a ``NAME`` and a ``sources(paths, options)`` function that turns the paths or
URLs given into :class:`Source` objects. A source knows its kind, its location, a hash of its content (so an
unchanged source is not reloaded) and how to produce its quads through the
:class:`~graph.model.writer.RdfModel`. :func:`load` writes one source atomically. What a load asks besides the
paths comes as :class:`LoadOptions`, from the caller (``pankg``'s settings): a loader reads no environment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal, Protocol

from graph.errors import SourceUnavailable
from graph.model.entities import (
    Entity,
    Facility,
    Instrument,
    Organization,
    Person,
    Software,
    SoftwareVersion,
    Technique,
)
from graph.model.writer import Quad, RdfModel
from graph.store.embedded import GraphStore, LoadResult
from graph.techniques.names import TechniqueNames
from graph.techniques.vocabulary import technique_names


@dataclass(frozen=True)
class LoadWarning:
    """Something a data manager should fix: where (file, record, field) and what."""

    message: str
    file: str = ""
    record: str = ""
    field: str = ""

    def __str__(self) -> str:
        parts = (("file", self.file), ("record", self.record), ("field", self.field))
        where = ", ".join(f"{k} {v}" for k, v in parts if v)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class LoadReport:
    """What one load did: the store's result plus counts per entity kind and warnings."""

    kind: str
    location: str
    result: LoadResult | None = None
    entities: Counter[str] = field(default_factory=Counter)
    warnings: list[LoadWarning] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    passed_over: list[str] = field(default_factory=list)
    """Files of a directory given that the loader does not read (named, so that none goes missing unseen)."""

    @property
    def changed(self) -> bool:
        return bool(self.result and self.result.changed)


class Source(Protocol):
    """One unit of loading: replaced as a whole, atomically. ``kind`` and ``location`` are read only (a class
    attribute, a dataclass field or a property all do)."""

    @property
    def kind(self) -> str:
        """The source kind (``scicat``, ...): with the location, what names the source in the store."""
        ...

    @property
    def location(self) -> str:
        """Where the source comes from (a file, a URL, ``pankg:demo``)."""
        ...

    def content_hash(self) -> str:
        """A digest of everything the quads depend on (content and options)."""
        ...

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        """The source's quads; counts entities and adds warnings to ``report`` as it goes."""
        ...


@dataclass(frozen=True)
class LoadOptions:
    """What a load asks of its loader besides the paths, passed in by the caller (``pankg load`` builds it from
    its settings), so that a loader does the same whoever calls it and whatever the environment holds."""

    lenient: bool = False
    """Skip bad records and list them, instead of failing the source at its first one (:mod:`loaders.records`)."""
    panet_reason: str = "auto"
    """When ``panet`` runs HermiT: ``auto``, ``always`` or ``never`` (:mod:`loaders.panet_reason`)."""
    scicat_token: str = field(default="", repr=False)
    """The bearer token a SciCat API source sends (:mod:`loaders.scicat_api`); never in a repr or a message."""


DEFAULT_OPTIONS = LoadOptions()


class FindSources(Protocol):
    """``sources(paths, options)``: the sources that the paths or URLs given on the command line stand for,
    checked before anything is written (a path that does not exist raises here)."""

    def __call__(self, paths: list[str], options: LoadOptions = ..., /) -> Sequence[Source]: ...


class Loader(Protocol):
    """A loader module (``loaders/<kind>.py``): its ``pankg load`` name and its :class:`FindSources`."""

    @property
    def NAME(self) -> str:
        """The kind ``pankg load KIND`` names (a module constant; a read-only member, so a ``str`` satisfies it)."""
        ...

    def sources(self, paths: list[str], options: LoadOptions = ..., /) -> Sequence[Source]:
        """See :class:`FindSources`."""
        ...


SHARED_KINDS: tuple[type, ...] = (Facility, Instrument, Organization, Person, Software, SoftwareVersion, Technique)
"""Entities that many records of a source name again and again, each time identically (a software used by
thousands of derived datasets, a technique, a person): written and counted once per source."""


def entity_quads(entities: Iterable[Entity], model: RdfModel, report: LoadReport) -> Iterator[Quad]:
    """Quads of a stream of entities, counting each entity under its kind's name; a shared entity equal to
    one already written in this stream is skipped (the store would drop its quads as duplicates anyway)."""
    counts = report.entities
    quads = model.quads
    seen: set[Entity] = set()
    for entity in entities:
        if isinstance(entity, SHARED_KINDS):
            if entity in seen:
                continue
            seen.add(entity)
        counts[type(entity).__name__] += 1
        yield from quads(entity)


@dataclass
class RecordFileSource:
    """A source that is one file read record by record: located by its path, unchanged while its bytes,
    the loader's mapping version and the mode (strict or lenient) are. Loaders subclass it with their
    ``kind``, ``mapping_version`` and ``quads``."""

    path: Path
    lenient: bool = False
    kind: ClassVar[str] = ""
    mapping_version: ClassVar[str] = "1"

    @property
    def location(self) -> str:
        return str(self.path)

    def content_hash(self) -> str:
        return file_hash(self.path, self.mapping_version, str(self.lenient))


def expand_paths(
    paths: list[str],
    suffixes: Collection[str],
    *,
    recursive: bool,
    label: str,
    wanted: Callable[[Path], bool] | None = None,
    what: str = "",
    passed_over: list[Path] | None = None,
) -> list[tuple[Path, Path]]:
    """The files the command line names: ``(file, root)`` pairs, resolved, in a stable order.

    A file stands for itself (its root is its directory, whatever its suffix); a directory stands for the
    files with one of ``suffixes`` directly in it, or anywhere under it when ``recursive`` (their root is
    the directory given), that ``wanted`` accepts when given; the ones it refuses go to ``passed_over`` so
    the load can name them. A path that does not exist, and a directory without one such file, is
    :class:`SourceUnavailable`: a load that finds nothing to read must not look like one that read it all.
    ``label`` names the files in that error ("NeXus"), ``what`` replaces the suffix list after it.
    """
    found: list[tuple[Path, Path]] = []
    for text in paths:
        path = Path(text).resolve()
        if path.is_dir():
            candidates = path.rglob("*") if recursive else path.iterdir()
            files = [f for f in sorted(candidates) if f.is_file() and f.suffix.lower() in suffixes]
            taken = [f for f in files if wanted is None or wanted(f)]
            if passed_over is not None:
                passed_over += [f for f in files if f not in taken]
            if not taken:
                patterns = what or ", ".join(f"*{suffix}" for suffix in sorted(suffixes))
                where = "under" if recursive else "directly in"
                raise SourceUnavailable(f"no {label} files ({patterns}) {where} {text}")
            found += [(f, path) for f in taken]
        elif path.is_file():
            found.append((path, path.parent))
        else:
            raise SourceUnavailable(f"{text}: no such file or directory")
    return found


def file_hash(path: Path, *extra: str) -> str:
    """SHA-256 of a file's bytes and of the options that change its mapping."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    for item in extra:
        digest.update(b"\0" + item.encode())
    return digest.hexdigest()


VERBATIM_KINDS = frozenset({"panet", "rdf"})
"""Sources written as they are (ontologies, RDF files): no technique names to resolve, and their content hash
must not depend on the ontologies in the store (a PaNET reload would otherwise never be "unchanged")."""


def load(
    store: GraphStore,
    source: Source,
    *,
    as_of: dt.date | None = None,
    force: bool = False,
    techniques: TechniqueNames | None | Literal["store"] = "store",
) -> LoadReport:
    """Write one source into the store, replacing what it held before; returns the report.

    Technique names are resolved against ``techniques``: by default the technique ontologies already in
    the store (none: names stay names); pass :func:`graph.techniques.vocabulary.technique_names` with a
    facility's pinned names, or None to resolve nothing.
    """
    if source.kind in VERBATIM_KINDS:
        techniques = None
    names = technique_names(store) if techniques == "store" else techniques
    report = LoadReport(source.kind, source.location, passed_over=list(getattr(source, "passed_over", ())))
    model = RdfModel(store.minter, as_of=as_of, techniques=names)
    report.result = store.replace_source(
        source.kind,
        source.location,
        source.content_hash() + (f"|techniques {names.fingerprint}" if names else ""),
        source.quads(model, report),
        force=force,
        as_of=model.as_of,
        next_release=lambda: model.next_release,
    )
    if not report.changed:
        report.entities.clear()
        report.skipped.append(f"{source.location}: unchanged since the last load")
    for problem in model.technique_problems.values():
        report.warnings.append(LoadWarning(problem, file=source.location, field="technique"))
    return report
