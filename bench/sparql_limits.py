"""What the stoppable worker costs a /sparql query: a query in a worker process against the same query in-process.

    python bench/sparql_limits.py [--datasets 2000] [--runs 200]

Loads the demo into a fresh on-disk store, then runs a small public query (10 dataset titles) and a
medium one (every public dataset's PID and technique, about ``--datasets`` rows) in the public scope, each
written as SPARQL JSON:

- in-process: on the calling thread, as the endpoint did before the limits (``GraphStore.answer``: the query and
  the capped writer);
- worker: through ``resolvers.sparql_worker`` (a warm worker: pickle the job, open the store read only,
  query, write, send the bytes back), as ``/sparql`` runs every query on an on-disk store now.

It prints p50/p99 of each, the ratio worker / in-process of the p50s, and the cold start of a worker (the
first query of a fresh pool, also what the query after a killed one waits for when the replacement is
still starting).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SMALL = "SELECT ?t { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> ?t } LIMIT 10"
MEDIUM = """SELECT ?d ?tech { ?d a <http://www.w3.org/ns/dcat#Dataset> ;
    <https://w3id.org/pankg/ontology#technique> ?tech }"""


def timed(call: Any, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def p(times: list[float], q: float) -> float:
    return sorted(times)[min(len(times) - 1, int(q * len(times)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    from graph.store.embedded import GraphStore
    from loaders.base import load
    from loaders.demo import DemoCatalogue, DemoSource
    from resolvers import sparql_worker
    from resolvers.sparql_formats import Chooser
    from resolvers.sparql_limits import Limits

    limits = Limits()
    with tempfile.TemporaryDirectory() as tmp, GraphStore(Path(tmp) / "kg") as store:
        load(store, DemoSource(DemoCatalogue(args.datasets, 42, dt.date(2026, 11, 21))))
        with store.reading("public") as dataset:

            def in_process(query: str) -> bytes:
                body, _ = store.answer(query, dataset, Chooser(None, None), limits.max_bytes)
                return body

            def in_worker(query: str) -> bytes:
                return sparql_worker.run(store, query, dataset, None, None, limits)[0]

            start = time.perf_counter()
            first = in_worker(SMALL)
            cold = (time.perf_counter() - start) * 1000
            assert first == in_process(SMALL), "the worker and the thread must write the same answer"
            print(f"demo of {args.datasets:,} datasets, {args.runs} runs per query; worker cold start {cold:.0f} ms")
            print(f"{'query':<8}{'way':<12}{'p50 ms':>9}{'p99 ms':>9}")
            for name, query in (("small", SMALL), ("medium", MEDIUM)):
                runs = args.runs if name == "small" else max(20, args.runs // 5)
                base = timed(lambda: in_process(query), runs)  # noqa: B023 - called at once
                work = timed(lambda: in_worker(query), runs)  # noqa: B023 - called at once
                for way, times in (("in-process", base), ("worker", work)):
                    print(f"{name:<8}{way:<12}{p(times, 0.5):>9.2f}{p(times, 0.99):>9.2f}")
                ratio = statistics.median(work) / statistics.median(base)
                extra = (statistics.median(work) - statistics.median(base)) * 1000
                print(f"{name:<8}{'ratio':<12}{ratio:>9.1f}x  (+{extra:.2f} ms a query in the worker)")
        sparql_worker.close_pools()


if __name__ == "__main__":  # the worker is spawned: it imports this module as __mp_main__ and must not rerun it
    main()
