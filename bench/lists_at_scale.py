"""Lists at scale: the GraphQL lists served from the search index, against SPARQL on the graph.

    python bench/lists_at_scale.py --datasets 100000 [--store DIR] [--runs 30] [--pages 200] [--sparql-runs 3]
        [--reuse-index]

Over the demo catalogue in one on-disk store (``--store DIR``: reused if it exists, else the demo is built
there and kept; without it, a temporary directory), anonymous callers (the public scope), ``POST /graphql``
through the ASGI app (httpx's ASGI transport: the whole HTTP path, no socket), every answer checked free of
errors:

- build: ``SearchIndex.rebuild`` (every run), its documents and size on disk, against the store load of the
  same demo when this run loaded it (ratio build / load) and the store's size;
- a. ``datasets(first: 50)`` with nested links (techniques, instrument, facility, DOIs, software versions and
  software, citation count), walked with cursors from page 1 to page ``--pages``: p50/p99 of every page and the
  last page's time; against the page as the code before the index made it (``ORDER BY ?n OFFSET .. LIMIT 51``
  and a ``COUNT``) at pages 1, 100 and ``--pages`` (pages and totals checked equal). At the deepest page, for
  where the time goes: the same GraphQL page without nested links (``iri`` only), and ``SearchIndex.search``
  alone after the same cursor;
- b. ``search`` with ``totalCount``: raw datasets created since 2022 with photon energy 8-9 keV (newest first),
  and the word "scan" in SAXS (PaNET01188) or below (by relevance): ``--runs`` runs each; against the SPARQL
  page and ``COUNT`` of the same filters (a word-boundary ``REGEX`` on title or description; the technique or
  one below it through ``pankg:subTechniqueOf``), totals checked equal;
- c. ``facets(filter: {kind: RAW})``: all seven facets in one request, each facet alone, and
  ``SearchIndex.facets`` without GraphQL; against one SPARQL ``GROUP BY`` count per facet (techniques rolled up
  through ``pankg:subTechniqueOf``), counts checked equal.

Each line gives p50/p99 in ms, the SPARQL figure, the ratio SPARQL / index and the goal of the issue (at 1M
datasets: a page p50 <= 15 ms and p99 <= 50 ms; a filtered search p50 <= 50 ms; each facet <= 0.5 s and all
together <= 1 s). SPARQL baselines run ``--sparql-runs`` times (default 3: at 1M one can take tens of
seconds). A mismatch between the index and SPARQL is printed where found and again at the end, and the run
exits with status 1. ``--datasets 2000 --runs 5 --pages 20`` is a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lists_queries import (  # noqa: E402  (bench/ is on the path: scripts run from there)
    BARE,
    FACET_GROUPS,
    FACET_ONE,
    FACET_VALUES,
    FACETS,
    FACETS_ALL,
    FILTERED,
    FILTERED_WHERE,
    LIST,
    LIST_COUNT,
    LIST_PAGE,
    PAGE,
    PREFIXES,
    TEXT,
    TEXT_WHERE,
    WORD,
)


def percentiles(ms: list[float]) -> tuple[float, float]:
    """p50 and p99 (the highest sample under 100 samples) of ``ms``."""
    ordered = sorted(ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def ratio(sparql_ms: float, index_ms: float) -> str:
    """SPARQL / index, with a decimal below 10x."""
    value = sparql_ms / index_ms
    return f"{value:.1f}x" if value < 10 else f"{value:.0f}x"


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """``runs`` calls of ``fn``: their times in ms, and the last answer."""
    ms, answer = [], None
    for _ in range(runs):
        start = time.perf_counter()
        answer = fn()
        ms.append((time.perf_counter() - start) * 1000)
    return ms, answer


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


@dataclass
class Figure:
    """One measured line: the index's samples, the baseline's, and the goal."""

    name: str
    short: str
    """The name in the summary's table."""
    index_ms: list[float]
    sparql_ms: list[float]
    goal: str
    met: bool

    def line(self) -> str:
        p50, p99 = percentiles(self.index_ms)
        s50, s99 = percentiles(self.sparql_ms)
        return (f"{self.name}: index p50 {p50:.1f} ms p99 {p99:.1f} ms ({len(self.index_ms)} runs); SPARQL p50 "
                f"{s50:.1f} ms p99 {s99:.1f} ms ({len(self.sparql_ms)} runs): ratio SPARQL / index {ratio(s50, p50)}"
                f" [goal at 1M: {self.goal}: {'met' if self.met else 'NOT met'} here]")


