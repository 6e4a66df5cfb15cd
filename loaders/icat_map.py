"""ICAT objects as pankg entities, one top-level object (a *record*) at a time.

PIDs: ICAT ids and dump keys are local to one catalogue, so every minted PID starts with the name of
the facility the object belongs to, followed by the entity and its ICAT natural key:
``ESNF/investigation/<name>/<visitId>``, ``<investigation PID>/<dataset name>``,
``<investigation PID>/sample/<name>``, ``ESNF/instrument/<name>``, ``ESNF/application/<name>``,
``ESNF/job/<dump key>`` (jobs have no natural key). A global PID wins where ICAT holds a valid one:
an ORCID for a user, a DOI for a publication or data publication, a PaNET PID for a technique.
A user without a valid ORCID is minted inside the record naming them (``<proposal PID>#<role>/<user
name>``, ``<DOI>#creator/<n>``): people are never merged by name.

Access: a dataset's ``releaseDate``, else its investigation's, is the dataset's embargo end. Until the
investigation's own ``releaseDate`` its team (its users, and the proposal's links to them) is restricted
with its data, in the graph of the investigation's team keyed by that date (docs/access.md §1): a user
minted from the investigation's PID would otherwise tell the embargoed team by its IRI and name.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from graph.errors import RecordInvalid
from graph.model import entities as e
from graph.model.iris import doi_iri, orcid_iri, panet_iri
from loaders.fields import day, items, moment, objects
from loaders.icat_read import Dump, name_of, size, text
from loaders.records import bare_message, parameter

DERIVED_TYPES = frozenset({"analyzed", "analysed", "derived", "processed", "reduced"})
PI_ROLES = frozenset({"principal_investigator", "principal investigator", "pi", "invpi"})
# ICAT unit spellings pint reads otherwise: "C" with unitsFullName Celsius is degrees, not coulombs.
_UNITS_BY_FULL_NAME = {"celsius": "degC", "degree celsius": "degC", "degrees celsius": "degC"}
_VALUE_KEYS = ("numericValue", "stringValue", "dateTimeValue")
_ID_PREFIXES = ("DOI:", "URL:", "URI:")
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def facility(key: str, r: dict[str, Any], dump: Dump) -> list[e.Entity]:
    name = name_of(r)
    url = text(r, "url")
    if url and not (url.startswith(("http://", "https://")) and not _NOT_IN_IRI.search(url)):
        dump.warn(f"not an http(s) IRI: {url!r} (not mapped)", key, "url")  # a link, not the record's substance
        url = ""
    return [e.Facility(name, text(r, "fullName") or name, short_name=name, url=url)]


def technique(key: str, r: dict[str, Any], dump: Dump) -> list[e.Entity]:
    iri = technique_iri(r)
    return [e.Technique(iri, text(r, "name"))] if iri else []


def technique_iri(r: dict[str, Any]) -> str:
    pid = text(r, "pid")
    if not pid:
        raise RecordInvalid("missing: a technique needs its PaNET PID", field="pid")
    iri = panet_iri(pid)
    if iri is None:
        raise RecordInvalid(f"not a PaNET PID: {pid!r}", field="pid")
    return iri


def instrument(key: str, r: dict[str, Any], dump: Dump) -> list[e.Entity]:
    fac = dump.facility_name(r, key)
    techniques = []
    refs = [r.get("technique")] + [t.get("technique") for t in objects(r, "instrumentTechniques")]
    for ref in refs:
        found = dump.ref("technique", ref, key, "technique")
        if found is not None:
            techniques.append(technique_iri(found))
    name = name_of(r)
    return [e.Instrument(instrument_pid(fac, name), text(r, "fullName") or name, fac, tuple(techniques))]


def instrument_pid(fac: str, name: str) -> str:
    return f"{fac}/instrument/{name}"


def investigation_pid(r: dict[str, Any], dump: Dump, record: str) -> str:
    pid = f"{dump.facility_name(r, record)}/investigation/{name_of(r)}"
    visit = text(r, "visitId")
    return f"{pid}/{visit}" if visit else pid


def person(scope: str, user: dict[str, Any] | None, extra: dict[str, Any] | None = None,
           known_from: e.RecordAccess | None = None) -> e.Person | None:
    """A user as a person: ORCID as PID where valid, else minted inside the naming record (``scope``);
    ``known_from``: the access of an embargoed investigation naming them, which hides them too."""
    u = {**(user or {}), **(extra or {})}
    orcid = text(u, "orcidId")
    name = text(u, "fullName") or " ".join(p for p in (text(u, "givenName"), text(u, "familyName")) if p)
    name = name or text(u, "name")
    if not name and not orcid_iri(orcid):
        return None
    pid = orcid if orcid_iri(orcid) else scope
    return e.Person(pid, name or orcid, text(u, "givenName"), text(u, "familyName"), email=text(u, "email"),
                    known_from=known_from)


def investigation(key: str, r: dict[str, Any], dump: Dump) -> list[e.Entity]:
    pid = investigation_pid(r, dump, key)
    fac = dump.facility_name(r, key)
    found: list[e.Entity] = []
    users: list[tuple[Any, str, str]] = []  # (user key, role, field)
    if r.get("invpi") is not None:
        users.append((r.get("invpi"), "invpi", "invpi"))
    for role in ("invcol", "invguest"):
        users += [(u, role, role) for u in items(r, role)]
    users += [(u.get("user"), text(u, "role") or "member", "investigationUsers")
              for u in objects(r, "investigationUsers")]
    pi, members = "", []
    # The team is restricted with the datasets until the release date (their key: the investigation's team).
    release = day(r, "releaseDate")
    team = e.RecordAccess(embargo_end=release, proposal=pid) if release else None
    for user_key, role, field in users:
        user = dump.ref("user", user_key, key, field)
        if user is None:
            continue
        who = person(f"{pid}#{role}/{text(user, 'name') or user_key}", user, known_from=team)
        if who is None:
            continue
        found.append(who)
        if role.lower() in PI_ROLES and not pi:
            pi = who.pid
        elif who.pid not in members:
            members.append(who.pid)
    instruments = [r.get("instrument")] + [i.get("instrument") for i in objects(r, "investigationInstruments")]
    inst = ""
    for ref in instruments:
        found_inst = dump.ref("instrument", ref, key, "instrument")
        if found_inst is not None and not inst:
            inst = instrument_pid(fac, name_of(found_inst, "instrument"))
    found.append(e.Proposal(pid, text(r, "title") or name_of(r), fac, pi, text(r, "summary"), members=tuple(members),
                            team_access=team))
    samples: list[str] = []
    if isinstance(r.get("sample"), dict):  # example data: the investigation's one sample, inline
        sample_entity = sample(key, r["sample"], dump, pid)
        found.append(sample_entity)
        samples.append(sample_entity.pid)
    context = Investigation(pid, fac, inst, release, tuple(samples), tuple(_texts(r, "keywords")))
    for n, d in enumerate(objects(r, "datasets")):
        try:
            found.append(dataset(key, d, dump, context))
        except RecordInvalid as exc:
            where = f"datasets[{n}].{exc.field}" if exc.field else f"datasets[{n}]"
            raise RecordInvalid(bare_message(exc), field=where) from None
    return found


def _texts(r: dict[str, Any], key: str) -> list[str]:
    """Plain text values, or ICAT objects named by their ``name`` (icatdump writes keywords as objects)."""
    values = [v["name"] if isinstance(v, dict) and isinstance(v.get("name"), str) else v for v in items(r, key)]
    if not all(isinstance(v, str) for v in values):
        raise RecordInvalid("expected a list of text values or of objects with a name", field=key)
    return [v.strip() for v in values if v.strip()]


class Investigation:
    """What a dataset takes from its investigation."""

    def __init__(self, pid: str, fac: str, instrument: str = "", release: Any = None,
                 samples: tuple[str, ...] = (), keywords: tuple[str, ...] = ()) -> None:
        self.pid, self.facility, self.instrument, self.release = pid, fac, instrument, release
        self.samples, self.keywords = samples, keywords


def investigation_context(ref: Any, dump: Dump, record: str, field: str) -> Investigation | None:
    """The investigation an object names (its instrument, release date and keywords), or None if dangling."""
    r = dump.ref("investigation", ref, record, field)
    if r is None:
        return None
    fac = dump.facility_name(r, record, f"{field}.facility")
    inst = ""
    for ref_inst in [r.get("instrument")] + [i.get("instrument") for i in objects(r, "investigationInstruments")]:
        found = dump.sections.get("instrument", {}).get(ref_inst) if isinstance(ref_inst, str) else None
        if isinstance(found, dict) and not inst:
            inst = instrument_pid(fac, name_of(found, "instrument"))
    sample_pids: tuple[str, ...] = ()
    if isinstance(r.get("sample"), dict) and r["sample"].get("name"):
        sample_pids = (f"{investigation_pid(r, dump, record)}/sample/{name_of(r['sample'], 'sample')}",)
    return Investigation(investigation_pid(r, dump, record), fac, inst, day(r, "releaseDate"), sample_pids,
                         tuple(_texts(r, "keywords")))


def sample(key: str, r: dict[str, Any], dump: Dump, inv_pid: str = "") -> e.Sample:
    if not inv_pid:  # icatdump: a sample object naming its investigation
        inv = investigation_context(r.get("investigation"), dump, key, "investigation")
        if inv is None:
            raise RecordInvalid("missing: a sample needs its investigation", field="investigation")
        inv_pid = inv.pid
    sample_type = dump.ref("sampleType", r.get("type"), key, "sample.type")
    formula = text(sample_type, "molecularFormula") if sample_type else ""
    return e.Sample(f"{inv_pid}/sample/{name_of(r, 'sample')}", name_of(r, "sample"), formula,
                    parameters=parameters(r, dump, key, "sample.parameters"))


def icat_sample(key: str, r: dict[str, Any], dump: Dump) -> list[e.Entity]:
    return [sample(key, r, dump)]


def parameters(r: dict[str, Any], dump: Dump, record: str, field: str) -> tuple[e.Parameter, ...]:
    """ICAT parameters: a parameter type (name, units) and one of numeric, string or date-and-time value."""
    found = []
    for n, p in enumerate(objects(r, "parameters")):
        where = f"{field}[{n}]"
        ptype = dump.ref("parameterType", p.get("type"), record, f"{where}.type")
        name = text(ptype, "name") if ptype else text(p, "type")
        value = next((p[k] for k in _VALUE_KEYS if p.get(k) is not None), None)
        if value is None:
            raise RecordInvalid("a parameter needs a numericValue, stringValue or dateTimeValue", field=where)
        if isinstance(value, (dt.datetime, dt.date)):
            value = value.isoformat()
        units = text(ptype, "units") if ptype else ""
        units = "" if units.upper() == "N/A" else units
        full = text(ptype, "unitsFullName").lower() if ptype else ""
        si_units = _UNITS_BY_FULL_NAME.get(full, units)
        param = parameter(name, value, si_units, report=dump.report, file=dump.file, record=record, field=where)
        found.append(e.Parameter(param.name, param.value, units, param.si_value, param.si_unit))
    return tuple(found)


def datafile(f: dict[str, Any]) -> e.File:
    return e.File(text(f, "location") or name_of(f, "datafile"), size(f, "fileSize"), text(f, "checksum"),
                  moment(f, "datafileModTime"))


def dataset(key: str, d: dict[str, Any], dump: Dump, inv: Investigation | None = None, *,
            run: str = "", inputs: tuple[str, ...] = (), doi: str = "") -> e.Dataset:
    """A dataset with its files and parameters (example data: inside its investigation or job)."""
    if inv is None:
        inv = investigation_context(d.get("investigation"), dump, key, "investigation")
        if inv is None:
            raise RecordInvalid("missing: a dataset needs its investigation", field="investigation")
    name = name_of(d)
    dtype = dump.ref("datasetType", d.get("type"), key, "type")
    type_name = (text(dtype, "name") if dtype else text(d, "type")).lower()
    files = [datafile(f) for f in objects(d, "datafiles")]
    if dump.dialect == "icatdump":  # datafiles are objects of their own, naming their dataset's key
        files += [datafile(f) for f in dump.datafiles.get(key, [])]
    techniques = []
    for t in objects(d, "datasetTechniques"):
        found = dump.ref("technique", t.get("technique"), key, "datasetTechniques.technique")
        if found is not None:
            techniques.append(technique_iri(found))
    samples = inv.samples
    if isinstance(d.get("sample"), str):
        found_sample = dump.ref("sample", d["sample"], key, "sample")
        samples = (f"{inv.pid}/sample/{name_of(found_sample, 'sample')}",) if found_sample else ()
    doi = doi or text(d, "doi")
    return e.Dataset(
        f"{inv.pid}/{name}", name,
        kind="derived" if run or type_name in DERIVED_TYPES else "raw",
        description=text(d, "description"),
        created=moment(d, "startDate") or moment(d, "createTime"),
        facility=inv.facility, instrument=inv.instrument, proposal=inv.pid,
        techniques=tuple(techniques), samples=samples, keywords=inv.keywords,
        parameters=parameters(d, dump, key, "parameters"), files=tuple(files),
        doi=doi if doi_iri(doi) else "",
        embargo_end=day(d, "releaseDate") or inv.release,
        generated_by=run, derived_from=inputs,
    )


def icat_dataset(key: str, d: dict[str, Any], dump: Dump) -> list[e.Entity]:
    return [dataset(key, d, dump)]


def global_id(value: str) -> str:
    """An ICAT identifier without its scheme prefix (``DOI:``, ``URL:``)."""
    for prefix in _ID_PREFIXES:
        if value.upper().startswith(prefix):
            return value[len(prefix):].strip()
    return value
