"""The SPARQL endpoint under load: requests/s and p50/p99 over HTTP, beside the same queries in-process.

    python bench/sparql_endpoint.py [--datasets 100000] [--requests 200] [--clients 4]

Builds (not timed, own processes) the demo of ``--datasets`` datasets into a fresh on-disk store with
``pankg demo`` and loads PaNET into it with ``pankg load panet``. Then two queries, ``--requests`` of each,
each request with its own SPARQL text (deterministic):

- lineage: for a derived dataset, its generating run, the run's software version (``prov:qualifiedAssociation``
  / ``prov:hadPlan``) and the software's name, and the input raw datasets (``prov:used``, and the derived
  dataset ``prov:wasDerivedFrom`` them) with their titles. Three requests in four ask about a public derived
  dataset, one in four about an embargoed one of the token's proposals (empty for an anonymous caller);
- technique search: datasets of a mid-level PaNET technique or below, with their titles, ``LIMIT 100``,
  through the materialized closure (``?d pankg:technique ?t . ?t pankg:subTechniqueOf <T>``), rotating
  over three mid-level techniques. Without PaNET (file absent) the technique is matched directly.

each asked as three callers:

- anonymous (scope ``public``), a group token (an entitlement to the restricted graphs of a few demo
  proposals), a staff token (every restricted graph);

three ways:

- http: ``POST /sparql`` (``application/sparql-query``, JSON results) to a real ``pankg serve`` on
  127.0.0.1 (its own process, with a ``PANKG_TOKENS`` file written here and the default limits: each query
  in a read-only worker process, 4 of them), ``--clients`` concurrent httpx clients;
- in-process: ``GraphStore.query(sparql, scope)`` with the matching scope (``public``, the ``Entitlement``,
  staff), ``--clients`` threads, rows materialized as pyoxigraph terms (no serialization);
- raw: pyoxigraph's ``Store.query`` on the same on-disk store with the union default graph (no scope at
  all), ``--clients`` threads: the floor.

Before timing, every cell's first requests are checked: rows found, and the HTTP answer has the same rows as
the in-process answer of the same scope (after timing, every timed answer is checked the same way; the
anonymous caller must get nothing for an embargoed dataset, the group token and staff the same rows, and
staff the same rows as the raw union). It prints p50/p99 and requests/s of each cell, the ratios
HTTP / in-process and in-process / raw, and a breakdown of one worker query (building the scope's graph
list, pickling it, opening the store read only, evaluating the query and writing the JSON).
A cell whose in-process warm-up shows it would take more than ``--cell-seconds`` (the staff token's, at
100,000 datasets) gets fewer requests, the same number in every way; the ``n`` column shows it. The whole
run takes about 3 minutes at 100,000 datasets on 2 cores. ``--datasets 2000`` is a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import pickle
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.phases import run_phase as _run_phase  # noqa: E402
from bench.phases import serve_phase  # noqa: E402

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


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def figures(times: Sequence[float], wall: float) -> dict[str, float]:
    return {"p50": statistics.median(times) * 1e3, "p99": percentile(times, 0.99) * 1e3, "rps": len(times) / wall}


def term(value: Any) -> list[str]:
    """A pyoxigraph term as [type, value, datatype or @lang], the shape :func:`binding` gives a JSON term."""
    import pyoxigraph as ox

    if value is None:
        return []
    if isinstance(value, ox.NamedNode):
        return ["uri", value.value, ""]
    if isinstance(value, ox.BlankNode):
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
    from graph.access import Entitlement
    from graph.store import GraphStore

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
    from graph.access import Entitlement

    return {"anonymous": "public", "group": Entitlement(proposals=frozenset(plan["proposals"])),
            "staff": Entitlement(staff=True)}


def phase_inprocess(store_dir: str, plan_file: str, out_file: str, clients: str, seconds: str) -> dict[str, float]:
    """``GraphStore.query`` with each caller's scope: timings, and every answer's rows for the checks.

    Also fixes each cell's number of requests for every way: ``--requests``, fewer when the warm-up shows
    that they would take more than ``seconds`` here (at least two per client).
    """
    from graph.store import GraphStore

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
    from graph.store import GraphStore
    from resolvers import sparql_worker
    from resolvers.sparql_limits import Limits
    from resolvers.sparql_protocol import Operation, execute

    plan = json.loads(Path(plan_file).read_text())
    limits = Limits.from_env()
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
    """Raw pyoxigraph ``Store.query`` over the union default graph of the same on-disk store."""
    import pyoxigraph as ox

    plan = json.loads(Path(plan_file).read_text())
    store = ox.Store(store_dir)
    out: dict[str, Any] = {}
    for kind in KINDS:

        def call(sparql: str) -> list[list[list[str]]]:
            results = store.query(sparql, use_default_graph_as_union=True)
            width = len(results.variables)
            return [[term(row[i]) for i in range(width)] for row in results]

        threaded(call, plan[kind][: int(clients)], int(clients))
        times, wall, results = threaded(call, plan[kind], int(clients))
        out[f"{kind}/raw"] = {**figures(times, wall), "rows": results}
    Path(out_file).write_text(json.dumps(out))
    return {}


def phase_breakdown(store_dir: str, plan_file: str, out_file: str) -> dict[str, float]:
    """Where a worker query's time goes, step by step as the server and its worker take them (medians)."""
    import pyoxigraph as ox

    from graph.store import GraphStore
    from resolvers.sparql_limits import answer, oxigraph_dataset, plain_dataset

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
        reader = ox.Store.read_only(store_dir)
        out["open read-only"] = median_ms(lambda: ox.Store.read_only(store_dir))
        for caller, scope in _scopes(plan).items():
            def options() -> dict[str, Any]:
                with store.reading(scope) as opts:  # noqa: B023
                    return opts

            opts = options()
            plain = plain_dataset(opts)
            wire = pickle.dumps(plain)
            row: dict[str, float] = {
                "scope options": median_ms(options),
                "pickle + unpickle": median_ms(lambda: oxigraph_dataset(pickle.loads(pickle.dumps(plain)))),  # noqa: B023
                "pickled bytes": len(wire),
            }
            dataset = oxigraph_dataset(plain)
            for kind in KINDS:
                sparql = plan[kind][0]
                row[f"{kind} evaluate"] = median_ms(lambda: list(reader.query(sparql, **dataset)))  # noqa: B023
                row[f"{kind} evaluate + JSON"] = median_ms(
                    lambda: answer(reader.query(sparql, **dataset), None, None, 50_000_000))  # noqa: B023
            out[caller] = row
        union = {"use_default_graph_as_union": True}
        out["raw"] = {f"{kind} evaluate": median_ms(lambda: list(reader.query(plan[kind][0], **union)))  # noqa: B023
                      for kind in KINDS}
    Path(out_file).write_text(json.dumps(out))
    return {}


