"""Which format a SPARQL response is written in: ``?format=`` first, else the Accept header.

The formats themselves, and which of them each kind of result can take, are :mod:`graph.query.formats`; what is
HTTP's is the choice among them for one request.
"""

from __future__ import annotations

from graph.query.formats import BOOLEAN, GRAPH, KEYS, OFFERS, SOLUTIONS, Format, ResultKind
from resolvers.negotiation import negotiate

__all__ = ["BOOLEAN", "GRAPH", "KEYS", "SOLUTIONS", "Chooser", "Format", "pick"]


def pick(accept: str | None, wanted: str | None, offers: dict[str, Format]) -> Format:
    """The format for a response with ``offers``: ``?format=`` first, else the Accept header (406 if none fits).

    A ``format`` this kind of result cannot take (``json`` for a CONSTRUCT is JSON-LD; ``csv`` for one is
    not offered) yields to the Accept header, as clients that send both expect.

    >>> pick("text/csv;q=0.5, application/sparql-results+xml", None, SOLUTIONS).media_type
    'application/sparql-results+xml'
    >>> pick(None, "ttl", GRAPH).media_type
    'text/turtle; charset=utf-8'
    """
    if wanted is not None:
        media = KEYS.get(wanted.lower(), wanted.lower())
        if media in offers:
            return offers[media]
    return offers[negotiate(accept, list(offers))]


class Chooser:
    """The choice of :func:`pick` for whatever a query returns, made once its kind is known (the store calls
    it: :data:`graph.query.results.Choose`). A class, not a closure, so that it pickles."""

    def __init__(self, accept: str | None, wanted: str | None) -> None:
        self.accept, self.wanted = accept, wanted

    def __call__(self, kind: ResultKind) -> Format:
        return pick(self.accept, self.wanted, OFFERS[kind])
