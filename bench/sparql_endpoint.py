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
  staff), ``--clients`` threads, rows materialized as plain values (no serialization);
- raw: oxigraph's ``Store.query`` on the same on-disk store with the union default graph (no scope at
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
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.phases import serve_phase  # noqa: E402
from bench.serving import cli, run_phase, start_server, stop_server  # noqa: E402
from bench.sparql_endpoint_phases import (  # noqa: E402
    CALLERS,
    DEFAULT_PANET,
    JSON,
    KINDS,
    TOKENS,
    canonical,
    figures,
    from_json,
    phase_breakdown,
    phase_floor,
    phase_inprocess,
    phase_plan,
    phase_worker,
)

# ---------------------------------------------------------------------------------------- the server and HTTP


def write_tokens(path: Path, proposals: list[str]) -> None:
    digest = {k: hashlib.sha256(v.encode()).hexdigest() for k, v in TOKENS.items()}
    path.write_text(
        "tokens:\n"
        f"  {digest['group']}:\n    name: bench group\n    groups: [bench-group]\n"
        f"    proposals: [{', '.join(proposals)}]\n    staff: false\n"
        f"  {digest['staff']}:\n    name: bench staff\n    staff: true\n"
    )


async def over_http(url: str, caller: str, queries: Sequence[str],
                    clients: int) -> tuple[list[float], float, list[bytes]]:
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
    for k, (got, want) in enumerate(zip(http_rows, local_rows, strict=False)):
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
        cli("demo", "--datasets", str(args.datasets), "--data", store_dir)
        demo_seconds = time.perf_counter() - start
        if Path(args.panet).is_file():
            cli("load", "panet", args.panet, "--data", store_dir)
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
            query_kind, caller = cell.split("/")
            check(query_kind, caller, figures_["rows"], local[cell]["rows"], plan)
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
    print(f"\nup to {args.requests} requests per cell (n: fewer where the in-process warm-up showed the cell would "
          f"take over {args.cell_seconds:g} s), {args.clients} concurrent clients (HTTP) or threads (the other ways); "
          "every answer checked (HTTP rows = worker rows = in-process rows)")
    print(f"{'query':<10} {'caller':<10} {'way':<11} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} "
          f"{'rows/req':>9}   ratios")
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
                    ratios = (f"{way}/in-process: p50 {f['p50'] / inproc['p50']:.1f}x, "
                              f"p99 {f['p99'] / inproc['p99']:.1f}x, "
                              f"req/s {f['rps'] / inproc['rps']:.2f} of in-process")
                first = way == "http"
                print(f"{kind if first else '':<10} {caller if first else '':<10} {way:<11} {inproc['count']:>4} "
                      f"{f['p50']:8.1f} "
                      f"{f['p99']:8.1f} {f['rps']:8.1f} {f'{rows:9.1f}' if first else '':>9}   {ratios}")
        rows = sum(len(r) for r in raw["rows"]) / len(raw["rows"])
        print(f"{kind:<10} {'(union)':<10} {'raw':<11} {len(raw['rows']):>4} {raw['p50']:8.1f} {raw['p99']:8.1f} "
              f"{raw['rps']:8.1f} {rows:9.1f}")
    print("\nHTTP/worker, p50: " + ", ".join(
        f"{kind} {caller} {http[f'{kind}/{caller}']['p50'] / worker[f'{kind}/{caller}']['p50']:.1f}x"
        for kind in KINDS for caller in CALLERS))
    print(f"\none worker query, step by step (median of up to 15 runs, one client; first query of each kind): "
          f"open the store read only {breakdown['open read-only']:.1f} ms")
    print(f"{'caller':<10} {'graphs':>7} {'options ms':>11} {'pickle KB':>10} {'pickle ms':>10}"
          + "".join(f" {kind + ' eval':>15} {'+ JSON':>8}" for kind in KINDS))
    for caller in CALLERS:
        b = breakdown[caller]
        print(f"{caller:<10} {plan['graphs'][caller]:>7,} {b['scope options']:>11.2f} "
              f"{b['pickled bytes'] / 1024:>10.1f} {b['pickle + unpickle']:>10.2f}"
              + "".join(f" {b[kind + ' evaluate']:>15.2f} {b[kind + ' evaluate + JSON']:>8.2f}" for kind in KINDS))
    print(f"{'raw union':<10} {'':>7} {'':>11} {'':>10} {'':>10}"
          + "".join(f" {breakdown['raw'][kind + ' evaluate']:>15.2f} {'':>8}" for kind in KINDS))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        serve_phase(sys.argv[2:], {"plan": phase_plan, "inprocess": phase_inprocess, "floor": phase_floor,
                                   "breakdown": phase_breakdown, "worker": phase_worker})
    else:
        main()