class GraphQL:
    """POST /graphql through the ASGI app, anonymous; every answer checked free of errors."""

    def __init__(self, client: Any) -> None:
        self.client = client

    async def ask(self, query: str, variables: dict[str, Any] | None = None) -> tuple[float, dict[str, Any]]:
        start = time.perf_counter()
        response = await self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        ms = (time.perf_counter() - start) * 1000
        body = response.json()
        if response.status_code != 200 or "errors" in body:
            raise SystemExit(f"GraphQL answered {response.status_code} with errors: {body.get('errors')}\n{query}")
        return ms, body["data"]

    async def timed(self, query: str, runs: int) -> tuple[list[float], dict[str, Any]]:
        ms, data = [], {}
        for _ in range(runs):
            took, data = await self.ask(query)
            ms.append(took)
        return ms, data


class Counting:
    """Counts the store's ``values`` calls (every GraphQL field's store query goes through it) while on."""

    def __init__(self, store: Any) -> None:
        self.store, self.real, self.calls = store, store.values, 0

    def __enter__(self) -> Counting:
        def counting(sparql: str, scope: Any = "all") -> Any:
            self.calls += 1
            return self.real(sparql, scope)

        self.store.values = counting
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.values = self.real


def open_store(args: argparse.Namespace) -> tuple[Any, Path, float | None, Any]:
    """The store (reused or built), its directory, the load's seconds (None: not loaded in this run) and the
    temporary directory to clean up (or None)."""
    from graph.store.embedded import GraphStore
    from loaders.base import load
    from loaders.demo import DemoCatalogue, DemoSource

    tmp = None
    if args.store is not None and args.store.exists():
        store = GraphStore(args.store)
        count = store.values(LIST_COUNT, "all")[1][0][0]
        print(f"reused the store in {args.store} ({count:,} datasets by SPARQL COUNT; --datasets ignored)")
        return store, args.store, None, None
    if args.store is None:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "kg"
    else:
        path = args.store
    store = GraphStore(path)
    start = time.perf_counter()
    load(store, DemoSource(DemoCatalogue(args.datasets, 42, dt.date(2026, 11, 21))))
    seconds = time.perf_counter() - start
    print(f"built the demo of {args.datasets:,} datasets in {path}{' (temporary)' if tmp else ''}: "
          f"store load {seconds:.1f} s")
    return store, path, seconds, tmp


