"""The child-process side of ``bench/writes.py``: the annotation triples, timing helpers, and the phases it runs
in processes of their own (the plan, the oxigraph baseline, the step-by-step breakdown of an update)."""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.serving import percentile  # noqa: E402

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
    lines = "\n".join(triple_lines(subjects, n, tag))
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}\n}} }}"


def triple_set(body: bytes) -> set[str]:
    """The triples of a Turtle body as comparable N-Triples strings."""
    from graph.query.formats import RdfSyntax
    from graph.store import rdf_input

    return {str(t) for t in rdf_input.triples(body, RdfSyntax.TURTLE)}


# ---------------------------------------------------------------------------------------- shared helpers


def figures(times: Sequence[float]) -> dict[str, float]:
    return {"p50": statistics.median(times) * 1e3, "p99": percentile(times, 0.99) * 1e3, "n": len(times),
            "rps": len(times) / sum(times), "first": times[0] * 1e3, "last": times[-1] * 1e3}


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def replace_raw(store: Any, graph: str, body: bytes, fmt: Any) -> None:
    """A Graph Store PUT on the bare engine: the graph cleared, the body loaded."""
    store.clear_graph(graph)
    store.load(body, fmt, graph)


def bounded(call: Callable[[int], Any], most: int, seconds: float, least: int = 3) -> list[float]:
    """Run ``call(0)``, ``call(1)``, ... up to ``most`` times, stopping once ``seconds`` have gone (``least`` at
    least)."""
    times: list[float] = []
    for k in range(most):
        if len(times) >= least and sum(times) >= seconds:
            break
        times.append(timed(lambda: call(k))[0])  # noqa: B023
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
    from graph.exports.datacite import export_record
    from graph.exports.datacite_xml import to_bytes
    from graph.model.access import Entitlement
    from graph.store.embedded import GraphStore, Scope

    with GraphStore(store_dir) as store:
        _, rows = store.query("SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } ORDER BY ?d", "all")
        subjects = [r[0].value for r in rows]
        _, rows = store.query(f"""SELECT ?id WHERE {{ ?s a <{PANKG}DOIRecord> ;
            <http://purl.org/dc/terms/identifier> ?id }} ORDER BY ?id""", "all")
        every = [r[0].value for r in rows]
        count = min(int(requests), len(every))
        dois = [every[k * len(every) // count] for k in range(count)]
        exports: dict[str, Any] = {}
        callers: list[tuple[str, Scope]] = [("anonymous", "public"), ("staff", Entitlement(staff=True))]
        for caller, scope in callers:
            for doi in dois[:5]:  # warm-up
                to_bytes(export_record(store, doi, scope).values)
            gather, write, digests, missing = [], [], [], []
            for doi in dois:
                seconds, record = timed(lambda: export_record(store, doi, scope))  # noqa: B023
                gather.append(seconds)
                seconds, xml = timed(lambda: to_bytes(record.values))  # noqa: B023
                write.append(seconds)
                digests.append(hashlib.sha256(xml).hexdigest())
                missing.append(", ".join(record.missing))
            exports[caller] = {"record": figures(gather), "write": figures(write), "both": figures(
                [a + b for a, b in zip(gather, write, strict=True)]), "digests": digests, "missing": missing}
    Path(plan_file).write_text(json.dumps({"subjects": subjects, "dois": dois, "all_dois": len(every),
                                           "exports": exports}))
    return {}


def phase_raw(store_dir: str, plan_file: str, out_file: str, args_json: str) -> dict[str, float]:
    """The baselines: the same writes and reads with plain oxigraph on the same on-disk store
    (:class:`graph.store.raw.RawStore`: one engine call each)."""
    from graph.query.formats import RdfSyntax
    from graph.store.raw import RawStore

    args = argparse.Namespace(**json.loads(args_json))
    plan = json.loads(Path(plan_file).read_text())
    subjects = plan["subjects"]
    store = RawStore(store_dir)
    fmt = RdfSyntax.TURTLE
    out: dict[str, Any] = {}
    for n in sizes_of(args):
        g = f"{RAW}/gsp/{n}"
        body_a, body_b = turtle(subjects, n, f"a{n}"), turtle(subjects, n, f"b{n}")

        def read(g: str = g) -> bytes:
            return store.read_graph(g, fmt)

        cell: dict[str, Any] = {"put": figures([timed(lambda: store.load(body_a, fmt, g))[0]])}  # noqa: B023
        got = read()
        assert triple_set(got) == triple_set(body_a), f"raw: {n} triples read back differ"
        cell["get"] = figures(bounded(lambda _: read(), args.reads, args.cell_seconds))
        cell["replace"] = figures([timed(lambda: replace_raw(store, g, body_b, fmt))[0]])  # noqa: B023
        cell["merge"] = figures([timed(lambda: store.load(turtle(subjects, args.batch, f"m{n}-{k}"), fmt,  # noqa: B023
                                                                g))[0] for k in range(args.merges)])  # noqa: B023
        assert store.count(g) == n + args.batch * args.merges
        cell["delete"] = figures([timed(lambda: store.remove_graph(g))[0]])  # noqa: B023
        out[f"gsp/{n}"] = cell
    for pre in prefills(args):
        g = f"{RAW}/update/{pre}"
        if pre:
            store.load(turtle(subjects, pre, f"p{pre}"), fmt, g)
        for batch in batch_sizes(args):
            out[f"update/{pre}/{batch}"] = figures([timed(lambda: store.update(
                insert_data(subjects, batch, f"u{batch}-{k}", g)))[0] for k in range(args.updates)])  # noqa: B023
        if pre == max(sizes_of(args)):
            side = f"{RAW}/update/other"
            out[f"update/other/{args.batch}"] = figures([timed(lambda: store.update(
                insert_data(subjects, args.batch, f"o{k}", side)))[0] for k in range(args.updates)])  # noqa: B023
            store.remove_graph(side)
        store.remove_graph(g)
    leftover = [g for g in store.named_graphs() if g.startswith(RAW)]
    assert not leftover, f"raw: graphs left behind: {leftover}"
    store.flush()
    Path(out_file).write_text(json.dumps(out))
    return {}


def phase_breakdown(store_dir: str, plan_file: str, out_file: str, args_json: str) -> dict[str, float]:
    """One INSERT DATA of ``--batch`` triples through ``apply_update``'s steps, for each pre-filled size."""
    from graph.query.formats import RdfSyntax
    from graph.store.embedded import GraphStore
    from graph.store.updates import (
        change,
        commit,
        drop_graph,
        replace_graph,
        run_on,
        scratch_copy,
        user_graphs,
        written,
    )
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
                row["parse body"], triples = timed(lambda: parse_body(
                    body, RdfSyntax.TURTLE, graph))  # noqa: B023
                row["replace_graph"], _ = timed(lambda: replace_graph(
                    store, graph, triples))  # noqa: B023
            update = insert_data(subjects, args.batch, "breakdown", graph)
            start = time.perf_counter()
            with store.writing():  # what apply_update does, step by step (graph/store/updates.py)
                users = user_graphs(store)
                scratch = scratch_copy(store, users)
                before = scratch.before
                row["copy user graphs"] = time.perf_counter() - start
                row["scratch update"], _ = timed(lambda: run_on(scratch, update))  # noqa: B023
                start = time.perf_counter()
                after = written(scratch)
                changed = sorted(g for g in set(before) | set(after) if before.get(g, set()) != after.get(g, set()))
                row["diff"] = time.perf_counter() - start
                changes = {g: change(before.get(g, set()), after.get(g, set())) for g in changed}
                row["commit"], _ = timed(lambda: commit(store, users, changes))  # noqa: B023
            assert changed == [graph], changed
            size = len(after[graph])
            assert size == pre + args.batch, (pre, size)
            if pre == max(sizes_of(args)):  # the commit's halves, on a graph of the same triples
                lines = [f"GRAPH <{RAW}/commit> {{ {q.subject} {q.predicate} {q.object} }}" for q in after[graph]]
                row["INSERT DATA whole graph"], _ = timed(lambda: store.raw_update(
                    "INSERT DATA {\n" + "\n".join(lines) + "\n}"))  # noqa: B023
                row["DROP GRAPH whole graph"], _ = timed(lambda: store.raw_update(f"DROP GRAPH <{RAW}/commit>"))
            row["drop_graph"], _ = timed(lambda: drop_graph(store, graph))  # noqa: B023
            out[str(pre)] = {k: v * 1e3 for k, v in row.items()}
    Path(out_file).write_text(json.dumps(out))
    return {}


def batch_sizes(args: argparse.Namespace) -> list[int]:
    return [int(b) for b in args.update_batches.split(",")]


