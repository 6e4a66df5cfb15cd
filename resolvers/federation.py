"""Federated queries: ``SERVICE`` only to the SPARQL endpoints on an allowlist, so the server fetches no other URL.

pyoxigraph fetches whatever URL a ``SERVICE`` names and has no switch to turn that off, so every query is
checked before it runs:

1. a quick scan of the text (codepoint escapes like ``\\u0053ERVICE`` decoded, then strings, IRIs and
   comments skipped) finds whether the keyword ``SERVICE`` is used at all; most queries stop here;
2. a query that uses it is parsed with rdflib and every ``SERVICE`` target is collected, in subqueries,
   ``EXISTS`` and ``OPTIONAL`` alike, prefixed names resolved;
3. each target must be an IRI that is *exactly* on the allowlist (``PANKG_SPARQL_SERVICES``, endpoint URLs
   separated by spaces or commas; empty by default). ``SERVICE ?var`` is refused (its URL would come from
   the data), and so is a query rdflib cannot parse or in which it finds fewer targets than keywords.

A refusal is 403 naming the first refused endpoint. The other ways a query could name a URL do not fetch
it: ``FROM``/``FROM NAMED`` only select graphs of the store (pyoxigraph does not dereference them), and
``LOAD`` is an update, which the endpoint refuses.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from graph.errors import PankgError

# Strings, IRIs and comments, skipped left to right, so that a SERVICE keyword is found only where it is one.
_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\s]*>|#[^\n]*')
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


class ServiceRefused(PankgError):
    """A ``SERVICE`` whose endpoint is not on the allowlist: the server fetches no URL it was not told to."""

    status = 403


def allowlist_from_env() -> frozenset[str]:
    """The endpoints ``SERVICE`` may call: ``PANKG_SPARQL_SERVICES``, space- or comma-separated URLs."""
    return frozenset(u for u in re.split(r"[\s,]+", os.environ.get("PANKG_SPARQL_SERVICES", "")) if u)


def service_keywords(sparql: str) -> int:
    """How many times the keyword ``SERVICE`` is used (not inside a string, an IRI or a comment)."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), sparql)
    return len(_SERVICE.findall(_OPAQUE.sub(" ", text)))


def service_targets(sparql: str) -> list[str | None] | None:
    """Every ``SERVICE`` target of the query: an IRI, or None for a variable; None if rdflib cannot parse it.

    >>> service_targets("PREFIX e: <http://e.org/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }")
    ['http://e.org/sparql']
    """
    from rdflib import URIRef
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(sparql)).algebra
    except Exception:  # any parse failure: the query is refused, not guessed at
        return None
    found: list[Any] = []
    _collect(algebra, found, set())
    return [str(term) if isinstance(term, URIRef) else None for term in found]


def _collect(node: Any, found: list[Any], seen: set[int]) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            found.append(node.get("term"))
        children: Iterable[Any] = node.values()
    elif isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple)):
        children = node
    else:
        return
    for child in children:
        _collect(child, found, seen)


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def check_services(sparql: str, allowed: frozenset[str]) -> None:
    """Raise 403 unless every ``SERVICE`` of ``sparql`` calls an endpoint in ``allowed`` (exact IRIs)."""
    keywords = service_keywords(sparql)
    if keywords == 0:
        return
    if not allowed:
        raise ServiceRefused("SERVICE (federated query) is disabled on this endpoint: no endpoint is allowed")
    targets = service_targets(sparql)
    if targets is None or len(targets) < keywords:
        raise ServiceRefused("SERVICE is refused: its endpoints could not be read from this query")
    for target in targets:
        if target is None:
            raise ServiceRefused("SERVICE with a variable is refused: only named endpoints on the allowlist")
        if target not in allowed:
            raise ServiceRefused(
                f"SERVICE to {_host(target)} is refused: {target} is not on this endpoint's allowlist"
            )
