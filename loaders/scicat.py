"""Loads SciCat catalogues: the JSON its backend exports (files) or a running backend's REST API (a URL).

``pankg load scicat PATH...|URL``. One source per file or per API collection, each replaced atomically.

Which collection a file holds is read from its name, so a directory of SciCat exports (the scicatlive
seed: ``Dataset.json``, ``Proposal.json``, ...) loads as it is. The rule: lower-case the file's name
without ``.json``, drop ``_`` and ``-``; it must begin with a collection name: ``instrument``,
``proposal``, ``sample``, ``dataset``, ``origdatablock``, ``publisheddata`` or ``job`` (so
``Dataset.json``, ``datasets.json`` and ``published_data-2024.json`` all work). A directory stands for
the ``.json`` files directly inside it whose names follow the rule (others, such as SciCat's
``User.json``, are not catalogue content and are left alone), and a directory without any is an error; a
file named outside the rule is an error. A file holds one JSON array of records or a single record object;
an empty array is an error naming the file, not an empty source.

A URL is the API base (``https://scicat.example.org/api/v3``: every collection) or one collection's
route (``.../api/v3/datasets``); see :mod:`loaders.scicat_api` for paging and the token.

Strict (the default) fails a source at its first bad record, so nothing of that file is written;
``lenient`` skips bad records and lists them. Dangling references are warnings in both modes: the
reference records themselves hold one (``dsl_ds1`` in PublishedData.json). The field-by-field mapping
is in ``docs/mapping-scicat.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import RecordInvalid, SourceUnavailable
from graph.model import entities as e
from graph.model.writer import Quad, RdfModel
from loaders import scicat_api
from loaders.base import DEFAULT_OPTIONS, LoadOptions, LoadReport, file_hash
from loaders.json_yaml import read_json
from loaders.records import record_quads
from loaders.scicat_collections import (
    datablock_entities,
    instrument_entities,
    job_entities,
    proposal_entities,
    published_entities,
    sample_entities,
)
from loaders.scicat_context import ID_KEYS, Catalogue, Context, Reader, record_pid
from loaders.scicat_datasets import dataset_access, dataset_entities
from loaders.scicat_values import as_records

NAME = "scicat"
MAPPING_VERSION = "2"

Mapper = Callable[[str, dict[str, Any], Context], list[e.Entity]]
# In load order: what others refer to first. Datasets before their files so the index is filled once.
MAPPERS: dict[str, Mapper] = {
    "instrument": instrument_entities,
    "proposal": proposal_entities,
    "sample": sample_entities,
    "dataset": dataset_entities,
    "origdatablock": datablock_entities,
    "publisheddata": published_entities,
    "job": job_entities,
}
FILE_PATTERNS = ", ".join(f"{name}*.json" for name in sorted(
    ("Instrument", "Proposal", "Sample", "Dataset", "OrigDatablock", "PublishedData", "Job")))
"""The collection files a directory stands for, as the error for a directory without any names them."""
# Sources whose graph (not only their warnings) depends on another collection: files take their dataset's access.
DEPENDS_ON_DATASETS = frozenset({"origdatablock"})


def collection_of(path: Path) -> str | None:
    """The collection a file holds, by the rule of the module docstring (None if the name says none).

    >>> collection_of(Path("scicatlive/PublishedData.json")), collection_of(Path("datasets_2024.json"))
    ('publisheddata', 'dataset')
    """
    if path.suffix.lower() != ".json":
        return None
    stem = path.stem.lower().replace("_", "").replace("-", "")
    return next((c for c in MAPPERS if stem.startswith(c)), None)


def map_collection(
    collection: str,
    records: list[Any],
    location: str,
    catalogue: Catalogue,
    model: RdfModel,
    report: LoadReport,
    lenient: bool,
) -> Iterator[Quad]:
    """The quads of one collection's records; bad records raise (strict) or are listed (lenient)."""
    ctx = Context(location, collection, report, model, catalogue)
    if collection == "dataset":
        catalogue.learn(collection, location, records)
    mapper = MAPPERS[collection]

    def to_entities(item: tuple[str, Any]) -> list[e.Entity]:
        pid, record = item
        if not isinstance(record, dict):
            raise RecordInvalid(f"expected a record object, got {type(record).__name__}")
        if not pid:  # the key that holds something that is no PID (null, blank, a list), else the exports' key
            keys = " or ".join(ID_KEYS[collection])
            given = next((k for k in ID_KEYS[collection] if k in record), ID_KEYS[collection][-1])
            raise RecordInvalid(f"missing: the record has no PID ({keys})", field=given)
        return mapper(pid, record, ctx)

    # A record without a PID is named by its position in the file (#1 is the first).
    pids = ((record_pid(collection, r), n, r) for n, r in enumerate(records))
    pairs = ((pid or f"#{n + 1}", (pid, r)) for pid, n, r in pids)
    yield from record_quads(pairs, to_entities, model, file=location, lenient=lenient, report=report)
    ctx.report_unknown()


