"""Reading one node's facts for the DataCite export (:mod:`graph.exports.datacite`): a few batched queries.

The export reads a DOI's neighbourhood level by level (the record, its qualified nodes, the agents and
organizations they name) with one ``VALUES`` query per level rather than one query per value.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from graph.model.datacite_rdf import RESOLVERS

if TYPE_CHECKING:
    from graph.store.embedded import GraphStore, Scope

Facts = dict[str, list[Any]]
"""One node's outgoing triples: predicate (N-Triples form) -> objects (terms of :mod:`graph.query.terms`)."""
_NUMBERED = re.compile(r"%23[A-Za-z]+-(\d+)$")


def _nt(term: Any) -> str:
    return f"<{term.value}>" if type(term).__name__ == "NamedNode" else str(term)


def describe(store: GraphStore, nodes: list[str], scope: Scope = "all") -> dict[str, Facts]:
    """The outgoing triples of ``nodes`` (IRIs) that a reader of ``scope`` sees, one query for all of them."""
    found: dict[str, Facts] = {n: defaultdict(list) for n in nodes}
    if not nodes:
        return found
    values = " ".join(f"<{n}>" for n in nodes)
    _, rows = store.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}", scope)
    for s, p, o in rows:
        found[s.value][f"<{p.value}>"].append(o)
    return found


def _texts(facts: Facts, prop: str) -> list[str]:
    return sorted({o.value for o in facts.get(prop, [])})


def _text(facts: Facts, prop: str) -> str:
    texts = _texts(facts, prop)
    return texts[0] if texts else ""


def _iris(facts: Facts, prop: str) -> list[str]:
    return sorted({o.value for o in facts.get(prop, []) if type(o).__name__ == "NamedNode"})


def _lang(term: Any) -> str:
    return getattr(term, "language", None) or ""


def _order(iri: str) -> tuple[int, str]:
    """Qualified nodes sort in their record's order (``...%23date-3`` is the third date)."""
    match = _NUMBERED.search(iri)
    return (int(match.group(1)) if match else 1 << 30, iri)


def identifier_of(iri: str, kind: str = "") -> tuple[str, str]:
    """A related resource's (identifier, relatedIdentifierType) from its IRI, undoing :func:`related_iri`."""
    if iri.startswith("https://doi.org/"):
        return iri[len("https://doi.org/"):], "DOI"
    prefix = RESOLVERS.get(kind, "")
    if prefix and iri.startswith(prefix):
        return iri[len(prefix):], kind
    return iri, kind or "URL"
