"""The search index against SPARQL on the graph: build time, pages with totals, facets.

    python bench/search_index.py --datasets 20000

Over the demo catalogue in one on-disk store (built once):

- build: ``SearchIndex.rebuild`` against the store load of the same demo (ratio index build / load), and the
  index size against the store's;
- a filtered page of 50 with its total (raw datasets created since 2022 with photon energy 8-9 keV, in
  the public scope): the index against the same page and count in SPARQL (``ORDER BY`` + ``LIMIT``, and
  ``COUNT``), median and p99 of ``--runs`` runs, both answers checked equal;
- pages walked with cursors, newest first, to page ``--pages``: the index per page, against SPARQL with
  ``OFFSET`` at the same depth;
- the catch-up after a load of 20 more datasets and after a one-triple SPARQL update (re-indexing what they
  touched), against the rebuild;
- all facets of that search together, against one ``GROUP BY`` count per facet in SPARQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PREFIXES = """PREFIX pankg: <https://w3id.org/pankg/ontology#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
FILTER = """?d a pankg:RawDataset ; dcterms:created ?c ; pankg:parameter ?p .
  ?p pankg:parameterName "photon_energy" ; pankg:siValue ?v .
  FILTER(?c >= "2022-01-01T00:00:00"^^xsd:dateTime && ?v >= {low!r} && ?v <= {high!r})"""


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    seconds, answer = [], None
    for _ in range(runs):
        start = time.perf_counter()
        answer = fn()
        seconds.append(time.perf_counter() - start)
    seconds.sort()
    return statistics.median(seconds) * 1000, seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))] * 1000, answer


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()

    from graph.model.units import to_si
    from graph.search import DatasetQuery, Order, ParameterRange, SearchIndex
    from graph.store.embedded import GraphStore
    from graph.store.updates import apply_update
    from loaders.base import load
    from loaders.demo import DemoCatalogue, DemoSource

    with tempfile.TemporaryDirectory() as tmp:
        store = GraphStore(Path(tmp) / "kg")
        start = time.perf_counter()
        load(store, DemoSource(DemoCatalogue(args.datasets, 42, dt.date(2026, 11, 21))))
        load_seconds = time.perf_counter() - start
        index = SearchIndex.open(store, catch_up=False)
        built = index.rebuild()
        print(f"demo at {args.datasets:,} datasets: store load {load_seconds:.1f} s, index build {built.seconds:.1f} s "
              f"({built.documents:,} documents): ratio build / load {built.seconds / load_seconds:.2f}; "
              f"size {size(Path(tmp) / 'kg' / 'search') / 1e6:.1f} MB against the store's "
              f"{size(Path(tmp) / 'kg') / 1e6:.0f} MB")

        global FILTER
        FILTER = FILTER.format(low=to_si(8, "keV")[0], high=to_si(9, "keV")[0])
        asked = DatasetQuery(kind="raw", created_from=dt.date(2022, 1, 1),
                             parameters=(ParameterRange("photon_energy", 8, 9, "keV"),))
        page_sparql = PREFIXES + f"SELECT DISTINCT ?d ?c WHERE {{ {FILTER} }} ORDER BY DESC(?c) DESC(?d) LIMIT 50"
        count_sparql = PREFIXES + f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ {FILTER} }}"
        ours_p50, ours_p99, page = timed(lambda: index.search(asked, "public", 50), args.runs)
        theirs_p50, theirs_p99, (rows, count) = timed(
            lambda: (store.values(page_sparql, "public")[1], store.values(count_sparql, "public")[1]), args.runs)
        assert page.total == count[0][0], (page.total, count)
        print(f"filtered page of 50 with total ({page.total:,} found): index p50 {ours_p50:.1f} ms p99 "
              f"{ours_p99:.1f} ms; SPARQL p50 {theirs_p50:.1f} ms p99 {theirs_p99:.1f} ms: "
              f"ratio SPARQL / index {theirs_p50 / ours_p50:.0f}x")

        after, index_ms = None, []
        for _ in range(args.pages):
            start = time.perf_counter()
            walked = index.search(DatasetQuery(), "public", 50, after, Order.CREATED)
            index_ms.append((time.perf_counter() - start) * 1000)
            after = walked.hits[-1].cursor
        deep = PREFIXES + ("SELECT ?d WHERE { ?d a dcat:Dataset . OPTIONAL { ?d dcterms:created ?c } } "
                           f"ORDER BY DESC(?c) DESC(?d) OFFSET {50 * (args.pages - 1)} LIMIT 50")
        offset_p50, _, _ = timed(lambda: store.values(deep, "public"), max(3, args.runs // 10))
        print(f"page {args.pages} of 50 walked with cursors: index {statistics.median(index_ms):.1f} ms a page "
              f"(last {index_ms[-1]:.1f} ms); SPARQL with OFFSET at that depth {offset_p50:.1f} ms: "
              f"ratio {offset_p50 / index_ms[-1]:.0f}x")

        # After a small write, the index catches up by what the write touched, not by a rebuild.
        small = DemoSource(DemoCatalogue(20, 7, dt.date(2026, 11, 21)), location="pankg:demo-small")
        load(store, small)
        start = time.perf_counter()
        step = index.catch_up()
        load_step = time.perf_counter() - start
        some = index.search(DatasetQuery(kind="raw"), "public", 1).hits[0].iri
        apply_update(store, f'INSERT DATA {{ GRAPH <https://example.org/notes> {{ <{some}> '
                            '<http://purl.org/dc/terms/description> "a note" } }')
        start = time.perf_counter()
        update_step = index.catch_up()
        update_seconds = time.perf_counter() - start
        assert step is not None and step.incremental and update_step is not None and update_step.incremental
        print(f"catch-up after a load of 20 datasets beside them: {load_step * 1000:.0f} ms ({step.documents} "
              f"documents re-indexed), after a one-triple SPARQL update: {update_seconds * 1000:.0f} ms; against the "
              f"rebuild's {built.seconds:.1f} s: ratios {built.seconds / load_step:.0f}x and "
              f"{built.seconds / update_seconds:.0f}x")

        facets_p50, facets_p99, found = timed(lambda: index.facets(asked, "public"), args.runs)
        group = {
            "facility": "?d pankg:facility ?k", "instrument": "?d pankg:instrument ?k",
            "technique": "{ ?d pankg:technique ?k } UNION { ?d pankg:technique ?t . ?t pankg:subTechniqueOf ?k }",
            "licence": "?d dcterms:license ?k", "year": "?d dcterms:created ?y BIND(YEAR(?y) AS ?k)",
        }
        queries = [PREFIXES + f"SELECT ?k (COUNT(DISTINCT ?d) AS ?n) WHERE {{ {FILTER} . {g} }} GROUP BY ?k"
                   for g in group.values()]
        sparql_p50, sparql_p99, _ = timed(lambda: [store.values(q, "public") for q in queries],
                                          max(3, args.runs // 3))
        print(f"all facets of that search ({len(found)} facets): index p50 {facets_p50:.1f} ms p99 "
              f"{facets_p99:.1f} ms; SPARQL GROUP BY ({len(queries)} queries) p50 {sparql_p50:.1f} ms p99 "
              f"{sparql_p99:.1f} ms: ratio {sparql_p50 / facets_p50:.0f}x")
        store.close()


if __name__ == "__main__":
    main()
