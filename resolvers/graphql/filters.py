"""Filter inputs and the SPARQL patterns they become (over the node variable ``?n``).

Things are named by IRI or by words: a technique by its PaNET IRI, ``PaNET01188`` or a label or synonym
(any case); a facility by ROR IRI, name or short name; an instrument by IRI, PID or label; a proposal by
IRI or proposal id; a person by ORCID IRI or name. A technique filter takes in every sub-technique through
PaNET's materialized closure (``pankg:subTechniqueOf``) and falls back to the technique itself where PaNET
is not loaded. Parameter ranges are converted to SI base units with pint (graph/model/units.py) and compared with
``pankg:siValue``, so ``{name: "photon_energy", min: 8, max: 9, unit: "keV"}`` finds 8500 eV.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any

import strawberry

from graph.model.iris import Minter
from graph.model.units import UnknownUnit, to_si
from ontology.namespaces import XSD
from resolvers.graphql.sparql import UserError, iri, is_http_iri, literal, number, typed

Select = Callable[[str], Awaitable[list[list[Any]]]]
MAX_WORDS = 10
_PANET = re.compile(r"(?i)^(panet:)?(PaNET\d+)$")


@strawberry.input(description="An inclusive range of days; either end may be left open.")
class DateRange:
    from_: dt.date | None = strawberry.field(name="from", default=None)
    to: dt.date | None = None


@strawberry.input(description="A numeric parameter by name, with bounds in `unit` (any unit pint knows; "
                              "without a unit the bounds are in SI base units).")
class ParameterRange:
    name: str
    min: float | None = None
    max: float | None = None
    unit: str | None = None


@strawberry.enum
class DatasetKind(Enum):
    RAW = "RawDataset"
    DERIVED = "DerivedDataset"


@strawberry.input(description="Every field given must hold (AND); leave a field out to not filter on it.")
class DatasetFilter:
    technique: str | None = None
    facility: str | None = None
    instrument: str | None = None
    proposal: str | None = None
    kind: DatasetKind | None = None
    created: DateRange | None = None
    embargo_end: DateRange | None = None
    text: str | None = strawberry.field(default=None, description="Every word in the title or description.")
    parameters: list[ParameterRange] | None = None
    has_doi: bool | None = None
    cited: bool | None = strawberry.field(default=None, description="Cited by a paper or DOI record (or not).")
    embargoed: bool | None = strawberry.field(
        default=None, description="Under embargo (anonymous readers see only the public stub of those).")


@strawberry.enum
class DatasetOrder(Enum):
    PID = "pid"
    CREATED_ASC = "created_asc"
    CREATED_DESC = "created_desc"
    TITLE = "title"


ORDERS = {
    DatasetOrder.PID: ("", ""),
    DatasetOrder.CREATED_ASC: ("?n dcterms:created ?k .", "ASC(?key)"),
    DatasetOrder.CREATED_DESC: ("?n dcterms:created ?k .", "DESC(?key)"),
    DatasetOrder.TITLE: ("?n dcterms:title ?k .", "ASC(LCASE(STR(?key)))"),
}


@strawberry.input
class PublicationFilter:
    text: str | None = None
    author: str | None = None
    issued: DateRange | None = None


@strawberry.input
class SoftwareFilter:
    text: str | None = None
    technique: str | None = None


@strawberry.input
class InstrumentFilter:
    text: str | None = None
    facility: str | None = None
    technique: str | None = None


@strawberry.input
class PersonFilter:
    text: str | None = None
    affiliation: str | None = None


def ref(var: str, value: str, kind: str, names: str, minter: Minter) -> str:
    """A pattern binding ``?var`` to what ``value`` names: the IRI itself, or the node minted from it as a
    PID, or the nodes whose ``names`` (a property path) equal it, ignoring case."""
    value = value.strip()
    if not value:
        raise UserError(f"an empty {kind} name matches nothing; leave the field out instead")
    if is_http_iri(value):
        return f"VALUES ?{var} {{ {iri(value)} }}"
    if kind == "technique" and (m := _PANET.match(value)):
        return f"VALUES ?{var} {{ {iri('http://purl.org/pan-science/PaNET/' + m.group(2))} }}"
    try:
        minted = iri(minter.iri(kind, value))
    except Exception:  # a PID the minter refuses can still be a name
        minted = ""
    by_pid = f"{{ VALUES ?{var} {{ {minted} }} }} UNION " if minted else ""
    return (f"{{ SELECT DISTINCT ?{var} WHERE {{ {by_pid}{{ ?{var} {names} ?l_{var} . "
            f"FILTER(LCASE(STR(?l_{var})) = {literal(value.lower())}) }} }} }}")


def technique(value: str, minter: Minter, link: str = "pankg:technique") -> str:
    """``?n`` has the technique or one below it (through the closure, when PaNET is loaded)."""
    return (f"{ref('T', value, 'technique', 'rdfs:label|skos:altLabel', minter)} "
            f"{{ ?n {link} ?T }} UNION {{ ?n {link} ?t_sub . ?t_sub pankg:subTechniqueOf ?T }}")


def words(text: str, properties: str) -> str:
    """Every word (case-insensitive) in one of ``properties`` of ``?n``."""
    found = text.lower().split()
    if len(found) > MAX_WORDS:
        raise UserError(f"free text takes at most {MAX_WORDS} words")
    return " ".join(
        f"FILTER EXISTS {{ ?n {properties} ?w{k} FILTER(CONTAINS(LCASE(STR(?w{k})), {literal(w)})) }}"
        for k, w in enumerate(found))


def date_range(var: str, prop: str, value: DateRange, datatype: str) -> str:
    """``?n prop ?var`` within ``value`` (inclusive days); dateTimes compare from midnight UTC."""
    tests = []
    for bound, op in ((value.from_, ">="), (value.to, "<")):
        if bound is None:
            continue
        day = bound if op == ">=" else bound + dt.timedelta(days=1)
        text = f"{day.isoformat()}T00:00:00Z" if datatype == XSD.dateTime else day.isoformat()
        tests.append(f"?{var} {op} {typed(text, datatype)}")
    return f"?n {prop} ?{var} . FILTER({' && '.join(tests)})" if tests else ""


async def parameter(k: int, value: ParameterRange, select: Select) -> str:
    """A parameter range as SPARQL over ``pankg:siValue``; a unit pint does not know, or one whose SI form
    differs from the one the parameter is recorded in, is an error the client can read."""
    lo, hi, si_unit = value.min, value.max, None
    if value.unit is not None and value.unit.strip():
        try:
            lo, si_unit = to_si(lo, value.unit) if lo is not None else (lo, to_si(1.0, value.unit)[1])
            hi = to_si(hi, value.unit)[0] if hi is not None else None
        except UnknownUnit:
            raise UserError(f"{value.unit!r} is not a unit (try keV, eV, K, degC, angstrom, nm, s, ms)") from None
        rows = await select(f"SELECT DISTINCT ?u WHERE {{ ?p pankg:parameterName {literal(value.name)} ; "
                            f"pankg:siUnit ?u }} LIMIT 20")
        recorded = {str(r[0]) for r in rows}
        if recorded and si_unit not in recorded:
            raise UserError(f"unit {value.unit!r} ({si_unit or 'dimensionless'} in SI) cannot express "
                            f"{value.name!r}, recorded in {', '.join(sorted(u or 'no unit' for u in recorded))}")
    v = f"?pv{k}"
    tests = [f"{v} >= {number(lo - abs(lo) * 1e-9)}"] if lo is not None else []
    tests += [f"{v} <= {number(hi + abs(hi) * 1e-9)}"] if hi is not None else []
    unit = f" ; pankg:siUnit {literal(si_unit)}" if si_unit is not None else ""
    test = f" FILTER({' && '.join(tests)})" if tests else ""
    name = literal(value.name)
    return f"?n pankg:parameter ?p{k} . ?p{k} pankg:parameterName {name} ; pankg:siValue {v}{unit} .{test}"


async def dataset_where(f: DatasetFilter | None, minter: Minter, select: Select) -> str:
    """The pattern of the datasets ``f`` selects."""
    parts = ["?n a dcat:Dataset ."]
    if f is None:
        return parts[0]
    if f.technique is not None:
        parts.append(technique(f.technique, minter))
    if f.facility is not None:
        parts.append(f"{ref('F', f.facility, 'facility', 'foaf:name|skos:altLabel', minter)} ?n pankg:facility ?F .")
    if f.instrument is not None:
        parts.append(f"{ref('I', f.instrument, 'instrument', 'rdfs:label', minter)} ?n pankg:instrument ?I .")
    if f.proposal is not None:
        parts.append(f"{ref('P', f.proposal, 'proposal', 'pankg:proposalId', minter)} ?n pankg:proposal ?P .")
    if f.kind is not None:
        parts.append(f"?n a pankg:{f.kind.value} .")
    if f.created is not None:
        parts.append(date_range("created", "dcterms:created", f.created, XSD.dateTime))
    if f.embargo_end is not None:
        parts.append(date_range("embargo", "pankg:embargoEndDate", f.embargo_end, XSD.date))
    if f.text:
        parts.append(words(f.text, "dcterms:title|dcterms:description"))
    for k, p in enumerate(f.parameters or []):
        parts.append(await parameter(k, p, select))
    if f.has_doi is not None:
        parts.append(f"FILTER({'' if f.has_doi else '!'}EXISTS {{ ?n pankg:doi ?any_doi }})")
    if f.cited is not None:
        parts.append(f"FILTER({'' if f.cited else '!'}EXISTS {{ {{ ?n pankg:doi ?cd . ?cw cito:cites ?cd }} "
                     "UNION { ?cw cito:cites ?n } })")
    if f.embargoed is not None:
        parts.append(f"FILTER({'' if f.embargoed else '!'}EXISTS {{ ?n pankg:accessLevel pankg:Restricted }})")
    return " ".join(parts)


def publication_where(f: PublicationFilter | None, minter: Minter) -> str:
    parts = ["?n a pankg:Publication ."]
    if f is not None and f.text:
        parts.append(words(f.text, "dcterms:title"))
    if f is not None and f.author is not None:
        parts.append(f"{ref('A', f.author, 'person', 'foaf:name', minter)} ?n dcterms:creator ?A .")
    if f is not None and f.issued is not None:
        parts.append(date_range("issued", "dcterms:issued", f.issued, XSD.date))
    return " ".join(parts)


def software_where(f: SoftwareFilter | None, minter: Minter) -> str:
    parts = ["?n a pankg:Software ."]
    if f is not None and f.text:
        parts.append(words(f.text, "schema:name|dcterms:description"))
    if f is not None and f.technique is not None:
        parts.append(technique(f.technique, minter))
    return " ".join(parts)


def instrument_where(f: InstrumentFilter | None, minter: Minter) -> str:
    parts = ["?n a pankg:Instrument ."]
    if f is not None and f.text:
        parts.append(words(f.text, "rdfs:label"))
    if f is not None and f.facility is not None:
        parts.append(f"{ref('F', f.facility, 'facility', 'foaf:name|skos:altLabel', minter)} ?n pankg:facility ?F .")
    if f is not None and f.technique is not None:
        parts.append(technique(f.technique, minter))
    return " ".join(parts)


def person_where(f: PersonFilter | None, minter: Minter) -> str:
    parts = ["?n a foaf:Person ."]
    if f is not None and f.text:
        parts.append(words(f.text, "foaf:name"))
    if f is not None and f.affiliation is not None:
        parts.append(f"{ref('O', f.affiliation, 'organization', 'foaf:name|skos:altLabel', minter)} "
                     "?n schema:affiliation ?O .")
    return " ".join(parts)
