"""`pankg validate` on the demo, against the cost of only reading the same triples out of the store.

    python bench/validate_throughput.py --datasets 100000

Each phase runs in its own process so that its peak RSS is its own (bench/phases.py):
1. generate: the demo catalogue into a fresh on-disk store (not timed; gives the store to read).
2. dump: oxigraph writes every quad of the store as N-Quads: the cheapest read of the whole graph.
3. fetch: the chunked SPARQL CONSTRUCTs of the validation (the shapes' paths, a chunk of entities at a
   time), serialized by oxigraph, nothing parsed: what the store side of the design costs.
4. rdflib: the same chunks parsed into rdflib graphs, still without any check: the export to rdflib.
5. validate, one job and one job per CPU: the whole report, as `pankg validate` makes it.
6. whole (only up to --whole-max datasets): the naive way, every triple in one rdflib graph and pySHACL
   once over it with the shapes file as it is (advanced features on, for the SPARQL targets).
The ratios: validation time / export-to-rdflib time (what pySHACL adds on top of moving the triples) and
validation time / dump time (against the cheapest read of the graph).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from phases import run_phase, serve_phase  # noqa: E402


def phase_generate(store_dir: str, datasets: str) -> dict[str, float]:
    from graph.store.embedded import GraphStore
    from loaders.base import load
    from loaders.demo import DemoCatalogue, DemoSource

    with GraphStore(store_dir) as store:
        day = dt.date(2026, 11, 21)
        report = load(store, DemoSource(DemoCatalogue(int(datasets), 42, day)), as_of=day)
        assert report.result is not None
        return {"triples": report.result.source.triples}


def phase_dump(store_dir: str, out: str) -> dict[str, float]:
    from graph.query.formats import RdfSyntax
    from graph.store.embedded import GraphStore

    with GraphStore(store_dir) as store:
        start = time.perf_counter()
        with open(out, "wb") as f:
            for g in store.graphs("all"):
                store.dump(f, RdfSyntax.N_QUADS, g)
        return {"seconds": time.perf_counter() - start, "bytes": Path(out).stat().st_size}


def phase_export(store_dir: str, parse: str) -> dict[str, float]:
    """The validation's chunks, fetched (and parsed into rdflib if ``parse`` is "1"), nothing checked."""
    import gc

    from graph.quality.chunks import export_chunk, focus_nodes, parse_chunk
    from graph.quality.report import CHUNK
    from graph.quality.run import few_collections
    from graph.quality.shapes import load_shapes
    from graph.store.embedded import GraphStore

    with GraphStore(store_dir) as store, few_collections():
        start = time.perf_counter()
        triples = chunks = 0
        for group in load_shapes().groups:
            nodes, _ = focus_nodes(store, group)
            for n in range(0, len(nodes), CHUNK):
                data = export_chunk(store, group, nodes[n : n + CHUNK])
                chunks += 1
                if parse == "1":
                    triples += len(parse_chunk(data, nodes[n : n + CHUNK]))
                    gc.collect()  # as the validation does after each chunk: rdflib graphs are freed by the collector
                else:
                    triples += data.count(b"\n")
        return {"seconds": time.perf_counter() - start, "chunk_triples": triples, "chunks": chunks}


def phase_validate(store_dir: str, jobs: str) -> dict[str, float]:
    from graph.quality.report import validate
    from graph.quality.run import default_jobs
    from graph.store.embedded import GraphStore

    workers = default_jobs() if jobs == "auto" else int(jobs)
    with GraphStore(store_dir) as store:
        start = time.perf_counter()
        report = validate(store, jobs=workers)
        return {
            "seconds": time.perf_counter() - start, "jobs": workers, "entities": report.entities,
            "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "focus_nodes": sum(report.checked.values()), "findings": sum(report.totals.values()),
            "violations": report.violations,
        }


def phase_whole(store_dir: str) -> dict[str, float]:
    import warnings

    import rdflib
    from pyshacl import validate as pyshacl_validate

    from graph.quality.shapes import load_shapes
    from graph.query.formats import RdfSyntax, ResultsSyntax
    from graph.store.embedded import GraphStore

    with GraphStore(store_dir) as store:
        start = time.perf_counter()
        graph = rdflib.Graph()
        data = store.serialize("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ResultsSyntax.JSON, RdfSyntax.N_TRIPLES)
        graph.parse(data=data, format="nt")
        loaded = time.perf_counter() - start
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, report, _ = pyshacl_validate(graph, shacl_graph=load_shapes().graph, advanced=True, allow_warnings=True)
        results = len(set(report.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
        return {"seconds": time.perf_counter() - start, "load_seconds": loaded, "results": results}


PHASES = {"generate": phase_generate, "dump": phase_dump, "fetch": phase_export, "validate": phase_validate,
          "whole": phase_whole}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--whole-max", type=int, default=5000,
                        help="run the one-graph pySHACL baseline up to this size")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        serve_phase(args.phase, PHASES)
        return
    with tempfile.TemporaryDirectory(prefix="pankg-bench-") as tmp:
        store = f"{tmp}/store"
        generated = run_phase(__file__, "generate", store, str(args.datasets))
        dump = run_phase(__file__, "dump", store, f"{tmp}/all.nq")
        fetch = run_phase(__file__, "fetch", store, "0")
        export = run_phase(__file__, "fetch", store, "1")
        one = run_phase(__file__, "validate", store, "1")
        auto = run_phase(__file__, "validate", store, "auto")
        whole = run_phase(__file__, "whole", store) if args.datasets <= args.whole_max else None
    triples = generated["triples"]
    print(f"demo at {args.datasets:,} datasets: {int(triples):,} triples, {int(one['entities']):,} entities, "
          f"{int(one['focus_nodes']):,} focus nodes, {int(fetch['chunks']):,} chunks, "
          f"{int(export['chunk_triples']):,} triples exported, {int(one['findings']):,} findings")
    rows = [
        ("dump (N-Quads)", dump), ("fetch chunks", fetch), ("export to rdflib", export),
        ("validate, 1 job", one), (f"validate, {int(auto['jobs'])} jobs", auto),
    ] + ([("whole graph, pySHACL", whole)] if whole else [])
    for name, figures in rows:
        rss = figures.get("worker_peak_rss_mb")
        workers = f" (+ {rss:,.0f} MB per worker)" if rss else ""
        print(f"  {name:<22}: {figures['seconds']:8.1f} s  {triples / figures['seconds']:10,.0f} store triples/s  "
              f"peak RSS {figures['peak_rss_mb']:,.0f} MB{workers}")
    for name, figures in (("1 job", one), (f"{int(auto['jobs'])} jobs", auto)):
        print(f"  ratio validate ({name}) / export to rdflib: {figures['seconds'] / export['seconds']:.1f}x;"
              f" / dump: {figures['seconds'] / dump['seconds']:.1f}x")
    if whole:
        print(f"  ratio whole-graph pySHACL / validate (1 job): {whole['seconds'] / one['seconds']:.1f}x"
              f" ({whole['results']:,.0f} results; loading rdflib alone {whole['load_seconds']:.1f} s)")


if __name__ == "__main__":
    main()
