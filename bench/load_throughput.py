"""Load throughput of the demo, end to end, against pyoxigraph's raw bulk_load of the same triples.

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
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def phase_pankg(store_dir: str, datasets: int) -> dict[str, float]:
    from graph.store import GraphStore
    from loaders.base import load
    from loaders.demo import DemoCatalogue, DemoSource

    start = time.perf_counter()
    with GraphStore(store_dir) as store:
        report = load(store, DemoSource(DemoCatalogue(datasets, 42, dt.date(2026, 11, 21))))
        seconds = time.perf_counter() - start
        assert report.result is not None
        triples = report.result.source.triples
    return {"seconds": seconds, "triples": triples}


def phase_export(store_dir: str, nt_file: str) -> dict[str, float]:
    import pyoxigraph as ox

    from graph.store import GraphStore

    with GraphStore(store_dir) as store, open(nt_file, "wb") as out, open(nt_file + ".nq", "wb") as quads:
        graphs = [g for info in store.sources.values() for g in info.graphs]
        for g in graphs:
            store._store.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g.iri))
            for quad in store._store.quads_for_pattern(None, None, None, ox.NamedNode(g.iri)):
                quads.write(f"{quad} .\n".encode())
    return {"bytes": Path(nt_file).stat().st_size}


def phase_raw(store_dir: str, nt_file: str) -> dict[str, float]:
    import pyoxigraph as ox

    store = ox.Store(store_dir)
    start = time.perf_counter()
    fmt = ox.RdfFormat.N_QUADS if nt_file.endswith(".nq") else ox.RdfFormat.N_TRIPLES
    store.bulk_load(path=nt_file, format=fmt)
    store.flush()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "triples": len(store)}


def run_phase(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--phase", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        result = {"pankg": lambda: phase_pankg(rest[0], int(rest[1])),
                  "export": lambda: phase_export(rest[0], rest[1]),
                  "raw": lambda: phase_raw(rest[0], rest[1])}[name]()
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="pankg-bench-") as tmp:
        ours = run_phase("pankg", f"{tmp}/pankg", str(args.datasets))
        run_phase("export", f"{tmp}/pankg", f"{tmp}/same.nt")
        raw = run_phase("raw", f"{tmp}/raw", f"{tmp}/same.nt")
        raw_graphs = run_phase("raw", f"{tmp}/raw-graphs", f"{tmp}/same.nt.nq")
    ours_rate = ours["triples"] / ours["seconds"]
    raw_rate = raw["triples"] / raw["seconds"]
    graphs_rate = raw_graphs["triples"] / raw_graphs["seconds"]
    print(f"demo at {args.datasets:,} datasets: {int(ours['triples']):,} triples")
    print(f"  pankg end to end : {ours['seconds']:8.1f} s  {ours_rate:12,.0f} triples/s  peak RSS {ours['peak_rss_mb']:,.0f} MB")
    print(f"  raw bulk_load NT : {raw['seconds']:8.1f} s  {raw_rate:12,.0f} triples/s  peak RSS {raw['peak_rss_mb']:,.0f} MB")
    print(f"  raw bulk_load NQ : {raw_graphs['seconds']:8.1f} s  {graphs_rate:12,.0f} triples/s  peak RSS "
          f"{raw_graphs['peak_rss_mb']:,.0f} MB  (same named graphs as pankg)")
    print(f"  ratio pankg / raw NT: {ours_rate / raw_rate:.0%} (target >= 50%)")
    print(f"  ratio pankg / raw NQ: {ours_rate / graphs_rate:.0%} (same layout)")


if __name__ == "__main__":
    main()
