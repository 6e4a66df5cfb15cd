"""Technique-subtree search: the materialized closure against a property path at query time.

    python bench/technique_search.py --datasets 100000

"Everything of technique T or of any narrower technique", over the demo catalogue with PaNET loaded into
one on-disk store, asked three ways that give the same answer (checked):

- closure: ``?d pankg:technique ?t . ?t pankg:subTechniqueOf <T>``, the closure that ``pankg load panet``
  writes (one indexed lookup per technique under T);
- path: ``?d pankg:technique ?t . ?t rdfs:subClassOf* <T>``, the hierarchy walked at query time, in the
  same order (the baseline: what a store without the closure has to do, written the obvious way);
- path first: ``?t rdfs:subClassOf* <T> . ?d pankg:technique ?t``, the same path written first. oxigraph
  keeps the written order here: it walks the hierarchy down from T once, where the ``path`` form walks it
  up once per ``pankg:technique`` triple.

For a leaf, mid-level and wide techniques and the root, it prints the median time of each form, the
number of techniques under T and of things found, and the ratios path / closure and path first / closure.
``--dataset-type`` adds ``?d a dcat:Dataset`` to every form. The store is built once (the demo load takes
25 s to a few minutes at 100,000 datasets, depending on the machine's load); ``--datasets 2000`` is a quick
run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

P = "http://purl.org/pan-science/PaNET/"
PANKG = "https://w3id.org/pankg/ontology#"
DEFAULT_PANET = ROOT.parent / "shared" / "reference" / "panet" / "PaNET-1.3.0-48-g7011e6b.owl"
TECHNIQUES = {
    "PaNET01199": "leaf: x-ray absorption near edge structure (XANES)",
    "PaNET01188": "mid: small angle x-ray scattering",
    "PaNET01124": "mid: small angle scattering",
    "PaNET01012": "wide: x-ray probe technique",
    "PaNET00001": "root: photon and neutron technique",
}
PATH = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
FORMS = {
    "closure": f"?d <{PANKG}technique> ?t . ?t <{PANKG}subTechniqueOf> <{P}{{T}}> .",
    "path": f"?d <{PANKG}technique> ?t . ?t {PATH} <{P}{{T}}> .",
    "path first": f"?t {PATH} <{P}{{T}}> . ?d <{PANKG}technique> ?t .",
}
DATASET_TYPE = " ?d a <http://www.w3.org/ns/dcat#Dataset> ."


def query(technique: str, form: str, dataset_type: bool = False) -> str:
    body = FORMS[form].format(T=technique) + (DATASET_TYPE if dataset_type else "")
    return "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { " + body + " }"


def timed(store: object, sparql: str, repeat: int) -> tuple[float, int]:
    """Median seconds over ``repeat`` runs (after one warm-up run), and the count the query returns."""
    _, rows = store.query(sparql)  # type: ignore[attr-defined]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        store.query(sparql)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
    return statistics.median(times), int(rows[0][0].value)


def build(store_dir: str, datasets: int, panet: str) -> None:
    from graph.store.embedded import GraphStore
    from loaders import LOADERS
    from loaders.base import load
    from loaders.demo import DemoCatalogue, DemoSource

    start = time.perf_counter()
    with GraphStore(store_dir) as store:
        load(store, DemoSource(DemoCatalogue(datasets, 42, dt.date(2026, 11, 21))))
        demo_seconds = time.perf_counter() - start
        (source,) = LOADERS["panet"]([panet])
        report = load(store, source)
        assert report.result is not None
    print(f"demo at {datasets:,} datasets loaded in {demo_seconds:.1f} s; PaNET: {report.result.source.triples:,} "
          f"triples in {time.perf_counter() - start - demo_seconds:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--panet", default=str(DEFAULT_PANET), help="PaNET OWL file or URL")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query (the median is shown)")
    parser.add_argument("--scope", choices=("all", "public"), default="all",
                        help="all: the union default graph (pankg query); public: the list of public graphs (web app)")
    parser.add_argument("--dataset-type", action="store_true", help="add ?d a dcat:Dataset to every form")
    args = parser.parse_args()

    from graph.store.embedded import GraphStore

    with tempfile.TemporaryDirectory(prefix="pankg-bench-") as tmp:
        build(f"{tmp}/kg", args.datasets, args.panet)
        with GraphStore(f"{tmp}/kg") as store:
            print(f"scope {args.scope}{', with ?d a dcat:Dataset' if args.dataset_type else ''}; "
                  f"median of {args.repeat} runs after one warm-up\n")
            print(f"{'technique':<11} {'under':>5} {'found':>8} {'closure':>11} {'path':>11} {'path first':>11} "
                  f"{'path/closure':>13} {'first/closure':>14}  what")
            scoped = _Scoped(store, args.scope)
            for technique, what in TECHNIQUES.items():
                under = len(store.query(f"SELECT ?t WHERE {{ ?t <{PANKG}subTechniqueOf> <{P}{technique}> }}")[1])
                figures = {form: timed(scoped, query(technique, form, args.dataset_type), args.repeat) for form in FORMS}
                counts = {form: n for form, (_, n) in figures.items()}
                assert len(set(counts.values())) == 1, f"{technique}: the forms disagree: {counts}"
                closure, path, first = (figures[form][0] for form in FORMS)
                print(f"{technique:<11} {under:>5} {counts['closure']:>8,} {closure * 1000:>8.1f} ms {path * 1000:>8.1f} ms "
                      f"{first * 1000:>8.1f} ms {path / closure:>12.1f}x {first / closure:>13.1f}x  {what}")


class _Scoped:
    """The store's ``query`` with the scope fixed."""

    def __init__(self, store: object, scope: str) -> None:
        self.store, self.scope = store, scope

    def query(self, sparql: str) -> object:
        return self.store.query(sparql, self.scope)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
