"""Writes and exports over HTTP: the Graph Store Protocol, SPARQL Update and the DataCite export, beside oxigraph.

    python bench/writes.py [--datasets 20000] [--sizes 1000,10000,100000] [--cell-seconds 20]

Builds (not timed, own process) the demo of ``--datasets`` datasets into a fresh on-disk store with
``pankg demo``, writes a tokens file (a writer token with ``update: true``, a staff token) and runs a real
``pankg serve --tokens FILE`` on 127.0.0.1 (its own process, ``PANKG_GRAPH_STORE_MAX_BODY`` raised so that a PUT of
10,000 triples, 1.1 MB of Turtle, or 100,000, 11 MB, is taken; the default is 1,000,000 bytes). Three capabilities:

1. Graph Store Protocol (``/sparql/graphs?graph=IRI``, writer token), for each size N of ``--sizes``: annotation
   triples about the demo's datasets (a note with a language tag, an integer score, a reviewer IRI, a plain
   flag) as a Turtle body. ``PUT`` of N triples into a new graph (201), ``GET`` of it (Turtle, checked: exactly
   the triples put), ``PUT`` of N other triples over it (204, a replace), ``POST`` (merge) of ``--batch``
   triples at a time into it, ``GET`` again (checked: the replace plus every merge), ``DELETE`` (204, then a 404).
   Baseline, the same sequence in-process with oxigraph on the same on-disk store (before the server starts,
   graphs removed afterwards): ``Store.load`` of the same Turtle into the named graph (one transaction), read with
   ``quads_for_pattern`` + ``serialize`` as Turtle, the replace as ``clear_graph`` + ``load``, a merge
   as a ``load`` of the batch, the delete as ``remove_graph``.
2. SPARQL Update (``POST /sparql``, ``application/sparql-update``, writer token): ``INSERT DATA`` of each batch size
   of ``--update-batches`` into a user graph that already holds 0, 10,000 and the largest ``--sizes`` triples;
   and (``other graph``) into a new graph while the largest graph is still there, which isolates the copy of
   every user graph into the scratch store from the rewrite of the changed one. Checked by a count over
   ``/sparql``. Baseline: the same update texts with ``Store.update`` on the same on-disk store opened by plain
   oxigraph, its graph holding the same triples.
3. DataCite export (``GET /export/datacite/{doi}``): up to ``--requests`` of the demo's DOIs, anonymously and with
   the staff token, ``--clients`` concurrent clients: p50/p99 and requests/s, against ``export_record(store,
   doi, scope)`` in-process (own process, scope ``public`` and staff), the XML writing (``to_bytes``) timed
   apart. Checked: the XML over HTTP is byte for byte the in-process XML of the same scope, and the
   ``X-Pankg-Unavailable`` header names the same missing elements.

The slow cells (a write into a large user graph costs seconds) get fewer requests: as many as fit in
``--cell-seconds`` after the first, at least 3 (the ``n`` column; p99 of 3 is their max); ``first->last`` shows
whether a cell's requests got slower as it went (each write into a user graph rewrites it whole). Last, with the server
stopped, a breakdown of one ``INSERT DATA`` of ``--batch`` triples in-process (``graph.store.updates.apply_update``
taken step by step: copying the user graphs, the scratch update, the diff, the commit) for each pre-filled size,
and the commit's two halves on the store (a ``DROP GRAPH`` and an ``INSERT DATA`` of the whole graph). About
4 minutes on 2 cores at the defaults; ``--datasets 2000 --sizes 1000,10000`` is a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.phases import serve_phase  # noqa: E402
from bench.serving import cli, run_phase, start_server, stop_server  # noqa: E402
from bench.writes_phases import (  # noqa: E402
    GSP_GRAPH,
    MAX_BODY,
    SIDE_GRAPH,
    TOKENS,
    TURTLE,
    UPDATE_GRAPH,
    batch_sizes,
    bounded,
    figures,
    insert_data,
    phase_breakdown,
    phase_plan,
    phase_raw,
    prefills,
    sizes_of,
    timed,
    triple_set,
    turtle,
)

# ---------------------------------------------------------------------------------------- the server and HTTP


def write_tokens(path: Path) -> None:
    digest = {k: hashlib.sha256(v.encode()).hexdigest() for k, v in TOKENS.items()}
    path.write_text(
        "tokens:\n"
        f"  {digest['writer']}:\n    name: bench writer\n    staff: false\n    update: true\n"
        f"  {digest['staff']}:\n    name: bench staff\n    staff: true\n"
    )


def expect(response: Any, status: int, what: str) -> Any:
    if response.status_code != status:
        raise RuntimeError(f"{what}: {response.status_code} (expected {status}) {response.text[:300]}")
    return response


def gsp_over_http(client: Any, subjects: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """PUT, GET, PUT (replace), POST (merge), GET, DELETE of each size, timed and checked."""
    writer = {"Authorization": f"Bearer {TOKENS['writer']}"}
    out: dict[str, Any] = {}
    for n in sizes_of(args):
        params = {"graph": GSP_GRAPH % n}
        body_a, body_b = turtle(subjects, n, f"a{n}"), turtle(subjects, n, f"b{n}")

        def put(body: bytes, status: int, params: dict[str, str] = params) -> Any:
            return expect(client.put("/sparql/graphs", params=params, content=body,
                                     headers={**writer, "Content-Type": TURTLE}), status, f"PUT {n}")  # noqa: B023

        def get(params: dict[str, str] = params) -> bytes:
            return expect(client.get("/sparql/graphs", params=params, headers={"Accept": TURTLE}), 200,
                          f"GET {n}").content  # noqa: B023 - type: ignore[no-any-return]

        cell: dict[str, Any] = {"put": figures([timed(lambda: put(body_a, 201))[0]])}  # noqa: B023
        assert triple_set(get()) == triple_set(body_a), f"GET after PUT of {n}: not the triples put"
        cell["get"] = figures(bounded(lambda _: get(), args.reads, args.cell_seconds))
        cell["replace"] = figures([timed(lambda: put(body_b, 204))[0]])  # noqa: B023
        assert triple_set(get()) == triple_set(body_b), f"GET after the replacing PUT of {n}: not its triples"
        batches = [turtle(subjects, args.batch, f"m{n}-{k}") for k in range(args.merges)]
        merged = bounded(lambda k: expect(client.post("/sparql/graphs", params=params, content=batches[k], headers={  # noqa: B023
            **writer, "Content-Type": TURTLE}), 204, f"POST {n}"), args.merges, args.cell_seconds)  # noqa: B023
        cell["merge"] = figures(merged)
        want = triple_set(body_b).union(*(triple_set(b) for b in batches[: len(merged)]))
        assert triple_set(get()) == want, f"GET after {len(merged)} merges into {n}: not the triples written"
        cell["delete"] = figures([timed(lambda: expect(client.delete("/sparql/graphs", params=params, headers=writer),  # noqa: B023
                                                       204, f"DELETE {n}"))[0]])  # noqa: B023
        expect(client.get("/sparql/graphs", params=params), 404, f"GET after DELETE {n}")
        out[f"gsp/{n}"] = cell
    return out


def count_over_http(client: Any, graph: str) -> int:
    sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    got = expect(client.post("/sparql", content=sparql.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}), 200, "count")
    return int(got.json()["results"]["bindings"][0]["n"]["value"])


def updates_over_http(client: Any, subjects: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """INSERT DATA batches into a user graph pre-filled with 0 / 10,000 / the largest size, timed and checked."""
    writer = {"Authorization": f"Bearer {TOKENS['writer']}", "Content-Type": "application/sparql-update"}
    out: dict[str, Any] = {}
    for pre in prefills(args):
        graph = UPDATE_GRAPH % pre
        if pre:
            expect(client.put("/sparql/graphs", params={"graph": graph}, content=turtle(subjects, pre, f"p{pre}"),
                              headers={"Authorization": writer["Authorization"], "Content-Type": TURTLE}), 201,
                   f"PUT {pre} before the updates")
        expected = pre
        for batch in batch_sizes(args):
            texts = [insert_data(subjects, batch, f"u{batch}-{k}", graph) for k in range(args.updates)]
            times = bounded(lambda k: expect(client.post("/sparql", content=texts[k].encode(), headers=writer), 204,  # noqa: B023
                                             f"update {pre}/{batch}"), args.updates, args.cell_seconds)  # noqa: B023
            out[f"update/{pre}/{batch}"] = figures(times)
            expected += batch * len(times)
            got = count_over_http(client, graph)
            assert got == expected, f"updates into {pre}: the graph holds {got} triples, expected {expected}"
        if pre == max(sizes_of(args)):  # into another graph while this one is there: the copy alone
            texts = [insert_data(subjects, args.batch, f"o{k}", SIDE_GRAPH) for k in range(args.updates)]
            times = bounded(lambda k: expect(client.post("/sparql", content=texts[k].encode(), headers=writer), 204,  # noqa: B023
                                             "update other"), args.updates, args.cell_seconds)
            out[f"update/other/{args.batch}"] = figures(times)
            assert count_over_http(client, SIDE_GRAPH) == args.batch * len(times)
            expect(client.delete("/sparql/graphs", params={"graph": SIDE_GRAPH},
                                 headers={"Authorization": writer["Authorization"]}), 204, "DELETE other")
        expect(client.delete("/sparql/graphs", params={"graph": graph}, headers={
            "Authorization": writer["Authorization"]}), 204, f"DELETE {pre}")
    return out


async def exports_over_http(url: str, caller: str, dois: Sequence[str], clients: int
                            ) -> tuple[list[float], float, list[tuple[str, str]]]:
    """GET each DOI's export from ``clients`` concurrent clients: (seconds each, wall, (XML digest, missing))."""
    import httpx

    headers = {"Authorization": f"Bearer {TOKENS[caller]}"} if caller in TOKENS else {}
    times, answers = [0.0] * len(dois), [("", "")] * len(dois)
    following = iter(range(len(dois)))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def one_client() -> None:
            for k in following:
                start = time.perf_counter()
                response = await client.get(f"/export/datacite/{quote(dois[k])}", headers=headers)
                times[k] = time.perf_counter() - start
                expect(response, 200, f"export {dois[k]} as {caller}")
                answers[k] = (hashlib.sha256(response.content).hexdigest(),
                              response.headers.get("x-pankg-unavailable", ""))

        start = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        return times, time.perf_counter() - start, answers


