"""Writes and exports over HTTP: the Graph Store Protocol, SPARQL Update and the DataCite export, beside pyoxigraph.

    python bench/writes.py [--datasets 20000] [--sizes 1000,10000,100000] [--cell-seconds 20]

Builds (not timed, own process) the demo of ``--datasets`` datasets into a fresh on-disk store with
``pankg demo``, writes a tokens file (a writer token with ``update: true``, a staff token) and runs a real
``pankg serve --tokens FILE`` on 127.0.0.1 (its own process, ``PANKG_SPARQL_MAX_BODY`` raised so that a PUT of
10,000 triples, 1.1 MB of Turtle, or 100,000, 11 MB, is taken; the default is 1,000,000 bytes). Three capabilities:

1. Graph Store Protocol (``/sparql/graphs?graph=IRI``, writer token), for each size N of ``--sizes``: annotation
   triples about the demo's datasets (a note with a language tag, an integer score, a reviewer IRI, a plain
   flag) as a Turtle body. ``PUT`` of N triples into a new graph (201), ``GET`` of it (Turtle, checked: exactly
   the triples put), ``PUT`` of N other triples over it (204, a replace), ``POST`` (merge) of ``--batch``
   triples at a time into it, ``GET`` again (checked: the replace plus every merge), ``DELETE`` (204, then a 404).
   Baseline, the same sequence in-process with pyoxigraph on the same on-disk store (before the server starts,
   graphs removed afterwards): ``Store.load`` of the same Turtle into the named graph (one transaction), read with
   ``quads_for_pattern`` + ``pyoxigraph.serialize`` as Turtle, the replace as ``clear_graph`` + ``load``, a merge
   as a ``load`` of the batch, the delete as ``remove_graph``.
2. SPARQL Update (``POST /sparql``, ``application/sparql-update``, writer token): ``INSERT DATA`` of each batch size
   of ``--update-batches`` into a user graph that already holds 0, 10,000 and the largest ``--sizes`` triples;
   and (``other graph``) into a new graph while the largest graph is still there, which isolates the copy of
   every user graph into the scratch store from the rewrite of the changed one. Checked by a count over
   ``/sparql``. Baseline: the same update texts with ``Store.update`` on the same on-disk store opened by plain
   pyoxigraph, its graph holding the same triples.
3. DataCite export (``GET /export/datacite/{doi}``): up to ``--requests`` of the demo's DOIs, anonymously and with
   the staff token, ``--clients`` concurrent clients: p50/p99 and requests/s, against ``export_record(store,
   doi, scope)`` in-process (own process, scope ``public`` and staff), the XML writing (``to_bytes``) timed
   apart. Checked: the XML over HTTP is byte for byte the in-process XML of the same scope, and the
   ``X-Pankg-Unavailable`` header names the same missing elements.

The slow cells (a write into a large user graph costs seconds) get fewer requests: as many as fit in
``--cell-seconds`` after the first, at least 3 (the ``n`` column; p99 of 3 is their max); ``first->last`` shows
whether a cell's requests got slower as it went (each write into a user graph rewrites it whole). Last, with the server
stopped, a breakdown of one ``INSERT DATA`` of ``--batch`` triples in-process (``graph.updates.apply_update``
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
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.phases import run_phase as _run_phase  # noqa: E402
from bench.phases import serve_phase  # noqa: E402
from bench.sparql_endpoint import free_port, percentile, stop_server  # noqa: E402

NS = "http://example.org/bench/ns#"
GSP_GRAPH = "http://example.org/bench/gsp/%d"
UPDATE_GRAPH = "http://example.org/bench/update/%d"
SIDE_GRAPH = "http://example.org/bench/update/other"
RAW = "http://example.org/bench/raw"  # prefix of the baseline's graphs (removed after it)
TOKENS = {"writer": "bench-writer-token", "staff": "bench-staff-token"}
MAX_BODY = 64_000_000
TURTLE = "text/turtle"
PANKG = "https://w3id.org/pankg/ontology#"


# ---------------------------------------------------------------------------------------- the triples


def triple_lines(subjects: Sequence[str], n: int, tag: str) -> list[str]:
    """``n`` distinct annotation triples about ``subjects`` as N-Triples lines (deterministic in ``tag``)."""
    out, offset = [], int(hashlib.sha256(tag.encode()).hexdigest()[:8], 16) * 1_000_000  # distinct across tags
    for k in range(n):
        s = f"<{subjects[k % len(subjects)]}>"
        kind = k % 4
        if kind == 0:
            out.append(f'{s} <{NS}note> "{tag} note {k}: checked by the beamline scientist"@en .')
        elif kind == 1:
            out.append(f'{s} <{NS}score> "{offset + k}"^^<http://www.w3.org/2001/XMLSchema#integer> .')
        elif kind == 2:
            out.append(f"{s} <{NS}reviewedBy> <http://example.org/bench/review/{tag}/{k}> .")
        else:
            out.append(f'{s} <{NS}flag> "{tag} flag {k}" .')
    return out


def turtle(subjects: Sequence[str], n: int, tag: str) -> bytes:
    """The same triples as a Turtle body with a prefix (what a client would PUT)."""
    lines = [f"@prefix ex: <{NS}> ."]
    for line in triple_lines(subjects, n, tag):
        subject, predicate, rest = line.split(" ", 2)
        lines.append(f"{subject} ex:{predicate[len(NS) + 1:-1]} {rest}")
    return "\n".join(lines).encode()


def insert_data(subjects: Sequence[str], n: int, tag: str, graph: str) -> str:
    return "INSERT DATA { GRAPH <%s> {\n%s\n} }" % (graph, "\n".join(triple_lines(subjects, n, tag)))


def triple_set(body: bytes) -> set[str]:
    """The triples of a Turtle body as comparable N-Triples strings."""
    import pyoxigraph as ox

    return {str(t) for t in ox.parse(body, format=ox.RdfFormat.TURTLE)}


# ---------------------------------------------------------------------------------------- shared helpers


def figures(times: Sequence[float]) -> dict[str, float]:
    return {"p50": statistics.median(times) * 1e3, "p99": percentile(times, 0.99) * 1e3, "n": len(times),
            "rps": len(times) / sum(times), "first": times[0] * 1e3, "last": times[-1] * 1e3}


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def bounded(call: Callable[[int], Any], most: int, seconds: float, least: int = 3) -> list[float]:
    """Run ``call(0)``, ``call(1)``, ... up to ``most`` times, stopping once ``seconds`` have gone (``least`` at least)."""
    times: list[float] = []
    for k in range(most):
        if len(times) >= least and sum(times) >= seconds:
            break
        times.append(timed(lambda k=k: call(k))[0])
    return times


def sizes_of(args: argparse.Namespace) -> list[int]:
    return [int(s) for s in args.sizes.split(",")]


def prefills(args: argparse.Namespace) -> list[int]:
    """The sizes of the user graph before the updates: 0, 10,000 and the largest size."""
    big = max(sizes_of(args))
    return sorted({0, min(10_000, big), big})


# ---------------------------------------------------------------------------------------- phases (own processes)


def phase_plan(store_dir: str, plan_file: str, requests: str) -> dict[str, float]:
    """The demo's dataset IRIs (the annotations' subjects) and DOIs, and the export in-process, both scopes."""
    from graph.access import Entitlement
    from graph.datacite_export import export_record
    from graph.datacite_xml_writer import to_bytes
    from graph.store import GraphStore

    with GraphStore(store_dir) as store:
        _, rows = store.query("SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } ORDER BY ?d", "all")
        subjects = [r[0].value for r in rows]
        _, rows = store.query(f"""SELECT ?id WHERE {{ ?s a <{PANKG}DOIRecord> ;
            <http://purl.org/dc/terms/identifier> ?id }} ORDER BY ?id""", "all")
        every = [r[0].value for r in rows]
        count = min(int(requests), len(every))
        dois = [every[k * len(every) // count] for k in range(count)]
        exports: dict[str, Any] = {}
        for caller, scope in (("anonymous", "public"), ("staff", Entitlement(staff=True))):
            for doi in dois[:5]:  # warm-up
                to_bytes(export_record(store, doi, scope).values)
            gather, write, digests, missing = [], [], [], []
            for doi in dois:
                seconds, record = timed(lambda doi=doi, scope=scope: export_record(store, doi, scope))
                gather.append(seconds)
                seconds, xml = timed(lambda record=record: to_bytes(record.values))
                write.append(seconds)
                digests.append(hashlib.sha256(xml).hexdigest())
                missing.append(", ".join(record.missing))
            exports[caller] = {"record": figures(gather), "write": figures(write), "both": figures(
                [a + b for a, b in zip(gather, write)]), "digests": digests, "missing": missing}
    Path(plan_file).write_text(json.dumps({"subjects": subjects, "dois": dois, "all_dois": len(every),
                                           "exports": exports}))
    return {}


def phase_raw(store_dir: str, plan_file: str, out_file: str, args_json: str) -> dict[str, float]:
    """The baselines: the same writes and reads with plain pyoxigraph on the same on-disk store."""
    import pyoxigraph as ox

    args = argparse.Namespace(**json.loads(args_json))
    plan = json.loads(Path(plan_file).read_text())
    subjects = plan["subjects"]
    store = ox.Store(store_dir)
    fmt = ox.RdfFormat.TURTLE
    out: dict[str, Any] = {}
    for n in sizes_of(args):
        g = ox.NamedNode(f"{RAW}/gsp/{n}")
        body_a, body_b = turtle(subjects, n, f"a{n}"), turtle(subjects, n, f"b{n}")

        def read(g: ox.NamedNode = g) -> bytes:
            triples = [ox.Triple(q.subject, q.predicate, q.object)
                       for q in store.quads_for_pattern(None, None, None, g)]
            return ox.serialize(triples, format=fmt)  # type: ignore[no-any-return]

        cell: dict[str, Any] = {"put": figures([timed(lambda: store.load(body_a, fmt, to_graph=g))[0]])}
        got = read()
        assert triple_set(got) == triple_set(body_a), f"raw: {n} triples read back differ"
        cell["get"] = figures(bounded(lambda _: read(), args.reads, args.cell_seconds))
        cell["replace"] = figures([timed(lambda: (store.clear_graph(g), store.load(body_b, fmt, to_graph=g)))[0]])
        cell["merge"] = figures([timed(lambda k=k: store.load(turtle(subjects, args.batch, f"m{n}-{k}"), fmt,
                                                                to_graph=g))[0] for k in range(args.merges)])
        assert sum(1 for _ in store.quads_for_pattern(None, None, None, g)) == n + args.batch * args.merges
        cell["delete"] = figures([timed(lambda: store.remove_graph(g))[0]])
        out[f"gsp/{n}"] = cell
    for pre in prefills(args):
        g = f"{RAW}/update/{pre}"
        if pre:
            store.load(turtle(subjects, pre, f"p{pre}"), fmt, to_graph=ox.NamedNode(g))
        for batch in batch_sizes(args):
            out[f"update/{pre}/{batch}"] = figures([timed(lambda k=k: store.update(
                insert_data(subjects, batch, f"u{batch}-{k}", g)))[0] for k in range(args.updates)])
        if pre == max(sizes_of(args)):
            side = f"{RAW}/update/other"
            out[f"update/other/{args.batch}"] = figures([timed(lambda k=k: store.update(
                insert_data(subjects, args.batch, f"o{k}", side)))[0] for k in range(args.updates)])
            store.remove_graph(ox.NamedNode(side))
        store.remove_graph(ox.NamedNode(g))
    leftover = [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(RAW)]
    assert not leftover, f"raw: graphs left behind: {leftover}"
    store.flush()
    Path(out_file).write_text(json.dumps(out))
    return {}


def phase_breakdown(store_dir: str, plan_file: str, out_file: str, args_json: str) -> dict[str, float]:
    """One INSERT DATA of ``--batch`` triples through ``apply_update``'s steps, for each pre-filled size."""
    import pyoxigraph as ox

    from graph.store import GraphStore
    from graph.updates import _commit, change, drop_graph, replace_graph, user_graphs
    from resolvers.graph_store import parse_body

    args = argparse.Namespace(**json.loads(args_json))
    subjects = json.loads(Path(plan_file).read_text())["subjects"]
    out: dict[str, Any] = {}
    with GraphStore(store_dir) as store:
        for pre in prefills(args):
            graph = UPDATE_GRAPH % pre
            row: dict[str, float] = {}
            if pre:
                body = turtle(subjects, pre, f"p{pre}")
                row["parse body"], triples = timed(lambda body=body, graph=graph: parse_body(
                    body, ox.RdfFormat.TURTLE, graph))
                row["replace_graph"], _ = timed(lambda graph=graph, triples=triples: replace_graph(
                    store, graph, triples))
            update = insert_data(subjects, args.batch, "breakdown", graph)
            start = time.perf_counter()
            with store._write_lock:  # what apply_update does, step by step (graph/updates.py)
                users = user_graphs(store)
                scratch, before = ox.Store(), {}
                for g in users:
                    before[g] = set(store._store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
                    scratch.extend(before[g])
                row["copy user graphs"] = time.perf_counter() - start
                row["scratch update"], _ = timed(lambda update=update, scratch=scratch: scratch.update(update))
                start = time.perf_counter()
                after = {g.value: set(scratch.quads_for_pattern(None, None, None, g))
                         for g in scratch.named_graphs() if isinstance(g, ox.NamedNode)}
                changed = sorted(g for g in set(before) | set(after) if before.get(g, set()) != after.get(g, set()))
                row["diff"] = time.perf_counter() - start
                row["commit"], _ = timed(lambda: _commit(store, users, {g: change(before.get(g, set()), after.get(g, set())) for g in changed}))
            assert changed == [graph], changed
            size = len(after[graph])
            assert size == pre + args.batch, (pre, size)
            if pre == max(sizes_of(args)):  # the commit's halves, on a graph of the same triples
                lines = [f"GRAPH <{RAW}/commit> {{ {q.subject} {q.predicate} {q.object} }}" for q in after[graph]]
                row["INSERT DATA whole graph"], _ = timed(lambda lines=lines: store._store.update(
                    "INSERT DATA {\n" + "\n".join(lines) + "\n}"))
                row["DROP GRAPH whole graph"], _ = timed(lambda: store._store.update(f"DROP GRAPH <{RAW}/commit>"))
            row["drop_graph"], _ = timed(lambda graph=graph: drop_graph(store, graph))
            out[str(pre)] = {k: v * 1e3 for k, v in row.items()}
    Path(out_file).write_text(json.dumps(out))
    return {}


def batch_sizes(args: argparse.Namespace) -> list[int]:
    return [int(b) for b in args.update_batches.split(",")]


# ---------------------------------------------------------------------------------------- the server and HTTP


def write_tokens(path: Path) -> None:
    digest = {k: hashlib.sha256(v.encode()).hexdigest() for k, v in TOKENS.items()}
    path.write_text(
        "tokens:\n"
        f"  {digest['writer']}:\n    name: bench writer\n    staff: false\n    update: true\n"
        f"  {digest['staff']}:\n    name: bench staff\n    staff: true\n"
    )


def start_server(store_dir: str, tokens: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = free_port()
    env = {**os.environ, "PANKG_SPARQL_MAX_BODY": str(MAX_BODY), "PANKG_NPM_REGISTRY": "http://127.0.0.1:9"}
    env.pop("PANKG_TOKENS", None)
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "pankg", "serve", "--data", store_dir, "--port", str(port),
                                   "--tokens", str(tokens)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"pankg serve ended with status {server.returncode}:\n{log.read_text()[-2000:]}")
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    return server, url
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"pankg serve did not answer /healthz within 120 s:\n{log.read_text()[-2000:]}")
    except BaseException:
        stop_server(server)
        raise


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
                                     headers={**writer, "Content-Type": TURTLE}), status, f"PUT {n}")

        def get(params: dict[str, str] = params) -> bytes:
            return expect(client.get("/sparql/graphs", params=params, headers={"Accept": TURTLE}), 200,
                          f"GET {n}").content  # type: ignore[no-any-return]

        cell: dict[str, Any] = {"put": figures([timed(lambda: put(body_a, 201))[0]])}
        assert triple_set(get()) == triple_set(body_a), f"GET after PUT of {n}: not the triples put"
        cell["get"] = figures(bounded(lambda _: get(), args.reads, args.cell_seconds))
        cell["replace"] = figures([timed(lambda: put(body_b, 204))[0]])
        assert triple_set(get()) == triple_set(body_b), f"GET after the replacing PUT of {n}: not its triples"
        batches = [turtle(subjects, args.batch, f"m{n}-{k}") for k in range(args.merges)]
        merged = bounded(lambda k: expect(client.post("/sparql/graphs", params=params, content=batches[k], headers={
            **writer, "Content-Type": TURTLE}), 204, f"POST {n}"), args.merges, args.cell_seconds)
        cell["merge"] = figures(merged)
        want = triple_set(body_b).union(*(triple_set(b) for b in batches[: len(merged)]))
        assert triple_set(get()) == want, f"GET after {len(merged)} merges into {n}: not the triples written"
        cell["delete"] = figures([timed(lambda: expect(client.delete("/sparql/graphs", params=params, headers=writer),
                                                       204, f"DELETE {n}"))[0]])
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
                                             f"update {pre}/{batch}"), args.updates, args.cell_seconds)
            out[f"update/{pre}/{batch}"] = figures(times)
            expected += batch * len(times)
            got = count_over_http(client, graph)
            assert got == expected, f"updates into {pre}: the graph holds {got} triples, expected {expected}"
        if pre == max(sizes_of(args)):  # into another graph while this one is there: the copy alone
            texts = [insert_data(subjects, args.batch, f"o{k}", SIDE_GRAPH) for k in range(args.updates)]
            times = bounded(lambda k: expect(client.post("/sparql", content=texts[k].encode(), headers=writer), 204,
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
        _cli("demo", "--datasets", str(args.datasets), "--data", store_dir)
        print(f"demo of {args.datasets:,} datasets built in {time.perf_counter() - start:.1f} s (pankg demo)")
        run_phase(script, "plan", store_dir, f"{tmp}/plan.json", str(args.requests))
        plan = json.loads(Path(f"{tmp}/plan.json").read_text())
        print(f"{len(plan['subjects']):,} datasets as the annotations' subjects; {len(plan['dois'])} of the "
              f"{plan['all_dois']:,} DOIs exported")
        run_phase(script, "raw", store_dir, f"{tmp}/plan.json", f"{tmp}/raw.json", args_json)
        raw = json.loads(Path(f"{tmp}/raw.json").read_text())

        write_tokens(Path(f"{tmp}/tokens.yaml"))
        server, url = start_server(store_dir, Path(f"{tmp}/tokens.yaml"), Path(f"{tmp}/serve.log"))
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

    print(f"\nGraph Store Protocol over HTTP (writer token) against pyoxigraph in-process (same store); merges of "
          f"{args.batch} triples; every GET checked")
    print(f"{'':<36} {'-------------------- HTTP --------------------':>51}   {'----- pyoxigraph -----':>22}")
    print(head)
    for n in sizes_of(args):
        ours, base = gsp[f"gsp/{n}"], raw[f"gsp/{n}"]
        for op, label in (("put", "PUT new (Store.load)"), ("get", "GET (quads + serialize)"),
                          ("replace", "PUT replace (clear + load)"), ("merge", f"POST merge {args.batch} (load)"),
                          ("delete", "DELETE (remove_graph)")):
            line(f"{n:>7,} {label}", ours[op], base[op])
        print(f"{'':<8}PUT new: {n / ours['put']['p50'] * 1e3:,.0f} triples/s over HTTP, "
              f"{n / base['put']['p50'] * 1e3:,.0f} raw")

    print("\nSPARQL Update (POST /sparql, INSERT DATA) against Store.update on plain pyoxigraph (same store, same graph "
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
    same = sum(a == s for a, s in zip(plan["exports"]["anonymous"]["digests"], plan["exports"]["staff"]["digests"]))
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
        serve_phase(sys.argv[2:], {"plan": phase_plan, "raw": phase_raw, "breakdown": phase_breakdown})
    else:
        main()
