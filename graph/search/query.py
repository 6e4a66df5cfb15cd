"""What a caller asks for (:class:`DatasetQuery`), as one tantivy query confined to the caller's scope.

Every filter is an exact term, a range or a term set built here, never text handed to tantivy's query parser:
a value with quotes, colons or brackets is a value. Free text is cut into words by the index's own analyzer
(:func:`graph.search.schema.analyzer`) and each word must be in the title, the description or a technique's
labels and synonyms (BM25 scores them; the filters score nothing): ``'"'``, ``'title:x'``, ``'(a OR b'``,
``'*'`` and ``'AND'`` are the words ``title``, ``x``, ``a``, ``or``, ``b``, ``and``, or no word at all (then
nothing matches). The parser is used only for the term ranges the bindings offer no other way to build, on
hex text it cannot misread (:mod:`graph.search.schema`).

A parameter range is converted to SI base units (:mod:`graph.model.units`) and matched against the values
recorded in that SI unit, as GraphQL's filter does (``resolvers/graphql/filters.py``): a unit pint does not know,
a name no dataset the caller may read records, or a unit that cannot express the recorded values is a
:class:`~graph.errors.QueryError` that names it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

import tantivy
from tantivy import Occur, Query

from graph.errors import QueryError
from graph.model.access import PROPOSAL, Entitlement, everything
from graph.model.units import UnknownUnit, to_si
from graph.search import schema as s

if TYPE_CHECKING:
    from graph.search.index import SearchIndex
    from graph.store.reads import Scope

MAX_WORDS = 32
KINDS = ("raw", "derived", "dataset")
ACCESS_LEVELS = ("public", "restricted")
TITLE_BOOST = 2.0
"""A word in the title counts twice a word in the description or a technique's name."""


class Order(Enum):
    """How a page is ordered; every order ends with a tie-breaker, so an order is total and cursors exact."""

    CREATED = "created"
    """Newest first (datasets without a date last), then by IRI, descending."""
    CREATED_ASC = "created_asc"
    """Oldest first (datasets without a date first, as SPARQL orders unbound values), then by IRI."""
    TITLE = "title"
    """By title, ignoring case (datasets without a title, such as embargoed stubs, last), then by IRI."""
    IRI = "iri"
    """By IRI (so by PID within one kind of PID: the IRI is minted from it)."""
    RELEVANCE = "relevance"
    """Best BM25 score of the free text first, ties broken by a hash of the IRI; without text, as CREATED."""


@dataclass(frozen=True)
class ParameterRange:
    """A numeric parameter by name, with inclusive bounds in ``unit`` (any unit pint knows; None: SI base units,
    whatever unit the values were recorded in)."""

    name: str
    min: float | None = None
    max: float | None = None
    unit: str | None = None


Named = str | tuple[str, ...] | None
"""A thing by IRI, or any of several IRIs (a name several things bear); an empty tuple matches nothing."""


@dataclass(frozen=True)
class DatasetQuery:
    """Every field given must hold (AND); None leaves a field out. Things are named by IRI (technique, facility,
    instrument, proposal, licence, DOI); a technique takes in every technique below it."""

    text: str | None = None
    technique: Named = None
    facility: Named = None
    instrument: Named = None
    proposal: Named = None
    kind: str | None = None
    """``raw``, ``derived`` (or ``dataset``: neither)."""
    licence: str | None = None
    access: str | None = None
    """``public`` or ``restricted`` (under embargo: anonymous callers find its public stub)."""
    embargoed: bool | None = None
    """Restricted (True), or not restricted, which takes in datasets whose access level is not recorded (False)."""
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    embargo_end_from: dt.date | None = None
    embargo_end_to: dt.date | None = None
    parameters: tuple[ParameterRange, ...] = ()
    pid: str | None = None
    doi: str | None = None
    has_doi: bool | None = None
    cited: bool | None = None


def scope_filter(schema: tantivy.Schema, scope: Scope) -> Query:
    """The documents a reader of ``scope`` finds (the rule is in :mod:`graph.search.documents`)."""
    if everything(scope):
        return Query.term_query(schema, "role", "full")
    if scope == "public":
        return Query.term_query(schema, "readers", "public")
    if not isinstance(scope, Entitlement):
        raise QueryError(f"not a scope: {scope!r}")
    tokens = [f"reader:{g}" for g in sorted(scope.groups)] + [f"reader:{PROPOSAL}{p}" for p in sorted(scope.proposals)]
    mine = Query.term_set_query(schema, "readers", ["public", *tokens])
    if not tokens:
        return mine
    return Query.boolean_query([(Occur.Must, mine), (Occur.MustNot, Query.term_set_query(schema, "shadowed", tokens))])


_ANALYZER = s.analyzer()


def words(text: str) -> list[str]:
    """The words of a free text as the index cut its fields into words; :class:`QueryError` past MAX_WORDS."""
    found = list(dict.fromkeys(_ANALYZER.analyze(text)))
    if len(found) > MAX_WORDS:
        raise QueryError(f"free text takes at most {MAX_WORDS} words, not {len(found)}")
    return found


def text_query(schema: tantivy.Schema, text: str) -> Query:
    """Every word in one of the text fields, scored by BM25; no word at all matches nothing."""
    found = words(text)
    if not found:
        return Query.empty_query()
    musts = []
    for word in found:
        fields = [Query.boost_query(Query.term_query(schema, "title", word), TITLE_BOOST)]
        fields += [Query.term_query(schema, name, word) for name in s.TEXT_FIELDS if name != "title"]
        musts.append((Occur.Must, Query.boolean_query([(Occur.Should, q) for q in fields])))
    return Query.boolean_query(musts)