# ---------------------------------------------------------------------------------------- the server and HTTP


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_tokens(path: Path, proposals: list[str]) -> None:
    digest = {k: hashlib.sha256(v.encode()).hexdigest() for k, v in TOKENS.items()}
    path.write_text(
        "tokens:\n"
        f"  {digest['group']}:\n    name: bench group\n    groups: [bench-group]\n"
        f"    proposals: [{', '.join(proposals)}]\n    staff: false\n"
        f"  {digest['staff']}:\n    name: bench staff\n    staff: true\n"
    )


def start_server(store_dir: str, tokens: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = free_port()
    # The bench needs no GraphiQL: if its files are missing, the fetch fails at once instead of going online.
    env = {**os.environ, "PANKG_TOKENS": str(tokens), "PANKG_NPM_REGISTRY": "http://127.0.0.1:9"}
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "pankg", "serve", "--data", store_dir, "--port", str(port)],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"pankg serve ended with status {server.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"pankg serve did not answer /healthz within 120 s:\n{log.read_text()[-2000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


async def over_http(url: str, caller: str, queries: Sequence[str], clients: int) -> tuple[list[float], float, list[bytes]]:
    """POST each query to /sparql from ``clients`` concurrent clients: (seconds each, wall seconds, bodies)."""
    import httpx

    headers = {"Content-Type": "application/sparql-query", "Accept": JSON}
    if caller in TOKENS:
        headers["Authorization"] = f"Bearer {TOKENS[caller]}"
    times, bodies = [0.0] * len(queries), [b""] * len(queries)
    following = iter(range(len(queries)))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def one_client() -> None:
            for k in following:
                start = time.perf_counter()
                response = await client.post("/sparql", content=queries[k].encode(), headers=headers)
                times[k] = time.perf_counter() - start
                if response.status_code != 200:
                    raise RuntimeError(f"{caller} request {k}: {response.status_code} {response.text[:300]}")
                bodies[k] = response.content

        start = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        return times, time.perf_counter() - start, bodies


# ---------------------------------------------------------------------------------------- main


def check(kind: str, caller: str, http_rows: list[Any], local_rows: list[Any], plan: dict[str, Any]) -> None:
    for k, (got, want) in enumerate(zip(http_rows, local_rows)):
        assert canonical(got) == canonical(want), (
            f"{kind} as {caller}, request {k}: HTTP gave {len(got)} rows, in-process {len(want)}, not the same")
        embargoed = kind == "lineage" and plan["lineage_embargoed"][k]
        if caller == "anonymous" and embargoed:
            assert not got, f"lineage request {k}: an anonymous caller sees an embargoed dataset's lineage"
        else:
            assert got, f"{kind} as {caller}, request {k}: no rows"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per query, caller and way")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients (threads in-process)")
    parser.add_argument("--cell-seconds", type=float, default=15.0,
                        help="fewer requests in a cell whose in-process warm-up shows it would take longer")
    parser.add_argument("--panet", default=str(DEFAULT_PANET), help="PaNET OWL file")
    args = parser.parse_args()
    script = str(Path(__file__).resolve())
    n, clients = args.requests, args.clients

    with tempfile.TemporaryDirectory(prefix="pankg-bench-") as tmp:
        store_dir = f"{tmp}/kg"
        start = time.perf_counter()
        _cli("demo", "--datasets", str(args.datasets), "--data", store_dir)
        demo_seconds = time.perf_counter() - start
        if Path(args.panet).is_file():
            _cli("load", "panet", args.panet, "--data", store_dir)
            panet_note = f"PaNET {Path(args.panet).name} loaded in {time.perf_counter() - start - demo_seconds:.1f} s"
        else:
            panet_note = (f"PaNET not found at {args.panet}: skipped; the technique search matches demo "
                          "techniques directly, without the closure")
        print(f"demo of {args.datasets:,} datasets built in {demo_seconds:.1f} s (pankg demo); {panet_note}")

        run_phase(script, "plan", store_dir, f"{tmp}/plan.json", str(n), args.panet)
        plan = json.loads(Path(f"{tmp}/plan.json").read_text())
        print(f"{plan['public_derived']:,} public derived datasets; group token: proposals "
              f"{', '.join(plan['proposals'])} ({plan['embargoed_derived']} embargoed derived datasets); "
              f"techniques {', '.join(plan['techniques'])} ({'closure' if plan['closure'] else 'no closure'})")
        print("graphs in each caller's dataset: " + ", ".join(f"{c} {g:,}" for c, g in plan["graphs"].items()))

        run_phase(script, "inprocess", store_dir, f"{tmp}/plan.json", f"{tmp}/local.json", str(clients),
                  str(args.cell_seconds))
        local = json.loads(Path(f"{tmp}/local.json").read_text())
        plan["counts"] = {cell: figures_["count"] for cell, figures_ in local.items()}
        Path(f"{tmp}/plan.json").write_text(json.dumps(plan))
        run_phase(script, "worker", store_dir, f"{tmp}/plan.json", f"{tmp}/worker.json", str(clients))
        run_phase(script, "floor", store_dir, f"{tmp}/plan.json", f"{tmp}/floor.json", str(clients))
        run_phase(script, "breakdown", store_dir, f"{tmp}/plan.json", f"{tmp}/breakdown.json")
        worker = json.loads(Path(f"{tmp}/worker.json").read_text())
        for cell, figures_ in worker.items():
            check(*cell.split("/"), figures_["rows"], local[cell]["rows"], plan)
        local.update(json.loads(Path(f"{tmp}/floor.json").read_text()))
        staff, union, group = (local[f"lineage/{who}"]["rows"] for who in ("staff", "raw", "group"))
        for k in range(min(len(staff), len(group))):  # lineage: no LIMIT, so the same rows whatever the plan
            assert canonical(staff[k]) == canonical(union[k]), f"lineage {k}: staff and the raw union disagree"
            assert canonical(group[k]) == canonical(staff[k]), f"lineage {k}: the group token and staff disagree"

        write_tokens(Path(f"{tmp}/tokens.yaml"), plan["proposals"])
        http: dict[str, dict[str, float]] = {}
        server, url = start_server(store_dir, Path(f"{tmp}/tokens.yaml"), Path(f"{tmp}/serve.log"))
        try:
            for caller in CALLERS:
                for kind in KINDS:
                    cell = f"{kind}/{caller}"
                    queries = plan[kind][: plan["counts"][cell]]
                    _, _, bodies = asyncio.run(over_http(url, caller, queries[:clients], clients))  # warm-up
                    check(kind, caller, [from_json(b) for b in bodies], local[cell]["rows"][:clients], plan)
                    times, wall, bodies = asyncio.run(over_http(url, caller, queries, clients))
                    check(kind, caller, [from_json(b) for b in bodies], local[cell]["rows"], plan)
                    http[cell] = figures(times, wall)
        finally:
            stop_server(server)
        breakdown = json.loads(Path(f"{tmp}/breakdown.json").read_text())
    report(args, plan, http, worker, local, breakdown)


def report(args: argparse.Namespace, plan: dict[str, Any], http: dict[str, dict[str, float]],
           worker: dict[str, Any], local: dict[str, Any], breakdown: dict[str, Any]) -> None:
    print(f"\nup to {args.requests} requests per cell (n: fewer where the in-process warm-up showed the cell would take "
          f"over {args.cell_seconds:g} s), {args.clients} concurrent clients (HTTP) or threads (the other ways); every "
          "answer checked (HTTP rows = worker rows = in-process rows)")
    print(f"{'query':<10} {'caller':<10} {'way':<11} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'rows/req':>9}   "
          "ratios")
    for kind in KINDS:
        raw = local[f"{kind}/raw"]
        for caller in CALLERS:
            cell = f"{kind}/{caller}"
            inproc = local[cell]
            rows = sum(len(r) for r in inproc["rows"]) / len(inproc["rows"])
            for way, f in (("http", http[cell]), ("worker", worker[cell]), ("in-process", inproc)):
                if way == "in-process":
                    ratios = (f"in-process/raw: p50 {f['p50'] / raw['p50']:.1f}x, p99 {f['p99'] / raw['p99']:.1f}x, "
                              f"req/s {f['rps'] / raw['rps']:.2f} of raw")
                else:
                    ratios = (f"{way}/in-process: p50 {f['p50'] / inproc['p50']:.1f}x, p99 {f['p99'] / inproc['p99']:.1f}x, "
                              f"req/s {f['rps'] / inproc['rps']:.2f} of in-process")
                first = way == "http"
                print(f"{kind if first else '':<10} {caller if first else '':<10} {way:<11} {inproc['count']:>4} "
                      f"{f['p50']:8.1f} "
                      f"{f['p99']:8.1f} {f['rps']:8.1f} {f'{rows:9.1f}' if first else '':>9}   {ratios}")
        rows = sum(len(r) for r in raw["rows"]) / len(raw["rows"])
        print(f"{kind:<10} {'(union)':<10} {'raw':<11} {len(raw['rows']):>4} {raw['p50']:8.1f} {raw['p99']:8.1f} {raw['rps']:8.1f} {rows:9.1f}")
    print("\nHTTP/worker, p50: " + ", ".join(
        f"{kind} {caller} {http[f'{kind}/{caller}']['p50'] / worker[f'{kind}/{caller}']['p50']:.1f}x"
        for kind in KINDS for caller in CALLERS))
    print(f"\none worker query, step by step (median of up to 15 runs, one client; first query of each kind): "
          f"open the store read only {breakdown['open read-only']:.1f} ms")
    print(f"{'caller':<10} {'graphs':>7} {'options ms':>11} {'pickle KB':>10} {'pickle ms':>10}"
          + "".join(f" {kind + ' eval':>15} {'+ JSON':>8}" for kind in KINDS))
    for caller in CALLERS:
        b = breakdown[caller]
        print(f"{caller:<10} {plan['graphs'][caller]:>7,} {b['scope options']:>11.2f} {b['pickled bytes'] / 1024:>10.1f} "
              f"{b['pickle + unpickle']:>10.2f}"
              + "".join(f" {b[kind + ' evaluate']:>15.2f} {b[kind + ' evaluate + JSON']:>8.2f}" for kind in KINDS))
    print(f"{'raw union':<10} {'':>7} {'':>11} {'':>10} {'':>10}"
          + "".join(f" {breakdown['raw'][kind + ' evaluate']:>15.2f} {'':>8}" for kind in KINDS))


def run_phase(script: str, *args: str) -> dict[str, float]:
    """:func:`bench.phases.run_phase`, showing the phase's traceback when it fails."""
    try:
        return _run_phase(script, *args)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"phase {args[0]} failed ({exc.returncode}):\n{exc.stderr[-3000:]}") from None


def _cli(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pankg", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pankg {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        serve_phase(sys.argv[2:], {"plan": phase_plan, "inprocess": phase_inprocess, "floor": phase_floor,
                                   "breakdown": phase_breakdown, "worker": phase_worker})
    else:
        main()
