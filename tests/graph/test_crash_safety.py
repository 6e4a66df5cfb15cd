"""A real ``pankg`` load killed (SIGKILL) at each step of a write leaves the store exactly as it was before the
load or as it is after it; the store opens, and a rerun of the same load completes with the after-load content.

Each crash runs the command line in a subprocess (``tests/graph/crash_driver.py``) that kills itself at a named
point of the write (:mod:`graph.store.faults`), so each point is hit every time, not by sleeping and hoping:

- ``stage``: the fifth chunk of the new graphs is in the store, the other writer busy with the next, nothing
  registered (expect: before); the driver stages in bulk-loaded chunks of 5,000 quads, so a small demo stages
  as a large source does;
- ``swap``: everything staged and counted, the swap update about to run (expect: before);
- ``swapped``: the swap update committed, the old generation untouched (expect: after);
- ``drop``: two transactions of the old generation's removal committed, more to come (expect: after; a first
  load retires nothing, so it has no such point).

"Content" is what an ``all`` reader sees (every quad of every graph, each graph named by its access key, since
graph IRIs carry the generation) and what is registered per source (fingerprint, loader version, next release,
graphs with their access keys and triple counts; not the generation or the load time).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.query.formats import RdfSyntax, ResultsSyntax
from graph.store.embedded import GraphStore
from loaders.base import load
from loaders.demo import DemoCatalogue, DemoSource
from tests.helpers import ROOT

DATASETS = 1000
"""About 53,000 quads in 45 graphs: 20-odd chunks of 5,000 through the crash driver, and an old
generation that takes several transactions to drop; small enough for ten crashes in well under a minute."""
KILLED = -9
POINTS = {"stage": "stage:5", "swap": "swap", "swapped": "swapped", "drop": "drop:2"}

State = tuple[frozenset[tuple[str, str, Any, Any, tuple[tuple[str, str, int], ...]]], frozenset[tuple[str, str]]]


def state(path: Path, *, collect: bool = False) -> State:
    """The content of the store at ``path``: (registered sources, quads seen by an ``all`` reader).

    With ``collect``, the garbage is dropped first and the store must then hold pankg graphs only for its
    registered sources, and read them through the union graph (the fast path a stray graph would leak into).
    """
    with GraphStore(path) as store:
        if collect:
            store.collect()
            ours = store.minter.minted("graph", "")
            named = {g for g in store.named_graphs() if g.startswith(ours)}
            assert named == {g.iri for info in store.sources.values() for g in info.graphs}
            assert store.is_clean  # the next read goes through the union graph
        sources = frozenset(
            (info.kind, info.location, info.content_hash, info.next_release,
             tuple(sorted((g.access_key, g.access, g.triples) for g in info.graphs)))
            for info in store.sources.values()
        )
        keys = {g.iri: g.access_key for info in store.sources.values() for g in info.graphs}
        table = store.serialize("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                                ResultsSyntax.TSV, RdfSyntax.N_TRIPLES, "all")
    quads = set()
    for line in table.decode().splitlines()[1:]:
        graph, triple = line.split("\t", 1)
        if graph[1:-1] == store.meta:
            continue  # the registrations: compared as `sources` (their IRIs and times differ by run)
        assert graph[1:-1] in keys, f"an unregistered graph is visible: {graph}"
        quads.add((keys[graph[1:-1]], triple))
    return sources, frozenset(quads)


def pankg(*args: str, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in a subprocess, with a crash point armed if ``crash_at``."""
    command = ["-m", "pankg", *args]
    if crash_at:
        command = ["-m", "tests.graph.crash_driver", "--small-chunks", crash_at, *args]
    return subprocess.run([sys.executable, *command], cwd=ROOT, check=False, capture_output=True, text=True,
                          timeout=300)


def demo(data: Path, seed: int, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    return pankg("demo", "--datasets", str(DATASETS), "--seed", str(seed), "--data", str(data), crash_at=crash_at)


def rerun(path: Path, seed: int) -> bool:
    """Load the demo of ``seed`` in this process, as ``pankg demo`` does (without its printing and the second
    of starting an interpreter); True if it wrote anything."""
    with GraphStore(path) as store:
        return load(store, DemoSource(DemoCatalogue(datasets=DATASETS, seed=seed, today=dt.date.today()))).changed


def loaded(path: Path, seed: int) -> Path:
    rerun(path, seed)
    return path


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Version 1 (seed 1) on disk, and the content before and after loading version 2 (seed 2)."""
    base = tmp_path_factory.mktemp("crash")
    v1 = loaded(base / "v1", seed=1)
    yield {"v1": v1, "empty": state(base / "empty"), "v1 state": state(v1),
           "v2 state": state(loaded(base / "v2", seed=2))}
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize(("point", "reload"), [
    *[(point, False) for point in ("stage", "swap", "swapped")],
    *[(point, True) for point in ("stage", "swap", "swapped", "drop")],
], ids=lambda v: {False: "first load", True: "reload"}.get(v, v) if isinstance(v, bool) else v)
def test_a_load_killed_at_any_step_leaves_before_or_after(
    stores: dict[str, Any], tmp_path: Path, point: str, reload: bool
) -> None:
    data = tmp_path / "kg"
    if reload:
        shutil.copytree(stores["v1"], data)
    before, after = stores["v1 state" if reload else "empty"], stores["v2 state"]
    crashed = demo(data, seed=2, crash_at=POINTS[point])
    assert crashed.returncode == KILLED, crashed.stdout + crashed.stderr
    assert state(data) == (before if point in ("stage", "swap") else after)
    assert rerun(data, seed=2) == (point in ("stage", "swap"))
    assert state(data, collect=True) == after


def test_a_kill_while_a_crashed_loads_leftovers_are_dropped(stores: dict[str, Any], tmp_path: Path) -> None:
    """Crash during staging, then kill the rerun while it drops the leftovers (beside its own stage, on the
    collector's thread): still before or after, and a third run completes."""
    data = tmp_path / "kg"
    shutil.copytree(stores["v1"], data)
    assert demo(data, seed=2, crash_at=POINTS["stage"]).returncode == KILLED
    assert demo(data, seed=2, crash_at="drop").returncode == KILLED
    assert state(data) in (stores["v1 state"], stores["v2 state"])
    third = demo(data, seed=2)  # through the command line, to the end
    assert third.returncode == 0, third.stderr
    assert state(data, collect=True) == stores["v2 state"]


def test_a_release_killed_after_its_update_leaves_the_released_store(stores: dict[str, Any], tmp_path: Path) -> None:
    """``pankg release`` writes each source in one update, counts included: a kill right after it leaves the
    same content as a release that ran to its end."""
    later = (dt.date.today() + dt.timedelta(days=3 * 366)).isoformat()
    crashed, done = tmp_path / "crashed", tmp_path / "done"
    shutil.copytree(stores["v1"], crashed)
    shutil.copytree(stores["v1"], done)
    with GraphStore(done) as store:
        assert store.release(dt.date.fromisoformat(later))
    released = state(done)
    assert released != stores["v1 state"]
    assert pankg("release", "--as-of", later, "--data", str(crashed), crash_at="release").returncode == KILLED
    assert state(crashed) == released
    again = pankg("release", "--as-of", later, "--data", str(crashed))
    assert again.returncode == 0 and "no embargo to release" in again.stdout
    assert state(crashed, collect=True) == released