def build(index: SearchIndex, query: DatasetQuery, scope: Scope, searcher: tantivy.Searcher) -> tuple[Query, bool]:
    """The tantivy query of ``query`` in ``scope``, and whether it has free text to rank by."""
    schema = index.schema
    scoped = scope_filter(schema, scope)
    filters = [Query.term_query(schema, "entity", "dataset"), scoped]
    exact = {"facility": query.facility, "instrument": query.instrument, "proposal": query.proposal,
             "licence": query.licence, "pid": query.pid, "doi": query.doi}
    filters += [named(schema, name, value) for name, value in exact.items() if value is not None]
    if query.technique is not None:
        for technique in (query.technique,) if isinstance(query.technique, str) else query.technique:
            if technique not in index.techniques:
                raise QueryError(f"unknown technique {technique!r}: give the IRI of a technique of the graph "
                                 "(a PaNET class such as http://purl.org/pan-science/PaNET/PaNET01188)")
        filters.append(named(schema, "technique", query.technique))
    if query.kind is not None:
        filters.append(Query.term_query(schema, "kind", _one_of("kind", query.kind, KINDS)))
    if query.access is not None:
        filters.append(Query.term_query(schema, "access", _one_of("access", query.access, ACCESS_LEVELS)))
    for name, lo, hi in (("created", query.created_from, query.created_to),
                         ("embargo_end", query.embargo_end_from, query.embargo_end_to)):
        if lo is not None or hi is not None:
            filters.append(days(schema, name, lo, hi))
    if query.embargoed is not None:
        filters.append(_whether(Query.term_query(schema, "access", "restricted"), query.embargoed))
    if query.has_doi is not None:
        filters.append(_whether(Query.exists_query("doi"), query.has_doi))
    if query.cited is not None:
        cited = Query.range_query(schema, "citations", tantivy.FieldType.Unsigned, 1, None)
        filters.append(_whether(cited, query.cited))
    for parameter in query.parameters:
        filters.append(_parameter(index, parameter, scoped, searcher))
    where = Query.boolean_query([(Occur.Must, f) for f in filters])
    if query.text is None:
        return Query.const_score_query(where, 1.0), False
    text = text_query(schema, query.text)
    return Query.boolean_query([(Occur.Must, text), (Occur.Must, Query.const_score_query(where, 0.0))]), True


def named(schema: tantivy.Schema, field: str, value: str | tuple[str, ...]) -> Query:
    """``field`` holds the IRI, or one of the IRIs (none: nothing matches)."""
    if isinstance(value, str):
        return Query.term_query(schema, field, value)
    if not value:
        return Query.empty_query()
    return Query.term_set_query(schema, field, list(value))


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise QueryError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _whether(query: Query, wanted: bool) -> Query:
    if wanted:
        return query
    return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, query)])


def days(schema: tantivy.Schema, name: str, lo: dt.date | None, hi: dt.date | None) -> Query:
    """Inclusive days, from midnight UTC (as GraphQL's ``DateRange``)."""
    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)

    upper = midnight(hi + dt.timedelta(days=1)) if hi is not None else None
    return Query.range_query(schema, name, tantivy.FieldType.Date, midnight(lo) if lo is not None else None, upper,
                             include_upper=upper is None)


def _parameter(index: SearchIndex, p: ParameterRange, scoped: Query, searcher: tantivy.Searcher) -> Query:
    """Values of ``p.name`` within the bounds, in SI, in the SI unit of ``p.unit`` (any recorded one without)."""
    if not p.name:
        raise QueryError("a parameter range needs the parameter's name")
    lo, hi, si_unit = p.min, p.max, None
    if p.unit is not None and p.unit.strip():
        try:
            si_unit = to_si(1.0, p.unit)[1]
            lo = to_si(lo, p.unit)[0] if lo is not None else None
            hi = to_si(hi, p.unit)[0] if hi is not None else None
        except UnknownUnit:
            raise QueryError(f"unknown unit {p.unit!r} (try keV, eV, K, degC, angstrom, nm, s, ms)") from None
    # The units the name is recorded in, counted over the documents the caller finds: a name only embargoed
    # datasets record is as unknown to an anonymous caller as one no dataset records.
    prefix = s.unit_term(p.name, "")
    recorded = sorted(term[len(prefix):] for term, count in searcher.terms_with_prefix("param_unit", prefix, scoped)
                      if count)
    if not recorded:
        raise QueryError(f"unknown parameter {p.name!r}: no dataset records it")
    if si_unit is not None and si_unit not in recorded:
        raise QueryError(f"unit {p.unit!r} ({si_unit or 'dimensionless'} in SI) cannot express {p.name!r}, recorded "
                         f"in {', '.join(u or 'no unit' for u in recorded)}")
    # The same tolerance as GraphQL's SPARQL filter: a bound converted from another unit may miss by a rounding.
    lo = lo - abs(lo) * 1e-9 if lo is not None else None
    hi = hi + abs(hi) * 1e-9 if hi is not None else None
    units = [si_unit] if si_unit is not None else recorded
    ranges = [index.parse(s.param_range(p.name, unit, lo, hi)) for unit in units]
    return ranges[0] if len(ranges) == 1 else Query.boolean_query([(Occur.Should, q) for q in ranges])
