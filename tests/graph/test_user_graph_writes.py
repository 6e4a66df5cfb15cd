"""User graph writes commit only what changed; an INSERT DATA-only update skips the copy of the user graphs."""

from __future__ import annotations

import pytest

from graph.store.embedded import DEFAULT_GRAPH, GraphStore
from graph.store.updates import KIND, UpdateRefused, apply_update

NOTES = "http://notes.example.org/g"


def held(store: GraphStore, graph: str = NOTES) -> set[str]:
    return {f"{s} {p} {o}" for s, p, o, _ in store.quads(graph=graph)}


def count(store: GraphStore, graph: str = NOTES) -> int:
    info = store.find_source(KIND, graph)
    return info.triples if info else 0


def test_insert_data_adds_to_what_the_graph_holds_and_counts_right() -> None:
    store = GraphStore()
    triples = " ".join(f'<http://ex.org/s{n}> <http://ex.org/p> "{n}" .' for n in range(50))
    assert apply_update(store, f"INSERT DATA {{ GRAPH <{NOTES}> {{ {triples} }} }}") == [NOTES]
    assert count(store) == 50 and len(held(store)) == 50
    # one new triple and one already there: the graph keeps its 50 and gains one
    again = f'INSERT DATA {{ GRAPH <{NOTES}> {{ <http://ex.org/s1> <http://ex.org/p> "1" . <http://ex.org/x> <http://ex.org/p> [ <http://ex.org/q> 1 ] }} }}'
    assert apply_update(store, again) == [NOTES]
    assert count(store) == 52 and len(held(store)) == 52
    assert apply_update(store, f'INSERT DATA {{ GRAPH <{NOTES}> {{ <http://ex.org/s2> <http://ex.org/p> "2" }} }}') == []
    linked = store.query(f"ASK {{ GRAPH <{NOTES}> {{ <http://ex.org/x> <http://ex.org/p> ?b . ?b <http://ex.org/q> 1 }} }}")
    assert linked is True


def test_delete_and_where_updates_still_see_the_whole_graph() -> None:
    store = GraphStore()
    triples = " ".join(f'<http://ex.org/s{n}> <http://ex.org/p> "{n}" .' for n in range(10))
    apply_update(store, f"INSERT DATA {{ GRAPH <{NOTES}> {{ {triples} }} }}")
    apply_update(store, f'DELETE WHERE {{ GRAPH <{NOTES}> {{ <http://ex.org/s3> ?p ?o }} }}')
    assert count(store) == 9 and '<http://ex.org/s3> <http://ex.org/p> "3"' not in held(store)
    apply_update(store, f'DELETE DATA {{ GRAPH <{NOTES}> {{ <http://ex.org/s4> <http://ex.org/p> "4" }} }} ; '
                        f'INSERT DATA {{ GRAPH <{NOTES}> {{ <http://ex.org/s4> <http://ex.org/p> "four" }} }}')
    assert count(store) == 9 and '<http://ex.org/s4> <http://ex.org/p> "four"' in held(store)


def test_insert_data_into_the_default_graph_is_refused_and_changes_nothing() -> None:
    store = GraphStore()
    with pytest.raises(UpdateRefused):
        apply_update(store, "INSERT DATA { <http://ex.org/a> <http://ex.org/p> 1 }")
    assert store.total_quads() == 0 or not any(True for _ in store.quads(graph=DEFAULT_GRAPH))
