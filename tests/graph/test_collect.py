"""Garbage (graphs no source holds) never holds up an open or a load, never shows, and goes in the background.

The collector's thread is held at its first transaction by a hook on the ``drop`` point (:mod:`graph.store.faults`),
so each test looks at the store while garbage is still there, deterministically, then lets it go.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import graph.store.collect
from graph.store import faults
from graph.store.embedded import GraphStore
from tests.graph.test_store import TITLES, datasets, quads_of, snapshot

LEFTOVER = "https://w3id.org/pankg/id/graph/demo.{digest}.v{generation}.public"


class Gate:
    """Holds the collector at its first ``drop`` until opened: the garbage is there, half dropped."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.opened = threading.Event()

    def __call__(self, point: str) -> None:
        if point == "drop" and threading.current_thread().name == "pankg-collector":
            self.reached.set()
            assert self.opened.wait(30)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    monkeypatch.setattr(graph.store.collect, "DROP_CHUNK", 500)  # small garbage goes to the thread too
    held = Gate()
    faults.arm(held)
    try:
        yield held
    finally:
        held.opened.set()
        faults.arm(None)


def leftover(store: GraphStore, generation: int, triples: int = 3000) -> str:
    """What a load killed while staging generation ``generation`` of source ("demo", "x") leaves behind."""
    digest = store.find_source("demo", "x").graphs[0].iri.split("demo.")[1].split(".")[0]  # type: ignore[union-attr]
    graph = LEFTOVER.format(digest=digest, generation=generation)
    lines = "".join(f'<https://e/s{i}> <http://purl.org/dc/terms/title> "leftover {i}" .\n' for i in range(triples))
    store.raw_load(lines.encode(), graph)
    return graph


def present(store: GraphStore, graph: str) -> bool:
    return store.has_graph(graph)


def test_an_open_does_not_wait_for_a_crashed_loads_leftovers(tmp_path: Path, gate: Gate) -> None:
    with GraphStore(tmp_path / "kg") as store:
        store.replace_source("demo", "x", "h1", quads_of(datasets(20)))
        before = snapshot(store)
        stray = leftover(store, generation=2)
    with GraphStore(tmp_path / "kg") as store:  # returns while the collector is held at its first chunk
        assert gate.reached.wait(30)
        assert present(store, stray) and not store.is_clean  # the union graph would show the leftover
        assert snapshot(store) == before
        assert stray not in store.graphs("all")
        gate.opened.set()
        store.collect()
        assert not present(store, stray) and store.is_clean
        assert snapshot(store) == before  # now through the union graph


def test_a_rerun_is_numbered_past_the_leftovers_it_must_not_write_into(tmp_path: Path, gate: Gate) -> None:
    with GraphStore(tmp_path / "kg") as store:
        store.replace_source("demo", "x", "h1", quads_of(datasets(20)))
        stray = leftover(store, generation=2)
    with GraphStore(tmp_path / "kg") as store:
        assert gate.reached.wait(30)  # the leftover is being dropped while the rerun stages
        rerun = store.replace_source("demo", "x", "h2", quads_of(datasets(30, "new")))
        assert rerun.source.generation == 3 and all(".v3." in g.iri for g in rerun.source.graphs)
        gate.opened.set()
    with GraphStore(tmp_path / "kg") as store:  # the rerun's close dropped all garbage: it retired v1
        assert not present(store, stray) and store.is_clean
        _, titles = store.query(TITLES)
        assert len(titles) == 30 and all(row[0].value.startswith("new") for row in titles)


def test_a_reload_hands_its_old_generation_to_the_collector(tmp_path: Path, gate: Gate) -> None:
    with GraphStore(tmp_path / "kg") as store:
        old = store.replace_source("demo", "x", "h1", quads_of(datasets(40, "old"))).source
        store.replace_source("demo", "x", "h2", quads_of(datasets(10, "new")))  # returns; the drop is held
        assert gate.reached.wait(30)
        assert present(store, old.graphs[0].iri) and not store.is_clean
        _, titles = store.query(TITLES)
        assert len(titles) == 10 and all(row[0].value.startswith("new") for row in titles)
        gate.opened.set()
    with GraphStore(tmp_path / "kg") as store:
        assert not present(store, old.graphs[0].iri) and store.is_clean


def test_a_graph_is_dropped_only_after_the_readers_that_could_see_it(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graph.store.writes

    monkeypatch.setattr(graph.store.writes, "COLLECT_WAIT_SECONDS", 0.05)  # the stage waits for no union reader
    first = store.replace_source("demo", "x", "h1", quads_of(datasets(5, "old"))).source
    with store.reading("public") as dataset:  # a reader that started before the swap ...
        store.replace_source("demo", "x", "h2", quads_of(datasets(5, "new")))  # ... does not hold the writer up
        assert present(store, first.graphs[0].iri)
        _, rows = store.query_over(TITLES, dataset)
        assert rows[0][0].value.startswith("old")  # ... and still reads what it started on
    store.collect()
    assert not present(store, first.graphs[0].iri) and store.is_clean


def test_small_garbage_goes_at_once(store: GraphStore) -> None:
    first = store.replace_source("demo", "x", "h1", quads_of(datasets(5)))
    store.replace_source("demo", "x", "h2", quads_of(datasets(6)))
    assert not present(store, first.source.graphs[0].iri) and store.is_clean  # no thread needed
    assert len(store.named_graphs()) == 2


def test_a_large_graph_goes_in_chunks_blank_subjects_included(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph.store.collect, "DROP_CHUNK", 500)
    commits: list[str] = []
    faults.arm(lambda point: commits.append(point))
    try:
        with GraphStore(tmp_path / "kg") as store:
            store.replace_source("demo", "x", "h1", quads_of(datasets(20)))
            before = snapshot(store)
            stray = leftover(store, generation=2)  # 3,000 quads of named subjects
            blanks = "".join(f'_:b{i} <https://e/p> "{j}" .\n' for i in range(300) for j in range(5))
            store.raw_load(blanks.encode(), stray)
        with GraphStore(tmp_path / "kg") as store:
            store.collect()
            assert not present(store, stray) and store.is_clean
            assert snapshot(store) == before
    finally:
        faults.arm(None)
    assert len(commits) >= 4500 // 500  # one transaction per chunk of about 500 quads, never all at once
