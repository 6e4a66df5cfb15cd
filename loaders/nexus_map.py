"""One harvested NXentry to pankg entities: a raw Dataset with its sample, people, instrument and parameters.

Pure mapping, no h5py: :mod:`loaders.nexus_read` read the file. A field of the wrong type raises
:class:`RecordInvalid` naming the field's HDF5 path (:func:`loaders.records.map_records` adds the file
and the entry, and decides strict or lenient); things a data manager should fix but that do not make
the entry wrong (an unknown unit, a unit of the wrong dimension, a missing title) become warnings.
``docs/mapping-nexus.md`` lists every field read and where it goes.

The dataset's PID, in order of preference:

1. ``entry_identifier`` if it is a global PID: a DOI, a Handle (``20.500.12269/...``) or an http(s) URI;
2. ``entry_identifier_uuid`` as ``urn:uuid:<uuid>``;
3. otherwise ``<path of the file relative to the directory given>#<entry name>``, e.g.
   ``saxs/run_0001.nxs#entry1`` (a file given by itself is relative to its own directory: its name).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, replace
from functools import lru_cache

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.iris import doi_iri, orcid_iri, ror_iri
from graph.model.units import UNIT_ALIASES, UnknownUnit, si_map
from loaders.base import LoadReport, LoadWarning
from loaders.dates import years_later
from loaders.fields import as_moment, as_number, as_text
from loaders.nexus_read import Entry, Field, Group, Scalar
from loaders.nexus_techniques import probe_of, technique_for
from loaders.records import parameter

EMBARGO_YEARS = 3
"""The PaN data policy's embargo, counted from the end (else the start) of the measurement."""

QUANTITIES: dict[str, dict[str, str]] = {
    "NXentry": {"duration": "NX_TIME", "collection_time": "NX_TIME"},
    "NXsample": {
        "temperature": "NX_TEMPERATURE", "pressure": "NX_PRESSURE", "thickness": "NX_LENGTH",
        "path_length": "NX_LENGTH", "path_length_window": "NX_LENGTH", "distance": "NX_LENGTH",
        "x_translation": "NX_LENGTH", "rotation_angle": "NX_ANGLE", "mass": "NX_MASS",
        "density": "NX_MASS_DENSITY", "unit_cell_volume": "NX_VOLUME", "electric_field": "",
        "magnetic_field": "", "stress_field": "", "changer_position": "", "relative_molecular_mass": "",
        "concentration": "", "volume_fraction": "", "scattering_length_density": "", "external_DAC": "",
    },
    "NXmonochromator": {"wavelength": "NX_WAVELENGTH", "energy": "NX_ENERGY"},
}
"""Fields NeXus types as numbers (NX_FLOAT, NX_INT) -> the NeXus unit category checked against ``units``
("" where the category is NX_ANY or too loosely used to check)."""

CATEGORIES: dict[str, tuple[str, str]] = {
    "NX_TEMPERATURE": ("K", "temperature"), "NX_LENGTH": ("m", "length"), "NX_WAVELENGTH": ("m", "length"),
    "NX_ENERGY": ("J", "energy"), "NX_PRESSURE": ("Pa", "pressure"), "NX_TIME": ("s", "time"),
    "NX_MASS": ("kg", "mass"), "NX_VOLUME": ("m**3", "volume"), "NX_ANGLE": ("rad", "angle"),
    "NX_MASS_DENSITY": ("kg/m**3", "mass density"),
}
"""NeXus unit category -> (a unit of that dimension, its name in warnings)."""


SAMPLE_FIELDS = ("name", "chemical_formula", "description")
MONOCHROMATOR_PARAMETERS = {"wavelength": "wavelength", "energy": "incident_energy"}
_HANDLE = re.compile(r"^(?:hdl:)?\d+\.\d+(?:\.\d+)*/\S+$")


