"""Loads ICAT catalogue content as python-icat writes it to YAML or XML: ``pankg load icat PATH...``.

A PATH is a dump file (``.yaml``/``.yml``/``.xml``) or a directory of them; each file is one source,
replaced atomically. Both YAML shapes of python-icat load (``icatdump`` output and the
``example_data.yaml`` of its setup scripts; see :mod:`loaders.icat_read`), and XML dumps
(``icatdump -f XML``; :mod:`loaders.icat_xml`), read into the same objects as a YAML icatdump.
References between objects are resolved within the file; a dangling one is a warning naming file,
record and field, in both modes.

A *record* is a top-level object of the dump (an investigation with what the dump nests in it, a
dataset, a job, ...). Strict (the default) fails the file at its first bad record, so nothing of it is
written; ``lenient`` skips bad records and lists them. PIDs are scoped by facility name
(:mod:`loaders.icat_map`); the field-by-field mapping is in ``docs/mapping-icat.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.writer import Quad, RdfModel
from loaders import icat_map as m
from loaders import icat_pub as p
from loaders.base import DEFAULT_OPTIONS, LoadOptions, LoadReport, RecordFileSource, expand_paths
from loaders.icat_read import Dump, read_yaml
from loaders.icat_xml import read_xml
from loaders.records import record_quads

NAME = "icat"
MAPPING_VERSION = "2"
SUFFIXES = (".yaml", ".yml", ".xml")

Mapper = Callable[[str, dict[str, Any], Dump], list[e.Entity]]
# The ICAT entities mapped as records, in load order. Others (users, types, groupings, ...) are read
# only where a record refers to them; docs/mapping-icat.md says which are not mapped and why.
MAPPERS: dict[str, Mapper] = {
    "facility": m.facility,
    "technique": m.technique,
    "instrument": m.instrument,
    "investigation": m.investigation,
    "sample": m.icat_sample,
    "dataset": m.icat_dataset,
    "job": p.job,
    "publication": p.publication,
    "dataPublication": p.data_publication,
}


def map_dump(dump: Dump, model: RdfModel, report: LoadReport, lenient: bool) -> Iterator[Quad]:
    """The quads of every record of a dump; bad records raise (strict) or are listed (lenient)."""

    def records() -> Iterator[tuple[str, tuple[str, str, Any]]]:
        for entity in MAPPERS:
            for key, obj in dump.sections.get(entity, {}).items():
                yield key, (entity, key, obj)

    def to_entities(item: tuple[str, str, Any]) -> list[e.Entity]:
        entity, key, obj = item
        if not isinstance(obj, dict):
            raise RecordInvalid(f"expected an object, got {type(obj).__name__}")
        return MAPPERS[entity](key, obj, dump)

    yield from record_quads(records(), to_entities, model, file=dump.file, lenient=lenient, report=report)


class IcatFileSource(RecordFileSource):
    """One python-icat dump file (YAML or XML)."""

    kind = NAME
    mapping_version = MAPPING_VERSION

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        read = read_xml if self.path.suffix.lower() == ".xml" else read_yaml
        dialect, sections = read(self.path)
        yield from map_dump(Dump(self.location, dialect, sections, report), model, report, self.lenient)


def sources(paths: list[str], options: LoadOptions = DEFAULT_OPTIONS) -> list[IcatFileSource]:
    """One source per dump file; a directory stands for the ``.yaml``/``.yml``/``.xml`` files directly in it."""
    found = expand_paths(paths, SUFFIXES, recursive=False, label="ICAT dump")
    return [IcatFileSource(path, options.lenient) for path, _ in found]
