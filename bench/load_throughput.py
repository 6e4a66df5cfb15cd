"""Load throughput of the demo, end to end, against oxigraph's raw bulk_load of the same triples.

    python bench/load_throughput.py --datasets 100000

Each phase runs in its own process so that its peak RSS is its own:
1. pankg: generate the demo catalogue, map it through the model and load it into a fresh on-disk
   store (stage, swap, count), exactly what ``pankg demo`` does.
2. export: write the loaded triples to an N-Triples file, and as N-Quads with their graphs (not timed).
3. raw: ``Store.bulk_load`` of the N-Triples file into a fresh on-disk store (the default graph).
4. raw-graphs: ``Store.bulk_load`` of the N-Quads file: the same quads in the same named graphs as pankg.
The figure the spine targets is pankg / raw (>= 50 %). pankg / raw-graphs shows what pankg adds over
the store's own cost for the same layout: oxigraph indexes a quad in a named graph six ways and a
default-graph triple three, so raw-graphs is the ceiling for any loader that keeps sources apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from phases import baselines, print_comparison, run_phase, serve_phase  # noqa: E402


def phase_pankg(store_dir: str, datasets: str) -> dict[str, float]:
    from graph.store.embedded import GraphStore
    from loaders.base import load
    from loaders.demo import DemoCatalogue, DemoSource

    start = time.perf_counter()
    with GraphStore(store_dir) as store:
        report = load(store, DemoSource(DemoCatalogue(int(datasets), 42, dt.date(2026, 11, 21))))
        seconds = time.perf_counter() - start
        assert report.result is not None
        triples = report.result.source.triples
    return {"seconds": seconds, "triples": triples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        serve_phase(args.phase, {"pankg": phase_pankg})
        return
    with tempfile.TemporaryDirectory(prefix="pankg-bench-") as tmp:
        ours = run_phase(__file__, "pankg", f"{tmp}/pankg", str(args.datasets))
        raw, raw_graphs = baselines(__file__, tmp, f"{tmp}/pankg")
    print(f"demo at {args.datasets:,} datasets: {int(ours['triples']):,} triples")
    print_comparison("pankg end to end", ours, raw, raw_graphs)


if __name__ == "__main__":
    main()