@dataclass
class ScicatFileSource:
    """One exported collection file."""

    path: Path
    collection: str
    catalogue: Catalogue
    lenient: bool = False
    kind: str = NAME

    @property
    def location(self) -> str:
        return str(self.path)

    def content_hash(self) -> str:
        depends = self.catalogue.access_digest() if self.collection in DEPENDS_ON_DATASETS else ""
        return file_hash(self.path, MAPPING_VERSION, self.collection, str(self.lenient), depends)

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        records = as_records(read_json(self.path), self.location)
        if not records:  # `[]`: loading it would empty the source without a word
            raise RecordInvalid(f"no {self.collection} records in it (an empty array)", file=self.location)
        yield from map_collection(
            self.collection, records, self.location, self.catalogue, model, report, self.lenient
        )


@dataclass
class ScicatApiSource:
    """One collection read from a SciCat backend's REST API, fetched once and kept for mapping."""

    url: str
    collection: str
    catalogue: Catalogue
    lenient: bool = False
    page_size: int = scicat_api.PAGE_SIZE
    token: str = field(default="", repr=False)
    """The bearer token to send ("": none); not part of the content hash, and never shown."""
    kind: str = NAME
    _fetched: tuple[list[Any], str] | None = field(default=None, repr=False)

    @property
    def location(self) -> str:
        return self.url

    def records(self) -> list[Any]:
        if self._fetched is None:
            self._fetched = scicat_api.fetch(self.url, self.page_size, self.token)
        return self._fetched[0]

    def content_hash(self) -> str:
        self.records()
        assert self._fetched is not None
        depends = self.catalogue.access_digest() if self.collection in DEPENDS_ON_DATASETS else ""
        extra = f"{MAPPING_VERSION}\0{self.collection}\0{self.lenient}\0{depends}"
        return hashlib.sha256(f"{self._fetched[1]}\0{extra}".encode()).hexdigest()

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        yield from map_collection(
            self.collection, self.records(), self.location, self.catalogue, model, report, self.lenient
        )


ScicatSource = ScicatFileSource | ScicatApiSource


def sources(paths: list[str], options: LoadOptions = DEFAULT_OPTIONS) -> list[ScicatSource]:
    """One source per collection file or API collection, sharing one catalogue index (see the module docstring);
    API sources send ``options.scicat_token``."""
    return sources_with(paths, options)


def sources_with(
    paths: list[str], options: LoadOptions = DEFAULT_OPTIONS, page_size: int = scicat_api.PAGE_SIZE
) -> list[ScicatSource]:
    """:func:`sources` with the API page size as a parameter (tests page through a few records at a time)."""
    lenient = options.lenient
    readers: dict[str, list[tuple[str, Reader]]] = {}
    catalogue = Catalogue(readers, dataset_access)
    found: list[ScicatSource] = []
    for text in paths:
        if text.startswith(("http://", "https://")):
            base, collections = scicat_api.split_url(text)
            found += [
                ScicatApiSource(f"{base}/{scicat_api.ROUTES[c]}", c, catalogue, lenient, page_size,
                                options.scicat_token)
                for c in collections
            ]
            continue
        path = Path(text).resolve()
        if path.is_dir():
            files = [(p, c) for p in sorted(path.iterdir()) if p.is_file() and (c := collection_of(p))]
            if not files:  # a load that finds nothing to read must not look like one that read it all
                raise SourceUnavailable(f"no SciCat collection files ({FILE_PATTERNS}) directly in {text}")
            found += [ScicatFileSource(p, c, catalogue, lenient) for p, c in files]
        elif path.is_file():
            collection = collection_of(path)
            if collection is None:
                raise SourceUnavailable(
                    f"{text}: cannot tell which SciCat collection the file holds: name it "
                    f"<collection>....json with a collection of {', '.join(MAPPERS)}"
                )
            found.append(ScicatFileSource(path, collection, catalogue, lenient))
        else:
            raise SourceUnavailable(f"{text}: no such file or directory")
    found.sort(key=lambda s: list(MAPPERS).index(s.collection))  # stable: the given order within a collection
    for source in found:
        readers.setdefault(source.collection, []).append((source.location, _reader(source)))
    return found


def _reader(source: ScicatSource) -> Reader:
    if isinstance(source, ScicatApiSource):
        return source.records
    return lambda: as_records(read_json(source.path), source.location)
