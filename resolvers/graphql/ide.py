"""The in-browser IDE at ``GET /graphql`` (Accept: text/html), working with no internet.

strawberry's GraphiQL page loads React and GraphiQL from a CDN, which a beamline workstation often cannot
reach. So the real GraphiQL is served from local files: ``pankg assets`` (or ``pankg serve`` on start)
puts the pinned bundle in a cache (``assets.py``), and this module serves it under
``/graphql/assets/<bundle>/<file>`` with a page that names no other host. Without the cache, the page is
self-contained: a query editor, variables, a Run button (Ctrl+Enter), the JSON result and the schema on
demand, in plain HTML and JavaScript, with a line saying how to get the full IDE.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from resolvers.graphql import assets

MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
CACHE = "public, max-age=31536000, immutable"  # the bundle's version is in the URL
DEFAULT_QUERY = "{ datasets(first: 5) { totalCount edges { node { pid title techniques { label } } } } }"
"""The query both pages open with (``__QUERY__`` in their templates)."""

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pankg GraphQL</title>
<style>body{font-family:system-ui,sans-serif;margin:0;display:grid;grid-template-columns:1fr 1fr;height:100vh}
textarea,pre{font-family:ui-monospace,monospace;font-size:13px;box-sizing:border-box;width:100%;margin:0}
section{display:flex;flex-direction:column;padding:.5rem;gap:.4rem;min-height:0}
#query{flex:3}#variables{flex:1}pre{flex:1;overflow:auto;background:#f6f6f6;padding:.5rem}
header{display:flex;gap:.5rem;align-items:center}button{padding:.3rem 1rem}</style></head><body>
<section><header><strong>pankg GraphQL</strong><button id="run">Run (Ctrl+Enter)</button>
<button id="schema">Schema</button></header>
<small>For the full GraphiQL IDE run <code>pankg assets</code> where the server runs (it needs the npm
registry once), then reload.</small>
<textarea id="query" spellcheck="false">__QUERY__</textarea>
<label>Variables (JSON)</label><textarea id="variables" spellcheck="false">{}</textarea></section>
<section><pre id="result">Press Run.</pre></section>
<script>
const endpoint = "__ENDPOINT__";
async function post(query, variables) {
  const r = await fetch(endpoint, {method: "POST", headers: {"Content-Type": "application/json",
    "Accept": "application/graphql-response+json, application/json"}, body: JSON.stringify({query, variables})});
  return r.json();
}
async function run() {
  let variables = {};
  try { variables = JSON.parse(document.getElementById("variables").value || "{}"); }
  catch (e) { document.getElementById("result").textContent = "Variables are not JSON: " + e; return; }
  const out = await post(document.getElementById("query").value, variables);
  document.getElementById("result").textContent = JSON.stringify(out, null, 2);
}
async function schema() {
  const q = "{ __schema { types { name kind description fields { name description } } } }";
  const out = await post(q, {});
  const types = (out.data ? out.data.__schema.types : []).filter(t => !t.name.startsWith("__"));
  document.getElementById("result").textContent = types.map(t => t.kind + " " + t.name +
    (t.fields ? "\\n" + t.fields.map(f => "  " + f.name + (f.description ? "  # " + f.description : ""))
      .join("\\n") : "")
  ).join("\\n\\n");
}
document.getElementById("run").onclick = run;
document.getElementById("schema").onclick = schema;
document.addEventListener("keydown", e => { if (e.ctrlKey && e.key === "Enter") run(); });
</script></body></html>"""


_GRAPHIQL = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pankg GraphiQL</title>
<link rel="stylesheet" href="__BASE__/graphiql.min.css">
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style></head><body>
<div id="graphiql">Loading GraphiQL...</div>
<script src="__BASE__/react.production.min.js"></script>
<script src="__BASE__/react-dom.production.min.js"></script>
<script src="__BASE__/graphiql.min.js"></script>
<script>
const fetcher = GraphiQL.createFetcher({url: __ENDPOINT__});
ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(GraphiQL, {
  fetcher, defaultQuery: __QUERY__}));
</script></body></html>"""


def page(endpoint: str, where: Path) -> str:
    """GraphiQL from the local bundle when it is in the cache ``where``, else the self-contained page."""
    if not assets.present(where):
        text = _PAGE.replace("__QUERY__", html.escape(DEFAULT_QUERY))
        return text.replace("__ENDPOINT__", html.escape(endpoint, quote=True))
    script_endpoint = json.dumps(endpoint).replace("<", "\\u003c")  # a string literal that cannot end the script
    base = html.escape(f"{endpoint.rstrip('/')}/assets/{assets.BUNDLE}", quote=True)
    text = _GRAPHIQL.replace("__QUERY__", json.dumps(DEFAULT_QUERY)).replace("__BASE__", base)
    return text.replace("__ENDPOINT__", script_endpoint)


async def asset(request: Request) -> Response:
    """One file of the bundle, cached for a year (a new bundle has a new URL); anything else is 404."""
    bundle, name = request.path_params["bundle"], request.path_params["name"]
    path = request.app.state.assets / name
    if bundle != assets.BUNDLE or name not in assets.names() or not path.is_file():
        return PlainTextResponse("Not Found", status_code=404)
    media = MEDIA.get(path.suffix, "text/plain; charset=utf-8")
    return FileResponse(path, media_type=media, headers={"Cache-Control": CACHE, "X-Content-Type-Options": "nosniff"})


routes: list[Route] = [Route("/graphql/assets/{bundle}/{name}", asset, methods=["GET", "HEAD"])]
