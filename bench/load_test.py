"""Load test: 50 clients for 60 s against a real ``pankg serve``, with and without a hostile client.

    python bench/load_test.py [--datasets 20000] [--clients 50] [--seconds 60] [--store DIR]
                              [--hostile both|sparql|graphql|none] [--processes N] [--log FILE]

Builds (not timed) the demo of ``--datasets`` datasets into an on-disk store with ``pankg demo`` (or reuses
``--store DIR`` if it holds one), starts ``pankg serve`` on 127.0.0.1 (its own process, default limits),
and runs three phases, each with ``--clients`` asyncio httpx clients sending one request after another:

- warm-up (``--warmup``, 30 s), not counted: at 100,000 datasets the store caches of the server and its workers
  take that long to fill, and RSS measured from an earlier point grew by 15 % without a leak;
- normal (``--seconds``): each client waits as ``Retry-After`` says after a 503 (as a well-behaved client
  does; the hostile client does not); a mix of GraphQL pages of 50 datasets with nested links (30 %), a dataset with its
  nested links (20 %), lineage (15 %), text + technique search with ``totalCount`` (15 %) and small SPARQL
  queries (20 %);
- hostile (``--seconds``): the same clients, plus a hostile one that sends, one after another, runaway SPARQL
  (a cross product over every triple, a property path over every link) and, at the same time, GraphQL alias
  bombs (30 aliases of a 100-dataset page each); ``--hostile`` sends one of the two only, or nothing (``none``:
  the noise between two normal phases).

Per phase it prints, per kind: requests, p50 and p99 of the answers, the slowest answer against the
deadline the server promises for it (GraphQL 10.5 s, SPARQL 31 s), as the client saw it and as the server timed
it (``Server-Timing``: the client's own delays, fifty connections in one Python process on the same cores, not
included), 503s (deliberate: the server was full)
and errors (anything else that is not a 200: transport errors, 5xx, 4xx); the server's RSS (with its
query workers) at start, after the warm-up and at the end of each phase; the CPU seconds the server (with its
workers) and this client took in each phase (on one machine, what the clients burn is the server's loss); and
how often its log says
``Traceback``, ``never awaited``, ``ERROR``. The baseline is the normal phase:
the ratio of the others' p99 in the hostile phase to it (target < 2x), and RSS at the end against after the
warm-up (target: flat).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import multiprocessing
import random
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psutil  # noqa: E402

from bench.serving import cli, percentile, start_server, stop_server  # noqa: E402

PROMISED = {"graphql": 10.5, "sparql": 31.0}
PAGE = """query($after: String) { datasets(first: 50, after: $after, filter: {embargoed: false}) {
  pageInfo { endCursor } edges { node { pid title techniques { label } facility { name }
  dois { doi } software { version software { name } } citationCount citedBy { title } } } } }"""
NODE = """query($pid: String!) { dataset(pid: $pid) { pid title description created techniques { label }
  facility { name } instrument { name } proposal { proposalId title } dois { doi } parameters { name value unit }
  software { version software { name } } citedBy { title } } }"""
LINEAGE = """query($pid: String!) { lineage(pid: $pid, maxDepth: 3) { nodes { iri kind label depth }
  edges { source relation target } } }"""
SEARCH = """query($text: String!, $technique: String) { datasets(first: 20, filter: {text: $text,
  technique: $technique}) { totalCount edges { node { pid title } } } }"""
SPARQL_SMALL = """PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?p ?o WHERE {{ ?d dcterms:identifier "{pid}" ;
  ?p ?o }} LIMIT 20"""
RUNAWAY = ["SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
           "SELECT * WHERE { ?x (<http://www.w3.org/ns/prov#wasDerivedFrom>|^<http://www.w3.org/ns/prov#wasDerivedFrom>"
           "|<https://w3id.org/pankg/ontology#technique>|^<https://w3id.org/pankg/ontology#technique>)+ ?y }"]
BOMB = "{ " + " ".join(f"a{i}: datasets(first: 100) {{ totalCount edges {{ node {{ pid title techniques {{ label }} "
                       f"citedBy {{ title }} }} }} }}" for i in range(30)) + " }"
LOG_NEEDLES = ("Traceback", "never awaited", "ERROR", "Task exception")
WORDS = ["scattering", "powder", "protein", "diffraction", "glass", "tomography", "magnetic", "catalyst"]


@dataclass
class Tally:
    """Answers of one phase, by kind."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    """The slowest answer of each kind as the server timed it (``Server-Timing``), without the client's own delays."""
    server_times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    """Every answer's time as the server timed it, by kind."""
    busy: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def record(self, kind: str, seconds: float, status: int | str, server: float = 0.0) -> None:
        key = kind + ("" if status == 200 else " (503)" if status == 503 else " (error)")
        self.server[key] = max(self.server[key], server)
        self.server_times[key].append(server)
        if status == 200:
            self.latencies[kind].append(seconds)
        elif status == 503:
            self.busy[kind] += 1
            self.latencies[kind + " (503)"].append(seconds)
        else:
            self.errors[kind].append(str(status))
            self.latencies[kind + " (error)"].append(seconds)


