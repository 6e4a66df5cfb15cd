"""What every benchmark here shares: phases in their own processes, and the raw oxigraph baselines.

A benchmark script defines its own phases (``generate``, ``pankg``, ...) and gets ``export`` and
``raw`` from here. Each phase runs in a child process (:func:`run_phase`) so that its peak RSS is its
own; :func:`serve_phase` is the child's side. The baselines: the triples pankg loaded, written out
(not timed) as N-Triples and as N-Quads in pankg's named graphs, then bulk-loaded by oxigraph alone
(:class:`graph.store.raw.RawStore`: the engine without pankg's layers).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

Phase = Callable[..., dict[str, float]]


def phase_export(store_dir: str, nt_file: str) -> dict[str, float]:
    """Write the source graphs of a pankg store as N-Triples (``nt_file``) and as N-Quads (``nt_file.nq``)."""
    from graph.query.formats import RdfSyntax
    from graph.store.embedded import GraphStore

    with GraphStore(store_dir) as store, open(nt_file, "wb") as out, open(nt_file + ".nq", "wb") as quads:
        for g in [g for info in store.sources.values() for g in info.graphs]:
            store.dump(out, RdfSyntax.N_TRIPLES, g.iri)
            for s, p, o, _ in store.quads(graph=g.iri):
                quads.write(f"{s} {p} {o} <{g.iri}> .\n".encode())
    return {"bytes": Path(nt_file).stat().st_size}


def phase_raw(store_dir: str, rdf_file: str) -> dict[str, float]:
    """oxigraph's own ``bulk_load`` of a file (N-Quads if it ends in .nq) into a fresh on-disk store."""
    from graph.query.formats import RdfSyntax
    from graph.store.raw import RawStore

    store = RawStore(store_dir)
    start = time.perf_counter()
    fmt = RdfSyntax.N_QUADS if rdf_file.endswith(".nq") else RdfSyntax.N_TRIPLES
    store.bulk_load(path=rdf_file, syntax=fmt)
    store.flush()
    return {"seconds": time.perf_counter() - start, "triples": len(store)}


def load_phase(store_dir: str, kind: str, location: str) -> dict[str, float]:
    """``pankg load KIND LOCATION`` into a fresh on-disk store, as the CLI does it: seconds, triples, warnings."""
    import datetime as dt

    from graph.store.embedded import GraphStore
    from loaders import LOADERS
    from loaders.base import load

    start = time.perf_counter()
    triples = warnings = 0
    with GraphStore(store_dir) as store:
        for source in LOADERS[kind]([location]):
            report = load(store, source, as_of=dt.date(2026, 11, 21))
            assert report.result is not None
            triples += report.result.source.triples
            warnings += len(report.warnings)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "triples": triples, "warnings": warnings}


def run_phase(script: str, *args: str) -> dict[str, float]:
    """Run ``script --phase ARGS...`` in a child process and return the figures it printed."""
    out = subprocess.run([sys.executable, script, "--phase", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve_phase(args: list[str], phases: dict[str, Phase]) -> None:
    """The child's side: run the named phase (``export`` and ``raw`` included) and print its figures."""
    name, *rest = args
    table: dict[str, Phase] = {"export": phase_export, "raw": phase_raw, **phases}
    result = table[name](*rest)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def baselines(script: str, tmp: str, store_dir: str) -> tuple[dict[str, float], dict[str, float]]:
    """Export what ``store_dir`` holds and bulk-load it raw: (N-Triples figures, N-Quads figures)."""
    run_phase(script, "export", store_dir, f"{tmp}/same.nt")
    return run_phase(script, "raw", f"{tmp}/raw", f"{tmp}/same.nt"), run_phase(
        script, "raw", f"{tmp}/raw-graphs", f"{tmp}/same.nt.nq"
    )


def print_comparison(label: str, ours: dict[str, float], raw: dict[str, float], raw_graphs: dict[str, float]) -> None:
    """The three rates side by side, and the two ratios (the target is pankg / raw NT >= 50 %)."""
    rates = [f["triples"] / f["seconds"] for f in (ours, raw, raw_graphs)]
    rows = [(label, ours, ""), ("raw bulk_load NT", raw, ""), ("raw bulk_load NQ", raw_graphs, "  (same named graphs)")]
    for (name, figures, note), rate in zip(rows, rates, strict=True):
        print(f"  {name:<18}: {figures['seconds']:8.1f} s  {rate:12,.0f} triples/s  "
              f"peak RSS {figures['peak_rss_mb']:,.0f} MB{note}")
    print(f"  ratio pankg / raw NT: {rates[0] / rates[1]:.0%} (target >= 50%)")
    print(f"  ratio pankg / raw NQ: {rates[0] / rates[2]:.0%} (same layout)")
