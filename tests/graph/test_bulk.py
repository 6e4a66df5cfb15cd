"""bulk_write with many graphs: small buckets go to the store together, each quad into its own graph."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

import graph.bulk
from graph.bulk import bulk_write


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
    monkeypatch.setattr(graph.bulk, "SMALL_BYTES", 2000)  # both the transactional and the bulk path
    store = ox.Store()
    handed: list[str] = []

    def graph_for(access: str) -> str:
        handed.append(access)
        return f"https://ex.org/graph/{access}"

    written = list(quads(graphs, per_graph))
    counts = bulk_write(store, written, graph_for, chunk=chunk)
    assert counts == Counter({f"key{g}": per_graph for g in range(graphs)})
    assert sorted(handed) == sorted(f"key{g}" for g in range(graphs))  # once per key
    stored = {(q.subject.value, q.object.value, q.graph_name.value) for q in store}
    assert stored == {(s[1:-1], o[1:-1], f"https://ex.org/graph/{a}") for s, _, o, a in written}
