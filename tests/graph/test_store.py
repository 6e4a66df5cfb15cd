"""The store's promises: atomic replace, idempotent reloads, readers never see a half-written load."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import QueryError, RecordInvalid, StoreError, StoreLocked
from graph.model.entities import Dataset, Parameter
from graph.model.writer import Quad, RdfModel
from graph.store.embedded import GraphStore

TODAY = dt.date(2026, 11, 21)
TITLES = "SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t } ORDER BY ?t"


def datasets(n: int, prefix: str = "ds", embargo_every: int = 0) -> list[Dataset]:
    return [
        Dataset(
            pid=f"{prefix}{i}",
            title=f"{prefix} dataset {i}",
            parameters=(Parameter("temperature", float(i), "K", float(i), "K"),),
            embargo_end=TODAY + dt.timedelta(days=30) if embargo_every and i % embargo_every == 0 else None,
        )
        for i in range(n)
    ]


def quads_of(items: list[Dataset], model: RdfModel | None = None) -> Iterator[Quad]:
    model = model or RdfModel(as_of=TODAY)
    for item in items:
        yield from model.quads(item)


def snapshot(store: GraphStore) -> tuple[int, int, list[list[str]]]:
    _, rows = store.query(TITLES)
    return store.count(), store.count("public"), [[t.value for t in row] for row in rows[:25]]


def test_reloading_the_same_input_changes_nothing(store: GraphStore) -> None:
    first = store.replace_source("demo", "x", "hash-1", quads_of(datasets(50)))
    before = snapshot(store)
    again = store.replace_source("demo", "x", "hash-1", quads_of(datasets(50)))
    assert first.changed and not again.changed
    assert snapshot(store) == before
    forced = store.replace_source("demo", "x", "hash-1", quads_of(datasets(50)), force=True)
    assert forced.changed and forced.source.generation == 2
    assert snapshot(store) == before
    assert len(store.graphs("all")) == 2  # the meta graph and one public graph: the old generation is gone


def test_a_new_version_replaces_the_old_one_entirely(store: GraphStore) -> None:
    store.replace_source("demo", "x", "h1", quads_of(datasets(50, "old")))
    store.replace_source("demo", "x", "h2", quads_of(datasets(20, "new")))
    _, rows = store.query(TITLES)
    assert len(rows) == 20
    assert all(row[0].value.startswith("new") for row in rows)


def test_a_load_that_fails_half_way_leaves_everything_as_it_was(store: GraphStore) -> None:
    store.replace_source("demo", "x", "h1", quads_of(datasets(300)))
    store.replace_source("other", "y", "h1", quads_of(datasets(10, "other")))
    before = snapshot(store)
    sources_before = store.sources

    def failing() -> Iterator[Quad]:
        for n, quad in enumerate(quads_of(datasets(400, "bad"))):
            if n == 2500:  # past the first chunks would be a real risk; make it fail mid-stream
                raise RecordInvalid("temperature is not a number", file="f.json", record="bad7", field="temperature")
            yield quad

    with pytest.raises(RecordInvalid, match="file f.json, record bad7, field temperature"):
        store.replace_source("demo", "x", "h2", failing())
    assert snapshot(store) == before
    assert store.sources == sources_before
    assert len(store.named_graphs()) == 3  # no staged graph is left behind


@pytest.mark.parametrize("small_bytes", [0, 4 << 20], ids=["bulk_load", "load"])
def test_a_failure_after_several_chunks_leaves_nothing_either(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch, small_bytes: int
) -> None:
    import graph.store.bulk

    monkeypatch.setattr(graph.store.bulk, "CHUNK_QUADS", 100)
    monkeypatch.setattr(graph.store.bulk, "SMALL_BYTES", small_bytes)
    store.replace_source("demo", "x", "h1", quads_of(datasets(30)))
    before = snapshot(store)

    def failing() -> Iterator[Quad]:
        yield from quads_of(datasets(200, "more"))
        raise ValueError("the source went away")

    with pytest.raises(ValueError, match="the source went away"):
        store.replace_source("demo", "x", "h2", failing())
    assert snapshot(store) == before


def test_readers_never_see_a_half_written_load(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.store.bulk

    monkeypatch.setattr(graph.store.bulk, "CHUNK_QUADS", 1000)
    monkeypatch.setattr(graph.store.bulk, "SMALL_BYTES", 0)  # the on-disk bulk path, the one with no transaction
    store.replace_source("demo", "x", "h1", quads_of(datasets(40)))
    before = snapshot(store)
    seen: list[tuple[int, int, list[list[str]]]] = []
    staged_quads: list[int] = []

    def watched() -> Iterator[Quad]:
        for n, quad in enumerate(quads_of(datasets(3000, "next"))):
            # At most two chunks wait between producer and store and two are being written: after seven,
            # three or more are in the store.
            if n in (10, 7 * 1000 + 10):
                seen.append(snapshot(store))
                staged_quads.append(store.total_quads())
            yield quad

    store.replace_source("demo", "x", "h2", watched())
    assert staged_quads[1] >= staged_quads[0] + 2000  # the new load really was half in the store
    assert seen == [before, before]
    assert snapshot(store) != before


def test_public_readers_see_the_stub_of_an_embargoed_dataset_only(store: GraphStore) -> None:
    store.replace_source("demo", "x", "h", quads_of(datasets(10, embargo_every=2)))
    _, public_titles = store.query(TITLES, "public")
    _, all_titles = store.query(TITLES, "all")
    assert len(all_titles) == 10 and len(public_titles) == 5
    _, ids = store.query("SELECT ?id WHERE { ?d <http://purl.org/dc/terms/identifier> ?id }", "public")
    assert len(ids) == 10  # the stub of every dataset stays public
    assert store.query("ASK { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), 'meta')) }", "public") is False


def test_an_ended_embargo_makes_an_unchanged_source_reload(store: GraphStore) -> None:
    items = datasets(4, embargo_every=2)
    first = store.replace_source("demo", "x", "h", quads_of(items), as_of=TODAY,
                                 next_release=lambda: TODAY + dt.timedelta(days=30))
    assert first.source.next_release == TODAY + dt.timedelta(days=30)
    assert not store.replace_source("demo", "x", "h", quads_of(items), as_of=TODAY).changed
    later = TODAY + dt.timedelta(days=31)
    assert store.replace_source("demo", "x", "h", quads_of(items, RdfModel(as_of=later)), as_of=later).changed
    _, public_titles = store.query(TITLES, "public")
    assert len(public_titles) == 4


def test_the_store_persists_and_the_registry_comes_back(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "kg") as store:
        store.replace_source("demo", "x", "h", quads_of(datasets(25)))
        before = snapshot(store)
        sources = store.sources
    with GraphStore(tmp_path / "kg") as store:
        assert snapshot(store) == before
        assert store.sources == sources
        assert not store.replace_source("demo", "x", "h", quads_of(datasets(25))).changed


def test_leftovers_of_a_crashed_load_are_collected_on_open(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "kg") as store:
        store.replace_source("demo", "x", "h", quads_of(datasets(5)))
        before = snapshot(store)
        # what a process killed in the middle of staging leaves: a graph nobody registered
        store.raw_update('INSERT DATA { GRAPH <https://w3id.org/pankg/id/graph/demo.dead.v9.public> '
                         '{ <https://e/s> <https://e/p> "o" } }')
    with GraphStore(tmp_path / "kg") as store:
        assert snapshot(store) == before
        assert len(store.named_graphs()) == 2


def test_a_second_process_gets_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    with GraphStore(tmp_path / "kg"):
        code = f"from graph.store.embedded import GraphStore; GraphStore({str(tmp_path / 'kg')!r})"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                cwd=Path(__file__).resolve().parents[2])
    assert result.returncode != 0
    assert StoreLocked.__name__ in result.stderr and "open in another pankg process" in result.stderr


def test_bad_sparql_is_a_query_error(store: GraphStore) -> None:
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        store.query("SELECT WHERE {")


def test_remove_source(store: GraphStore) -> None:
    store.replace_source("demo", "x", "h", quads_of(datasets(5)))
    assert store.remove_source("demo", "x")
    assert not store.remove_source("demo", "x")
    assert store.count("public") == 0 and store.sources == {}
    assert store.graphs("all") == [store.meta]  # which keeps only the store's base IRI


def test_a_store_refuses_to_open_under_another_base_iri(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "kg") as store:
        store.replace_source("demo", "x", "h", quads_of(datasets(5)))
        before = snapshot(store)
    with pytest.raises(StoreError, match="holds IRIs minted under https://w3id.org/pankg/id/, not https://example.org/"):
        GraphStore(tmp_path / "kg", base_iri="https://example.org/")
    with GraphStore(tmp_path / "kg") as store:
        assert snapshot(store) == before


def test_graphs_pankg_did_not_write_are_left_alone(tmp_path: Path) -> None:
    foreign = "https://example.org/my-own-graph"
    with GraphStore(tmp_path / "kg") as store:
        store.raw_update(f'INSERT DATA {{ GRAPH <{foreign}> {{ <https://e/s> <https://e/p> "o" }} }}')
    with GraphStore(tmp_path / "kg") as store:
        assert store.has_graph(foreign)


def test_a_failure_after_staging_leaves_no_graph_behind(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.replace_source("demo", "x", "h1", quads_of(datasets(10)))
    before = snapshot(store)

    def broken_release() -> dt.date:
        raise RuntimeError("the loader's release hint failed")

    with pytest.raises(RuntimeError, match="release hint"):
        store.replace_source("demo", "x", "h2", quads_of(datasets(30, "late")), next_release=broken_release)
    assert len(store.named_graphs()) == 2  # meta + the one current graph: the stage is gone
    store.replace_source("other", "y", "h1", quads_of(datasets(3, "other")))
    assert store.is_clean  # the union fast path is safe to use again ...
    _, titles = store.query(TITLES)
    assert not any(row[0].value.startswith("late") for row in titles)  # ... and shows nothing unregistered
    assert snapshot(store)[0] > before[0]


def test_a_failed_first_load_leaves_an_empty_store_empty(store: GraphStore) -> None:
    """Not even the base IRI is recorded before the first registration: it goes in with it."""

    def failing() -> Iterator[Quad]:
        yield from list(quads_of(datasets(3)))[:5]
        raise RecordInvalid("no title", file="f.json", record="d1", field="title")

    with pytest.raises(RecordInvalid):
        store.replace_source("demo", "x", "h1", failing())
    assert store.total_quads() == 0
    store.replace_source("demo", "x", "h1", quads_of(datasets(3)))
    assert store.recorded_base() == store.minter.base
