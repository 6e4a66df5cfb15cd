"""GraphQL latency: a page of 50 datasets with nested links, against one hand-written SPARQL query.

    python bench/graphql_latency.py --datasets 100000 [--requests 200]

Loads the demo into an in-memory store, then asks for pages of 50 public datasets (walking forward with
cursors, so each request reads a different page) with their techniques, facility, DOIs, software versions
and software, citing papers and citation count:

- graphql: POST /graphql through the ASGI app (httpx's ASGI transport: the whole HTTP path, no socket),
  batched loading, the public scope;
- sparql: the same answer from one hand-written SPARQL query per page (a page sub-select, then OPTIONAL
  joins for every link), in the same scope, the rows folded into the same nested shape in Python.

It prints p50/p99 latency and requests/s of each, the ratios graphql / sparql (the target is <= 2x), and
the store queries per GraphQL request. ``--datasets 2000`` is a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGE = 50
QUERY = """query($after: String) { datasets(first: 50, after: $after, filter: {embargoed: false}) {
  pageInfo { endCursor } edges { node { iri pid title techniques { label } facility { name }
  dois { doi } software { version software { name } } citationCount citedBy { title } } } } }"""

SPARQL = """PREFIX pankg: <https://w3id.org/pankg/ontology#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cito: <http://purl.org/spar/cito/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX schema: <http://schema.org/>
SELECT ?d ?pid ?title ?tl ?fn ?doi ?ver ?swn ?p ?pt WHERE {
  { SELECT ?d WHERE { ?d a dcat:Dataset . FILTER(!EXISTS { ?d pankg:accessLevel pankg:Restricted }) }
    ORDER BY ?d OFFSET %d LIMIT 50 }
  OPTIONAL { ?d dcterms:identifier ?pid } OPTIONAL { ?d dcterms:title ?title }
  OPTIONAL { ?d pankg:technique ?t . OPTIONAL { ?t rdfs:label ?tl } }
  OPTIONAL { ?d pankg:facility ?f . OPTIONAL { ?f foaf:name ?fn } }
  OPTIONAL { ?d pankg:doi ?doi }
  OPTIONAL { ?d prov:wasGeneratedBy ?r . ?r pankg:usedSoftware ?v . OPTIONAL { ?v schema:softwareVersion ?ver }
             OPTIONAL { ?v dcterms:isVersionOf ?sw . ?sw schema:name ?swn } }
  OPTIONAL { { ?d pankg:doi ?x . ?p cito:cites ?x } UNION { ?p cito:cites ?d } OPTIONAL { ?p dcterms:title ?pt } }
}"""


def sparql_page(store: Any, offset: int) -> list[dict[str, Any]]:
    """The baseline: one query, rows folded into the nested shape GraphQL returns."""
    _, rows = store.query(SPARQL % offset, "public")
    pages: dict[str, dict[str, Any]] = {}
    for d, pid, title, tl, fn, doi, ver, swn, p, pt in rows:
        node = pages.setdefault(d.value, {"iri": d.value, "pid": pid and pid.value, "title": title and title.value,
                                          "techniques": set(), "facility": fn and fn.value, "dois": set(),
                                          "software": set(), "citedBy": defaultdict(str)})
        if tl is not None:
            node["techniques"].add(tl.value)
        if doi is not None:
            node["dois"].add(doi.value)
        if ver is not None:
            node["software"].add((ver.value, swn and swn.value))
        if p is not None:
            node["citedBy"][p.value] = pt.value if pt is not None else ""
    for node in pages.values():
        node["citationCount"] = len(node["citedBy"])
    return list(pages.values())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def run_graphql(store: Any, requests: int) -> tuple[list[float], int, float]:
    import httpx

    from pankg.app import create_app

    calls = 0
    real = store.query

    def counting(sparql: str, scope: Any = "all") -> Any:
        nonlocal calls
        calls += 1
        return real(sparql, scope)

    store.query = counting
    times: list[float] = []
    transport = httpx.ASGITransport(app=create_app(store))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        after = None
        start = time.perf_counter()
        for _ in range(requests):
            t = time.perf_counter()
            response = await client.post("/graphql", json={"query": QUERY, "variables": {"after": after}})
            times.append(time.perf_counter() - t)
            body = response.json()
            assert "errors" not in body, body["errors"]
            after = body["data"]["datasets"]["pageInfo"]["endCursor"]
        wall = time.perf_counter() - start
    store.query = real
    return times, calls, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    from graph.store.embedded import GraphStore
    from loaders.base import load
    from loaders.demo import DemoCatalogue, DemoSource

    store = GraphStore()
    t = time.perf_counter()
    load(store, DemoSource(DemoCatalogue(datasets=args.datasets, seed=args.seed, today=dt.date(2026, 11, 21))))
    print(f"demo of {args.datasets:,} datasets loaded in {time.perf_counter() - t:.1f} s")
    public = len(store.query("SELECT ?d WHERE { ?d <https://w3id.org/pankg/ontology#accessLevel> "
                             "<https://w3id.org/pankg/ontology#Public> }", "public")[1])
    requests = min(args.requests, max(1, public // PAGE))

    gq_times, calls, gq_wall = asyncio.run(run_graphql(store, requests))
    sp_times = []
    start = time.perf_counter()
    for k in range(requests):
        t = time.perf_counter()
        page = sparql_page(store, k * PAGE)
        sp_times.append(time.perf_counter() - t)
        assert len(page) == PAGE or k == requests - 1
    sp_wall = time.perf_counter() - start

    print(f"{requests} requests of a page of {PAGE} ({public:,} public datasets), walking forward")
    print(f"{'':8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for name, times, wall in (("graphql", gq_times, gq_wall), ("sparql", sp_times, sp_wall)):
        print(f"{name:8} {statistics.median(times) * 1e3:8.1f} {percentile(times, 0.99) * 1e3:8.1f} "
              f"{requests / wall:8.1f}")
    print(f"ratio graphql/sparql: p50 {statistics.median(gq_times) / statistics.median(sp_times):.2f}x, "
          f"p99 {percentile(gq_times, 0.99) / percentile(sp_times, 0.99):.2f}x, "
          f"throughput {sp_wall / gq_wall:.2f} of the baseline's")
    print(f"store queries per GraphQL request: {calls / requests:.1f}")


if __name__ == "__main__":
    main()