# ---------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=20_000)
    parser.add_argument("--sizes", default="1000,10000,100000", help="triples of the graphs PUT (comma-separated)")
    parser.add_argument("--batch", type=int, default=10, help="triples per merge (POST) and per 'other graph' update")
    parser.add_argument("--merges", type=int, default=20, help="merges per size (fewer in a slow cell)")
    parser.add_argument("--reads", type=int, default=5, help="GETs per size (fewer in a slow cell)")
    parser.add_argument("--update-batches", default="10,1000", help="triples per INSERT DATA (comma-separated)")
    parser.add_argument("--updates", type=int, default=20, help="updates per cell (fewer in a slow cell)")
    parser.add_argument("--requests", type=int, default=300, help="DOIs exported per caller")
    parser.add_argument("--clients", type=int, default=1, help="concurrent HTTP clients for the exports")
    parser.add_argument("--cell-seconds", type=float, default=20.0,
                        help="a cell stops taking requests after this many seconds (at least 3 requests)")
    args = parser.parse_args()
    script = str(Path(__file__).resolve())
    args_json = json.dumps(vars(args))
    began = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="pankg-bench-") as tmp:
        store_dir = f"{tmp}/kg"
        start = time.perf_counter()
        cli("demo", "--datasets", str(args.datasets), "--data", store_dir)
        print(f"demo of {args.datasets:,} datasets built in {time.perf_counter() - start:.1f} s (pankg demo)")
        run_phase(script, "plan", store_dir, f"{tmp}/plan.json", str(args.requests))
        plan = json.loads(Path(f"{tmp}/plan.json").read_text())
        print(f"{len(plan['subjects']):,} datasets as the annotations' subjects; {len(plan['dois'])} of the "
              f"{plan['all_dois']:,} DOIs exported")
        run_phase(script, "raw", store_dir, f"{tmp}/plan.json", f"{tmp}/raw.json", args_json)
        raw = json.loads(Path(f"{tmp}/raw.json").read_text())

        write_tokens(Path(f"{tmp}/tokens.yaml"))
        server, url = start_server(store_dir, Path(f"{tmp}/tokens.yaml"), Path(f"{tmp}/serve.log"),
                                   env={"PANKG_GRAPH_STORE_MAX_BODY": str(MAX_BODY)})
        import httpx

        try:
            exports: dict[str, Any] = {}
            for caller in ("anonymous", "staff"):
                local = plan["exports"][caller]
                dois = plan["dois"]
                asyncio.run(exports_over_http(url, caller, dois[: 2 * args.clients], args.clients))  # warm-up
                times, wall, answers = asyncio.run(exports_over_http(url, caller, dois, args.clients))
                for k, (digest, missing) in enumerate(answers):
                    assert digest == local["digests"][k], f"export of {dois[k]} as {caller}: HTTP XML != in-process"
                    assert missing == local["missing"][k], f"export of {dois[k]} as {caller}: unavailable differs"
                exports[caller] = {**figures(times), "rps": len(times) / wall}
            with httpx.Client(base_url=url, timeout=600) as client:
                gsp = gsp_over_http(client, plan["subjects"], args)
                updates = updates_over_http(client, plan["subjects"], args)
        finally:
            stop_server(server)
        run_phase(script, "breakdown", store_dir, f"{tmp}/plan.json", f"{tmp}/breakdown.json", args_json)
        breakdown = json.loads(Path(f"{tmp}/breakdown.json").read_text())
    report(args, plan, raw, exports, gsp, updates, breakdown)
    print(f"\nwhole run {time.perf_counter() - began:.0f} s; load average {os.getloadavg()[0]:.2f} (1 min)")


