"""Harvest throughput of the NeXus loader, against oxigraph's raw bulk_load of the same triples.

    python bench/nexus_throughput.py --files 2000

Small realistic NeXus files (one SAXS entry each, as the tests write them, with keV and eV energies) are
generated in a temporary directory, then each phase runs in its own process so its peak RSS is its own:
1. harvest: read every file with h5py and map it to quads, without a store (the loader's own cost).
2. pankg: ``pankg load nexus DIR``: one source per file into a fresh on-disk store (harvest, map, stage,
   swap and count per file).
3. export: the loaded triples as an N-Triples file, and as N-Quads with their graphs (not timed).
4. raw: ``Store.bulk_load`` of the N-Triples file into a fresh on-disk store (one call for everything).
5. raw-graphs: ``Store.bulk_load`` of the N-Quads file: the same quads in the same named graphs.
One source per file means one atomic replace per file; the raw baselines load everything in one call, so
the ratio shows what that per-file guarantee costs at this file size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from phases import baselines, run_phase, serve_phase  # noqa: E402


def phase_generate(directory: str, files: str) -> dict[str, float]:
    from tests.loaders.nexus_files import saxs_entry, write_nexus

    start = time.perf_counter()
    for n in range(int(files)):
        energy = (8 + n % 7, "keV") if n % 2 else ((8 + n % 7) * 1000, "eV")
        entry = saxs_entry(f"Silica nanoparticles, run {n}", energy=energy)
        entry["entry_identifier"] = n
        entry["start_time"] = f"2021-{1 + n % 12:02d}-{1 + n % 28:02d}T09:{n % 60:02d}:00+01:00"
        entry["sample"]["temperature"] = (280.0 + n % 40, {"units": "K"})
        write_nexus(Path(directory) / f"proposal{n // 100:03d}" / f"run_{n:05d}.nxs", {"entry": entry})
    return {"seconds": time.perf_counter() - start, "files": int(files)}


def phase_harvest(directory: str) -> dict[str, float]:
    import datetime as dt

    from graph.model.writer import RdfModel
    from loaders import nexus
    from loaders.base import LoadReport

    start = time.perf_counter()
    quads = 0
    sources = nexus.sources([directory])
    model = RdfModel(as_of=dt.date(2026, 11, 21))
    for source in sources:
        source.content_hash()
        quads += sum(1 for _ in source.quads(model, LoadReport(source.kind, source.location)))
    return {"seconds": time.perf_counter() - start, "files": len(sources), "quads": quads}


def phase_pankg(store_dir: str, directory: str) -> dict[str, float]:
    import datetime as dt

    from graph.store.embedded import GraphStore
    from loaders import nexus
    from loaders.base import load

    start = time.perf_counter()
    triples = 0
    with GraphStore(store_dir) as store:
        sources = nexus.sources([directory])
        for source in sources:
            report = load(store, source, as_of=dt.date(2026, 11, 21))
            assert report.result is not None and not report.warnings
            triples += report.result.source.triples
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "files": len(sources), "triples": triples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        serve_phase(args.phase, {"generate": phase_generate, "harvest": phase_harvest, "pankg": phase_pankg})
        return
    with tempfile.TemporaryDirectory(prefix="pankg-bench-nexus-") as tmp:
        made = run_phase(__file__, "generate", f"{tmp}/files", str(args.files))
        harvest = run_phase(__file__, "harvest", f"{tmp}/files")
        ours = run_phase(__file__, "pankg", f"{tmp}/pankg", f"{tmp}/files")
        raw, raw_graphs = baselines(__file__, tmp, f"{tmp}/pankg")
    files, triples = ours["files"], ours["triples"]
    rate = triples / ours["seconds"]
    harvest_rate = harvest["quads"] / harvest["seconds"]
    raw_rate = raw["triples"] / raw["seconds"]
    graphs_rate = raw_graphs["triples"] / raw_graphs["seconds"]
    print(f"{int(files):,} NeXus files (written in {made['seconds']:.1f} s): {int(triples):,} triples")
    print(f"  harvest + map only : {harvest['seconds']:7.2f} s  {harvest['files'] / harvest['seconds']:8,.0f} files/s "
          f"{harvest_rate:10,.0f} quads/s    peak RSS {harvest['peak_rss_mb']:,.0f} MB")
    print(f"  pankg load nexus   : {ours['seconds']:7.2f} s  {files / ours['seconds']:8,.0f} files/s "
          f"{rate:10,.0f} triples/s  peak RSS {ours['peak_rss_mb']:,.0f} MB")
    print(f"  raw bulk_load NT   : {raw['seconds']:7.2f} s  {'':8} {'':7}  {raw_rate:10,.0f} triples/s  "
          f"peak RSS {raw['peak_rss_mb']:,.0f} MB")
    print(f"  raw bulk_load NQ   : {raw_graphs['seconds']:7.2f} s  {'':8} {'':7}  {graphs_rate:10,.0f} triples/s  "
          f"peak RSS {raw_graphs['peak_rss_mb']:,.0f} MB  (same named graphs)")
    print(f"  ratio pankg / raw NT: {rate / raw_rate:.1%}   pankg / raw NQ: {rate / graphs_rate:.1%}   "
          f"harvest only / raw NT: {harvest_rate / raw_rate:.0%}")


if __name__ == "__main__":
    main()
