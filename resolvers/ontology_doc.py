"""The pankg ontology (and its SHACL shapes) published at ``/ontology``, in the format the client asks for.

The namespace IRI ``https://w3id.org/pankg/ontology#`` is meant to redirect here, so a term IRI such as
``https://w3id.org/pankg/ontology#RawDataset`` dereferences: a browser gets an HTML page with one anchor per
term, an RDF client Turtle, JSON-LD or RDF/XML of the same file (``Vary: Accept``). ``?format=ttl|jsonld|rdf|html``
picks a format from a link. The files are the ones in ``ontology/``; they are read and converted once.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from graph.errors import NotFound
from ontology import ONTOLOGY_DIR, PANKG_TTL
from resolvers.linked_data_views import link, linkable
from resolvers.negotiation import choose

TURTLE, JSONLD, RDFXML, HTML = "text/turtle", "application/ld+json", "application/rdf+xml", "text/html"
FORMATS = {"ttl": TURTLE, "jsonld": JSONLD, "rdf": RDFXML, "html": HTML}
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"


@lru_cache(maxsize=8)
def _graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


@lru_cache(maxsize=16)
def _serialized(path: Path, media: str) -> bytes:
    if media == TURTLE:
        return path.read_bytes()
    fmt = {JSONLD: "json-ld", RDFXML: "pretty-xml"}[media]
    return _graph(path).serialize(format=fmt, encoding="utf-8")


def _text(g: rdflib.Graph, s: rdflib.term.Node, p: rdflib.term.Node) -> str:
    return "; ".join(sorted(str(o) for o in g.objects(s, p)))


def _local(g: rdflib.Graph, node: rdflib.term.Node) -> str:
    """A term as a link: to its anchor when it is ours, else its prefixed name."""
    if not isinstance(node, rdflib.URIRef):
        return ""
    name = g.namespace_manager.normalizeUri(node)
    ns = _namespace(g)
    if str(node).startswith(ns):
        fragment = str(node)[len(ns) :]
        return f'<a href="#{html.escape(fragment)}">{html.escape(name)}</a>'
    return link(str(node) if linkable(str(node)) else None, name)


def _namespace(g: rdflib.Graph) -> str:
    for s in g.subjects(RDF.type, OWL.Ontology):
        return str(s) if str(s).endswith(("#", "/")) else str(s) + "#"
    return ""


@lru_cache(maxsize=4)
def _html(path: Path) -> bytes:
    g = _graph(path)
    ns = _namespace(g)
    esc = html.escape
    ontology = next(iter(g.subjects(RDF.type, OWL.Ontology)), None)
    title = _text(g, ontology, rdflib.DCTERMS.title) if ontology is not None else path.name
    sections = []
    kinds = [
        ("Classes", OWL.Class),
        ("Object properties", OWL.ObjectProperty),
        ("Datatype properties", OWL.DatatypeProperty),
        ("Individuals", OWL.NamedIndividual),  # and every other term of the namespace
    ]
    ours = {t for t in g.subjects() if isinstance(t, rdflib.URIRef) and str(t).startswith(ns) and str(t) != ns}
    listed: set[rdflib.URIRef] = set()
    for heading, kind in kinds:
        rows = []
        members = ours - listed if kind == OWL.NamedIndividual else ours & set(g.subjects(RDF.type, kind))
        listed |= members
        for term in sorted(members):
            fragment = str(term)[len(ns) :]
            facts = [
                f"{label}: {', '.join(_local(g, o) for o in sorted(g.objects(term, p), key=str))}"
                for label, p in (("subclass of", RDFS.subClassOf), ("domain", RDFS.domain), ("range", RDFS.range))
                if (term, p, None) in g
            ]
            rows.append(
                f'<dt id="{esc(fragment)}"><code>pankg:{esc(fragment)}</code> {esc(_text(g, term, RDFS.label))}</dt>'
                f"<dd>{esc(_text(g, term, RDFS.comment))}"
                + (f"<br><small>{' · '.join(facts)}</small>" if facts else "")
                + "</dd>"
            )
        if rows:
            sections.append(f"<h2>{heading}</h2><dl>{''.join(rows)}</dl>")
    description = _text(g, ontology, rdflib.DCTERMS.description) if ontology is not None else ""
    links = " · ".join(f'<a href="?format={key}">{key}</a>' for key in FORMATS if key != "html")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}}
dt{{margin-top:.8rem;font-weight:600}}dd{{margin-left:1.5rem}}:target{{background:#ffd}}</style></head><body>
<h1>{esc(title)}</h1><p>Namespace <code>{esc(ns)}</code>. {esc(description)}</p>
<p>Also as {links}.</p>{"".join(sections)}</body></html>"""
    return page.encode()


def _publish(path: Path, request: Request) -> Response:
    if not path.is_file():
        raise NotFound(f"{path.name} is not part of this installation")
    media = choose(request, [TURTLE, HTML, JSONLD, RDFXML], FORMATS)
    headers = {"Vary": "Accept"}
    if media == HTML:
        return HTMLResponse(_html(path), headers=headers)
    return Response(_serialized(path, media), media_type=media, headers=headers)


async def ontology(request: Request) -> Response:
    return _publish(PANKG_TTL, request)


async def shapes(request: Request) -> Response:
    return _publish(SHAPES_TTL, request)


routes = [
    Route("/ontology", ontology),
    Route("/ontology/", ontology),
    Route("/ontology/shapes", shapes),
]