@dataclass
class Samples:
    """What the requests ask about: public datasets, derived ones, techniques."""

    pids: list[str]
    derived: list[str]
    techniques: list[str]


async def samples(client: httpx.AsyncClient) -> Samples:
    async def select(query: str) -> list[str]:
        got = await client.post("/sparql", content=query, headers={"content-type": "application/sparql-query",
                                                                   "accept": "application/sparql-results+json"})
        got.raise_for_status()
        return [next(iter(b.values()))["value"] for b in got.json()["results"]["bindings"]]

    prefix = ("PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX pankg: <https://w3id.org/pankg/ontology#> "
              "PREFIX prov: <http://www.w3.org/ns/prov#> ")
    pids = await select(prefix + "SELECT ?pid WHERE { ?d dcterms:identifier ?pid ; dcterms:title ?t } LIMIT 2000")
    derived = await select(prefix + "SELECT ?pid WHERE { ?d prov:wasDerivedFrom ?r ; dcterms:identifier ?pid } "
                                    "LIMIT 500")
    techniques = await select(prefix + "SELECT DISTINCT ?t WHERE { ?d pankg:technique ?t } LIMIT 50")
    return Samples(pids, derived or pids, techniques)


def cpu_seconds(server: psutil.Process) -> tuple[float, float]:
    """CPU seconds used so far by the server with its workers (live and ended), and by this load client."""
    used = 0.0
    try:
        times = server.cpu_times()
        used = times.user + times.system + times.children_user + times.children_system
        for child in server.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                child_times = child.cpu_times()
                used += child_times.user + child_times.system
    except psutil.Error:
        pass
    own = psutil.Process().cpu_times()  # with the client processes of a phase that have ended (--processes)
    return used, own.user + own.system + own.children_user + own.children_system


