"""The child-process side of ``bench/sparql_endpoint.py``: the queries, the answer checks, and the phases it
runs in processes of their own (the plan, in-process, worker, raw floor and the step-by-step breakdown)."""

from __future__ import annotations

import json
import pickle
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.serving import percentile  # noqa: E402

P = "http://purl.org/pan-science/PaNET/"
PANKG = "https://w3id.org/pankg/ontology#"
DEFAULT_PANET = ROOT.parent / "shared" / "reference" / "panet" / "PaNET-1.3.0-48-g7011e6b.owl"
MID_LEVEL = {"PaNET01188": "small angle x-ray scattering", "PaNET01124": "small angle scattering",
             "PaNET01196": "x-ray absorption spectroscopy"}
DIRECT = {"PaNET01188": "SAXS", "PaNET01199": "XANES", "PaNET01216": "XRD"}  # without PaNET: demo leaves
PROLOGUE = """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/> PREFIX pankg: <https://w3id.org/pankg/ontology#>
"""
LINEAGE = PROLOGUE + """SELECT ?run ?plan ?version ?software ?input ?inputTitle WHERE {
  <%s> prov:wasGeneratedBy ?run .
  ?run prov:qualifiedAssociation ?association . ?association prov:hadPlan ?plan .
  OPTIONAL { ?plan schema:softwareVersion ?version }
  OPTIONAL { ?plan dcterms:isVersionOf ?sw . ?sw schema:name ?software }
  ?run prov:used ?input . <%s> prov:wasDerivedFrom ?input .
  ?input dcterms:title ?inputTitle .
}"""
CLOSURE = PROLOGUE + """SELECT ?d ?title WHERE {
  ?d pankg:technique ?t . ?t pankg:subTechniqueOf <%s> . ?d dcterms:title ?title .
} LIMIT 100"""
NO_CLOSURE = PROLOGUE + """SELECT ?d ?title WHERE { ?d pankg:technique <%s> ; dcterms:title ?title . } LIMIT 100"""
CALLERS = ("anonymous", "group", "staff")
KINDS = ("lineage", "technique")
JSON = "application/sparql-results+json"
TOKENS = {"group": "bench-group-token", "staff": "bench-staff-token"}


# ---------------------------------------------------------------------------------------- shared helpers


def figures(times: Sequence[float], wall: float) -> dict[str, float]:
    return {"p50": statistics.median(times) * 1e3, "p99": percentile(times, 0.99) * 1e3, "rps": len(times) / wall}


def term(value: Any) -> list[str]:
    """A term of a query's rows (:mod:`graph.query.terms`) as [type, value, datatype or @lang], the shape
    :func:`binding` gives a JSON term."""
    from graph.query.terms import BlankNode, NamedNode

    if value is None:
        return []
    if isinstance(value, NamedNode):
        return ["uri", value.value, ""]
    if isinstance(value, BlankNode):
        return ["bnode", "", ""]
    if value.language:
        return ["literal", value.value, "@" + value.language]
    datatype = value.datatype.value
    return ["literal", value.value, "" if datatype.endswith("#string") else datatype]


def binding(value: dict[str, str] | None) -> list[str]:
    """A SPARQL JSON results term as [type, value, datatype or @lang]."""
    if value is None:
        return []
    kind = "literal" if value["type"] in ("literal", "typed-literal") else value["type"]
    if kind == "bnode":
        return ["bnode", "", ""]
    if "xml:lang" in value:
        return [kind, value["value"], "@" + value["xml:lang"]]
    datatype = value.get("datatype", "")
    return [kind, value["value"], "" if datatype.endswith("#string") else datatype]


def canonical(rows: list[list[list[str]]]) -> list[str]:
    """Rows, order aside, as comparable strings."""
    return sorted(json.dumps(row) for row in rows)


def from_json(body: bytes) -> list[list[list[str]]]:
    results = json.loads(body)
    names = results["head"]["vars"]
    return [[binding(b.get(n)) for n in names] for b in results["results"]["bindings"]]


def threaded(call: Callable[[str], Any], queries: Sequence[str], clients: int) -> tuple[list[float], float, list[Any]]:
    """Run ``call`` over ``queries`` from ``clients`` threads: (seconds per query, wall seconds, results)."""
    times, results = [0.0] * len(queries), [None] * len(queries)
    following = iter(range(len(queries)))
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                k = next(following, None)
            if k is None:
                return
            start = time.perf_counter()
            results[k] = call(queries[k])
            times[k] = time.perf_counter() - start

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, time.perf_counter() - start, results


