"""The home page and ``/api/stats``: what the graph holds, as anonymous visitors may see it."""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from graph.store.embedded import GraphStore
from graph.store.stats import stats
from ontology.namespaces import DCAT, DCTERMS, RDFS
from ontology.terms import PANKG
from resolvers import capacity

RECENT = f"""
SELECT ?d ?title ?created ?technique ?facility WHERE {{
  ?d a <{DCAT.Dataset}> ; <{DCTERMS.title}> ?title ; <{DCTERMS.created}> ?created .
  OPTIONAL {{ ?d <{PANKG.technique}> ?t . ?t <{RDFS.label}> ?technique }}
  OPTIONAL {{ ?d <{PANKG.facility}> ?f . ?f <{RDFS.label}> ?facility }}
}} ORDER BY DESC(?created) LIMIT 10"""


def _store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


async def api_stats(request: Request) -> Response:
    result = await capacity.read(request, stats, _store(request), "public")
    return JSONResponse(result.as_json(public=True))


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def _recent(store: GraphStore) -> list[list[str]]:
    _, rows = store.query(RECENT, "public")
    return [[term.value if term is not None else "" for term in row] for row in rows]


async def home(request: Request) -> Response:
    store = _store(request)
    result = await capacity.read(request, stats, store, "public")
    recent = await capacity.read(request, _recent, store)
    esc = html.escape
    counts = "".join(f"<tr><td>{esc(k)}</td><td>{v:,}</td></tr>" for k, v in result.entities.items() if v)
    rows = "".join(
        f"<tr><td><code>{esc(d)}</code></td><td>{esc(t)}</td><td>{esc(c[:10])}</td><td>{esc(tech)}</td>"
        f"<td>{esc(fac)}</td></tr>"
        for d, t, c, tech, fac in recent
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pankg</title>
<style>body{{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;margin:1rem 0}}td,th{{border-bottom:1px solid #ddd;padding:.3rem .8rem;text-align:left}}
code{{font-size:.85em}}</style></head><body>
<h1>pankg: the photon and neutron knowledge graph</h1>
<p>{result.triples:,} public triples; {result.embargoed_datasets:,} datasets under embargo show only their public stub.
Statistics as JSON: <a href="/api/stats">/api/stats</a>.</p>
<h2>What the graph holds</h2><table><tr><th>kind</th><th>count</th></tr>{counts}</table>
<h2>Latest public datasets</h2>
<table><tr><th>IRI</th><th>title</th><th>created</th><th>technique</th><th>facility</th></tr>{rows}</table>
</body></html>"""
    return HTMLResponse(page)


routes = [Route("/", home), Route("/api/stats", api_stats), Route("/healthz", health)]
