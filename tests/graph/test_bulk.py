"""bulk_write with many graphs: small buckets go to the store together, each quad into its own graph."""

from __future__ import annotations

from collections import Counter

import pytest

import graph.store.bulk
from graph.store.bulk import bulk_write
from graph.store.embedded import GraphStore


def quads(graphs: int, per_graph: int) -> list[tuple[str, str, str, str]]:
    return [
        (f"<https://ex.org/s{g}-{n}>", "<https://ex.org/p>", f'"v {g} {n}"', f"key{g}")
        for n in range(per_graph)
        for g in range(graphs)
    ]


@pytest.mark.parametrize(("graphs", "per_graph", "chunk"), [(2, 500, 100), (300, 7, 100), (40, 60, 100), (1, 5, 100)])
def test_every_quad_lands_in_its_graph_however_the_buckets_are_flushed(
    graphs: int, per_graph: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graph.store.bulk, "SMALL_BYTES", 2000)  # both the transactional and the bulk path
    store = GraphStore()
    handed: list[str] = []

    def graph_for(access: str) -> str:
        handed.append(access)
        return f"https://ex.org/graph/{access}"

    written = list(quads(graphs, per_graph))
    staged = bulk_write(store.engine, written, graph_for, chunk=chunk)
    assert staged.quads == Counter({f"key{g}": per_graph for g in range(graphs)})
    assert sorted(handed) == sorted(f"key{g}" for g in range(graphs))  # once per key
    stored = {(s, o, g) for s, _, o, g in store.quads() if g != store.meta}
    assert stored == {(s, o, f"https://ex.org/graph/{a}") for s, _, o, a in written}


@pytest.mark.parametrize(("graphs", "per_graph", "chunk"), [(300, 7, 100), (40, 20, 100), (3, 500, 100)])
def test_the_triple_counts_it_knows_are_the_stores_and_duplicates_count_once(graphs: int, per_graph: int, chunk: int) -> None:
    store = GraphStore()
    written = sorted(quads(graphs, per_graph), key=lambda q: q[3])  # a graph's quads together, as records come
    written += written[: len(written) // 3]  # the model may write a triple twice: the store keeps one
    staged = bulk_write(store.engine, written, lambda access: f"https://ex.org/graph/{access}", chunk=chunk)
    assert staged.quads.total() == len(written)
    if graphs > 3:
        assert staged.triples  # small graphs reach the store in one piece
    else:
        assert not staged.triples  # each graph's 500 quads went in several chunks: the store must count
    for access, triples in staged.triples.items():
        assert triples == len(list(store.quads(graph=f"https://ex.org/graph/{access}")))