def rss(server: psutil.Process) -> int:
    """Resident memory of the server and its children (query workers), bytes."""
    total = 0
    for p in [server, *server.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def server_seconds(response: httpx.Response) -> float:
    """What ``Server-Timing: app;dur=<ms>`` says the server took."""
    for part in response.headers.get("server-timing", "").split(";"):
        if part.strip().startswith("dur="):
            return float(part.strip()[4:]) / 1000
    return 0.0


async def request(client: httpx.AsyncClient, kind: str, rng: random.Random, s: Samples) -> tuple[int | str, float]:
    """The status of one request of ``kind`` (or what went wrong) and the server's own time for it."""
    try:
        if kind == "page":
            after = None if rng.random() < 0.5 else rng.choice(_CURSORS or [None])
            got = await client.post("/graphql", json={"query": PAGE, "variables": {"after": after}})
            if got.status_code == 200 and (end := ((got.json().get("data") or {}).get("datasets") or {})
                                           .get("pageInfo", {}).get("endCursor")):
                if len(_CURSORS) < 200:
                    _CURSORS.append(end)
        elif kind == "node":
            got = await client.post("/graphql", json={"query": NODE, "variables": {"pid": rng.choice(s.pids)}})
        elif kind == "lineage":
            got = await client.post("/graphql", json={"query": LINEAGE, "variables": {"pid": rng.choice(s.derived)}})
        elif kind == "search":
            variables = {"text": rng.choice(WORDS), "technique": rng.choice(s.techniques) if s.techniques else None}
            got = await client.post("/graphql", json={"query": SEARCH, "variables": variables})
        else:
            got = await client.get("/sparql", params={"query": SPARQL_SMALL.format(pid=rng.choice(s.pids))},
                                   headers={"accept": "application/sparql-results+json"})
    except httpx.HTTPError as exc:
        return type(exc).__name__, 0.0
    if got.status_code == 200 and kind != "sparql" and "errors" in got.json():
        return "200 with errors: " + json.dumps(got.json()["errors"])[:120], server_seconds(got)
    return got.status_code, server_seconds(got)


_CURSORS: list[str] = []
RETRY_AFTER = 1.0
"""What pankg's 503s say (``Retry-After: 1``): a normal client waits that long before its next request."""
MIX = [("page", 30), ("node", 20), ("lineage", 15), ("search", 15), ("sparql", 20)]


async def client_loop(url: str, until: float, tally: Tally, s: Samples, seed: int) -> None:
    """One well-behaved client: one request after another; after a 503 it waits as ``Retry-After`` says."""
    rng = random.Random(seed)
    kinds, weights = zip(*MIX)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        while time.monotonic() < until:
            kind = rng.choices(kinds, weights)[0]
            started = time.monotonic()
            status, server = await request(client, kind, rng, s)
            tally.record(kind, time.monotonic() - started, status, server)
            if status == 503:
                await asyncio.sleep(min(RETRY_AFTER, until - time.monotonic()))


async def hostile_loop(url: str, until: float, tally: Tally, graphql: bool) -> None:
    """One hostile client: runaway SPARQL one after another, or GraphQL alias bombs one after another."""
    kind = "hostile graphql" if graphql else "hostile sparql"
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        k = 0
        while time.monotonic() < until:
            started = time.monotonic()
            try:
                if graphql:
                    got = await client.post("/graphql", json={"query": BOMB})
                else:
                    got = await client.get("/sparql", params={"query": RUNAWAY[k % 2]})
                status: int | str = got.status_code
                server = server_seconds(got)
            except httpx.HTTPError as exc:
                status, server = type(exc).__name__, 0.0
            tally.record(kind, time.monotonic() - started, status, server)
            k += 1


async def _clients(url: str, until: float, seeds: list[int], s: Samples, hostile: str) -> Tally:
    tally = Tally()
    loops = [client_loop(url, until, tally, s, seed) for seed in seeds]
    if hostile in ("both", "sparql"):
        loops.append(hostile_loop(url, until, tally, graphql=False))
    if hostile in ("both", "graphql"):
        loops.append(hostile_loop(url, until, tally, graphql=True))
    await asyncio.gather(*loops)
    return tally


def _clients_in_a_process(url: str, until: float, seeds: list[int], s: Samples, hostile: str) -> dict[str, Any]:
    """One process's share of the clients (``--processes``), its tally as plain dicts to cross the pipe."""
    tally = asyncio.run(_clients(url, until, seeds, s, hostile))
    return {name: dict(getattr(tally, name)) for name in ("latencies", "server", "server_times", "busy", "errors")}


async def phase(url: str, seconds: float, clients: int, s: Samples, hostile: str = "", processes: int = 1) -> Tally:
    """``clients`` clients (and the hostile one) for ``seconds``, in this process or spread over ``processes``
    (the hostile one in the first): one interpreter running fifty clients delays their answers itself."""
    if processes <= 1:
        return await _clients(url, time.monotonic() + seconds, list(range(clients)), s, hostile)
    until = time.monotonic() + seconds + 3.0  # the processes' start-up, not counted: the clock is the machine's
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = await asyncio.gather(*(loop.run_in_executor(pool, _clients_in_a_process, url, until,
                                                            list(range(clients))[k::processes], s,
                                                            hostile if k == 0 else "")
                                       for k in range(processes)))
    tally = Tally()
    for part in parts:
        for kind, values in part["latencies"].items():
            tally.latencies[kind].extend(values)
        for kind, values in part["server_times"].items():
            tally.server_times[kind].extend(values)
        for kind, value in part["server"].items():
            tally.server[kind] = max(tally.server[kind], value)
        for kind, value in part["busy"].items():
            tally.busy[kind] += value
        for kind, values in part["errors"].items():
            tally.errors[kind].extend(values)
    return tally


def report(name: str, tally: Tally, seconds: float) -> dict[str, tuple[float, float]]:
    """Print a phase; the p99 of each kind answered, as the client saw it and as the server timed it."""
    print(f"\n{name}: {sum(len(v) for v in tally.latencies.values()):,} answers in {seconds:g} s")
    print(f"  {'kind':<22} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max s':>7} {'server':>7} {'promise':>7} {'503':>5} "
          f"{'errors':>6} {'server p99 ms':>13}")
    p99s: dict[str, tuple[float, float]] = {}
    for kind in sorted(tally.latencies):
        values = tally.latencies[kind]
        base = kind.split(" (")[0]
        promise = PROMISED["sparql" if "sparql" in base else "graphql"]
        late = " LATE" if max(values) > promise else ""
        late += " (server LATE)" if tally.server.get(kind, 0.0) > promise else ""
        print(f"  {kind:<22} {len(values):>6} {percentile(values, .5) * 1000:>8.1f} {percentile(values, .99) * 1000:>8.1f} "
              f"{max(values):>7.2f} {tally.server.get(kind, 0.0):>7.2f} {promise:>7.1f} {tally.busy.get(kind, 0):>5} "
              f"{len(tally.errors.get(kind, [])):>6} {percentile(tally.server_times[kind], .99) * 1000:>13.1f}{late}")
        if " (" not in kind and not kind.startswith("hostile"):
            p99s[kind] = (percentile(values, .99), percentile(tally.server_times[kind], .99))
    answered = sum(len(v) for k, v in tally.latencies.items() if not k.startswith("hostile"))
    busy = sum(n for k, n in tally.busy.items() if not k.startswith("hostile"))
    errors = {k: v for k, v in tally.errors.items() if not k.startswith("hostile")}
    print(f"  503s (deliberate): {busy:,} of {answered:,} ({100 * busy / max(answered, 1):.1f} %); "
          f"errors: {sum(len(v) for v in errors.values())}")
    for kind, found in errors.items():
        print(f"    {kind}: {', '.join(sorted(set(found)))[:300]}")
    return p99s


def cpu(before: tuple[float, float], after: tuple[float, float], seconds: float) -> None:
    """Print the CPU the phase took from the server and from this client: on one machine, what the clients (the
    hostile one too) burn is taken from the server."""
    cores = psutil.cpu_count() or 1
    print(f"  CPU in the phase: server {after[0] - before[0]:.0f} s (with its workers), load client "
          f"{after[1] - before[1]:.0f} s, of {cores} cores x {seconds:g} s = {cores * seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=30.0)
    parser.add_argument("--store", help="reuse (or make) the demo store in this directory")
    parser.add_argument("--log", help="keep the server's log in this file")
    parser.add_argument("--processes", type=int, default=1,
                        help="spread the clients over this many processes (the hostile one in the first)")
    parser.add_argument("--hostile", choices=["both", "sparql", "graphql", "none"], default="both",
                        help="what the hostile client sends: runaway SPARQL, GraphQL alias bombs, both at once, or none (the noise between two normal phases)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pankg-load-") as tmp:
        store = args.store or str(Path(tmp) / "kg")
        if not (Path(store) / "CURRENT").exists():
            print(f"building the demo of {args.datasets:,} datasets in {store} ...", flush=True)
            cli("demo", "--datasets", str(args.datasets), "--data", store)
        tokens = Path(tmp) / "tokens.yaml"
        tokens.write_text(f"tokens:\n  {hashlib.sha256(b'staff').hexdigest()}: {{name: staff, staff: true}}\n")
        server, url = start_server(store, tokens, Path(tmp) / "server.log")
        try:
            proc = psutil.Process(server.pid)
            memory = {"start": rss(proc)}

            async def run() -> None:
                async with httpx.AsyncClient(base_url=url, timeout=60) as client:
                    s = await samples(client)
                print(f"{len(s.pids)} datasets, {len(s.derived)} derived, {len(s.techniques)} techniques sampled")
                await phase(url, args.warmup, args.clients, s, hostile="", processes=args.processes)
                memory["after warm-up"] = rss(proc)
                before = cpu_seconds(proc)
                normal = await phase(url, args.seconds, args.clients, s, hostile="", processes=args.processes)
                memory["after normal"] = rss(proc)
                base = report(f"normal, {args.clients} clients", normal, args.seconds)
                between = cpu_seconds(proc)
                cpu(before, between, args.seconds)
                hostile = await phase(url, args.seconds, args.clients, s, hostile=args.hostile, processes=args.processes)
                memory["after hostile"] = rss(proc)
                loaded = report(f"with a hostile client, {args.clients} + 1 clients (2 connections)", hostile,
                                args.seconds)
                cpu(between, cpu_seconds(proc), args.seconds)
                print("\nothers' p99 with the hostile client / without (target < 2x), as the clients saw it and as "
                      "the server timed it (without this one process's own delays):")
                for kind in sorted(base):
                    if kind in loaded and base[kind][0] and base[kind][1]:
                        print(f"  {kind:<10} {loaded[kind][0] / base[kind][0]:5.2f}x   server "
                              f"{loaded[kind][1] / base[kind][1]:5.2f}x")

            asyncio.run(run())
            print("\nserver RSS with its workers: " + ", ".join(f"{k} {v / 1e6:,.0f} MB" for k, v in memory.items()))
            print(f"  end / after warm-up: {memory['after hostile'] / memory['after warm-up']:.2f}x (target: flat)")
        finally:
            stop_server(server)
        log = (Path(tmp) / "server.log").read_text(errors="replace")
        if args.log:
            Path(args.log).write_text(log)
        print("server log: " + ", ".join(f"{needle!r} {log.count(needle)}" for needle in LOG_NEEDLES))


if __name__ == "__main__":
    main()