async def measure(args: argparse.Namespace, store: Any, index: Any, problems: list[str]) -> list[Figure]:
    import httpx

    from graph.model.units import to_si
    from graph.search import DatasetQuery, Order
    from pankg.app import create_app

    def mismatch(what: str) -> None:
        problems.append(what)
        print(f"  MISMATCH: {what}")

    def sparql(query: str) -> Any:
        return store.values(query, "public")[1]

    figures: list[Figure] = []
    app = create_app(store, search=index)
    runs, sparql_runs = args.runs, args.sparql_runs
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pankg.test") as client:
        gql = GraphQL(client)
        await gql.ask("{ datasets(first: 1) { totalCount } }")  # warm-up: the schema's first execution, untimed

        # a. a page of 50 with nested links, walked with cursors
        walk: list[float] = []
        kept: dict[int, tuple[int, list[str]]] = {}
        checked = sorted({k for k in (1, 100, args.pages) if k <= args.pages})
        after = deep_after = None
        with Counting(store) as counting:
            for k in range(1, args.pages + 1):
                deep_after = after
                ms, data = await gql.ask(LIST, {"after": after})
                walk.append(ms)
                found = data["datasets"]
                if k in checked:
                    kept[k] = (found["totalCount"], [e["node"]["iri"] for e in found["edges"]])
                after = found["pageInfo"]["endCursor"]
                if not found["pageInfo"]["hasNextPage"]:
                    break
        if len(walk) < args.pages:
            print(f"  the list ends at page {len(walk)} (not {args.pages}): the deepest page is {len(walk)}")
            checked = sorted({k for k in checked if k < len(walk)} | {len(walk)})
            kept[len(walk)] = (found["totalCount"], [e["node"]["iri"] for e in found["edges"]])
        total = kept[checked[0]][0]
        deepest = checked[-1]
        baseline: dict[int, list[float]] = {}
        for k in checked:
            page = LIST_PAGE.format(offset=PAGE * (k - 1))
            baseline[k], (rows, count) = timed(lambda page=page: (sparql(page), sparql(LIST_COUNT)), sparql_runs)
            if count[0][0] != kept[k][0]:
                mismatch(f"datasets total at page {k}: index {kept[k][0]:,}, SPARQL COUNT {count[0][0]:,}")
            if [r[0] for r in rows[:PAGE]] != kept[k][1]:
                mismatch(f"datasets page {k}: the index's {len(kept[k][1])} IRIs differ from SPARQL's "
                         f"{len(rows[:PAGE])} (first index {kept[k][1][:1]}, first SPARQL {[r[0] for r in rows[:1]]})")
        p50, p99 = percentiles(walk)
        print(f"a. page of {PAGE} with nested links walked with cursors to page {len(walk)} ({total:,} datasets, "
              f"{counting.calls / len(walk):.1f} store queries a page): GraphQL (index) p50 {p50:.1f} ms p99 "
              f"{p99:.1f} ms, last page {walk[-1]:.1f} ms")
        for k in checked:
            s50, s99 = percentiles(baseline[k])
            print(f"   SPARQL ORDER BY + OFFSET {PAGE * (k - 1):,} LIMIT 51 + COUNT, page {k}: p50 {s50:.1f} ms "
                  f"p99 {s99:.1f} ms ({len(baseline[k])} runs) against GraphQL's page {k} {walk[k - 1]:.1f} ms: "
                  f"ratio SPARQL / index {ratio(s50, walk[k - 1])}")
        bare_ms = [(await gql.ask(BARE, {"after": deep_after}))[0] for _ in range(runs)]
        b50, b99 = percentiles(bare_ms)
        print(f"   GraphQL at page {deepest} without nested links (iri only, same cursor): p50 {b50:.1f} ms p99 "
              f"{b99:.1f} ms ({len(bare_ms)} runs)")
        alone_ms, _ = timed(lambda: index.search(DatasetQuery(), "public", PAGE, deep_after, Order.IRI), runs)
        a50, a99 = percentiles(alone_ms)
        print(f"   the index alone at page {deepest} (SearchIndex.search after the same cursor, no GraphQL, no nested "
              f"links): p50 {a50:.1f} ms p99 {a99:.1f} ms ({len(alone_ms)} runs)")
        figures.append(Figure(f"a. page of {PAGE} with nested links, cursors to page {deepest} (SPARQL at page "
                              f"{deepest})", f"a. page of {PAGE} with links, 1-{deepest} (SPARQL: {deepest})",
                              walk, baseline[deepest], "p50 <= 15 ms, p99 <= 50 ms", p50 <= 15 and p99 <= 50))
        print(f"   {figures[-1].line()}")

        # b. filtered searches with totalCount
        low, high = to_si(8, "keV")[0], to_si(9, "keV")[0]
        where = FILTERED_WHERE.format(low=low, high=high)
        searches = (
            ("b. filtered search (raw, since 2022, 8-9 keV) with totalCount", "b. search raw, since 2022, 8-9 keV",
             FILTERED,
             PREFIXES + f"SELECT DISTINCT ?d ?c WHERE {{ {where} }} ORDER BY DESC(?c) DESC(?d) LIMIT 50",
             PREFIXES + f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ {where} }}", True),
            (f'b. text + technique search ("{WORD}" in SAXS or below) with totalCount',
             f'b. search "{WORD}" in SAXS or below', TEXT,
             PREFIXES + f"SELECT DISTINCT ?d WHERE {{ {TEXT_WHERE} }} ORDER BY ?d LIMIT 50",
             PREFIXES + f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ {TEXT_WHERE} }}", False),
        )
        for name, short, query, page, count_query, same_order in searches:
            ms, data = await gql.timed(query, runs)
            found = data["search"]
            sparql_ms, (rows, count) = timed(lambda page=page, q=count_query: (sparql(page), sparql(q)), sparql_runs)
            if found["totalCount"] != count[0][0]:
                mismatch(f"{name}: totalCount {found['totalCount']:,} by the index, {count[0][0]:,} by SPARQL")
            iris = [e["node"]["iri"] for e in found["edges"]]
            if same_order and iris != [r[0] for r in rows]:
                mismatch(f"{name}: the page's IRIs differ between the index and SPARQL (newest first, IRI desc)")
            if not same_order and len(iris) != len(rows):
                mismatch(f"{name}: the page has {len(iris)} datasets by the index, {len(rows)} by SPARQL")
            p50 = percentiles(ms)[0]
            figures.append(Figure(f"{name} ({found['totalCount']:,} found)", short, ms, sparql_ms, "p50 <= 50 ms",
                                  p50 <= 50))
            print(figures[-1].line())

        # c. facets
        all_ms, data = await gql.timed(FACETS_ALL, runs)
        counts = {name: {c["value"]: c["count"] for c in data["facets"][name]} for name in FACETS}
        direct_ms, direct = timed(lambda: index.facets(DatasetQuery(kind="raw"), "public"), runs)
        if {name: direct.get(name, {}) for name in FACETS} != counts:
            mismatch("facets: GraphQL's counts differ from SearchIndex.facets'")
        sparql_each: dict[str, list[float]] = {}
        for name in FACETS:
            group = PREFIXES + (f"SELECT ?k (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a pankg:RawDataset . "
                                f"{FACET_GROUPS[name]} }} GROUP BY ?k")
            sparql_each[name], rows = timed(lambda group=group: sparql(group), sparql_runs)
            theirs = {FACET_VALUES.get(str(k), str(k)): n for k, n in rows if k is not None}
            if theirs != counts[name]:
                only = sorted(set(theirs.items()) ^ set(counts[name].items()))[:4]
                mismatch(f"facet {name}: {len(counts[name])} values by the index, {len(theirs)} by SPARQL; "
                         f"differing (value, count): {only}")
        sparql_all = [sum(runs_) for runs_ in zip(*sparql_each.values(), strict=True)]
        p50, p99 = percentiles(all_ms)
        figures.append(Figure(f"c. all {len(FACETS)} facets of raw datasets in one request (SPARQL: {len(FACETS)} "
                              "GROUP BY queries one after another)", f"c. all {len(FACETS)} facets together",
                              all_ms, sparql_all, "all together <= 1 s", p50 <= 1000))
        print(figures[-1].line())
        d50, d99 = percentiles(direct_ms)
        print(f"   SearchIndex.facets without GraphQL (one aggregation, all facets): p50 {d50:.1f} ms p99 {d99:.1f} ms"
              f" ({len(direct_ms)} runs): GraphQL adds {p50 - d50:.1f} ms at p50")
        for name in FACETS:
            ms, _ = await gql.timed(FACET_ONE.format(name), runs)
            values = f"{len(counts[name])} value{'' if len(counts[name]) == 1 else 's'}"
            figures.append(Figure(f"c. facet {name} alone ({values})", f"c. facet {name} alone", ms,
                                  sparql_each[name], "each facet <= 0.5 s", percentiles(ms)[0] <= 500))
            print(figures[-1].line())
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--store", type=Path, default=None,
                        help="an on-disk store: reused if it exists, else the demo is built there and kept")
    parser.add_argument("--runs", type=int, default=30, help="runs of each index-backed query")
    parser.add_argument("--pages", type=int, default=200, help="pages of 50 walked with cursors")
    parser.add_argument("--sparql-runs", type=int, default=3, help="runs of each SPARQL baseline")
    parser.add_argument("--reuse-index", action="store_true",
                        help="with --store: keep an index that is current instead of rebuilding it (its build time "
                             "is then the one its record holds, from the run that built it)")
    args = parser.parse_args()
    if args.runs < 1 or args.pages < 1 or args.sparql_runs < 1:
        parser.error("--runs, --pages and --sparql-runs must be at least 1")

    from graph.search import SearchIndex
    from graph.search.index import Rebuilt

    started = time.perf_counter()
    store, path, load_seconds, tmp = open_store(args)
    try:
        datasets = store.values(LIST_COUNT, "all")[1][0][0]
        public = store.values(LIST_COUNT, "public")[1][0][0]
        print(f"lists at scale: {datasets:,} datasets ({public:,} with a public record: all of them, embargoed ones "
              f"by their stub), runs {args.runs}, SPARQL runs {args.sparql_runs}, pages {args.pages}")
        index = SearchIndex.of(store)
        if args.reuse_index and index.is_current:
            seconds = float(index.recorded("seconds") or 0)
            built = Rebuilt(datasets, index.searcher().num_docs, seconds, index.version or 0)
            build = "index reused (the build time is its record's, from the run that built it)"
        else:
            built = index.rebuild()
            build = (f"ratio build / load {built.seconds / load_seconds:.2f}" if load_seconds is not None
                     else "the load was not timed in this run")
        index_size, store_size = size(path / "search"), size(path)
        graph_size = store_size - index_size
        print(f"index build {built.seconds:.1f} s ({built.datasets:,} datasets, {built.documents:,} documents): "
              f"{build}; index {index_size / 1e6:.1f} MB on disk against the store's {graph_size / 1e6:.0f} MB "
              f"without it ({index_size / max(1, graph_size):.0%})")

        problems: list[str] = []
        figures = asyncio.run(measure(args, store, index, problems))
    finally:
        store.close()
        if tmp is not None:
            tmp.cleanup()

    print(f"\nsummary ({datasets:,} datasets, index build {built.seconds:.1f} s, {time.perf_counter() - started:.0f} s "
          "in all):")
    print(f"{'(ms)':48} {'index p50':>10} {'p99':>8} {'SPARQL p50':>11} {'ratio':>7}  goal at 1M")
    for figure in figures:
        p50, p99 = percentiles(figure.index_ms)
        s50 = percentiles(figure.sparql_ms)[0]
        print(f"{figure.short:48} {p50:10.1f} {p99:8.1f} {s50:11.1f} {ratio(s50, p50):>7}  {figure.goal}: "
              f"{'met' if figure.met else 'NOT met'}")
    if problems:
        print(f"\n{len(problems)} mismatch(es) between the index and SPARQL:")
        for problem in problems:
            print(f"- {problem}")
        raise SystemExit(1)
    print("every total, page and facet count checked equal between the index and SPARQL")


if __name__ == "__main__":
    main()
