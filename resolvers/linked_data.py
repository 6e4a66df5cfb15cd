"""Linked Data: every IRI pankg mints dereferences at ``GET /id/<kind>/<pid>``, in the format the client asks for.

A minted IRI is ``<base><kind>/<percent-encoded pid>`` (``graph/model/iris.py``). The base names the dataset for
the world (``https://w3id.org/pankg/id/`` by default); a redirect there (w3id, a proxy) sends the request to
whatever host runs ``pankg serve``, which answers under its own ``/id/``. So the server never trusts the
``Host`` it was reached by: it maps the path after ``/id/`` back onto the store's configured base
(``GraphStore.minter.base``), and the same app works behind w3id, a facility proxy or on 127.0.0.1.

The answer is the entity's outgoing triples plus the ``rdfs:label`` of each thing it links to (a CBD-like view
that lets a page name its links), read in one SPARQL query inside the caller's scope
(:mod:`graph.query.describe`). Anonymous callers read scope ``public``, so an embargoed dataset shows its public
stub and nothing else: the restricted graphs are not in the query's dataset at all. ``routes(scope_of=...)`` is
the hook for authenticated scopes.

Formats (``Vary: Accept``; ``?format=`` overrides the header): Turtle (the default), N-Triples, JSON-LD,
RDF/XML, HTML, and for datasets a schema.org ``Dataset`` (``?format=schema`` or
``Accept: application/ld+json; profile="https://schema.org"``) for search engines.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from graph.errors import NotFound
from graph.model.iris import KINDS, Minter
from graph.query.describe import Description, describe
from graph.query.formats import RdfSyntax, serialize_triples
from graph.store.embedded import GraphStore, Scope
from ontology.namespaces import RDF
from resolvers import capacity
from resolvers.errors import error_response
from resolvers.linked_data_views import PREFIXES, html_page, not_found_page, schema_dataset
from resolvers.negotiation import NotAcceptable, choose

TURTLE, NTRIPLES, JSONLD = "text/turtle", "application/n-triples", "application/ld+json"
RDFXML, HTML = "application/rdf+xml", "text/html"
SCHEMA_PROFILE = "https://schema.org"
SCHEMA = f'{JSONLD}; profile="{SCHEMA_PROFILE}"'
OFFERS = [TURTLE, HTML, JSONLD, NTRIPLES, RDFXML]
FORMATS = {"ttl": TURTLE, "nt": NTRIPLES, "jsonld": JSONLD, "rdf": RDFXML, "html": HTML, "schema": SCHEMA}
RDF_FORMATS = {
    TURTLE: RdfSyntax.TURTLE,
    NTRIPLES: RdfSyntax.N_TRIPLES,
    JSONLD: RdfSyntax.JSON_LD,
    RDFXML: RdfSyntax.RDF_XML,
}

ScopeOf = Callable[[Request], Scope]
"""Which scope a request reads: the one place where authentication will plug in."""


def anonymous(request: Request) -> Scope:
    """Every caller is anonymous until bearer tokens are mapped to scopes (a later step of issue 7)."""
    return "public"


def iri_of(base: str, rest: bytes) -> str | None:
    """The minted IRI for the path after ``/id/`` (still percent-encoded), or None when it names no kind.

    The PID is decoded and encoded again exactly as the :class:`~graph.model.iris.Minter` does, so ``%2f`` and
    ``%2F``, or a ``/`` a client left unencoded, reach the same IRI.

    >>> iri_of("https://w3id.org/pankg/id/", b"instrument/ILL%2fD20")
    'https://w3id.org/pankg/id/instrument/ILL%2FD20'
    >>> iri_of("https://w3id.org/pankg/id/", b"nope/x") is None
    True
    """
    kind, sep, pid = rest.partition(b"/")
    kind_text = kind.decode("ascii", "replace")
    if not sep or not pid or kind_text not in KINDS:
        return None
    return Minter(base).minted(kind_text, unquote_to_bytes(pid).decode("utf-8", "replace"))


def serialize(description: Description, media: str) -> bytes:
    """RDF bytes in ``media``; prefixes only for namespaces the triples use, so the Turtle stays readable."""
    used = {t.predicate.value for t in description.triples} | {
        t.object.value for t in description.triples if t.predicate.value == RDF.type
    }
    prefixes = {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in used)}
    return serialize_triples(description.triples, RDF_FORMATS[media], prefixes)


def wants_schema(request: Request) -> bool:
    """Whether the Accept header asks for JSON-LD in the schema.org profile (``negotiate`` ignores parameters)."""
    for part in (request.headers.get("accept") or "").split(","):
        media, *params = (f.strip() for f in part.split(";"))
        if media.lower() != JSONLD:
            continue
        values = {k.strip().lower(): v.strip().strip('"') for k, _, v in (p.partition("=") for p in params)}
        if SCHEMA_PROFILE in values.get("profile", "").replace("http://", "https://").split() and values.get(
            "q", "1"
        ) not in ("0", "0.0", "0.00", "0.000"):
            return True
    return False


def _rest(request: Request) -> bytes:
    """The raw (still percent-encoded) path after ``/id/``: the decoded path would turn ``%2F`` into ``/``."""
    raw: bytes | None = request.scope.get("raw_path")
    prefix = (request.scope.get("root_path", "") + "/id/").encode()
    if raw is not None and raw.startswith(prefix):
        return raw[len(prefix) :]
    return str(request.path_params.get("rest", "")).encode()


def routes(scope_of: ScopeOf = anonymous) -> list[Route]:
    """The ``/id/`` route; ``scope_of`` maps a request to the scope it reads (anonymous: ``public``)."""

    async def entity(request: Request) -> Response:
        headers = {"Vary": "Accept"}
        try:
            media = choose(request, OFFERS, FORMATS)
        except NotAcceptable as exc:
            response = error_response(406, "NotAcceptable", str(exc))
            response.headers.update(headers)
            return response
        if media == JSONLD and wants_schema(request):
            media = SCHEMA
        store: GraphStore = request.app.state.store
        scope = scope_of(request)
        if scope == "public":
            headers["Access-Control-Allow-Origin"] = "*"  # public data: any web page may read it
        iri = iri_of(store.minter.base, _rest(request))
        try:
            if iri is None:
                kinds = ", ".join(sorted(KINDS))
                raise NotFound(f"{request.url.path} names no kind of entity that pankg mints ({kinds})")
            description = await capacity.read(request, describe, store, iri, scope)
        except NotFound as exc:
            if media == HTML:
                return HTMLResponse(not_found_page(str(exc)), status_code=404, headers=headers)
            response = error_response(404, "NotFound", str(exc))
            response.headers.update(headers)
            return response
        home = str(request.base_url)  # this server's root (ends in '/'), for /id/ links and the catalogue
        if media == SCHEMA:
            if not description.is_dataset:
                if request.query_params.get("format") == "schema":
                    raise NotAcceptable(f"{iri} is not a dataset: the schema.org view is for datasets only")
                media = JSONLD
            else:
                body = json.dumps(schema_dataset(description, home), ensure_ascii=False, indent=1)
                return Response(body.encode(), media_type=SCHEMA, headers=headers)
        if media == HTML:
            schema = schema_dataset(description, home) if description.is_dataset else None
            return HTMLResponse(html_page(description, home, schema), headers=headers)
        return Response(serialize(description, media), media_type=media, headers=headers)

    return [Route("/id/{rest:path}", entity, methods=["GET", "HEAD"])]