# ---------------------------------------------------------------------------------------- phases (own processes)


def phase_plan(store_dir: str, plan_file: str, requests: str, panet: str) -> dict[str, float]:
    """Pick the token's proposals, the derived datasets and the techniques, and write every query's text."""
    from graph.model.access import Entitlement
    from graph.store.embedded import GraphStore

    n = int(requests)
    with GraphStore(store_dir) as store:
        _, rows = store.query(PROLOGUE + """SELECT ?d ?pid ?level WHERE {
            ?d a pankg:DerivedDataset ; pankg:accessLevel ?level ; pankg:proposal ?p . ?p pankg:proposalId ?pid
        } ORDER BY ?d""", "all")
        public = [d.value for d, _, level in rows if level.value == PANKG + "Public"]
        by_proposal: dict[str, list[str]] = {}
        for d, pid, level in rows:
            if level.value == PANKG + "Restricted":
                by_proposal.setdefault(pid.value, []).append(d.value)
        # A few embargoed proposals with at least two derived datasets, spread over the catalogue.
        candidates = sorted(p for p, ds in by_proposal.items() if len(ds) >= 2)
        proposals = [candidates[k * len(candidates) // 6] for k in range(6)] if len(candidates) >= 6 else candidates
        embargoed = sorted(d for p in proposals for d in by_proposal[p])
        assert public and embargoed, "the demo has no public or no embargoed derived dataset"
        lineage_targets = []
        for k in range(n):  # one in four: an embargoed dataset of the token's proposals
            lineage_targets.append(embargoed[k // 4 % len(embargoed)] if k % 4 == 3
                                   else public[(k - k // 4) * len(public) // n % len(public)])
        closure = bool(store.query(f"ASK {{ ?t <{PANKG}subTechniqueOf> <{P}PaNET00001> }}", "all"))
        chosen = MID_LEVEL if closure else DIRECT
        form = CLOSURE if closure else NO_CLOSURE
        techniques = [t for t in chosen if store.query(form % (P + t), "public")[1]]
        assert techniques, "no technique query finds anything"
        scope = Entitlement(proposals=frozenset(proposals))
        plan = {
            "proposals": proposals, "closure": closure, "techniques": techniques,
            "lineage": [LINEAGE % (d, d) for d in lineage_targets],
            "lineage_embargoed": [k % 4 == 3 for k in range(n)],
            "technique": [form % (P + techniques[k % len(techniques)]) for k in range(n)],
            "graphs": {"anonymous": len(store.graphs("public")), "group": len(store.graphs(scope)),
                       "staff": len(store.graphs(Entitlement(staff=True)))},
            "public_derived": len(public), "embargoed_derived": len(embargoed),
        }
    Path(plan_file).write_text(json.dumps(plan))
    return {"public_derived": len(public)}


def _scopes(plan: dict[str, Any]) -> dict[str, Any]:
    from graph.model.access import Entitlement

    return {"anonymous": "public", "group": Entitlement(proposals=frozenset(plan["proposals"])),
            "staff": Entitlement(staff=True)}


def phase_inprocess(store_dir: str, plan_file: str, out_file: str, clients: str, seconds: str) -> dict[str, float]:
    """``GraphStore.query`` with each caller's scope: timings, and every answer's rows for the checks.

    Also fixes each cell's number of requests for every way: ``--requests``, fewer when the warm-up shows
    that they would take more than ``seconds`` here (at least two per client).
    """
    from graph.store.embedded import GraphStore

    plan = json.loads(Path(plan_file).read_text())
    out: dict[str, Any] = {}
    with GraphStore(store_dir) as store:
        for caller, scope in _scopes(plan).items():
            for kind in KINDS:
                queries = plan[kind]

                def call(sparql: str, scope: Any = scope) -> list[list[list[str]]]:
                    _, rows = store.query(sparql, scope)
                    return [[term(v) for v in row] for row in rows]

                _, wall, _ = threaded(call, queries[: int(clients)], int(clients))  # warm-up
                count = min(len(queries), max(2 * int(clients), int(float(seconds) * int(clients) / wall)))
                times, wall, results = threaded(call, queries[:count], int(clients))
                out[f"{kind}/{caller}"] = {**figures(times, wall), "rows": results, "count": count}
    Path(out_file).write_text(json.dumps(out))
    return {}


def phase_worker(store_dir: str, plan_file: str, out_file: str, clients: str) -> dict[str, float]:
    """What the view runs for a query, without HTTP: ``sparql_protocol.execute`` (scope, worker process, JSON)."""
    from graph.store.embedded import GraphStore
    from resolvers import sparql_worker
    from resolvers.sparql_limits import Limits
    from resolvers.sparql_protocol import Operation, execute

    plan = json.loads(Path(plan_file).read_text())
    limits = Limits()
    out: dict[str, Any] = {}
    with GraphStore(store_dir) as store:
        try:
            for caller, scope in _scopes(plan).items():
                for kind in KINDS:

                    def call(sparql: str, scope: Any = scope) -> list[list[list[str]]]:
                        body, _ = execute(store, scope, Operation(sparql), JSON, None, limits)
                        return from_json(body)

                    queries = plan[kind][: plan["counts"][f"{kind}/{caller}"]]
                    threaded(call, queries[: int(clients)], int(clients))  # warm-up: starts the workers
                    times, wall, results = threaded(call, queries, int(clients))
                    out[f"{kind}/{caller}"] = {**figures(times, wall), "rows": results}
        finally:
            sparql_worker.close_pools()
    Path(out_file).write_text(json.dumps(out))
    return {}


def phase_floor(store_dir: str, plan_file: str, out_file: str, clients: str) -> dict[str, float]:
    """Raw oxigraph ``Store.query`` over the union default graph of the same on-disk store (its rows as plain
    values, as every way here gets them: :class:`graph.store.raw.RawStore`)."""
    from graph.store.raw import RawStore

    plan = json.loads(Path(plan_file).read_text())
    store = RawStore(store_dir)
    out: dict[str, Any] = {}
    for kind in KINDS:

        def call(sparql: str) -> list[list[list[str]]]:
            _, rows = store.query(sparql, union=True)
            return [[term(v) for v in row] for row in rows]

        threaded(call, plan[kind][: int(clients)], int(clients))
        times, wall, results = threaded(call, plan[kind], int(clients))
        out[f"{kind}/raw"] = {**figures(times, wall), "rows": results}
    Path(out_file).write_text(json.dumps(out))
    return {}


def phase_breakdown(store_dir: str, plan_file: str, out_file: str) -> dict[str, float]:
    """Where a worker query's time goes, step by step as the server and its worker take them (medians)."""
    from graph.query.dataset import Dataset
    from graph.store.embedded import GraphStore
    from graph.store.view import ReadOnlyView
    from resolvers.sparql_formats import Chooser

    plan = json.loads(Path(plan_file).read_text())
    reps = 15

    def median_ms(call: Callable[[], Any]) -> float:
        """Median of ``reps`` runs, or of as many as fit in 3 s (at least 3)."""
        times: list[float] = []
        while len(times) < reps and (len(times) < 3 or sum(times) < 3.0):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1e3

    out: dict[str, Any] = {}
    with GraphStore(store_dir) as store:
        store.flush()
        reader = ReadOnlyView(store_dir)
        out["open read-only"] = median_ms(lambda: ReadOnlyView(store_dir))
        json_answer = Chooser(None, None)
        for caller, scope in _scopes(plan).items():
            def options() -> Dataset:
                with store.reading(scope) as dataset:  # noqa: B023
                    return dataset

            dataset = options()
            wire = pickle.dumps(dataset)
            row: dict[str, float] = {
                "scope options": median_ms(options),
                "pickle + unpickle": median_ms(lambda: pickle.loads(pickle.dumps(dataset))),  # noqa: B023
                "pickled bytes": len(wire),
            }
            for kind in KINDS:
                sparql = plan[kind][0]
                # evaluate: the rows as plain values, the store's one way to read results without writing them
                row[f"{kind} evaluate"] = median_ms(lambda: reader.query(sparql, dataset))  # noqa: B023
                row[f"{kind} evaluate + JSON"] = median_ms(
                    lambda: reader.answer(sparql, dataset, json_answer, 50_000_000))  # noqa: B023
            out[caller] = row
        union = Dataset(union=True)
        out["raw"] = {f"{kind} evaluate": median_ms(lambda: reader.query(plan[kind][0], union))  # noqa: B023
                      for kind in KINDS}
    Path(out_file).write_text(json.dumps(out))
    return {}


