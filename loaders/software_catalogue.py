"""Loads a facility's software catalogue: a small YAML format, documented in ``docs/mapping-software.md``.

``pankg load software PATH...``: each path is a ``.yaml`` / ``.yml`` file or a directory of them; one source
per file, replaced atomically. A file is a mapping with ``software:`` (a list of entries) and optionally
``facility:`` (the ROR IRI of the facility that runs every entry), or just the list. Each entry names a
piece of software (``name``, and ``id`` when the PID is not the name), what it is (``description``,
``licence``, ``repository``, ``homepage``, ``keywords``), where it is archived (``doi``, ``swhid``), the
techniques it supports (PaNET IRIs, or names that the model resolves against the PaNET in the store), the
facilities that run it, and its ``versions``, each a node of its own with its DOI, SWHID and date, since an
analysis run used a version.

Strict (the default) fails a file at its first bad entry, so nothing of it is written; ``lenient`` skips
bad entries and lists them. YAML that does not parse fails the file in both modes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.iris import doi_iri, ror_iri
from graph.model.writer import Quad, RdfModel
from loaders.base import DEFAULT_OPTIONS, LoadOptions, LoadReport, RecordFileSource, expand_paths
from loaders.fields import Fields, as_day, described
from loaders.json_yaml import read_yaml
from loaders.licences import spdx_id
from loaders.records import record_quads

NAME = "software"
SUFFIXES = frozenset({".yaml", ".yml"})
KEYS = frozenset([
    "id", "name", "description", "licence", "license", "repository", "homepage", "doi", "swhid", "keywords",
    "techniques", "facilities", "versions",
])
VERSION_KEYS = frozenset({"version", "doi", "swhid", "date"})


def read(path: Path) -> tuple[str, list[tuple[str, Any]]]:
    """``(default facility, [(record id, entry)])`` of a catalogue file; the id is the name, else ``#n``."""
    data = read_yaml(path)  # safe YAML: no Python objects, only plain values
    facility = ""
    if isinstance(data, dict):
        facility = data.get("facility") or ""
        if not isinstance(facility, str) or (facility and not ror_iri(facility) and facility.startswith("http")):
            raise RecordInvalid(f"not a facility PID (a ROR IRI): {facility!r}", file=str(path), field="facility")
        data = data.get("software")
    if not isinstance(data, list):
        raise RecordInvalid("expected a list of software under 'software:'", file=str(path), field="software")
    if not data:  # an empty catalogue: loading it would empty the source without a word
        raise RecordInvalid("no software in it", file=str(path), field="software")
    pairs = []
    for n, entry in enumerate(data, 1):
        name = entry.get("name") if isinstance(entry, dict) else None
        pairs.append((name if isinstance(name, str) and name.strip() else f"#{n}", entry))
    return facility, pairs


def _doi(f: Fields, key: str) -> str:
    value = f.text(key)
    found = doi_iri(value) if value else None
    if value and found is None:
        raise RecordInvalid(f"not a DOI: {value!r}", field=f.at(key))
    return found[len("https://doi.org/"):] if found else ""


def _swhid(f: Fields, key: str) -> str:
    value = f.text(key)
    if value and not (value.startswith("swh:1:") and " " not in value):
        raise RecordInvalid(f"not a SWHID (swh:1:...): {value!r}", field=f.at(key))
    return value


def _version(pid: str, v: Any, path: str) -> e.SoftwareVersion:
    if isinstance(v, float):
        raise RecordInvalid(f"quote the version: YAML reads {v!r} as a number", field=path)
    f = Fields({"version": v} if isinstance(v, (str, int)) else v, path)
    unknown = sorted(set(f.obj) - VERSION_KEYS)
    if unknown:
        raise RecordInvalid(f"unknown keys {unknown}; a version has {sorted(VERSION_KEYS)}", field=path)
    if isinstance(f.obj.get("version"), float):
        raise RecordInvalid(f"quote the version: YAML reads {f.obj['version']!r} as a number", field=f.at("version"))
    version = f.text("version")
    if not version:
        raise RecordInvalid("missing", field=f.at("version"))
    date = f.obj.get("date")
    if isinstance(date, dt.datetime | dt.date):
        date = date.isoformat()
    if date is not None:
        f = Fields({**f.obj, "date": date}, f.path)
        if as_day(f.text("date")[:10], f.at("date")) is None:  # the day must be one; the text is kept as written
            raise RecordInvalid(f"expected an ISO 8601 date, got {described(date)}", field=f.at("date"))
    return e.SoftwareVersion(pid, version, _doi(f, "doi"), _swhid(f, "swhid"), f.text("date"))


def entry_entities(entry: Any, default_facility: str) -> list[e.Entity]:
    """The software and its versions of one catalogue entry; everything is checked first."""
    f = Fields(entry, "")
    unknown = sorted(set(f.obj) - KEYS)
    if unknown:
        raise RecordInvalid(f"unknown keys {unknown}; an entry has {sorted(KEYS)}", field=unknown[0])
    name = f.text("name")
    if not name:
        raise RecordInvalid("missing: an entry needs its name", field="name")
    pid = f.text("id") or name
    key = "licence" if f.text("licence") else "license"
    licence = f.text(key)
    if licence.startswith(("http://", "https://")):
        f.iri(key)
    elif licence:
        licence = spdx_id(licence) or ""
        if not licence:
            raise RecordInvalid(f"not an SPDX licence id or IRI: {f.text(key)!r}", field="licence")
    facilities = f.texts("facilities") or ((default_facility,) if default_facility else ())
    for n, facility in enumerate(facilities, 1):
        if facility.startswith("http") and not ror_iri(facility):
            raise RecordInvalid(f"not a ROR IRI: {facility!r}", field=f"facilities[{n}]")
    details = e.SoftwareDetails(swhid=_swhid(f, "swhid"), url=f.iri("homepage"), keywords=f.texts("keywords"),
                                facilities=tuple(ror_iri(x) or x for x in facilities))
    software = e.Software(pid, name, f.text("description"), f.iri("repository"), licence, _doi(f, "doi"),
                          f.texts("techniques"), details)
    versions = [_version(pid, v, f"versions[{n}]") for n, v in enumerate(f.list("versions"), 1)]
    return [software, *versions]


@dataclass
class SoftwareCatalogueSource(RecordFileSource):
    """One catalogue file, loaded entry by entry."""

    kind: ClassVar[str] = NAME
    mapping_version: ClassVar[str] = "1"

    def quads(self, model: RdfModel, report: LoadReport) -> Iterator[Quad]:
        facility, pairs = read(self.path)
        yield from record_quads(pairs, lambda entry: entry_entities(entry, facility), model, file=self.location,
                                lenient=self.lenient, report=report)


def sources(paths: list[str], options: LoadOptions = DEFAULT_OPTIONS) -> list[SoftwareCatalogueSource]:
    """One source per file; a directory stands for the ``.yaml`` and ``.yml`` files anywhere under it."""
    found = expand_paths(paths, SUFFIXES, recursive=True, label="software catalogue")
    return [SoftwareCatalogueSource(path, options.lenient) for path, _root in found]