def _ratio(ours: dict[str, float], base: dict[str, float]) -> str:
    return f"{ours['p50'] / base['p50']:,.1f}x"


def report(args: argparse.Namespace, plan: dict[str, Any], raw: dict[str, Any], exports: dict[str, Any],
           gsp: dict[str, Any], updates: dict[str, Any], breakdown: dict[str, Any]) -> None:
    row = "{:<36} {:>4} {:>9} {:>9} {:>8} {:>17}   {:>4} {:>8} {:>8}   {:>9}"
    head = row.format("", "n", "p50 ms", "p99 ms", "req/s", "first->last ms", "n", "p50 ms", "p99 ms", "p50 ratio")

    def line(label: str, ours: dict[str, float], base: dict[str, float]) -> None:
        trend = f"{ours['first']:,.0f}->{ours['last']:,.0f}" if ours["n"] > 1 else ""
        print(row.format(label, ours["n"], f"{ours['p50']:,.1f}", f"{ours['p99']:,.1f}", f"{ours['rps']:,.1f}", trend,
                         base["n"], f"{base['p50']:,.2f}", f"{base['p99']:,.2f}", _ratio(ours, base)))

    print(f"\nGraph Store Protocol over HTTP (writer token) against oxigraph in-process (same store); merges of "
          f"{args.batch} triples; every GET checked")
    print(f"{'':<36} {'-------------------- HTTP --------------------':>51}   {'----- oxigraph -----':>22}")
    print(head)
    for n in sizes_of(args):
        ours, base = gsp[f"gsp/{n}"], raw[f"gsp/{n}"]
        for op, label in (("put", "PUT new (Store.load)"), ("get", "GET (quads + serialize)"),
                          ("replace", "PUT replace (clear + load)"), ("merge", f"POST merge {args.batch} (load)"),
                          ("delete", "DELETE (remove_graph)")):
            line(f"{n:>7,} {label}", ours[op], base[op])
        print(f"{'':<8}PUT new: {n / ours['put']['p50'] * 1e3:,.0f} triples/s over HTTP, "
              f"{n / base['put']['p50'] * 1e3:,.0f} raw")

    print("\nSPARQL Update (POST /sparql, INSERT DATA) against Store.update on plain oxigraph (same store, same graph "
          "contents)")
    print(head)
    for pre in prefills(args):
        for batch in batch_sizes(args):
            line(f"into {pre:>7,}: {batch:>5,} triples", updates[f"update/{pre}/{batch}"], raw[f"update/{pre}/{batch}"])
        if pre == max(sizes_of(args)):
            line(f"other graph: {args.batch:>5,} triples", updates[f"update/other/{args.batch}"],
                 raw[f"update/other/{args.batch}"])
    print("('into N': the user graph held N triples before the first update of the cell; 'other graph': a new graph "
          f"while the {max(sizes_of(args)):,}-triple graph is there)")

    print(f"\nDataCite export over HTTP ({args.clients} client(s)) against export_record in-process; every XML checked "
          "byte for byte")
    print(f"{'caller':<10} {'n':>4} {'HTTP p50':>9} {'p99':>8} {'req/s':>7}   {'record p50':>10} {'p99':>7} "
          f"{'+ XML p50':>9} {'req/s':>7}   {'HTTP / record+XML':>17}")
    for caller in ("anonymous", "staff"):
        h, local = exports[caller], plan["exports"][caller]
        r, b = local["record"], local["both"]
        print(f"{caller:<10} {h['n']:>4} {h['p50']:>9.2f} {h['p99']:>8.2f} {h['rps']:>7.1f}   {r['p50']:>10.2f} "
              f"{r['p99']:>7.2f} {b['p50']:>9.2f} {b['rps']:>7.1f}   {h['p50'] / b['p50']:>6.1f}x p50, "
              f"{h['rps'] / b['rps']:.2f} of req/s")
    same = sum(a == s for a, s in zip(plan["exports"]["anonymous"]["digests"], plan["exports"]["staff"]["digests"],
                                          strict=False))
    print(f"anonymous and staff XML identical for {same} of {len(plan['dois'])} DOIs")

    print(f"\none INSERT DATA of {args.batch} triples in-process, apply_update step by step (ms, one run each)")
    steps = ["copy user graphs", "scratch update", "diff", "commit", "drop_graph"]
    print(f"{'graph held':>10} " + " ".join(f"{s:>17}" for s in steps) + f" {'replace_graph':>14}")
    for pre in prefills(args):
        b = breakdown[str(pre)]
        print(f"{pre:>10,} " + " ".join(f"{b[s]:>17,.1f}" for s in steps) + f" {b.get('replace_graph', 0):>14,.1f}")
    big = breakdown[str(max(sizes_of(args)))]
    print(f"the commit's halves at {max(sizes_of(args)):,} triples, on the store: INSERT DATA of the whole graph "
          f"{big['INSERT DATA whole graph']:,.0f} ms, DROP GRAPH {big['DROP GRAPH whole graph']:,.0f} ms")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        serve_phase(sys.argv[2:], {"plan": phase_plan, "raw": phase_raw, "breakdown": phase_breakdown})
    else:
        main()
