"""HTTP content negotiation (RFC 9110 §12.5.1): pick the offered media type the client prefers.

Every view that speaks several formats (the ontology, Linked Data, SPARQL results) answers with the
client's best-rated type among what it offers, honouring q-values, ``type/*`` and ``*/*``, and answers
406 when the client accepts none of them. A ``format`` query parameter (``?format=ttl``) overrides the
header, for links people paste into a browser.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.requests import Request

from graph.errors import PankgError


class NotAcceptable(PankgError):
    """The client accepts none of the media types this resource has."""

    status = 406


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    """``(range, q, specificity)`` for each media range of an Accept header; malformed q counts as 1."""
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 1.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, specificity))
    return ranges


def _quality(offer: str, ranges: list[tuple[str, float, int]]) -> float:
    """The q of the most specific range that matches ``offer`` (0 when none does)."""
    best: tuple[int, float] | None = None
    for media, q, specificity in ranges:
        matches = media == offer or media == "*/*" or (specificity == 1 and offer.startswith(media[:-1]))
        if matches and (best is None or specificity > best[0]):
            best = (specificity, q)
    return best[1] if best else 0.0


def negotiate(accept: str | None, offers: Sequence[str]) -> str:
    """The offer the client prefers; the first offer when there is no Accept header; raise 406 if none fits.

    Ties go to the earlier offer, so list the resource's natural format first.
    """
    if not accept or not accept.strip():
        return offers[0]
    ranges = _ranges(accept)
    scored = [(_quality(offer, ranges), -n, offer) for n, offer in enumerate(offers)]
    q, _, offer = max(scored)
    if q <= 0:
        raise NotAcceptable(f"this resource is available as {', '.join(offers)}; the request accepts none of them")
    return offer


def choose(request: Request, offers: Sequence[str], formats: Mapping[str, str]) -> str:
    """``negotiate`` for a request, with ``?format=`` (a key of ``formats``, e.g. ``ttl``) taking precedence."""
    wanted = request.query_params.get("format")
    if wanted is not None:
        if wanted not in formats:
            raise NotAcceptable(f"unknown format {wanted!r}; this resource has format={', '.join(formats)}")
        return formats[wanted]
    return negotiate(request.headers.get("accept"), offers)
