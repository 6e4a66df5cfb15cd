"""Every reference catalogue of ../shared loaded together, twice: the second load changes nothing."""

from __future__ import annotations

from pathlib import Path

from graph.store.embedded import GraphStore
from graph.store.stats import stats
from loaders import LOADERS
from loaders.base import load
from tests.helpers import TODAY

FOLDERS = {"scicat": "scicatlive", "icat": "icat", "panosc": "panosc"}


def load_all(store: GraphStore, catalogues: Path, force: bool) -> None:
    for kind, folder in FOLDERS.items():
        for source in LOADERS[kind]([str(catalogues / folder)]):
            load(store, source, as_of=TODAY, force=force)


def test_all_reference_catalogues_load_twice_to_identical_counts(shared: Path) -> None:
    store = GraphStore()
    catalogues = shared / "reference" / "catalogues"
    load_all(store, catalogues, force=False)
    first = stats(store)
    triples = store.count()
    assert first.entities["datasets"] >= 19 + 9 + 4  # SciCat, ICAT and PaNOSC datasets together
    load_all(store, catalogues, force=False)  # unchanged: skipped
    assert stats(store) == first and store.count() == triples
    load_all(store, catalogues, force=True)  # rewritten: the same graph again
    again = stats(store)
    assert again.entities == first.entities and again.triples == first.triples
    assert store.count() == triples
