"""Recovery after a load killed during staging: the first open and the rerun, against a normal open and reload.

    python bench/recovery.py [--datasets 20000] [--kill-at stage:N] [--no-old] [--opens-only]

Every phase runs in its own process, on copies of one on-disk store (not timed: building and copying):

1. build: the demo of ``--datasets`` datasets (seed 1) into a fresh store, as ``pankg demo`` does;
2. crash: a reload of the demo with seed 2 (a changed source) that SIGKILLs itself at ``--kill-at`` (a point
   of :mod:`graph.store.faults`; the default, ``stage:N``, is after the chunk that brings about 60 % of the new
   quads into the store), so the store holds version 1 plus the leftovers of the killed stage;
3. baselines, on a copy of the clean version-1 store: a normal open (``GraphStore(path)``), then the first
   ``all`` query (datasets counted), then close; and a normal reload (seed 2: stage, swap, and the close that
   drops version 1);
4. first open after the crash, on a copy of the crashed store: the same open, first query and close, plus what
   the open found (leftover graphs and quads, counted apart afterwards, not timed);
5. rerun: the same reload on the crashed store, its close included (it drops version 1 and the leftovers);
   ``--opens-only`` skips 3 (the reload) and 5, which take minutes at 100,000 datasets;
6. (unless ``--no-old``) the open as it was before the collector (``graph/store/collect.py``): every leftover graph
   dropped with ``Store.remove_graph``, one after the other, before the open returned.

Printed: seconds per phase and the ratios first open after a crash / normal open (now and before), rerun /
normal reload. The store is checked after the rerun: version 2 registered, no leftover graph.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from phases import run_phase, serve_phase  # noqa: E402

TODAY = dt.date(2026, 11, 21)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }"


def _load(store_dir: str, datasets: str, seed: str) -> dict[str, float]:
    from graph.store.embedded import GraphStore
    from loaders.base import load
    from loaders.demo import DemoCatalogue, DemoSource

    start = time.perf_counter()
    with GraphStore(store_dir) as store:
        staged = time.perf_counter()
        report = load(store, DemoSource(DemoCatalogue(int(datasets), int(seed), TODAY)))
        swapped = time.perf_counter()
    assert report.result is not None
    return {"seconds": time.perf_counter() - start, "load": swapped - staged, "close": time.perf_counter() - swapped,
            "generation": report.result.source.generation, "triples": report.result.source.triples}


def phase_build(store_dir: str, datasets: str) -> dict[str, float]:
    return _load(store_dir, datasets, "1")


def phase_crash(store_dir: str, datasets: str, kill_at: str) -> dict[str, float]:
    """The reload, killed by its own hook at ``kill_at`` (never returns if the point is reached)."""
    from graph.store import faults

    faults.kill_at(kill_at)
    return _load(store_dir, datasets, "2")


def phase_reload(store_dir: str, datasets: str) -> dict[str, float]:
    return _load(store_dir, datasets, "2")


def phase_open(store_dir: str) -> dict[str, float]:
    """Open, first ``all`` query, close: what ``pankg query`` costs besides starting Python."""
    from graph.store.embedded import GraphStore

    start = time.perf_counter()
    store = GraphStore(store_dir)
    opened = time.perf_counter()
    store.query(COUNT)
    queried = time.perf_counter()
    union = store.is_clean
    store.close()
    return {"open": opened - start, "query": queried - opened, "close": time.perf_counter() - queried,
            "seconds": time.perf_counter() - start, "union": float(union)}


def phase_old_open(store_dir: str) -> dict[str, float]:
    """The open before graph/store/collect.py: each graph no source holds dropped with remove_graph, then the open."""
    from graph.model.iris import DEFAULT_BASE, Minter
    from graph.store.raw import RawStore

    start = time.perf_counter()
    store = RawStore(store_dir)
    keep = {g.iri for info in store.sources().values() for g in info.graphs}
    ours = Minter(DEFAULT_BASE).minted("graph", "")
    for graph in store.named_graphs():
        if graph.startswith(ours) and graph not in keep:
            store.remove_graph(graph)
    opened = time.perf_counter()
    store.flush()
    store.close()
    return {"open": opened - start, "seconds": time.perf_counter() - start}


def phase_leftovers(store_dir: str) -> dict[str, float]:
    """What a killed load left: graphs under <base>graph/ that no source holds, and their quads (not timed)."""
    from graph.model.iris import DEFAULT_BASE, Minter
    from graph.store.raw import RawStore

    store = RawStore(store_dir, read_only=True)
    sources = store.sources()
    keep = {g.iri for info in sources.values() for g in info.graphs}
    ours = Minter(DEFAULT_BASE).minted("graph", "")
    found = [g for g in store.named_graphs() if g.startswith(ours) and g not in keep]  # graph.store.collect.strays
    values = " ".join(f"<{g}>" for g in found)
    _, rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
    quads = int(rows[0][0].value) if found else 0
    generations = sorted(info.generation for info in sources.values())
    return {"graphs": len(found), "quads": quads, "generation": generations[0] if generations else 0}


def crash(script: str, store_dir: str, datasets: int, kill_at: str) -> None:
    out = subprocess.run([sys.executable, script, "--phase", "crash", store_dir, str(datasets), kill_at],
                         check=False, capture_output=True, text=True)
    if out.returncode != -9:
        sys.exit(f"the reload was not killed at {kill_at} (exit {out.returncode}): {out.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=20_000)
    parser.add_argument("--kill-at", help="crash point of graph/store/faults.py, POINT[:N] (default: stage, 60 %% in)")
    parser.add_argument("--no-old", action="store_true", help="skip the open as it was (minutes at 100,000)")
    parser.add_argument("--opens-only", action="store_true", help="skip the normal reload and the rerun")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    phases: dict[str, Callable[..., dict[str, float]]] = {
        "build": phase_build, "crash": phase_crash, "reload": phase_reload, "open": phase_open,
        "old-open": phase_old_open, "leftovers": phase_leftovers}
    if args.phase:
        serve_phase(args.phase, phases)
        return
    n = str(args.datasets)
    # the demo maps to about 53 quads a dataset, staged in chunks of 400,000 (graph/store/bulk.py CHUNK_QUADS)
    kill_at = args.kill_at or f"stage:{max(1, round(0.6 * 53 * args.datasets / 400_000))}"
    with tempfile.TemporaryDirectory(prefix="pankg-recovery-") as tmp:
        built = run_phase(__file__, "build", f"{tmp}/v1", n)
        shutil.copytree(f"{tmp}/v1", f"{tmp}/crashed")
        crash(__file__, f"{tmp}/crashed", args.datasets, kill_at)
        left = run_phase(__file__, "leftovers", f"{tmp}/crashed")
        for name in ("normal", "reload", "first", "rerun", "old"):
            shutil.copytree(f"{tmp}/{'v1' if name in ('normal', 'reload') else 'crashed'}", f"{tmp}/{name}")
        normal = run_phase(__file__, "open", f"{tmp}/normal")
        first = run_phase(__file__, "open", f"{tmp}/first")
        old = None if args.no_old else run_phase(__file__, "old-open", f"{tmp}/old")
        reload = rerun = None
        if not args.opens_only:
            reload = run_phase(__file__, "reload", f"{tmp}/reload", n)
            rerun = run_phase(__file__, "reload", f"{tmp}/rerun", n)
            after = run_phase(__file__, "leftovers", f"{tmp}/rerun")
            assert after["graphs"] == 0, f"the rerun left {after['graphs']} graphs that no source holds"
    print(f"demo at {args.datasets:,} datasets: {int(built['triples']):,} triples, loaded in {built['seconds']:.1f} s")
    print(f"killed at {kill_at}: {int(left['graphs']):,} leftover graphs, {int(left['quads']):,} quads")
    row = "  {:<28} open {:7.3f} s  first query {:7.3f} s  close {:6.3f} s  ({})"
    print(row.format("normal open", normal["open"], normal["query"], normal["close"], _mode(normal)))
    print(row.format("first open after the crash", first["open"], first["query"], first["close"], _mode(first)))
    if old is not None:
        print(f"  {'the open before (remove_graph)':<28} open {old['open']:7.3f} s")
    if reload is not None and rerun is not None:
        print(f"  {'normal reload':<28} {reload['seconds']:7.1f} s  (stage and swap {reload['load']:.1f} s, "
              f"close {reload['close']:.1f} s; peak RSS {reload['peak_rss_mb']:,.0f} MB)")
        print(f"  {'rerun after the crash':<28} {rerun['seconds']:7.1f} s  (stage and swap {rerun['load']:.1f} s, "
              f"close {rerun['close']:.1f} s; peak RSS {rerun['peak_rss_mb']:,.0f} MB), generation "
              f"{int(rerun['generation'])}")
    print(f"  ratio first open / normal open: {first['open'] / normal['open']:.1f}x now"
          + (f", {old['open'] / normal['open']:.0f}x before" if old is not None else ""))
    print(f"  ratio open + first query + close after a crash / normal: {first['seconds'] / normal['seconds']:.1f}x")
    if reload is not None and rerun is not None:
        print(f"  ratio rerun / normal reload: {rerun['seconds'] / reload['seconds']:.2f}x")
    print(json.dumps({"normal": normal, "first": first, "old": old, "reload": reload, "rerun": rerun, "left": left}))


def _mode(figures: dict[str, float]) -> str:
    return "union graph" if figures["union"] else "explicit graph list: garbage pending"


if __name__ == "__main__":
    main()