@dataclass(frozen=True)
class FileContext:
    """What an entry's mapping needs to know about its file."""

    file: str
    """The file as the report names it."""
    relative: str
    """The file's path relative to the directory given, with '/' separators: part of minted PIDs."""
    size: int
    report: LoadReport


def entry_entities(entry: Entry, ctx: FileContext) -> list[e.Entity]:
    """Every entity of one NXentry; raises :class:`RecordInvalid` for a field of the wrong type."""
    if entry.problem:
        raise RecordInvalid(entry.problem)
    return _EntryMapping(entry, ctx).entities()


class _EntryMapping:
    def __init__(self, entry: Entry, ctx: FileContext) -> None:
        self.entry, self.ctx = entry, ctx
        self.parameters: dict[str, e.Parameter] = {}
        self.extra: list[e.Entity] = []
        self._warned: set[tuple[str, str]] = set()

    def warn(self, message: str, where: str) -> None:
        """Add a warning once (a field read twice, e.g. the source probe, is reported once)."""
        if (message, where) not in self._warned:
            self._warned.add((message, where))
            self.ctx.report.warnings.append(LoadWarning(message, self.ctx.file, self.entry.path, where))

    def entities(self) -> list[e.Entity]:
        top = self.entry.groups[0]
        pid = self.pid(top)
        title = self.text(top, "title")
        if not title:
            title = f"{self.ctx.relative}, {self.entry.name}"
            self.warn(f"no title: titled {title!r} after its file and entry", f"{top.path}/title")
        start, end = self.datetime(top, "start_time"), self.datetime(top, "end_time")
        ended = end or start
        experiment = self.text(top, "experiment_identifier", identifier=True)
        collection = self.text(top, "collection_identifier", identifier=True)
        doi = next((x for x in (experiment, collection) if x and doi_iri(x) and doi_iri(x) != doi_iri(pid)), "")
        self.entry_parameters(top, pid, experiment, collection, end)
        samples = self.samples(pid)
        instrument = self.instrument(self.source_and_monochromator())
        techniques = self.techniques(top)
        proposal = experiment if experiment and not doi_iri(experiment) else ""
        embargo_end = years_later(ended.date(), EMBARGO_YEARS) if ended else None
        public = None if ended else False
        # The users are known from this entry only: under embargo they are restricted with it (docs/access.md).
        access = e.RecordAccess(public=public, embargo_end=embargo_end, proposal=proposal)
        dataset = e.Dataset(
            pid=pid,
            title=title,
            kind="raw",
            description=self.text(top, "experiment_description"),
            created=start,
            instrument=instrument,
            proposal=proposal,
            techniques=tuple(t.iri for t in techniques),
            samples=tuple(s.pid for s in samples),
            creators=self.users(pid, access),
            parameters=tuple(self.parameters.values()),
            files=(e.File(self.ctx.relative, self.ctx.size),),
            doi=doi,
            embargo_end=embargo_end,
            public=public,
        )
        return [*techniques, *samples, *self.extra, dataset]

    # -- identity and entry fields -------------------------------------------------------------

    def pid(self, top: Group) -> str:
        identifier = self.text(top, "entry_identifier", identifier=True)
        if identifier and (doi_iri(identifier) or _HANDLE.match(identifier) or identifier.startswith(("http://", "https://"))):
            return identifier
        text = self.text(top, "entry_identifier_uuid", identifier=True)
        if text:
            try:
                return f"urn:uuid:{uuid.UUID(text)}"
            except ValueError:
                raise RecordInvalid(f"not a UUID: {text!r}", field=top.fields["entry_identifier_uuid"].path) from None
        return f"{self.ctx.relative}#{self.entry.name}"

    def entry_parameters(self, top: Group, pid: str, experiment: str, collection: str, end: dt.datetime | None) -> None:
        identifier = self.text(top, "entry_identifier", identifier=True)
        texts = {
            "entry_identifier": identifier if identifier and identifier != pid else "",
            "experiment_identifier": experiment,
            "collection_identifier": collection if not doi_iri(collection or "") else "",
            "collection_description": self.text(top, "collection_description"),
            "definition": self.text(top, "definition"),
            "run_cycle": self.text(top, "run_cycle"),
            "program_name": self.text(top, "program_name"),
            "program_version": top.fields["program_name"].attrs.get("version", "")
            if "program_name" in top.fields else "",
            "end_time": end.isoformat() if end else "",
        }
        for name, value in texts.items():
            if value:
                self.add(e.Parameter(name, value), top)
        for name, category in QUANTITIES["NXentry"].items():
            self.quantity(top, name, name, category)

    # -- groups --------------------------------------------------------------------------------

    def samples(self, pid: str) -> list[e.Sample]:
        samples: list[e.Sample] = []
        for group in self.entry.of_class("NXsample"):
            name, formula, description = (self.text(group, f) for f in SAMPLE_FIELDS)
            if name or formula:
                samples.append(e.Sample(f"{group.name}@{pid}", name or formula, formula, description))
            quantities = QUANTITIES["NXsample"]
            for field_name, f in group.fields.items():
                if field_name in SAMPLE_FIELDS:
                    continue
                if field_name in quantities:
                    self.quantity(group, field_name, field_name, quantities[field_name])
                elif f.problem:
                    raise RecordInvalid(f.problem, field=f.path)
                elif f.value is not None:
                    self.add(self.make_parameter(field_name, f.value, f), group)
        return samples

    def source_and_monochromator(self) -> str:
        """Source name, type and probe and the monochromator's wavelength and energy as parameters.

        Returns the source's short name (else its name), which prefixes the instrument's PID."""
        source_short = ""
        for source in self.entry.of_class("NXsource"):
            name = self.text(source, "name")
            short = source.fields["name"].attrs.get("short_name", "").strip() if name else ""
            source_short = source_short or short or name
            for field_name, label in (("name", "source_name"), ("type", "source_type"), ("probe", "source_probe")):
                value = self.text(source, field_name)
                if value:
                    self.add(e.Parameter(label, value), source)
        for mono in self.entry.of_class("NXmonochromator"):
            for field_name, label in MONOCHROMATOR_PARAMETERS.items():
                self.quantity(mono, field_name, label, QUANTITIES["NXmonochromator"][field_name])
        return source_short

    def instrument(self, source_short: str) -> str:
        """The PID of the first named NXinstrument: ``<source short name>/<instrument short name>``.

        Beamline names repeat across facilities (ILL's D22, Diamond's I22), so the source's name is part
        of the PID; NeXus has no facility identifier to do better."""
        for group in self.entry.of_class("NXinstrument"):
            name = self.text(group, "name")
            if name:
                short = group.fields["name"].attrs.get("short_name", "").strip() or name
                pid = f"{source_short}/{short}" if source_short else short
                self.extra.append(e.Instrument(pid, name))
                return pid
        return ""

    def techniques(self, top: Group) -> list[e.Technique]:
        sources = self.entry.of_class("NXsource")
        probe = probe_of(self.text(sources[0], "probe"), self.text(sources[0], "type")) if sources else ""
        found: list[e.Technique] = []
        for group in [top, *self.entry.of_class("NXsubentry")]:
            technique = technique_for(self.text(group, "definition"), probe)
            if technique and technique not in found:
                found.append(technique)
        return found

    def users(self, pid: str, access: e.RecordAccess) -> tuple[str, ...]:
        """People as creators: by ORCID where the file gives a valid one, else scoped to this dataset. They and
        their free-text organizations are known from this entry only, so they carry its ``access``: while it is
        under embargo nothing of them is public (not even an IRI minted from the dataset's PID)."""
        creators: list[str] = []
        for group in self.entry.of_class("NXuser"):
            name = self.text(group, "name")
            orcid = self.orcid(group)
            if not name:
                self.warn("an NXuser without a name: not mapped", group.path)
                continue
            affiliation = self.text(group, "affiliation")
            organizations: tuple[str, ...] = ()
            if affiliation:  # a ROR id links to the ROR node; free text names an organization of that name
                ror = ror_iri(affiliation)
                if not ror:
                    self.extra.append(e.Organization(affiliation, affiliation, known_from=access))
                organizations = (ror or affiliation,)
            person = e.Person(orcid or f"{group.name}@{pid}", name, affiliations=organizations, known_from=access)
            self.extra.append(person)
            if person.pid not in creators:
                creators.append(person.pid)
        return tuple(creators)

    def orcid(self, group: Group) -> str:
        """The ORCID field (any case), else any other identifier field whose value is a valid ORCID iD."""
        for field_name, f in group.fields.items():
            if field_name.lower() == "orcid" and (value := self.text(group, field_name, identifier=True)):
                found = orcid_iri(value)
                if found:
                    return found
                self.warn(f"not a valid ORCID iD: {value!r}; the user is not identified by it", f.path)
        for field_name, f in group.fields.items():
            if field_name not in ("name", "affiliation", "role") and isinstance(f.value, str) and orcid_iri(f.value):
                return orcid_iri(f.value) or ""
        return ""

    # -- typed field access --------------------------------------------------------------------

    def field(self, group: Group, name: str) -> Field | None:
        """The field if it holds a value; a field that could not be read raises, an array is reported."""
        f = group.fields.get(name)
        if f is None:
            return None
        if f.problem:
            raise RecordInvalid(f.problem, field=f.path)
        if f.value is None:
            if f.skipped and f.skipped != "empty":
                self.warn(f"{f.skipped} (only single values are harvested)", f.path)
            return None
        return f

    def text(self, group: Group, name: str, identifier: bool = False) -> str:
        """A text field ("" if absent); an identifier may also be an integer (a scan or proposal number)."""
        f = self.field(group, name)
        if f is None:
            return ""
        if identifier and isinstance(f.value, int) and not isinstance(f.value, bool):
            return str(f.value)
        return as_text(f.value, f.path)

    def datetime(self, group: Group, name: str) -> dt.datetime | None:
        """An NX_DATE_TIME (ISO 8601); aware where the file gives an offset, naive where it does not."""
        text = self.text(group, name)
        return as_moment(text, group.fields[name].path) if text else None

    def quantity(self, group: Group, name: str, label: str, category: str) -> None:
        """A numeric field with its ``units`` as a parameter; the unit must be of the field's dimension."""
        f = self.field(group, name)
        if f is None:
            return
        value = as_number(f.value, f.path)
        if value is not None:
            self.add(self.make_parameter(label, value, f, category), group)

    def make_parameter(self, name: str, value: Scalar, f: Field, category: str = "") -> e.Parameter:
        unit = f.attrs.get("units", "").strip()
        pint_unit = UNIT_ALIASES.get(unit, unit)
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        if category and numeric and not unit:
            self.warn(f"no units attribute on a {CATEGORIES[category][1]}: kept without an SI value", f.path)
            return e.Parameter(name, value)
        made = parameter(name, value, pint_unit, report=self.ctx.report, file=self.ctx.file,
                         record=self.entry.path, field=f.path)
        if category and made.si_value is not None and not _has_dimension(pint_unit, category):
            self.warn(f"unit {unit!r} is not a unit of {CATEGORIES[category][1]}: kept without an SI value", f.path)
            return e.Parameter(name, value, unit)
        return replace(made, unit=unit) if pint_unit != unit else made

    def add(self, p: e.Parameter, group: Group) -> None:
        """Parameter names are unique per dataset; a second one of the same name is qualified by its group."""
        if p.name in self.parameters:
            p = replace(p, name=f"{group.name}/{p.name}")
        self.parameters.setdefault(p.name, p)


@lru_cache(maxsize=256)
def _has_dimension(unit: str, category: str) -> bool:
    try:
        return si_map(unit)[2] == si_map(CATEGORIES[category][0])[2]
    except UnknownUnit:
        return False
