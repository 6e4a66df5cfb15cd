"""Linked Data: every IRI pankg mints dereferences at ``GET /id/<kind>/<pid>``, in the format the client asks for.

A minted IRI is ``<base><kind>/<percent-encoded pid>`` (``graph/iris.py``). The base names the dataset for
the world (``https://w3id.org/pankg/id/`` by default); a redirect there (w3id, a proxy) sends the request to
whatever host runs ``pankg serve``, which answers under its own ``/id/``. So the server never trusts the
``Host`` it was reached by: it maps the path after ``/id/`` back onto the store's configured base
(``GraphStore.minter.base``), and the same app works behind w3id, a facility proxy or on 127.0.0.1.

The answer is the entity's outgoing triples plus the ``rdfs:label`` of each thing it links to (a CBD-like view
that lets a page name its links), read in one SPARQL query inside the caller's scope. Anonymous callers read
scope ``public``, so an embargoed dataset shows its public stub and nothing else: the restricted graphs are
not in the query's dataset at all. ``routes(scope_of=...)`` is the hook for authenticated scopes.

Formats (``Vary: Accept``; ``?format=`` overrides the header): Turtle (the default), N-Triples, JSON-LD,
RDF/XML, HTML, and for datasets a schema.org ``Dataset`` (``?format=schema`` or
``Accept: application/ld+json; profile="https://schema.org"``) for search engines.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from graph.errors import NotFound
from graph.iris import KINDS, Minter
from graph.store import GraphStore, Scope
from ontology.namespaces import DCAT, RDF, RDFS
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
    TURTLE: ox.RdfFormat.TURTLE,
    NTRIPLES: ox.RdfFormat.N_TRIPLES,
    JSONLD: ox.RdfFormat.JSON_LD,
    RDFXML: ox.RdfFormat.RDF_XML,
}

ScopeOf = Callable[[Request], Scope]
"""Which scope a request reads: the one place where authentication will plug in."""


def anonymous(request: Request) -> Scope:
    """Every caller is anonymous until bearer tokens are mapped to scopes (a later step of issue 7)."""
    return "public"


# One query, one snapshot: the entity's own triples and the labels of what it links to. Never one query per link.
DESCRIBE = """
CONSTRUCT {{ {iri} ?p ?o . ?linked <{label}> ?name }}
WHERE {{
  {{ {iri} ?p ?o }}
  UNION
  {{ {iri} ?q ?linked . FILTER(isIRI(?linked)) ?linked <{label}> ?name }}
}}"""


@dataclass(frozen=True)
class Description:
    """What the store holds about one IRI in one scope: its triples and the labels of its links."""

    iri: str
    triples: list[ox.Triple]
    base: str

    def objects(self, predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        """The entity's values of ``predicate``, in a stable order."""
        found = [t.object for t in self.triples if t.subject.value == self.iri and t.predicate.value == predicate]
        return sorted(found, key=str)  # type: ignore[arg-type]

    def first(self, predicate: str) -> str:
        """The entity's (sorted) first value of ``predicate`` as text, or ''."""
        values = self.objects(predicate)
        return values[0].value if values else ""

    def labels(self) -> dict[str, str]:
        """``{IRI: label}`` for the entity and the things it links to (one label each, the smallest)."""
        found: dict[str, str] = {}
        for t in self.triples:
            if t.predicate.value == RDFS.label and isinstance(t.object, ox.Literal):
                key = t.subject.value
                if key not in found or t.object.value < found[key]:
                    found[key] = t.object.value
        return found

    @property
    def is_dataset(self) -> bool:
        return any(o.value == DCAT.Dataset for o in self.objects(RDF.type))


def iri_of(base: str, rest: bytes) -> str | None:
    """The minted IRI for the path after ``/id/`` (still percent-encoded), or None when it names no kind.

    The PID is decoded and encoded again exactly as the :class:`~graph.iris.Minter` does, so ``%2f`` and
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


def describe(store: GraphStore, iri: str, scope: Scope) -> Description:
    """The entity's description in ``scope``; :class:`NotFound` when it has no triple there."""
    node = ox.NamedNode(iri)  # validates: a minted IRI never holds '<', '>', '"', spaces
    triples = store.query(DESCRIBE.format(iri=node, label=RDFS.label), scope)
    unique = list(dict.fromkeys(triples))  # the same triple may sit in several graphs
    if not any(t.subject == node for t in unique):
        raise NotFound(f"{iri} has no description here" + ("" if scope == "all" else " that you may see"))
    return Description(iri, unique, store.minter.base)


def serialize(description: Description, media: str) -> bytes:
    """RDF bytes in ``media``; prefixes only for namespaces the triples use, so the Turtle stays readable."""
    used = {t.predicate.value for t in description.triples} | {
        t.object.value for t in description.triples if t.predicate.value == RDF.type
    }
    prefixes = {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in used)}
    return bytes(ox.serialize(description.triples, format=RDF_FORMATS[media], prefixes=prefixes))


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
