"""The properties every fuzzed load is held to, on real stores.

- :func:`load_all` loads what ``pankg load KIND PATH...`` would (``loaders.LOADERS``, one source at a time,
  through :func:`loaders.base.load`) and checks, for every source that fails, that it failed with a
  :class:`graph.errors.PankgError` and changed nothing: every quad a reader of scope ``all`` sees (the meta
  graph included) and ``store.sources`` are as they were before.
- :func:`check_refusal` checks that a refusal names the file, and the record and field that were broken.
- :func:`check_reload` checks that loading the same input again changes nothing, and that a forced reload
  writes the same triples again (the mapping is a pure function of the input).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings

from graph.errors import PankgError, RecordInvalid
from graph.query.terms import BlankNode
from graph.store.embedded import GraphStore
from loaders import LOADERS
from loaders.base import LoadOptions, LoadReport, load
from tests.helpers import TODAY
from tests.loaders.fuzz_cases import Broken, Case

EXAMPLES = int(os.environ.get("PANKG_FUZZ_EXAMPLES", "0"))
"""Examples per test when set (``PANKG_FUZZ_EXAMPLES=2000`` searches longer); else each test's own bound."""
RANDOM = os.environ.get("PANKG_FUZZ_RANDOM")
"""Set to search new examples each run instead of the same ones (CI runs the same ones: ``derandomize``)."""


def fuzz(examples: int) -> settings:
    """Hypothesis settings of a fuzz test: bounded, repeatable, no example database, no deadline."""
    return settings(max_examples=EXAMPLES or examples, deadline=None, derandomize=RANDOM is None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])


Snapshot = tuple[frozenset[tuple[str, str, str, str]], dict[str, Any]]


def snapshot(store: GraphStore) -> Snapshot:
    """Every quad a reader of scope ``all`` sees, and the registered sources."""
    _, rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", "all")
    return frozenset((str(g), str(s), str(p), str(o)) for g, s, p, o in rows), store.sources


def data_triples(store: GraphStore) -> list[tuple[str, str, str]]:
    """The triples of every source graph (not the meta graph), with repeats: graph names hold a generation.
    Blank nodes are all written ``_:``: the store labels them afresh on every load (an RDF file's ``[]``)."""
    _, rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{store.meta}>) }}", "all")
    return sorted(tuple("_:" if isinstance(t, BlankNode) else str(t) for t in row) for row in rows)  # type: ignore[misc]


def write(case: Case, folder: Path) -> list[Path]:
    """The case's files, written into ``folder`` (replacing files of the same name)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in case.files.items():
        path = folder / name
        path.write_bytes(content)
        paths.append(path)
    return paths


def load_all(store: GraphStore, kind: str, paths: Sequence[Path], *, lenient: bool = False,
             force: bool = False) -> list[LoadReport]:
    """``pankg load KIND PATHS``: every source in turn; a failure must be a pankg error and change nothing.
    PaNET is read without HermiT: reasoning is not what is fuzzed, and Java is slow to start."""
    reports = []
    for source in LOADERS[kind]([str(p) for p in paths], LoadOptions(lenient, panet_reason="never")):
        before = snapshot(store)
        try:
            reports.append(load(store, source, as_of=TODAY, force=force))
        except PankgError:
            assert snapshot(store) == before, f"a failed load of {source.location} changed the store"
            raise
    return reports


SEED = '<https://example.org/seed> <http://purl.org/dc/terms/title> "already there" .\n'


def holding(folder: Path, previous: Case | None) -> GraphStore:
    """A store that already holds another source and, when given, a valid earlier version of the case's files,
    so that "a failed load changes nothing" means something. (On a store that never loaded anything, a failed
    first load leaves the base IRI it recorded in the meta graph: graph/store/embedded.py writes it before staging.)"""
    store = GraphStore()
    seed = folder / "seed" / "seed.nt"
    seed.parent.mkdir(parents=True)
    seed.write_text(SEED)
    load_all(store, "rdf", [seed])
    if previous is not None:
        load_all(store, previous.kind, write(previous, folder / "input"))
    return store


def segments(field: str) -> list[str]:
    """The steps of a field path: ``creators[2].nameIdentifiers[1].nameIdentifier`` -> creators, nameIdentifiers, ..."""
    return [s for s in re.split(r"[.\[\]]", field) if s and not s.isdigit()]


def check_refusal(error: PankgError, files: Sequence[Path], broken: Broken | None) -> None:
    """A refusal of a broken case names the file, the broken record and (for a broken field) that field."""
    assert isinstance(error, RecordInvalid), f"{type(error).__name__}: {error}"
    assert error.file in {str(p) for p in files}, (error.file, str(error))
    if broken is None:
        return
    assert error.record in broken.records, (error.record, sorted(broken.records), broken.how, str(error))
    if broken.fields is not None:
        assert error.field and set(segments(error.field)) & broken.fields, (error.field, broken.how, str(error))


def check_lenient(reports: Sequence[LoadReport], error: RecordInvalid) -> None:
    """What strict mode refused, lenient mode skipped and listed with the same file, record and field."""
    warned = {(w.file, w.record, w.field) for r in reports for w in r.warnings}
    assert (error.file, error.record, error.field) in warned, (str(error), sorted(warned)[:10])


def check_reload(store: GraphStore, kind: str, paths: Sequence[Path]) -> None:
    """Loading the same input again changes nothing; forcing it writes the same triples again."""
    before, triples = snapshot(store), data_triples(store)
    again = load_all(store, kind, paths)
    assert not any(r.changed for r in again), [r.location for r in again if r.changed]
    assert snapshot(store) == before
    load_all(store, kind, paths, force=True)
    assert data_triples(store) == triples
