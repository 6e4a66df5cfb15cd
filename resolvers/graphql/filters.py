"""Filter inputs, and the index queries they become once the things they name are found.

Things are named by IRI or by words: a technique by its PaNET IRI, ``PaNET01188`` or a label or synonym
(any case); a facility by ROR IRI, name or short name; an instrument by IRI, PID or label; a proposal by
IRI or proposal id; a person by ORCID IRI or name; an organization by ROR IRI or name. A name is looked up in
the graph (one small query per named field, in the caller's scope), then the search index
(:mod:`graph.search`) answers the list: a technique takes in every sub-technique (the index holds each
document's techniques with all their ancestors); parameter ranges are converted to SI base units, so
``{name: "photon_energy", min: 8, max: 9, unit: "keV"}`` finds 8500 eV; free text is words (each must be in the
title, the description or a technique's names), never query syntax. A technique name that names no technique
of the graph is an error; a facility, instrument, proposal or person name that names nothing matches nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum

import strawberry

from graph.model.iris import Minter, licence_iri
from graph.search import DatasetQuery, EntityQuery
from graph.search import ParameterRange as IndexRange
from resolvers.graphql.nodes import INFO
from resolvers.graphql.sparql import UserError, iri, is_http_iri, literal

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


@strawberry.enum(description="Public, or under embargo (anonymous callers find its public stub only).")
class AccessLevel(Enum):
    PUBLIC = "public"
    RESTRICTED = "restricted"


@strawberry.input(description="Every field given must hold (AND); leave a field out to not filter on it.")
class DatasetFilter:
    technique: str | None = None
    facility: str | None = None
    instrument: str | None = None
    proposal: str | None = None
    kind: DatasetKind | None = None
    licence: str | None = strawberry.field(default=None, description="By IRI or SPDX id (CC-BY-4.0).")
    access: AccessLevel | None = None
    created: DateRange | None = None
    embargo_end: DateRange | None = None
    text: str | None = strawberry.field(
        default=None, description="Every word in the title, the description or a technique's names (words, any "
                                  "case, accents ignored; query syntax is text).")
    parameters: list[ParameterRange] | None = None
    has_doi: bool | None = None
    cited: bool | None = strawberry.field(default=None, description="Cited by a paper or DOI record (or not).")
    embargoed: bool | None = strawberry.field(
        default=None, description="Under embargo (anonymous readers see only the public stub of those).")


@strawberry.enum
class DatasetOrder(Enum):
    PID = "iri"
    CREATED_ASC = "created_asc"
    CREATED_DESC = "created"
    TITLE = "title"


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


def lookup(value: str, kind: str, minter: Minter) -> str:
    """A SELECT of ``?x``, the nodes ``value`` names: the node minted from it as a PID, and the nodes whose
    names (:data:`NAMES`) equal it, ignoring case."""
    try:
        minted = iri(minter.iri(kind, value))
    except Exception:  # a PID the minter refuses can still be a name
        minted = ""
    by_pid = f"{{ VALUES ?x {{ {minted} }} }} UNION " if minted else ""
    typed = " ?x a pankg:Technique ." if kind == "technique" else ""  # what the index knows as techniques
    return (f"SELECT DISTINCT ?x WHERE {{ {{ {by_pid}{{ ?x {NAMES[kind]} ?label . "
            f"FILTER(LCASE(STR(?label)) = {literal(value.lower())}) }} }}{typed} }}")


NAMES = {
    "technique": "rdfs:label|skos:altLabel",
    "facility": "foaf:name|skos:altLabel",
    "instrument": "rdfs:label",
    "proposal": "pankg:proposalId",
    "person": "foaf:name",
    "organization": "foaf:name|skos:altLabel",
}
"""The properties whose values name a thing of each kind (compared ignoring case)."""


async def named(info: INFO, kind: str, value: str | None) -> str | tuple[str, ...] | None:
    """The IRIs ``value`` names (None: not asked). An IRI or a PaNET id is taken as it is; anything else is
    looked up: the node minted from it as a PID, and the nodes whose names (:data:`NAMES`) equal it."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise UserError(f"an empty {kind} name matches nothing; leave the field out instead")
    if is_http_iri(value):
        iri(value)  # refuses what an IRI cannot hold
        return value
    if kind == "technique" and (m := _PANET.match(value)):
        return f"http://purl.org/pan-science/PaNET/{m.group(2)}"
    rows = await info.context.select(lookup(value, kind, info.context.store.minter))
    if not rows and kind == "technique":
        raise UserError(f"unknown technique {value!r}: give a label or synonym of a technique of the graph, its "
                        "PaNET id (PaNET01188) or its IRI")
    return tuple(sorted({str(row[0]) for row in rows}))


async def dataset_query(info: INFO, f: DatasetFilter | None, text: str | None = None) -> DatasetQuery:
    """What a dataset filter (and a search's free text) asks, as the index's query."""
    if f is None:
        return DatasetQuery(text=text)
    words = " ".join(t for t in (text, f.text) if t is not None) if text is not None or f.text is not None else None
    kinds = {DatasetKind.RAW: "raw", DatasetKind.DERIVED: "derived"}
    return DatasetQuery(
        text=words, technique=await named(info, "technique", f.technique),
        facility=await named(info, "facility", f.facility), instrument=await named(info, "instrument", f.instrument),
        proposal=await named(info, "proposal", f.proposal), kind=kinds[f.kind] if f.kind else None,
        licence=licence_iri(f.licence.strip()) if f.licence is not None else None,
        access=f.access.value if f.access else None, embargoed=f.embargoed,
        created_from=f.created.from_ if f.created else None, created_to=f.created.to if f.created else None,
        embargo_end_from=f.embargo_end.from_ if f.embargo_end else None,
        embargo_end_to=f.embargo_end.to if f.embargo_end else None,
        parameters=tuple(IndexRange(p.name, p.min, p.max, p.unit) for p in f.parameters or ()),
        has_doi=f.has_doi, cited=f.cited)


async def publication_query(info: INFO, f: PublicationFilter | None) -> EntityQuery:
    if f is None:
        return EntityQuery("publication")
    return EntityQuery("publication", text=f.text, creator=await named(info, "person", f.author),
                       date_from=f.issued.from_ if f.issued else None, date_to=f.issued.to if f.issued else None)


async def software_query(info: INFO, f: SoftwareFilter | None) -> EntityQuery:
    if f is None:
        return EntityQuery("software")
    return EntityQuery("software", text=f.text, technique=await named(info, "technique", f.technique))


async def instrument_query(info: INFO, f: InstrumentFilter | None) -> EntityQuery:
    if f is None:
        return EntityQuery("instrument")
    return EntityQuery("instrument", text=f.text, facility=await named(info, "facility", f.facility),
                       technique=await named(info, "technique", f.technique))


async def person_query(info: INFO, f: PersonFilter | None) -> EntityQuery:
    if f is None:
        return EntityQuery("person")
    return EntityQuery("person", text=f.text, affiliation=await named(info, "organization", f.affiliation))
